package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.adapters.opcua.FieldNodes;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransport;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfig;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * The adapter's side of one field server: connects with the configured security, reads the topologies,
 * subscribes, translates notifications, writes heartbeats and commands, and when the session is lost reports its
 * devices OFFLINE and connects afresh after a capped exponential backoff (a new session, new subscription and the
 * topologies read again: whatever the server remembers of the old session is not relied on).
 * <p>
 * Threads: {@link #doWork} and the command methods run on the adapter's agent thread; connecting runs on the
 * connector executor (Milo's calls there may block); notifications arrive on Milo's delivery thread, one
 * notification message at a time; session loss on Milo's session thread. A {@link Session} is one connection;
 * everything a stale one delivers after it was lost is dropped.
 */
final class ServerLink
{
    private static final System.Logger LOG = System.getLogger(ServerLink.class.getName());
    private static final long NS_PER_MS = 1_000_000L;

    enum Phase
    {
        /** Waiting for the next attempt. */
        WAITING,
        CONNECTING,
        ONLINE,
        CLOSED
    }

    private final ServerSettings settings;
    private final OpcUaAdapter.Shared shared;
    private final FieldDevice[] devices;
    private final ClientPki.Validator validator;
    private final String host;
    private final int port;

    private volatile Phase phase = Phase.WAITING;
    private volatile Session session;
    private volatile long nextAttemptNs;
    private volatile String problem = "not connected yet";
    private long backoffMs;
    private boolean everConnected;
    private long nextHeartbeatNs;

    ServerLink(final ServerSettings settings, final FieldDevice[] devices, final OpcUaAdapter.Shared shared)
    {
        this.settings = settings;
        this.shared = shared;
        this.devices = devices.clone();
        this.validator = shared.pki.validator();
        final URI uri = URI.create(settings.endpoint());
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.backoffMs = shared.initialBackoffMs;
    }

    static long key(final FieldNodes.Kind kind, final int id)
    {
        return ((long)kind.ordinal() << 32) | (id & 0xFFFF_FFFFL);
    }

    String name()
    {
        return settings.name();
    }

    Phase phase()
    {
        return phase;
    }

    /** Why it is not online (the last failure), or "online". */
    String problem()
    {
        return phase == Phase.ONLINE ? "online" : problem;
    }

    FieldDevice[] devices()
    {
        return devices.clone();
    }

    // ---------------------------------------------------------------------------------------- agent thread

    int doWork(final long nowNs)
    {
        final Phase current = phase;
        if (current == Phase.WAITING && nowNs - nextAttemptNs >= 0)
        {
            phase = Phase.CONNECTING;
            shared.connector.execute(this::connect);
            return 1;
        }
        if (current == Phase.ONLINE && nowNs - nextHeartbeatNs >= 0)
        {
            nextHeartbeatNs = nowNs + shared.heartbeatIntervalMs * NS_PER_MS;
            final Session s = session;
            if (s != null && s.active)
            {
                s.heartbeat();
                return 1;
            }
        }
        return 0;
    }

    /** SignalCommand for one of its intersections: one SetSignalState call, never repeated. */
    void signal(final int intersectionId, final String signalState, final long durationMs, final int mode, final int reason)
    {
        final Session s = session;
        if (s == null || !s.active)
        {
            dropped("SetSignalState on intersection " + intersectionId);
            return;
        }
        final String object = FieldNodes.device(FieldNodes.Kind.INTERSECTION, intersectionId);
        final CallMethodRequest request = new CallMethodRequest(
            new NodeId(s.namespaceIndex, object),
            new NodeId(s.namespaceIndex, object + "/" + FieldNodes.SET_SIGNAL_STATE),
            new Variant[] { Variant.ofString(signalState), Variant.ofUInt32(uint(durationMs)), Variant.ofInt32(mode), Variant.ofInt32(reason) });
        s.client.callAsync(List.of(request)).whenComplete((response, failure) ->
        {
            final StatusCode status = failure != null ? null : response.getResults()[0].getStatusCode();
            if (status != null && status.isGood())
            {
                shared.counters.commandsSent.incrementAndGet();
            }
            else
            {
                shared.counters.commandsFailed.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "opcua " + settings.name() + ": SetSignalState " + signalState + " on intersection " +
                    intersectionId + " failed: " + (failure != null ? failure.toString() : status.toString()));
            }
        });
    }

    /** Setpoint for one of its ESS, chargers or PV inverters: one Write, never repeated. */
    void setpoint(final FieldNodes.Kind kind, final int deviceId, final int activePowerW, final int reactivePowerVar)
    {
        final Session s = session;
        if (s == null || !s.active)
        {
            dropped("set-point of " + kind.yamlName() + " " + deviceId);
            return;
        }
        final List<WriteValue> writes = new ArrayList<>(2);
        switch (kind)
        {
            case ESS ->
            {
                writes.add(s.write(FieldNodes.node(kind, deviceId, FieldNodes.ACTIVE_POWER_SETPOINT_W), Variant.ofInt32(activePowerW)));
                writes.add(s.write(FieldNodes.node(kind, deviceId, FieldNodes.REACTIVE_POWER_SETPOINT_VAR), Variant.ofInt32(reactivePowerVar)));
            }
            case CHARGER -> writes.add(s.write(FieldNodes.node(kind, deviceId, FieldNodes.POWER_LIMIT_W), Variant.ofInt32(activePowerW)));
            // the model keeps the SBE sign convention (generation negative): the variable holds -limit, as the Setpoint
            case PV -> writes.add(s.write(FieldNodes.node(kind, deviceId, FieldNodes.CURTAILMENT_LIMIT_W), Variant.ofInt32(activePowerW)));
            default ->
            {
                return;
            }
        }
        s.client.writeAsync(writes).whenComplete((response, failure) ->
        {
            boolean good = failure == null;
            if (good)
            {
                for (final StatusCode status : response.getResults())
                {
                    good &= status.isGood();
                }
            }
            if (good)
            {
                shared.counters.commandsSent.incrementAndGet();
            }
            else
            {
                shared.counters.commandsFailed.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "opcua " + settings.name() + ": set-point write to " + kind.yamlName() + " " + deviceId +
                    " failed: " + (failure != null ? failure.toString() : java.util.Arrays.toString(response.getResults())));
            }
        });
    }

    private void dropped(final String what)
    {
        shared.counters.commandsDropped.incrementAndGet();
        LOG.log(System.Logger.Level.DEBUG, "opcua " + settings.name() + " is not connected: " + what + " dropped (the next command supersedes it)");
    }

    // ---------------------------------------------------------------------------------------- connecting

    private void connect()
    {
        if (phase == Phase.CLOSED)
        {
            return;
        }
        Session opened = null;
        try
        {
            opened = open();
            synchronized (opened)
            {
                if (phase == Phase.CLOSED)
                {
                    opened.active = false;
                    opened.close();
                    return;
                }
                if (!opened.active)
                {
                    return; // lost while subscribing: the loss has scheduled the next attempt
                }
                session = opened;
                phase = Phase.ONLINE;
            }
            backoffMs = shared.initialBackoffMs;
            shared.counters.connects.incrementAndGet();
            if (everConnected)
            {
                shared.counters.reconnects.incrementAndGet();
            }
            everConnected = true;
            LOG.log(System.Logger.Level.INFO, "opcua " + settings.name() + ": connected to " + settings.endpoint());
        }
        catch (final Exception ex)
        {
            if (opened != null)
            {
                opened.close();
            }
            shared.counters.connectFailures.incrementAndGet();
            problem = describe(ex);
            LOG.log(System.Logger.Level.WARNING, "opcua " + settings.name() + ": " + problem);
            offline("cannot connect: " + problem);
            retryLater();
        }
    }

    private String describe(final Exception ex)
    {
        final Path rejected = validator.takeRejected();
        final String where = "server \"" + settings.name() + "\" (" + settings.endpoint() + "): ";
        if (rejected != null)
        {
            return where + validator.untrustedMessage(rejected);
        }
        Throwable cause = ex;
        while (cause.getCause() != null && cause != cause.getCause() && !(cause instanceof UaException))
        {
            cause = cause.getCause();
        }
        return where + (cause.getMessage() != null ? cause.getMessage() : cause.toString());
    }

    private void retryLater()
    {
        if (phase == Phase.CLOSED)
        {
            return;
        }
        nextAttemptNs = System.nanoTime() + backoffMs * NS_PER_MS;
        backoffMs = Math.min(backoffMs * 2, shared.maxBackoffMs);
        phase = Phase.WAITING;
    }

    private void offline(final String why)
    {
        for (final FieldDevice device : devices)
        {
            device.offline(device.name + " offline: server \"" + settings.name() + "\" " + why);
        }
    }

    private Session open() throws Exception
    {
        final EndpointDescription endpoint = endpoint();
        final IdentityProvider identity = settings.user() != null
            ? new UsernameProvider(settings.user(), settings.password())
            : new AnonymousProvider();
        final X509Certificate certificate = shared.pki.certificate();
        final OpcUaClientConfig config = OpcUaClientConfig.builder()
            .setApplicationName(LocalizedText.english(ClientPki.APPLICATION_NAME))
            .setApplicationUri(ClientPki.APPLICATION_URI)
            .setProductUri("urn:sejong-city:control")
            .setEndpoint(endpoint)
            .setKeyPair(shared.pki.keyPair())
            .setCertificate(certificate)
            .setCertificateChain(new X509Certificate[] { certificate })
            .setCertificateValidator(validator)
            .setIdentityProvider(identity)
            .setRequestTimeout(uint(shared.requestTimeoutMs))
            .setSessionTimeout(uint(60_000))
            .setKeepAliveInterval(uint(shared.keepAliveIntervalMs))
            .setKeepAliveTimeout(uint(shared.requestTimeoutMs))
            .setKeepAliveFailuresAllowed(uint(1))
            .build();
        final OpcTcpClientTransport transport = new OpcTcpClientTransport(OpcTcpClientTransportConfig.newBuilder()
            .setConnectTimeout(uint(shared.requestTimeoutMs))
            .build());
        final Session s = new Session(new OpcUaClient(config, transport));
        s.client.addSessionActivityListener(s);
        s.client.connect();

        final UShort index = s.client.readNamespaceTable().getIndex(FieldNodes.NAMESPACE_URI);
        if (index == null)
        {
            s.close();
            throw new IllegalStateException("the server has no namespace " + FieldNodes.NAMESPACE_URI + " in its NamespaceArray");
        }
        s.namespaceIndex = index.intValue();

        final List<FieldDevice> subscribed = new ArrayList<>(devices.length);
        for (final FieldDevice device : devices)
        {
            device.reset();
            if (device instanceof IntersectionDevice intersection)
            {
                try
                {
                    final TopologyReader.Shape shape = TopologyReader.readAndPublish(s.client, s.namespaceIndex, device.id, shared.publisher);
                    intersection.topology(shape.lanes(), shape.movements());
                    s.heartbeatNodes.add(new NodeId(s.namespaceIndex, FieldNodes.node(device.kind, device.id, FieldNodes.CENTRAL_HEARTBEAT)));
                }
                catch (final TopologyReader.BadTopology ex)
                {
                    // without its topology an intersection's observations mean nothing: it is not subscribed
                    device.online("connected");
                    device.reject("topology", ex.getMessage());
                    continue;
                }
            }
            subscribed.add(device);
        }
        for (final FieldDevice device : subscribed)
        {
            device.online(device.name + " online: server \"" + settings.name() + "\" connected");
        }
        s.active = true;
        // commands may go from here on: the first readings the subscription delivers can be answered at once (a node
        // in lockstep answers them within the same step), and an answer dropped then would be lost for good
        session = s;
        try
        {
            s.subscribe(subscribed);
        }
        catch (final Exception ex)
        {
            s.active = false;
            if (session == s)
            {
                session = null;
            }
            throw ex;
        }
        return s;
    }

    private EndpointDescription endpoint() throws Exception
    {
        final List<EndpointDescription> offered = DiscoveryClient.getEndpoints(settings.endpoint())
            .get(shared.requestTimeoutMs, TimeUnit.MILLISECONDS);
        final String policyUri = SecurityPolicy.valueOf(settings.securityPolicy()).getUri();
        final MessageSecurityMode mode = MessageSecurityMode.valueOf(settings.securityMode());
        final UserTokenType token = settings.user() != null ? UserTokenType.UserName : UserTokenType.Anonymous;
        for (final EndpointDescription candidate : offered)
        {
            if (policyUri.equals(candidate.getSecurityPolicyUri()) && candidate.getSecurityMode() == mode && accepts(candidate, token))
            {
                // a server often names itself by a host name the adapter cannot resolve: keep the configured host and port
                return EndpointUtil.updateUrl(candidate, host, port);
            }
        }
        final List<String> offers = new ArrayList<>();
        for (final EndpointDescription candidate : offered)
        {
            offers.add(SecurityPolicy.fromUriSafe(candidate.getSecurityPolicyUri()).map(Enum::name).orElse(candidate.getSecurityPolicyUri()) +
                "/" + candidate.getSecurityMode());
        }
        throw new IllegalStateException("the server offers no endpoint with " + settings.securityPolicy() + "/" + settings.securityMode() +
            " and " + token + " identity (it offers " + offers + ")");
    }

    private static boolean accepts(final EndpointDescription endpoint, final UserTokenType token)
    {
        final UserTokenPolicy[] policies = endpoint.getUserIdentityTokens();
        if (policies == null)
        {
            return false;
        }
        for (final UserTokenPolicy policy : policies)
        {
            if (policy.getTokenType() == token)
            {
                return true;
            }
        }
        return false;
    }

    private void onSessionLost(final Session s, final String why)
    {
        synchronized (s)
        {
            if (!s.active)
            {
                return;
            }
            s.active = false;
        }
        if (session == s)
        {
            session = null;
        }
        shared.counters.sessionsLost.incrementAndGet();
        problem = "server \"" + settings.name() + "\" (" + settings.endpoint() + "): session lost (" + why + ")";
        LOG.log(System.Logger.Level.WARNING, "opcua " + problem);
        offline("session lost (" + why + ")");
        shared.connector.execute(s::close);
        retryLater();
    }

    void close()
    {
        phase = Phase.CLOSED;
        final Session s = session;
        session = null;
        if (s != null)
        {
            s.active = false;
            s.close();
        }
    }

    /**
     * One value of a monitored variable: refused unless its status is Good, it has a value and a SourceTimestamp;
     * otherwise handed to its device. The caller flushes the devices it made dirty at the end of the message. A
     * variable the device has not written yet (Bad_WaitingForInitialData: a charger that has had no session) is
     * nothing to pass on and nothing wrong.
     */
    static void deliver(final FieldDevice device, final int variable, final String variableName, final DataValue value, final long arrivalNs)
    {
        final StatusCode status = value.getStatusCode();
        if (status != null && status.getValue() == org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_WaitingForInitialData)
        {
            return;
        }
        if (status != null && !status.isGood())
        {
            device.reject(variableName, "status " + status);
            return;
        }
        final Object v = value.getValue() == null ? null : value.getValue().getValue();
        if (v == null)
        {
            device.reject(variableName, "no value");
            return;
        }
        final long atNs = Values.epochNs(value.getSourceTime());
        if (atNs == Values.NO_TIME)
        {
            device.reject(variableName, v, "no SourceTimestamp");
            return;
        }
        device.onValue(variable, variableName, v, atNs, arrivalNs);
    }

    /** Keep-alive count below which the stack's own (10) is kept. */
    private static final long KEEP_ALIVE_COUNT_MIN = 10;

    /** Every value written is reported, an unchanged one too (its SourceTimestamp is new). */
    private static final DataChangeFilter EVERY_READING =
        new DataChangeFilter(DataChangeTrigger.StatusValueTimestamp, uint(DeadbandType.None.getValue()), 0.0);

    /** A monitored item that knows the device and variable its values belong to. */
    static final class BoundItem extends OpcUaMonitoredItem
    {
        final FieldDevice device;
        final int variable;
        final String variableName;

        BoundItem(final NodeId nodeId, final FieldDevice device, final int variable, final String variableName)
        {
            super(new ReadValueId(nodeId, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE));
            this.device = device;
            this.variable = variable;
            this.variableName = variableName;
        }
    }

    /** One connection to the server: its client, subscription and namespace index. */
    final class Session implements SessionActivityListener, OpcUaSubscription.SubscriptionListener
    {
        final OpcUaClient client;
        final List<NodeId> heartbeatNodes = new ArrayList<>();
        volatile boolean active;
        int namespaceIndex;
        private FieldDevice[] dirty = new FieldDevice[0];
        private long heartbeat;

        Session(final OpcUaClient client)
        {
            this.client = client;
        }

        WriteValue write(final String identifier, final Variant value)
        {
            return new WriteValue(new NodeId(namespaceIndex, identifier), AttributeId.Value.uid(), null, DataValue.valueOnly(value));
        }

        void subscribe(final List<FieldDevice> subscribed) throws UaException
        {
            dirty = new FieldDevice[subscribed.size()];
            final OpcUaSubscription subscription = new OpcUaSubscription(client, (double)settings.samplingMs());
            final long keepAliveCount = (1000L + settings.samplingMs() - 1) / settings.samplingMs();
            if (keepAliveCount > KEEP_ALIVE_COUNT_MIN)
            {
                // a fast publishing interval: keep-alives (and the client's watchdog on them) about once a second rather
                // than every few milliseconds, which a busy machine misses
                subscription.setMaxKeepAliveCount(uint(keepAliveCount));
                subscription.setLifetimeCount(uint(keepAliveCount * 6));
            }
            subscription.setSubscriptionListener(this);
            subscription.create();
            final List<OpcUaMonitoredItem> items = new ArrayList<>();
            for (final FieldDevice device : subscribed)
            {
                for (final FieldDevice.Item spec : device.items())
                {
                    final BoundItem item = new BoundItem(new NodeId(namespaceIndex, spec.identifier()), device, spec.variable(), spec.name());
                    item.setSamplingInterval(settings.samplingMs());
                    item.setQueueSize(uint(spec.queueSize()));
                    item.setDiscardOldest(spec.discardOldest());
                    if (spec.everyReading())
                    {
                        item.setFilter(EVERY_READING);
                    }
                    items.add(item);
                }
            }
            subscription.addMonitoredItems(items);
            try
            {
                subscription.synchronizeMonitoredItems();
            }
            catch (final MonitoredItemSynchronizationException ex)
            {
                // reported per item below
            }
            for (final OpcUaMonitoredItem item : items)
            {
                final StatusCode result = item.getCreateResult().orElse(StatusCode.BAD);
                if (!result.isGood())
                {
                    final BoundItem bound = (BoundItem)item;
                    bound.device.reject(bound.variableName, "cannot monitor it: " + result);
                }
            }
        }

        void heartbeat()
        {
            if (heartbeatNodes.isEmpty())
            {
                return;
            }
            heartbeat = (heartbeat + 1) & 0xFFFF_FFFFL;
            final List<WriteValue> writes = new ArrayList<>(heartbeatNodes.size());
            final DataValue value = DataValue.valueOnly(Variant.ofUInt32(uint(heartbeat)));
            for (final NodeId node : heartbeatNodes)
            {
                writes.add(new WriteValue(node, AttributeId.Value.uid(), null, value));
            }
            client.writeAsync(writes).whenComplete((response, failure) ->
            {
                if (failure == null)
                {
                    for (final StatusCode status : response.getResults())
                    {
                        if (status.isGood())
                        {
                            shared.counters.heartbeatsWritten.incrementAndGet();
                        }
                    }
                }
            });
        }

        @Override
        public void onDataReceived(final OpcUaSubscription subscription, final List<OpcUaMonitoredItem> items, final List<DataValue> values)
        {
            final long arrivalNs = System.nanoTime();
            final int count = items.size();
            shared.counters.notifications.addAndGet(count);
            if (!active)
            {
                return; // a lost session's last words: its devices are already OFFLINE
            }
            int dirtyCount = 0;
            for (int i = 0; i < count; i++)
            {
                final BoundItem item = (BoundItem)items.get(i);
                final FieldDevice device = item.device;
                final boolean wasDirty = device.dirty;
                deliver(device, item.variable, item.variableName, values.get(i), arrivalNs);
                if (!wasDirty && device.dirty)
                {
                    dirty[dirtyCount++] = device;
                }
            }
            for (int i = 0; i < dirtyCount; i++)
            {
                dirty[i].flush(arrivalNs);
                dirty[i] = null;
            }
        }

        @Override
        public void onWatchdogTimerElapsed(final OpcUaSubscription subscription)
        {
            onSessionLost(this, "no publish response or keep-alive within the subscription's watchdog");
        }

        @Override
        public void onTransferFailed(final OpcUaSubscription subscription, final StatusCode status)
        {
            onSessionLost(this, "subscription transfer failed: " + status);
        }

        @Override
        public void onSessionActive(final UaSession uaSession)
        {
            // the session this object was made for; a re-activated one after a loss is not used
        }

        @Override
        public void onSessionInactive(final UaSession uaSession)
        {
            onSessionLost(this, "the session became inactive");
        }

        void close()
        {
            try
            {
                client.disconnectAsync().get(shared.requestTimeoutMs, TimeUnit.MILLISECONDS);
            }
            catch (final Exception ex)
            {
                // the server is gone; the transport is closed either way
            }
        }
    }
}
