package kr.sejong.city.core.loop;

import org.agrona.MutableDirectBuffer;

/**
 * Where a loop writes its decisions: whole SBE frames (header included), one after another.
 * <pre>
 * final int offset = egress.claim(MAX_LENGTH);
 * encoder.wrapAndApplyHeader(egress.buffer(), offset, headerEncoder)...;
 * egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
 * </pre>
 * Frames are journaled on the egress queue and published in commit order once the input that caused
 * them has been journaled.
 */
public interface Egress
{
    /**
     * Reserve room for a frame of at most {@code maxLength} bytes.
     *
     * @return the offset in {@link #buffer()} at which to encode the frame.
     */
    int claim(int maxLength);

    /** The buffer to encode into; fetch it after {@link #claim(int)}, which may grow it. */
    MutableDirectBuffer buffer();

    /** Finish the claimed frame with its actual length (at most the claimed length). */
    void commit(int length);
}
