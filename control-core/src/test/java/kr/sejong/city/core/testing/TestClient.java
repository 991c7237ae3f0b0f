package kr.sejong.city.core.testing;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import kr.sejong.city.codecs.DetectorObservationEncoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.core.runtime.ControlNode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** An adapter as a test sees it: a real Aeron client that sends to the node's ingress and reads its egress. */
public final class TestClient implements AutoCloseable
{
    private final Aeron aeron;
    public final ExclusivePublication ingress;
    public final Subscription egress;
    public final List<byte[]> received = new ArrayList<>();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onEgress);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    public TestClient(final ControlNode node)
    {
        this(node.context().aeronDirectoryName(), node.context());
    }

    /** A client of a node in another process, found by its media driver directory (default channels). */
    public TestClient(final String aeronDirectoryName, final ControlNode.Context channels)
    {
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectoryName).errorHandler(error -> { }));
        ingress = aeron.addExclusivePublication(channels.ingressChannel(), channels.ingressStreamId());
        egress = aeron.addSubscription(channels.egressChannel(), channels.egressStreamId());
        awaitCondition("ingress and egress connected", () -> ingress.isConnected() && egress.isConnected(), 10);
    }

    private void onEgress(final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header header)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        received.add(frame);
    }

    /** Offer a frame, retrying while back-pressured. */
    public void send(final DirectBuffer frame, final int offset, final int length)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            final long result = ingress.offer(frame, offset, length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED || System.nanoTime() > deadline)
            {
                throw new IllegalStateException("offer failed: " + result);
            }
            poll();
            Thread.yield();
        }
    }

    /** Offer a frame, retrying while back-pressured, without reading egress meanwhile. */
    public void sendWithoutPollingEgress(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ingress.offer(buffer, 0, frame.length) < 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("ingress offer kept failing");
            }
            Thread.yield();
        }
    }

    public void send(final byte[] frame)
    {
        send(new UnsafeBuffer(frame), 0, frame.length);
    }

    public byte[] detectorObservation(final int detectorId, final int intersectionId, final int vehicleCount)
    {
        final DetectorObservationEncoder encoder = new DetectorObservationEncoder()
            .wrapAndApplyHeader(buffer, 0, header)
            .detectorId(detectorId)
            .intersectionId(intersectionId)
            .intervalMs(1000)
            .vehicleCount(vehicleCount)
            .occupancyPermille(vehicleCount * 7 % 1000)
            .meanSpeedCmPerS(800)
            .presence(vehicleCount > 0 ? BooleanType.TRUE : BooleanType.FALSE);
        return copy(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    public byte[] tick(final long timeNs, final long tickNumber)
    {
        final TickEncoder encoder = new TickEncoder()
            .wrapAndApplyHeader(buffer, 0, header)
            .timeNs(timeNs)
            .periodNs(100_000_000L)
            .source(TickSource.SIMULATION)
            .tickNumber(tickNumber);
        return copy(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private byte[] copy(final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    public int poll()
    {
        return egress.poll(assembler, 256);
    }

    /** Poll egress until {@code count} frames have arrived. */
    public void awaitReceived(final int count, final int timeoutS)
    {
        awaitCondition(count + " egress frames (have " + received.size() + ")", () ->
        {
            poll();
            return received.size() >= count;
        }, timeoutS);
    }

    public static int templateId(final byte[] frame)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        header.wrap(new UnsafeBuffer(frame), 0);
        return header.templateId();
    }

    public static void awaitCondition(final String what, final BooleanSupplier condition, final int timeoutS)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out after " + timeoutS + " s waiting for " + what);
            }
            Thread.yield();
        }
    }

    @Override
    public void close()
    {
        aeron.close();
    }
}
