package kr.sejong.city.adapters.opcua.server;

/**
 * The controller's hand-over monitor: when control changes hands (the watchdog returns the controller to its local
 * plan, or central control resumes with a command), what it shows never skips a clearance, though the two sides
 * know nothing of each other's last state. From a hand-over until what is shown is what is asked again:
 * <ul>
 *   <li>A movement that is green and should no longer be shows yellow first ({@code y}), for at least the yellow
 *   time, then red; a movement that was not green is never shown yellow.</li>
 *   <li>A movement turns green only when every movement it conflicts with is red and has been red for at least the
 *   all-red time (pairs the controller's own program greens together with one yielding, {@link ConflictCheck},
 *   excepted while one of them shows {@code g}); until then it stays red.</li>
 * </ul>
 * Between hand-overs each side answers for its own transitions (the node's conflict monitor checked its commands;
 * the local program carries its yellows) and what is asked passes unchanged, its times still recorded for the
 * next hand-over. Letters other than green and yellow count as red.
 * Not thread-safe: the controller calls it under its own lock.
 */
final class ClearanceGuard
{
    /** The rules' defaults, those of the node's signal timing: yellow 3 s, all-red 2 s. */
    static final long DEFAULT_YELLOW_NS = 3_000_000_000L;
    static final long DEFAULT_ALL_RED_NS = 2_000_000_000L;

    private final ControllerTopology topology;
    private final ConflictCheck check;
    private final long yellowNs;
    private final long allRedNs;
    private final char[] shown;
    /** When each movement's current aspect (red, yellow, green) began. */
    private final long[] aspectSinceNs;
    private final char[] out;
    private boolean handingOver;
    private long heldTransitions;

    ClearanceGuard(final ControllerTopology topology, final ConflictCheck check, final long yellowNs, final long allRedNs,
        final String initial, final long nowNs)
    {
        this.topology = topology;
        this.check = check;
        this.yellowNs = yellowNs;
        this.allRedNs = allRedNs;
        final int n = topology.movementCount();
        shown = initial.toCharArray();
        aspectSinceNs = new long[n];
        // what a controller shows when it starts is its own program's: taken as having run its clearances
        java.util.Arrays.fill(aspectSinceNs, nowNs - Math.max(yellowNs, allRedNs));
        out = new char[n];
    }

    /**
     * What to show at {@code nowNs} when {@code wanted} is asked for; remembers it as shown.
     *
     * @param handOver control changed hands since the last call: the rules apply until what is shown is asked.
     */
    String next(final String wanted, final long nowNs, final boolean handOver)
    {
        final int n = shown.length;
        handingOver |= handOver;
        boolean held = false;
        for (int i = 0; i < n; i++)
        {
            if (!handingOver)
            {
                out[i] = wanted.charAt(i);
                continue;
            }
            final char want = wanted.charAt(i);
            final char now = shown[i];
            if (isGreen(want))
            {
                out[i] = isGreen(now) || mayTurnGreen(i, want, nowNs) ? want : 'r';
            }
            else if (isGreen(now))
            {
                out[i] = 'y'; // leaving green: yellow first, whatever was asked
            }
            else if (isYellow(now))
            {
                // yellow runs its time; a movement asked to stay yellow stays so
                out[i] = nowNs - aspectSinceNs[i] < yellowNs || isYellow(want) ? now : want;
            }
            else
            {
                out[i] = isYellow(want) ? now : want; // yellow only ever follows green
            }
            held |= out[i] != want;
        }
        if (held)
        {
            heldTransitions++;
        }
        else
        {
            handingOver = false; // what is asked is shown: each side answers for itself again
        }
        for (int i = 0; i < n; i++)
        {
            if (aspect(out[i]) != aspect(shown[i]))
            {
                aspectSinceNs[i] = nowNs;
            }
            shown[i] = out[i];
        }
        return new String(out);
    }

    private boolean mayTurnGreen(final int i, final char want, final long nowNs)
    {
        for (int j = 0; j < shown.length; j++)
        {
            if (j == i || !topology.conflicts(i, j))
            {
                continue;
            }
            final char other = shown[j];
            if (isGreen(other) && check.permissive(i, j) && (want == 'g' || other == 'g'))
            {
                continue; // the program's own permissive pair
            }
            if (aspect(other) != 0 || nowNs - aspectSinceNs[j] < allRedNs)
            {
                return false;
            }
        }
        return true;
    }

    /** Updates at which what was shown differed from what was asked (a clearance inserted or a green held back). */
    long heldTransitions()
    {
        return heldTransitions;
    }

    private static boolean isGreen(final char letter)
    {
        return letter == 'G' || letter == 'g';
    }

    private static boolean isYellow(final char letter)
    {
        return letter == 'y' || letter == 'Y';
    }

    /** 0 red (anything neither green nor yellow), 1 yellow, 2 green. */
    private static int aspect(final char letter)
    {
        return isGreen(letter) ? 2 : isYellow(letter) ? 1 : 0;
    }
}
