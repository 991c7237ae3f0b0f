package kr.sejong.city.adapters.twin;

/**
 * An independent check of what one traffic light actually shows, step by step (the state read back
 * from SUMO), against the hard rules of the twin contract. It does not trust the loop's conflict monitor:
 * it only knows the network.
 * <ul>
 *   <li><b>Conflicting greens</b>: a step in which two conflicting movements are green ({@code G} or
 *   {@code g}) counts once, unless the pair is permissive (the network's own program shows it green
 *   together) and one of the two shows {@code g} and yields to the other per the junction's response.</li>
 *   <li><b>Short yellow</b>: a movement leaves green for red with a yellow shorter than
 *   {@code yellowMinMs} (a direct green-to-red counts as a yellow of 0 ms).</li>
 *   <li><b>Short all-red</b>: a movement turns green while a conflicting movement (not a permissive
 *   partner) is still yellow, or turned red less than {@code allRedMs} ago.</li>
 * </ul>
 * Letters: {@code G g} green ({@code s}, {@code o}, {@code O} are treated as green too: vehicles may
 * move), {@code y Y} yellow, anything else ({@code r R u}) red. Times are the simulation time, in ms, at
 * which a state starts to be shown.
 */
public final class SafetyCheck
{
    static final int RED = 0;
    static final int YELLOW = 1;
    static final int GREEN = 2;
    /** "Turned red long ago": before the run, every red counts as cleared. */
    private static final long LONG_AGO = Long.MIN_VALUE / 4;

    private final TrafficLight light;
    private final long yellowMinMs;
    private final long allRedMs;
    private final int n;
    private final int[] aspect;
    private final long[] yellowSinceMs;
    private final long[] redSinceMs;
    private boolean started;

    private long conflictingGreenSteps;
    private long shortYellows;
    private long shortAllReds;
    private String firstViolation;

    public SafetyCheck(final TrafficLight light, final long yellowMinMs, final long allRedMs)
    {
        this.light = light;
        this.yellowMinMs = yellowMinMs;
        this.allRedMs = allRedMs;
        this.n = light.movementCount();
        this.aspect = new int[n];
        this.yellowSinceMs = new long[n];
        this.redSinceMs = new long[n];
    }

    static int aspect(final char letter)
    {
        return switch (letter)
        {
            case 'G', 'g', 's', 'o', 'O' -> GREEN;
            case 'y', 'Y' -> YELLOW;
            default -> RED;
        };
    }

    /**
     * The light shows {@code state} from {@code timeMs} on. Returns the number of new violations.
     *
     * @throws IllegalArgumentException when the state has the wrong number of letters.
     */
    public int observe(final long timeMs, final CharSequence state)
    {
        if (state.length() != n)
        {
            throw new IllegalArgumentException("traffic light " + light.id() + " shows '" + state + "' (" + state.length()
                + " letters) but has " + n + " movements");
        }
        int violations = 0;
        if (!started)
        {
            started = true;
            for (int i = 0; i < n; i++)
            {
                aspect[i] = aspect(state.charAt(i));
                yellowSinceMs[i] = timeMs;
                redSinceMs[i] = LONG_AGO;
            }
            return conflictCheck(timeMs, state);
        }

        // clearance: movements leaving green or yellow
        for (int i = 0; i < n; i++)
        {
            final int now = aspect(state.charAt(i));
            final int before = aspect[i];
            if (before == GREEN && now == YELLOW)
            {
                yellowSinceMs[i] = timeMs;
            }
            else if (before == GREEN && now == RED)
            {
                violations += shortYellow(i, timeMs, 0);
                redSinceMs[i] = timeMs;
            }
            else if (before == YELLOW && now == RED)
            {
                final long yellowMs = timeMs - yellowSinceMs[i];
                if (yellowMs < yellowMinMs)
                {
                    violations += shortYellow(i, timeMs, yellowMs);
                }
                redSinceMs[i] = timeMs;
            }
        }
        // onsets: movements turning green, against conflicting movements that have not cleared
        for (int i = 0; i < n; i++)
        {
            final int now = aspect(state.charAt(i));
            if (now != GREEN || aspect[i] == GREEN)
            {
                continue;
            }
            for (int j = 0; j < n; j++)
            {
                if (!light.conflicts(i, j) || light.permissive(i, j))
                {
                    continue;
                }
                final int other = aspect(state.charAt(j));
                final boolean stillYellow = other == YELLOW;
                final boolean tooSoon = other == RED && timeMs - redSinceMs[j] < allRedMs;
                if (stillYellow || tooSoon)
                {
                    shortAllReds++;
                    violations++;
                    note(timeMs, "movement " + i + " turned green " + (stillYellow ? "while conflicting movement " + j + " is yellow"
                        : (timeMs - redSinceMs[j]) + " ms after conflicting movement " + j + " turned red (all-red " + allRedMs + " ms)"));
                    break;
                }
            }
        }
        for (int i = 0; i < n; i++)
        {
            final int now = aspect(state.charAt(i));
            if (now == YELLOW && aspect[i] != YELLOW && aspect[i] != GREEN)
            {
                yellowSinceMs[i] = timeMs; // red to yellow: odd, but time it from here
            }
            aspect[i] = now;
        }
        return violations + conflictCheck(timeMs, state);
    }

    private int shortYellow(final int movement, final long timeMs, final long yellowMs)
    {
        shortYellows++;
        note(timeMs, "movement " + movement + " went red after " + yellowMs + " ms of yellow (at least " + yellowMinMs + " ms)");
        return 1;
    }

    private int conflictCheck(final long timeMs, final CharSequence state)
    {
        for (int i = 0; i < n; i++)
        {
            if (aspect(state.charAt(i)) != GREEN)
            {
                continue;
            }
            for (int j = i + 1; j < n; j++)
            {
                if (!light.conflicts(i, j) || aspect(state.charAt(j)) != GREEN)
                {
                    continue;
                }
                final boolean yielding = light.permissive(i, j)
                    && ((state.charAt(i) == 'g' && light.yields(i, j)) || (state.charAt(j) == 'g' && light.yields(j, i)));
                if (!yielding)
                {
                    conflictingGreenSteps++;
                    note(timeMs, "conflicting movements " + i + " and " + j + " green together in '" + state + "'");
                    return 1;
                }
            }
        }
        return 0;
    }

    private void note(final long timeMs, final String what)
    {
        if (firstViolation == null)
        {
            firstViolation = "traffic light " + light.id() + " at " + timeMs / 1000.0 + " s: " + what;
        }
    }

    public TrafficLight light()
    {
        return light;
    }

    /** Steps with two conflicting movements green together (not a yielding permissive pair). */
    public long conflictingGreenSteps()
    {
        return conflictingGreenSteps;
    }

    /** Movements that went from green to red with too short a yellow. */
    public long shortYellows()
    {
        return shortYellows;
    }

    /** Green onsets before a conflicting movement had cleared (yellow, or red for less than the all-red). */
    public long shortAllReds()
    {
        return shortAllReds;
    }

    public long violations()
    {
        return conflictingGreenSteps + shortYellows + shortAllReds;
    }

    /** The first violation seen, in words, or null. */
    public String firstViolation()
    {
        return firstViolation;
    }
}
