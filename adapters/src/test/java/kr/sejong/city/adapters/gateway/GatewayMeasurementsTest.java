package kr.sejong.city.adapters.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import kr.sejong.city.core.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The field's measurements through a running node and gateway: known frames offered on the node's ingress
 * (as the field simulator sends them, {@link MeasurementFrames#sendKnownField}) are read by the gateway's own
 * subscription and come out of {@code GET /api/state} and the event stream with exactly the values sent, each
 * center's part only to the clients holding a role there; frames that fail to decode, unknown ids and invalid
 * values are counted and not shown.
 */
class GatewayMeasurementsTest
{
    @TempDir
    static Path dataDir;

    static GatewayTesting t;
    static long nowMs;

    @BeforeAll
    static void start()
    {
        t = GatewayTesting.start(dataDir);
        t.awaitMeasurementReader();
        nowMs = System.currentTimeMillis();
        final int sent = new MeasurementFrames().sendKnownField(t::feed, nowMs, true);
        TestClient.awaitCondition("the gateway read the " + sent + " measurement frames",
            () -> t.gateway.state().field().counters().get("frames") == sent, 10);
    }

    @AfterAll
    static void stop()
    {
        t.close();
    }

    @Test
    void anEnergyOperatorGetsTheMeasuredEnergyValuesAsSent()
    {
        final GatewayTesting.Reply state = t.call("GET", "/api/state", "energy-operator", null);
        assertEquals(200, state.status(), state.text());
        final JsonNode m = state.json().get("energy").get("measured");

        assertEquals(4_321_000, m.get("pcc").get("powerW").asInt(), m.toString());
        assertEquals(nowMs, m.get("pcc").get("measuredAtMs").asLong());
        assertEquals(5_100_000, m.get("load").get("powerW").asInt());

        final JsonNode history = m.get("pccHistory");
        assertEquals(60, history.size(), "one sample a second: " + history);
        assertEquals(4_321_000 - 59 * 10_000, history.get(0).get("powerW").asInt());
        assertEquals(nowMs - 59_000, history.get(0).get("timeMs").asLong());
        assertEquals(4_321_000, history.get(59).get("powerW").asInt());

        assertEquals(962_400, m.get("pvTotalW").asLong(), "PV 201 + 221 (222's reading is invalid): " + m.get("pv"));
        assertEquals(3, m.get("pv").size(), m.get("pv").toString());
        assertPv(m.get("pv").get(0), 201, "350000");
        assertPv(m.get("pv").get(1), 221, "612400");
        assertPv(m.get("pv").get(2), 222, "null");

        assertEquals(2, m.get("ess").size());
        assertEquals(301, m.get("ess").get(0).get("deviceId").asInt());
        assertEquals("Central ESS", m.get("ess").get(0).get("name").asText());
        assertEquals(623, m.get("ess").get(0).get("socPermille").asInt());
        assertEquals(150_000, m.get("ess").get(0).get("powerW").asInt());
        assertEquals(302, m.get("ess").get(1).get("deviceId").asInt());
        assertEquals(415, m.get("ess").get(1).get("socPermille").asInt());
        assertEquals(-80_000, m.get("ess").get(1).get("powerW").asInt());

        // charger 401's session ended: only 427's is open
        final JsonNode chargers = m.get("chargers");
        assertEquals(1, chargers.size(), chargers.toString());
        final JsonNode c = chargers.get(0);
        assertEquals(427, c.get("chargerId").asInt());
        assertEquals("Mobility Hub Super 1", c.get("name").asText());
        assertEquals(77, c.get("sessionId").asLong());
        assertEquals("CHARGING", c.get("state").asText());
        assertEquals(420, c.get("vehicleSocPermille").asInt());
        assertEquals(180_000, c.get("powerW").asInt());
        assertEquals(31_500, c.get("energyNeededWh").asInt());
        final long departureMs = MeasurementFrames.knownDepartureMs(nowMs);
        assertEquals(departureMs, c.get("departureMs").asLong());
        assertEquals(java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(java.time.ZoneId.of("Asia/Seoul"))
            .format(java.time.Instant.ofEpochMilli(departureMs)), c.get("departureLocal").asText());
        assertEquals(30, m.get("chargerCount").asInt());
        assertEquals(180_000, m.get("chargingW").asLong());
    }

    @Test
    void aTrafficViewerGetsTheQueuePerApproachAndInAll()
    {
        final GatewayTesting.Reply state = t.call("GET", "/api/state", "energy-operator", null);
        final JsonNode queues = state.json().get("traffic").get("queues");
        assertEquals(1, queues.size(), "101 only: 102's observation has 5 lanes for 6, 103's was cut short: " + queues);
        final JsonNode q = queues.get(0);
        assertEquals(101, q.get("intersectionId").asInt());
        assertEquals("Ring North", q.get("name").asText());
        assertEquals(15, q.get("halting").asInt());
        assertEquals(25, q.get("vehicles").asInt());
        final StringBuilder approaches = new StringBuilder();
        q.get("approaches").forEach(a -> approaches.append(a.get("from").asText()).append(' ').append(a.get("halting").asInt())
            .append('/').append(a.get("vehicles").asInt()).append(' '));
        assertEquals("N 3/5 E 6/10 S 0/1 W 6/9", approaches.toString().trim());
        // every configured intersection is named, measured or not, so the screen can name each row
        final JsonNode names = state.json().get("traffic").get("intersections");
        assertEquals(t.city.traffic().intersections().size(), names.size(), names.toString());
        assertEquals(101, names.get(0).get("intersectionId").asInt());
        assertEquals("Ring North", names.get(0).get("name").asText());
    }

    @Test
    void aClientWithoutAnEnergyRoleGetsNoEnergyDataAndOneWithoutATrafficRoleNoQueues()
    {
        final GatewayTesting.Reply traffic = t.call("GET", "/api/state", "mobility-app", null);
        assertEquals(200, traffic.status(), traffic.text());
        assertFalse(traffic.json().has("energy"), traffic.text());
        assertTrue(traffic.json().get("traffic").get("queues").size() == 1, traffic.text());
        for (final String energyWord : new String[] {"pccHistory", "socPermille", "Central ESS", "Mobility Hub", "4321000", "balancing"})
        {
            assertFalse(traffic.text().contains(energyWord), energyWord + " in " + traffic.text());
        }

        final GatewayTesting.Reply energy = t.call("GET", "/api/state", "utility", null);
        assertEquals(200, energy.status(), energy.text());
        assertFalse(energy.json().has("traffic"), energy.text());
        assertFalse(energy.text().contains("Ring North"), energy.text());
        assertEquals(623, energy.json().get("energy").get("measured").get("ess").get(0).get("socPermille").asInt());
    }

    @Test
    void framesThatFailToDecodeUnknownIdsAndInvalidValuesAreCountedNotShown()
    {
        final JsonNode counters = t.call("GET", "/api/state", "city-viewer", null).json().get("measurements");
        assertEquals(1, counters.get("undecodable").asInt(), counters.toString());
        assertEquals(1, counters.get("unknownIds").asInt(), "PV 999: " + counters);
        assertEquals(2, counters.get("invalidValues").asInt(), "PV 222's null power and 102's lane count: " + counters);
        final GatewayTesting.Reply state = t.call("GET", "/api/state", "city-viewer", null);
        final String all = state.text();
        assertFalse(all.contains("\"deviceId\":999"), all);
        final String queues = state.json().get("traffic").get("queues").toString();
        assertFalse(queues.contains("\"intersectionId\":103"), queues);
    }

    @Test
    void theEventStreamSendsQueuesOnlyToTrafficAndMeasurementsOnlyToEnergyAtMostOnceASecond() throws Exception
    {
        final List<String> traffic = events("mobility-app", 3500);
        assertTrue(traffic.stream().anyMatch(e -> e.startsWith("traffic ") && e.contains("\"queues\":[{\"intersectionId\":101")), traffic.toString());
        assertTrue(traffic.stream().noneMatch(e -> e.startsWith("energy ") || e.contains("socPermille")), traffic.toString());

        final List<String> energy = events("utility", 3500);
        final long energyEvents = energy.stream().filter(e -> e.startsWith("energy ")).count();
        assertTrue(energyEvents >= 2 && energyEvents <= 4, "once a second over 3.5 s: " + energy.size() + " events");
        assertTrue(energy.stream().anyMatch(e -> e.startsWith("energy ") && e.contains("\"socPermille\":623")), energy.toString());
        assertTrue(energy.stream().noneMatch(e -> e.startsWith("traffic ") || e.contains("Ring North")), energy.toString());
    }

    /** The events of a client's stream over a while, each as "type data". */
    private static List<String> events(final String client, final long forMs) throws Exception
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(t.base() + "/api/events"))
            .header("Authorization", "Bearer " + t.keys.get(client)).header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(20)).build();
        final HttpResponse<java.io.InputStream> response = t.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        final List<String> events = new ArrayList<>();
        final long deadline = System.currentTimeMillis() + forMs;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)))
        {
            String type = null;
            String line;
            while (System.currentTimeMillis() < deadline && (line = reader.readLine()) != null)
            {
                if (line.startsWith("event: "))
                {
                    type = line.substring(7);
                }
                else if (line.startsWith("data: ") && type != null)
                {
                    events.add(type + " " + line.substring(6));
                }
            }
        }
        return events;
    }

    private static void assertPv(final JsonNode pv, final int id, final String outputW)
    {
        assertEquals(id, pv.get("deviceId").asInt(), pv.toString());
        assertEquals(outputW, pv.get("outputW").asText(), pv.toString());
    }
}
