package kr.sejong.city.core.runtime;

import com.lmax.disruptor.RingBuffer;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.wire.FrameValidator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Polls the ingress subscription, validates every frame, stamps it with the next gap-free sequence
 * number and the current logical time, and publishes it into the ring (the ring's only producer).
 * <p>
 * Time: in live mode the clock is read once per duty cycle (never going backwards); in simulated mode
 * it is the time of the last Tick, and a Tick that would move time backwards is rejected. When the
 * ring is full the fragment is left in Aeron (ABORT), which back-pressures the adapters.
 */
final class IngressAgent implements Agent, ControlledFragmentHandler
{
    private final Subscription subscription;
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this);
    private final RingBuffer<InputEvent> ring;
    private final FrameValidator validator;
    private final NodeCounters counters;
    private final EpochNanoClock clock;
    private final boolean simulated;
    private final int fragmentLimit;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final TickDecoder tick = new TickDecoder();
    private final DirectBuffer startupFrame;

    private long nextSequence;
    private long timeNs;
    private long receivedNanos;
    private volatile boolean closing;
    private volatile boolean stopped;

    IngressAgent(
        final Subscription subscription,
        final RingBuffer<InputEvent> ring,
        final FrameValidator validator,
        final NodeCounters counters,
        final EpochNanoClock clock,
        final boolean simulated,
        final int fragmentLimit,
        final long firstSequence,
        final long initialTimeNs,
        final DirectBuffer startupFrame)
    {
        this.subscription = subscription;
        this.ring = ring;
        this.validator = validator;
        this.counters = counters;
        this.clock = clock;
        this.simulated = simulated;
        this.fragmentLimit = fragmentLimit;
        this.nextSequence = firstSequence;
        this.timeNs = initialTimeNs;
        this.startupFrame = startupFrame;
    }

    @Override
    public void onStart()
    {
        readClock();
        if (startupFrame != null)
        {
            // the node's own first input (its ConfigSnapshot): stamped and journaled like any other
            onFrame(startupFrame, 0, startupFrame.capacity());
        }
    }

    @Override
    public int doWork()
    {
        if (closing)
        {
            stopped = true;
            return 0;
        }
        readClock();
        return subscription.controlledPoll(assembler, fragmentLimit);
    }

    private void readClock()
    {
        receivedNanos = System.nanoTime();
        if (!simulated)
        {
            final long nowNs = clock.nanoTime();
            if (nowNs > timeNs)
            {
                timeNs = nowNs;
            }
        }
    }

    @Override
    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (!ring.hasAvailableCapacity(1))
        {
            counters.ringFull.incrementRelease();
            return Action.ABORT;
        }
        onFrame(buffer, offset, length);
        return Action.CONTINUE;
    }

    private void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        RejectReason reason = validator.validate(buffer, offset, length);
        final int templateId = validator.templateId();
        if (reason == null && templateId == TickDecoder.TEMPLATE_ID)
        {
            reason = onTick(buffer, offset);
        }

        final long ringSequence = ring.next();
        final InputEvent event = ring.get(ringSequence);
        final long sequence = nextSequence++;
        event.sequence = sequence;
        event.timeNs = timeNs;
        event.receivedNanos = receivedNanos;
        event.templateId = templateId;
        event.schemaId = validator.schemaId();
        event.version = validator.version();
        event.blockLength = validator.blockLength();
        event.frameLength = length;
        if (reason == null)
        {
            event.rejected = false;
            event.rejectReason = null;
            event.storedLength = length;
            event.frame.putBytes(0, buffer, offset, length);
        }
        else
        {
            event.rejected = true;
            event.rejectReason = reason;
            final int kept = Math.min(length, InputEvent.REJECTED_FRAME_KEEP_BYTES);
            event.storedLength = kept;
            event.frame.putBytes(0, buffer, offset, kept);
            counters.rejects.incrementRelease();
            counters.rejectsFor(reason).incrementRelease();
        }
        ring.publish(ringSequence);
        counters.ingressBytes.getAndAddRelease(length);
    }

    private RejectReason onTick(final DirectBuffer buffer, final int offset)
    {
        header.wrap(buffer, offset);
        tick.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        if (simulated)
        {
            final long tickTimeNs = tick.timeNs();
            if (tickTimeNs < timeNs)
            {
                return RejectReason.TIME_REGRESSION;
            }
            timeNs = tickTimeNs;
        }
        counters.ticks.incrementRelease();
        return null;
    }

    /** Stop taking input; the ring is then drained by the other agents. */
    void close()
    {
        closing = true;
    }

    boolean isStopped()
    {
        return stopped;
    }

    long nextSequence()
    {
        return nextSequence;
    }

    @Override
    public String roleName()
    {
        return "ingress";
    }
}
