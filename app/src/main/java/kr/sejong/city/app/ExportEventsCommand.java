package kr.sejong.city.app;

import kr.sejong.city.replay.CityTime;
import kr.sejong.city.replay.Position;
import kr.sejong.city.replay.ReplayException;
import kr.sejong.city.replay.indiana.IndianaExport;
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
    name = "export-events",
    mixinStandardHelpOptions = true,
    header = "Export signal events as Indiana hi-resolution data (for ATSPM and other performance-measure tools).",
    description = {
        "Derives traffic signal events from the journal in the Indiana Traffic Signal Hi Resolution Data Logger Enumerations: phase begin green, yellow and red clearance from the signal commands the node sent, detector on/off from detector presence and lane occupancy, preemption call, entry, track clearance, dwell and exit, and TSP check-in, early green, extend green and check-out. Writes CSV rows SignalID,Timestamp,EventCode,EventParam in time order, timestamps in Asia/Seoul local time to the tenth of a second. The event codes and where each comes from: replay/README.md." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = { "0:events written", "2:bad input (not a journal, range outside it, unknown format, file not writable)" })
final class ExportEventsCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "The node's data directory (default: data/ in the project).")
    Path dataDir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = IndianaExport.FORMAT,
        description = "Output format; " + IndianaExport.FORMAT + " (the default) is the one so far.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The CSV file to write.")
    Path outFile;

    @Option(names = "--from", paramLabel = "TIME", description = "Only events at or after this time (or sequence number); default: the journal's start.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Only events at or before this time (or sequence number); default: the journal's end.")
    String to;

    @Override
    public Integer call()
    {
        final Path dir = (dataDir != null ? dataDir : CityHome.defaultDataDir()).toAbsolutePath().normalize();
        final ZoneId zone = CityTime.SEOUL;
        final IndianaExport.Result result;
        try
        {
            IndianaExport.checkFormat(format);
            final Position fromPosition = from == null ? null : Position.parse(from, zone);
            final Position toPosition = to == null ? null : Position.parse(to, zone);
            final Path tmp = outFile.toAbsolutePath().resolveSibling(outFile.getFileName() + ".part");
            try (PrintWriter file = new PrintWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)))
            {
                result = IndianaExport.export(dir, fromPosition, toPosition, zone, file);
            }
            catch (final ReplayException ex)
            {
                Files.deleteIfExists(tmp);
                throw ex;
            }
            Files.move(tmp, outFile.toAbsolutePath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final ReplayException ex)
        {
            throw new BadInputException(ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new BadInputException("cannot write " + outFile + ": " + ex.getMessage(), ex);
        }
        final PrintWriter out = spec.commandLine().getOut();
        for (final String note : result.notes())
        {
            out.println("note: " + note);
        }
        out.printf("wrote %d signal events to %s (%s)%n", result.events(), outFile, IndianaExport.FORMAT);
        out.flush();
        return ExitCodes.OK;
    }
}
