package kr.sejong.city.adapters.emergency;

import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.PriorityRequestDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Carries the green corridor of a dispatched unit from the node's egress back into its ingress.
 * <p>
 * Why it exists: when the triage loop dispatches an ambulance or a fire engine it publishes the unit's
 * {@code PriorityRequest} frames on <em>egress</em>, as a decision; it does not hand them to the signal
 * loop inside the node. By design the dispatch "re-enters through the journal": a loop never feeds
 * another loop directly, so that every input a loop acts on is an ingress frame with a sequence, a
 * logical time and a place in the hash chain, and a replay of the ingress journal reproduces the
 * signal loop's answer without re-running triage's reasoning. In the field the on-board unit or the
 * dispatch system's gateway closes that loop; in a simulation (or a deployment without such a
 * gateway) this bridge does: every {@code PriorityRequest} frame it sees on egress is offered again on
 * ingress, byte for byte, where it is journaled as an input and the signal loop answers it with
 * {@code PriorityStatus}.
 * <p>
 * Two ways to use it, both on one thread (the one that owns the ingress publication):
 * <ul>
 *   <li>{@link #poll()}: the bridge reads its own egress subscription and forwards at once;</li>
 *   <li>{@link #onEgressFrame} from a caller that already reads egress, then {@link #flush()} at a point
 *   of the caller's choosing: a simulation flushes between its steps, so the forwarded frames enter
 *   ingress at the same place in every run and the egress is reproducible byte for byte.</li>
 * </ul>
 * Any other egress frame is ignored. Not thread-safe.
 */
public final class CorridorBridge
{
    private final Publication ingress;
    private final Subscription egress;
    private final long timeoutNs;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final List<byte[]> queued = new ArrayList<>();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[0]);
    private long seen;
    private long forwarded;

    /**
     * @param ingress   the node's ingress publication (the caller's, shared: offers happen on the caller's thread).
     * @param egress    the node's egress subscription for {@link #poll()}; may be null when only
     *                  {@link #onEgressFrame} is used.
     * @param timeoutMs how long an offer may stay back-pressured before it fails.
     */
    public CorridorBridge(final Publication ingress, final Subscription egress, final long timeoutMs)
    {
        this.ingress = ingress;
        this.egress = egress;
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    /** Read what the egress subscription has and forward its PriorityRequests now; returns the fragments read. */
    public int poll()
    {
        final int fragments = egress.poll(assembler, 64);
        flush();
        return fragments;
    }

    /**
     * Look at one egress frame (an SBE message, header included); a PriorityRequest is copied and queued
     * for {@link #flush()}.
     *
     * @return whether it was a PriorityRequest.
     */
    public boolean onEgressFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!isPriorityRequest(header, buffer, offset, length))
        {
            return false;
        }
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        queued.add(frame);
        seen++;
        return true;
    }

    /** Offer the queued PriorityRequests on ingress, in the order seen; returns how many. */
    public int flush()
    {
        final int n = queued.size();
        for (final byte[] frame : queued)
        {
            out.wrap(frame);
            offer(out, frame.length);
            forwarded++;
        }
        queued.clear();
        return n;
    }

    /** PriorityRequests seen on egress. */
    public long seen()
    {
        return seen;
    }

    /** PriorityRequests offered on ingress. */
    public long forwarded()
    {
        return forwarded;
    }

    /** Whether a frame is a PriorityRequest of this schema. */
    public static boolean isPriorityRequest(final MessageHeaderDecoder header, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return false;
        }
        header.wrap(buffer, offset);
        return header.templateId() == PriorityRequestDecoder.TEMPLATE_ID && header.schemaId() == PriorityRequestDecoder.SCHEMA_ID;
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header fragmentHeader)
    {
        onEgressFrame(buffer, offset, length);
    }

    private void offer(final DirectBuffer buffer, final int length)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (true)
        {
            final long result = ingress.offer(buffer, 0, length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IllegalStateException("the node's ingress refused a corridor request (offer returned " + result + ")");
            }
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("the node's ingress stayed back-pressured (or unconnected) for "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms while forwarding a corridor request");
            }
            Thread.onSpinWait();
        }
    }
}
