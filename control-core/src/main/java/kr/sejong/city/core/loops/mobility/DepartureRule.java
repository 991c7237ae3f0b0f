package kr.sejong.city.core.loops.mobility;

/**
 * When a shuttle that stands at a stop (idle, or done with a visit) leaves for its plan's first stop: the rule the
 * dispatch loop and every fleet apply alike (docs/shuttle-dispatch.md, "How the fleet executes a plan"), from fields a
 * ShuttlePlan already carries.
 * <p>
 * When the first visit of the plan is pickups only (PICKUP entries, and REBALANCE entries left by cancelled riders, at
 * least one PICKUP) and is at another stop, the shuttle waits where it is until the visit's earliest boarding time
 * ({@code notBeforeNs}) less the fastest drive there (the network's time) times {@value #DRIVE_FACTOR} less
 * {@value #MARGIN_S} s, and then leaves; otherwise it leaves at once. Waiting where it stands instead of at the pickup
 * changes no begin of service (it still arrives before the first rider may board), and until it leaves, its plan,
 * the first stop included, may still change without a metre driven in vain. The factor and the margin leave room for
 * travel times longer than the network's.
 */
public final class DepartureRule
{
    /** The drive to the first stop is allowed this many times the network's time. */
    public static final double DRIVE_FACTOR = 1.25;
    /** And this much more, in seconds. */
    public static final int MARGIN_S = 60;
    /** No wait: the shuttle leaves at once. */
    public static final long AT_ONCE = Long.MIN_VALUE;

    private static final long S = 1_000_000_000L;

    private DepartureRule()
    {
    }

    /**
     * The time a standing shuttle leaves for a first visit of pickups whose earliest boarding is {@code firstBoardingNs},
     * {@code driveS} away by the network; {@link #AT_ONCE} when {@code firstBoardingNs} is {@link #AT_ONCE} (a visit that
     * is not pickups only).
     */
    public static long leaveNs(final long firstBoardingNs, final double driveS)
    {
        if (firstBoardingNs == AT_ONCE || !(driveS < Double.POSITIVE_INFINITY))
        {
            return AT_ONCE;
        }
        return firstBoardingNs - (long)(driveS * DRIVE_FACTOR * S) - MARGIN_S * S;
    }
}
