package kr.sejong.city.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import kr.sejong.city.replay.Position;
import kr.sejong.city.replay.ReplayException;
import kr.sejong.city.replay.Replayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    header = "Replay a journal through fresh loops; --verify compares with what was recorded.",
    description = {
        "Runs every recorded input through fresh loops built from the configuration the run journaled (not the one on disk now), exactly as the node ran them, and reports messages, rate and the final state digest. With --verify it compares every output with the recorded egress byte for byte and checks the journals' hash chains: the first divergence is reported with its sequence, message and the fields that differ (exit code 1), as is an edited or damaged entry. --from starts at the nearest earlier state snapshot." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = { "0:replayed (and verified)", "1:divergence or broken hash chain", "2:bad input (not a journal, range outside it, ...)" })
final class ReplayCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "The node's data directory (default: data/ in the project).")
    Path dataDir;

    @Option(names = "--from", paramLabel = "TIME|SEQ", description = "Start at this sequence number or time (ISO-8601, e.g. 2026-11-25T08:00:00Z, or local time in Asia/Seoul).")
    String from;

    @Option(names = "--to", paramLabel = "TIME|SEQ", description = "Stop after this sequence number or time.")
    String to;

    @Option(names = "--verify", description = "Compare the replayed egress with the recorded one, byte for byte, and check the hash chains.")
    boolean verify;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the result as JSON to FILE.")
    Path report;

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final Path dir = (dataDir != null ? dataDir : CityHome.defaultDataDir()).toAbsolutePath().normalize();
        final ZoneId zone = ZoneId.of("Asia/Seoul");
        final ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), verify ? "verify" : "replay");
        final Replayer.Result result;
        try
        {
            final Replayer.Options options = new Replayer.Options(dir).verify(verify).progress(progress);
            if (from != null)
            {
                options.from(Position.parse(from, zone));
            }
            if (to != null)
            {
                options.to(Position.parse(to, zone));
            }
            result = new Replayer(options).run();
        }
        catch (final ReplayException ex)
        {
            progress.finish();
            throw new BadInputException(ex.getMessage(), ex);
        }
        progress.finish();

        out.printf(Locale.ROOT, "replayed %,d inputs (sequences %d to %d), %,d outputs, in %.2f s: %,.0f messages/s%n",
            result.inputs(), result.firstSequence(), result.lastSequence(), result.outputs(), result.wallSeconds(), result.ratePerS());
        for (final String note : result.notes())
        {
            out.println("  " + note);
        }
        out.println("state digest " + result.stateDigest());
        if (verify)
        {
            if (result.ok())
            {
                out.printf(Locale.ROOT, "verified: %,d outputs identical to the recorded egress; hash chains unbroken%n", result.outputsCompared());
            }
            for (final Replayer.ChainBreak chainBreak : result.chainBreaks())
            {
                out.println("TAMPERED OR DAMAGED: " + chainBreak);
            }
            if (result.divergence() != null)
            {
                out.println("DIVERGENCE: " + result.divergence());
            }
        }
        out.flush();
        if (report != null)
        {
            writeReport(result);
        }
        return !verify || result.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private void writeReport(final Replayer.Result result) throws IOException
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataDir", String.valueOf(dataDir));
        json.put("verified", verify);
        json.put("ok", result.ok());
        json.put("firstSequence", result.firstSequence());
        json.put("lastSequence", result.lastSequence());
        json.put("inputs", result.inputs());
        json.put("outputs", result.outputs());
        json.put("outputsCompared", result.outputsCompared());
        json.put("startedFromSnapshot", result.startedFromSnapshot());
        json.put("wallSeconds", result.wallSeconds());
        json.put("messagesPerSecond", result.ratePerS());
        json.put("stateDigest", result.stateDigest());
        json.put("divergence", result.divergence());
        json.put("chainBreaks", result.chainBreaks());
        json.put("notes", result.notes());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), json);
    }
}
