package kr.sejong.city.adapters.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import kr.sejong.city.codecs.CallEventEncoder;
import kr.sejong.city.codecs.EmergencyLine;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.config.ApiKeyHash;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.Gateway;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeContexts;
import kr.sejong.city.core.testing.TestClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real node (the default city's loops, live mode, embedded media driver, journal on disk) with the
 * gateway in front of it, and the test clients' keys. Each client's key is made here and only its hash
 * goes into the configuration, as in a deployment.
 */
final class GatewayTesting implements AutoCloseable
{
    static final ObjectMapper JSON = new ObjectMapper();

    /** client id -> grants "center:role,center:role". */
    static final Map<String, String> CLIENTS = new LinkedHashMap<>();

    static
    {
        CLIENTS.put("mobility-app", "traffic:operate");
        CLIENTS.put("utility", "energy:operate");
        CLIENTS.put("dispatch-center", "traffic:operate,emergency:view");
        CLIENTS.put("traffic-operator", "traffic:manage,energy:view,emergency:view");
        CLIENTS.put("energy-operator", "energy:operate,traffic:view");
        CLIENTS.put("emergency-operator", "emergency:operate,traffic:view");
        CLIENTS.put("city-viewer", "traffic:view,energy:view,emergency:view");
        CLIENTS.put("slow-client", "traffic:view");
        CLIENTS.put("traffic-viewer", "traffic:view");
    }

    final Map<String, String> keys = new LinkedHashMap<>();
    final CityConfig city;
    final ControlNode node;
    final Aeron aeron;
    /** Replaced by {@link #stopGateway()} and {@link #startGateway()}; the node keeps running. */
    GatewayServer gateway;
    final ExclusivePublication field;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    final Path dataDir;
    /** The data directory whose egress journal the gateway delivers from (the node's unless a test plays one). */
    final Path deliveryDataDir;
    private final AtomicLong callIds = new AtomicLong(9000);

    record Reply(int status, JsonNode json, String text)
    {
        String error()
        {
            return json != null && json.has("error") ? json.get("error").asText() : text;
        }

        String field()
        {
            return json != null && json.has("field") ? json.get("field").asText() : null;
        }
    }

    GatewayTesting(final Path dataDir, final List<Gateway.Endpoint> endpoints, final Gateway.Retry retry)
    {
        this(dataDir, endpoints, retry, null, null);
    }

    /**
     * @param settlement      the settlement endpoint, or null.
     * @param deliveryDataDir the data directory whose egress journal the gateway delivers from: null for the node's;
     *                        another for a journal the test writes by hand.
     */
    GatewayTesting(final Path dataDir, final List<Gateway.Endpoint> endpoints, final Gateway.Retry retry, final String settlement,
        final Path deliveryDataDir)
    {
        this.dataDir = dataDir;
        this.deliveryDataDir = deliveryDataDir != null ? deliveryDataDir : dataDir;
        final List<Gateway.Client> clients = new ArrayList<>();
        for (final Map.Entry<String, String> entry : CLIENTS.entrySet())
        {
            final String key = ApiKeyHash.newKey(entry.getKey());
            keys.put(entry.getKey(), key);
            final List<Gateway.Grant> grants = new ArrayList<>();
            for (final String grant : entry.getValue().split(","))
            {
                final String[] parts = grant.split(":");
                grants.add(new Gateway.Grant(Gateway.Center.valueOf(parts[0].toUpperCase()), Gateway.Role.valueOf(parts[1].toUpperCase())));
            }
            final Gateway.RateLimit limit = entry.getKey().equals("slow-client") ? new Gateway.RateLimit(0.5, 2) : null;
            clients.add(new Gateway.Client(entry.getKey(), ApiKeyHash.of(key, ApiKeyHash.MIN_ITERATIONS).encoded(), grants, limit));
        }
        final CityConfig base = ConfigLoader.loadDefault().config();
        final Gateway gateway = new Gateway("127.0.0.1", 0, 4096, new Gateway.RateLimit(5000, 5000), clients,
            new Gateway.Notifications(retry, endpoints, settlement));
        city = new CityConfig(base.city(), base.node(), base.traffic(), base.mobility(), base.energy(), base.emergency(), base.simulator(), gateway);
        ConfigLoader.validate(city, "test");
        node = ControlNode.launch(NodeContexts.fromConfig(city.node(), dataDir).loops(Loops.create(city)));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName()));
        field = aeron.addExclusivePublication(node.context().ingressChannel(), node.context().ingressStreamId());
        startGateway();
    }

    /** Starts a gateway in front of the running node (the first one, or again after {@link #stopGateway()}). */
    void startGateway()
    {
        gateway = GatewayServer.start(city, deliveryDataDir, aeron, node.context().ingressChannel(), node.context().ingressStreamId(),
            node.context().egressChannel(), node.context().egressStreamId());
        TestClient.awaitCondition("gateway connected to the node", () -> gateway.connected() && field.isConnected(), 10);
    }

    /** Stops the gateway; the node goes on deciding. */
    void stopGateway()
    {
        gateway.close();
        gateway = null;
    }

    static GatewayTesting start(final Path dataDir)
    {
        return new GatewayTesting(dataDir, List.of(), new Gateway.Retry(50, 500, 1000));
    }

    String base()
    {
        return "http://127.0.0.1:" + gateway.port();
    }

    Reply call(final String method, final String path, final String client, final String body)
    {
        return call(method, path, client, body, "application/json");
    }

    Reply call(final String method, final String path, final String client, final String body, final String contentType)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10));
        if (client != null)
        {
            request.header("Authorization", "Bearer " + keys.getOrDefault(client, client));
        }
        if (contentType != null && body != null)
        {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try
        {
            final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try
            {
                json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            }
            catch (final Exception notJson)
            {
                // the console's page and script
            }
            return new Reply(response.statusCode(), json, response.body());
        }
        catch (final Exception ex)
        {
            throw new AssertionError(method + " " + path + ": " + ex, ex);
        }
    }

    /** A 119 call reporting a fire at a place: the triage loop makes a P1 incident of it. Returns the call id. */
    long fireCall(final double eastM, final double northM)
    {
        final long callId = callIds.incrementAndGet();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final CallEventEncoder call = new CallEventEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .callId(callId).line(EmergencyLine.FIRE_119).category(EventClass.FIRE).receivedAtNs(System.currentTimeMillis() * 1_000_000L);
        call.position().eastMm((int)(eastM * 1000)).northMm((int)(northM * 1000));
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + call.encodedLength();
        TestClient.awaitCondition("call offered", () -> field.offer(buffer, 0, length) > 0, 10);
        return callId;
    }

    /** Offers one frame on the node's ingress as a field device would. */
    void feed(final org.agrona.DirectBuffer buffer, final int length)
    {
        TestClient.awaitCondition("frame offered", () -> field.offer(buffer, 0, length) > 0, 10);
    }

    /** Waits until the gateway's measurement reader is subscribed to the test's field publication. */
    void awaitMeasurementReader()
    {
        TestClient.awaitCondition("the gateway reads the field's publication", () -> gateway.readsMeasurementsOf(field.sessionId()), 10);
    }

    /** Waits for an open incident and returns it. */
    LiveState.IncidentView awaitIncident(final java.util.function.Predicate<LiveState.IncidentView> which)
    {
        final LiveState.IncidentView[] found = new LiveState.IncidentView[1];
        TestClient.awaitCondition("an incident", () ->
        {
            for (final LiveState.IncidentView incident : gateway.state().incidents())
            {
                if (which.test(incident))
                {
                    found[0] = incident;
                    return true;
                }
            }
            return false;
        }, 10);
        return found[0];
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(gateway, field, aeron, node);
    }
}
