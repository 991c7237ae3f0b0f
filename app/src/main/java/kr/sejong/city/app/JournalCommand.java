package kr.sejong.city.app;

import kr.sejong.city.replay.JournalDump;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    header = "Print what a node journaled (ingress) or said (egress).",
    description = {
        "Print what a node journaled, one entry per line: sequence, logical time and every field of the message. Ingress by default (what the node saw), --egress for what it said." })
final class JournalCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "The node's data directory (default: data/ in the project).")
    Path dataDir;

    @Option(names = "--egress", description = "Print the egress journal instead of the ingress journal.")
    boolean egress;

    @Option(names = "--from", paramLabel = "SEQ", defaultValue = "0", description = "First sequence number to print (default: ${DEFAULT-VALUE}).")
    long from;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "-1", description = "Print at most N entries (default: all).")
    long limit;

    @Option(names = "--message", paramLabel = "NAME", description = "Print only this message, e.g. Tick or DetectorObservation.")
    String message;

    @Override
    public Integer call()
    {
        final Path dir = dataDir != null ? dataDir : CityHome.defaultDataDir();
        try
        {
            new JournalDump().dump(dir, egress ? JournalDump.Queue.EGRESS : JournalDump.Queue.INGRESS, from, limit,
                message, spec.commandLine().getOut());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadInputException(ex.getMessage(), ex);
        }
        return ExitCodes.OK;
    }
}
