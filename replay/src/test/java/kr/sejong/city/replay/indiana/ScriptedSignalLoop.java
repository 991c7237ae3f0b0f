package kr.sejong.city.replay.indiana;

import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SignalCommandEncoder;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

import java.util.List;

/**
 * A signal loop for export tests: on Tick number N it sends the SignalCommands its script gives for
 * N, in order. Deterministic: the script is its configuration, the Ticks its only input.
 */
final class ScriptedSignalLoop implements ControlLoop
{
    /** One command: at Tick {@code tick}, show {@code state} at the intersection, as phase {@code phaseIndex}, for {@code reason}. */
    record Step(long tick, int intersectionId, int phaseIndex, SignalReason reason, String state)
    {
    }

    private final List<Step> script;
    private final TickDecoder tick = new TickDecoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final SignalCommandEncoder command = new SignalCommandEncoder();

    ScriptedSignalLoop(final List<Step> script)
    {
        this.script = List.copyOf(script);
    }

    @Override
    public String name()
    {
        return "scripted-signal";
    }

    @Override
    public int[] templateIds()
    {
        return new int[]{ TickDecoder.TEMPLATE_ID };
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        tick.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        final long tickNumber = tick.tickNumber();
        for (final Step step : script)
        {
            if (step.tick() != tickNumber)
            {
                continue;
            }
            final SignalMode mode = switch (step.reason())
            {
                case PREEMPTION_ENTRY, PREEMPTION_TRACK_CLEARANCE, PREEMPTION_DWELL, PREEMPTION_EXIT -> SignalMode.PREEMPTION;
                case TRANSIT_EARLY_GREEN, TRANSIT_EXTENSION -> SignalMode.TRANSIT_PRIORITY;
                default -> SignalMode.FIXED_TIME;
            };
            final int offset = egress.claim(128);
            command.wrapAndApplyHeader(egress.buffer(), offset, header)
                .intersectionId(step.intersectionId())
                .mode(mode)
                .phaseIndex(step.phaseIndex())
                .durationMs(1000)
                .reason(step.reason())
                .signalState(step.state());
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + command.encodedLength());
        }
    }

    @Override
    public void snapshot(final StateWriter out)
    {
    }

    @Override
    public void restore(final StateReader in)
    {
    }
}
