package kr.sejong.city.app;

import io.aeron.Aeron;
import kr.sejong.city.adapters.gateway.GatewayServer;
import kr.sejong.city.bench.gateway.GatewayLoad;
import kr.sejong.city.config.ApiKeyHash;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Gateway;
import kr.sejong.city.config.LoadedConfig;
import kr.sejong.city.config.Stop;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    header = "Ride requests at a fixed rate through the gateway's HTTP API to the node; latency to the 202 (HdrHistogram).",
    description = {
        "Starts a node with the default city (live mode, journal on, every loop), the gateway on a free loopback port with a bench client, "
            + "and sends --rate ride requests per second for --seconds (after --warmup seconds not recorded) with java.net.http. "
            + "Each latency runs from when the request was due to its 202 (no coordinated omission). Prints the percentiles and writes "
            + "the .hgrm (us) under --out." })
final class BenchGatewayCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "1000", description = "Requests per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "30", description = "Seconds measured (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "10", description = "Seconds of the same load first, not recorded (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--simulator", description = "Run the field simulator too (the node then also takes the city's field traffic).")
    boolean simulator;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the .hgrm (default: bench/results/gateway in the project).")
    Path outDir;

    @Override
    public Integer call() throws Exception
    {
        if (rate < 1 || rate > 100_000 || seconds < 1 || warmup < 0)
        {
            throw new BadInputException("--rate must be in [1, 100000], --seconds >= 1 and --warmup >= 0");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final LoadedConfig loaded = CityHome.loadCity(null);
        final CityConfig base = loaded.config();
        final String key = ApiKeyHash.newKey("bench");
        final Gateway.Client client = new Gateway.Client("bench", ApiKeyHash.of(key, ApiKeyHash.MIN_ITERATIONS).encoded(),
            List.of(new Gateway.Grant(Gateway.Center.TRAFFIC, Gateway.Role.OPERATE)), new Gateway.RateLimit(rate * 2.0, rate * 2));
        final Gateway section = base.gateway();
        final Gateway gateway = new Gateway("127.0.0.1", 0, section.maxBodyBytes(), section.rateLimit(), List.of(client),
            new Gateway.Notifications(section.notifications().retry(), List.of(), null));
        final CityConfig city = new CityConfig(base.city(), base.node(), base.traffic(), base.mobility(), base.energy(), base.emergency(),
            base.simulator(), gateway);
        final int[] stops = city.mobility().stops().stream().mapToInt(Stop::id).toArray();
        final Path dataDir = Files.createTempDirectory("city-bench-gateway");
        final GatewayLoad.Result result;
        try (ControlNode node = ControlNode.launch(NodeContexts.fromConfig(city.node(), dataDir).loops(Loops.create(city))
                .configSnapshot(loaded.source().toString(), loaded.yamlBytes()));
            SimulatorRunner field = simulator ? SimulatorRunner.start(city, node, null) : null;
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName()));
            GatewayServer server = GatewayServer.start(city, dataDir, aeron, node.context().ingressChannel(), node.context().ingressStreamId(),
                node.context().egressChannel(), node.context().egressStreamId()))
        {
            final long deadline = System.currentTimeMillis() + 10_000;
            while (!server.connected() && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(10);
            }
            spec.commandLine().getErr().printf(Locale.ROOT, "bench gateway: %d requests/s for %d s after %d s of warm-up...%n", rate, seconds, warmup);
            result = GatewayLoad.run("http://127.0.0.1:" + server.port(), key, stops, rate, seconds, warmup);
        }
        finally
        {
            deleteRecursively(dataDir);
        }
        final var h = result.latencyNs();
        final String command = "bin/city bench gateway --rate " + rate + " --seconds " + seconds + " --warmup " + warmup
            + (simulator ? " --simulator" : "");
        out.println("bench gateway, " + Instant.now());
        out.println("  machine: " + Machine.describe());
        out.println("  command: " + command);
        out.printf(Locale.ROOT, "  %,d ride requests due, %,d answered 202 (%,.0f/s), %,d failed or unanswered%n",
            result.sent(), result.accepted(), result.ratePerS(), result.failed());
        out.printf(Locale.ROOT, "  latency to the 202 (from when each was due): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
            ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
            ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        final Path dir = outDir != null ? outDir : CityHome.home().resolve("bench/results/gateway");
        Files.createDirectories(dir);
        final Path hgrm = dir.resolve("gateway-rides-" + rate + "rps.hgrm");
        try (PrintStream file = new PrintStream(Files.newOutputStream(hgrm), true, "UTF-8"))
        {
            file.println("# " + command + " | " + Machine.describe());
            h.outputPercentileDistribution(file, 1000.0);
        }
        out.println("  percentile distribution (us): " + hgrm);
        out.flush();
        final boolean met = result.failed() == 0 && ms(h.getValueAtPercentile(99)) < 10.0 && result.ratePerS() >= rate * 0.95;
        out.println("  target (" + rate + "/s, p99 < 10 ms, none failed): " + (met ? "met" : "NOT met"));
        out.flush();
        return ExitCodes.OK;
    }

    private static double ms(final long ns)
    {
        return ns / 1e6;
    }

    private static void deleteRecursively(final Path dir)
    {
        try (var paths = Files.walk(dir))
        {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final java.io.IOException ignore)
        {
            // a temporary directory
        }
    }
}
