package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.SignalReason;

/**
 * Plays the network's own program: its green phases in program order, each for its programmed duration
 * (kept within min and max green). The program's own yellow and red phases are not played: the loop
 * derives clearance from the city's yellow and all-red times, which may be longer than the program's.
 * Used for {@code control=fixed} and for fallback when observations stop.
 */
public final class FixedTimeController implements PhaseController
{
    @Override
    public void decide(final ControlledIntersection intersection, final long nowNs, final Decision decision)
    {
        final IntersectionModel model = intersection.model();
        final SignalTiming timing = intersection.timing();
        final int phase = intersection.phase();
        int cursor = intersection.programCursor();
        if (cursor < 0 || cursor >= model.programPhaseCount() || model.programPhaseCandidate(cursor) != phase)
        {
            cursor = model.phaseProgramIndex(phase); // joining a green some other controller chose
            intersection.programCursor(cursor);
        }
        final long greenMs = plannedGreenMs(model.programDurationMs(cursor), timing.minGreenMs(), timing.maxGreenMs());
        final long endNs = intersection.greenStartNs() + greenMs * 1_000_000L;
        final boolean maxedOut = intersection.keepsMaxedOut(phase, nowNs);
        if (nowNs < endNs && !maxedOut)
        {
            decision.hold(SignalReason.FIXED_PLAN, endNs, (int)((endNs - nowNs) / 1_000_000L));
            return;
        }
        int next = nextGreen(model, cursor, phase);
        for (int tries = 0; next >= 0 && tries < model.programPhaseCount() && intersection.wouldMaxOut(model.programPhaseCandidate(next), nowNs); tries++)
        {
            // skip a green that would keep a maxed-out movement green; if all would, play the program as is
            final int later = nextGreen(model, next, phase);
            if (later == cursor || later < 0)
            {
                break;
            }
            next = later;
        }
        if (next >= 0 && intersection.wouldMaxOut(model.programPhaseCandidate(next), nowNs))
        {
            next = nextGreen(model, cursor, phase);
        }
        if (next < 0)
        {
            decision.hold(SignalReason.FIXED_PLAN, nowNs + timing.maxGreenNs(), 0); // a program of one green
            return;
        }
        intersection.programCursor(next);
        decision.switchTo(model.programPhaseCandidate(next),
            maxedOut ? SignalReason.MAX_OUT : SignalReason.FIXED_PLAN, SignalReason.FIXED_PLAN);
    }

    /** The green a programmed duration gets: never below min green, never above max green. */
    public static long plannedGreenMs(final long programmedMs, final long minGreenMs, final long maxGreenMs)
    {
        return Math.max(minGreenMs, Math.min(maxGreenMs, programmedMs));
    }

    /**
     * The next program phase after {@code programPhase}, cyclically, that shows a green other than
     * {@code currentPhase}; -1 when there is none.
     */
    public static int nextGreen(final IntersectionModel model, final int programPhase, final int currentPhase)
    {
        final int count = model.programPhaseCount();
        for (int step = 1; step <= count; step++)
        {
            final int p = (programPhase + step) % count;
            final int candidate = model.programPhaseCandidate(p);
            if (candidate >= 0 && candidate != currentPhase)
            {
                return p;
            }
        }
        return -1;
    }
}
