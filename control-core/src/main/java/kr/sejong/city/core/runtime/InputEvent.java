package kr.sejong.city.core.runtime;

import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.core.loop.Egress;
import org.agrona.BitUtil;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One slot of the Disruptor ring: a stamped input frame on its way through journal, loops and egress,
 * and the decisions the loops made for it. Slots are preallocated and reused; the buffers grow only
 * when a frame larger than any before arrives.
 */
final class InputEvent implements Egress
{
    static final int FRAME_INITIAL_CAPACITY = 512;
    static final int OUTPUT_INITIAL_CAPACITY = 1024;
    /** Bytes of a rejected frame kept in the journal as evidence. */
    static final int REJECTED_FRAME_KEEP_BYTES = 256;

    // stamped by the ingress agent
    long sequence;
    long timeNs;
    /** Wall-clock nanos at ingress; for latency measurement only, never journaled or seen by loops. */
    long receivedNanos;
    boolean rejected;
    RejectReason rejectReason;
    int templateId;
    int schemaId;
    int version;
    int blockLength;
    /** Length of the frame as received. */
    int frameLength;
    /** Bytes of it held in {@link #frame}: all of it, or the first bytes of a rejected frame. */
    int storedLength;
    final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(FRAME_INITIAL_CAPACITY);

    // written by the loop agent: [int length][frame] repeated
    final ExpandableArrayBuffer output = new ExpandableArrayBuffer(OUTPUT_INITIAL_CAPACITY);
    int outputLength;
    int outputCount;
    private int claimedOffset = -1;
    private int claimedMaxLength;

    void resetOutput()
    {
        outputLength = 0;
        outputCount = 0;
        claimedOffset = -1;
    }

    @Override
    public int claim(final int maxLength)
    {
        if (claimedOffset >= 0)
        {
            throw new IllegalStateException("claim while a claimed frame is not committed");
        }
        if (maxLength <= 0)
        {
            throw new IllegalArgumentException("maxLength must be positive: " + maxLength);
        }
        final int frameOffset = BitUtil.align(outputLength, BitUtil.SIZE_OF_INT) + BitUtil.SIZE_OF_INT;
        output.checkLimit(frameOffset + maxLength);
        claimedOffset = frameOffset;
        claimedMaxLength = maxLength;
        return frameOffset;
    }

    @Override
    public MutableDirectBuffer buffer()
    {
        return output;
    }

    @Override
    public void commit(final int length)
    {
        if (claimedOffset < 0)
        {
            throw new IllegalStateException("commit without claim");
        }
        if (length <= 0 || length > claimedMaxLength)
        {
            throw new IllegalArgumentException("committed length " + length + " outside 1.." + claimedMaxLength);
        }
        output.putInt(claimedOffset - BitUtil.SIZE_OF_INT, length);
        outputLength = claimedOffset + length;
        outputCount++;
        claimedOffset = -1;
    }

    /** Drop a claim the loop did not commit (e.g. it threw while encoding). */
    void abortClaim()
    {
        claimedOffset = -1;
    }
}
