package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.adapters.opcua.SimulatedField;
import kr.sejong.city.adapters.opcua.server.FieldDevice;
import kr.sejong.city.adapters.opcua.server.FieldServer;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.config.ApiKeyHash;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our adapter against our own Milo field server, for each security policy of the default configuration
 * (Basic256Sha256, Aes256_Sha256_RsaPss, both SignAndEncrypt with a user name); and the combinations the server
 * does not offer are refused with a message, not connected in a weaker way.
 */
class OpcUaMiloServerTest
{
    private static final String PASSWORD = "milo-" + Long.toHexString(System.nanoTime());
    private static final int ESS_ID = 301;

    @TempDir
    static Path dir;

    private static FieldServer server;

    @BeforeAll
    static void startServer() throws Exception
    {
        final CityConfig city = ConfigLoader.loadDefault().config();
        final FieldDevice ess = FieldDevice.of(city, 1).stream()
            .filter(d -> d.kind() == FieldNodes.Kind.ESS && d.id() == ESS_ID).findFirst().orElseThrow();
        final int port = SimulatedField.freeLocalPort();
        server = FieldServer.start(new FieldServer.Context()
            .bindAddress("127.0.0.1")
            .hostname("127.0.0.1")
            .port(port)
            .path("/milo")
            .pkiDirectory(dir.resolve("server-pki"))
            .user("city-adapter", ApiKeyHash.of(PASSWORD, ApiKeyHash.MIN_ITERATIONS))
            .device(ess));
    }

    @AfterAll
    static void stopServer()
    {
        CloseHelper.close(server);
    }

    private static OpcUaAdapter adapter(final IngressCapture node, final Path pki, final String policy, final String mode,
        final String password)
    {
        SimulatedField.trustEachOther(server, pki);
        return new OpcUaAdapter(new OpcUaAdapter.Context()
            .cityConfig(ConfigLoader.loadDefault().config())
            .dataDir(pki.getParent())
            .pkiDir(pki)
            .ingress(node.ingress)
            .egress(node.egress)
            .initialBackoffMs(100)
            .maxBackoffMs(500)
            .servers(List.of(new ServerSettings("milo", server.endpointUrl(), policy, mode, "city-adapter", password, 100,
                List.of(new ServerSettings.Device(FieldNodes.Kind.ESS, ESS_ID))))));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Basic256Sha256", "Aes256_Sha256_RsaPss" })
    void readsTheServerUnderEachDefaultPolicy(final String policy) throws Exception
    {
        try (IngressCapture node = new IngressCapture())
        {
            final OpcUaAdapter adapter = adapter(node, dir.resolve("adapter-" + policy), policy, "SignAndEncrypt", PASSWORD);
            final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, adapter);
            AgentRunner.startOnThread(runner);
            try
            {
                IngressCapture.await("online under " + policy, () -> adapter.online("milo"), () -> adapter.problem("milo"));
                final int power = -123_000 - policy.length();
                final long atNs = System.currentTimeMillis() * 1_000_000L;
                server.variable(FieldNodes.Kind.ESS, ESS_ID, FieldNodes.ACTIVE_POWER_W).set(power, atNs);
                server.variable(FieldNodes.Kind.ESS, ESS_ID, FieldNodes.SOC_PERMILLE).set(640, atNs);
                node.await("the ESS reading", 0, f -> f.is(GridMeasurementDecoder.TEMPLATE_ID, "activePowerW=" + power, "socPermille=640",
                    "measuredAtNs=" + atNs), () -> adapter.statusLine());
            }
            finally
            {
                runner.close();
            }
        }
    }

    @Test
    void aMovementOfNoKnownDirectionIsTakenAsSuchNotRefused() throws Exception
    {
        // the field server shows '?' for a movement whose direction it does not know (docs/opcua.md, MovementTurns)
        final int id = 901;
        final int n = 4;
        final byte[] conflicts = new byte[(n * n + 7) / 8];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if ((i < 2) != (j < 2))
                {
                    conflicts[(i * n + j) >> 3] |= (byte)(1 << ((i * n + j) & 7));
                }
            }
        }
        final kr.sejong.city.adapters.opcua.server.ControllerTopology topology = new kr.sejong.city.adapters.opcua.server.ControllerTopology(
            "crossing-901", new int[]{ 0, 1, 2, 3 }, new int[]{ 120_000, 120_000, 90_000, 90_000 }, new int[]{ 1389, 1389, 1389, 1389 },
            new int[]{ 0, 1, 2, 3 }, new int[]{ 5, 4, 7, 6 }, "s?sl", conflicts, new String[]{ "GGrr", "yyrr", "rrGG", "rryy" },
            new long[]{ 30_000, 3_000, 30_000, 3_000 }, new long[]{ 10_000, 3_000, 10_000, 3_000 }, new long[]{ 60_000, 3_000, 60_000, 3_000 });
        try (FieldServer crossing = FieldServer.start(new FieldServer.Context()
            .bindAddress("127.0.0.1")
            .hostname("127.0.0.1")
            .port(SimulatedField.freeLocalPort())
            .path("/crossing")
            .pkiDirectory(dir.resolve("crossing-pki"))
            .user("city-adapter", ApiKeyHash.of(PASSWORD, ApiKeyHash.MIN_ITERATIONS))
            .device(FieldDevice.intersection(id, topology)));
            IngressCapture node = new IngressCapture())
        {
            final Path pki = dir.resolve("adapter-crossing");
            SimulatedField.trustEachOther(crossing, pki);
            final OpcUaAdapter adapter = new OpcUaAdapter(new OpcUaAdapter.Context()
                .cityConfig(ConfigLoader.loadDefault().config())
                .dataDir(dir)
                .pkiDir(pki)
                .ingress(node.ingress)
                .egress(node.egress)
                .servers(List.of(new ServerSettings("crossing", crossing.endpointUrl(), "Basic256Sha256", "SignAndEncrypt", "city-adapter",
                    PASSWORD, 100, List.of(new ServerSettings.Device(FieldNodes.Kind.INTERSECTION, id))))));
            final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, adapter);
            AgentRunner.startOnThread(runner);
            try
            {
                final int at = node.await("the topology", 0, f -> f.is(IntersectionTopologyDecoder.TEMPLATE_ID, "intersectionId=" + id),
                    adapter::statusLine);
                final String text = node.frames().get(at).text();
                assertTrue(text.contains("turn=STRAIGHT") && text.contains("turn=NULL_VAL") && text.contains("turn=LEFT"), text);
                assertEquals(0, adapter.counters().rejectedValues(), adapter.statusLine());
            }
            finally
            {
                runner.close();
            }
        }
    }

    @Test
    void aModeTheServerDoesNotOfferOrAWrongPasswordIsRefusedAndSaid() throws Exception
    {
        final Function<String[], String> problemOf = args ->
        {
            try (IngressCapture node = new IngressCapture())
            {
                final OpcUaAdapter adapter = adapter(node, dir.resolve("adapter-" + args[0] + args[1]), args[0], args[1], args[2]);
                final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, adapter);
                AgentRunner.startOnThread(runner);
                try
                {
                    IngressCapture.await("a refusal", () -> adapter.counters().connectFailures() > 0, () -> adapter.statusLine());
                    assertFalse(adapter.online("milo"));
                    return adapter.problem("milo");
                }
                finally
                {
                    runner.close();
                }
            }
        };
        final String sign = problemOf.apply(new String[]{ "Basic256Sha256", "Sign", PASSWORD });
        assertTrue(sign.contains("offers no endpoint with Basic256Sha256/Sign and UserName identity"), sign);
        assertTrue(sign.contains("it offers [Basic256Sha256/SignAndEncrypt, Aes256_Sha256_RsaPss/SignAndEncrypt]"), sign);
        final String wrong = problemOf.apply(new String[]{ "Basic256Sha256", "SignAndEncrypt", "not-the-password" });
        assertTrue(wrong.contains("Bad_UserAccessDenied"), "names the refused login: " + wrong);
    }
}
