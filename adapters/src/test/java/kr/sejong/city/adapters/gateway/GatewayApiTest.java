package kr.sejong.city.adapters.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import kr.sejong.city.codecs.DemandResponseEventDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.OperatorActionDecoder;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.OperatorSetpointDecoder;
import kr.sejong.city.codecs.PriceSignalDecoder;
import kr.sejong.city.codecs.PriorityRequestDecoder;
import kr.sejong.city.codecs.RideCancelDecoder;
import kr.sejong.city.codecs.RideRequestDecoder;
import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.FrequencyMeasurementEncoder;
import kr.sejong.city.codecs.GridMeasurementEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SetpointDecoder;
import kr.sejong.city.codecs.SetpointReason;
import kr.sejong.city.core.testing.JournalContents;
import kr.sejong.city.core.testing.TestClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The gateway's API against a running node (real Aeron, the default city's loops, the journal on disk):
 * each endpoint, each kind of bad input, each role boundary; and that what was accepted is on the
 * ingress journal as the SBE message, with an OperatorAction naming who did it.
 */
class GatewayApiTest
{
    @TempDir
    static Path dataDir;

    static GatewayTesting t;

    @BeforeAll
    static void start()
    {
        t = GatewayTesting.start(dataDir);
    }

    @AfterAll
    static void stop()
    {
        t.close();
    }

    static final String RIDE = "{\"riderId\": 77, \"origin\": {\"stopId\": 1}, \"destination\": {\"stopId\": 2}, \"partySize\": 2}";

    // ------------------------------------------------------------------------------------------ each endpoint

    @Test
    void aRideRequestIsAcceptedWithItsIdJournaledAsARideRequestAndAnsweredByTheDispatchLoop()
    {
        final GatewayTesting.Reply reply = t.call("POST", "/api/rides", "mobility-app", RIDE);
        assertEquals(202, reply.status(), reply.text());
        final long requestId = reply.json().get("requestId").asLong();
        assertEquals("/api/rides/" + requestId, reply.json().get("statusUrl").asText());

        final RideRequestDecoder ride = new RideRequestDecoder();
        final byte[] frame = awaitJournaled(RideRequestDecoder.TEMPLATE_ID, f ->
        {
            wrap(ride, f);
            return ride.requestId() == requestId;
        });
        wrap(ride, frame);
        assertEquals(77, ride.riderId());
        assertEquals(1, ride.originStopId());
        assertEquals(2, ride.destinationStopId());
        assertEquals(2, ride.partySize());
        assertAudited("mobility-app", OperatorRole.OPERATE, "RideRequest " + requestId + " rider 77");

        // the dispatch loop answers (assigned or rejected, with a reason): the status follows egress
        TestClient.awaitCondition("the ride's outcome", () ->
            !"REQUESTED".equals(t.call("GET", "/api/rides/" + requestId, "mobility-app", null).json().get("status").asText()), 10);
    }

    @Test
    void aRideByPositionAndItsCancellation()
    {
        final GatewayTesting.Reply reply = t.call("POST", "/api/rides", "mobility-app",
            "{\"riderId\": 78, \"origin\": {\"eastM\": 10.5, \"northM\": -20}, \"destination\": {\"stopId\": 3}, \"partySize\": 1,"
                + " \"wheelchairs\": 1, \"earliestPickupAtMs\": " + (System.currentTimeMillis() + 600_000) + "}");
        assertEquals(202, reply.status(), reply.text());
        final long requestId = reply.json().get("requestId").asLong();
        final GatewayTesting.Reply cancel = t.call("DELETE", "/api/rides/" + requestId, "mobility-app", null);
        assertEquals(202, cancel.status(), cancel.text());
        final RideCancelDecoder decoder = new RideCancelDecoder();
        awaitJournaled(RideCancelDecoder.TEMPLATE_ID, f ->
        {
            wrap(decoder, f);
            return decoder.requestId() == requestId && decoder.riderId() == 78;
        });
        assertEquals(409, t.call("DELETE", "/api/rides/" + requestId, "mobility-app", null).status());
        assertEquals("CANCELLED", t.call("GET", "/api/rides/" + requestId, "mobility-app", null).json().get("status").asText());
    }

    @Test
    void aPriorityRequestFromADispatchSystem()
    {
        final GatewayTesting.Reply reply = t.call("POST", "/api/priority-requests", "dispatch-center",
            "{\"requestId\": 5001, \"vehicleId\": 119001, \"role\": \"ambulance\", \"type\": \"request\", \"intersectionId\": 101,"
                + " \"approachId\": 1, \"etaMs\": 20000, \"route\": [{\"intersectionId\": 102, \"approachId\": 1, \"etaMs\": 50000}]}");
        assertEquals(202, reply.status(), reply.text());
        final PriorityRequestDecoder decoder = new PriorityRequestDecoder();
        awaitJournaled(PriorityRequestDecoder.TEMPLATE_ID, f ->
        {
            wrap(decoder, f);
            return decoder.requestId() == 5001 && decoder.vehicleId() == 119001 && decoder.route().count() == 1;
        });
        assertAudited("dispatch-center", OperatorRole.OPERATE, "PriorityRequest 5001 request ambulance at intersection 101");
    }

    @Test
    void demandResponseAndPricesFromTheUtility()
    {
        final long now = System.currentTimeMillis();
        final GatewayTesting.Reply dr = t.call("POST", "/api/energy/demand-response", "utility",
            "{\"eventId\": 31, \"state\": \"announced\", \"reduceImportW\": 200000, \"startAtMs\": " + (now + 3_600_000)
                + ", \"endAtMs\": " + (now + 7_200_000) + "}");
        assertEquals(202, dr.status(), dr.text());
        assertEquals(31, dr.json().get("eventId").asLong());
        final DemandResponseEventDecoder event = new DemandResponseEventDecoder();
        awaitJournaled(DemandResponseEventDecoder.TEMPLATE_ID, f ->
        {
            wrap(event, f);
            return event.eventId() == 31 && event.reduceImportW() == 200_000;
        });
        final GatewayTesting.Reply price = t.call("POST", "/api/energy/prices", "utility",
            "{\"tariffId\": 4, \"validFromMs\": " + now + ", \"validToMs\": " + (now + 3_600_000)
                + ", \"importPriceKrwPerMwh\": 180000, \"exportPriceKrwPerMwh\": 90000}");
        assertEquals(202, price.status(), price.text());
        final PriceSignalDecoder signal = new PriceSignalDecoder();
        awaitJournaled(PriceSignalDecoder.TEMPLATE_ID, f ->
        {
            wrap(signal, f);
            return signal.tariffId() == 4 && signal.importPriceKrwPerMwh() == 180_000;
        });
        assertAudited("utility", OperatorRole.OPERATE, "DemandResponseEvent 31 announced reduce 200000 W");
    }

    @Test
    void anEnergyOperatorSetsAGridSetPointAndATrafficManagerChangesAnIntersectionsControl()
    {
        final GatewayTesting.Reply setpoint = t.call("POST", "/api/energy/setpoints", "energy-operator",
            "{\"deviceId\": " + t.city.energy().ess().get(0).id() + ", \"activePowerW\": -50000, \"holdS\": 1}");
        assertEquals(202, setpoint.status(), setpoint.text());
        assertAction(setpoint.json().get("actionId").asLong(), "energy-operator", OperatorActionKind.SET_POINT, "activePowerW=-50000 holdS=1");

        final GatewayTesting.Reply control = t.call("POST", "/api/traffic/intersections/101/control", "traffic-operator",
            "{\"control\": \"maxpressure\"}");
        assertEquals(202, control.status(), control.text());
        assertAction(control.json().get("actionId").asLong(), "traffic-operator", OperatorActionKind.MODE_CHANGE, "control=maxpressure");
    }

    /**
     * Manual control through the whole node: the POST is journaled as an OperatorAction SET_POINT and an
     * OperatorSetpoint with the same actionId, the grid balancing loop answers with a Setpoint of reason
     * OPERATOR for that device, and DELETE gives the device back (its next Setpoint has the loop's own reason).
     * A field adapter's measurements (PCC, frequency, both ESS, every 100 ms) keep the loop out of its fallback.
     */
    @Test
    void anOperatorsSetPointComesBackFromTheGridBalancingLoopWithReasonOperatorAndDeleteReleasesIt()
    {
        final int ess = t.city.energy().ess().get(1).id(); // 302: 0.5 MW
        final long fromEgress = feedUntil("the loop out of its fallback", () -> true, 0);
        final GatewayTesting.Reply post = t.call("POST", "/api/energy/setpoints", "energy-operator",
            "{\"deviceId\": " + ess + ", \"activePowerW\": -123000, \"holdS\": 600}");
        assertEquals(202, post.status(), post.text());
        final long actionId = post.json().get("actionId").asLong();
        final OperatorSetpointDecoder journaled = new OperatorSetpointDecoder();
        awaitJournaled(OperatorSetpointDecoder.TEMPLATE_ID, f ->
        {
            wrap(journaled, f);
            return journaled.actionId() == actionId;
        });
        assertEquals(ess, journaled.deviceId());
        assertEquals(DeviceKind.ESS, journaled.deviceKind());
        assertEquals(OperatorRole.OPERATE, journaled.role());
        assertEquals(-123_000, journaled.activePowerW());
        assertEquals(600_000, journaled.holdMs());
        assertEquals(BooleanType.FALSE, journaled.release());
        assertAction(actionId, "energy-operator", OperatorActionKind.SET_POINT, "activePowerW=-123000 holdS=600");

        final SetpointDecoder setpoint = new SetpointDecoder();
        final long[] at = new long[1];
        feedUntil("a Setpoint of ESS " + ess + " at -123000 W with reason OPERATOR on egress", () ->
        {
            for (final JournalContents.Out out : JournalContents.egress(dataDir))
            {
                if (out.egressSequence() >= fromEgress && TestClient.templateId(out.frame()) == SetpointDecoder.TEMPLATE_ID)
                {
                    wrapSetpoint(setpoint, out.frame());
                    if (setpoint.deviceId() == ess && setpoint.reason() == SetpointReason.OPERATOR && setpoint.activePowerW() == -123_000)
                    {
                        at[0] = out.egressSequence();
                        return true;
                    }
                }
            }
            return false;
        }, 15);

        final GatewayTesting.Reply release = t.call("DELETE", "/api/energy/setpoints/" + ess, "energy-operator", null);
        assertEquals(202, release.status(), release.text());
        final long releaseId = release.json().get("actionId").asLong();
        final SetpointReason[] after = new SetpointReason[1];
        feedUntil("ESS " + ess + " back under automatic control", () ->
        {
            for (final JournalContents.Out out : JournalContents.egress(dataDir))
            {
                if (out.egressSequence() > at[0] && TestClient.templateId(out.frame()) == SetpointDecoder.TEMPLATE_ID)
                {
                    wrapSetpoint(setpoint, out.frame());
                    if (setpoint.deviceId() == ess)
                    {
                        after[0] = setpoint.reason();
                    }
                }
            }
            return after[0] != null && after[0] != SetpointReason.OPERATOR;
        }, 15);
        assertTrue(after[0] != SetpointReason.FALLBACK_STALE && after[0] != SetpointReason.FALLBACK_INVALID, "the loop's own reason: " + after[0]);
        assertAction(releaseId, "energy-operator", OperatorActionKind.SET_POINT, "release");
        for (final JournalContents.Out out : JournalContents.egress(dataDir))
        {
            if (out.egressSequence() > at[0] && TestClient.templateId(out.frame()) == SetpointDecoder.TEMPLATE_ID)
            {
                wrapSetpoint(setpoint, out.frame());
                assertTrue(setpoint.deviceId() != ess || setpoint.reason() != SetpointReason.OPERATOR, "OPERATOR after the release");
            }
        }
        // bad input names the field: outside 302's ratings, a V2G cap on a charger without V2G, a hold beyond a day, an unknown device
        expect(t.call("POST", "/api/energy/setpoints", "energy-operator", "{\"deviceId\": " + ess + ", \"activePowerW\": 600000}"), 400, "activePowerW");
        expect(t.call("POST", "/api/energy/setpoints", "energy-operator", "{\"deviceId\": 401, \"activePowerW\": -1000}"), 400, "activePowerW");
        expect(t.call("POST", "/api/energy/setpoints", "energy-operator", "{\"deviceId\": 401, \"activePowerW\": 1000, \"holdS\": 86401}"), 400, "holdS");
        expect(t.call("POST", "/api/energy/setpoints", "energy-operator", "{\"deviceId\": 401, \"activePowerW\": 1000, \"holdS\": 0}"), 400, "holdS");
        expect(t.call("DELETE", "/api/energy/setpoints/424242", "energy-operator", null), 404, "deviceId");
        expect(t.call("DELETE", "/api/energy/setpoints/abc", "energy-operator", null), 400, "deviceId");
        expect(t.call("DELETE", "/api/energy/setpoints/" + ess, "city-viewer", null), 403, null);
    }

    private final UnsafeBuffer measurement = new UnsafeBuffer(new byte[128]);
    private final GridMeasurementEncoder gridEncoder = new GridMeasurementEncoder();
    private final FrequencyMeasurementEncoder frequencyEncoder = new FrequencyMeasurementEncoder();

    /**
     * Plays the field adapter of the microgrid (PCC at 6 MW, 60 Hz, both ESS half full), stamped now, every
     * 100 ms until {@code done}; returns the egress journal's next sequence when it started.
     */
    private long feedUntil(final String what, final java.util.function.BooleanSupplier done, final int seconds)
    {
        final List<JournalContents.Out> egress = JournalContents.egress(dataDir);
        final long next = egress.isEmpty() ? 0 : egress.get(egress.size() - 1).egressSequence() + 1;
        final long deadlineMs = System.currentTimeMillis() + Math.max(1, seconds) * 1000L;
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        do
        {
            final long nowNs = System.currentTimeMillis() * 1_000_000L;
            final int pcc = t.city.energy().pcc().id();
            offerMeasurement(gridEncoder.wrapAndApplyHeader(measurement, 0, header).deviceId(pcc).deviceKind(DeviceKind.PCC_METER)
                .activePowerW(6_000_000).reactivePowerVar(0).socPermille(GridMeasurementEncoder.socPermilleNullValue()).measuredAtNs(nowNs)
                .encodedLength());
            offerMeasurement(gridEncoder.wrapAndApplyHeader(measurement, 0, header).deviceId(pcc).deviceKind(DeviceKind.LOAD)
                .activePowerW(6_000_000).reactivePowerVar(0).socPermille(GridMeasurementEncoder.socPermilleNullValue()).measuredAtNs(nowNs)
                .encodedLength());
            offerMeasurement(frequencyEncoder.wrapAndApplyHeader(measurement, 0, header).meterId(pcc).frequencyMilliHz(60_000)
                .measuredAtNs(nowNs).encodedLength());
            for (final kr.sejong.city.config.Ess unit : t.city.energy().ess())
            {
                offerMeasurement(gridEncoder.wrapAndApplyHeader(measurement, 0, header).deviceId(unit.id()).deviceKind(DeviceKind.ESS)
                    .activePowerW(0).reactivePowerVar(0).socPermille(500).measuredAtNs(nowNs).encodedLength());
            }
            if (seconds > 0 && done.getAsBoolean())
            {
                return next;
            }
            try
            {
                Thread.sleep(100);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
        while (System.currentTimeMillis() < deadlineMs);
        if (seconds > 0)
        {
            throw new AssertionError("timed out waiting for " + what);
        }
        return next;
    }

    private void offerMeasurement(final int bodyLength)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        TestClient.awaitCondition("measurement offered", () -> t.field.offer(measurement, 0, length) > 0, 10);
    }

    private static void wrapSetpoint(final SetpointDecoder decoder, final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        decoder.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
    }

    @Test
    void anEmergencyOperatorAcknowledgesAssignsAndClosesAnIncidentAndTheTriageLoopFollows()
    {
        t.fireCall(-600, 600);
        final LiveState.IncidentView incident = t.awaitIncident(i -> i.eastM() == -600 && "NEW".equals(i.state()));
        assertEquals("P1", incident.priority());
        final String path = "/api/incidents/" + incident.incidentId();

        final GatewayTesting.Reply ack = t.call("POST", path + "/acknowledge", "emergency-operator", null);
        assertEquals(202, ack.status(), ack.text());
        assertAction(ack.json().get("actionId").asLong(), "emergency-operator", OperatorActionKind.ACKNOWLEDGE, "");
        t.awaitIncident(i -> i.incidentId() == incident.incidentId() && "IN_PROGRESS".equals(i.state())
            && "emergency-operator".equals(i.owner()));

        assertEquals(202, t.call("POST", path + "/assign", "emergency-operator", "{\"to\": \"unit-lead Kim\"}").status());
        t.awaitIncident(i -> i.incidentId() == incident.incidentId() && "unit-lead Kim".equals(i.owner()));

        assertEquals(202, t.call("POST", path + "/close", "emergency-operator", null).status());
        t.awaitIncident(i -> i.incidentId() == incident.incidentId() && "CLOSED".equals(i.state()));
        final GatewayTesting.Reply again = t.call("POST", path + "/close", "emergency-operator", null);
        assertEquals(409, again.status());
        assertEquals("incidentId", again.field());

        final JsonNode listed = t.call("GET", "/api/incidents", "city-viewer", null).json();
        assertTrue(listed.isArray() && listed.size() >= 1);
    }

    @Test
    void whoAmITheStateTheOpenApiDocumentAndTheConsolePage()
    {
        final GatewayTesting.Reply me = t.call("GET", "/api/me", "emergency-operator", null);
        assertEquals(200, me.status());
        assertEquals("operate", me.json().get("roles").get("emergency").asText());
        final GatewayTesting.Reply state = t.call("GET", "/api/state", "emergency-operator", null);
        assertEquals(200, state.status());
        assertTrue(state.json().has("emergency") && state.json().has("traffic") && !state.json().has("energy"), state.text());
        final GatewayTesting.Reply openapi = t.call("GET", "/openapi.json", null, null);
        assertEquals(200, openapi.status());
        assertTrue(openapi.json().get("openapi").asText().startsWith("3."));
        assertTrue(openapi.json().get("paths").has("/api/rides"));
        assertTrue(openapi.json().get("paths").path("/api/energy/setpoints/{deviceId}").has("delete"), "the release is described");
        assertTrue(openapi.json().get("components").get("schemas").get("Setpoint").get("properties").has("holdS"));
        final GatewayTesting.Reply page = t.call("GET", "/", null, null);
        assertEquals(200, page.status());
        assertTrue(page.text().contains("console.js"));
    }

    @Test
    void theEventStreamSendsASnapshotThenIncidentsAsTheyHappen() throws Exception
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(t.base() + "/api/events"))
            .header("Authorization", "Bearer " + t.keys.get("city-viewer")).header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(20)).build();
        final HttpResponse<java.io.InputStream> response = t.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"), response.headers().toString());
        final List<String> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)))
        {
            String line;
            boolean called = false;
            final long deadline = System.currentTimeMillis() + 15_000;
            while ((line = reader.readLine()) != null && System.currentTimeMillis() < deadline)
            {
                if (line.startsWith("event: "))
                {
                    events.add(line.substring(7));
                    if (line.equals("event: snapshot") && !called)
                    {
                        called = true;
                        t.fireCall(900, -900);
                    }
                    if (line.equals("event: incident"))
                    {
                        break;
                    }
                }
            }
        }
        assertEquals("hello", events.get(0));
        assertEquals("snapshot", events.get(1));
        assertEquals("incident", events.get(events.size() - 1), events.toString());
    }

    // ------------------------------------------------------------------------------------------ bad input

    static Stream<Arguments> badInput()
    {
        return Stream.of(
            arguments("malformed JSON", "{\"riderId\": 1,", 400, "body"),
            arguments("not an object", "[1, 2]", 400, "body"),
            arguments("empty body", "", 400, "body"),
            arguments("missing field", "{\"riderId\": 1, \"origin\": {\"stopId\": 1}, \"destination\": {\"stopId\": 2}}", 400, "partySize"),
            arguments("missing nested field", "{\"riderId\": 1, \"origin\": {\"eastM\": 1}, \"destination\": {\"stopId\": 2}, \"partySize\": 1}",
                400, "origin.northM"),
            arguments("wrong type", "{\"riderId\": \"77\", \"origin\": {\"stopId\": 1}, \"destination\": {\"stopId\": 2}, \"partySize\": 1}",
                400, "riderId"),
            arguments("fraction for an integer", RIDE.replace("\"partySize\": 2", "\"partySize\": 1.5"), 400, "partySize"),
            arguments("out of range", RIDE.replace("\"partySize\": 2", "\"partySize\": 0"), 400, "partySize"),
            arguments("more wheelchairs than riders", RIDE.replace("\"partySize\": 2", "\"partySize\": 1, \"wheelchairs\": 2"), 400, "wheelchairs"),
            arguments("unknown field", RIDE.replace("\"partySize\": 2", "\"partySize\": 2, \"vip\": true"), 400, "vip"),
            arguments("duplicate field", RIDE.replace("\"partySize\": 2", "\"partySize\": 2, \"partySize\": 3"), 400, "body"),
            arguments("unknown stop", RIDE.replace("{\"stopId\": 2}", "{\"stopId\": 999}"), 400, "destination.stopId"),
            arguments("outside the city", RIDE.replace("{\"stopId\": 2}", "{\"eastM\": 99999, \"northM\": 0}"), 400, "destination.eastM"),
            arguments("same stop twice", RIDE.replace("{\"stopId\": 2}", "{\"stopId\": 1}"), 400, "destination.stopId"),
            arguments("oversized body", "{\"riderId\": 1, \"pad\": \"" + "x".repeat(5000) + "\"}", 413, "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void badInput(final String kind, final String body, final int status, final String field)
    {
        final GatewayTesting.Reply reply = t.call("POST", "/api/rides", "mobility-app", body);
        assertEquals(status, reply.status(), reply.text());
        assertEquals(field, reply.field(), reply.text());
        assertTrue(reply.error().startsWith(field + ":"), reply.error());
    }

    @Test
    void badInputOnTheOtherEndpointsNamesTheField()
    {
        expect(t.call("POST", "/api/rides", "mobility-app", RIDE, "text/plain"), 415, "Content-Type");
        expect(t.call("POST", "/api/priority-requests", "dispatch-center",
            "{\"requestId\": 1, \"vehicleId\": 1, \"role\": \"tank\", \"type\": \"request\", \"intersectionId\": 101, \"approachId\": 1, \"etaMs\": 1}"),
            400, "role");
        expect(t.call("POST", "/api/priority-requests", "dispatch-center",
            "{\"requestId\": 1, \"vehicleId\": 1, \"role\": \"fire\", \"type\": \"request\", \"intersectionId\": 999, \"approachId\": 1, \"etaMs\": 1}"),
            400, "intersectionId");
        expect(t.call("POST", "/api/priority-requests", "dispatch-center",
            "{\"requestId\": 1, \"vehicleId\": 1, \"role\": \"fire\", \"type\": \"request\", \"intersectionId\": 101, \"approachId\": 1, \"etaMs\": 1,"
                + " \"route\": [{\"intersectionId\": 102, \"approachId\": 77, \"etaMs\": 5}]}"),
            400, "route[0].approachId");
        expect(t.call("POST", "/api/energy/demand-response", "utility",
            "{\"eventId\": 1, \"state\": \"active\", \"reduceImportW\": 1, \"startAtMs\": 2000, \"endAtMs\": 1000}"), 400, "endAtMs");
        expect(t.call("POST", "/api/energy/setpoints", "energy-operator", "{\"deviceId\": 424242, \"activePowerW\": 1}"), 400, "deviceId");
        expect(t.call("POST", "/api/traffic/intersections/101/control", "traffic-operator", "{\"control\": \"chaos\"}"), 400, "control");
        expect(t.call("POST", "/api/incidents/123456789/assign", "emergency-operator", "{\"to\": \"x\"}"), 404, "incidentId");
        expect(t.call("POST", "/api/incidents/abc/acknowledge", "emergency-operator", null), 400, "incidentId");
        expect(t.call("POST", "/api/incidents/1/explode", "emergency-operator", null), 404, "action");
        expect(t.call("GET", "/api/rides/424242", "mobility-app", null), 404, "requestId");
        expect(t.call("DELETE", "/api/rides/424242", "mobility-app", null), 404, "requestId");
        expect(t.call("POST", "/api/traffic/intersections/999/control", "traffic-operator", "{\"control\": \"fixed\"}"), 404, "intersectionId");
        assertEquals(404, t.call("GET", "/api/nothing-here", "city-viewer", null).status());
    }

    // ------------------------------------------------------------------------------------------ who may do what

    @Test
    void everyRequestIsAuthenticated()
    {
        expect(t.call("POST", "/api/rides", null, RIDE), 401, "Authorization");
        expect(t.call("POST", "/api/rides", "mobility-app.0000", RIDE), 401, "Authorization");
        expect(t.call("POST", "/api/rides", "nobody.1234", RIDE), 401, "Authorization");
        expect(t.call("GET", "/api/state", t.keys.get("city-viewer") + "x", null), 401, "Authorization");
        final GatewayTesting.Reply basic = t.call("GET", "/api/me", null, null);
        assertEquals(401, basic.status());
    }

    @Test
    void rolesAreScopedToTheirCenter()
    {
        t.fireCall(-1200, -1200);
        final LiveState.IncidentView incident = t.awaitIncident(i -> i.eastM() == -1200 && !"CLOSED".equals(i.state()));
        final String ack = "/api/incidents/" + incident.incidentId() + "/acknowledge";
        // a viewer cannot acknowledge an incident; nor can an operator of another center
        expect(t.call("POST", ack, "city-viewer", null), 403, null);
        expect(t.call("POST", ack, "traffic-operator", null), 403, null);
        // a traffic operator cannot change a grid set-point
        expect(t.call("POST", "/api/energy/setpoints", "traffic-operator", "{\"deviceId\": 1, \"activePowerW\": 1}"), 403, null);
        // an energy operator cannot request rides or preempt signals; a utility cannot see incidents
        expect(t.call("POST", "/api/rides", "energy-operator", RIDE), 403, null);
        expect(t.call("POST", "/api/priority-requests", "utility", "{}"), 403, null);
        expect(t.call("GET", "/api/incidents", "utility", null), 403, null);
        // operating traffic is not managing it: the mobility app cannot change a signal's control
        expect(t.call("POST", "/api/traffic/intersections/101/control", "mobility-app", "{\"control\": \"fixed\"}"), 403, null);
        assertTrue(t.call("POST", ack, "city-viewer", null).error().contains("needs operate in the emergency center and holds view"));
        // none of it reached the node
        for (final JournalContents.In in : JournalContents.ingress(dataDir))
        {
            if (TestClient.templateId(in.frame()) == OperatorActionDecoder.TEMPLATE_ID)
            {
                final OperatorActionDecoder action = new OperatorActionDecoder();
                wrap(action, in.frame());
                final String operator = action.operatorName();
                assertTrue(!operator.equals("city-viewer") && !operator.equals("utility"), "journaled an action of " + operator);
            }
        }
    }

    @Test
    void aClientOverItsRateLimitIsToldToWait()
    {
        int refused = 0;
        for (int i = 0; i < 5; i++)
        {
            final GatewayTesting.Reply reply = t.call("GET", "/api/me", "slow-client", null);
            if (reply.status() == 429)
            {
                refused++;
                assertTrue(reply.error().startsWith("rate limit: slow-client"), reply.error());
            }
        }
        assertTrue(refused >= 2, "refused " + refused);
        assertEquals(200, t.call("GET", "/api/me", "city-viewer", null).status(), "other clients are not limited by it");
    }

    @Test
    void theConsoleLogsInWithAKeyAndGetsASessionCookie() throws Exception
    {
        final HttpRequest login = HttpRequest.newBuilder(URI.create(t.base() + "/api/session"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"key\": \"" + t.keys.get("emergency-operator") + "\"}")).build();
        final HttpResponse<String> response = t.http.send(login, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        final String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        final HttpRequest me = HttpRequest.newBuilder(URI.create(t.base() + "/api/me")).header("Cookie", cookie.split(";")[0]).build();
        assertTrue(t.http.send(me, HttpResponse.BodyHandlers.ofString()).body().contains("emergency-operator"));
        final HttpRequest wrong = HttpRequest.newBuilder(URI.create(t.base() + "/api/session")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"key\": \"emergency-operator.nope\"}")).build();
        assertEquals(401, t.http.send(wrong, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void expect(final GatewayTesting.Reply reply, final int status, final String field)
    {
        assertEquals(status, reply.status(), reply.text());
        if (field != null)
        {
            assertEquals(field, reply.field(), reply.text());
            assertTrue(reply.error().startsWith(field + ":"), reply.error());
        }
        assertNotNull(reply.error());
    }

    private static byte[] awaitJournaled(final int templateId, final java.util.function.Predicate<byte[]> match)
    {
        final byte[][] found = new byte[1][];
        TestClient.awaitCondition("journaled template " + templateId, () ->
        {
            for (final JournalContents.In in : JournalContents.ingress(dataDir))
            {
                if (TestClient.templateId(in.frame()) == templateId && match.test(in.frame()))
                {
                    found[0] = in.frame();
                    return true;
                }
            }
            return false;
        }, 10);
        return found[0];
    }

    private static void assertAudited(final String client, final OperatorRole role, final String what)
    {
        final OperatorActionDecoder action = new OperatorActionDecoder();
        final byte[] frame = awaitJournaled(OperatorActionDecoder.TEMPLATE_ID, f ->
        {
            wrap(action, f);
            action.operatorName();
            return action.what().startsWith(what);
        });
        wrap(action, frame);
        assertEquals(OperatorActionKind.OTHER, action.actionKind());
        assertEquals(role, action.role());
        assertEquals(client, action.operatorName());
    }

    private static void assertAction(final long actionId, final String client, final OperatorActionKind kind, final String what)
    {
        final OperatorActionDecoder action = new OperatorActionDecoder();
        final byte[] frame = awaitJournaled(OperatorActionDecoder.TEMPLATE_ID, f ->
        {
            wrap(action, f);
            return action.actionId() == actionId;
        });
        wrap(action, frame);
        assertEquals(kind, action.actionKind());
        assertEquals(client, action.operatorName());
        assertEquals(what, action.what());
        action.before();
        assertTrue(!action.after().isEmpty(), "after is carried");
    }

    private static void wrap(final Object decoder, final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        final int offset = MessageHeaderDecoder.ENCODED_LENGTH;
        if (decoder instanceof RideRequestDecoder d)
        {
            d.wrap(buffer, offset, header.blockLength(), header.version());
        }
        else if (decoder instanceof RideCancelDecoder d)
        {
            d.wrap(buffer, offset, header.blockLength(), header.version());
        }
        else if (decoder instanceof PriorityRequestDecoder d)
        {
            d.wrap(buffer, offset, header.blockLength(), header.version());
        }
        else if (decoder instanceof DemandResponseEventDecoder d)
        {
            d.wrap(buffer, offset, header.blockLength(), header.version());
        }
        else if (decoder instanceof PriceSignalDecoder d)
        {
            d.wrap(buffer, offset, header.blockLength(), header.version());
        }
        else if (decoder instanceof OperatorActionDecoder d)
        {
            d.wrap(buffer, offset, header.blockLength(), header.version());
        }
        else if (decoder instanceof OperatorSetpointDecoder d)
        {
            d.wrap(buffer, offset, header.blockLength(), header.version());
        }
        else
        {
            throw new IllegalArgumentException(decoder.toString());
        }
    }
}
