package kr.sejong.city.app;

import kr.sejong.city.replay.CityTime;
import kr.sejong.city.replay.Position;
import kr.sejong.city.replay.ReplayException;
import kr.sejong.city.replay.audit.Audit;
import kr.sejong.city.replay.audit.AuditSubject;
import kr.sejong.city.replay.audit.Timeline;
import kr.sejong.city.replay.audit.TimelineFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.Callable;

@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    header = "Timeline of every input and decision that touched one intersection, incident, vehicle or request.",
    description = {
        "Reads the journal and lists, in order of time and sequence, every input the node saw and every decision it published between --from and --to that touched the subject, each decision right after the input that caused it, with its reason code and every field decoded. Times are in Asia/Seoul.",
        "",
        "Touched means: intersection: a field intersectionId equal to ID (routes included); incident: incidentId, and the video events, calls and sensors the incident lists as its sources; vehicle: vehicleId, shuttleId or unitId; request: requestId (ride and priority requests, shuttle plan stops). An OperatorAction on the subject (or on all of its kind, subject id 0) counts too, and so does the Reject answering a refused input that touched it." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = { "0:timeline written", "2:bad input (not a journal, range outside it, no or several subjects, nothing touches the subject, unknown format)" })
final class AuditCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "The node's data directory (default: data/ in the project).")
    Path dataDir;

    @Option(names = "--from", required = true, paramLabel = "TIME",
        description = "Start of the range: a time (ISO-8601, e.g. 2026-11-25T08:00:00Z, or local time in Asia/Seoul such as 2026-11-25T17:00:00) or a sequence number.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "End of the range (included), as --from.")
    String to;

    @Option(names = "--intersection", paramLabel = "ID", description = "Audit this intersection.")
    String intersection;

    @Option(names = "--incident", paramLabel = "ID", description = "Audit this incident.")
    String incident;

    @Option(names = "--vehicle", paramLabel = "ID", description = "Audit this vehicle (priority vehicle, shuttle or dispatched unit).")
    String vehicle;

    @Option(names = "--request", paramLabel = "ID", description = "Audit this request (ride or priority request).")
    String request;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default), json or csv.")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the timeline to FILE instead of the standard output.")
    Path outFile;

    @Override
    public Integer call()
    {
        final Path dir = (dataDir != null ? dataDir : CityHome.defaultDataDir()).toAbsolutePath().normalize();
        final ZoneId zone = CityTime.SEOUL;
        final Timeline timeline;
        final TimelineFormat timelineFormat;
        try
        {
            timelineFormat = TimelineFormat.parse(format);
            final AuditSubject subject = AuditSubject.of(intersection, incident, vehicle, request);
            final Position fromPosition = Position.parse(from, zone);
            final Position toPosition = Position.parse(to, zone);
            timeline = Audit.timeline(dir, fromPosition, toPosition, subject, zone);
        }
        catch (final ReplayException ex)
        {
            throw new BadInputException(ex.getMessage(), ex);
        }
        if (outFile == null)
        {
            timelineFormat.write(timeline, zone, spec.commandLine().getOut());
            return ExitCodes.OK;
        }
        try (PrintWriter file = new PrintWriter(Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)))
        {
            timelineFormat.write(timeline, zone, file);
        }
        catch (final IOException ex)
        {
            throw new BadInputException("cannot write " + outFile + ": " + ex.getMessage(), ex);
        }
        spec.commandLine().getOut().printf("wrote the audit of %s to %s: %d entries (%d inputs, %d decisions)%n",
            timeline.subject(), outFile, timeline.rows().size(), timeline.inputs(), timeline.outputs());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
