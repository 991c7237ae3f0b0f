package kr.sejong.city.core.loops.mobility;

import java.util.Arrays;

/**
 * Copies of some shuttles' plans as the dispatch loop's search found them, and of what the rides on those plans hold
 * (held boarding, planned pickup and drop-off, shuttle), so that {@link DispatchLoop} can put them back exactly: the
 * state before a Tick's ruin-and-recreate search and before one of its iterations. Flat,
 * preallocated arrays; {@link #clear} forgets the copies without touching them. The loop does the copying (it owns the
 * plans); this holds them and knows which shuttle is where.
 */
final class SavedPlans
{
    final int capacity;
    int count;
    /** Per copy: the shuttle index. */
    final int[] shuttle;
    /** Per copy: the plan's cost ({@code planCost}) when it was saved. */
    final double[] cost;
    final int[] length;
    final int[][] node;
    final int[][] action;
    final int[][] ref;
    final long[][] etaNs;
    final long[][] boardNotBeforeNs;
    final long[][] pickupNs;
    final long[][] dropoffNs;
    final int[][] rideShuttle;
    final long[] headArrNs;
    final long[] departNs;
    final boolean[] headArrived;
    final boolean[] feasible;
    final int[] mode;
    /** Per shuttle of the fleet: its copy, -1 when none. */
    private final int[] copyOf;

    SavedPlans(final int capacity, final int shuttles, final int maxPlan)
    {
        this.capacity = capacity;
        shuttle = new int[capacity];
        cost = new double[capacity];
        length = new int[capacity];
        node = new int[capacity][maxPlan];
        action = new int[capacity][maxPlan];
        ref = new int[capacity][maxPlan];
        etaNs = new long[capacity][maxPlan];
        boardNotBeforeNs = new long[capacity][maxPlan];
        pickupNs = new long[capacity][maxPlan];
        dropoffNs = new long[capacity][maxPlan];
        rideShuttle = new int[capacity][maxPlan];
        headArrNs = new long[capacity];
        departNs = new long[capacity];
        headArrived = new boolean[capacity];
        feasible = new boolean[capacity];
        mode = new int[capacity];
        copyOf = new int[shuttles];
        Arrays.fill(copyOf, -1);
    }

    /** The copy of shuttle {@code s}, -1 when none. */
    int copyOf(final int s)
    {
        return copyOf[s];
    }

    /** A new copy for shuttle {@code s} (the caller fills it), -1 when full; {@code s} must have none. */
    int add(final int s)
    {
        if (count == capacity)
        {
            return -1;
        }
        final int t = count++;
        shuttle[t] = s;
        copyOf[s] = t;
        return t;
    }

    void clear()
    {
        for (int t = 0; t < count; t++)
        {
            copyOf[shuttle[t]] = -1;
        }
        count = 0;
    }
}
