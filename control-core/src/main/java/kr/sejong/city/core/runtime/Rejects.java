package kr.sejong.city.core.runtime;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.RejectEncoder;
import kr.sejong.city.codecs.RejectReason;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Builds the Reject the node sends for a frame that failed validation. The frame's header fields (when
 * it had a whole header) go into the Reject so the sender can tell which message it was; the detail
 * text says what was wrong in words. A pure function of the journaled record, so a replay rebuilds the
 * same bytes.
 */
public final class Rejects
{
    private static final byte[] EMPTY = new byte[0];
    private static final byte[][] DETAILS = new byte[256][];

    static
    {
        detail(RejectReason.TOO_SHORT, "frame is shorter than the 8-byte SBE message header");
        detail(RejectReason.UNKNOWN_SCHEMA, "schema id is not " + MessageHeaderEncoder.SCHEMA_ID + " (Sejong City Control)");
        detail(RejectReason.UNSUPPORTED_VERSION, "schema version is outside the versions this node accepts");
        detail(RejectReason.UNKNOWN_TEMPLATE, "template id is not a message of the schema");
        detail(RejectReason.BAD_BLOCK_LENGTH, "block length is shorter than the message's fixed fields");
        detail(RejectReason.LENGTH_MISMATCH, "frame length differs from the length its fields encode");
        detail(RejectReason.MALFORMED, "a group or variable-length field runs past the end of the frame");
        detail(RejectReason.TOO_LARGE, "frame is longer than the node's maximum frame length");
        detail(RejectReason.TIME_REGRESSION, "Tick time is earlier than the node's current logical time");
        detail(RejectReason.NOT_ALLOWED, "this message is written by the node only and may not arrive on ingress");
        detail(RejectReason.INVALID_VALUE, "a field is outside its valid range");
        detail(RejectReason.UNKNOWN_ID, "an id is not in the configuration");
        detail(RejectReason.DUPLICATE, "duplicate");
        detail(RejectReason.NOT_PERMITTED, "the operator's role may not take this action");
    }

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final RejectEncoder encoder = new RejectEncoder();

    private static void detail(final RejectReason reason, final String text)
    {
        DETAILS[reason.value()] = text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encode the Reject for a rejected frame into {@link #buffer()} at offset 0.
     *
     * @param storedFrame   the first bytes of the rejected frame, as journaled
     * @param storedLength  how many bytes of it are held
     * @param frameLength   the length of the frame as it arrived
     * @return the length of the encoded Reject frame
     */
    public int encode(
        final long rejectedSequence,
        final RejectReason reason,
        final DirectBuffer storedFrame,
        final int storedLength,
        final int frameLength)
    {
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .rejectedSequence(rejectedSequence)
            .reason(reason)
            .frameLength(frameLength);
        if (storedLength >= MessageHeaderDecoder.ENCODED_LENGTH)
        {
            headerDecoder.wrap(storedFrame, 0);
            encoder.templateId(headerDecoder.templateId())
                .schemaId(headerDecoder.schemaId())
                .version(headerDecoder.version());
        }
        else
        {
            encoder.templateId(RejectEncoder.templateIdNullValue())
                .schemaId(RejectEncoder.schemaIdNullValue())
                .version(RejectEncoder.versionNullValue());
        }
        final byte[] detail = DETAILS[reason.value()] != null ? DETAILS[reason.value()] : EMPTY;
        encoder.putDetail(detail, 0, detail.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }
}
