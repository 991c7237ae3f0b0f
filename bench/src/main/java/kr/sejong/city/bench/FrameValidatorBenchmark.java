package kr.sejong.city.bench;

import io.aeron.protocol.DataHeaderFlyweight;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.wire.FrameValidator;
import kr.sejong.city.wire.MessageCatalog;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * {@link FrameValidator#validate} as the ingress agent calls it on every frame: two well-formed
 * frames (a fixed block, and a message with an 8-lane group, which adds the group walk) and a frame
 * with an unknown template id, which fails after the header checks (the baseline: what a rejection
 * costs before any walking).
 * <p>
 * Frames sit where Aeron hands them over: in direct memory, after a 32-byte data frame header. The
 * validator is configured as a default node's (1 MiB maximum frame). Expected allocation: none.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameValidatorBenchmark extends BenchmarkDefaults
{
    /** Any id the schema does not use. */
    static final int UNKNOWN_TEMPLATE_ID = 99;

    private static final int OFFSET = DataHeaderFlyweight.HEADER_LENGTH;

    private final FrameValidator validator = new FrameValidator(ControlNode.Context.MAX_FRAME_LENGTH_DEFAULT);
    private final UnsafeBuffer detectorObservation = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
    private final UnsafeBuffer laneObservations = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
    private final UnsafeBuffer unknownTemplate = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
    private int detectorObservationLength;
    private int laneObservationsLength;
    private int unknownTemplateLength;

    @Setup
    public void setUp()
    {
        final SampleMessages messages = new SampleMessages();
        detectorObservationLength = messages.encodeDetectorObservation(detectorObservation, OFFSET);
        laneObservationsLength = messages.encodeLaneObservations(laneObservations, OFFSET);
        unknownTemplateLength = messages.encodeDetectorObservation(unknownTemplate, OFFSET);
        new MessageHeaderEncoder().wrap(unknownTemplate, OFFSET).templateId(UNKNOWN_TEMPLATE_ID);

        // measure what is meant: the valid frames must pass and the bad one fail for the stated reason
        expect(null, validateDetectorObservation(), "DetectorObservation");
        expect(null, validateLaneObservations(), "LaneObservations");
        expect(RejectReason.UNKNOWN_TEMPLATE, validateUnknownTemplate(), "unknown template");
        if (MessageCatalog.isKnown(UNKNOWN_TEMPLATE_ID))
        {
            throw new IllegalStateException("template " + UNKNOWN_TEMPLATE_ID + " is in the schema now: pick another");
        }
    }

    private static void expect(final RejectReason expected, final RejectReason actual, final String frame)
    {
        if (expected != actual)
        {
            throw new IllegalStateException(frame + " frame validated as " + actual + ", expected " + expected);
        }
    }

    @Benchmark
    public RejectReason validateDetectorObservation()
    {
        return validator.validate(detectorObservation, OFFSET, detectorObservationLength);
    }

    @Benchmark
    public RejectReason validateLaneObservations()
    {
        return validator.validate(laneObservations, OFFSET, laneObservationsLength);
    }

    @Benchmark
    public RejectReason validateUnknownTemplate()
    {
        return validator.validate(unknownTemplate, OFFSET, unknownTemplateLength);
    }
}
