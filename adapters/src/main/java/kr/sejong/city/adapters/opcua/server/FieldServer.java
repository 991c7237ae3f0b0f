package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.config.ApiKeyHash;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.nio.file.Path;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Simulated field devices that speak OPC UA: one Eclipse Milo server hosting the objects of the field
 * information model (docs/opcua.md) for the devices of its {@link Context}, with the behaviour of
 * {@link IntersectionController} behind each intersection and range-checked set-points behind the grid devices.
 * <h2>Security</h2>
 * By default the endpoints are Basic256Sha256 and Aes256_Sha256_RsaPss, SignAndEncrypt only, and a session needs
 * a user name and password (checked against PBKDF2 hashes, {@link ApiKeyHash}; no password is stored). A
 * SecurityPolicy None endpoint and anonymous sessions exist only with {@link Context#allowInsecure(boolean)}
 * (development), which the server announces with a WARNING at start. Client certificates must be trusted
 * ({@link FieldPki}); an untrusted one is refused with Bad_SecurityChecksFailed and the log names the file to
 * move.
 * <h2>Time</h2>
 * The controllers run on the context's clock, moved on by {@link #tick()}: every {@link Context#tickIntervalMs}
 * by the server itself, or only by the caller when that is 0 (tests, simulated time).
 */
public final class FieldServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(FieldServer.class);
    private static final long START_TIMEOUT_S = 30;

    private final Context ctx;
    private final FieldPki pki;
    private final OpcUaServer server;
    private final FieldNamespace namespace;
    private final String endpointUrl;
    private final ScheduledFuture<?> ticker;
    private final List<SetpointListener> setpointListeners = new CopyOnWriteArrayList<>();
    private final List<IntersectionController.ShownStateListener> shownStateListeners = new CopyOnWriteArrayList<>();
    private boolean closed;

    static
    {
        // Aes256_Sha256_RsaPss signs with SHA256withRSA/PSS, which the JDK names otherwise: Milo finds it in Bouncy Castle
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null)
        {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    private FieldServer(final Context ctx)
    {
        this.ctx = ctx;
        final Set<String> hostnames = new LinkedHashSet<>(List.of(ctx.hostname(), "localhost", "127.0.0.1"));
        pki = new FieldPki(ctx.pkiDirectory(), ctx.applicationUri(), ctx.applicationName(), hostnames);
        endpointUrl = "opc.tcp://" + ctx.hostname() + ":" + ctx.port() + ctx.path();
        if (ctx.allowInsecure())
        {
            LOG.warn("*** INSECURE: field server {} allows SecurityPolicy None and anonymous sessions (allowInsecure, for " +
                "development only): anyone on the network can read and command these devices ***", endpointUrl);
        }
        final OpcUaServerConfig config = OpcUaServerConfig.builder()
            .setApplicationUri(ctx.applicationUri())
            .setApplicationName(LocalizedText.english(ctx.applicationName()))
            .setProductUri("urn:sejong-city:field-server")
            .setBuildInfo(new BuildInfo("urn:sejong-city:field-server", "Sejong City Control", ctx.applicationName(),
                OpcUaServer.SDK_VERSION, "", DateTime.now()))
            .setCertificateManager(pki.certificateManager())
            .setIdentityValidator(identityValidator(ctx))
            .setEndpoints(endpoints(ctx, pki.certificate()))
            .setLimits(limits(ctx.minPublishingIntervalMs()))
            .build();
        server = new OpcUaServer(config, profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
        if (ctx.setpointListener() != null)
        {
            setpointListeners.add(ctx.setpointListener());
        }
        if (ctx.shownStateListener() != null)
        {
            shownStateListeners.add(ctx.shownStateListener());
        }
        namespace = new FieldNamespace(server, ctx.epochNanoClock(), ctx.devices(), ctx.watchdogMs(), ctx.planOriginNs(),
            (kind, id, name, value, atNs) -> setpointListeners.forEach(l -> l.onSetpoint(kind, id, name, value, atNs)),
            (id, state, mode, atNs) -> shownStateListeners.forEach(l -> l.onShown(id, state, mode, atNs)));
        namespace.startup();
        try
        {
            server.startup().get(START_TIMEOUT_S, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new IllegalStateException("interrupted while starting " + endpointUrl, ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            closeQuietly();
            throw new IllegalStateException("field server " + endpointUrl + " did not start: " + ex.getMessage(), ex);
        }
        namespace.tick();
        ticker = ctx.tickIntervalMs() > 0 ? server.getScheduledExecutorService().scheduleAtFixedRate(this::safeTick,
            ctx.tickIntervalMs(), ctx.tickIntervalMs(), TimeUnit.MILLISECONDS) : null;
        LOG.info("field server {} ({}) up: {} devices, certificate {} in {}", endpointUrl, ctx.applicationUri(), ctx.devices().size(),
            FieldPki.thumbprint(pki.certificate()), pki.directory());
    }

    /** Starts a server as the context says (the context is concluded here). */
    public static FieldServer start(final Context ctx)
    {
        ctx.conclude();
        return new FieldServer(ctx);
    }

    private static OpcUaServerConfigLimits limits(final double minPublishingIntervalMs)
    {
        return new OpcUaServerConfigLimits()
        {
            @Override
            public Double getMinPublishingInterval()
            {
                return minPublishingIntervalMs;
            }
        };
    }

    private static IdentityValidator identityValidator(final Context ctx)
    {
        final Map<String, ApiKeyHash> users = Map.copyOf(ctx.users());
        final UsernameIdentityValidator passwords = new UsernameIdentityValidator(challenge ->
        {
            final ApiKeyHash hash = users.get(challenge.getUsername());
            final boolean ok = hash != null && challenge.getPassword() != null && hash.matches(challenge.getPassword());
            if (!ok)
            {
                LOG.warn("refused a session for user '{}': unknown user or wrong password", challenge.getUsername());
            }
            return ok;
        });
        return ctx.allowInsecure() ? new CompositeValidator(AnonymousIdentityValidator.INSTANCE, passwords) : passwords;
    }

    private static Set<EndpointConfig> endpoints(final Context ctx, final X509Certificate certificate)
    {
        final UserTokenPolicy username = OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME;
        final EndpointConfig.Builder base = EndpointConfig.newBuilder()
            .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
            .setBindAddress(ctx.bindAddress())
            .setBindPort(ctx.port())
            .setHostname(ctx.hostname())
            .setPath(ctx.path())
            .setCertificate(certificate);
        final Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        for (final SecurityPolicy policy : List.of(SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes256_Sha256_RsaPss))
        {
            final EndpointConfig.Builder secure = base.copy()
                .setSecurityPolicy(policy)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt)
                .addTokenPolicy(username);
            if (ctx.allowInsecure())
            {
                secure.addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
            }
            endpoints.add(secure.build());
        }
        if (ctx.allowInsecure())
        {
            // the password still travels encrypted with the server's certificate
            endpoints.add(base.copy()
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                .addTokenPolicy(new UserTokenPolicy("username-basic256sha256", UserTokenType.UserName, null, null,
                    SecurityPolicy.Basic256Sha256.getUri()))
                .build());
        }
        return endpoints;
    }

    private void safeTick()
    {
        try
        {
            tick();
        }
        catch (final RuntimeException ex)
        {
            LOG.error("field server {}: tick failed", endpointUrl, ex);
        }
    }

    /** Moves every controller on to the clock's time and publishes what changed (heartbeat, plan, watchdog). */
    public void tick()
    {
        namespace.tick();
    }

    /** Adds a listener told of every set-point a device took (after the context's own). */
    public void addSetpointListener(final SetpointListener listener)
    {
        setpointListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Adds a listener told whenever what an intersection shows changes; it is told at once what each one shows
     * now.
     */
    public void addShownStateListener(final IntersectionController.ShownStateListener listener)
    {
        shownStateListeners.add(Objects.requireNonNull(listener, "listener"));
        for (final IntersectionController controller : namespace.controllers())
        {
            synchronized (controller)
            {
                listener.onShown(controller.id(), controller.signalState(), controller.mode(), controller.nowNs());
            }
        }
    }

    /** {@code opc.tcp://host:port/path}. */
    public String endpointUrl()
    {
        return endpointUrl;
    }

    /** The field namespace's index on this server. */
    public int namespaceIndex()
    {
        return namespace.getNamespaceIndex().intValue();
    }

    /** The server's application instance certificate. */
    public X509Certificate certificate()
    {
        return pki.certificate();
    }

    /** The PKI folder: trust, rejected certificates. */
    public FieldPki pki()
    {
        return pki;
    }

    /** Trusts a client's certificate from now on (as moving it into trusted/certs would). */
    public void trust(final X509Certificate clientCertificate)
    {
        pki.trust(clientCertificate);
    }

    /** The controller behind {@code Intersection/<id>}, or null when this server does not host it. */
    public IntersectionController intersection(final long id)
    {
        return namespace.controller(id);
    }

    /** The controllers this server hosts, ascending id. */
    public List<IntersectionController> intersections()
    {
        return namespace.controllers();
    }

    /** A variable by kind, device id and name ({@link FieldNodes}), or null when this server does not host it. */
    public FieldVariable variable(final FieldNodes.Kind kind, final long id, final String name)
    {
        return namespace.variable(kind, id, name);
    }

    /** A detector's Counts, or null when this server does not host it. */
    public FieldVariable detectorCounts(final long intersectionId, final long detectorId)
    {
        return namespace.variable(FieldNodes.detectorCounts(intersectionId, detectorId));
    }

    /** Whether this server hosts a device. */
    public boolean hosts(final FieldNodes.Kind kind, final long id)
    {
        for (final FieldDevice device : ctx.devices())
        {
            if (device.kind() == kind && device.id() == id)
            {
                return true;
            }
        }
        return false;
    }

    /** The devices hosted. */
    public List<FieldDevice> devices()
    {
        return ctx.devices();
    }

    /** A topology from the field: the controller takes it (same lanes and movements only). */
    public void topology(final long intersectionId, final ControllerTopology topology, final long sourceTimeNs)
    {
        namespace.topology(intersectionId, topology, sourceTimeNs);
    }

    public Context context()
    {
        return ctx;
    }

    /** The Milo server (tests, diagnostics). */
    public OpcUaServer milo()
    {
        return server;
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (ticker != null)
        {
            ticker.cancel(false);
        }
        closeQuietly();
        LOG.info("field server {} closed", endpointUrl);
    }

    private void closeQuietly()
    {
        try
        {
            namespace.shutdown();
            server.shutdown().get(START_TIMEOUT_S, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException | RuntimeException ex)
        {
            LOG.warn("field server {}: shutdown: {}", endpointUrl, ex.toString());
        }
        finally
        {
            pki.close();
        }
    }

    /**
     * What a field server hosts and how it is reached. Setters return the context; {@link #conclude()} checks it
     * and fills in the defaults.
     */
    public static final class Context
    {
        public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
        public static final int DEFAULT_PORT = 4840;
        public static final String DEFAULT_PATH = "/sejong-field";
        public static final int DEFAULT_TICK_INTERVAL_MS = 100;
        /** Milo's own floor for a subscription's publishing interval. */
        public static final double DEFAULT_MIN_PUBLISHING_INTERVAL_MS = 10.0;

        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private String hostname;
        private int port = DEFAULT_PORT;
        private String path = DEFAULT_PATH;
        private String applicationUri;
        private String applicationName = "Sejong field server";
        private Path pkiDirectory;
        private final Map<String, ApiKeyHash> users = new LinkedHashMap<>();
        private boolean allowInsecure;
        private EpochNanoClock epochNanoClock;
        private final List<FieldDevice> devices = new ArrayList<>();
        private int watchdogMs = FieldNodes.DEFAULT_WATCHDOG_MS;
        private int tickIntervalMs = DEFAULT_TICK_INTERVAL_MS;
        private long planOriginNs;
        private double minPublishingIntervalMs = DEFAULT_MIN_PUBLISHING_INTERVAL_MS;
        private SetpointListener setpointListener;
        private IntersectionController.ShownStateListener shownStateListener;
        private boolean concluded;

        /** Checks the settings and fills in defaults. */
        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            if (pkiDirectory == null)
            {
                throw new IllegalStateException("pkiDirectory must be set (the server's certificate and trust list live there)");
            }
            if (port <= 0 || port > 65535)
            {
                throw new IllegalStateException("port must be 1..65535, was " + port);
            }
            if (path == null || !path.startsWith("/"))
            {
                throw new IllegalStateException("path must start with '/', was " + path);
            }
            if (users.isEmpty() && !allowInsecure)
            {
                throw new IllegalStateException("users: at least one user is needed (sessions need a user name and password)");
            }
            if (watchdogMs <= 0)
            {
                throw new IllegalStateException("watchdogMs must be > 0, was " + watchdogMs);
            }
            if (tickIntervalMs < 0)
            {
                throw new IllegalStateException("tickIntervalMs must be >= 0, was " + tickIntervalMs);
            }
            if (!(minPublishingIntervalMs > 0))
            {
                throw new IllegalStateException("minPublishingIntervalMs must be > 0, was " + minPublishingIntervalMs);
            }
            final Set<String> seen = new HashSet<>();
            for (final FieldDevice device : devices)
            {
                if (!seen.add(device.toString()))
                {
                    throw new IllegalStateException("devices: " + device + " is given twice");
                }
            }
            if (hostname == null)
            {
                hostname = DEFAULT_BIND_ADDRESS.equals(bindAddress) ?
                    org.eclipse.milo.opcua.sdk.server.util.HostnameUtil.getHostname() : bindAddress;
            }
            if (applicationUri == null)
            {
                applicationUri = "urn:sejong-city:field-server:" + hostname + ":" + port;
            }
            if (epochNanoClock == null)
            {
                epochNanoClock = new SystemEpochNanoClock();
            }
            concluded = true;
            return this;
        }

        public Context bindAddress(final String bindAddress)
        {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        public String bindAddress()
        {
            return bindAddress;
        }

        /** The host name in the endpoint URL and the certificate (default: the bind address, or this host's name). */
        public Context hostname(final String hostname)
        {
            this.hostname = hostname;
            return this;
        }

        public String hostname()
        {
            return hostname;
        }

        public Context port(final int port)
        {
            this.port = port;
            return this;
        }

        public int port()
        {
            return port;
        }

        /** The endpoint URL's path, e.g. {@code /sejong-field}. */
        public Context path(final String path)
        {
            this.path = path;
            return this;
        }

        public String path()
        {
            return path;
        }

        public Context applicationUri(final String applicationUri)
        {
            this.applicationUri = applicationUri;
            return this;
        }

        public String applicationUri()
        {
            return applicationUri;
        }

        public Context applicationName(final String applicationName)
        {
            this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
            return this;
        }

        public String applicationName()
        {
            return applicationName;
        }

        /** The PKI folder ({@link FieldPki}); made when missing. */
        public Context pkiDirectory(final Path pkiDirectory)
        {
            this.pkiDirectory = pkiDirectory;
            return this;
        }

        public Path pkiDirectory()
        {
            return pkiDirectory;
        }

        /** A user, with the PBKDF2 hash of its password ({@code pbkdf2-sha256$iter$salt$hash}, as {@link ApiKeyHash}). */
        public Context user(final String name, final String passwordHash)
        {
            final ApiKeyHash hash;
            try
            {
                hash = ApiKeyHash.parse(passwordHash);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("user " + name + ": password hash " + ex.getMessage(), ex);
            }
            return user(name, hash);
        }

        public Context user(final String name, final ApiKeyHash passwordHash)
        {
            if (name == null || name.isBlank())
            {
                throw new IllegalArgumentException("a user needs a name");
            }
            users.put(name, Objects.requireNonNull(passwordHash, "passwordHash"));
            return this;
        }

        public Map<String, ApiKeyHash> users()
        {
            return Map.copyOf(users);
        }

        /** Development only: also a SecurityPolicy None endpoint and anonymous sessions (logged as a WARNING). */
        public Context allowInsecure(final boolean allowInsecure)
        {
            this.allowInsecure = allowInsecure;
            return this;
        }

        public boolean allowInsecure()
        {
            return allowInsecure;
        }

        /** The devices' clock (epoch ns): their SourceTimestamps, plans, heartbeats and watchdogs. */
        public Context epochNanoClock(final EpochNanoClock epochNanoClock)
        {
            this.epochNanoClock = epochNanoClock;
            return this;
        }

        public EpochNanoClock epochNanoClock()
        {
            return epochNanoClock;
        }

        public Context device(final FieldDevice device)
        {
            devices.add(Objects.requireNonNull(device, "device"));
            return this;
        }

        public Context devices(final List<FieldDevice> devices)
        {
            devices.forEach(this::device);
            return this;
        }

        public List<FieldDevice> devices()
        {
            return List.copyOf(devices);
        }

        /** The intersections' WatchdogMs (default {@value FieldNodes#DEFAULT_WATCHDOG_MS}). */
        public Context watchdogMs(final int watchdogMs)
        {
            this.watchdogMs = watchdogMs;
            return this;
        }

        public int watchdogMs()
        {
            return watchdogMs;
        }

        /** How often the server moves its controllers on by itself; 0: only when {@link FieldServer#tick()} is called. */
        public Context tickIntervalMs(final int tickIntervalMs)
        {
            this.tickIntervalMs = tickIntervalMs;
            return this;
        }

        public int tickIntervalMs()
        {
            return tickIntervalMs;
        }

        /**
         * When the controllers' local plans start a cycle with phase 0 (epoch ns); default 0, the Unix epoch (the field
         * simulator's programs count from it). The SUMO bridge sets the twin's simulation time 0, where SUMO starts its own.
         */
        public Context planOriginNs(final long planOriginNs)
        {
            this.planOriginNs = planOriginNs;
            return this;
        }

        public long planOriginNs()
        {
            return planOriginNs;
        }

        /**
         * The shortest publishing interval a client may ask for, ms (default {@value #DEFAULT_MIN_PUBLISHING_INTERVAL_MS},
         * Milo's); shorter requests are revised up to it. The SUMO bridge lowers it so a lockstep step is not a 10 ms wait.
         */
        public Context minPublishingIntervalMs(final double minPublishingIntervalMs)
        {
            this.minPublishingIntervalMs = minPublishingIntervalMs;
            return this;
        }

        public double minPublishingIntervalMs()
        {
            return minPublishingIntervalMs;
        }

        /** Told of every set-point a client wrote and a device took. */
        public Context setpointListener(final SetpointListener setpointListener)
        {
            this.setpointListener = setpointListener;
            return this;
        }

        public SetpointListener setpointListener()
        {
            return setpointListener;
        }

        /** Told whenever what an intersection shows changes (central command, local plan, watchdog). */
        public Context shownStateListener(final IntersectionController.ShownStateListener shownStateListener)
        {
            this.shownStateListener = shownStateListener;
            return this;
        }

        public IntersectionController.ShownStateListener shownStateListener()
        {
            return shownStateListener;
        }
    }
}
