package kr.sejong.city.core.loops.energy;

/**
 * Deadline-aware charging. Each session needs {@code remainingWh} before its departure; charging at
 * the lowest constant power that still delivers it (with a safety margin before departure) leaves
 * the rest of the charger's power flexible: the loop can defer it when the PCC or a demand-response
 * event needs room, and give it when PV would be exported or energy is cheap. When power has to be
 * taken from sessions, the one with the most laxity (slack before it must charge at full power)
 * gives first: least-laxity-first keeps the tight deadlines.
 */
public final class EvScheduling
{
    private EvScheduling()
    {
    }

    /**
     * Slack of a session, ns: time to departure minus the time charging at full power takes.
     * Negative when the deadline can no longer be met.
     */
    public static long laxityNs(final long remainingWh, final long timeLeftNs, final long maxChargeW)
    {
        if (remainingWh <= 0)
        {
            return Long.MAX_VALUE;
        }
        if (maxChargeW <= 0)
        {
            return Long.MIN_VALUE;
        }
        return timeLeftNs - (long)Math.ceil(remainingWh * 3600e9 / maxChargeW);
    }

    /**
     * Lowest constant power, W, that delivers {@code remainingWh} by {@code marginNs} before
     * departure; the full power when that time is already gone or the need is beyond the charger.
     */
    public static long requiredPowerW(final long remainingWh, final long timeLeftNs, final long maxChargeW, final long marginNs)
    {
        if (remainingWh <= 0 || maxChargeW <= 0)
        {
            return 0;
        }
        final long usableNs = timeLeftNs - marginNs;
        if (usableNs <= 0)
        {
            return maxChargeW;
        }
        final double powerW = Math.ceil(remainingWh * 3600e9 / usableNs);
        return powerW >= maxChargeW ? maxChargeW : (long)powerW;
    }

    /**
     * Energy a session still needs after charging at {@code powerW} for {@code durationNs}, Wh (never
     * negative). V2G (negative power) adds to the need.
     */
    public static double remainingAfterWh(final double remainingWh, final long powerW, final long durationNs)
    {
        return Math.max(0.0, remainingWh - powerW * (durationNs / 3600e9));
    }

    /**
     * Power a session drew over {@code durationNs} at set-point {@code powerW}, W: all of it, or, charging,
     * only what its remaining need took (a vehicle stops when it is full). V2G is taken as sent.
     */
    public static long drawnW(final double remainingWh, final long powerW, final long durationNs)
    {
        if (powerW <= 0 || durationNs <= 0)
        {
            return powerW;
        }
        final double limitW = Math.max(0.0, remainingWh) * 3600e9 / durationNs;
        return limitW >= powerW ? powerW : (long)limitW;
    }

    /**
     * Take {@code reduceW} from the sessions' set-points, most laxity first, never below each
     * session's floor.
     *
     * @param setpointW per session, the planned charging power; lowered in place.
     * @param floorW    per session, the lowest power it may be given.
     * @param laxityNs  per session.
     * @param count     sessions.
     * @param reduceW   power to take.
     * @return power actually taken.
     */
    public static long shedByLaxity(
        final long[] setpointW,
        final long[] floorW,
        final long[] laxityNs,
        final int count,
        final long reduceW)
    {
        long takenW = 0;
        long lastLaxity = Long.MAX_VALUE;
        int lastIndex = -1;
        // selection in place (no sorting buffer): the next session below the last (laxity, index) pair
        while (takenW < reduceW)
        {
            int pick = -1;
            for (int i = 0; i < count; i++)
            {
                if (setpointW[i] <= floorW[i] || !before(laxityNs[i], i, lastLaxity, lastIndex))
                {
                    continue;
                }
                if (pick < 0 || after(laxityNs[i], i, laxityNs[pick], pick))
                {
                    pick = i;
                }
            }
            if (pick < 0)
            {
                break;
            }
            final long takeW = Math.min(reduceW - takenW, setpointW[pick] - floorW[pick]);
            setpointW[pick] -= takeW;
            takenW += takeW;
            lastLaxity = laxityNs[pick];
            lastIndex = pick;
        }
        return takenW;
    }

    /**
     * Give up to {@code addW} more to the sessions, least laxity first, never above each session's ceiling.
     *
     * @return power actually given.
     */
    public static long giveByLaxity(
        final long[] setpointW,
        final long[] ceilingW,
        final long[] laxityNs,
        final int count,
        final long addW)
    {
        long givenW = 0;
        long lastLaxity = Long.MIN_VALUE;
        int lastIndex = -1;
        while (givenW < addW)
        {
            int pick = -1;
            for (int i = 0; i < count; i++)
            {
                if (setpointW[i] >= ceilingW[i] || !after(laxityNs[i], i, lastLaxity, lastIndex))
                {
                    continue;
                }
                if (pick < 0 || before(laxityNs[i], i, laxityNs[pick], pick))
                {
                    pick = i;
                }
            }
            if (pick < 0)
            {
                break;
            }
            final long giveW = Math.min(addW - givenW, ceilingW[pick] - setpointW[pick]);
            setpointW[pick] += giveW;
            givenW += giveW;
            lastLaxity = laxityNs[pick];
            lastIndex = pick;
        }
        return givenW;
    }

    /** (laxity, index) ordering: ties on laxity broken by index, so the order is total and deterministic. */
    private static boolean before(final long laxity, final int index, final long otherLaxity, final int otherIndex)
    {
        return laxity < otherLaxity || (laxity == otherLaxity && index < otherIndex);
    }

    private static boolean after(final long laxity, final int index, final long otherLaxity, final int otherIndex)
    {
        return laxity > otherLaxity || (laxity == otherLaxity && index > otherIndex);
    }
}
