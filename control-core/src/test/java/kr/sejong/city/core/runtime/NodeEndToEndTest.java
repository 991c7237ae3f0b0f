package kr.sejong.city.core.runtime;

import kr.sejong.city.codecs.ConfigSnapshotDecoder;
import kr.sejong.city.codecs.DetectorObservationDecoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.core.testing.JournalContents;
import kr.sejong.city.core.testing.TestClient;
import kr.sejong.city.core.testing.TestLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real node (embedded media driver, Chronicle journal) driven by a real Aeron client. */
class NodeEndToEndTest
{
    private static final int N = 20_000;

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "ipc", "udp", "ipc-dedicated-threads", "ipc-single-thread", "udp-single-thread" })
    void everyInputIsJournaledInOrderAndAnsweredOnEgress(final String transport) throws IOException
    {
        final ControlNode.Context ctx = new ControlNode.Context()
            .dataDir(dataDir)
            .threading(transport.endsWith("dedicated-threads") ? NodeThreading.DEDICATED
                : transport.endsWith("single-thread") ? NodeThreading.SINGLE : NodeThreading.LOW_RESOURCE)
            .addLoop(new TestLoop())
            .configSnapshot("test.yaml", "city: test\n".getBytes(StandardCharsets.UTF_8))
            .tickPeriodNs(50_000_000L);
        if (transport.startsWith("udp"))
        {
            ctx.ingressChannel("aeron:udp?endpoint=127.0.0.1:" + freeUdpPort())
                .egressChannel("aeron:udp?endpoint=127.0.0.1:" + freeUdpPort());
        }

        final List<byte[]> sent = new ArrayList<>();
        final List<byte[]> commands = new ArrayList<>();
        final long before;
        try (ControlNode node = ControlNode.launch(ctx); TestClient client = new TestClient(node))
        {
            before = System.currentTimeMillis() * 1_000_000L;
            for (int i = 0; i < N; i++)
            {
                final byte[] frame = client.detectorObservation(i, 100 + i % 10, i % 37);
                sent.add(frame);
                client.send(frame);
            }
            TestClient.awaitCondition("all commands on egress", () ->
            {
                client.poll();
                return client.received.stream().filter(f -> TestClient.templateId(f) == SignalCommandDecoder.TEMPLATE_ID).count() == N;
            }, 60);
            client.received.stream().filter(f -> TestClient.templateId(f) == SignalCommandDecoder.TEMPLATE_ID).forEach(commands::add);
            assertEquals(0, node.counters().rejects());
            // one decision latency per observation, kept apart by the kind of input (recorded just after publication)
            final org.HdrHistogram.Histogram perObservation = new org.HdrHistogram.Histogram(3);
            TestClient.awaitCondition("a latency per observation", () ->
            {
                perObservation.add(node.decisionLatency(DetectorObservationDecoder.TEMPLATE_ID).getIntervalHistogram());
                return perObservation.getTotalCount() == N;
            }, 10);
            assertTrue(perObservation.getMinValue() > 0, "latencies measured, not zero");
            assertEquals(null, node.decisionLatency(ConfigSnapshotDecoder.TEMPLATE_ID), "no output, no latency: " + node.decisionLatency(ConfigSnapshotDecoder.TEMPLATE_ID));
            final java.util.Set<String> nodeThreads = new java.util.TreeSet<>();
            Thread.getAllStackTraces().keySet().forEach(t ->
            {
                if (t.getName().startsWith("city-"))
                {
                    nodeThreads.add(t.getName());
                }
            });
            assertEquals(ctx.threading() == NodeThreading.DEDICATED
                ? java.util.Set.of("city-ingress", "city-journal", "city-loops", "city-egress", "city-clock")
                : java.util.Set.of("city-node"), nodeThreads);
            final boolean driverThread = Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().contains("driver-conductor"));
            assertEquals(ctx.threading() != NodeThreading.SINGLE, driverThread,
                "the media driver has a thread of its own unless it runs on the node's (single)");
        }

        // ingress journal: gap-free from 0, the ConfigSnapshot first, then our frames in order with stamps
        final List<JournalContents.In> in = JournalContents.ingress(dataDir);
        for (int i = 0; i < in.size(); i++)
        {
            assertEquals(i, in.get(i).sequence(), "sequence gap at entry " + i);
            assertEquals(JournalRecordKind.INPUT, in.get(i).kind());
            if (i > 0)
            {
                assertTrue(in.get(i).timeNs() >= in.get(i - 1).timeNs(), "time went backwards at " + i);
            }
        }
        assertEquals(ConfigSnapshotDecoder.TEMPLATE_ID, in.get(0).templateId());
        assertTrue(in.get(0).timeNs() >= before - 60_000_000_000L, "stamped with wall time in live mode");
        final List<JournalContents.In> observations = in.stream()
            .filter(r -> r.templateId() == DetectorObservationDecoder.TEMPLATE_ID).toList();
        assertEquals(N, observations.size());
        for (int i = 0; i < N; i++)
        {
            assertArrayEquals(sent.get(i), observations.get(i).frame(), "journaled frame " + i + " differs from what was sent");
        }
        assertTrue(in.stream().anyMatch(r -> r.templateId() == TickDecoder.TEMPLATE_ID), "the clock agent's Ticks are journaled");

        // egress journal: one command per observation, in order, caused by it, and exactly what was received
        final List<JournalContents.Out> out = JournalContents.egress(dataDir);
        final List<JournalContents.Out> journaledCommands = out.stream()
            .filter(r -> TestClient.templateId(r.frame()) == SignalCommandDecoder.TEMPLATE_ID).toList();
        assertEquals(N, journaledCommands.size());
        for (int i = 0; i < N; i++)
        {
            assertEquals(observations.get(i).sequence(), journaledCommands.get(i).inputSequence());
            assertArrayEquals(commands.get(i), journaledCommands.get(i).frame());
            final SignalCommandDecoder command = new SignalCommandDecoder();
            final var buffer = JournalContents.buffer(commands.get(i));
            command.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, SignalCommandDecoder.BLOCK_LENGTH, SignalCommandDecoder.SCHEMA_VERSION);
            assertEquals(100 + i % 10, command.intersectionId());
            assertEquals((i % 37) * 1000L, command.durationMs());
        }
        for (int i = 0; i < out.size(); i++)
        {
            assertEquals(i, out.get(i).egressSequence());
        }
    }

    @Test
    void restartContinuesTheSequenceWithoutGapOrRepeat()
    {
        for (int run = 0; run < 3; run++)
        {
            final ControlNode.Context ctx = new ControlNode.Context().dataDir(dataDir).addLoop(new TestLoop())
                .mode(NodeMode.SIMULATED);
            try (ControlNode node = ControlNode.launch(ctx); TestClient client = new TestClient(node))
            {
                for (int i = 0; i < 100; i++)
                {
                    client.send(client.detectorObservation(run * 100 + i, 1, 1));
                }
                client.awaitReceived(100, 30);
            }
        }
        final List<JournalContents.In> in = JournalContents.ingress(dataDir);
        assertEquals(300, in.size());
        for (int i = 0; i < in.size(); i++)
        {
            assertEquals(i, in.get(i).sequence());
        }
        final List<JournalContents.Out> out = JournalContents.egress(dataDir);
        assertEquals(300, out.size());
        for (int i = 0; i < out.size(); i++)
        {
            assertEquals(i, out.get(i).egressSequence());
            assertEquals(i, out.get(i).inputSequence());
        }
    }

    @Test
    void aSlowEgressSubscriberIsCountedNeverSilentlyDropped()
    {
        final ControlNode.Context ctx = new ControlNode.Context().dataDir(dataDir).addLoop(new TestLoop())
            .mode(NodeMode.SIMULATED)
            .termBufferLength(64 * 1024)
            .maxFrameLength(8 * 1024)
            .egressRetryLimit(3);
        final int n = 20_000;
        try (ControlNode node = ControlNode.launch(ctx); TestClient client = new TestClient(node))
        {
            final byte[] frame = client.detectorObservation(1, 1, 1);
            for (int i = 0; i < n; i++)
            {
                client.sendWithoutPollingEgress(frame);
            }
            TestClient.awaitCondition("all inputs journaled", () -> node.counters().inputs() == n, 30);
            TestClient.awaitCondition("every decision published or given up",
                () -> node.counters().egressMessages() + node.counters().egressGivenUp() == n, 30);
            assertTrue(node.counters().egressBackPressure() > 0, "back-pressure seen");
            assertTrue(node.counters().egressGivenUp() > 0, "some frames given up on");
            node.close();
            assertEquals(n, JournalContents.egress(dataDir).size(), "every decision is in the egress journal");
        }
    }

    @Test
    void aSubscriberThatStopsReadingDoesNotStallTheNode()
    {
        // a generous retry limit: waited out once, then frames are offered once each until the subscriber catches up
        final ControlNode.Context ctx = new ControlNode.Context().dataDir(dataDir).addLoop(new TestLoop())
            .mode(NodeMode.SIMULATED)
            .termBufferLength(64 * 1024)
            .maxFrameLength(8 * 1024)
            .egressRetryLimit(200_000);
        final int n = 20_000;
        try (ControlNode node = ControlNode.launch(ctx); TestClient client = new TestClient(node))
        {
            final byte[] frame = client.detectorObservation(1, 1, 1);
            for (int i = 0; i < n; i++)
            {
                client.sendWithoutPollingEgress(frame);
            }
            TestClient.awaitCondition("all inputs through the node", () -> node.counters().egressMessages()
                + node.counters().egressGivenUp() == n, 30);
            assertTrue(node.counters().egressGivenUp() > n / 2, "given up: " + node.counters().egressGivenUp());
            assertTrue(node.counters().egressBackPressure() < node.counters().egressGivenUp() + 300_000,
                "waited out at most about once: " + node.counters().egressBackPressure());

            // once the subscriber reads again (and the driver has seen it), later frames flow again
            final long published = node.counters().egressMessages();
            TestClient.awaitCondition("published again", () ->
            {
                client.poll();
                client.sendWithoutPollingEgress(frame);
                return node.counters().egressMessages() > published;
            }, 10);
        }
    }

    @Test
    void withJournalingOffDecisionsStillFlowButNothingIsJournaled()
    {
        final ControlNode.Context ctx = new ControlNode.Context().dataDir(dataDir).addLoop(new TestLoop())
            .mode(NodeMode.SIMULATED).journaling(false);
        try (ControlNode node = ControlNode.launch(ctx); TestClient client = new TestClient(node))
        {
            for (int i = 0; i < 100; i++)
            {
                client.send(client.detectorObservation(i, 1, 1));
            }
            client.awaitReceived(100, 30);
            assertEquals(0, node.counters().journalIngressBytes());
            assertEquals(0, node.counters().journalEgressBytes());
        }
        assertEquals(0, JournalContents.ingress(dataDir).size());
        assertEquals(0, JournalContents.egress(dataDir).size());
    }

    static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }

}
