package kr.sejong.city.wire;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.RejectReason;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;

import java.nio.ByteOrder;

/**
 * Structural validation of one ingress frame: header, schema, version, template, block length and
 * the exact encoded length (groups and variable-length fields walked within the frame's bounds).
 * <p>
 * Domain checks (ids, ranges) belong to the loops. One instance per thread; it allocates nothing
 * after construction.
 */
public final class FrameValidator
{
    /** blockLength and numInGroup, uint16 each (groupSizeEncoding). */
    private static final int GROUP_HEADER_LENGTH = 4;

    private final int maxFrameLength;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MessageDecoderFlyweight[] decoders = new MessageDecoderFlyweight[MessageCatalog.MAX_TEMPLATE_ID + 1];
    /** A view of exactly the frame, so that a walk past its end fails a bounds check. */
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);

    private int templateId;
    private int schemaId;
    private int version;
    private int blockLength;

    public FrameValidator(final int maxFrameLength)
    {
        if (maxFrameLength < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            throw new IllegalArgumentException("maxFrameLength must be at least " + MessageHeaderDecoder.ENCODED_LENGTH);
        }
        this.maxFrameLength = maxFrameLength;
        for (final int id : MessageCatalog.templateIds())
        {
            decoders[id] = MessageCatalog.newDecoder(id);
        }
    }

    /**
     * @return null when the frame is well formed, else the reason to reject it. The header fields
     * read are available from the accessors either way (or -1 when the frame is too short).
     */
    public RejectReason validate(final DirectBuffer buffer, final int offset, final int length)
    {
        templateId = -1;
        schemaId = -1;
        version = -1;
        blockLength = -1;

        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return RejectReason.TOO_SHORT;
        }
        header.wrap(buffer, offset);
        templateId = header.templateId();
        schemaId = header.schemaId();
        version = header.version();
        blockLength = header.blockLength();

        if (length > maxFrameLength)
        {
            return RejectReason.TOO_LARGE;
        }
        if (schemaId != MessageCatalog.schemaId())
        {
            return RejectReason.UNKNOWN_SCHEMA;
        }
        if (version < MessageCatalog.MIN_SUPPORTED_VERSION || version > MessageCatalog.schemaVersion())
        {
            return RejectReason.UNSUPPORTED_VERSION;
        }
        if (!MessageCatalog.isKnown(templateId))
        {
            return RejectReason.UNKNOWN_TEMPLATE;
        }
        if (!MessageCatalog.isIngressAllowed(templateId))
        {
            return RejectReason.NOT_ALLOWED;
        }
        if (blockLength < MessageCatalog.blockLength(templateId, version)
            || MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length)
        {
            return RejectReason.BAD_BLOCK_LENGTH;
        }

        final RejectReason groupReason = checkGroups(buffer, offset, length);
        if (groupReason != null)
        {
            return groupReason;
        }

        frameView.wrap(buffer, offset, length);
        final MessageDecoderFlyweight decoder = decoders[templateId];
        final int decodedLength;
        try
        {
            decoder.wrap(frameView, MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
            decodedLength = decoder.sbeDecodedLength();
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return RejectReason.MALFORMED;
        }
        // the walk skips variable-length data without reading it, so a length field that claims more
        // than the frame holds ends the walk past the frame (or, wrapped around, before the block)
        if (decodedLength < blockLength || MessageHeaderDecoder.ENCODED_LENGTH + (long)decodedLength > length)
        {
            return RejectReason.MALFORMED;
        }
        if (MessageHeaderDecoder.ENCODED_LENGTH + decodedLength != length)
        {
            return RejectReason.LENGTH_MISMATCH;
        }

        return null;
    }

    /**
     * Each group's header must lie inside the frame and declare entries at least as long as the
     * group's fields; otherwise a decoder would read one entry's fields from the next, or past the frame.
     */
    private RejectReason checkGroups(final DirectBuffer buffer, final int offset, final int length)
    {
        final int groups = MessageCatalog.groupCount(templateId);
        long position = MessageHeaderDecoder.ENCODED_LENGTH + (long)blockLength;
        for (int g = 0; g < groups; g++)
        {
            if (position + GROUP_HEADER_LENGTH > length)
            {
                return RejectReason.MALFORMED;
            }
            final int groupBlockLength = buffer.getShort(offset + (int)position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int count = buffer.getShort(offset + (int)position + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            if (groupBlockLength < MessageCatalog.groupBaseBlockLength(templateId, g))
            {
                return RejectReason.BAD_BLOCK_LENGTH;
            }
            position += GROUP_HEADER_LENGTH + (long)groupBlockLength * count;
            if (position > length)
            {
                return RejectReason.MALFORMED;
            }
        }
        return null;
    }

    public int templateId()
    {
        return templateId;
    }

    public int schemaId()
    {
        return schemaId;
    }

    public int version()
    {
        return version;
    }

    public int blockLength()
    {
        return blockLength;
    }

    public int maxFrameLength()
    {
        return maxFrameLength;
    }
}
