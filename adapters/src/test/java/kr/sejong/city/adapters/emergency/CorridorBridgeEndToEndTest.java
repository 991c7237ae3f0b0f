package kr.sejong.city.adapters.emergency;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.PriorityReason;
import kr.sejong.city.codecs.PriorityRequestDecoder;
import kr.sejong.city.codecs.PriorityRequestEncoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.PriorityStatusCode;
import kr.sejong.city.codecs.PriorityStatusDecoder;
import kr.sejong.city.codecs.PriorityStatusEncoder;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.testing.JournalContents;
import kr.sejong.city.core.testing.TestClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The corridor bridge through a real node: a loop that, like triage, publishes a PriorityRequest on egress
 * (here on every Tick) and, like the signal loop, answers PriorityRequests that arrive on ingress. Without
 * the bridge nothing answers; with it each request is journaled as an input, byte for byte the frame the
 * loop published, and answered.
 */
class CorridorBridgeEndToEndTest
{
    private static final long SECOND_NS = 1_000_000_000L;

    @TempDir
    Path dataDir;

    /** Emits a PriorityRequest on each Tick; answers each PriorityRequest input with a GRANTED PriorityStatus. */
    static final class DispatchingLoop implements ControlLoop
    {
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final PriorityRequestEncoder request = new PriorityRequestEncoder();
        private final PriorityRequestDecoder decoder = new PriorityRequestDecoder();
        private final PriorityStatusEncoder status = new PriorityStatusEncoder();
        private final TickDecoder tick = new TickDecoder();

        @Override
        public String name()
        {
            return "dispatching";
        }

        @Override
        public int[] templateIds()
        {
            return new int[]{ TickDecoder.TEMPLATE_ID, PriorityRequestDecoder.TEMPLATE_ID };
        }

        @Override
        public void onInput(final Input input, final Egress egress)
        {
            if (input.templateId() == TickDecoder.TEMPLATE_ID)
            {
                tick.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                final long n = tick.tickNumber();
                final int offset = egress.claim(256);
                request.wrapAndApplyHeader(egress.buffer(), offset, header)
                    .requestId(1000 + n)
                    .vehicleId(5303)
                    .role(VehicleRole.AMBULANCE)
                    .requestType(PriorityRequestType.REQUEST)
                    .intersectionId(101)
                    .approachId(1)
                    .etaMs(30_000);
                request.routeCount(2).next().intersectionId(102).approachId(4).etaMs(60_000)
                    .next().intersectionId(103).approachId(4).etaMs(90_000);
                egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
                return;
            }
            decoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            final long requestId = decoder.requestId();
            final long vehicleId = decoder.vehicleId();
            final long intersectionId = decoder.intersectionId();
            decoder.route().forEach(r -> r.etaMs());
            final int offset = egress.claim(64);
            status.wrapAndApplyHeader(egress.buffer(), offset, header)
                .requestId(requestId)
                .vehicleId(vehicleId)
                .intersectionId(intersectionId)
                .status(PriorityStatusCode.GRANTED)
                .reason(PriorityReason.CORRIDOR)
                .queuePosition(0);
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength());
        }

        @Override
        public void snapshot(final StateWriter out)
        {
            out.putInt(0);
        }

        @Override
        public void restore(final StateReader in)
        {
            in.getInt();
        }
    }

    @Test
    void everyPriorityRequestOnEgressComesBackOnIngressByteForByteAndIsAnswered()
    {
        final ControlNode.Context ctx = new ControlNode.Context()
            .dataDir(dataDir)
            .mode(NodeMode.SIMULATED)
            .loops(List.of(new DispatchingLoop()));
        final int ticks = 5;
        try (ControlNode node = ControlNode.launch(ctx);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName()));
            ExclusivePublication ingress = aeron.addExclusivePublication(node.context().ingressChannel(), node.context().ingressStreamId());
            Subscription egress = aeron.addSubscription(node.context().egressChannel(), node.context().egressStreamId());
            Subscription watch = aeron.addSubscription(node.context().egressChannel(), node.context().egressStreamId()))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(ingress.isConnected() && egress.isConnected() && watch.isConnected()) && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            final CorridorBridge bridge = new CorridorBridge(ingress, egress, 10_000);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
            final TickEncoder tick = new TickEncoder();
            final long startNs = 1_780_000_000L * SECOND_NS;
            for (int n = 0; n < ticks; n++)
            {
                final int length = MessageHeaderEncoder.ENCODED_LENGTH + tick.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                    .timeNs(startNs + n * SECOND_NS).periodNs(SECOND_NS).source(TickSource.SIMULATION).tickNumber(n).encodedLength();
                while (ingress.offer(buffer, 0, length) < 0)
                {
                    Thread.onSpinWait();
                }
                final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (bridge.seen() < n + 1 && System.nanoTime() < until)
                {
                    bridge.poll();
                }
            }
            assertEquals(ticks, bridge.seen());
            assertEquals(ticks, bridge.forwarded());
            // wait until the node has answered the forwarded requests (a second subscription sees all of egress)
            final long[] answered = { 0 };
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (answered[0] < ticks && System.nanoTime() < until)
            {
                watch.poll((b, o, l, h) ->
                {
                    if (b.getShort(o + 2, java.nio.ByteOrder.LITTLE_ENDIAN) == PriorityStatusDecoder.TEMPLATE_ID)
                    {
                        answered[0]++;
                    }
                }, 64);
                bridge.poll();
            }
        }

        final List<JournalContents.Out> out = JournalContents.egress(dataDir);
        final List<byte[]> published = out.stream().map(JournalContents.Out::frame)
            .filter(f -> TestClient.templateId(f) == PriorityRequestDecoder.TEMPLATE_ID).toList();
        final List<byte[]> journaled = JournalContents.ingress(dataDir).stream().map(JournalContents.In::frame)
            .filter(f -> TestClient.templateId(f) == PriorityRequestDecoder.TEMPLATE_ID).toList();
        assertEquals(ticks, published.size());
        assertEquals(ticks, journaled.size(), "every request re-entered through the ingress journal");
        for (int i = 0; i < ticks; i++)
        {
            assertArrayEquals(published.get(i), journaled.get(i), "request " + i + " byte for byte");
        }
        assertEquals(ticks, statuses(out), "each forwarded request answered");
        final PriorityStatusDecoder status = new PriorityStatusDecoder();
        final byte[] first = out.stream().map(JournalContents.Out::frame)
            .filter(f -> TestClient.templateId(f) == PriorityStatusDecoder.TEMPLATE_ID).findFirst().orElseThrow();
        status.wrap(new UnsafeBuffer(first), MessageHeaderEncoder.ENCODED_LENGTH, PriorityStatusDecoder.BLOCK_LENGTH, PriorityStatusDecoder.SCHEMA_VERSION);
        assertEquals(1000, status.requestId());
        assertTrue(Arrays.asList(PriorityStatusCode.values()).contains(status.status()));
    }

    private static long statuses(final List<JournalContents.Out> out)
    {
        return out.stream().filter(o -> TestClient.templateId(o.frame()) == PriorityStatusDecoder.TEMPLATE_ID).count();
    }
}
