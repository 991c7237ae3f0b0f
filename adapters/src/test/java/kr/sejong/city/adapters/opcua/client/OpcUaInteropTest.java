package kr.sejong.city.adapters.opcua.client;

import com.fasterxml.jackson.databind.JsonNode;
import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.DetectorObservationDecoder;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.SignalStatusDecoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static kr.sejong.city.adapters.opcua.client.IngressCapture.Frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our adapter (Eclipse Milo) against a field server written with an independent OPC UA stack (node-opcua,
 * adapters/src/test/resources/opcua/node-field-server.js) under SignAndEncrypt Basic256Sha256 with a user name:
 * the operator's trust step, topology and observations on ingress, commands applied on the server, bad values
 * refused, and a storm of server outages.
 */
class OpcUaInteropTest
{
    static final int INTERSECTION = 101;
    static final int ESS = 301;
    static final String SPEC = "{\"intersections\":[{\"id\":101,\"detectors\":[10110,10120,10121,10130,10140,10141]}],\"ess\":[301]}";

    @TempDir
    Path dataDir;
    @TempDir
    Path serverPki;

    private IngressCapture node;
    private NodeFieldServer server;
    private OpcUaAdapter adapter;
    private AgentRunner runner;

    @BeforeEach
    void start() throws Exception
    {
        node = new IngressCapture();
        server = new NodeFieldServer(serverPki, SPEC);
        server.start();
        final CityConfig city = ConfigLoader.loadDefault().config();
        final ServerSettings settings = new ServerSettings("field", server.endpoint(), "Basic256Sha256", "SignAndEncrypt",
            NodeFieldServer.USER, NodeFieldServer.PASSWORD, 100,
            List.of(new ServerSettings.Device(FieldNodes.Kind.INTERSECTION, INTERSECTION), new ServerSettings.Device(FieldNodes.Kind.ESS, ESS)));
        adapter = new OpcUaAdapter(new OpcUaAdapter.Context()
            .cityConfig(city)
            .dataDir(dataDir)
            .ingress(node.ingress)
            .egress(node.egress)
            .servers(List.of(settings))
            .initialBackoffMs(200)
            .maxBackoffMs(1000));
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, adapter);
        AgentRunner.startOnThread(runner);
    }

    @AfterEach
    void stop() throws Exception
    {
        if (runner != null)
        {
            runner.close();
        }
        if (server != null)
        {
            server.close();
        }
        if (node != null)
        {
            node.close();
        }
    }

    private String context()
    {
        return adapter.statusLine() + "; problem: " + adapter.problem("field") + "\nserver:\n" + server.transcript() +
            "\nframes: " + node.size();
    }

    /** The operator's step: the message names the file in rejected/; moving it into trusted/certs/ lets the adapter in. */
    private void trustTheServer()
    {
        IngressCapture.await("told the server certificate is untrusted", () -> adapter.problem("field").contains("rejected"), this::context);
        final String problem = adapter.problem("field");
        final Matcher file = Pattern.compile("move (\\S+\\.der) into (\\S+)/ ").matcher(problem);
        assertTrue(file.find(), problem);
        final Path rejected = Path.of(file.group(1));
        final Path trusted = Path.of(file.group(2));
        assertEquals(dataDir.resolve("pki").resolve("rejected").toAbsolutePath(), rejected.getParent(), problem);
        assertEquals(dataDir.resolve("pki").resolve("trusted").resolve("certs").toAbsolutePath(), trusted, problem);
        assertTrue(Files.exists(rejected), problem);
        assertTrue(problem.startsWith("server \"field\" (" + server.endpoint() + "): its certificate"), problem);
        assertFalse(adapter.online("field"));
        assertTrue(node.since(0, f -> f.is(IntersectionTopologyDecoder.TEMPLATE_ID)).isEmpty(), "no topology before trust");
        node.await("devices OFFLINE while the server cannot be reached", 0,
            f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=101", "state=OFFLINE"), this::context);
        try
        {
            Files.move(rejected, trusted.resolve(rejected.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
        IngressCapture.await("online after the operator trusted the server", () -> adapter.online("field"), this::context);
    }

    @Test
    void anOperatorTrustsTheServerThenTopologyObservationsAndCommandsFlow() throws Exception
    {
        trustTheServer();

        // the topology comes once, before any observation of the intersection
        final int topology = node.await("IntersectionTopology", 0, f -> f.is(IntersectionTopologyDecoder.TEMPLATE_ID, "intersectionId=101"),
            this::context);
        final String topologyText = node.frames().get(topology).text();
        assertTrue(topologyText.contains("name='tl101'"), topologyText);
        assertTrue(topologyText.contains("programStates='GrrGrr;yrryrr;rGGrGG;ryyryy'"), topologyText);
        assertTrue(topologyText.contains("lanes=["), topologyText);
        final int lanes = node.await("LaneObservations", 0, f -> f.is(LaneObservationsDecoder.TEMPLATE_ID, "intersectionId=101"), this::context);
        final int status = node.await("SignalStatus", 0, f -> f.is(SignalStatusDecoder.TEMPLATE_ID, "intersectionId=101", "mode=FIXED_TIME"),
            this::context);
        node.await("DetectorObservation", 0, f -> f.is(DetectorObservationDecoder.TEMPLATE_ID, "detectorId=10110", "intersectionId=101"),
            this::context);
        final int online = node.await("ONLINE", 0, f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=101", "state=ONLINE"), this::context);
        assertTrue(topology < lanes && topology < status && online < lanes, "topology and ONLINE come before the observations");
        node.await("ESS measurement", 0, f -> f.is(GridMeasurementDecoder.TEMPLATE_ID, "deviceId=301", "deviceKind=ESS", "socPermille=500"),
            this::context);
        IngressCapture.await("heartbeats written", () -> server.writes("Intersection/101/CentralHeartbeat").size() >= 2, this::context);

        // a SignalCommand becomes one SetSignalState call, and the controller then shows it
        node.signalCommand(INTERSECTION, "rGGrGG", 5000);
        IngressCapture.await("SetSignalState received", () -> server.calls().size() == 1, this::context);
        final JsonNode call = server.calls().get(0);
        assertEquals("rGGrGG", call.path("signalState").asText());
        assertEquals(5000, call.path("durationMs").asInt());
        assertEquals(1, call.path("mode").asInt(), "ADAPTIVE");
        assertEquals(5, call.path("reason").asInt(), "PRESSURE");
        final int before = node.size();
        node.await("the commanded state shown", before, f -> f.is(SignalStatusDecoder.TEMPLATE_ID, "mode=ADAPTIVE", "signalState='rGGrGG'"),
            this::context);
        IngressCapture.await("the call counted", () -> adapter.counters().commandsSent() == 1, this::context);

        // a Setpoint becomes one Write of both set-points
        node.setpoint(DeviceKind.ESS, ESS, -150_000, 2_000);
        IngressCapture.await("set-points written", () -> !server.writes("Ess/301/ReactivePowerSetpointVar").isEmpty() &&
            !server.writes("Ess/301/ActivePowerSetpointW").isEmpty(), this::context);
        assertEquals(-150_000, server.writes("Ess/301/ActivePowerSetpointW").get(0).path("value").asInt());
        assertEquals(2_000, server.writes("Ess/301/ReactivePowerSetpointVar").get(0).path("value").asInt());
        node.await("the ESS following it", before, f -> f.is(GridMeasurementDecoder.TEMPLATE_ID, "deviceId=301", "activePowerW=-150000"),
            this::context);
        assertEquals(0, adapter.counters().commandsFailed());
    }

    private static long badValueCount(final String deviceStatus)
    {
        final Matcher count = Pattern.compile("badValueCount=(\\d+)").matcher(deviceStatus);
        assertTrue(count.find(), deviceStatus);
        return Long.parseLong(count.group(1));
    }

    @Test
    void badValuesAreReportedAndNeverPassedOn() throws Exception
    {
        trustTheServer();
        node.await("ESS measurement", 0, f -> f.is(GridMeasurementDecoder.TEMPLATE_ID, "deviceId=301"), this::context);

        final int start = node.size();
        server.command("{\"cmd\":\"bad\",\"node\":\"Ess/301/SocPermille\",\"kind\":\"range\",\"value\":5000,\"holdMs\":1500}");
        final int outOfRange = node.await("INVALID_VALUE out of range", start, f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=301",
            "state=INVALID_VALUE", "ess 301 SocPermille: 5000 refused: out of range [0, 1000]"), this::context);
        assertTrue(node.frames().get(outOfRange).text().contains("badValueCount=1"), node.frames().get(outOfRange).text());
        node.await("ONLINE again with good values", outOfRange, f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=301", "state=ONLINE"),
            this::context);

        final int nan = node.size();
        server.command("{\"cmd\":\"bad\",\"node\":\"Ess/301/ActivePowerW\",\"kind\":\"nan\"}");
        final int nanAt = node.await("INVALID_VALUE NaN", nan, f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=301", "state=INVALID_VALUE",
            "ess 301 ActivePowerW: NaN refused: NaN", "badValueCount=2"), this::context);

        // NaN never equals itself: a server may report it again at every sample while it stands, each one refused
        final int type = node.size();
        server.command("{\"cmd\":\"bad\",\"node\":\"Ess/301/ActivePowerW\",\"kind\":\"type\"}");
        final int typeAt = node.await("INVALID_VALUE wrong type", type, f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=301",
            "state=INVALID_VALUE", "ess 301 ActivePowerW: \"not a number\" refused: wrong type String, expected an integer"), this::context);
        final long typeCount = badValueCount(node.frames().get(typeAt).text());
        assertTrue(typeCount > badValueCount(node.frames().get(nanAt).text()), node.frames().get(typeAt).text());
        assertEquals(typeCount, adapter.counters().rejectedValues(), "every refusal counted once: " + context());

        // none of them reached ingress: every ESS measurement has a state of charge within 0..1000
        for (final Frame frame : node.since(0, f -> f.is(GridMeasurementDecoder.TEMPLATE_ID, "deviceId=301")))
        {
            final Matcher soc = Pattern.compile("socPermille=(\\d+)").matcher(frame.text());
            assertTrue(soc.find() && Integer.parseInt(soc.group(1)) <= 1000, frame.text());
        }

        // alarms: DEGRADED naming them, then ONLINE when they clear
        final int alarms = node.size();
        server.command("{\"cmd\":\"alarms\",\"ess\":301,\"bits\":5}");
        node.await("DEGRADED", alarms, f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=301", "state=DEGRADED",
            "ess 301 alarms 5: over-temperature, inverter fault"), this::context);
        server.command("{\"cmd\":\"alarms\",\"ess\":301,\"bits\":0}");
        node.await("alarm cleared", alarms, f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=301", "state=ONLINE", "alarm cleared"),
            this::context);
    }

    @Test
    void aStormOfServerOutagesGivesOfflineOnlineAndNoCommandTwice() throws Exception
    {
        trustTheServer();
        node.await("LaneObservations", 0, f -> f.is(LaneObservationsDecoder.TEMPLATE_ID, "intersectionId=101"), this::context);
        final Set<String> commanded = new HashSet<>();
        for (int outage = 1; outage <= 5; outage++)
        {
            final int before = node.size();
            server.kill();
            node.await("OFFLINE of the intersection after outage " + outage, before,
                f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=101", "state=OFFLINE"), this::context);
            node.await("OFFLINE of the ESS after outage " + outage, before,
                f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=301", "state=OFFLINE"), this::context);
            IngressCapture.await("offline", () -> !adapter.online("field"), this::context);

            // a command while the server is away is dropped, not kept for later
            final long droppedBefore = adapter.counters().commandsDropped();
            node.signalCommand(INTERSECTION, "yrryrr", 3000 + outage);
            IngressCapture.await("the command dropped", () -> adapter.counters().commandsDropped() == droppedBefore + 1, this::context);

            final int down = node.size();
            server.start();
            final int online = node.await("ONLINE after outage " + outage, down,
                f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=101", "state=ONLINE"), this::context);
            node.await("ESS ONLINE after outage " + outage, down, f -> f.is(DeviceStatusDecoder.TEMPLATE_ID, "deviceId=301", "state=ONLINE"),
                this::context);
            final int topology = node.await("topology again", down, f -> f.is(IntersectionTopologyDecoder.TEMPLATE_ID), this::context);
            final int lanes = node.await("observations again after outage " + outage, online,
                f -> f.is(LaneObservationsDecoder.TEMPLATE_ID, "intersectionId=101"), this::context);
            assertTrue(topology < lanes);
            node.await("ESS data again after outage " + outage, online, f -> f.is(GridMeasurementDecoder.TEMPLATE_ID, "deviceId=301"),
                this::context);

            final String state = outage % 2 == 0 ? "rGGrGG" : "GrrGrr";
            final int duration = 10_000 + outage;
            commanded.add(state + "/" + duration);
            final int calls = server.calls().size();
            node.signalCommand(INTERSECTION, state, duration);
            IngressCapture.await("the command after outage " + outage, () -> server.calls().size() == calls + 1, this::context);
        }
        // every command the server received was sent once; none of those sent while it was away arrived later
        Thread.sleep(500);
        final List<JsonNode> calls = server.calls();
        assertEquals(5, calls.size(), context());
        final Set<String> received = new HashSet<>();
        for (final JsonNode call : calls)
        {
            assertTrue(received.add(call.path("signalState").asText() + "/" + call.path("durationMs").asInt()), "applied twice: " + call);
            assertFalse(call.path("signalState").asText().equals("yrryrr"), "a stale command was replayed: " + call);
        }
        assertEquals(commanded, received);
        assertEquals(5, adapter.counters().commandsDropped());
        assertTrue(adapter.counters().reconnects() >= 5, context());
        assertEquals(5, adapter.counters().sessionsLost(), context());
    }
}
