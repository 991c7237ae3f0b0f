package kr.sejong.city.core.loops.signal;

import java.util.Arrays;

/**
 * Watches the states an intersection shows, tick by tick, and names the first broken safety rule.
 * Written apart from the monitor, from the rules of the contract alone, so that it can catch the monitor.
 */
final class SafetyObserver
{
    private static final long NEVER = Long.MIN_VALUE / 4;

    private final IntersectionModel model;
    private final SignalTiming timing;
    private final int n;
    private final char[] shown;
    private final long[] since;
    private long ticks;

    SafetyObserver(final IntersectionModel model, final SignalTiming timing)
    {
        this.model = model;
        this.timing = timing;
        this.n = model.movementCount();
        this.shown = new char[n];
        this.since = new long[n];
        Arrays.fill(shown, 'r');
        Arrays.fill(since, NEVER);
    }

    /**
     * The next state shown at {@code nowNs}; {@code demand} is what the monitor was told (null: all).
     *
     * @return null when every rule holds, else what broke.
     */
    String observe(final long nowNs, final String state, final boolean[] demand)
    {
        ticks++;
        if (state.length() != n)
        {
            return "state " + state + " has " + state.length() + " letters for " + n + " movements";
        }
        for (int i = 0; i < n; i++)
        {
            final char letter = state.charAt(i);
            if ("Ggyr".indexOf(letter) < 0)
            {
                return "letter " + letter + " at " + i;
            }
            for (int j = i + 1; j < n; j++)
            {
                final char other = state.charAt(j);
                if (green(letter) && green(other) && model.conflicts(i, j) &&
                    !(model.permissivePair(i, j) && (letter == 'g' || other == 'g')))
                {
                    return "conflicting greens " + i + " and " + j + " in " + state;
                }
            }
        }
        for (int m = 0; m < n; m++)
        {
            final char was = shown[m];
            final char now = state.charAt(m);
            final long heldMs = (nowNs - since[m]) / 1_000_000L;
            if (green(was) && !green(now))
            {
                if (now != 'y')
                {
                    return "movement " + m + " went from green to " + now + " without yellow";
                }
                if (since[m] != NEVER && heldMs < timing.minGreenMs())
                {
                    return "movement " + m + " green for only " + heldMs + " ms";
                }
            }
            if (was == 'y' && now != 'y')
            {
                if (now != 'r')
                {
                    return "movement " + m + " went from yellow to " + now;
                }
                if (heldMs < timing.yellowMs())
                {
                    return "movement " + m + " yellow for only " + heldMs + " ms";
                }
            }
            if (was == 'r' && now == 'y')
            {
                return "movement " + m + " went from red to yellow";
            }
            final boolean becomesGreen = !green(was) && green(now);
            final boolean becomesProtected = was == 'g' && now == 'G';
            if (becomesGreen || becomesProtected)
            {
                for (int c = 0; c < n; c++)
                {
                    if (c == m || !model.conflicts(m, c))
                    {
                        continue;
                    }
                    final char cNow = state.charAt(c);
                    if (model.permissivePair(m, c) && (now == 'g' || cNow == 'g'))
                    {
                        continue;
                    }
                    final long redSince = shown[c] == 'r' ? since[c] : nowNs;
                    if (cNow != 'r' || (nowNs - redSince) / 1_000_000L < timing.allRedMs())
                    {
                        return "movement " + m + " turned " + now + " while conflicting " + c + " was " + shown[c] + "/" + cNow +
                            " (red for " + (nowNs - redSince) / 1_000_000L + " ms)";
                    }
                }
            }
            if (green(was) && green(now) && since[m] != NEVER && nowNs - since[m] >= timing.maxGreenNs())
            {
                for (int c = 0; c < n; c++)
                {
                    final boolean waiting = demand == null || demand[c];
                    if (model.conflicts(m, c) && waiting && !green(state.charAt(c)) && !green(shown[c]) && model.servableWithout(c, m))
                    {
                        return "movement " + m + " green for " + heldMs + " ms while " + c + " has demand";
                    }
                }
            }
        }
        for (int m = 0; m < n; m++)
        {
            final char now = state.charAt(m);
            if (aspect(now) != aspect(shown[m]))
            {
                since[m] = nowNs;
            }
            shown[m] = now;
        }
        return null;
    }

    long ticks()
    {
        return ticks;
    }

    private static boolean green(final char letter)
    {
        return letter == 'G' || letter == 'g';
    }

    private static int aspect(final char letter)
    {
        return green(letter) ? 2 : letter == 'y' ? 1 : 0;
    }
}
