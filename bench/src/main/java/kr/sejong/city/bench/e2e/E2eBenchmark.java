package kr.sejong.city.bench.e2e;

import kr.sejong.city.bench.GeneratorProcess;
import kr.sejong.city.bench.JvmFlags;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.IdleStrategies;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.runtime.NodeThreading;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.IoUtil;

/**
 * Runs one stack of the end-to-end benchmark with the load generator in a JVM of its own
 * ({@link LoadGenerator}, started with this JVM's java, the node's flags ({@link JvmFlags}) and this
 * JVM's class path):
 * <ul>
 *   <li>{@link Stack#NODE}: a control node in this JVM (live mode, the {@link BenchLoop} as its only loop,
 *       the node's threading and idle strategy, journaling as asked, a fresh data directory), requests as
 *       SBE over Aeron IPC or UDP;</li>
 *   <li>{@link Stack#CONVENTIONAL}: the {@link ConventionalServer} in this JVM, JSON over TCP.</li>
 * </ul>
 * One stack at a time, so they never compete for the machine.
 */
public final class E2eBenchmark
{
    /** How requests reach the node. */
    public enum Transport
    {
        IPC, UDP;

        public String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What answers the requests. */
    public enum Stack
    {
        NODE("node", "SBE over Aeron, Disruptor ring, Chronicle journal, one loop"),
        CONVENTIONAL("conventional", "JSON over TCP, blocking queue, " + ConventionalServer.WORKERS
            + "-thread pool, synchronous file write + fsync per message");

        private final String label;
        private final String description;

        Stack(final String label, final String description)
        {
            this.label = label;
            this.description = description;
        }

        public String label()
        {
            return label;
        }

        public String description()
        {
            return description;
        }
    }

    /** Settings of one run (defaults: 100,000 msg/s for 10 s after 5 s of warmup, IPC, journaling on). */
    public static final class Settings
    {
        long rate = 100_000;
        long warmupMs = 5_000;
        long durationMs = 10_000;
        long drainMs = 10_000;
        int window = 16_384;
        Transport transport = Transport.IPC;
        boolean journaling = true;
        boolean pretouch = true;
        NodeThreading threading = NodeThreading.LOW_RESOURCE;
        String idleStrategy = IdleStrategies.BACKOFF;
        boolean fsync = true;
        Path dataDir;
        String path = "signal";

        /** Requests per second; 0 to saturate (the throughput run). */
        public Settings rate(final long rate) { this.rate = rate; return this; }
        public long rate() { return rate; }
        public Settings warmupMs(final long warmupMs) { this.warmupMs = warmupMs; return this; }
        public long warmupMs() { return warmupMs; }
        public Settings durationMs(final long durationMs) { this.durationMs = durationMs; return this; }
        public long durationMs() { return durationMs; }
        /** How long to wait for replies once the schedule is over; what is still missing then is counted. */
        public Settings drainMs(final long drainMs) { this.drainMs = drainMs; return this; }
        public long drainMs() { return drainMs; }
        /** Saturating runs: most requests in flight. */
        public Settings window(final int window) { this.window = window; return this; }
        public int window() { return window; }
        public Settings transport(final Transport transport) { this.transport = transport; return this; }
        public Transport transport() { return transport; }
        public Settings journaling(final boolean journaling) { this.journaling = journaling; return this; }
        public boolean journaling() { return journaling; }
        /** The node's journal pretoucher (default on, as in the node); off only to see what it saves. */
        public Settings pretouch(final boolean pretouch) { this.pretouch = pretouch; return this; }
        public boolean pretouch() { return pretouch; }
        public Settings threading(final NodeThreading threading) { this.threading = threading; return this; }
        public NodeThreading threading() { return threading; }
        public Settings idleStrategy(final String idleStrategy) { this.idleStrategy = idleStrategy; return this; }
        public String idleStrategy() { return idleStrategy; }
        /** The conventional stack forces each journal write to disk (as built); off only to see what that costs. */
        public Settings fsync(final boolean fsync) { this.fsync = fsync; return this; }
        public boolean fsync() { return fsync; }
        /** Where journals go (a fresh directory under it per run, deleted afterwards); null: the temp dir. */
        public Settings dataDir(final Path dataDir) { this.dataDir = dataDir; return this; }
        public Path dataDir() { return dataDir; }
        /** "signal" (default: the bench loop's max-pressure decision) or "triage" (the triage loop on the default city). */
        public Settings path(final String path) { this.path = path; return this; }
        public String path() { return path; }

        public Settings copy()
        {
            return new Settings().rate(rate).warmupMs(warmupMs).durationMs(durationMs).drainMs(drainMs).window(window)
                .transport(transport).journaling(journaling).pretouch(pretouch).threading(threading).idleStrategy(idleStrategy).fsync(fsync)
                .dataDir(dataDir).path(path);
        }
    }

    /**
     * One stack's run.
     *
     * @param setup what ran, in words (stack, transport, journaling, threads)
     * @param notes what the system under test counted itself (node counters, server counters)
     * @param inNodeNs the node only: its own ingress-to-egress latency of the decisions after the warmup
     *                 (from about the warmup's length after the first reply to the end), ns; null for the
     *                 conventional stack
     */
    public record StackRun(Stack stack, String setup, GeneratorResult result, String notes, Histogram inNodeNs)
    {
    }

    private E2eBenchmark()
    {
    }

    public static StackRun run(final Stack stack, final Settings settings, final Consumer<String> log) throws IOException, InterruptedException
    {
        return stack == Stack.NODE ? runNode(settings, log) : runConventional(settings, log);
    }

    public static StackRun runNode(final Settings settings, final Consumer<String> log) throws IOException, InterruptedException
    {
        final Path dir = settings.dataDir() == null
            ? Files.createTempDirectory("city-bench-e2e")
            : Files.createTempDirectory(Files.createDirectories(settings.dataDir()), "city-bench-e2e");
        try
        {
            final ControlNode.Context ctx = new ControlNode.Context()
                .dataDir(dir.resolve("node"))
                .mode(NodeMode.LIVE)
                .threading(settings.threading())
                .idleStrategy(settings.idleStrategy())
                .journaling(settings.journaling())
                .journalPretouch(settings.pretouch())
                .addLoop("triage".equals(settings.path())
                    ? new kr.sejong.city.core.loops.emergency.TriageLoop(
                        kr.sejong.city.core.loops.emergency.TriageSettings.from(kr.sejong.city.config.ConfigLoader.loadDefault().config()))
                    : new BenchLoop())
                .errorHandler(error -> log.accept("node error: " + error));
            if (settings.transport() == Transport.UDP)
            {
                ctx.ingressChannel("aeron:udp?endpoint=127.0.0.1:" + freeUdpPort())
                    .egressChannel("aeron:udp?endpoint=127.0.0.1:" + freeUdpPort());
            }
            final String setup = String.format(Locale.ROOT, "%s (%s, Aeron %s, journaling %s, %s threading, %s idle)",
                Stack.NODE.label(), Stack.NODE.description(), settings.transport().label(),
                settings.journaling() ? (settings.pretouch() ? "on" : "on without pretouch") : "off",
                settings.threading().name().toLowerCase(Locale.ROOT).replace('_', '-'), settings.idleStrategy());
            try (ControlNode node = ControlNode.launch(ctx))
            {
                final List<String> args = new ArrayList<>(List.of(
                    "transport=aeron",
                    "aeronDir=" + ctx.aeronDirectoryName(),
                    "ingressChannel=" + ctx.ingressChannel(),
                    "ingressStream=" + ctx.ingressStreamId(),
                    "egressChannel=" + ctx.egressChannel(),
                    "egressStream=" + ctx.egressStreamId()));
                final GeneratorProcess generator = startGenerator(args, settings, dir);
                // the node's own latency record, from the end of the warmup: the first reply starts the warmup
                final long startDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (node.counters().egressMessages() == 0 && generator.isAlive() && System.nanoTime() < startDeadlineNs)
                {
                    Thread.sleep(1);
                }
                Thread.sleep(settings.warmupMs());
                node.egressLatency().getIntervalHistogram(); // drop the warmup
                final GeneratorResult result = generator.await(generatorTimeoutMs(settings), log);
                final Histogram inNode = node.egressLatency().getIntervalHistogram();
                final String notes = String.format(Locale.ROOT,
                    "node counted %,d inputs, %,d egress frames, %,d egress back-pressure retries, %,d given up, %,d errors",
                    node.counters().inputs(), node.counters().egressMessages(), node.counters().egressBackPressure(),
                    node.counters().egressGivenUp(), node.counters().errors());
                return new StackRun(Stack.NODE, setup, result, notes, inNode);
            }
        }
        finally
        {
            IoUtil.delete(dir.toFile(), true);
        }
    }

    public static StackRun runConventional(final Settings settings, final Consumer<String> log) throws IOException, InterruptedException
    {
        final Path dir = settings.dataDir() == null
            ? Files.createTempDirectory("city-bench-e2e")
            : Files.createTempDirectory(Files.createDirectories(settings.dataDir()), "city-bench-e2e");
        try (ConventionalServer server = new ConventionalServer(dir.resolve("conventional-journal.jsonl"), settings.fsync()))
        {
            final String setup = String.format(Locale.ROOT, "%s (%s)", Stack.CONVENTIONAL.label(),
                settings.fsync() ? Stack.CONVENTIONAL.description()
                    : Stack.CONVENTIONAL.description().replace(" + fsync", ", NO fsync"));
            final GeneratorResult result = runGenerator(
                new ArrayList<>(List.of("transport=tcp", "host=127.0.0.1", "port=" + server.port())), settings, dir, log);
            final String notes = String.format(Locale.ROOT, "server handled %,d requests (%,d replies undeliverable: the generator had "
                + "closed the connection at the end of the run), %,d failed", server.handled(), server.undelivered(), server.errors());
            return new StackRun(Stack.CONVENTIONAL, setup, result, notes, null);
        }
        finally
        {
            IoUtil.delete(dir.toFile(), true);
        }
    }

    private static GeneratorResult runGenerator(final List<String> args, final Settings settings, final Path dir, final Consumer<String> log)
        throws IOException, InterruptedException
    {
        return startGenerator(args, settings, dir).await(generatorTimeoutMs(settings), log);
    }

    private static GeneratorProcess startGenerator(final List<String> args, final Settings settings, final Path dir) throws IOException
    {
        args.add("rate=" + settings.rate());
        args.add("warmupMs=" + settings.warmupMs());
        args.add("durationMs=" + settings.durationMs());
        args.add("drainMs=" + settings.drainMs());
        args.add("window=" + settings.window());
        args.add("path=" + settings.path());
        return GeneratorProcess.start(LoadGenerator.class, List.of("-Xms256m", "-Xmx1g"), args, dir);
    }

    private static long generatorTimeoutMs(final Settings settings)
    {
        return settings.warmupMs() + settings.durationMs() + settings.drainMs() + TimeUnit.SECONDS.toMillis(60);
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

}
