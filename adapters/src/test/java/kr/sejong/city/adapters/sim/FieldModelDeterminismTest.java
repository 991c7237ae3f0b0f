package kr.sejong.city.adapters.sim;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same seed gives byte-identical frames; another seed other frames. */
class FieldModelDeterminismTest
{
    private static final long START_NS = Recording.localNs(2025, 6, 16, 7, 30);
    private static final long STEP_NS = CityClock.SECOND_NS;
    private static final int STEPS = 3600;

    @Test
    void theSameSeedGivesByteIdenticalFramesForAnHour()
    {
        final Stream first = Stream.of(new FieldModel(Recording.CITY, 20240501L));
        final Stream second = Stream.of(new FieldModel(Recording.CITY, 20240501L));
        assertTrue(first.frames > 400_000, "an hour of the whole city: " + first.frames + " frames");
        assertEquals(first.frames, second.frames);
        assertEquals(first.bytes, second.bytes);
        assertEquals(-1, mismatch(first, second), "first differing byte");
    }

    @Test
    void anotherSeedGivesAnotherSequence()
    {
        final Stream first = Stream.of(new FieldModel(Recording.CITY, 1));
        final Stream other = Stream.of(new FieldModel(Recording.CITY, 2));
        assertTrue(mismatch(first, other) >= 0, "seeds 1 and 2 gave the same bytes");
    }

    @Test
    void theConfiguredSeedIsTheDefault()
    {
        final FieldModel model = new FieldModel(Recording.CITY);
        assertEquals(Recording.CITY.simulator().seed(), model.seed());
    }

    @Test
    void stepsNeverGoBackInTime()
    {
        final FieldModel model = new FieldModel(Recording.CITY, 1);
        final FrameSink ignore = (buffer, offset, length) -> { };
        model.step(START_NS, START_NS + STEP_NS, ignore);
        assertThrows(IllegalArgumentException.class, () -> model.step(START_NS, START_NS + STEP_NS, ignore));
        assertThrows(IllegalArgumentException.class, () -> model.step(START_NS + STEP_NS, START_NS + STEP_NS, ignore));
        model.step(START_NS + 5 * STEP_NS, START_NS + 6 * STEP_NS, ignore); // a gap is allowed
    }

    private static int mismatch(final Stream a, final Stream b)
    {
        final int length = Math.min(a.bytes, b.bytes);
        for (int i = 0; i < length; i++)
        {
            if (a.buffer.getByte(i) != b.buffer.getByte(i))
            {
                return i;
            }
        }
        return a.bytes == b.bytes ? -1 : length;
    }

    /** All frames of an hour, each prefixed by its length, in one buffer. */
    private static final class Stream implements FrameSink
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024 * 1024);
        int bytes;
        int frames;

        static Stream of(final FieldModel model)
        {
            final Stream stream = new Stream();
            for (int i = 0; i < STEPS; i++)
            {
                model.step(START_NS + i * STEP_NS, START_NS + (i + 1) * STEP_NS, stream);
            }
            return stream;
        }

        @Override
        public void onFrame(final DirectBuffer frame, final int offset, final int length)
        {
            buffer.putInt(bytes, length);
            buffer.putBytes(bytes + Integer.BYTES, frame, offset, length);
            bytes += Integer.BYTES + length;
            frames++;
        }
    }
}
