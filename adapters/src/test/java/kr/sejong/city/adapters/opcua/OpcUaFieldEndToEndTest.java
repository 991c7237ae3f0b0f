package kr.sejong.city.adapters.opcua;

import io.aeron.Aeron;
import kr.sejong.city.adapters.opcua.client.OpcUaAdapter;
import kr.sejong.city.adapters.opcua.client.ServerSettings;
import kr.sejong.city.adapters.opcua.server.FieldDevice;
import kr.sejong.city.adapters.opcua.server.FieldServer;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.DeviceState;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.config.ApiKeyHash;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.IdleStrategies;
import kr.sejong.city.core.runtime.NodeContexts;
import kr.sejong.city.core.testing.JournalContents;
import kr.sejong.city.core.testing.TestClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole field path with our own parts on both sides and a real node: a Milo field server (an intersection
 * controller and an ESS, fed by this test), the OPC UA client adapter, Aeron, the node with every loop, and back
 * (the signal loop's commands as SetSignalState calls). Then an outage storm: the server is killed and started again
 * (same port, same certificate) three times. Every outage must reach the loops as a DeviceStatus OFFLINE, the
 * signal loop must run that intersection in fallback and the energy loop must hold the ESS out, and after every
 * restart the adapter must be back with data flowing and the loop back in adaptive control.
 */
class OpcUaFieldEndToEndTest
{
    private static final String PASSWORD = "field-e2e-" + Long.toHexString(System.nanoTime());
    private static final int OUTAGES = 3;

    @TempDir
    Path dataDir;

    private volatile FieldServer server;

    @Test
    void theLoopsSeeEveryOutageAndTheAdapterRecoversEveryTime() throws Exception
    {
        final CityConfig city = ConfigLoader.loadDefault().config();
        final List<FieldDevice> all = FieldDevice.of(city, SimulatedField.ANALYTICS_GATEWAY_ID);
        final FieldDevice intersection = all.stream().filter(d -> d.kind() == FieldNodes.Kind.INTERSECTION).findFirst().orElseThrow();
        final FieldDevice ess = all.stream().filter(d -> d.kind() == FieldNodes.Kind.ESS).findFirst().orElseThrow();
        final int port = SimulatedField.freeLocalPort();
        final Path adapterPki = dataDir.resolve("pki");
        final Path serverPki = dataDir.resolve("pki-field");
        final FieldServer.Context serverCtx = serverContext(port, serverPki, List.of(intersection, ess));

        ControlNode node = null;
        Aeron aeron = null;
        AgentRunner adapterRunner = null;
        Thread feeder = null;
        final List<Long> reconnectMs = new ArrayList<>();
        try
        {
            node = ControlNode.launch(NodeContexts.fromConfig(city.node(), dataDir.resolve("node")).loops(Loops.create(city)));
            server = start(serverCtx, adapterPki);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName()));
            final OpcUaAdapter adapter = new OpcUaAdapter(new OpcUaAdapter.Context()
                .cityConfig(city)
                .dataDir(dataDir)
                .pkiDir(adapterPki)
                .aeron(aeron)
                .ingressChannel(node.context().ingressChannel())
                .ingressStreamId(node.context().ingressStreamId())
                .egressChannel(node.context().egressChannel())
                .egressStreamId(node.context().egressStreamId())
                .initialBackoffMs(100)
                .maxBackoffMs(1000)
                .servers(List.of(new ServerSettings("field", server.endpointUrl(), "Basic256Sha256", "SignAndEncrypt", "city-adapter",
                    PASSWORD, 100, List.of(new ServerSettings.Device(FieldNodes.Kind.INTERSECTION, (int)intersection.id()),
                    new ServerSettings.Device(FieldNodes.Kind.ESS, (int)ess.id()))))));
            adapterRunner = new AgentRunner(IdleStrategies.of(IdleStrategies.BACKOFF), Throwable::printStackTrace, null, adapter);
            AgentRunner.startOnThread(adapterRunner);

            final int lanes = intersection.topology().laneCount();
            feeder = new Thread(() -> feed(intersection.id(), ess.id(), lanes), "field-feeder");
            feeder.setDaemon(true);
            feeder.start();

            TestClient.awaitCondition("adapter online", () -> adapter.online("field"), 30);
            TestClient.awaitCondition("the node's commands shown by the controller",
                () -> server.intersection(intersection.id()).commandsAccepted() > 3, 30);

            for (int outage = 0; outage < OUTAGES; outage++)
            {
                server.close();
                TestClient.awaitCondition("adapter sees the outage", () -> !adapter.online("field"), 30);
                TimeUnit.MILLISECONDS.sleep(1500); // Ticks pass while the controller is unreachable
                final long restartNs = System.nanoTime();
                server = start(serverCtx, adapterPki);
                TestClient.awaitCondition("adapter back", () -> adapter.online("field"), 30);
                reconnectMs.add((System.nanoTime() - restartNs) / 1_000_000);
                final long acceptedBefore = server.intersection(intersection.id()).commandsAccepted();
                TestClient.awaitCondition("commands flow again", () -> server.intersection(intersection.id()).commandsAccepted() > acceptedBefore + 3, 30);
            }
            TimeUnit.MILLISECONDS.sleep(2000);
        }
        finally
        {
            if (feeder != null)
            {
                feeder.interrupt();
                feeder.join(5000);
            }
            CloseHelper.closeAll(adapterRunner, aeron, server, node);
        }
        System.out.println("OpcUaFieldEndToEndTest: adapter online again after a server restart in " + reconnectMs + " ms");

        // what the loops saw: the journal
        final Path nodeDir = dataDir.resolve("node");
        final List<String> intersectionStates = new ArrayList<>();
        final List<String> essStates = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final DeviceStatusDecoder status = new DeviceStatusDecoder();
        for (final JournalContents.In in : JournalContents.ingress(nodeDir))
        {
            if (in.templateId() != DeviceStatusDecoder.TEMPLATE_ID)
            {
                continue;
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(in.frame());
            header.wrap(buffer, 0);
            status.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            if (status.state() != DeviceState.ONLINE && status.state() != DeviceState.OFFLINE)
            {
                continue;
            }
            if (status.deviceKind() == DeviceKind.INTERSECTION_CONTROLLER && status.deviceId() == intersection.id())
            {
                intersectionStates.add(status.state().name());
            }
            else if (status.deviceKind() == DeviceKind.ESS && status.deviceId() == ess.id())
            {
                essStates.add(status.state().name());
            }
        }
        final List<String> expected = new ArrayList<>(List.of("ONLINE"));
        for (int i = 0; i < OUTAGES; i++)
        {
            expected.add("OFFLINE");
            expected.add("ONLINE");
        }
        assertEquals(expected, intersectionStates.subList(0, expected.size()), "the intersection controller, as journaled: " + intersectionStates);
        assertEquals(expected, essStates.subList(0, expected.size()), "the ESS, as journaled: " + essStates);

        // the signal loop ran the intersection in fallback during each outage and came back to adaptive control
        int fallbacks = 0;
        boolean inFallback = false;
        SignalMode last = null;
        final SignalCommandDecoder command = new SignalCommandDecoder();
        int essHeld = 0;
        for (final JournalContents.Out out : JournalContents.egress(nodeDir))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(out.frame());
            header.wrap(buffer, 0);
            if (header.templateId() == SignalCommandDecoder.TEMPLATE_ID)
            {
                command.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                if (command.intersectionId() != intersection.id())
                {
                    continue;
                }
                last = command.mode();
                if (last == SignalMode.FALLBACK && !inFallback)
                {
                    fallbacks++;
                }
                inFallback = last == SignalMode.FALLBACK;
            }
            else if (header.templateId() == DeviceStatusDecoder.TEMPLATE_ID)
            {
                status.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                if (status.deviceKind() == DeviceKind.ESS && status.deviceId() == ess.id() && status.state() == DeviceState.OFFLINE &&
                    status.detail().startsWith("offline: its field adapter"))
                {
                    essHeld++;
                }
            }
        }
        assertEquals(OUTAGES, fallbacks, "one fallback episode per outage");
        assertTrue(last != SignalMode.FALLBACK, "back in adaptive control at the end, was " + last);
        assertEquals(OUTAGES, essHeld, "the energy loop held the ESS out once per outage");
    }

    private FieldServer.Context serverContext(final int port, final Path pki, final List<FieldDevice> devices)
    {
        return new FieldServer.Context()
            .bindAddress("127.0.0.1")
            .hostname("127.0.0.1")
            .port(port)
            .path("/e2e")
            .pkiDirectory(pki)
            .user("city-adapter", ApiKeyHash.of(PASSWORD, ApiKeyHash.MIN_ITERATIONS))
            .devices(devices);
    }

    /** A server on the context's port and PKI folder (the same certificate each time), trusting and trusted by the adapter. */
    private static FieldServer start(final FieldServer.Context template, final Path adapterPki)
    {
        final FieldServer started = FieldServer.start(new FieldServer.Context()
            .bindAddress(template.bindAddress())
            .hostname(template.hostname())
            .port(template.port())
            .path(template.path())
            .pkiDirectory(template.pkiDirectory())
            .user("city-adapter", ApiKeyHash.of(PASSWORD, ApiKeyHash.MIN_ITERATIONS))
            .devices(template.devices()));
        SimulatedField.trustEachOther(started, adapterPki);
        return started;
    }

    /** Every 200 ms: fresh lane observations and ESS readings with the wall clock as SourceTimestamp. */
    private void feed(final long intersectionId, final long essId, final int lanes)
    {
        final long[] observations = new long[lanes * FieldNodes.LANE_OBSERVATION_WIDTH];
        int round = 0;
        while (!Thread.currentThread().isInterrupted())
        {
            final FieldServer current = server;
            final long nowNs = System.currentTimeMillis() * 1_000_000L;
            for (int lane = 0; lane < lanes; lane++)
            {
                observations[lane * 3] = 2 + (round + lane) % 4;
                observations[lane * 3 + 1] = (round + lane) % 3;
                observations[lane * 3 + 2] = 100 + lane;
            }
            try
            {
                current.variable(FieldNodes.Kind.INTERSECTION, intersectionId, FieldNodes.LANE_OBSERVATIONS)
                    .set(observations, observations.length, nowNs);
                current.variable(FieldNodes.Kind.ESS, essId, FieldNodes.ACTIVE_POWER_W).set(-10_000 - round % 7, nowNs);
                current.variable(FieldNodes.Kind.ESS, essId, FieldNodes.SOC_PERMILLE).set(500, nowNs);
            }
            catch (final RuntimeException closedOrRestarting)
            {
                // the server is down for the outage: the next round writes into the new one
            }
            round++;
            try
            {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }
}
