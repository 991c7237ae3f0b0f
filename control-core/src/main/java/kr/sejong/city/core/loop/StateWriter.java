package kr.sejong.city.core.loop;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Where a loop writes its whole state for a snapshot: little-endian primitives one after another,
 * in an order the loop chooses and {@link StateReader} reads back the same way. The same state must
 * always give the same bytes (iterate in a deterministic order): the state digest is a hash of them.
 */
public final class StateWriter
{
    private final ExpandableArrayBuffer buffer;
    private int position;

    public StateWriter()
    {
        this(new ExpandableArrayBuffer(4096));
    }

    public StateWriter(final ExpandableArrayBuffer buffer)
    {
        this.buffer = buffer;
    }

    /** Start again from the beginning (the buffer is reused). */
    public StateWriter reset()
    {
        position = 0;
        return this;
    }

    public StateWriter putByte(final byte value)
    {
        buffer.putByte(position, value);
        position += 1;
        return this;
    }

    public StateWriter putBoolean(final boolean value)
    {
        return putByte(value ? (byte)1 : (byte)0);
    }

    public StateWriter putInt(final int value)
    {
        buffer.putInt(position, value);
        position += Integer.BYTES;
        return this;
    }

    public StateWriter putLong(final long value)
    {
        buffer.putLong(position, value);
        position += Long.BYTES;
        return this;
    }

    /** Doubles are written as their exact bits, so a restored loop computes exactly as the original. */
    public StateWriter putDouble(final double value)
    {
        return putLong(Double.doubleToRawLongBits(value));
    }

    public StateWriter putBytes(final DirectBuffer source, final int offset, final int length)
    {
        putInt(length);
        buffer.putBytes(position, source, offset, length);
        position += length;
        return this;
    }

    /** Not for the steady-state path: encodes the string. */
    public StateWriter putString(final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        putInt(bytes.length);
        buffer.putBytes(position, bytes);
        position += bytes.length;
        return this;
    }

    /** Bytes written so far. */
    public int length()
    {
        return position;
    }

    public ExpandableArrayBuffer buffer()
    {
        return buffer;
    }
}
