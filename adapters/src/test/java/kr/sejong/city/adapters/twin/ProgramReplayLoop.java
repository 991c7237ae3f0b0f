package kr.sejong.city.adapters.twin;

import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SignalCommandEncoder;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.SignalStatusEncoder;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stand-in signal loop for the twin's tests (so they do not depend on the real one): it learns each
 * intersection's own program from its IntersectionTopology and answers every Tick with exactly one
 * SignalCommand per intersection, in ascending id, playing the program phase by phase from the first
 * Tick. With {@code safeClearance}, yellows last at least 3 s and each is followed by 2 s of all-red
 * (the yellow's state with y turned to r), so the city's safety rules hold; without it, the network's
 * program is played as it is. With {@code extraStatus}, each Tick is also answered with a SignalStatus,
 * which the twin must ignore.
 */
final class ProgramReplayLoop implements ControlLoop
{
    static final long YELLOW_MIN_MS = 3000;
    static final long ALL_RED_MS = 2000;

    private final boolean safeClearance;
    private final boolean extraStatus;
    private final IntersectionTopologyDecoder topology = new IntersectionTopologyDecoder();
    private final TickDecoder tick = new TickDecoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final SignalCommandEncoder command = new SignalCommandEncoder();
    private final SignalStatusEncoder status = new SignalStatusEncoder();
    private final Map<Long, Plan> plans = new TreeMap<>();

    private static final class Plan
    {
        final List<String> states = new ArrayList<>();
        final List<Long> durationsMs = new ArrayList<>();
        int phase = -1;
        long phaseEndNs;
    }

    ProgramReplayLoop(final boolean safeClearance, final boolean extraStatus)
    {
        this.safeClearance = safeClearance;
        this.extraStatus = extraStatus;
    }

    @Override
    public String name()
    {
        return "program-replay";
    }

    @Override
    public int[] templateIds()
    {
        return new int[]{IntersectionTopologyDecoder.TEMPLATE_ID, TickDecoder.TEMPLATE_ID};
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        if (input.templateId() == IntersectionTopologyDecoder.TEMPLATE_ID)
        {
            topology.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            onTopology();
            return;
        }
        tick.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        final long nowNs = input.timeNs();
        for (final Map.Entry<Long, Plan> entry : plans.entrySet())
        {
            final Plan plan = entry.getValue();
            if (plan.phase < 0)
            {
                plan.phase = 0;
                plan.phaseEndNs = nowNs + plan.durationsMs.get(0) * 1_000_000L;
            }
            while (nowNs >= plan.phaseEndNs)
            {
                plan.phase = (plan.phase + 1) % plan.states.size();
                plan.phaseEndNs += plan.durationsMs.get(plan.phase) * 1_000_000L;
            }
            final String state = plan.states.get(plan.phase);
            final int offset = egress.claim(64 + state.length());
            command.wrapAndApplyHeader(egress.buffer(), offset, header)
                .intersectionId(entry.getKey())
                .mode(SignalMode.FIXED_TIME)
                .phaseIndex(plan.phase)
                .durationMs(plan.durationsMs.get(plan.phase))
                .reason(SignalReason.FIXED_PLAN)
                .signalState(state);
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + command.encodedLength());
        }
        if (extraStatus)
        {
            final int offset = egress.claim(64);
            status.wrapAndApplyHeader(egress.buffer(), offset, header)
                .intersectionId(0)
                .mode(SignalMode.FIXED_TIME)
                .phaseIndex(0)
                .phaseElapsedMs(tick.tickNumber() & 0xFFFF_FFFFL)
                .signalState("tick");
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength());
        }
    }

    private void onTopology()
    {
        final long id = topology.intersectionId();
        topology.lanes().forEach(lane -> { });
        topology.movements().forEach(movement -> { });
        final List<Long> durations = new ArrayList<>();
        for (final IntersectionTopologyDecoder.PhasesDecoder phase : topology.phases())
        {
            durations.add(phase.durationMs());
        }
        topology.name();
        final String[] states = topology.programStates().split(";");
        final Plan plan = new Plan();
        for (int p = 0; p < states.length; p++)
        {
            final String state = states[p];
            final boolean yellow = state.indexOf('y') >= 0 || state.indexOf('Y') >= 0;
            plan.states.add(state);
            plan.durationsMs.add(safeClearance && yellow ? Math.max(YELLOW_MIN_MS, durations.get(p)) : durations.get(p));
            if (safeClearance && yellow)
            {
                plan.states.add(state.replace('y', 'r').replace('Y', 'r'));
                plan.durationsMs.add(ALL_RED_MS);
            }
        }
        plans.put(id, plan);
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putInt(plans.size());
        for (final Map.Entry<Long, Plan> entry : plans.entrySet())
        {
            final Plan plan = entry.getValue();
            out.putLong(entry.getKey()).putInt(plan.phase).putLong(plan.phaseEndNs).putInt(plan.states.size());
            for (int p = 0; p < plan.states.size(); p++)
            {
                out.putString(plan.states.get(p)).putLong(plan.durationsMs.get(p));
            }
        }
    }

    @Override
    public void restore(final StateReader in)
    {
        plans.clear();
        final int count = in.getInt();
        for (int i = 0; i < count; i++)
        {
            final long id = in.getLong();
            final Plan plan = new Plan();
            plan.phase = in.getInt();
            plan.phaseEndNs = in.getLong();
            final int phases = in.getInt();
            for (int p = 0; p < phases; p++)
            {
                plan.states.add(in.getString());
                plan.durationsMs.add(in.getLong());
            }
            plans.put(id, plan);
        }
    }
}
