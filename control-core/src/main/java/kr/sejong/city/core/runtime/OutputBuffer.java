package kr.sejong.city.core.runtime;

import kr.sejong.city.core.loop.Egress;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The decisions loops made for one input: whole frames, each stored as [int length][frame] at an
 * int-aligned offset. Reused from input to input; grows only when more output than ever before is made.
 */
public final class OutputBuffer implements Egress
{
    private final ExpandableArrayBuffer buffer;
    private int length;
    private int count;
    private int claimedOffset = -1;
    private int claimedMaxLength;

    public OutputBuffer()
    {
        this(1024);
    }

    public OutputBuffer(final int initialCapacity)
    {
        buffer = new ExpandableArrayBuffer(initialCapacity);
    }

    /** Forget every frame: ready for the next input. */
    public void reset()
    {
        length = 0;
        count = 0;
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
        final int frameOffset = BitUtil.align(length, BitUtil.SIZE_OF_INT) + BitUtil.SIZE_OF_INT;
        buffer.checkLimit(frameOffset + maxLength);
        claimedOffset = frameOffset;
        claimedMaxLength = maxLength;
        return frameOffset;
    }

    @Override
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    @Override
    public void commit(final int frameLength)
    {
        if (claimedOffset < 0)
        {
            throw new IllegalStateException("commit without claim");
        }
        if (frameLength <= 0 || frameLength > claimedMaxLength)
        {
            throw new IllegalArgumentException("committed length " + frameLength + " outside 1.." + claimedMaxLength);
        }
        buffer.putInt(claimedOffset - BitUtil.SIZE_OF_INT, frameLength);
        length = claimedOffset + frameLength;
        count++;
        claimedOffset = -1;
    }

    /** Drop a claim that was not committed (the loop threw while encoding). */
    public void abortClaim()
    {
        claimedOffset = -1;
    }

    /** Frames committed since the last reset. */
    public int count()
    {
        return count;
    }

    /** Visit the frames in commit order. */
    public void forEach(final FrameConsumer consumer)
    {
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            final int lengthOffset = BitUtil.align(offset, BitUtil.SIZE_OF_INT);
            final int frameLength = buffer.getInt(lengthOffset);
            final int frameOffset = lengthOffset + BitUtil.SIZE_OF_INT;
            consumer.onFrame(buffer, frameOffset, frameLength);
            offset = frameOffset + frameLength;
        }
    }

    /** One output frame. */
    @FunctionalInterface
    public interface FrameConsumer
    {
        void onFrame(DirectBuffer buffer, int offset, int length);
    }
}
