package kr.sejong.city.core.loops.signal;

import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

import java.util.Arrays;

/**
 * The software conflict monitor of one intersection: every signal state passes through {@link #check}
 * before it may leave the node, and what leaves is what the monitor lets through. It knows nothing of
 * controllers; it keeps, per movement, the aspect shown (green, yellow, red) and since when, in logical
 * time, and holds every proposal to these rules:
 * <ol>
 *   <li><b>Conflicts.</b> Two movements that conflict are never green together. The one exception is a
 *       permissive pair of the network's own program (see {@link IntersectionModel}) while at least one
 *       of the two shows {@code g} (yield).</li>
 *   <li><b>Clearance.</b> A green movement ends only through yellow, held for at least {@code yellowMs}
 *       (never below 3000 ms), then red; yellow never returns to green.</li>
 *   <li><b>All-red.</b> A movement turns green, or is raised from {@code g} to protected {@code G}, only when
 *       every conflicting movement has been red for at least {@code allRedMs}. Partners of a permissive
 *       pair need not wait for each other while one of them yields.</li>
 *   <li><b>Min green.</b> A green movement stays green for at least {@code minGreenMs}.</li>
 *   <li><b>Max green.</b> A movement green for {@code maxGreenMs} or more while a conflicting movement has
 *       demand goes to yellow.</li>
 * </ol>
 * While a preemption runs ({@link #preempting}) rule 5 is suspended (the dwell is bounded by the max presence
 * instead, as NTCIP 1202 has it) and a pedestrian crossing's min green (rule 4) may be cut to the configured
 * pedestrian minimum; rules 1 to 3 never change.
 * A proposal that breaks a rule is <em>refused</em>: each movement gets the nearest letter the rules allow
 * (keep the current green, go to yellow, stay yellow, stay red), the refusal is counted, and the caller
 * reports the result with reason {@code SAFETY_OVERRIDE}. Before the first check every movement counts as
 * red since forever, so the first state may be any conflict-free one.
 */
public final class ConflictMonitor
{
    private static final long NEVER_NS = Long.MIN_VALUE / 4;

    private final IntersectionModel model;
    private final SignalTiming timing;
    private final int movementCount;
    private final byte[] shown;
    private final long[] aspectSinceNs;
    private long refusals;
    private boolean preempting;
    private long pedestrianMinGreenNs;

    public ConflictMonitor(final IntersectionModel model, final SignalTiming timing)
    {
        this.model = model;
        this.timing = timing;
        this.movementCount = model.movementCount();
        this.shown = new byte[movementCount];
        this.aspectSinceNs = new long[movementCount];
        Arrays.fill(shown, SignalLetters.RED);
        Arrays.fill(aspectSinceNs, NEVER_NS);
    }

    /**
     * Check a proposed state at {@code nowNs} and write what may be shown into {@code out}; the monitor
     * then takes {@code out} as shown from now on.
     *
     * @param nowNs    logical time of the decision.
     * @param proposed one letter per movement.
     * @param demand   per movement, whether vehicles wait for it (the max green rule); null: all do.
     * @param out      receives the state to show; may be {@code proposed} itself.
     * @return true when the proposal was accepted unchanged, false when it was refused and replaced.
     */
    public boolean check(final long nowNs, final byte[] proposed, final boolean[] demand, final byte[] out)
    {
        boolean accepted = proposed.length == movementCount;
        for (int m = 0; m < movementCount; m++)
        {
            final byte want = m < proposed.length ? proposed[m] : SignalLetters.RED;
            final byte allowed = allowedAlone(m, want, nowNs, demand);
            accepted &= allowed == want;
            out[m] = allowed;
        }
        boolean reverted;
        do
        {
            // to a fixed point: a green held back may have been the yielding partner another one relied on
            reverted = false;
            for (int m = 0; m < movementCount; m++)
            {
                if (needsClearance(m, out[m]) && !clearedFor(m, out[m], nowNs, out))
                {
                    // not yet: a movement being raised from g keeps its g, any other stays red
                    out[m] = SignalLetters.isGreen(shown[m]) ? shown[m] : SignalLetters.RED;
                    accepted = false;
                    reverted = true;
                }
            }
        }
        while (reverted);
        accepted &= !resolveRemainingConflicts(out);
        for (int m = 0; m < movementCount; m++)
        {
            if (SignalLetters.aspect(out[m]) != SignalLetters.aspect(shown[m]))
            {
                aspectSinceNs[m] = nowNs;
            }
            shown[m] = out[m];
        }
        if (!accepted)
        {
            refusals++;
        }
        return accepted;
    }

    /** Rules 2, 4 and 5: what movement m may show, looking at its own history only. */
    private byte allowedAlone(final int m, final byte want, final long nowNs, final boolean[] demand)
    {
        final byte was = shown[m];
        final long elapsedNs = nowNs - aspectSinceNs[m];
        final int wantAspect = SignalLetters.isShowable(want) ? SignalLetters.aspect(want) : -1;
        switch (SignalLetters.aspect(was))
        {
            case SignalLetters.ASPECT_GREEN:
                if (wantAspect == SignalLetters.ASPECT_GREEN)
                {
                    return !preempting && elapsedNs >= timing.maxGreenNs() && conflictingDemand(m, demand) ? SignalLetters.YELLOW : want;
                }
                return elapsedNs < minGreenNs(m) ? was : SignalLetters.YELLOW;
            case SignalLetters.ASPECT_YELLOW:
                if (elapsedNs < timing.yellowNs())
                {
                    return SignalLetters.YELLOW;
                }
                return wantAspect == SignalLetters.ASPECT_YELLOW ? SignalLetters.YELLOW : SignalLetters.RED;
            default:
                return wantAspect == SignalLetters.ASPECT_GREEN ? want : SignalLetters.RED;
        }
    }

    private long minGreenNs(final int m)
    {
        return preempting && model.pedestrian(m) ? Math.min(pedestrianMinGreenNs, timing.minGreenNs()) : timing.minGreenNs();
    }

    /**
     * Whether the checks from now on are for a preemption: max green suspended, a pedestrian crossing's min
     * green cut to {@code pedestrianMinGreenNs} (never above the min green).
     */
    public void preempting(final boolean preempting, final long pedestrianMinGreenNs)
    {
        this.preempting = preempting;
        this.pedestrianMinGreenNs = pedestrianMinGreenNs;
    }

    /** The min green a movement is held to by the checks as they stand. */
    public long minGreenNsOf(final int m)
    {
        return minGreenNs(m);
    }

    /** A movement turning green, or raised from yield to protected green, needs its conflicts cleared. */
    private boolean needsClearance(final int m, final byte letter)
    {
        if (!SignalLetters.isGreen(letter))
        {
            return false;
        }
        return !SignalLetters.isGreen(shown[m]) ||
            (shown[m] == SignalLetters.GREEN_YIELD && letter == SignalLetters.GREEN_PRIORITY);
    }

    /** Rules 1 and 3 for a movement needing clearance, against the output built so far. */
    private boolean clearedFor(final int m, final byte letter, final long nowNs, final byte[] out)
    {
        for (int c = 0; c < movementCount; c++)
        {
            if (c == m || !model.conflicts(m, c))
            {
                continue;
            }
            if (model.permissivePair(m, c) && (letter == SignalLetters.GREEN_YIELD || out[c] == SignalLetters.GREEN_YIELD))
            {
                continue; // designed to run together, one of the two yields
            }
            if (SignalLetters.aspect(out[c]) != SignalLetters.ASPECT_RED)
            {
                return false;
            }
            final long redSinceNs = SignalLetters.aspect(shown[c]) == SignalLetters.ASPECT_RED ? aspectSinceNs[c] : nowNs;
            if (nowNs - redSinceNs < timing.allRedNs())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Last line of defence for rule 1 (only reachable if the history itself was unsafe): of two greens
     * that may not show together, the later movement goes to yellow, or red if it was not green before.
     */
    private boolean resolveRemainingConflicts(final byte[] out)
    {
        boolean changed = false;
        for (int i = 0; i < movementCount; i++)
        {
            for (int j = i + 1; j < movementCount; j++)
            {
                if (!model.compatible(i, out[i], j, out[j]))
                {
                    out[j] = SignalLetters.isGreen(shown[j]) ? SignalLetters.YELLOW : SignalLetters.RED;
                    changed = true;
                }
            }
        }
        return changed;
    }

    private boolean conflictingDemand(final int m, final boolean[] demand)
    {
        for (int c = 0; c < movementCount; c++)
        {
            if (waitsAgainst(m, c, demand))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Continue from what another monitor of the same intersection saw (its topology was replaced): the same
     * letters, since the same times. When the movements differ in number nothing is known of what the
     * field shows, so every movement is taken as turning yellow now: a full clearance comes first.
     */
    public void takeOver(final ConflictMonitor previous, final long nowNs)
    {
        if (previous.movementCount == movementCount)
        {
            System.arraycopy(previous.shown, 0, shown, 0, movementCount);
            System.arraycopy(previous.aspectSinceNs, 0, aspectSinceNs, 0, movementCount);
        }
        else
        {
            Arrays.fill(shown, SignalLetters.YELLOW);
            Arrays.fill(aspectSinceNs, nowNs);
        }
    }

    /**
     * Whether movement c waits at a light because movement m is green: they conflict, c has demand, c is
     * not green itself (a permissive partner is being served) and some phase serves it without m (else
     * ending m's green would not serve it).
     */
    private boolean waitsAgainst(final int m, final int c, final boolean[] demand)
    {
        return model.conflicts(m, c) && (demand == null || demand[c]) && !SignalLetters.isGreen(shown[c]) &&
            model.servableWithout(c, m);
    }

    /**
     * Whether a green movement will have held its green for max green at {@code atNs} while a conflicting
     * movement waits for it, the other movements showing {@code letters} then (null: as now).
     */
    public boolean maxedOut(final int m, final long atNs, final boolean[] demand, final byte[] letters)
    {
        if (!SignalLetters.isGreen(shown[m]) || atNs - aspectSinceNs[m] < timing.maxGreenNs())
        {
            return false;
        }
        final byte[] then = letters == null ? shown : letters;
        for (int c = 0; c < movementCount; c++)
        {
            if (model.conflicts(m, c) && (demand == null || demand[c]) && !SignalLetters.isGreen(then[c]) &&
                model.servableWithout(c, m))
            {
                return true;
            }
        }
        return false;
    }

    /** Commands refused and replaced since this monitor started. */
    public long refusals()
    {
        return refusals;
    }

    /** The letter a movement shows now. */
    public byte shown(final int movement)
    {
        return shown[movement];
    }

    /** Since when (logical ns) a movement shows its current aspect; a very negative value: red since before the start. */
    public long aspectSinceNs(final int movement)
    {
        return aspectSinceNs[movement];
    }

    /** Whether the monitor has seen no command yet. */
    public boolean fresh()
    {
        for (int m = 0; m < movementCount; m++)
        {
            if (aspectSinceNs[m] != NEVER_NS)
            {
                return false;
            }
        }
        return true;
    }

    public void snapshot(final StateWriter out)
    {
        out.putInt(movementCount);
        for (int m = 0; m < movementCount; m++)
        {
            out.putByte(shown[m]);
            out.putLong(aspectSinceNs[m]);
        }
        out.putLong(refusals);
    }

    public void restore(final StateReader in)
    {
        final int count = in.getInt();
        if (count != movementCount)
        {
            throw new IllegalStateException("snapshot has " + count + " movements, the model " + movementCount);
        }
        for (int m = 0; m < movementCount; m++)
        {
            shown[m] = in.getByte();
            aspectSinceNs[m] = in.getLong();
        }
        refusals = in.getLong();
    }
}
