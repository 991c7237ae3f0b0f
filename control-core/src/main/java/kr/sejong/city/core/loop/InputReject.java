package kr.sejong.city.core.loop;

import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.RejectEncoder;
import kr.sejong.city.codecs.RejectReason;

import java.nio.charset.StandardCharsets;

/**
 * The Reject a loop sends for an input it refuses (an unknown id, a value out of range, a role that may not): the
 * input's sequence, template and version, the reason, and a detail in words, cut to the schema's 4,096 bytes. One
 * per loop, with its own encoders: a loop is single-threaded.
 */
public final class InputReject
{
    /** The longest detail a Reject carries (the schema's var-string maxValue). */
    public static final int MAX_DETAIL_BYTES = 4096;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final RejectEncoder encoder = new RejectEncoder();

    public void write(final Input input, final Egress egress, final RejectReason reason, final String detail)
    {
        final byte[] bytes = detail.getBytes(StandardCharsets.UTF_8);
        final int length = Math.min(bytes.length, MAX_DETAIL_BYTES);
        final int offset = egress.claim(MessageHeaderEncoder.ENCODED_LENGTH + RejectEncoder.BLOCK_LENGTH + RejectEncoder.detailHeaderLength() + length);
        encoder.wrapAndApplyHeader(egress.buffer(), offset, header)
            .rejectedSequence(input.sequence())
            .reason(reason)
            .templateId(input.templateId())
            .schemaId(RejectEncoder.schemaIdNullValue())
            .version(input.version())
            .frameLength(input.length())
            .putDetail(bytes, 0, length);
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
