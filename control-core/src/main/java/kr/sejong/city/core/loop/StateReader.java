package kr.sejong.city.core.loop;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/** Reads back what a {@link StateWriter} wrote, in the same order. Reading past the end throws. */
public final class StateReader
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int position;

    public StateReader wrap(final DirectBuffer source, final int offset, final int length)
    {
        buffer.wrap(source, offset, length);
        position = 0;
        return this;
    }

    public byte getByte()
    {
        final byte value = buffer.getByte(position);
        position += 1;
        return value;
    }

    public boolean getBoolean()
    {
        final byte value = getByte();
        if (value != 0 && value != 1)
        {
            throw new IllegalStateException("snapshot corrupt: boolean byte " + value + " at " + (position - 1));
        }
        return value == 1;
    }

    public int getInt()
    {
        final int value = buffer.getInt(position);
        position += Integer.BYTES;
        return value;
    }

    public long getLong()
    {
        final long value = buffer.getLong(position);
        position += Long.BYTES;
        return value;
    }

    public double getDouble()
    {
        return Double.longBitsToDouble(getLong());
    }

    /** Copy a byte run written with {@link StateWriter#putBytes} into {@code destination}; returns its length. */
    public int getBytes(final MutableDirectBuffer destination, final int offset)
    {
        final int length = getInt();
        destination.putBytes(offset, buffer, position, length);
        position += length;
        return length;
    }

    public String getString()
    {
        final int length = getInt();
        final byte[] bytes = new byte[length];
        buffer.getBytes(position, bytes);
        position += length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Bytes not yet read; a loop's restore should end at 0. */
    public int remaining()
    {
        return buffer.capacity() - position;
    }
}
