package kr.sejong.city.core.runtime;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import kr.sejong.city.codecs.ConfigSnapshotEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.core.journal.Journal;
import kr.sejong.city.core.journal.Snapshots;
import net.openhft.chronicle.queue.ExcerptAppender;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.wire.FrameValidator;
import net.openhft.chronicle.queue.ChronicleQueue;
import org.HdrHistogram.Recorder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.status.AtomicLongPosition;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The control node: ingress agent, Disruptor ring, journal, loops and egress, on an (embedded) Aeron
 * media driver.
 * <pre>
 *   Aeron ingress -> IngressAgent (validate, stamp) -> ring -+-> JournalAgent (ingress journal) -+-> EgressAgent
 *                                                            +-> LoopAgent (decisions)          -+   (egress journal, Aeron egress)
 * </pre>
 * Journal and loops run side by side on each slot; egress waits for both, so every output is preceded
 * in the journal by its input. {@link #close()} stops ingress, drains the ring, flushes the journal
 * and closes the media driver.
 */
public final class ControlNode implements AutoCloseable
{
    /** The configuration hash of a node started without a configuration: SHA-256 of nothing. */
    public static final byte[] NO_CONFIG_SHA256 = sha256(new byte[0]);

    private final Context ctx;
    private final NodeCounters counters;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final ChronicleQueue ingressQueue;
    private final ChronicleQueue egressQueue;
    private final ChronicleQueue snapshotQueue;
    private final RingBuffer<InputEvent> ring;
    private final EventPoller<InputEvent> egressPoller;
    private final IngressAgent ingressAgent;
    private final EgressAgent egressAgent;
    private final List<AgentRunner> runners = new ArrayList<>();
    private final AtomicLongPosition ingressWritePosition = new AtomicLongPosition();
    private final AtomicLongPosition egressWritePosition = new AtomicLongPosition();
    private final Recorder egressLatency = new Recorder(EgressWriter.MAX_LATENCY_NS, 3);
    private final InputLatencies inputLatencies = new InputLatencies();
    private long firstSequence;
    private long recoveredTimeNs;
    private Recovery.Result recovery;
    private boolean closed;

    private ControlNode(final Context ctx)
    {
        this.ctx = ctx;
        final Path dataDir = ctx.dataDir();
        try
        {
            Files.createDirectories(dataDir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create data directory " + dataDir, ex);
        }

        final StatusFile statusFile = StatusFile.create(dataDir, ProcessHandle.current().pid(), System.currentTimeMillis(),
            "dataDir=" + dataDir.toAbsolutePath() + "\nmode=" + ctx.mode() + "\nthreading=" + ctx.threading()
                + "\naeronDir=" + ctx.aeronDirectoryName() + "\ningress=" + ctx.ingressChannel() + " stream "
                + ctx.ingressStreamId() + "\negress=" + ctx.egressChannel() + " stream " + ctx.egressStreamId());
        counters = new NodeCounters(statusFile, SystemEpochClock.INSTANCE);
        counters.nodeState.setRelease(NodeCounters.STATE_STARTING);
        final ErrorHandler errorHandler = this::onError;

        MediaDriver driver = null;
        Aeron aeron = null;
        ChronicleQueue ingressQueue = null;
        ChronicleQueue egressQueue = null;
        ChronicleQueue snapshotQueue = null;
        try
        {
            final boolean lowResource = ctx.threading() != NodeThreading.DEDICATED;
            final boolean driverOnNodeThread = ctx.threading() == NodeThreading.SINGLE && ctx.embeddedDriver();
            if (ctx.embeddedDriver())
            {
                driver = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(ctx.aeronDirectoryName())
                    .threadingMode(driverOnNodeThread ? ThreadingMode.INVOKER : lowResource ? ThreadingMode.SHARED : ThreadingMode.DEDICATED)
                    .sharedIdleStrategy(IdleStrategies.of(IdleStrategies.BACKOFF))
                    .ipcTermBufferLength(ctx.termBufferLength())
                    .publicationTermBufferLength(ctx.termBufferLength())
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .errorHandler(errorHandler));
            }
            // with the driver on the node's thread, the client runs it while it waits for the driver's answers
            // (adding the subscription and publication below, before the node's thread starts)
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .useConductorAgentInvoker(lowResource)
                .driverAgentInvoker(driverOnNodeThread ? driver.sharedAgentInvoker() : null)
                .errorHandler(errorHandler));

            final Subscription ingress = aeron.addSubscription(ctx.ingressChannel(), ctx.ingressStreamId());
            final ExclusivePublication egress = aeron.addExclusivePublication(ctx.egressChannel(), ctx.egressStreamId());

            ingressQueue = Journal.openForWrite(Journal.ingressDir(dataDir), ctx.journalRollCycle());
            egressQueue = Journal.openForWrite(Journal.egressDir(dataDir), ctx.journalRollCycle());
            snapshotQueue = Journal.openForWrite(Snapshots.dir(dataDir), ctx.journalRollCycle());

            // continue an existing journal: rebuild the loops' state, no gap, no repeat, nothing lost
            final byte[] configSha256 = ctx.configSha256();
            try (ExcerptAppender recoveryAppender = egressQueue.createAppender())
            {
                recovery = Recovery.run(dataDir, ctx.loops(), configSha256, (firstEgress, lastChain) ->
                {
                    final EgressWriter writer = new EgressWriter(egress, counters, ctx.egressRetryLimit(), firstEgress, lastChain,
                        egressLatency, ctx.journaling(), egressWritePosition);
                    writer.appender(recoveryAppender);
                    return writer;
                });
            }
            firstSequence = recovery.nextSequence();
            recoveredTimeNs = recovery.lastTimeNs();
            counters.lastSequence.setRelease(firstSequence - 1);
            counters.recoveredInputs.setRelease(recovery.replayedInputs());
            counters.reemittedOutputs.setRelease(recovery.reemittedOutputs());
            for (final String note : recovery.notes())
            {
                onError(new IllegalStateException("recovery: " + note));
            }

            ring = RingBuffer.createSingleProducer(InputEvent::new, ctx.ringSize(), new BusySpinWaitStrategy());
            final EventPoller<InputEvent> journalPoller = ring.newPoller();
            final EventPoller<InputEvent> loopPoller = ring.newPoller();
            egressPoller = ring.newPoller(journalPoller.getSequence(), loopPoller.getSequence());
            ring.addGatingSequences(egressPoller.getSequence());

            ingressAgent = new IngressAgent(ingress, ring, new FrameValidator(ctx.maxFrameLength()), counters,
                ctx.epochNanoClock(), ctx.mode() == NodeMode.SIMULATED, ctx.fragmentLimit(), firstSequence,
                recoveredTimeNs, configSnapshotFrame(ctx));
            final JournalAgent journalAgent = new JournalAgent(journalPoller, ingressQueue, counters, ctx.batchLimit(),
                recovery.ingressChain(), ctx.journaling(), ingressWritePosition);
            final LoopAgent loopAgent = new LoopAgent(loopPoller, ctx.loops(), counters, ctx.batchLimit(), snapshotQueue,
                configSha256, ctx.snapshotInterval(), recovery.egress().nextEgressSequence());
            egressAgent = new EgressAgent(egressPoller, egressQueue, recovery.egress(), ctx.batchLimit(), inputLatencies);

            final List<Agent> agents = new ArrayList<>();
            agents.add(ingressAgent);
            agents.add(journalAgent);
            agents.add(loopAgent);
            agents.add(egressAgent);
            if (ctx.mode() == NodeMode.LIVE)
            {
                final Publication tickPublication = aeron.addExclusivePublication(ctx.ingressChannel(), ctx.ingressStreamId());
                agents.add(new ClockAgent(tickPublication, ctx.epochNanoClock(), ctx.tickPeriodNs()));
            }

            if (ctx.journaling() && ctx.journalPretouch())
            {
                // its own thread, sleeping between rounds: the page faults it takes are the ones the node's
                // thread no longer takes (JournalPretoucher)
                final JournalPretoucher pretoucher = new JournalPretoucher(
                    List.of(Journal.ingressDir(dataDir), Journal.egressDir(dataDir)),
                    List.of(ingressWritePosition, egressWritePosition), JournalPretoucher.AHEAD_BYTES_DEFAULT);
                final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), this::onError, null, pretoucher);
                runners.add(runner);
                AgentRunner.startOnThread(runner);
            }

            if (lowResource)
            {
                final AgentInvoker conductor = aeron.conductorAgentInvoker();
                agents.add(0, new InvokerAgent(conductor, "aeron-client"));
                if (driverOnNodeThread)
                {
                    agents.add(0, new InvokerAgent(driver.sharedAgentInvoker(), "aeron-driver"));
                }
                start(new CompositeAgent(agents), "node", true);
            }
            else
            {
                boolean first = true;
                for (final Agent agent : agents)
                {
                    start(agent, agent.roleName(), first);
                    first = false;
                }
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(runners);
            CloseHelper.quietCloseAll(aeron, driver, ingressQueue, egressQueue, snapshotQueue, counters);
            throw ex;
        }
        this.driver = driver;
        this.aeron = aeron;
        this.ingressQueue = ingressQueue;
        this.egressQueue = egressQueue;
        this.snapshotQueue = snapshotQueue;
        counters.nodeState.setRelease(NodeCounters.STATE_RUNNING);
    }

    /** Start a node; the context is concluded (validated, defaults filled in) first. */
    public static ControlNode launch(final Context ctx)
    {
        ctx.conclude();
        return new ControlNode(ctx);
    }

    private void start(final Agent agent, final String threadName, final boolean heartbeat)
    {
        final DutyCycleAgent timed = new DutyCycleAgent("city-" + threadName, agent, counters.dutyCycleCounter(threadName),
            heartbeat ? counters.heartbeatMs : null);
        final AgentRunner runner = new AgentRunner(IdleStrategies.of(ctx.idleStrategy()), this::onError, null, timed);
        runners.add(runner);
        AgentRunner.startOnThread(runner);
    }

    private void onError(final Throwable error)
    {
        counters.recordError(error);
        if (ctx.errorHandler() != null)
        {
            ctx.errorHandler().onError(error);
        }
    }

    static int configSnapshotLength(final String source, final byte[] yaml)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + ConfigSnapshotEncoder.BLOCK_LENGTH
            + ConfigSnapshotEncoder.sourceHeaderLength() + source.getBytes(StandardCharsets.UTF_8).length
            + ConfigSnapshotEncoder.configYamlHeaderLength() + yaml.length;
    }

    private static DirectBuffer configSnapshotFrame(final Context ctx)
    {
        if (ctx.configYaml() == null)
        {
            return null;
        }
        final byte[] yaml = ctx.configYaml();
        final byte[] source = ctx.configSource().getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[configSnapshotLength(ctx.configSource(), yaml)]);
        final ConfigSnapshotEncoder encoder = new ConfigSnapshotEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .schemaVersion(ConfigSnapshotEncoder.SCHEMA_VERSION)
            .putConfigSha256(sha256(yaml), 0, ConfigSnapshotEncoder.configSha256Length())
            .putSource(source, 0, source.length)
            .putConfigYaml(yaml, 0, yaml.length);
        if (MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength() != buffer.capacity())
        {
            throw new IllegalStateException("ConfigSnapshot length mismatch");
        }
        return buffer;
    }

    public static byte[] sha256(final byte[] bytes)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public Context context()
    {
        return ctx;
    }

    public NodeCounters counters()
    {
        return counters;
    }

    /**
     * What start-up found: whether the loops' state was carried over from the journal (and from which
     * snapshot), how many inputs were replayed and how many lost outputs were sent again.
     */
    public String recoverySummary()
    {
        if (firstSequence == 0)
        {
            return "fresh journal";
        }
        if (!recovery.carriedOver())
        {
            return "journal continued at sequence " + firstSequence + "; loops start fresh (another configuration)";
        }
        return "journal continued at sequence " + firstSequence + "; loop state rebuilt from "
            + (recovery.restoredFromSequence() >= 0 ? "the snapshot at " + recovery.restoredFromSequence() : "the epoch's start")
            + " and " + recovery.replayedInputs() + " journaled inputs; " + recovery.reemittedOutputs() + " lost outputs sent again";
    }

    /**
     * Latency of every decision, from its input reaching ingress (the duty cycle that stamped it) to its
     * publication on egress, in ns. Take interval histograms from it; recording never allocates or blocks.
     */
    public Recorder egressLatency()
    {
        return egressLatency;
    }

    /**
     * Latency of the decisions on inputs of one kind (SBE template id), from the input reaching ingress to the
     * publication of its last output on egress, in ns: one value per input that had an output. Null when no such
     * input has had an output yet. Take interval histograms from it.
     */
    public Recorder decisionLatency(final int templateId)
    {
        return inputLatencies.recorder(templateId);
    }

    /** Sequence number the first input of this run got (0 for a fresh journal). */
    public long firstSequence()
    {
        return firstSequence;
    }

    /**
     * Logical time of the last journaled input before this run (0 for a fresh journal): in simulated
     * mode, a Tick earlier than this is refused, so a simulation continuing a journal starts later.
     */
    public long recoveredTimeNs()
    {
        return recoveredTimeNs;
    }

    /** Stop taking input, drain the ring, flush the journal, close Aeron and the media driver. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        counters.nodeState.setRelease(NodeCounters.STATE_DRAINING);
        ingressAgent.close();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ingressAgent.isStopped() && System.nanoTime() < deadlineNs && anyRunnerAlive())
        {
            sleepMs();
        }
        while (egressPoller.getSequence().get() < ring.getCursor() && System.nanoTime() < deadlineNs && anyRunnerAlive())
        {
            sleepMs();
        }
        if (egressPoller.getSequence().get() < ring.getCursor())
        {
            onError(new IllegalStateException("ring not drained within 10 s: "
                + (ring.getCursor() - egressPoller.getSequence().get()) + " inputs not yet through egress"));
        }
        CloseHelper.closeAll(runners);
        CloseHelper.closeAll(aeron, driver, ingressQueue, egressQueue, snapshotQueue);
        counters.nodeState.setRelease(NodeCounters.STATE_CLOSED);
        counters.close();
    }

    private boolean anyRunnerAlive()
    {
        for (final AgentRunner runner : runners)
        {
            if (!runner.isClosed() && runner.thread() != null && runner.thread().isAlive())
            {
                return true;
            }
        }
        return false;
    }

    private static void sleepMs()
    {
        try
        {
            Thread.sleep(1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs the Aeron client conductor on the node's own thread in low-resource mode, and in single-thread mode the
     * media driver too.
     */
    private static final class InvokerAgent implements Agent
    {
        private final AgentInvoker invoker;
        private final String roleName;

        InvokerAgent(final AgentInvoker invoker, final String roleName)
        {
            this.invoker = invoker;
            this.roleName = roleName;
        }

        @Override
        public int doWork()
        {
            return invoker.invoke();
        }

        @Override
        public String roleName()
        {
            return roleName;
        }
    }

    /**
     * Settings of a node, with defaults; {@link #conclude()} validates them and names the setting that
     * is wrong.
     */
    public static final class Context
    {
        public static final long TICK_PERIOD_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(100);
        public static final int RING_SIZE_DEFAULT = 65536;
        public static final int MAX_FRAME_LENGTH_DEFAULT = 1024 * 1024;
        public static final int EGRESS_RETRY_LIMIT_DEFAULT = 1000;
        public static final String CHANNEL_DEFAULT = "aeron:ipc";
        public static final int INGRESS_STREAM_ID_DEFAULT = 1001;
        public static final int EGRESS_STREAM_ID_DEFAULT = 1002;
        public static final int TERM_BUFFER_LENGTH_DEFAULT = 16 * 1024 * 1024;
        /** Inputs between two state snapshots: a restart replays at most this many. */
        public static final long SNAPSHOT_INTERVAL_DEFAULT = 100_000;

        private Path dataDir;
        private NodeMode mode = NodeMode.LIVE;
        private NodeThreading threading = NodeThreading.LOW_RESOURCE;
        private String idleStrategy = IdleStrategies.BACKOFF;
        private long tickPeriodNs = TICK_PERIOD_DEFAULT_NS;
        private int ringSize = RING_SIZE_DEFAULT;
        private int maxFrameLength = MAX_FRAME_LENGTH_DEFAULT;
        private String journalRollCycle = Journal.DEFAULT_ROLL_CYCLE;
        private int egressRetryLimit = EGRESS_RETRY_LIMIT_DEFAULT;
        private boolean embeddedDriver = true;
        private String aeronDirectoryName;
        private String ingressChannel = CHANNEL_DEFAULT;
        private int ingressStreamId = INGRESS_STREAM_ID_DEFAULT;
        private String egressChannel = CHANNEL_DEFAULT;
        private int egressStreamId = EGRESS_STREAM_ID_DEFAULT;
        private int termBufferLength = TERM_BUFFER_LENGTH_DEFAULT;
        private int fragmentLimit = 256;
        private int batchLimit = 1024;
        private long snapshotInterval = SNAPSHOT_INTERVAL_DEFAULT;
        private boolean journaling = true;
        private boolean journalPretouch = true;
        private List<ControlLoop> loops = new ArrayList<>();
        private byte[] configYaml;
        private String configSource = "";
        private EpochNanoClock epochNanoClock;
        private ErrorHandler errorHandler;
        private boolean concluded;

        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            require(dataDir != null, "dataDir", "is required");
            require(mode != null, "mode", "is required");
            require(threading != null, "threading", "is required");
            require(IdleStrategies.isKnown(idleStrategy), "idleStrategy",
                "must be one of backoff, yielding, busy-spin, sleeping, was " + idleStrategy);
            require(tickPeriodNs >= TimeUnit.MILLISECONDS.toNanos(1), "tickPeriod", "must be at least 1 ms, was " + tickPeriodNs + " ns");
            require(ringSize > 0 && Integer.bitCount(ringSize) == 1, "ringSize", "must be a power of two, was " + ringSize);
            require(maxFrameLength >= 64 && maxFrameLength <= 16 * 1024 * 1024, "maxFrameLength",
                "must be 64 bytes to 16 MiB, was " + maxFrameLength);
            require(journalRollCycle != null && Journal.isRollCycle(journalRollCycle), "journalRollCycle",
                "is not a Chronicle roll cycle: " + journalRollCycle);
            require(egressRetryLimit >= 0, "egressRetryLimit", "must be >= 0, was " + egressRetryLimit);
            require(ingressChannel != null && ingressChannel.startsWith("aeron:"), "ingressChannel", "must be an Aeron channel URI, was " + ingressChannel);
            require(egressChannel != null && egressChannel.startsWith("aeron:"), "egressChannel", "must be an Aeron channel URI, was " + egressChannel);
            require(!(ingressChannel.equals(egressChannel) && ingressStreamId == egressStreamId), "egressStreamId",
                "must differ from ingressStreamId on the same channel");
            require(Integer.bitCount(termBufferLength) == 1 && termBufferLength >= 64 * 1024, "termBufferLength",
                "must be a power of two of at least 64 KiB, was " + termBufferLength);
            require(maxFrameLength <= termBufferLength / 8, "maxFrameLength", "must be at most termBufferLength / 8 (Aeron's limit)");
            require(fragmentLimit > 0, "fragmentLimit", "must be positive");
            require(snapshotInterval >= 0, "snapshotInterval", "must be >= 0, was " + snapshotInterval);
            require(batchLimit > 0, "batchLimit", "must be positive");
            require(loops != null, "loops", "is required");
            if (configYaml != null)
            {
                // the snapshot goes through ingress like any input and must never be cut short
                final int snapshotLength = configSnapshotLength(configSource, configYaml);
                require(snapshotLength <= maxFrameLength, "maxFrameLength",
                    "must hold the configuration snapshot (" + snapshotLength + " bytes), was " + maxFrameLength);
            }
            final List<String> names = new ArrayList<>();
            for (final ControlLoop loop : loops)
            {
                require(!names.contains(loop.name()), "loops", "two loops named '" + loop.name() + "'");
                names.add(loop.name());
            }
            if (aeronDirectoryName == null)
            {
                aeronDirectoryName = defaultAeronDirectory(dataDir);
            }
            if (epochNanoClock == null)
            {
                epochNanoClock = new SystemEpochNanoClock();
            }
            concluded = true;
            return this;
        }

        private static void require(final boolean condition, final String setting, final String problem)
        {
            if (!condition)
            {
                throw new IllegalArgumentException("node setting '" + setting + "' " + problem);
            }
        }

        /** A media driver directory of its own per data directory, in shared memory where there is some. */
        static String defaultAeronDirectory(final Path dataDir)
        {
            final Path abs = dataDir.toAbsolutePath().normalize();
            final String suffix = Integer.toHexString(abs.toString().hashCode());
            final Path shm = Path.of("/dev/shm");
            final Path base = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
            return base.resolve("sejong-city-" + System.getProperty("user.name", "node") + "-" + suffix).toString();
        }

        public Path dataDir() { return dataDir; }
        public Context dataDir(final Path dataDir) { this.dataDir = dataDir; return this; }
        public NodeMode mode() { return mode; }
        public Context mode(final NodeMode mode) { this.mode = mode; return this; }
        public NodeThreading threading() { return threading; }
        public Context threading(final NodeThreading threading) { this.threading = threading; return this; }
        public String idleStrategy() { return idleStrategy; }
        public Context idleStrategy(final String idleStrategy) { this.idleStrategy = idleStrategy; return this; }
        public long tickPeriodNs() { return tickPeriodNs; }
        public Context tickPeriodNs(final long tickPeriodNs) { this.tickPeriodNs = tickPeriodNs; return this; }
        public int ringSize() { return ringSize; }
        public Context ringSize(final int ringSize) { this.ringSize = ringSize; return this; }
        public int maxFrameLength() { return maxFrameLength; }
        public Context maxFrameLength(final int maxFrameLength) { this.maxFrameLength = maxFrameLength; return this; }
        public String journalRollCycle() { return journalRollCycle; }
        public Context journalRollCycle(final String journalRollCycle) { this.journalRollCycle = journalRollCycle; return this; }
        public int egressRetryLimit() { return egressRetryLimit; }
        public Context egressRetryLimit(final int egressRetryLimit) { this.egressRetryLimit = egressRetryLimit; return this; }
        public boolean embeddedDriver() { return embeddedDriver; }
        public Context embeddedDriver(final boolean embeddedDriver) { this.embeddedDriver = embeddedDriver; return this; }
        public String aeronDirectoryName() { return aeronDirectoryName; }
        public Context aeronDirectoryName(final String aeronDirectoryName) { this.aeronDirectoryName = aeronDirectoryName; return this; }
        public String ingressChannel() { return ingressChannel; }
        public Context ingressChannel(final String ingressChannel) { this.ingressChannel = ingressChannel; return this; }
        public int ingressStreamId() { return ingressStreamId; }
        public Context ingressStreamId(final int ingressStreamId) { this.ingressStreamId = ingressStreamId; return this; }
        public String egressChannel() { return egressChannel; }
        public Context egressChannel(final String egressChannel) { this.egressChannel = egressChannel; return this; }
        public int egressStreamId() { return egressStreamId; }
        public Context egressStreamId(final int egressStreamId) { this.egressStreamId = egressStreamId; return this; }
        public int termBufferLength() { return termBufferLength; }
        public Context termBufferLength(final int termBufferLength) { this.termBufferLength = termBufferLength; return this; }
        public int fragmentLimit() { return fragmentLimit; }
        public Context fragmentLimit(final int fragmentLimit) { this.fragmentLimit = fragmentLimit; return this; }
        public int batchLimit() { return batchLimit; }
        public Context batchLimit(final int batchLimit) { this.batchLimit = batchLimit; return this; }
        public boolean journaling() { return journaling; }
        public boolean journalPretouch() { return journalPretouch; }
        /**
         * Read the journal's pages ahead of its writers on a thread of their own (default on), so the node's
         * thread does not stall on page faults into the sparse cycle files: {@link JournalPretoucher}.
         */
        public Context journalPretouch(final boolean journalPretouch) { this.journalPretouch = journalPretouch; return this; }
        /**
         * Journal input and output (default). Off only to measure what journaling costs: without the journal
         * nothing can be replayed or recovered.
         */
        public Context journaling(final boolean journaling) { this.journaling = journaling; return this; }
        public long snapshotInterval() { return snapshotInterval; }
        /** Snapshot the loops' state every this many inputs (0: only when asked, and at a clean stop). */
        public Context snapshotInterval(final long snapshotInterval) { this.snapshotInterval = snapshotInterval; return this; }
        public List<ControlLoop> loops() { return loops; }
        public Context loops(final List<ControlLoop> loops) { this.loops = new ArrayList<>(loops); return this; }
        public Context addLoop(final ControlLoop loop) { this.loops.add(loop); return this; }
        public byte[] configYaml() { return configYaml; }
        public String configSource() { return configSource; }

        /** SHA-256 of the configuration bytes ({@link ControlNode#NO_CONFIG_SHA256} without a configuration). */
        public byte[] configSha256()
        {
            return configYaml == null ? NO_CONFIG_SHA256.clone() : sha256(configYaml);
        }

        /** The configuration this run uses; journaled first as a ConfigSnapshot. */
        public Context configSnapshot(final String source, final byte[] yaml)
        {
            this.configSource = source;
            this.configYaml = yaml;
            return this;
        }

        public EpochNanoClock epochNanoClock() { return epochNanoClock; }
        public Context epochNanoClock(final EpochNanoClock epochNanoClock) { this.epochNanoClock = epochNanoClock; return this; }
        public ErrorHandler errorHandler() { return errorHandler; }
        public Context errorHandler(final ErrorHandler errorHandler) { this.errorHandler = errorHandler; return this; }
    }
}
