package kr.sejong.city.adapters.sim;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
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
 * The end of a Tick's answers is its last SignalCommand: after the city's {@code IntersectionTopology} frames the
 * signal loop (the first loop) answers every Tick with one SignalCommand per intersection, and the runner's egress
 * handler stops exactly there ({@link #signalCommand()}), so what is read in each step is the same in every run.
 * Shared by the scenario runners of {@code bin/city simulate}. One thread.
 */
public final class LockstepIngress
{
    private final ExclusivePublication publication;
    private final long timeoutNs;
    private final UnsafeBuffer tickBuffer = new UnsafeBuffer(new byte[64]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TickEncoder tick = new TickEncoder();
    private int intersections;
    private long commandsSeen;
    private long commandsAwaited;

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

    /** The city's intersection topologies, which make the signal loop answer every Tick. */
    public void topologies(final SignalizedField signals)
    {
        signals.topologies(this::offer);
        intersections = signals.intersectionCount();
        if (intersections == 0)
        {
            throw new IllegalStateException("the configuration has no signalised intersection: a Tick would give no SignalCommand to end it");
        }
    }

    /** The Tick of a step, then egress read into {@code assembler} to the Tick's last SignalCommand. */
    public void tickAndRead(final long timeNs, final long periodNs, final long number, final Subscription egress,
        final ControlledFragmentAssembler assembler)
    {
        tick(timeNs, periodNs, number);
        commandsAwaited += intersections;
        readUntil(egress, assembler, () -> commandsSeen >= commandsAwaited, timeoutMs -> "no SignalCommands of Tick " + number + " within "
            + timeoutMs + " ms (" + commandsSeen + " of " + commandsAwaited + " read): is the node running the signal loop?");
    }

    /** For the egress handler, on each SignalCommand: BREAK at the last one of the Tick awaited. */
    public Action signalCommand()
    {
        commandsSeen++;
        return commandsSeen == commandsAwaited ? Action.BREAK : Action.CONTINUE;
    }

    private void tick(final long timeNs, final long periodNs, final long number)
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
