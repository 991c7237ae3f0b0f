package kr.sejong.city.app;

import kr.sejong.city.core.runtime.NodeStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    header = "Print the live counters of a running (or stopped) node.",
    description = {
        "Print the live counters of a node from another process (in the spirit of AeronStat): inputs, rejects by reason, per-loop decisions, journal bytes, egress back-pressure, longest duty cycle and recorded errors. Works on a stopped node too (its last figures)." })
final class StatusCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "The node's data directory (default: data/ in the project).")
    Path dataDir;

    @Option(names = "--watch", description = "Print again every --interval seconds until Ctrl-C.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1", description = "Seconds between prints with --watch (default: ${DEFAULT-VALUE}).")
    double intervalS;

    @Override
    public Integer call() throws InterruptedException
    {
        final Path dir = dataDir != null ? dataDir : CityHome.defaultDataDir();
        final PrintWriter out = spec.commandLine().getOut();
        if (intervalS <= 0)
        {
            throw new BadInputException("--interval must be positive, was " + intervalS);
        }
        do
        {
            final NodeStatus status;
            try
            {
                status = NodeStatus.read(dir);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new BadInputException(ex.getMessage(), ex);
            }
            out.println(StatusReport.full(status, dir, System.currentTimeMillis()));
            out.flush();
            if (watch)
            {
                Thread.sleep((long)(intervalS * 1000));
            }
        }
        while (watch);
        return ExitCodes.OK;
    }
}
