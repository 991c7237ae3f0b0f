package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.codecs.ChargerSessionDecoder;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.FrequencyMeasurementDecoder;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.VideoEventDecoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.Field;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each kind of value becomes, without a server: values handed to the devices the way a notification message
 * hands them (ServerLink.deliver, then flush), frames read back from a stand-in ingress. Covers what the node-opcua
 * server cannot send (a value without SourceTimestamp) and the grid devices it does not model.
 */
class OpcUaTranslationTest
{
    private static final Instant AT = Instant.parse("2026-05-01T08:00:00Z");
    private static final long AT_NS = AT.getEpochSecond() * 1_000_000_000L;

    private IngressCapture node;
    private FieldPublisher out;
    private final OpcUaCounters counters = new OpcUaCounters();
    private final CityConfig city = ConfigLoader.loadDefault().config();
    private final ValueRanges ranges = new ValueRanges(city, Field.Ranges.defaults());

    @BeforeEach
    void start()
    {
        node = new IngressCapture();
        out = new FieldPublisher(node.ingress, 1000, counters, null);
        IngressCapture.await("connected", node.ingress::isConnected, () -> "");
    }

    @AfterEach
    void stop()
    {
        node.close();
    }

    private static DataValue value(final Variant variant)
    {
        return new DataValue(variant, StatusCode.GOOD, new DateTime(AT), new DateTime(AT));
    }

    private static void deliver(final FieldDevice device, final int variable, final String name, final DataValue value)
    {
        ServerLink.deliver(device, variable, name, value, System.nanoTime());
        device.flush(System.nanoTime());
    }

    private String awaitFrame(final int template, final String... parts)
    {
        final int at = node.await("frame " + String.join(", ", parts), 0, f -> f.is(template, parts), () -> node.frames().toString());
        return node.frames().get(at).text();
    }

    @Test
    void essPowerAndStateOfChargeMakeOneMeasurementWithTheSourceTimestamp()
    {
        final EssDevice ess = new EssDevice(301, ranges, out, counters);
        ServerLink.deliver(ess, 0, "ActivePowerW", value(Variant.ofInt32(-250_000)), 1);
        ServerLink.deliver(ess, 2, "SocPermille", value(Variant.ofUInt16(ushort(612))), 1);
        ess.flush(1);
        final String text = awaitFrame(GridMeasurementDecoder.TEMPLATE_ID, "deviceId=301", "activePowerW=-250000", "socPermille=612");
        assertTrue(text.contains("measuredAtNs=" + AT_NS), text);
        assertEquals(1, node.since(0, f -> f.is(GridMeasurementDecoder.TEMPLATE_ID)).size(), "one message for both values");
    }

    @Test
    void aValueWithoutSourceTimestampIsRefused()
    {
        final EssDevice ess = new EssDevice(301, ranges, out, counters);
        deliver(ess, 0, "ActivePowerW", new DataValue(Variant.ofInt32(1000), StatusCode.GOOD, null, new DateTime(AT)));
        awaitFrame(DeviceStatusDecoder.TEMPLATE_ID, "state=INVALID_VALUE", "ess 301 ActivePowerW: 1000 refused: no SourceTimestamp");
        deliver(ess, 0, "ActivePowerW", new DataValue(new StatusCode(0x80000000L)));
        awaitFrame(DeviceStatusDecoder.TEMPLATE_ID, "state=INVALID_VALUE", "badValueCount=2");
        deliver(ess, 0, "ActivePowerW", value(Variant.ofInt32(3_000_000)));
        awaitFrame(DeviceStatusDecoder.TEMPLATE_ID, "ess 301 ActivePowerW: 3000000 refused: out of range [-2200000, 2200000]", "badValueCount=3");
        assertEquals(0, node.since(0, f -> f.is(GridMeasurementDecoder.TEMPLATE_ID)).size());
        assertEquals(3, counters.rejectedValues());
    }

    @Test
    void aVariableNotWrittenYetIsNeitherPassedOnNorRefused()
    {
        final ChargerDevice charger = new ChargerDevice(city.energy().evChargers().get(0).id(), ranges, out, counters);
        deliver(charger, 1, "Session", new DataValue(new StatusCode(org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_WaitingForInitialData)));
        deliver(charger, 0, "ActivePowerW", value(Variant.ofInt32(7_000)));
        awaitFrame(GridMeasurementDecoder.TEMPLATE_ID, "activePowerW=7000");
        assertEquals(0, counters.rejectedValues(), "waiting for initial data is not a bad value");
        assertEquals(0, node.since(0, f -> f.is(DeviceStatusDecoder.TEMPLATE_ID)).size());
    }

    @Test
    void thePccGivesGridFrequencyAndLoad()
    {
        final PccDevice pcc = new PccDevice(1, ranges, out, counters);
        ServerLink.deliver(pcc, 0, "ActivePowerW", value(Variant.ofInt32(4_500_000)), 1);
        ServerLink.deliver(pcc, 1, "ReactivePowerVar", value(Variant.ofInt32(-300_000)), 1);
        ServerLink.deliver(pcc, 2, "FrequencyMilliHz", value(Variant.ofInt32(59_950)), 1);
        ServerLink.deliver(pcc, 3, "LoadW", value(Variant.ofInt32(6_000_000)), 1);
        pcc.flush(1);
        awaitFrame(GridMeasurementDecoder.TEMPLATE_ID, "deviceKind=PCC_METER", "activePowerW=4500000", "reactivePowerVar=-300000");
        awaitFrame(FrequencyMeasurementDecoder.TEMPLATE_ID, "meterId=1", "frequencyMilliHz=59950", "measuredAtNs=" + AT_NS);
        awaitFrame(GridMeasurementDecoder.TEMPLATE_ID, "deviceId=1", "deviceKind=LOAD", "activePowerW=6000000");
        deliver(pcc, 2, "FrequencyMilliHz", value(Variant.ofInt32(70_000)));
        awaitFrame(DeviceStatusDecoder.TEMPLATE_ID, "pcc 1 FrequencyMilliHz: 70000 refused: out of range [45000, 65000]");
    }

    @Test
    void chargersPvAndAnalytics()
    {
        final ChargerDevice charger = new ChargerDevice(425, ranges, out, counters);
        deliver(charger, 0, "ActivePowerW", value(Variant.ofInt32(-80_000)));
        awaitFrame(GridMeasurementDecoder.TEMPLATE_ID, "deviceId=425", "deviceKind=EV_CHARGER", "activePowerW=-80000");
        deliver(charger, 1, "Session", value(Variant.ofInt64Array(new long[] { 77, 2, 450, 30_000, AT_NS, 100_000, 100_000, 1 })));
        awaitFrame(ChargerSessionDecoder.TEMPLATE_ID, "chargerId=425", "sessionId=77", "state=CHARGING", "v2gAllowed=TRUE");

        final PvDevice pv = new PvDevice(201, ranges, out, counters);
        deliver(pv, 0, "ActivePowerW", value(Variant.ofInt32(-500_000)));
        awaitFrame(GridMeasurementDecoder.TEMPLATE_ID, "deviceId=201", "deviceKind=PV_INVERTER", "activePowerW=-500000");

        final int camera = city.emergency().cameras().get(0).id();
        final AnalyticsDevice analytics = new AnalyticsDevice(7, ranges, out, counters);
        deliver(analytics, 0, "Event", value(Variant.ofInt64Array(new long[] { 9001, camera, 1, 1, 930, 120_000, -40_000, 2, AT_NS })));
        awaitFrame(VideoEventDecoder.TEMPLATE_ID, "eventId=9001", "cameraId=" + camera, "eventClass=FIRE", "confidencePermille=930");
        deliver(analytics, 0, "Event", value(Variant.ofInt64Array(new long[] { 9002, 99_999, 1, 1, 930, 0, 0, 1, AT_NS })));
        awaitFrame(DeviceStatusDecoder.TEMPLATE_ID, "analytics 7 Event", "element 1 = 99999 is not a camera of emergency.cameras");
        deliver(analytics, 1, "EventCount", value(Variant.ofUInt64(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong.valueOf(10))));
        deliver(analytics, 1, "EventCount", value(Variant.ofUInt64(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong.valueOf(14))));
        awaitFrame(DeviceStatusDecoder.TEMPLATE_ID, "state=DEGRADED", "analytics 7: 4 events lost");
        assertEquals(4, counters.eventsLost());
    }

    @Test
    void aMalformedEndpointIsAClearErrorNamingTheServer()
    {
        final ServerSettings bad = new ServerSettings("ring-west", "opc.tcp://ring-west", "Basic256Sha256", "SignAndEncrypt", "u", "p", 100,
            List.of(new ServerSettings.Device(kr.sejong.city.adapters.opcua.FieldNodes.Kind.ESS, 301)));
        final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new OpcUaAdapter.Context().cityConfig(city).dataDir(java.nio.file.Path.of("target")).servers(List.of(bad))
                .ingress(node.ingress).egress(node.egress).conclude());
        assertEquals("OPC UA server \"ring-west\": malformed endpoint \"opc.tcp://ring-west\": no port; must be opc.tcp://host:port[/path]",
            ex.getMessage());

        final ServerSettings anonymous = new ServerSettings("dev", "opc.tcp://localhost:4840", "None", "None", null, null, 100, bad.devices());
        final IllegalArgumentException insecure = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new OpcUaAdapter.Context().cityConfig(city).dataDir(java.nio.file.Path.of("target")).servers(List.of(anonymous))
                .ingress(node.ingress).egress(node.egress).conclude());
        assertEquals("OPC UA server \"dev\": security None or an anonymous session needs allowInsecure (development only)", insecure.getMessage());
    }

    @Test
    void theConfiguredServersGetTheirPasswordFromTheEnvironmentNeverFromTheFile()
    {
        final Field.Server server = new Field.Server("grid", "opc.tcp://ems:4841", Field.SecurityPolicy.BASIC256SHA256,
            Field.SecurityMode.SIGN_AND_ENCRYPT, "adapter", "GRID_PASSWORD", null, null, null,
            List.of(new Field.Devices(Field.DeviceKind.ESS, List.of(301, 302))));
        final Field.OpcUa opcua = new Field.OpcUa("pki", false, 100, Field.Reconnect.defaults(), Field.Ranges.defaults(), List.of(server));
        final ServerSettings settings = ServerSettings.from(opcua, server, name -> name.equals("GRID_PASSWORD") ? "pw-secret-42" : null,
            java.nio.file.Path.of("."));
        assertEquals("pw-secret-42", settings.password());
        assertEquals(2, settings.devices().size());
        assertTrue(!settings.toString().contains("pw-secret-42"), settings.toString());
        final IllegalArgumentException missing = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> ServerSettings.from(opcua, server, name -> null, java.nio.file.Path.of(".")));
        assertEquals("field.opcua server \"grid\": environment variable GRID_PASSWORD (passwordEnv) is not set", missing.getMessage());
    }

    @Test
    void theClientCertificateIsMadeOnFirstStartAndReused(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path pki)
    {
        final java.security.cert.X509Certificate first;
        try (ClientPki created = new ClientPki(pki))
        {
            first = created.certificate();
        }
        try (ClientPki reused = new ClientPki(pki))
        {
            assertEquals(first, reused.certificate());
            assertEquals(first.getPublicKey(), reused.keyPair().getPublic());
        }
        assertTrue(java.nio.file.Files.isDirectory(pki.resolve("trusted").resolve("certs")));
        assertTrue(java.nio.file.Files.isDirectory(pki.resolve("rejected")));
    }
}
