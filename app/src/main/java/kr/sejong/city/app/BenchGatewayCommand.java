package kr.sejong.city.app;

import io.aeron.Aeron;
import io.javalin.Javalin;
import kr.sejong.city.adapters.gateway.GatewayServer;
import kr.sejong.city.bench.e2e.GeneratorResult;
import kr.sejong.city.bench.e2e.PercentilePlot;
import kr.sejong.city.bench.e2e.MachineInfo;
import kr.sejong.city.bench.gateway.GatewayLoad;
import kr.sejong.city.bench.gateway.GatewayReport;
import kr.sejong.city.config.ApiKeyHash;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Gateway;
import kr.sejong.city.config.LoadedConfig;
import kr.sejong.city.config.Stop;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeContexts;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    header = "Ride requests at a fixed rate through the gateway's HTTP API to the node; latency to the 202 (HdrHistogram).",
    description = {
        "Starts a node with the default city (live mode, journal on, every loop) and the gateway on a free loopback port with a "
            + "bench client in this JVM, and a load generator (Jetty's HTTP client, HTTP/1.1, at most --connections keep-alive connections, open loop) in a JVM of its own, which sends --rate ride "
            + "requests per second for --seconds (after --warmup seconds not recorded). Each latency runs from when the request was due "
            + "to its 202 (no coordinated omission). In the same run, as a baseline, the same load goes to a bare HTTP server "
            + "(Javalin on Jetty as the gateway, answering 202 at once) so the gateway's own cost is a ratio. Prints the percentiles and "
            + "writes the .hgrm files (us) and a PNG of both percentile distributions under --out." })
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

    @Option(names = "--connections", paramLabel = "N", defaultValue = "16",
        description = "Keep-alive connections the load generator may open (default: ${DEFAULT-VALUE}); requests beyond wait in its queue, and the wait counts.")
    int connections;

    @Option(names = "--simulator", description = "Run the field simulator too (the node then also takes the city's field traffic).")
    boolean simulator;

    @Option(names = "--baseline", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Also run the bare HTTP server baseline first (default: on; --no-baseline skips it).")
    boolean baseline;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the .hgrm and .png files (default: bench/results/gateway in the project).")
    Path outDir;

    @Option(names = "--report", paramLabel = "FILE",
        description = "Also write a JSON report (for bench/RESULTS.md); the .hgrm and .png files then go to its folder, named after it.")
    Path report;

    @Override
    public Integer call() throws Exception
    {
        if (rate < 1 || rate > 100_000)
        {
            throw new BadInputException("--rate must be in [1, 100000] requests per second, not " + rate);
        }
        if (seconds < 1)
        {
            throw new BadInputException("--seconds must be at least 1, not " + seconds);
        }
        if (connections < 1 || connections > 1024)
        {
            throw new BadInputException("--connections must be in [1, 1024], not " + connections);
        }
        if (warmup < 0)
        {
            throw new BadInputException("--warmup must be 0 or more, not " + warmup);
        }
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String loadBefore = MachineInfo.loadAverage();
        final Instant date = Instant.now();
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
        final Consumer<String> say = line ->
        {
            err.println(line);
            err.flush();
        };
        GeneratorResult bare = null;
        final GeneratorResult result;
        try
        {
            if (baseline)
            {
                try (BareHttp server = BareHttp.start())
                {
                    say.accept(String.format(Locale.ROOT, "bench gateway: baseline (bare HTTP server), %d requests/s for %d s after %d s of warm-up...",
                        rate, seconds, warmup));
                    bare = GatewayLoad.spawn("http://127.0.0.1:" + server.port(), key, stops, rate, seconds, warmup, connections, dataDir.resolve("baseline"), say);
                }
            }
            try (ControlNode node = ControlNode.launch(NodeContexts.fromConfig(city.node(), dataDir.resolve("node")).loops(Loops.create(city))
                    .configSnapshot(loaded.source().toString(), loaded.yamlBytes()));
                SimulatorRunner field = simulator ? SimulatorRunner.start(city, node, null) : null;
                Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName()));
                GatewayServer server = GatewayServer.start(city, dataDir.resolve("node"), aeron, node.context().ingressChannel(), node.context().ingressStreamId(),
                    node.context().egressChannel(), node.context().egressStreamId()))
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!server.connected() && System.nanoTime() < deadline)
                {
                    Thread.sleep(10);
                }
                say.accept(String.format(Locale.ROOT, "bench gateway: the gateway and node, %d requests/s for %d s after %d s of warm-up...",
                    rate, seconds, warmup));
                result = GatewayLoad.spawn("http://127.0.0.1:" + server.port(), key, stops, rate, seconds, warmup, connections, dataDir.resolve("gateway"), say);
            }
        }
        finally
        {
            IoUtil.delete(dataDir.toFile(), true);
        }
        final String command = "bin/city bench gateway --rate " + rate + " --seconds " + seconds + " --warmup " + warmup
            + (connections == 16 ? "" : " --connections " + connections)
            + (simulator ? " --simulator" : "") + (baseline ? "" : " --no-baseline") + (report == null ? "" : " --report " + report);
        final String loadAfter = MachineInfo.loadAverage();
        final String serverJvm = jvmOptions();
        final String machine = Machine.describe() + ", server JVM " + serverJvm;
        final String generator = "its own JVM (" + String.join(" ", GatewayLoad.JVM_OPTIONS) + "), Jetty HttpClient, HTTP/1.1, at most " + connections
            + " keep-alive connections, open loop";
        out.println("bench gateway, " + date);
        out.println("  machine: " + machine);
        out.println("  load generator: " + generator);
        out.println("  command: " + command);
        if (bare != null)
        {
            print(out, "baseline, bare HTTP server", bare);
        }
        print(out, "gateway + node", result);
        final Histogram h = result.histogram();
        if (bare != null)
        {
            out.printf(Locale.ROOT, "  gateway / bare HTTP: p50 x %.2f, p99 x %.2f%n",
                ratio(h.getValueAtPercentile(50), bare.histogram().getValueAtPercentile(50)),
                ratio(h.getValueAtPercentile(99), bare.histogram().getValueAtPercentile(99)));
        }
        final Path dir = report != null ? report.toAbsolutePath().getParent()
            : outDir != null ? outDir : CityHome.home().resolve("bench/results/gateway");
        final String prefix = report != null ? report.getFileName().toString().replaceFirst("\\.json$", "") + "-" : "";
        Files.createDirectories(dir);
        final Map<String, String> files = new LinkedHashMap<>();
        final Path hgrm = writeHgrm(dir.resolve(prefix + "gateway-rides-" + rate + "rps.hgrm"), command, machine, h);
        files.put("gatewayHgrm", hgrm.getFileName().toString());
        out.println("  percentile distribution (us): " + hgrm);
        final List<PercentilePlot.Series> series = new ArrayList<>();
        series.add(new PercentilePlot.Series("gateway + node (HTTP -> Aeron -> journal -> dispatch loop)", h));
        if (bare != null)
        {
            final Path bareHgrm = writeHgrm(dir.resolve(prefix + "bare-http-" + rate + "rps.hgrm"), command, machine, bare.histogram());
            files.put("bareHttpHgrm", bareHgrm.getFileName().toString());
            out.println("  baseline distribution (us): " + bareHgrm);
            series.add(new PercentilePlot.Series("bare HTTP server (Javalin, 202 at once)", bare.histogram()));
        }
        final Path png = dir.resolve(prefix + "gateway-rides-" + rate + "rps.png");
        files.put("plot", png.getFileName().toString());
        PercentilePlot.write(png, String.format(Locale.ROOT, "Ride requests through the gateway, %,d/s for %d s (latency from due time to 202)",
            rate, seconds), machine, "latency to the 202 (log scale)", series);
        out.println("  plot: " + png);
        if (report != null)
        {
            GatewayReport.write(report, command, date.toString(), loadBefore, loadAfter, serverJvm, "Server: a node with the default city "
                + "(live mode, journal on, every loop" + (simulator ? ", the field simulator" : "") + ") and the gateway on loopback, in one JVM. "
                + "Load: " + generator + "; " + rate + " ride requests/s for " + seconds + " s after " + warmup + " s of warm-up, each latency from "
                + "when the request was due to its 202." + (bare != null ? " Baseline in the same run: the same load to a bare Javalin server "
                + "answering 202 at once." : ""), result, bare, files);
            out.println("  report: " + report);
        }
        final boolean met = GatewayReport.met(result);
        out.println("  target (" + rate + "/s, p99 < 10 ms, none failed): " + (met ? "met" : "NOT met"));
        out.flush();
        return ExitCodes.OK;
    }

    private static void print(final PrintWriter out, final String name, final GeneratorResult r)
    {
        final Histogram h = r.histogram();
        out.printf(Locale.ROOT, "  %s: %,d requests due, %,d answered 202 (%,.0f/s), %,d answered otherwise or failed, %,d unanswered%n", name,
            r.measuredRequests(), r.measuredReplies(), r.throughputPerS(), r.wrongDecisions(), r.unanswered());
        out.printf(Locale.ROOT, "    latency to the 202 (from when each was due): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
            ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
            ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
        out.printf(Locale.ROOT, "    generator's send lag (sent after due): p99 %.2f ms, max %.2f ms%n",
            ms(r.sendLagNs().getValueAtPercentile(99)), ms(r.sendLagNs().getMaxValue()));
    }

    private static Path writeHgrm(final Path file, final String command, final String machine, final Histogram h) throws IOException
    {
        try (PrintStream stream = new PrintStream(Files.newOutputStream(file), true, "UTF-8"))
        {
            stream.println("# " + command + " | " + machine);
            h.outputPercentileDistribution(stream, 1000.0);
        }
        return file;
    }

    private static String jvmOptions()
    {
        final List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(o -> o.startsWith("-Xm") || o.startsWith("-XX:")).toList();
        final String gc = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
            .collect(java.util.stream.Collectors.joining(" + "));
        return (options.isEmpty() ? "" : String.join(" ", options) + ", ") + "collectors " + gc;
    }

    private static double ratio(final long a, final long b)
    {
        return b == 0 ? Double.NaN : (double)a / b;
    }

    private static double ms(final long ns)
    {
        return ns / 1e6;
    }

    /** The baseline: the same HTTP server library answering every ride request 202 at once, doing nothing else. */
    private static final class BareHttp implements AutoCloseable
    {
        private final Javalin app;

        private BareHttp(final Javalin app)
        {
            this.app = app;
        }

        static BareHttp start()
        {
            final Javalin app = Javalin.create(config -> config.routes.post("/api/rides",
                ctx -> ctx.status(202).contentType("application/json").result("{\"status\":\"accepted\"}")));
            app.start("127.0.0.1", 0);
            return new BareHttp(app);
        }

        int port()
        {
            return app.port();
        }

        @Override
        public void close()
        {
            app.stop();
        }
    }

}
