package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.SignalReason;

/**
 * The plain max-pressure baseline kept for comparison (as in the reference runs: a decision every 5 s
 * after min green). The pressure of a phase is the sum over its green movements of the queue (halting
 * vehicles) on the movement's incoming lane minus the queue on its outgoing side; the loop does not
 * observe outgoing roads, so the outgoing term is zero. The phase with the highest pressure among the
 * network's own green phases is served; a tie keeps the current phase, else goes to the lower index.
 */
public final class MaxPressureController implements PhaseController
{
    /** Time between two decisions. */
    public static final long DECISION_INTERVAL_NS = 5_000_000_000L;

    @Override
    public void decide(final ControlledIntersection intersection, final long nowNs, final Decision decision)
    {
        final int current = intersection.phase();
        final boolean currentMaxedOut = intersection.keepsMaxedOut(current, nowNs);
        int best = highestPressure(intersection, nowNs, currentMaxedOut, true);
        if (best < 0)
        {
            // the current green has maxed out and every other phase would keep an old green past max green: the best
            // of them anyway, the sequencer clears that old green with the others and starts it afresh (holding a
            // maxed-out green is what the monitor refuses)
            best = highestPressure(intersection, nowNs, true, false);
        }
        if (best < 0 || best == current)
        {
            decision.hold(SignalReason.PRESSURE, nowNs + DECISION_INTERVAL_NS, (int)(DECISION_INTERVAL_NS / 1_000_000L));
            return;
        }
        decision.switchTo(best, currentMaxedOut ? SignalReason.MAX_OUT : SignalReason.PRESSURE, SignalReason.PRESSURE);
    }

    /**
     * The phase of highest pressure: the current one unless it has maxed out, else another (-1 when none); with
     * {@code avoidMaxOut} never one that would keep a green past max green ({@link ControlledIntersection#wouldMaxOut}).
     */
    private static int highestPressure(final ControlledIntersection intersection, final long nowNs, final boolean currentMaxedOut,
        final boolean avoidMaxOut)
    {
        final IntersectionModel model = intersection.model();
        final LaneTraffic traffic = intersection.traffic();
        final int current = intersection.phase();
        int best = currentMaxedOut ? -1 : current;
        long bestPressure = currentMaxedOut ? Long.MIN_VALUE : pressure(model, traffic, current);
        for (int q = 0; q < model.phaseCount(); q++)
        {
            if (q == current || (avoidMaxOut && intersection.wouldMaxOut(q, nowNs)))
            {
                continue;
            }
            final long p = pressure(model, traffic, q);
            if (p > bestPressure)
            {
                best = q;
                bestPressure = p;
            }
        }
        return best;
    }

    /** Sum over the phase's green movements of the halting vehicles on their incoming lanes. */
    public static long pressure(final IntersectionModel model, final LaneTraffic traffic, final int phase)
    {
        long pressure = 0;
        for (int m = 0; m < model.movementCount(); m++)
        {
            if (model.phaseGreen(phase, m))
            {
                pressure += movementPressure(traffic.halting(model.movementLane(m)), -1);
            }
        }
        return pressure;
    }

    /** Incoming queue minus outgoing queue; an unknown outgoing queue ({@code < 0}) counts as zero. */
    public static long movementPressure(final int incomingQueue, final int outgoingQueue)
    {
        return incomingQueue - Math.max(0, outgoingQueue);
    }
}
