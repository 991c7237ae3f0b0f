package kr.sejong.city.adapters.sim;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import kr.sejong.city.codecs.BalancingStatusDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * The node as the energy field's controller: frames go to the node's ingress publication, then a
 * {@code Tick}; everything on egress until the {@code BalancingStatus} of that Tick is the answer. The
 * round trip (Tick offered to its status read) goes into {@link #roundTrip()}.
 */
public final class AeronEnergyController implements EnergyController
{
    private final ExclusivePublication ingress;
    private final Subscription egress;
    private final long timeoutNs;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onEgress);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final BalancingStatusDecoder status = new BalancingStatusDecoder();
    private final UnsafeBuffer tickBuffer = new UnsafeBuffer(new byte[64]);
    private final MessageHeaderEncoder tickHeader = new MessageHeaderEncoder();
    private final TickEncoder tickEncoder = new TickEncoder();
    private final Histogram roundTrip = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    private FrameSink answers;
    private long awaitedTimeNs;
    private boolean answered;

    public AeronEnergyController(final ExclusivePublication ingress, final Subscription egress, final long timeoutMs)
    {
        this.ingress = ingress;
        this.egress = egress;
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        offer(buffer, offset, length);
    }

    @Override
    public void tick(final long timeNs, final long periodNs, final long tickNumber, final FrameSink answers)
    {
        tickEncoder.wrapAndApplyHeader(tickBuffer, 0, tickHeader)
            .timeNs(timeNs)
            .periodNs(periodNs)
            .source(TickSource.SIMULATION)
            .tickNumber(tickNumber);
        this.answers = answers;
        awaitedTimeNs = timeNs;
        answered = false;
        final long startNs = System.nanoTime();
        offer(tickBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + tickEncoder.encodedLength());
        final long deadlineNs = startNs + timeoutNs;
        while (!answered)
        {
            if (egress.poll(assembler, 64) == 0)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    throw new IllegalStateException("no BalancingStatus from the node within " + TimeUnit.NANOSECONDS.toMillis(timeoutNs)
                        + " ms of Tick " + tickNumber + " (is the energy loop registered?)");
                }
                Thread.onSpinWait();
            }
        }
        roundTrip.recordValue(Math.min(roundTrip.getHighestTrackableValue(), System.nanoTime() - startNs));
    }

    private void onEgress(final DirectBuffer buffer, final int offset, final int length, final Header fragmentHeader)
    {
        answers.onFrame(buffer, offset, length);
        header.wrap(buffer, offset);
        if (header.templateId() == BalancingStatusDecoder.TEMPLATE_ID && header.schemaId() == BalancingStatusDecoder.SCHEMA_ID)
        {
            status.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            if (status.timeNs() == awaitedTimeNs)
            {
                answered = true;
            }
        }
    }

    private void offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (true)
        {
            final long result = ingress.offer(buffer, offset, length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED || result == Publication.NOT_CONNECTED
                && System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("the node's ingress refused a frame (offer returned " + result + ")");
            }
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("the node's ingress stayed back-pressured for " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
            }
            // while back-pressured, keep reading egress so the node is never blocked by us
            if (answers != null)
            {
                egress.poll(assembler, 64);
            }
            Thread.onSpinWait();
        }
    }

    /** Tick offered to its BalancingStatus read, ns. */
    public Histogram roundTrip()
    {
        return roundTrip;
    }
}
