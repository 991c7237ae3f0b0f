package kr.sejong.city.adapters.twin.opcua;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.adapters.opcua.SimulatedField;
import kr.sejong.city.adapters.opcua.client.OpcUaAdapter;
import kr.sejong.city.adapters.opcua.client.OpcUaCounters;
import kr.sejong.city.adapters.opcua.client.ServerSettings;
import kr.sejong.city.adapters.opcua.server.ControllerTopology;
import kr.sejong.city.adapters.opcua.server.FieldDevice;
import kr.sejong.city.adapters.opcua.server.FieldServer;
import kr.sejong.city.adapters.opcua.server.FieldVariable;
import kr.sejong.city.adapters.opcua.server.IntersectionController;
import kr.sejong.city.adapters.twin.FieldBridge;
import kr.sejong.city.adapters.twin.TrafficLight;
import kr.sejong.city.adapters.twin.TwinException;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.DeviceState;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.config.ApiKeyHash;
import kr.sejong.city.config.CityConfig;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The SUMO twin's traffic lights as OPC UA intersection controllers: a {@link FieldServer} hosts one controller per
 * light, our {@link OpcUaAdapter} is its client, and the node's signal loop is driven through them
 * (docs/opcua.md, "The SUMO twin through OPC UA").
 * <pre>
 * SUMO -> bridge: LaneObservations variable (SourceTimestamp = simulation time) -> adapter -> ingress -> node
 * node -> egress -> adapter -> SetSignalState -> controller (own conflict check, clearance guard) -> bridge -> SUMO
 * </pre>
 * <h2>The lockstep barrier</h2>
 * <ul>
 *   <li>One ingress log: the twin's Ticks and the adapter's observations go through the same concurrent
 *   {@link Publication} ({@link Context#ingress}), so the node reads them in the order they were offered.</li>
 *   <li>Before the Tick: the bridge reads the ingress stream too (a second subscription) and waits until it has seen,
 *   for every intersection, a LaneObservations since it wrote this step's reading, the last one seen carrying that
 *   reading's values. Seen there means offered, so the Tick offered next lands behind it. Every reading makes one (the
 *   adapter asks for every reading, trigger StatusValueTimestamp, and each has a new SourceTimestamp); a notification
 *   message the client gets twice (Milo republishes on a sequence gap) makes a second one with the same values, which
 *   changes nothing: the node keeps the last observation before the Tick, stamped with the previous Tick's time, exactly
 *   as on the direct path.</li>
 *   <li>After the Tick: the twin waits for the tick's SignalCommands on egress as always, then the bridge waits until
 *   every controller has taken (or refused) its command of this step (one per step, counted) and hands SUMO what the
 *   controllers show.</li>
 *   <li>Anything that would break the one-reading-one-observation count (a lost session, a reconnection) fails the
 *   run rather than let it go on out of step.</li>
 * </ul>
 * <h2>Time</h2>
 * The controllers run on the simulation's time ({@link #beginStep}), never the wall clock: the watchdog counts
 * simulated seconds between commands (one per step), the plan counts its cycle from simulation time 0 as SUMO
 * does, and the clearance guard times its yellows in simulated time. The adapter's CentralHeartbeat writes come on
 * the wall clock's second and are stamped with the simulated time they arrive at.
 * <h2>Security</h2>
 * SignAndEncrypt (Basic256Sha256) and a user name with a fresh random password per run; the server's PKI and the
 * adapter's under {@link Context#pkiDir}, each trusting the other's certificate, set up here (said in the log).
 */
public final class OpcUaBridge implements FieldBridge
{
    /** The server's name for its adapter. */
    public static final String SERVER_NAME = "twin-field";
    private static final String USER = "twin-bridge";
    private static final int FRAGMENT_LIMIT = 256;

    private final Context ctx;
    private final SimulatedClock clock = new SimulatedClock();
    private final IdleStrategy idle = new BackoffIdleStrategy(64, 16, 1_000, 50_000);
    private final FragmentAssembler assembler = new FragmentAssembler(this::onIngress);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final LaneObservationsDecoder observations = new LaneObservationsDecoder();
    private final DeviceStatusDecoder deviceStatus = new DeviceStatusDecoder();
    private final IntersectionTopologyDecoder topology = new IntersectionTopologyDecoder();

    private FieldServer server;
    private OpcUaAdapter adapter;
    private AgentRunner adapterRunner;
    private Subscription spy;
    private Subscription adapterEgress;
    private int timeoutMs;
    private int n;
    private IntersectionController[] controllers;
    private FieldVariable[] laneObservations;
    private String[] lightIds;
    private long[][] written;
    private int[] writtenLanes;
    /** LaneObservations seen on ingress since the last reading was written, per intersection. */
    private long[] seenSinceWrite;
    private boolean[] topologySeen;
    private boolean[] seenMatches;
    private String[] lastStatus;
    private TwinException failure;
    private long steps;

    // counters for the summary
    private long observationsWritten;
    private long observationsOnIngress;
    private long commandsTaken;
    private long commandsRefused;
    private long commandsHeld;
    private long observationWaitNs;
    private long commandWaitNs;

    public OpcUaBridge(final Context ctx)
    {
        ctx.conclude();
        this.ctx = ctx;
    }

    @Override
    public void start(final List<TrafficLight> lights, final long startNs, final int timeoutMs)
    {
        this.timeoutMs = timeoutMs;
        n = lights.size();
        clock.set(startNs);
        final List<FieldDevice> devices = new ArrayList<>(n);
        final List<ServerSettings.Device> served = new ArrayList<>(n);
        lightIds = new String[n];
        for (int i = 0; i < n; i++)
        {
            devices.add(FieldDevice.intersection(i + 1, ControllerTopology.of(lights.get(i))));
            served.add(new ServerSettings.Device(FieldNodes.Kind.INTERSECTION, i + 1));
            lightIds[i] = lights.get(i).id();
        }
        final String password = SimulatedField.randomPassword();
        final int port = ctx.port() > 0 ? ctx.port() : SimulatedField.freeLocalPort();
        server = FieldServer.start(new FieldServer.Context()
            .bindAddress("127.0.0.1")
            .hostname("127.0.0.1")
            .port(port)
            .path("/sejong-twin")
            .applicationName("Sejong SUMO twin field server")
            .pkiDirectory(ctx.pkiDir().resolve("field-server"))
            .user(USER, ApiKeyHash.of(password, ApiKeyHash.MIN_ITERATIONS))
            .epochNanoClock(clock)
            .tickIntervalMs(0)                                  // moved on by the simulation only
            .planOriginNs(startNs)                              // SUMO starts its programs at simulation time 0
            .watchdogMs(ctx.watchdogMs())
            .minPublishingIntervalMs(ctx.publishingIntervalMs())
            .devices(devices));
        controllers = new IntersectionController[n];
        laneObservations = new FieldVariable[n];
        for (int i = 0; i < n; i++)
        {
            controllers[i] = server.intersection(i + 1);
            laneObservations[i] = server.variable(FieldNodes.Kind.INTERSECTION, i + 1, FieldNodes.LANE_OBSERVATIONS);
        }
        written = new long[n][];
        writtenLanes = new int[n];
        seenSinceWrite = new long[n];
        topologySeen = new boolean[n];
        seenMatches = new boolean[n];
        lastStatus = new String[n];

        // before the adapter exists, so it sees everything the adapter offers
        spy = ctx.aeron().addSubscription(ctx.ingressChannel(), ctx.ingressStreamId());
        adapterEgress = ctx.aeron().addSubscription(ctx.egressChannel(), ctx.egressStreamId());
        final Path clientPki = ctx.pkiDir().resolve("client");
        adapter = new OpcUaAdapter(new OpcUaAdapter.Context()
            .cityConfig(ctx.cityConfig())
            .dataDir(ctx.pkiDir())
            .pkiDir(clientPki)
            .ingress(ctx.ingress())
            .egress(adapterEgress)
            .servers(List.of(new ServerSettings(SERVER_NAME, server.endpointUrl(), "Basic256Sha256", "SignAndEncrypt", USER, password,
                ctx.publishingIntervalMs(), served)))
            .initialBackoffMs(200)
            .maxBackoffMs(1000));
        // mutual trust, as an operator would set it up by moving files: each side's certificate into the other's trusted/certs
        SimulatedField.trustEachOther(server, clientPki);
        ctx.log().accept("opcua bridge: field server " + server.endpointUrl() + " (SignAndEncrypt Basic256Sha256, user " + USER +
            ", a random password for this run), " + n + " intersection controller(s); trust set up programmatically: the adapter's " +
            "certificate is in " + server.pki().trustedCertsDirectory() + ", the server's in " + clientPki.resolve("trusted").resolve("certs"));
    }

    @Override
    public void beginStep(final long timeNs)
    {
        clock.set(timeNs);
        server.tick(); // plans, watchdogs and heartbeats move on to the simulation's time
    }

    @Override
    public void observe(final int index, final int lanes, final int[] vehicles, final int[] halting, final int[] occupancyPermille,
        final int[] meanSpeedCmPerS)
    {
        final int width = FieldNodes.LANE_OBSERVATION_WIDTH_WITH_SPEED;
        long[] values = written[index];
        if (values == null || values.length != lanes * width)
        {
            values = new long[lanes * width];
            written[index] = values;
        }
        for (int l = 0; l < lanes; l++)
        {
            // the same clamping as the twin's own frames (TwinFrames), so the node gets the same numbers either way
            values[l * width] = clampUint16(vehicles[l]);
            values[l * width + 1] = clampUint16(halting[l]);
            values[l * width + 2] = clampUint16(occupancyPermille[l]);
            values[l * width + 3] = meanSpeedCmPerS[l] < 0 ? FieldNodes.NO_SPEED : clampUint16(meanSpeedCmPerS[l]);
        }
        writtenLanes[index] = lanes;
        seenSinceWrite[index] = 0;
        seenMatches[index] = false;
        laneObservations[index].set(values, values.length, clock.nanoTime());
        observationsWritten++;
    }

    private static long clampUint16(final long value)
    {
        return Math.max(0, Math.min(65534, value));
    }

    @Override
    public void awaitObservations(final long step)
    {
        final long startNs = System.nanoTime();
        if (adapterRunner == null)
        {
            // the first readings are written: the adapter's subscription starts with them (no "waiting for data" value)
            adapterRunner = new AgentRunner(new BackoffIdleStrategy(64, 16, 1_000, 100_000), this::onAdapterError, null, adapter);
            AgentRunner.startOnThread(adapterRunner);
            await(() -> allTrue(topologySeen), () -> "the topologies of intersection(s) " + missing(i -> !topologySeen[i]) +
                " through OPC UA (adapter: " + adapter.problem(SERVER_NAME) + ")");
        }
        // every reading makes one LaneObservations; a notification message the OPC UA client receives again (a republish)
        // makes a second one with the same values, harmless: what the node holds at the Tick is the last one
        await(this::allObserved, () -> "LaneObservations of step " + step + " with the values written, from intersection(s) " +
            missing(i -> seenSinceWrite[i] == 0 || !seenMatches[i]) + ", on ingress");
        steps++;
        observationWaitNs += System.nanoTime() - startNs;
    }

    @Override
    public void awaitShown(final long step, final String[] commanded, final String[] shown)
    {
        final long startNs = System.nanoTime();
        final long expected = commandsTaken / Math.max(1, n) + 1; // one command per controller per step
        await(() ->
        {
            for (final IntersectionController controller : controllers)
            {
                if (controller.commandsAccepted() + controller.commandsRefused() < expected)
                {
                    return false;
                }
            }
            return true;
        }, () -> "SetSignalState of step " + step + " on intersection(s) " +
            missing(i -> controllers[i].commandsAccepted() + controllers[i].commandsRefused() < expected) + " (adapter: " +
            adapter.counters() + ")");
        long refused = 0;
        for (int i = 0; i < n; i++)
        {
            final IntersectionController controller = controllers[i];
            final String state;
            synchronized (controller)
            {
                if (controller.commandsAccepted() + controller.commandsRefused() != expected)
                {
                    throw new TwinException("opcua bridge: intersection " + (i + 1) + " (" + lightIds[i] + ") took " +
                        (controller.commandsAccepted() + controller.commandsRefused()) + " commands by step " + step + ", expected " +
                        expected + ": the lockstep cannot be kept");
                }
                refused += controller.commandsRefused();
                state = controller.signalState();
            }
            if (!state.equals(commanded[i]))
            {
                commandsHeld++; // the controller's own clearance (a hand-over) or a refused command: SUMO shows the controller
            }
            shown[i] = state;
        }
        commandsTaken += n;
        commandsRefused = refused;
        commandWaitNs += System.nanoTime() - startNs;
    }

    private void await(final BooleanSupplier done, final Supplier<String> what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final int work = spy.poll(assembler, FRAGMENT_LIMIT);
            if (failure != null)
            {
                throw failure;
            }
            checkSession();
            if (done.getAsBoolean())
            {
                idle.reset();
                return;
            }
            if (work == 0)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    throw new TwinException("opcua bridge: no " + what.get() + " within " + timeoutMs + " ms");
                }
                idle.idle();
            }
        }
    }

    private void checkSession()
    {
        final OpcUaCounters counters = adapter.counters();
        if (counters.sessionsLost() > 0 || counters.reconnects() > 0)
        {
            throw new TwinException("opcua bridge: the adapter's session to the field server was lost (" + counters +
                "): a new subscription re-reads every value, so observations can no longer be matched to steps");
        }
        if (counters.dropped() > 0)
        {
            throw new TwinException("opcua bridge: the adapter dropped " + counters.dropped() + " frame(s) on ingress: the lockstep cannot be kept");
        }
    }

    private void onIngress(final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header aeronHeader)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId())
        {
            case LaneObservationsDecoder.TEMPLATE_ID ->
            {
                observations.wrap(buffer, body, header.blockLength(), header.version());
                final int index = (int)observations.intersectionId() - 1;
                if (index >= 0 && index < n)
                {
                    seenSinceWrite[index]++;
                    observationsOnIngress++;
                    seenMatches[index] = matches(index, observations);
                }
            }
            case IntersectionTopologyDecoder.TEMPLATE_ID ->
            {
                topology.wrap(buffer, body, header.blockLength(), header.version());
                final int index = (int)topology.intersectionId() - 1;
                if (index >= 0 && index < n)
                {
                    if (topologySeen[index] && failure == null)
                    {
                        failure = new TwinException("opcua bridge: intersection " + (index + 1) + " announced again (the adapter reconnected)");
                    }
                    topologySeen[index] = true;
                }
            }
            case DeviceStatusDecoder.TEMPLATE_ID ->
            {
                deviceStatus.wrap(buffer, body, header.blockLength(), header.version());
                final int index = (int)deviceStatus.deviceId() - 1;
                final DeviceState state = deviceStatus.state();
                if (deviceStatus.deviceKind() == DeviceKind.INTERSECTION_CONTROLLER && index >= 0 && index < n)
                {
                    final String detail = deviceStatus.detail();
                    lastStatus[index] = state + (detail.isEmpty() ? "" : " " + detail);
                    if (state != DeviceState.ONLINE && failure == null && allTrue(topologySeen))
                    {
                        failure = new TwinException("opcua bridge: the adapter reports intersection " + (index + 1) + " (" + lightIds[index] +
                            ") " + lastStatus[index]);
                    }
                }
            }
            default ->
            {
                // Ticks, requests and the controllers' SignalStatus: for the node
            }
        }
    }

    /** Whether the frame carries what was written last for this intersection (the twin's numbers). */
    private boolean matches(final int index, final LaneObservationsDecoder decoder)
    {
        final long[] values = written[index];
        final LaneObservationsDecoder.LanesDecoder lanes = decoder.lanes();
        if (values == null || lanes.count() != writtenLanes[index])
        {
            return false;
        }
        final int width = FieldNodes.LANE_OBSERVATION_WIDTH_WITH_SPEED;
        boolean same = true;
        while (lanes.hasNext())
        {
            lanes.next();
            final int l = lanes.laneIndex();
            final int speed = lanes.meanSpeedCmPerS();
            same &= l < writtenLanes[index] && lanes.vehicles() == values[l * width] && lanes.haltingVehicles() == values[l * width + 1] &&
                lanes.occupancyPermille() == values[l * width + 2] &&
                (speed == LaneObservationsDecoder.LanesDecoder.meanSpeedCmPerSNullValue() ? FieldNodes.NO_SPEED : speed) == values[l * width + 3];
        }
        return same;
    }

    /**
     * The barrier before the Tick: for every intersection, a LaneObservations seen since its reading was written, and the
     * last one seen carries that reading. Seen on ingress means offered on the one log the Tick goes to next.
     */
    private boolean allObserved()
    {
        for (int i = 0; i < n; i++)
        {
            if (seenSinceWrite[i] == 0 || !seenMatches[i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean allTrue(final boolean[] flags)
    {
        for (final boolean flag : flags)
        {
            if (!flag)
            {
                return false;
            }
        }
        return true;
    }

    private String missing(final java.util.function.IntPredicate isMissing)
    {
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < n && out.size() < 10; i++)
        {
            if (isMissing.test(i))
            {
                out.add((i + 1) + " (" + lightIds[i] + (lastStatus[i] != null ? ", " + lastStatus[i] : "") + ")");
            }
        }
        return String.join(", ", out);
    }

    private void onAdapterError(final Throwable error)
    {
        if (failure == null)
        {
            failure = new TwinException("opcua bridge: the adapter failed: " + error, error);
        }
    }

    /** The field server (tests, diagnostics); null before {@link #start}. */
    public FieldServer server()
    {
        return server;
    }

    /** The client adapter's counters; null before {@link #start}. */
    public OpcUaCounters adapterCounters()
    {
        return adapter == null ? null : adapter.counters();
    }

    public long observationsWritten()
    {
        return observationsWritten;
    }

    public long observationsOnIngress()
    {
        return observationsOnIngress;
    }

    /** Commands the controllers took or refused. */
    public long commandsTaken()
    {
        return commandsTaken;
    }

    /** Commands the controllers' own conflict check refused (the last state stays shown). */
    public long commandsRefused()
    {
        return commandsRefused;
    }

    /** Steps at which a controller showed something other than the command (a clearance inserted, or a refusal). */
    public long commandsHeld()
    {
        return commandsHeld;
    }

    /** The controllers' watchdog expiries (central control lost): none in a sound lockstep. */
    public long watchdogExpiries()
    {
        long sum = 0;
        if (controllers != null)
        {
            for (final IntersectionController controller : controllers)
            {
                sum += controller.watchdogExpiries();
            }
        }
        return sum;
    }

    /** Wall time spent waiting for the observations to reach ingress, s. */
    public double observationWaitS()
    {
        return observationWaitNs / 1e9;
    }

    /** Wall time spent waiting for the controllers to take their commands (after they were on egress), s. */
    public double commandWaitS()
    {
        return commandWaitNs / 1e9;
    }

    @Override
    public String summary()
    {
        return String.format(java.util.Locale.ROOT, "opcua bridge: %d readings written, %d LaneObservations on ingress (repeats " +
                "included), %d commands " +
                "taken by the controllers (%d refused, %d steps showing other than commanded), %d watchdog expiries; waits: " +
                "observations %.1f s, commands %.1f s; adapter: %s",
            observationsWritten, observationsOnIngress, commandsTaken, commandsRefused, commandsHeld, watchdogExpiries(),
            observationWaitS(), commandWaitS(), adapter == null ? "-" : adapter.counters());
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(adapterRunner);
        if (adapterRunner == null)
        {
            CloseHelper.quietClose(adapter);
        }
        CloseHelper.quietClose(adapterEgress);
        CloseHelper.quietClose(spy);
        CloseHelper.quietClose(server);
    }

    /** The controllers' clock: the simulation's time, set by the twin's thread, read by Milo's. */
    private static final class SimulatedClock implements EpochNanoClock
    {
        private volatile long nowNs;

        void set(final long timeNs)
        {
            nowNs = timeNs;
        }

        @Override
        public long nanoTime()
        {
            return nowNs;
        }
    }

    /** Settings of the bridge; {@link #conclude()} checks them. */
    public static final class Context
    {
        public static final int PUBLISHING_INTERVAL_MS_DEFAULT = 1;
        public static final int WATCHDOG_MS_DEFAULT = FieldNodes.DEFAULT_WATCHDOG_MS;

        private Aeron aeron;
        private Publication ingress;
        private String ingressChannel;
        private int ingressStreamId;
        private String egressChannel;
        private int egressStreamId;
        private CityConfig cityConfig;
        private Path pkiDir;
        private int port;
        private int publishingIntervalMs = PUBLISHING_INTERVAL_MS_DEFAULT;
        private int watchdogMs = WATCHDOG_MS_DEFAULT;
        private Consumer<String> log;
        private boolean concluded;

        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            require(aeron != null, "aeron", "is required (for the ingress spy and the adapter's egress subscription)");
            require(ingress != null, "ingress", "is required: the twin's own concurrent publication to the node's ingress");
            require(ingressChannel != null && ingressStreamId != 0, "ingressChannel/ingressStreamId", "are required (the node's ingress)");
            require(egressChannel != null && egressStreamId != 0, "egressChannel/egressStreamId", "are required (the node's egress)");
            require(cityConfig != null, "cityConfig", "is required (the adapter's value ranges)");
            require(pkiDir != null, "pkiDir", "is required (the server's and the adapter's PKI folders go under it)");
            require(port >= 0 && port <= 65535, "port", "must be 0 (a free one) .. 65535, was " + port);
            require(publishingIntervalMs > 0, "publishingIntervalMs", "must be > 0, was " + publishingIntervalMs);
            require(watchdogMs > 0, "watchdogMs", "must be > 0, was " + watchdogMs);
            if (log == null)
            {
                log = line -> { };
            }
            concluded = true;
            return this;
        }

        private static void require(final boolean condition, final String setting, final String problem)
        {
            if (!condition)
            {
                throw new IllegalArgumentException("opcua bridge setting '" + setting + "' " + problem);
            }
        }

        public Aeron aeron() { return aeron; }
        public Context aeron(final Aeron aeron) { this.aeron = aeron; return this; }
        public Publication ingress() { return ingress; }
        /** The twin's publication to the node's ingress; the adapter offers on it too (one log, one order). Concurrent. */
        public Context ingress(final Publication ingress) { this.ingress = ingress; return this; }
        public String ingressChannel() { return ingressChannel; }
        public int ingressStreamId() { return ingressStreamId; }
        public Context ingress(final String channel, final int streamId)
        {
            this.ingressChannel = Objects.requireNonNull(channel, "channel");
            this.ingressStreamId = streamId;
            return this;
        }
        public String egressChannel() { return egressChannel; }
        public int egressStreamId() { return egressStreamId; }
        public Context egress(final String channel, final int streamId)
        {
            this.egressChannel = Objects.requireNonNull(channel, "channel");
            this.egressStreamId = streamId;
            return this;
        }
        public CityConfig cityConfig() { return cityConfig; }
        public Context cityConfig(final CityConfig cityConfig) { this.cityConfig = cityConfig; return this; }
        public Path pkiDir() { return pkiDir; }
        /** {@code field-server/} and {@code client/} PKI folders go here (the run's data directory, {@code opcua/}). */
        public Context pkiDir(final Path pkiDir) { this.pkiDir = pkiDir; return this; }
        public int port() { return port; }
        /** The field server's port on 127.0.0.1; default 0, a free one. */
        public Context port(final int port) { this.port = port; return this; }
        public int publishingIntervalMs() { return publishingIntervalMs; }
        /** The adapter's publishing interval (and the server's floor for it); default 1 ms. */
        public Context publishingIntervalMs(final int publishingIntervalMs) { this.publishingIntervalMs = publishingIntervalMs; return this; }
        public int watchdogMs() { return watchdogMs; }
        /** The controllers' watchdog in simulated ms; default 3000 (a command every step keeps them under central control). */
        public Context watchdogMs(final int watchdogMs) { this.watchdogMs = watchdogMs; return this; }
        public Consumer<String> log() { return log; }
        /** Where the bridge says what it set up (trust, endpoint); default nowhere. */
        public Context log(final Consumer<String> log) { this.log = log; return this; }
    }
}
