package kr.sejong.city.adapters.sim;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * The runner's side of a lockstep scenario run through a node in simulated mode: frames offered on its ingress
 * (back-pressure waited out up to a timeout), a Tick per step, and egress read until the step's answers are in.
 * Shared by the scenario runners of {@code bin/city simulate}. One thread.
 */
public final class LockstepIngress
{
    private final ExclusivePublication publication;
    private final long timeoutNs;
    private final UnsafeBuffer tickBuffer = new UnsafeBuffer(new byte[64]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TickEncoder tick = new TickEncoder();

    public LockstepIngress(final ExclusivePublication publication, final long timeoutNs)
    {
        this.publication = publication;
        this.timeoutNs = timeoutNs;
    }

    /** Offer one frame, waiting while the node's ingress is back-pressured; fail when it is closed or stays so. */
    public void offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (true)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IllegalStateException("the node's ingress refused a frame (offer returned " + result + ")");
            }
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("the node's ingress stayed back-pressured for " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
            }
            Thread.onSpinWait();
        }
    }

    /** The Tick of a simulation step. */
    public void tick(final long timeNs, final long periodNs, final long number)
    {
        tick.wrapAndApplyHeader(tickBuffer, 0, header)
            .timeNs(timeNs)
            .periodNs(periodNs)
            .source(TickSource.SIMULATION)
            .tickNumber(number);
        offer(tickBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + tick.encodedLength());
    }

    /**
     * Read egress into {@code assembler} until {@code done}; its handler ends the read exactly at the awaited frame
     * (BREAK). Fails after the timeout with {@code failure}'s message, given the timeout in ms.
     */
    public void readUntil(final Subscription egress, final ControlledFragmentAssembler assembler, final BooleanSupplier done,
        final LongFunction<String> failure)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!done.getAsBoolean())
        {
            if (egress.controlledPoll(assembler, 64) == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException(failure.apply(TimeUnit.NANOSECONDS.toMillis(timeoutNs)));
                }
                Thread.onSpinWait();
            }
        }
    }
}
