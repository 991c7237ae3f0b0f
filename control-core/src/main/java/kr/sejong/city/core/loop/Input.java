package kr.sejong.city.core.loop;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

/**
 * One stamped input as a loop sees it: the exact frame that was journaled, its sequence number and
 * its logical time. A reusable flyweight; valid only during {@link ControlLoop#onInput}.
 */
public final class Input
{
    private long sequence;
    private long timeNs;
    private int templateId;
    private int version;
    private int blockLength;
    private DirectBuffer buffer;
    private int offset;
    private int length;

    public Input wrap(
        final long sequence,
        final long timeNs,
        final int templateId,
        final int version,
        final int blockLength,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        this.sequence = sequence;
        this.timeNs = timeNs;
        this.templateId = templateId;
        this.version = version;
        this.blockLength = blockLength;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Gap-free journal sequence number of this input. */
    public long sequence()
    {
        return sequence;
    }

    /** Logical time of this input: the only clock a loop may read. */
    public long timeNs()
    {
        return timeNs;
    }

    public int templateId()
    {
        return templateId;
    }

    /** Schema version the sender encoded with (the acting version for decoders). */
    public int version()
    {
        return version;
    }

    /** Block length from the header (the acting block length for decoders). */
    public int blockLength()
    {
        return blockLength;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Offset of the message header in {@link #buffer()}. */
    public int offset()
    {
        return offset;
    }

    /** Offset of the message body, where a decoder is wrapped. */
    public int bodyOffset()
    {
        return offset + MessageHeaderDecoder.ENCODED_LENGTH;
    }

    /** Length of the whole frame, header included. */
    public int length()
    {
        return length;
    }
}
