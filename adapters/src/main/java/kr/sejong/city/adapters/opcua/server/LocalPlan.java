package kr.sejong.city.adapters.opcua.server;

/**
 * A controller's own fixed-time plan: the phases of its program in turn, each for its duration, the cycle
 * counted from the epoch (so an untouched plan shows what the field simulator's own program shows), and
 * the local inputs that bend it:
 * <ul>
 *   <li>{@link #request}: go to a phase next, once the current phase's minimum has run;</li>
 *   <li>{@link #hold}: stay in the current phase, up to its maximum, while active;</li>
 *   <li>{@link #forceOff}: end the current phase as soon as its minimum has run;</li>
 *   <li>{@link #preempt}: while active, serve the first phase that greens a movement from an approach, and
 *   stay there.</li>
 * </ul>
 * A jump to another phase passes through the clearance phase (one with a yellow) that follows a green one
 * in the program, so a jump never cuts a green straight to red. Not thread-safe: its controller guards it.
 */
final class LocalPlan
{
    private static final int MAX_STEPS_PER_ADVANCE = 100_000;

    private final ControllerTopology topology;
    private final String[] states;
    private final long[] durationsMs;
    private final long[] minDurationsMs;
    private final long[] maxDurationsMs;
    private int phase;
    private long phaseStartNs;
    private long lastAdvanceNs;
    private int requested = -1;
    private boolean hold;
    private boolean forceOff;
    private int preemptInput = -1;
    private int preemptPhase = -1;

    LocalPlan(final ControllerTopology topology, final long nowNs)
    {
        this(topology, nowNs, 0);
    }

    /**
     * @param originNs when a cycle starts with phase 0 (epoch ns): 0, the Unix epoch, as the field simulator counts; a
     *                 twin's simulation time 0, where SUMO starts its programs.
     */
    LocalPlan(final ControllerTopology topology, final long nowNs, final long originNs)
    {
        this.topology = topology;
        states = topology.programStates();
        durationsMs = topology.programDurationsMs();
        minDurationsMs = topology.programMinDurationsMs();
        maxDurationsMs = topology.programMaxDurationsMs();
        long cycleNs = 0;
        for (final long durationMs : durationsMs)
        {
            cycleNs += durationMs * 1_000_000L;
        }
        long offsetNs = Math.floorMod(nowNs - originNs, cycleNs);
        int p = 0;
        while (offsetNs >= durationNs(p))
        {
            offsetNs -= durationNs(p);
            p++;
        }
        phase = p;
        phaseStartNs = nowNs - offsetNs;
        lastAdvanceNs = nowNs;
    }

    /**
     * Moves the plan on to {@code nowNs}. A phase whose end an input moved into the past (a hold or a preemption
     * released, a force-off) ends when the plan learns of it, not back then: the next phase starts no earlier than
     * the previous advance.
     */
    void advance(final long nowNs)
    {
        final long sinceNs = lastAdvanceNs;
        lastAdvanceNs = Math.max(lastAdvanceNs, nowNs);
        for (int steps = 0; steps < MAX_STEPS_PER_ADVANCE; steps++)
        {
            final long endNs = phaseStartNs + currentPhaseLengthNs();
            if (nowNs < endNs)
            {
                return;
            }
            phaseStartNs = Math.max(endNs, sinceNs);
            phase = next();
            forceOff = false;
            if (phase == requested)
            {
                requested = -1;
            }
        }
        phaseStartNs = nowNs; // a clock jump of ages: start the phase now rather than replay them all
    }

    private long currentPhaseLengthNs()
    {
        if (phase == preemptPhase)
        {
            return Long.MAX_VALUE / 4;
        }
        final long durationNs = durationNs(phase);
        if (forceOff || (preemptPhase >= 0) || (requested >= 0 && requested != phase))
        {
            return Math.min(durationNs, minDurationNs(phase));
        }
        if (hold)
        {
            return Math.max(durationNs, maxDurationNs(phase));
        }
        return durationNs;
    }

    private int next()
    {
        final int count = topology.phaseCount();
        final int following = (phase + 1) % count;
        final int goal = preemptPhase >= 0 ? preemptPhase : requested;
        if (goal < 0 || goal == phase)
        {
            return following;
        }
        if (!isClearance(phase) && isClearance(following) && following != goal)
        {
            return following;
        }
        return goal;
    }

    private boolean isClearance(final int p)
    {
        final String state = states[p];
        return state.indexOf('y') >= 0 || state.indexOf('Y') >= 0;
    }

    /** @return null, or what is wrong with the request. */
    String request(final int phaseIndex)
    {
        if (phaseIndex < 0 || phaseIndex >= topology.phaseCount())
        {
            return "PhaseIndex " + phaseIndex + " is not a phase of " + topology.name() + " (0.." + (topology.phaseCount() - 1) + ")";
        }
        requested = phaseIndex == phase ? -1 : phaseIndex;
        return null;
    }

    void hold(final boolean active)
    {
        hold = active;
    }

    void forceOff()
    {
        forceOff = true;
    }

    /** @return null, or what is wrong with the input. */
    String preempt(final int approach, final boolean active)
    {
        if (!active)
        {
            if (approach == preemptInput)
            {
                preemptInput = -1;
                preemptPhase = -1;
            }
            return null;
        }
        final int target = firstPhaseServing(approach);
        if (target < 0)
        {
            return "no phase of " + topology.name() + " greens a movement from approach " + approach;
        }
        preemptInput = approach;
        preemptPhase = target;
        return null;
    }

    private int firstPhaseServing(final int approach)
    {
        for (int p = 0; p < states.length; p++)
        {
            for (int m = 0; m < topology.movementCount(); m++)
            {
                if (ConflictCheck.isGreen(states[p].charAt(m)) && topology.approachOfMovement(m) == approach)
                {
                    return p;
                }
            }
        }
        return -1;
    }

    int phase()
    {
        return phase;
    }

    long phaseStartNs()
    {
        return phaseStartNs;
    }

    String state()
    {
        return states[phase];
    }

    boolean preempting()
    {
        return preemptPhase >= 0;
    }

    boolean holding()
    {
        return hold;
    }

    int requested()
    {
        return requested;
    }

    private long durationNs(final int p)
    {
        return durationsMs[p] * 1_000_000L;
    }

    private long minDurationNs(final int p)
    {
        return minDurationsMs[p] * 1_000_000L;
    }

    private long maxDurationNs(final int p)
    {
        return maxDurationsMs[p] * 1_000_000L;
    }
}
