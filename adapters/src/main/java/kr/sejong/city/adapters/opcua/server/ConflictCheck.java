package kr.sejong.city.adapters.opcua.server;

/**
 * The field controller's own conflict monitor, independent of the node's: a signal state it is told to show
 * must have one letter per movement, only SUMO's letters {@code rRgGyYuoOs}, and never green ({@code G} or
 * {@code g}) two movements that the topology's Conflicts matrix says may not be green together.
 * <p>
 * The one exception is the one real controllers make for permissive turns: a conflicting pair that the
 * controller's own program shows green together, one of them yielding ({@code g}), may again be green
 * together while at least one of the two shows {@code g}. Without it the controller would refuse its own
 * program.
 */
public final class ConflictCheck
{
    /** SUMO's signal letters. */
    public static final String LETTERS = "rRgGyYuoOs";

    private final ControllerTopology topology;
    private final boolean[][] permissive;

    public ConflictCheck(final ControllerTopology topology)
    {
        this.topology = topology;
        final int n = topology.movementCount();
        permissive = new boolean[n][n];
        for (final String state : topology.programStates())
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (i != j && topology.conflicts(i, j) && isGreen(state.charAt(i)) && isGreen(state.charAt(j)) &&
                        (state.charAt(i) == 'g' || state.charAt(j) == 'g'))
                    {
                        permissive[i][j] = true;
                    }
                }
            }
        }
    }

    /**
     * Checks a state.
     *
     * @return null when it may be shown, else what is wrong with it, in words.
     */
    public String problem(final String state)
    {
        final int n = topology.movementCount();
        if (state == null)
        {
            return "SignalState is missing";
        }
        if (state.length() != n)
        {
            return "SignalState has " + state.length() + " letters, " + topology.name() + " has " + n + " movements";
        }
        for (int m = 0; m < n; m++)
        {
            if (LETTERS.indexOf(state.charAt(m)) < 0)
            {
                return "SignalState letter " + m + " '" + state.charAt(m) + "' is not one of " + LETTERS;
            }
        }
        for (int i = 0; i < n; i++)
        {
            if (!isGreen(state.charAt(i)))
            {
                continue;
            }
            for (int j = i + 1; j < n; j++)
            {
                if (isGreen(state.charAt(j)) && topology.conflicts(i, j) &&
                    !(permissive[i][j] && (state.charAt(i) == 'g' || state.charAt(j) == 'g')))
                {
                    return "SignalState greens conflicting movements " + i + " and " + j + " ('" + state.charAt(i) + "', '" +
                        state.charAt(j) + "')";
                }
            }
        }
        return null;
    }

    /** Whether {@code i} and {@code j} conflict yet the controller's own program greens them together, one yielding. */
    boolean permissive(final int i, final int j)
    {
        return permissive[i][j];
    }

    static boolean isGreen(final char letter)
    {
        return letter == 'G' || letter == 'g';
    }
}
