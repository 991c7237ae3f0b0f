package kr.sejong.city.bench.energy;

import kr.sejong.city.adapters.sim.EnergyController;
import kr.sejong.city.adapters.sim.FrameSink;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * A {@link ControlLoop} run in this process as the energy field's controller, stamped the way the node
 * stamps (a gap-free sequence; frames between two Ticks carry the earlier Tick's time), without the
 * journal and Aeron: for the reference strategies, and for tests that want the loop's egress fast. The
 * loop's time per Tick (decode, decide, encode) goes into {@link #tickTime()}.
 */
public final class InProcessController implements EnergyController
{
    private final ControlLoop loop;
    private final Input input = new Input();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final FrameEgress egress = new FrameEgress();
    private final UnsafeBuffer tickBuffer = new UnsafeBuffer(new byte[64]);
    private final MessageHeaderEncoder tickHeader = new MessageHeaderEncoder();
    private final TickEncoder tickEncoder = new TickEncoder();
    private final Histogram tickTime = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    private long sequence;
    private long timeNs = Long.MIN_VALUE;

    public InProcessController(final ControlLoop loop)
    {
        this.loop = loop;
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        deliver(buffer, offset, length, timeNs == Long.MIN_VALUE ? 0 : timeNs);
    }

    @Override
    public void tick(final long tickTimeNs, final long periodNs, final long tickNumber, final FrameSink answers)
    {
        tickEncoder.wrapAndApplyHeader(tickBuffer, 0, tickHeader)
            .timeNs(tickTimeNs)
            .periodNs(periodNs)
            .source(TickSource.SIMULATION)
            .tickNumber(tickNumber);
        timeNs = tickTimeNs;
        final long startNs = System.nanoTime();
        deliver(tickBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + tickEncoder.encodedLength(), tickTimeNs);
        tickTime.recordValue(Math.min(tickTime.getHighestTrackableValue(), System.nanoTime() - startNs));
        egress.drainTo(answers);
    }

    private void deliver(final DirectBuffer buffer, final int offset, final int length, final long stampNs)
    {
        header.wrap(buffer, offset);
        final int templateId = header.templateId();
        for (final int wanted : loop.templateIds())
        {
            if (wanted == templateId)
            {
                input.wrap(sequence, stampNs, templateId, header.version(), header.blockLength(), buffer, offset, length);
                loop.onInput(input, egress);
                break;
            }
        }
        sequence++;
    }

    /** Time the loop took per Tick, ns (no transport, no journal). */
    public Histogram tickTime()
    {
        return tickTime;
    }

    public ControlLoop loop()
    {
        return loop;
    }

    /** Frames committed by the loop since the last drain, one after another with their lengths. */
    private static final class FrameEgress implements Egress
    {
        private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
        private final int[] offsets = new int[4096];
        private final int[] lengths = new int[4096];
        private int count;
        private int position;
        private int claimed;

        @Override
        public int claim(final int maxLength)
        {
            buffer.checkLimit(position + maxLength);
            claimed = position;
            return position;
        }

        @Override
        public MutableDirectBuffer buffer()
        {
            return buffer;
        }

        @Override
        public void commit(final int length)
        {
            if (count == offsets.length)
            {
                throw new IllegalStateException("more than " + offsets.length + " frames for one input");
            }
            offsets[count] = claimed;
            lengths[count] = length;
            count++;
            position = claimed + length;
        }

        void drainTo(final FrameSink sink)
        {
            for (int i = 0; i < count; i++)
            {
                sink.onFrame(buffer, offsets[i], lengths[i]);
            }
            count = 0;
            position = 0;
        }
    }
}
