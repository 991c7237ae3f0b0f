package kr.sejong.city.adapters.twin.traci;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one TraCI response message (without its 4-byte total length), big-endian, front to back.
 * Reading past the end throws a {@link TraciException} naming what was being read.
 */
final class TraciReader
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private int position;
    private int limit;

    TraciReader wrap(final byte[] bytes, final int length)
    {
        buffer.wrap(bytes, 0, Math.max(length, 0));
        position = 0;
        limit = length;
        return this;
    }

    int position()
    {
        return position;
    }

    void position(final int position)
    {
        this.position = position;
    }

    boolean hasRemaining()
    {
        return position < limit;
    }

    private void need(final int bytes, final String what)
    {
        if (position + bytes > limit)
        {
            throw new TraciException("TraCI answer too short: " + what + " needs " + bytes + " bytes at " + position
                + ", message has " + limit);
        }
    }

    int readUbyte()
    {
        need(1, "ubyte");
        final int value = buffer.getByte(position) & 0xFF;
        position += 1;
        return value;
    }

    int readByte()
    {
        need(1, "byte");
        final int value = buffer.getByte(position);
        position += 1;
        return value;
    }

    int readInt()
    {
        need(Integer.BYTES, "int");
        final int value = buffer.getInt(position, ORDER);
        position += Integer.BYTES;
        return value;
    }

    double readDouble()
    {
        need(Double.BYTES, "double");
        final double value = buffer.getDouble(position, ORDER);
        position += Double.BYTES;
        return value;
    }

    String readString()
    {
        final int length = readInt();
        if (length < 0)
        {
            throw new TraciException("TraCI answer malformed: string length " + length);
        }
        need(length, "string");
        final String value = new String(buffer.byteArray(), position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    List<String> readStringList(final List<String> into)
    {
        final int count = readInt();
        for (int i = 0; i < count; i++)
        {
            into.add(readString());
        }
        return into;
    }

    /** A command length: one ubyte, or 0 followed by an int (the long form). Returns the whole length. */
    int readLength()
    {
        final int length = readUbyte();
        return length != 0 ? length : readInt();
    }

    void expectType(final int expected, final String what)
    {
        final int type = readUbyte();
        if (type != expected)
        {
            throw new TraciException("TraCI answer for " + what + ": expected type 0x" + Integer.toHexString(expected)
                + ", got 0x" + Integer.toHexString(type));
        }
    }

    int readTypedInt(final String what)
    {
        expectType(TraciConstants.TYPE_INTEGER, what);
        return readInt();
    }

    double readTypedDouble(final String what)
    {
        expectType(TraciConstants.TYPE_DOUBLE, what);
        return readDouble();
    }

    String readTypedString(final String what)
    {
        expectType(TraciConstants.TYPE_STRING, what);
        return readString();
    }

    List<String> readTypedStringList(final String what)
    {
        expectType(TraciConstants.TYPE_STRINGLIST, what);
        return readStringList(new ArrayList<>());
    }

    int readCompoundSize(final String what)
    {
        expectType(TraciConstants.TYPE_COMPOUND, what);
        return readInt();
    }
}
