package kr.sejong.city.app;

import kr.sejong.city.bench.replay.ReplayThroughput;
import kr.sejong.city.config.LoadedConfig;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    header = "Benchmarks that need the whole node (JMH micro-benchmarks: bench/README.md).",
    description = { "Measures what needs the whole node and prints each figure with the machine and the command." },
    subcommands = { BenchCommand.Replay.class, BenchE2eCommand.class, BenchDispatchCommand.class, BenchGatewayCommand.class,
        BenchOpcUaCommand.class })
final class BenchCommand
{
    @Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        header = "Time `replay --verify` on a large journal of mixed messages recorded through the real node.",
        description = { "Records a journal of --messages inputs through the node in simulated mode (the field simulator as fast as the node takes it, the node's own loops), then verifies it with the replay tool and reports both rates." })
    static final class Replay implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Option(names = "--messages", paramLabel = "N", defaultValue = "10000000", description = "Inputs to record and verify (default: ${DEFAULT-VALUE}).")
        long messages;

        @Option(names = "--data", paramLabel = "DIR", description = "Where to record (default: a fresh directory under the system temp dir, deleted afterwards).")
        Path dataDir;

        @Override
        public Integer call() throws IOException
        {
            if (messages < 1)
            {
                throw new BadInputException("--messages must be at least 1, was " + messages);
            }
            final PrintWriter out = spec.commandLine().getOut();
            final LoadedConfig city = CityHome.loadCity(null);
            final boolean temporary = dataDir == null;
            final Path dir = temporary ? Files.createTempDirectory("city-bench-replay") : dataDir;
            if (!temporary && Files.isDirectory(dir.resolve("journal")))
            {
                throw new BadInputException(dir + " already holds a journal: give an empty --data directory");
            }
            final ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), "verify");
            try
            {
                final ReplayThroughput.Result result = ReplayThroughput.run(city, dir, messages,
                    line -> spec.commandLine().getErr().println(line), progress);
                progress.finish();
                out.println("bench replay, " + Instant.now());
                out.println("  machine: " + Machine.describe());
                out.println("  command: bin/city bench replay --messages " + messages);
                out.printf(Locale.ROOT, "  recorded %,d inputs through the node in %.1f s (%,.0f inputs/s), %,d outputs%n",
                    result.inputs(), result.recordSeconds(), result.recordRatePerS(), result.outputs());
                out.printf(Locale.ROOT, "  replay --verify: %,d inputs in %.2f s = %,.0f messages/s, %s%n",
                    result.inputs(), result.verifySeconds(), result.verifyRatePerS(),
                    result.verified() ? "byte-identical egress, hash chains unbroken" : "VERIFY FAILED");
                out.println("  state digest " + result.digest());
                out.flush();
                return result.verified() ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            finally
            {
                if (temporary)
                {
                    IoUtil.delete(dir.toFile(), true);
                }
            }
        }

    }
}
