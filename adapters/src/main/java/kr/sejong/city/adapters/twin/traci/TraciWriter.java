package kr.sejong.city.adapters.twin.traci;

import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds one TraCI request message: a 4-byte total length, then commands, each
 * {@code [ubyte length][ubyte id][content]}, or {@code [0][int length][ubyte id][content]} when the
 * command is longer than 255 bytes. Everything is big-endian (network byte order). Reused for every
 * message, so building a request allocates nothing once the buffer has grown.
 */
final class TraciWriter
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    /** Room reserved before a command's id: the long form's zero byte and int length. */
    private static final int LONG_HEADER = 1 + Integer.BYTES;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private int position;
    private int commandStart = -1;

    /** Start a new message (forgets anything written before). */
    TraciWriter beginMessage()
    {
        position = Integer.BYTES;
        commandStart = -1;
        return this;
    }

    TraciWriter beginCommand(final int commandId)
    {
        if (commandStart >= 0)
        {
            throw new IllegalStateException("command not ended");
        }
        commandStart = position;
        position += LONG_HEADER;
        return putUbyte(commandId);
    }

    /** Finish the command: use the short length form when it fits, moving the content back over the spare bytes. */
    TraciWriter endCommand()
    {
        final int contentStart = commandStart + LONG_HEADER; // the id byte
        final int idAndContent = position - contentStart;
        final int shortLength = 1 + idAndContent;
        if (shortLength <= 255)
        {
            final byte[] bytes = buffer.byteArray();
            System.arraycopy(bytes, contentStart, bytes, commandStart + 1, idAndContent);
            buffer.putByte(commandStart, (byte)shortLength);
            position = commandStart + shortLength;
        }
        else
        {
            buffer.putByte(commandStart, (byte)0);
            buffer.putInt(commandStart + 1, LONG_HEADER + idAndContent, ORDER);
        }
        commandStart = -1;
        return this;
    }

    /** Write the total length in front; returns the message length. */
    int endMessage()
    {
        if (commandStart >= 0)
        {
            throw new IllegalStateException("command not ended");
        }
        buffer.putInt(0, position, ORDER);
        return position;
    }

    byte[] array()
    {
        return buffer.byteArray();
    }

    TraciWriter putUbyte(final int value)
    {
        buffer.putByte(position, (byte)value);
        position += 1;
        return this;
    }

    TraciWriter putInt(final int value)
    {
        buffer.putInt(position, value, ORDER);
        position += Integer.BYTES;
        return this;
    }

    TraciWriter putDouble(final double value)
    {
        buffer.putDouble(position, value, ORDER);
        position += Double.BYTES;
        return this;
    }

    /** A string without type code: int length, then UTF-8 bytes. */
    TraciWriter putString(final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        putInt(bytes.length);
        buffer.putBytes(position, bytes);
        position += bytes.length;
        return this;
    }

    TraciWriter putTypedInt(final int value)
    {
        return putUbyte(TraciConstants.TYPE_INTEGER).putInt(value);
    }

    TraciWriter putTypedDouble(final double value)
    {
        return putUbyte(TraciConstants.TYPE_DOUBLE).putDouble(value);
    }

    TraciWriter putTypedString(final String value)
    {
        return putUbyte(TraciConstants.TYPE_STRING).putString(value);
    }

    TraciWriter putTypedStringList(final List<String> values)
    {
        putUbyte(TraciConstants.TYPE_STRINGLIST).putInt(values.size());
        for (final String value : values)
        {
            putString(value);
        }
        return this;
    }
}
