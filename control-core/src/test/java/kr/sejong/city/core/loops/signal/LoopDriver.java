package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.core.testing.RecordingEgress;
import kr.sejong.city.core.loop.Input;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/** Drives a signal loop the way the node does: stamped frames in, committed frames out, clock in the test's hands. */
final class LoopDriver
{
    record Command(long intersectionId, SignalMode mode, int phaseIndex, long durationMs, SignalReason reason, String state)
    {
    }

    final SignalLoop loop;
    final SignalFrames frames = new SignalFrames();
    private final Input input = new Input();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final RecordingEgress egress = new RecordingEgress();
    private long sequence;
    private long tickNumber;
    long nowNs = SignalFrames.EPOCH_NS;

    LoopDriver(final SignalLoop loop)
    {
        this.loop = loop;
    }

    LoopDriver()
    {
        this(new SignalLoop(SignalTiming.defaults()));
    }

    /** Deliver one frame at the current logical time; returns the egress frames it caused. */
    List<byte[]> send(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        header.wrap(buffer, 0);
        input.wrap(sequence++, nowNs, header.templateId(), header.version(), header.blockLength(), buffer, 0, frame.length);
        egress.frames.clear();
        loop.onInput(input, egress);
        return new ArrayList<>(egress.frames);
    }

    /** Advance time to {@code nowNs + stepMs}, then tick; returns the commands of that tick. */
    List<Command> tick(final long stepMs)
    {
        nowNs += stepMs * 1_000_000L;
        return decode(send(frames.tick(nowNs, tickNumber++)));
    }

    /** Advance one second, send observations of one intersection, tick; returns its command. */
    Command step(final long intersectionId, final int[] vehicles, final int[] halting)
    {
        return step(intersectionId, frames.observations(intersectionId, vehicles, halting));
    }

    /** As {@link #step(long, int[], int[])}, with each lane's mean speed observed (cm/s, over all its vehicles). */
    Command step(final long intersectionId, final int[] vehicles, final int[] halting, final int[] meanSpeedCmPerS)
    {
        return step(intersectionId, frames.observations(intersectionId, vehicles, halting, meanSpeedCmPerS));
    }

    private Command step(final long intersectionId, final byte[] observations)
    {
        nowNs += 1_000_000_000L;
        send(observations);
        final List<Command> commands = decode(send(frames.tick(nowNs, tickNumber++)));
        return commands.stream().filter(c -> c.intersectionId() == intersectionId).findFirst().orElseThrow();
    }

    static List<Command> decode(final List<byte[]> frames)
    {
        final List<Command> commands = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final SignalCommandDecoder decoder = new SignalCommandDecoder();
        for (final byte[] frame : frames)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(frame);
            header.wrap(buffer, 0);
            if (header.templateId() == kr.sejong.city.codecs.PriorityStatusDecoder.TEMPLATE_ID)
            {
                continue; // see statuses()
            }
            if (header.templateId() != SignalCommandDecoder.TEMPLATE_ID)
            {
                throw new AssertionError("unexpected template " + header.templateId());
            }
            decoder.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            commands.add(new Command(decoder.intersectionId(), decoder.mode(), decoder.phaseIndex(), decoder.durationMs(),
                decoder.reason(), decoder.signalState()));
        }
        return commands;
    }

    record Status(long requestId, long vehicleId, long intersectionId, kr.sejong.city.codecs.PriorityStatusCode status,
        kr.sejong.city.codecs.PriorityReason reason, int queuePosition)
    {
    }

    /** The PriorityStatus frames among egress frames. */
    static List<Status> statuses(final List<byte[]> frames)
    {
        final List<Status> statuses = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final kr.sejong.city.codecs.PriorityStatusDecoder decoder = new kr.sejong.city.codecs.PriorityStatusDecoder();
        for (final byte[] frame : frames)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(frame);
            header.wrap(buffer, 0);
            if (header.templateId() == kr.sejong.city.codecs.PriorityStatusDecoder.TEMPLATE_ID)
            {
                decoder.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                statuses.add(new Status(decoder.requestId(), decoder.vehicleId(), decoder.intersectionId(), decoder.status(),
                    decoder.reason(), decoder.queuePosition()));
            }
        }
        return statuses;
    }
}
