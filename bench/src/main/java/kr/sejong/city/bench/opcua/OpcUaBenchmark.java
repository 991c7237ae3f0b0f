package kr.sejong.city.bench.opcua;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import kr.sejong.city.adapters.opcua.SimulatedField;
import kr.sejong.city.adapters.opcua.client.OpcUaAdapter;
import kr.sejong.city.adapters.opcua.client.OpcUaCounters;
import kr.sejong.city.adapters.opcua.server.FieldServer;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SetpointEncoder;
import kr.sejong.city.codecs.SetpointReason;
import kr.sejong.city.config.ApiKeyHash;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Node;
import kr.sejong.city.core.runtime.IdleStrategies;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The OPC UA benchmark (issue: 1,000 monitored items at 100 ms through one adapter, added latency p99 at most 5 ms,
 * nothing lost; reconnection within 5 s of a server restart, subscriptions restored, no duplicate command), in one
 * JVM: an embedded Aeron media driver (IPC), a {@link FieldServer} hosting N PV inverters (SignAndEncrypt
 * Basic256Sha256 and a user name, as in production; both PKI folders in a temporary directory, each side trusting
 * the other's certificate), the {@link OpcUaAdapter} configured from a city with those inverters, and a plain Aeron
 * subscription on the ingress ({@link IngressTap}).
 * <p>
 * Phases: (1) the baseline: the same rounds of values offered straight to Aeron, no OPC UA; (2) the adapter
 * connects, warms up, then every item gets a new value every {@code updateMs} for {@code durationS}: latencies and
 * values made against values received; (3) {@code restarts} times the server is closed, a Setpoint is sent while
 * it is down, it is started again on the same port and PKI, and the time from server-up to the adapter's ONLINE and
 * to fresh values is taken; a Setpoint after the reconnection must be applied exactly once and the one sent while
 * down never.
 */
public final class OpcUaBenchmark
{
    private static final String PATH = "/sejong-field";
    private static final long NS_PER_MS = 1_000_000L;

    private OpcUaBenchmark()
    {
    }

    /** What to run. */
    public record Settings(int items, int samplingMs, int updateMs, double durationS, double warmupS, int restarts, int downMs,
        boolean baseline)
    {
        public static final int ITEMS_DEFAULT = 1000;
        public static final int SAMPLING_MS_DEFAULT = 100;
        public static final int UPDATE_MS_DEFAULT = 1000;
        public static final double DURATION_S_DEFAULT = 30;
        public static final double WARMUP_S_DEFAULT = 5;
        public static final int RESTARTS_DEFAULT = 5;
        public static final int DOWN_MS_DEFAULT = 1000;
        /** The adapter takes at most this many devices in one go here: the rounds are numbered in an int. */
        public static final int ITEMS_MAX = 100_000;

        /** @throws IllegalArgumentException naming the setting (as the command's option) that is wrong. */
        public Settings
        {
            if (items < 1 || items > ITEMS_MAX)
            {
                throw new IllegalArgumentException("--items must be in [1, " + ITEMS_MAX + "], was " + items);
            }
            if (samplingMs < 1)
            {
                throw new IllegalArgumentException("--sampling-ms must be at least 1, was " + samplingMs);
            }
            if (updateMs < samplingMs)
            {
                throw new IllegalArgumentException("--update-ms must be at least --sampling-ms (" + samplingMs + "), was " + updateMs
                    + ": faster updates are merged by design (each item keeps one value per sampling interval), not lost");
            }
            if (!(durationS > 0) || durationS > 3600)
            {
                throw new IllegalArgumentException("--duration must be in (0, 3600] seconds, was " + durationS);
            }
            if (!(warmupS >= 0) || warmupS > 600)
            {
                throw new IllegalArgumentException("--warmup must be in [0, 600] seconds, was " + warmupS);
            }
            if (restarts < 0 || restarts > 100)
            {
                throw new IllegalArgumentException("--restarts must be in [0, 100], was " + restarts);
            }
            if (downMs < 0 || downMs > 60_000)
            {
                throw new IllegalArgumentException("--down-ms must be in [0, 60000], was " + downMs);
            }
        }

        public static Settings defaults()
        {
            return new Settings(ITEMS_DEFAULT, SAMPLING_MS_DEFAULT, UPDATE_MS_DEFAULT, DURATION_S_DEFAULT, WARMUP_S_DEFAULT,
                RESTARTS_DEFAULT, DOWN_MS_DEFAULT, true);
        }
    }

    /** Values made against values received in one phase; duplicates are values received twice. */
    public record Delivery(long rounds, long made, long received, long lost, long duplicates, int silentItems, double seconds)
    {
        public double perSecond()
        {
            return seconds > 0 ? received / seconds : 0;
        }
    }

    /** Whole-JVM resource use over the measured window (server, adapter, feeder and subscriber together). */
    public record Resources(double seconds, long allocatedBytes, long gcCount, long gcMillis, long cpuNanos)
    {
        public double allocatedMiBPerS()
        {
            return allocatedBytes / 1048576.0 / seconds;
        }

        public double cpuCores()
        {
            return cpuNanos / 1e9 / seconds;
        }
    }

    /** One restart of the server, times from server-up (its {@code start} returned). */
    public record Restart(int index, double closeMs, double startMs, int offlineReported, double onlineFirstMs, double onlineAllMs,
        double freshFirstMs, double freshAllMs, boolean staleSetpointDropped, int staleApplied, int freshApplied, double freshSetpointMs)
    {
        public boolean restored()
        {
            return freshAllMs >= 0;
        }
    }

    /** Everything measured. */
    public record Result(Settings settings, String setup, Delivery baselineDelivery, Histogram baselineNs, Delivery delivery,
        Histogram adapterAddedNs, Histogram arrivalToOfferedNs, Histogram offeredToReceiptNs, Histogram setToArrivalNs, Histogram endToEndNs,
        Histogram framesPerMessage, Resources resources, double connectOnlineMs, double connectFreshMs, List<Restart> restarts,
        long staleApplied, long mismatched, long unpaired, long unknownFrames, long statusOnline, long statusOffline, long statusInvalid,
        long statusDegraded, long reconnectDuplicates, String adapterCounters, long notifications, long published, long dropped,
        long rejected, long connects, long reconnects, long sessionsLost, long commandsSent, long commandsFailed, long commandsDropped)
    {
    }

    /** Runs it all; {@code log} hears of each phase. */
    public static Result run(final Settings settings, final Consumer<String> log) throws IOException, InterruptedException
    {
        final Path tmp = Files.createTempDirectory("city-bench-opcua");
        try
        {
            return new Run(settings, tmp, log).run();
        }
        finally
        {
            IoUtil.delete(tmp.toFile(), true);
        }
    }

    private static final class Run
    {
        private final Settings settings;
        private final Path tmp;
        private final Consumer<String> log;
        private final int items;
        private final String password = ApiKeyHash.newKey("bench-opcua");
        private final ConcurrentLinkedQueue<long[]> setpoints = new ConcurrentLinkedQueue<>();
        private final UnsafeBuffer command = new UnsafeBuffer(ByteBuffer.allocateDirect(256));

        Run(final Settings settings, final Path tmp, final Consumer<String> log)
        {
            this.settings = settings;
            this.tmp = tmp;
            this.log = log;
            this.items = settings.items();
        }

        Result run() throws IOException, InterruptedException
        {
            final int port = SimulatedField.freeLocalPort();
            final String endpoint = "opc.tcp://localhost:" + port + PATH;
            final CityConfig city = BenchField.city(items, endpoint, settings.samplingMs());
            final Node.Aeron channels = city.node().aeron();
            final FieldServer.Context serverContext = new FieldServer.Context()
                .bindAddress("127.0.0.1").hostname("localhost").port(port).path(PATH)
                .pkiDirectory(tmp.resolve("server-pki"))
                .user(BenchField.USER, ApiKeyHash.of(password, ApiKeyHash.DEFAULT_ITERATIONS))
                .devices(BenchField.devices(items))
                .setpointListener((kind, id, name, value, atNs) -> setpoints.add(new long[] { id, value, System.nanoTime() }));

            final ArrivalQueue arrivals = new ArrivalQueue(1 << 17);
            MediaDriver driver = null;
            Aeron aeron = null;
            IngressTap tap = null;
            Feeder feeder = null;
            FieldServer server = null;
            AgentRunner adapterRunner = null;
            ExclusivePublication egress = null;
            try
            {
                driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                    .threadingMode(ThreadingMode.SHARED)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true));
                aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
                final Subscription ingress = aeron.addSubscription(channels.ingressChannel(), channels.ingressStreamId());
                tap = new IngressTap(ingress, arrivals, items, IdleStrategies.of(IdleStrategies.BACKOFF));
                feeder = new Feeder(items, settings.updateMs());

                // (1) the baseline: the same rounds straight to Aeron
                Window baselineWindow = null;
                if (settings.baseline())
                {
                    log.accept("baseline: " + items + " values every " + settings.updateMs() + " ms straight to Aeron, "
                        + settings.warmupS() + " s warmup + " + settings.durationS() + " s");
                    final Publication direct = aeron.addPublication(channels.ingressChannel(), channels.ingressStreamId());
                    await("the baseline publication connected", direct::isConnected, 10_000);
                    tap.source(IngressTap.Source.DIRECT);
                    feeder.direct(direct);
                    baselineWindow = measure(tap, feeder, null);
                    feeder.pause();
                    direct.close();
                }

                // (2) the server, the adapter, the steady flow
                log.accept("OPC UA: field server with " + items + " PV inverters on " + endpoint
                    + " (SignAndEncrypt Basic256Sha256, user name), adapter with samplingMs " + settings.samplingMs());
                server = FieldServer.start(serverContext);
                final Path clientPki = tmp.resolve("node").resolve("pki");
                SimulatedField.trustEachOther(server, clientPki);
                egress = aeron.addExclusivePublication(channels.egressChannel(), channels.egressStreamId());
                final OpcUaAdapter adapter = new OpcUaAdapter(new OpcUaAdapter.Context()
                    .cityConfig(city)
                    .dataDir(tmp.resolve("node"))
                    .environment(name -> BenchField.PASSWORD_ENV.equals(name) ? password : null)
                    .aeron(aeron)
                    .latencyHook((templateId, arrivalNs, offeredNs) ->
                    {
                        if (templateId == GridMeasurementDecoder.TEMPLATE_ID)
                        {
                            arrivals.add(arrivalNs, offeredNs);
                        }
                    }));
                tap.source(IngressTap.Source.ADAPTER);
                feeder.server(server);
                final long firstRound = feeder.nextRound() - 1;
                tap.watch(firstRound);
                final long startNs = System.nanoTime();
                adapterRunner = new AgentRunner(IdleStrategies.of(IdleStrategies.BACKOFF), Throwable::printStackTrace, null, adapter);
                AgentRunner.startOnThread(adapterRunner);
                final IngressTap t = tap;
                await("every item's first value through the adapter (" + adapter.statusLine() + ")",
                    () -> t.allFreshNs() != 0, 60_000);
                final double connectOnlineMs = ms(tap.allOnlineNs() - startNs);
                final double connectFreshMs = ms(tap.allFreshNs() - startNs);
                log.accept(String.format(java.util.Locale.ROOT, "adapter connected: all ONLINE %.0f ms, every item's first value %.0f ms after start",
                    connectOnlineMs, connectFreshMs));
                final Window steady = measure(tap, feeder, adapter);

                // (3) restarts
                final List<Restart> restarts = new ArrayList<>();
                for (int r = 0; r < settings.restarts(); r++)
                {
                    server = restart(r, server, serverContext, feeder, tap, adapter, egress, restarts);
                }
                final long staleApplied = setpoints.stream().filter(s -> isStale(s[1])).count();

                feeder.close();
                feeder = null;
                adapterRunner.close();
                adapterRunner = null;
                tap.close();
                final OpcUaCounters c = adapter.counters();
                return new Result(settings, setup(), baselineWindow == null ? null : baselineWindow.delivery(tap), tap.baselineNs,
                    steady.delivery(tap), tap.adapterAddedNs, tap.arrivalToOfferedNs, tap.offeredToReceiptNs, tap.setToArrivalNs,
                    tap.endToEndNs, tap.framesPerMessage, steady.resources, connectOnlineMs, connectFreshMs, restarts, staleApplied,
                    tap.mismatched(), tap.unpaired(), tap.unknownItems(), tap.onlineStatuses(), tap.offlineStatuses(), tap.invalidStatuses(),
                    tap.degradedStatuses(), tap.duplicates(steady.to, Long.MAX_VALUE), c.toString(), c.notifications(), c.published(), c.dropped(), c.rejectedValues(), c.connects(),
                    c.reconnects(), c.sessionsLost(), c.commandsSent(), c.commandsFailed(), c.commandsDropped());
            }
            finally
            {
                CloseHelper.quietClose(feeder);
                CloseHelper.quietClose(adapterRunner);
                CloseHelper.quietClose(server);
                CloseHelper.quietClose(tap);
                CloseHelper.quietClose(egress);
                CloseHelper.quietClose(aeron);
                CloseHelper.quietClose(driver);
            }
        }

        private String setup()
        {
            return "one JVM: Milo 1.1.2 field server (" + items + " PV inverters, SignAndEncrypt Basic256Sha256, user name) and the "
                + "OpcUaAdapter (samplingMs " + settings.samplingMs() + ", one subscription), over TCP on loopback; ingress over Aeron ipc "
                + "(embedded media driver), read by a plain subscription with the node's backoff idle strategy";
        }

        /** The measured rounds [from, to) of a phase. */
        private record Window(long from, long to, int items, double seconds, Resources resources)
        {
            /** Values made against received, from the tap's books (read after it stopped). */
            Delivery delivery(final IngressTap tap)
            {
                final long made = (to - from) * items;
                final long lost = tap.lost(from, to);
                return new Delivery(to - from, made, made - lost, lost, tap.duplicates(from, to), tap.silentItems(from, to), seconds);
            }
        }

        /** Warmup, then the measured rounds, then waits for their values (at most 10 periods or 5 s). */
        private Window measure(final IngressTap tap, final Feeder feeder, final OpcUaAdapter adapter) throws InterruptedException
        {
            Thread.sleep(Math.round(settings.warmupS() * 1000));
            final long from = feeder.nextRound();
            tap.measure(from, Long.MAX_VALUE);
            final Snapshot before = Snapshot.take();
            Thread.sleep(Math.round(settings.durationS() * 1000));
            final long to = feeder.nextRound();
            final Snapshot after = Snapshot.take();
            tap.measure(from, to);
            final long drainMs = Math.max(5_000, 10L * settings.updateMs());
            final long deadline = System.nanoTime() + drainMs * NS_PER_MS;
            // wait for every value of [from, to) itself, not for a count: values of round `to` received before the
            // window was narrowed would make a count complete while the last round is still on its way (and a restart
            // next would then close the server under it)
            while (System.nanoTime() - deadline < 0 && !tap.complete(from, to))
            {
                Thread.sleep(5);
            }
            if (adapter != null)
            {
                log.accept("measured: " + adapter.statusLine());
            }
            log.accept("rounds not received by every item (measured round: items missing): " + tap.incompleteRounds(from, to));
            final double seconds = (after.wallNs - before.wallNs) / 1e9;
            return new Window(from, to, items, seconds, new Resources(seconds, after.allocatedBytes - before.allocatedBytes,
                after.gcCount - before.gcCount, after.gcMillis - before.gcMillis, after.cpuNanos - before.cpuNanos));
        }

        private FieldServer restart(final int r, final FieldServer running, final FieldServer.Context serverContext, final Feeder feeder,
            final IngressTap tap, final OpcUaAdapter adapter, final ExclusivePublication egress, final List<Restart> restarts)
            throws InterruptedException
        {
            final long droppedBefore = adapter.counters().commandsDropped() + adapter.counters().commandsFailed();
            final long freshRound = feeder.pause();
            tap.watch(freshRound);
            final long closeStartNs = System.nanoTime();
            running.close();
            final long downNs = System.nanoTime();
            final int stale = staleValue(r);
            sendSetpoint(egress, stale);
            Thread.sleep(settings.downMs());
            final long startNs = System.nanoTime();
            final FieldServer server = FieldServer.start(serverContext);
            final long upNs = System.nanoTime();
            feeder.server(server);
            final boolean restored = awaitQuietly(() -> tap.allFreshNs() != 0, 30_000);
            final long droppedAfter = adapter.counters().commandsDropped() + adapter.counters().commandsFailed();

            // a Setpoint after the reconnection: applied once
            final int fresh = freshValue(r);
            final long sentNs = System.nanoTime();
            sendSetpoint(egress, fresh);
            awaitQuietly(() -> applied(fresh) > 0, 5_000);
            final long firstAppliedNs = setpoints.stream().filter(s -> s[1] == fresh).mapToLong(s -> s[2]).min().orElse(-1);
            Thread.sleep(Math.max(1_000, 2L * settings.updateMs()));
            final Restart result = new Restart(r + 1, ms(downNs - closeStartNs), ms(upNs - startNs), tap.offlineSinceWatch(),
                since(tap.firstOnlineNs(), upNs), since(tap.allOnlineNs(), upNs), since(tap.firstFreshNs(), upNs),
                restored ? since(tap.allFreshNs(), upNs) : -1, droppedAfter > droppedBefore, applied(stale), applied(fresh),
                firstAppliedNs < 0 ? -1 : ms(firstAppliedNs - sentNs));
            restarts.add(result);
            log.accept(String.format(java.util.Locale.ROOT,
                "restart %d: closed in %.0f ms, down %d ms, started in %.0f ms; from server-up: first ONLINE %.0f ms, all ONLINE %.0f ms, "
                    + "first fresh value %.0f ms, every item fresh %.0f ms; Setpoint while down %s, applied %d times; after: applied %d times (%.0f ms)",
                r + 1, result.closeMs(), settings.downMs(), result.startMs(), result.onlineFirstMs(), result.onlineAllMs(),
                result.freshFirstMs(), result.freshAllMs(), result.staleSetpointDropped() ? "dropped" : "NOT dropped", result.staleApplied(),
                result.freshApplied(), result.freshSetpointMs()));
            return server;
        }

        private int applied(final int value)
        {
            return (int)setpoints.stream().filter(s -> s[1] == value).count();
        }

        private void sendSetpoint(final ExclusivePublication egress, final int activePowerW)
        {
            final SetpointEncoder m = new SetpointEncoder().wrapAndApplyHeader(command, 0, new MessageHeaderEncoder())
                .deviceId(BenchField.id(0))
                .deviceKind(DeviceKind.PV_INVERTER)
                .activePowerW(activePowerW)
                .reactivePowerVar(0)
                .reason(SetpointReason.CURTAILMENT);
            final long deadline = System.nanoTime() + 5_000 * NS_PER_MS;
            while (egress.offer(command, 0, MessageHeaderEncoder.ENCODED_LENGTH + m.encodedLength()) < 0)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("the egress did not take a Setpoint within 5 s");
                }
                Thread.onSpinWait();
            }
        }

    }

    /** Curtailment limits sent while the server is down (never to be applied) and after reconnection (once). */
    static int staleValue(final int restart)
    {
        return -400_000 - restart;
    }

    static int freshValue(final int restart)
    {
        return -700_000 - restart;
    }

    static boolean isStale(final long value)
    {
        return value <= -400_000 && value > -500_000;
    }

    private record Snapshot(long wallNs, long allocatedBytes, long gcCount, long gcMillis, long cpuNanos)
    {
        static Snapshot take()
        {
            long allocated = 0;
            final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (threads instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemoryEnabled())
            {
                for (final long bytes : sun.getThreadAllocatedBytes(threads.getAllThreadIds()))
                {
                    allocated += Math.max(0, bytes);
                }
            }
            long count = 0;
            long millis = 0;
            for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
            {
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
            long cpu = 0;
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            {
                cpu = os.getProcessCpuTime();
            }
            return new Snapshot(System.nanoTime(), allocated, count, millis, cpu);
        }
    }

    private static double ms(final long ns)
    {
        return ns / 1e6;
    }

    private static double since(final long atNs, final long fromNs)
    {
        return atNs == 0 ? -1 : ms(atNs - fromNs);
    }

    private static void await(final String what, final BooleanSupplier condition, final long timeoutMs) throws InterruptedException
    {
        if (!awaitQuietly(condition, timeoutMs))
        {
            throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting for " + what);
        }
    }

    private static boolean awaitQuietly(final BooleanSupplier condition, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutMs * NS_PER_MS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

}
