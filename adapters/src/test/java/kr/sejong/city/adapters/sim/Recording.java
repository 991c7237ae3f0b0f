package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Every frame a model emitted, copied, with the start of the step that emitted it. */
final class Recording implements FrameSink
{
    static final CityConfig CITY = ConfigLoader.loadDefault().config();
    static final ZoneId ZONE = ZoneId.of(CITY.city().timeZone());

    final List<byte[]> frames = new ArrayList<>();
    final List<Long> stepStartNs = new ArrayList<>();
    private long currentStepNs;

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        frames.add(frame);
        stepStartNs.add(currentStepNs);
    }

    /** Step {@code model} from {@code startNs} for {@code steps} steps of {@code stepNs}, recording everything. */
    static Recording run(final FieldModel model, final long startNs, final long steps, final long stepNs)
    {
        final Recording recording = new Recording();
        recording.append(model, startNs, steps, stepNs);
        return recording;
    }

    Recording append(final FieldModel model, final long startNs, final long steps, final long stepNs)
    {
        for (long i = 0; i < steps; i++)
        {
            currentStepNs = startNs + i * stepNs;
            model.step(currentStepNs, currentStepNs + stepNs, this);
        }
        return this;
    }

    /** Epoch ns of a local time in the default city's zone. */
    static long localNs(final int year, final int month, final int day, final int hour, final int minute)
    {
        final long epochS = LocalDateTime.of(year, month, day, hour, minute).atZone(ZONE).toEpochSecond();
        return epochS * CityClock.SECOND_NS;
    }

    static int templateId(final byte[] frame)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        header.wrap(new UnsafeBuffer(frame), 0);
        return header.templateId();
    }

    List<byte[]> ofTemplate(final int templateId)
    {
        final List<byte[]> result = new ArrayList<>();
        for (final byte[] frame : frames)
        {
            if (templateId(frame) == templateId)
            {
                result.add(frame);
            }
        }
        return result;
    }
}
