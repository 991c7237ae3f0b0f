package kr.sejong.city.bench.e2e;

import kr.sejong.city.core.loops.signal.IntersectionModel;
import kr.sejong.city.core.loops.signal.LaneTraffic;
import kr.sejong.city.core.loops.signal.MaxPressureController;

/**
 * The decision both end-to-end stacks make for every request, so that they differ only in how the
 * request gets to it and the answer back: the green phase of the junction with the highest max pressure
 * for the lane loads of the request, computed by the signal loop's own pure function
 * {@link MaxPressureController#pressure} (sum over a phase's green movements of the halting vehicles on
 * their incoming lanes). A tie goes to the lower phase. Pure: no state, no allocation.
 */
public final class MaxPressureDecision
{
    /** How long the decision holds, as the max-pressure controller decides every 5 s. */
    public static final int HOLD_MS = (int)(MaxPressureController.DECISION_INTERVAL_NS / 1_000_000L);

    private MaxPressureDecision()
    {
    }

    /** The candidate phase (0 .. phaseCount - 1) to serve. */
    public static int bestPhase(final IntersectionModel model, final LaneTraffic traffic)
    {
        int best = 0;
        long bestPressure = MaxPressureController.pressure(model, traffic, 0);
        for (int phase = 1; phase < model.phaseCount(); phase++)
        {
            final long pressure = MaxPressureController.pressure(model, traffic, phase);
            if (pressure > bestPressure)
            {
                best = phase;
                bestPressure = pressure;
            }
        }
        return best;
    }
}
