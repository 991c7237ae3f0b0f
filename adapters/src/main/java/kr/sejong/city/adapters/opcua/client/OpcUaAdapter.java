package kr.sejong.city.adapters.opcua.client;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.SetpointDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Detector;
import kr.sejong.city.config.Field;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The OPC UA client adapter: bridges the field servers of {@code field.opcua} to the node's SBE messages, and
 * decides nothing. Values the servers report become ingress messages (docs/opcua.md, "The client adapter");
 * SignalCommands and Setpoints from egress become method calls and writes for the devices the servers serve;
 * every device's health becomes DeviceStatus.
 * <p>
 * An Agrona {@link Agent}: its duty cycle reads egress, starts (re)connection attempts when their backoff has
 * passed and writes the CentralHeartbeats; connecting runs on a small executor and notifications on Milo's
 * threads, which publish on the concurrent ingress publication directly.
 */
public final class OpcUaAdapter implements Agent, AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(OpcUaAdapter.class.getName());
    private static final int FRAGMENT_LIMIT = 32;

    private final Context ctx;
    private final OpcUaCounters counters = new OpcUaCounters();
    private final Shared shared;
    private final List<ServerLink> links = new ArrayList<>();
    private final Long2ObjectHashMap<ServerLink> linkByDevice = new Long2ObjectHashMap<>();
    private final Publication ingress;
    private final Subscription egress;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onEgress);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final SignalCommandDecoder signal = new SignalCommandDecoder();
    private final SetpointDecoder setpoint = new SetpointDecoder();
    private boolean closed;

    /** State the links share: set once, read from every thread. */
    static final class Shared
    {
        final ClientPki pki;
        final FieldPublisher publisher;
        final OpcUaCounters counters;
        final ExecutorService connector;
        final long initialBackoffMs;
        final long maxBackoffMs;
        final long heartbeatIntervalMs;
        final int requestTimeoutMs;
        final int keepAliveIntervalMs;

        Shared(final Context ctx, final FieldPublisher publisher, final OpcUaCounters counters, final ExecutorService connector)
        {
            this.pki = new ClientPki(ctx.pkiDir());
            this.publisher = publisher;
            this.counters = counters;
            this.connector = connector;
            this.initialBackoffMs = ctx.initialBackoffMs();
            this.maxBackoffMs = ctx.maxBackoffMs();
            this.heartbeatIntervalMs = ctx.heartbeatIntervalMs();
            this.requestTimeoutMs = ctx.requestTimeoutMs();
            this.keepAliveIntervalMs = ctx.keepAliveIntervalMs();
        }
    }

    public OpcUaAdapter(final Context ctx)
    {
        ctx.conclude();
        this.ctx = ctx;
        this.ingress = ctx.ingress() != null ? ctx.ingress() : ctx.aeron().addPublication(ctx.ingressChannel(), ctx.ingressStreamId());
        this.egress = ctx.egress() != null ? ctx.egress() : ctx.aeron().addSubscription(ctx.egressChannel(), ctx.egressStreamId());
        final FieldPublisher publisher = new FieldPublisher(ingress, ctx.offerRetries(), counters, ctx.latencyHook());
        final ExecutorService connector = Executors.newFixedThreadPool(Math.min(4, ctx.servers().size()), runnable ->
        {
            final Thread thread = new Thread(runnable, "opcua-connector");
            thread.setDaemon(true);
            return thread;
        });
        this.shared = new Shared(ctx, publisher, counters, connector);
        final ValueRanges ranges = new ValueRanges(ctx.cityConfig(), ctx.ranges());
        for (final ServerSettings server : ctx.servers())
        {
            final List<FieldDevice> devices = new ArrayList<>();
            for (final ServerSettings.Device device : server.devices())
            {
                devices.add(device(device, ranges, publisher));
            }
            final ServerLink link = new ServerLink(server, devices.toArray(new FieldDevice[0]), shared);
            links.add(link);
            for (final ServerSettings.Device device : server.devices())
            {
                linkByDevice.put(ServerLink.key(device.kind(), device.id()), link);
            }
        }
    }

    private FieldDevice device(final ServerSettings.Device device, final ValueRanges ranges, final FieldPublisher publisher)
    {
        return switch (device.kind())
        {
            case INTERSECTION -> new IntersectionDevice(device.id(), detectorsOf(device.id()), publisher, counters);
            case ESS -> new EssDevice(device.id(), ranges, publisher, counters);
            case CHARGER -> new ChargerDevice(device.id(), ranges, publisher, counters);
            case PV -> new PvDevice(device.id(), ranges, publisher, counters);
            case PCC -> new PccDevice(device.id(), ranges, publisher, counters);
            case ANALYTICS -> new AnalyticsDevice(device.id(), ranges, publisher, counters);
        };
    }

    private int[] detectorsOf(final int intersectionId)
    {
        return ctx.cityConfig().traffic().detectors().stream()
            .filter(detector -> detector.intersection() == intersectionId)
            .mapToInt(Detector::id)
            .toArray();
    }

    @Override
    public void onStart()
    {
        if (ctx.allowInsecure())
        {
            LOG.log(System.Logger.Level.WARNING, "\n" +
                "******************************************************************************************\n" +
                "*  INSECURE: field.opcua.allowInsecure is on. OPC UA sessions may run without signing,   *\n" +
                "*  encryption or user authentication. For development only; never in the field.         *\n" +
                "******************************************************************************************");
        }
    }

    @Override
    public int doWork()
    {
        final long nowNs = System.nanoTime();
        int work = egress.poll(assembler, FRAGMENT_LIMIT);
        for (int i = 0; i < links.size(); i++)
        {
            work += links.get(i).doWork(nowNs);
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "opcua-client";
    }

    @Override
    public void onClose()
    {
        close();
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final ServerLink link : links)
        {
            link.close();
        }
        shared.connector.shutdown();
        try
        {
            shared.connector.awaitTermination(ctx.requestTimeoutMs() * 2L, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        shared.pki.close();
        if (ctx.ingress() == null)
        {
            CloseHelper.quietClose(ingress);
        }
        if (ctx.egress() == null)
        {
            CloseHelper.quietClose(egress);
        }
    }

    /** What the adapter has done so far. */
    public OpcUaCounters counters()
    {
        return counters;
    }

    /** Whether every server has a session. */
    public boolean allOnline()
    {
        for (final ServerLink link : links)
        {
            if (link.phase() != ServerLink.Phase.ONLINE)
            {
                return false;
            }
        }
        return true;
    }

    /** Whether this server has a session now. */
    public boolean online(final String serverName)
    {
        return link(serverName).phase() == ServerLink.Phase.ONLINE;
    }

    /**
     * Why a server is not connected: its last failure (e.g. an untrusted certificate, naming the file in
     * rejected/ to move into trusted/certs/), or "online".
     */
    public String problem(final String serverName)
    {
        return link(serverName).problem();
    }

    private ServerLink link(final String serverName)
    {
        for (final ServerLink link : links)
        {
            if (link.name().equals(serverName))
            {
                return link;
            }
        }
        throw new IllegalArgumentException("no OPC UA server named \"" + serverName + "\"");
    }

    /** One line for logs and the status command. */
    public String statusLine()
    {
        int online = 0;
        final StringBuilder down = new StringBuilder();
        for (final ServerLink link : links)
        {
            if (link.phase() == ServerLink.Phase.ONLINE)
            {
                online++;
            }
            else
            {
                down.append(down.length() == 0 ? "; not connected: " : ", ").append(link.name());
            }
        }
        return "opcua: " + online + "/" + links.size() + " servers online" + (ctx.allowInsecure() ? " (INSECURE mode)" : "") + "; " +
            counters + down;
    }

    private void onEgress(final DirectBuffer buffer, final int offset, final int length, final Header fragmentHeader)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != SignalCommandDecoder.SCHEMA_ID)
        {
            return;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId())
        {
            case SignalCommandDecoder.TEMPLATE_ID ->
            {
                signal.wrap(buffer, body, header.blockLength(), header.version());
                final int intersectionId = (int)signal.intersectionId();
                final ServerLink link = linkByDevice.get(ServerLink.key(FieldNodes.Kind.INTERSECTION, intersectionId));
                if (link != null)
                {
                    final int mode = signal.modeRaw();
                    final long durationMs = signal.durationMs();
                    final int reason = signal.reasonRaw();
                    signal.phaseIndex();
                    link.signal(intersectionId, signal.signalState(), durationMs, mode, reason);
                }
            }
            case SetpointDecoder.TEMPLATE_ID ->
            {
                setpoint.wrap(buffer, body, header.blockLength(), header.version());
                final FieldNodes.Kind kind = switch (setpoint.deviceKind())
                {
                    case ESS -> FieldNodes.Kind.ESS;
                    case EV_CHARGER -> FieldNodes.Kind.CHARGER;
                    case PV_INVERTER -> FieldNodes.Kind.PV;
                    default -> null;
                };
                if (kind != null)
                {
                    final int deviceId = (int)setpoint.deviceId();
                    final ServerLink link = linkByDevice.get(ServerLink.key(kind, deviceId));
                    if (link != null)
                    {
                        link.setpoint(kind, deviceId, setpoint.activePowerW(), setpoint.reactivePowerVar());
                    }
                }
            }
            default ->
            {
                // other egress is for other adapters
            }
        }
    }

    /**
     * Settings of the adapter. The usual way: {@link #cityConfig} (with its {@code field.opcua} section),
     * {@link #dataDir}, {@link #aeron}; the channels and stream ids default to the node's ({@code node.aeron}).
     * {@link #conclude()} validates and names the setting that is wrong.
     */
    public static final class Context
    {
        public static final int OFFER_RETRIES_DEFAULT = 1000;
        public static final int HEARTBEAT_INTERVAL_MS_DEFAULT = 1000;
        public static final int REQUEST_TIMEOUT_MS_DEFAULT = 5000;
        public static final int KEEP_ALIVE_INTERVAL_MS_DEFAULT = 1000;

        private CityConfig cityConfig;
        private Path dataDir;
        private Aeron aeron;
        private Publication ingress;
        private Subscription egress;
        private String ingressChannel;
        private int ingressStreamId;
        private String egressChannel;
        private int egressStreamId;
        private List<ServerSettings> servers;
        private Function<String, String> environment = System::getenv;
        private Path pkiDir;
        private Boolean allowInsecure;
        private Field.Ranges ranges;
        private long initialBackoffMs;
        private long maxBackoffMs;
        private long heartbeatIntervalMs = HEARTBEAT_INTERVAL_MS_DEFAULT;
        private int requestTimeoutMs = REQUEST_TIMEOUT_MS_DEFAULT;
        private int keepAliveIntervalMs = KEEP_ALIVE_INTERVAL_MS_DEFAULT;
        private int offerRetries = OFFER_RETRIES_DEFAULT;
        private LatencyHook latencyHook;
        private boolean concluded;

        /** The city: device ids, ratings for the value ranges, detectors, cameras, the field.opcua section. */
        public Context cityConfig(final CityConfig cityConfig)
        {
            this.cityConfig = cityConfig;
            return this;
        }

        public CityConfig cityConfig()
        {
            return cityConfig;
        }

        /** The node's data directory: field.opcua.pkiDir and passwordFile are relative to it. */
        public Context dataDir(final Path dataDir)
        {
            this.dataDir = dataDir;
            return this;
        }

        public Path dataDir()
        {
            return dataDir;
        }

        /** Aeron client to add the ingress publication and egress subscription with (unless given directly). */
        public Context aeron(final Aeron aeron)
        {
            this.aeron = aeron;
            return this;
        }

        public Aeron aeron()
        {
            return aeron;
        }

        /** The node's ingress, a concurrent publication (the caller keeps it and closes it). */
        public Context ingress(final Publication ingress)
        {
            this.ingress = ingress;
            return this;
        }

        public Publication ingress()
        {
            return ingress;
        }

        /** The node's egress (the caller keeps it and closes it). */
        public Context egress(final Subscription egress)
        {
            this.egress = egress;
            return this;
        }

        public Subscription egress()
        {
            return egress;
        }

        public Context ingressChannel(final String channel)
        {
            this.ingressChannel = channel;
            return this;
        }

        public String ingressChannel()
        {
            return ingressChannel;
        }

        public Context ingressStreamId(final int streamId)
        {
            this.ingressStreamId = streamId;
            return this;
        }

        public int ingressStreamId()
        {
            return ingressStreamId;
        }

        public Context egressChannel(final String channel)
        {
            this.egressChannel = channel;
            return this;
        }

        public String egressChannel()
        {
            return egressChannel;
        }

        public Context egressStreamId(final int streamId)
        {
            this.egressStreamId = streamId;
            return this;
        }

        public int egressStreamId()
        {
            return egressStreamId;
        }

        /** The servers; by default those of field.opcua, with passwords read from their sources. */
        public Context servers(final List<ServerSettings> servers)
        {
            this.servers = List.copyOf(servers);
            return this;
        }

        public List<ServerSettings> servers()
        {
            return servers;
        }

        /** How environment variables are read (passwordEnv); default {@link System#getenv(String)}. */
        public Context environment(final Function<String, String> environment)
        {
            this.environment = environment;
            return this;
        }

        /** PKI folder; default field.opcua.pkiDir under the data directory. */
        public Context pkiDir(final Path pkiDir)
        {
            this.pkiDir = pkiDir;
            return this;
        }

        public Path pkiDir()
        {
            return pkiDir;
        }

        /** Permit None security and anonymous sessions (development); default field.opcua.allowInsecure. */
        public Context allowInsecure(final boolean allowInsecure)
        {
            this.allowInsecure = allowInsecure;
            return this;
        }

        public boolean allowInsecure()
        {
            return allowInsecure != null && allowInsecure;
        }

        public Context ranges(final Field.Ranges ranges)
        {
            this.ranges = ranges;
            return this;
        }

        public Field.Ranges ranges()
        {
            return ranges;
        }

        /** First reconnection wait; default field.opcua.reconnect.initialBackoffMs. */
        public Context initialBackoffMs(final long initialBackoffMs)
        {
            this.initialBackoffMs = initialBackoffMs;
            return this;
        }

        public long initialBackoffMs()
        {
            return initialBackoffMs;
        }

        /** Longest reconnection wait; default field.opcua.reconnect.maxBackoffMs. */
        public Context maxBackoffMs(final long maxBackoffMs)
        {
            this.maxBackoffMs = maxBackoffMs;
            return this;
        }

        public long maxBackoffMs()
        {
            return maxBackoffMs;
        }

        /** How often CentralHeartbeat is written; default every second. */
        public Context heartbeatIntervalMs(final long heartbeatIntervalMs)
        {
            this.heartbeatIntervalMs = heartbeatIntervalMs;
            return this;
        }

        public long heartbeatIntervalMs()
        {
            return heartbeatIntervalMs;
        }

        /** Timeout of connecting and of each request. */
        public Context requestTimeoutMs(final int requestTimeoutMs)
        {
            this.requestTimeoutMs = requestTimeoutMs;
            return this;
        }

        public int requestTimeoutMs()
        {
            return requestTimeoutMs;
        }

        /** How often an idle session is checked (a lost one is noticed within about twice this). */
        public Context keepAliveIntervalMs(final int keepAliveIntervalMs)
        {
            this.keepAliveIntervalMs = keepAliveIntervalMs;
            return this;
        }

        public int keepAliveIntervalMs()
        {
            return keepAliveIntervalMs;
        }

        /** Offers retried on back-pressure before a frame is dropped (and counted). */
        public Context offerRetries(final int offerRetries)
        {
            this.offerRetries = offerRetries;
            return this;
        }

        public int offerRetries()
        {
            return offerRetries;
        }

        /** Told of every notification frame offered, with its arrival time (a benchmark's histogram). */
        public Context latencyHook(final LatencyHook latencyHook)
        {
            this.latencyHook = latencyHook;
            return this;
        }

        public LatencyHook latencyHook()
        {
            return latencyHook;
        }

        /** Fills in the defaults from the city's node and field.opcua sections and checks everything. */
        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            if (cityConfig == null)
            {
                throw new IllegalStateException("OpcUaAdapter.Context.cityConfig is not set");
            }
            if (dataDir == null)
            {
                throw new IllegalStateException("OpcUaAdapter.Context.dataDir is not set");
            }
            final Field.OpcUa opcua = cityConfig.field() != null ? cityConfig.field().opcua() : null;
            if (opcua == null && servers == null)
            {
                throw new IllegalStateException("OpcUaAdapter.Context: the city has no field.opcua section and no servers are set");
            }
            if (servers == null)
            {
                final List<ServerSettings> fromConfig = new ArrayList<>();
                for (final Field.Server server : opcua.servers())
                {
                    fromConfig.add(ServerSettings.from(opcua, server, environment, dataDir));
                }
                servers = List.copyOf(fromConfig);
            }
            if (servers.isEmpty())
            {
                throw new IllegalStateException("OpcUaAdapter.Context.servers is empty");
            }
            if (pkiDir == null)
            {
                pkiDir = dataDir.resolve(opcua != null ? opcua.pkiDir() : Field.OpcUa.PKI_DIR_DEFAULT);
            }
            if (allowInsecure == null)
            {
                allowInsecure = opcua != null && opcua.allowInsecure();
            }
            if (ranges == null)
            {
                ranges = opcua != null ? opcua.ranges() : Field.Ranges.defaults();
            }
            final Field.Reconnect reconnect = opcua != null ? opcua.reconnect() : Field.Reconnect.defaults();
            if (initialBackoffMs == 0)
            {
                initialBackoffMs = reconnect.initialBackoffMs();
            }
            if (maxBackoffMs == 0)
            {
                maxBackoffMs = Math.max(initialBackoffMs, reconnect.maxBackoffMs());
            }
            if (initialBackoffMs <= 0 || maxBackoffMs < initialBackoffMs)
            {
                throw new IllegalArgumentException("OpcUaAdapter.Context: initialBackoffMs (" + initialBackoffMs + ") must be > 0 and <= maxBackoffMs (" +
                    maxBackoffMs + ")");
            }
            for (final ServerSettings server : servers)
            {
                final String problem = Field.endpointProblem(server.endpoint());
                if (problem != null)
                {
                    throw new IllegalArgumentException("OPC UA server \"" + server.name() + "\": " + problem);
                }
                if (!List.of("None", "Basic256Sha256", "Aes256_Sha256_RsaPss").contains(server.securityPolicy()))
                {
                    throw new IllegalArgumentException("OPC UA server \"" + server.name() + "\": unsupported securityPolicy " + server.securityPolicy());
                }
                if (!List.of("None", "Sign", "SignAndEncrypt").contains(server.securityMode()))
                {
                    throw new IllegalArgumentException("OPC UA server \"" + server.name() + "\": unsupported securityMode " + server.securityMode());
                }
                if (server.insecure() && !allowInsecure())
                {
                    throw new IllegalArgumentException("OPC UA server \"" + server.name() + "\": security None or an anonymous session " +
                        "needs allowInsecure (development only)");
                }
                if (server.samplingMs() <= 0)
                {
                    throw new IllegalArgumentException("OPC UA server \"" + server.name() + "\": samplingMs must be > 0");
                }
            }
            if (ingress == null || egress == null)
            {
                if (aeron == null)
                {
                    throw new IllegalStateException("OpcUaAdapter.Context: set aeron, or both ingress and egress");
                }
                final var node = cityConfig.node().aeron();
                ingressChannel = ingressChannel != null ? ingressChannel : node.ingressChannel();
                ingressStreamId = ingressStreamId != 0 ? ingressStreamId : node.ingressStreamId();
                egressChannel = egressChannel != null ? egressChannel : node.egressChannel();
                egressStreamId = egressStreamId != 0 ? egressStreamId : node.egressStreamId();
            }
            if (offerRetries < 0 || heartbeatIntervalMs <= 0 || requestTimeoutMs <= 0 || keepAliveIntervalMs <= 0)
            {
                throw new IllegalArgumentException("OpcUaAdapter.Context: offerRetries must be >= 0 and the intervals and timeouts > 0");
            }
            concluded = true;
            return this;
        }
    }
}
