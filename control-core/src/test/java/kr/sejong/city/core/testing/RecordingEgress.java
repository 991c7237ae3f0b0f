package kr.sejong.city.core.testing;

import kr.sejong.city.core.loop.Egress;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Egress into a growing buffer, each committed frame copied out; a commit longer than its claim fails the test. */
public final class RecordingEgress implements Egress
{
    public final List<byte[]> frames = new ArrayList<>();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private int claimed = -1;

    @Override
    public int claim(final int maxLength)
    {
        buffer.checkLimit(maxLength);
        claimed = maxLength;
        return 0;
    }

    @Override
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    @Override
    public void commit(final int length)
    {
        if (claimed < 0 || length > claimed)
        {
            throw new AssertionError("commit of " + length + " bytes after a claim of " + claimed);
        }
        frames.add(Arrays.copyOf(buffer.byteArray(), length));
        claimed = -1;
    }
}
