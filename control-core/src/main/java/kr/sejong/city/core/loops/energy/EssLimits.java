package kr.sejong.city.core.loops.energy;

/**
 * What a battery may do in the next tick without leaving its state-of-charge window or its power
 * rating. The measured state of charge has a resolution of one permille, so the window is taken one
 * permille narrower on each side ({@link #GUARD_PERMILLE}): the true state of charge then stays inside
 * the configured one whatever the rounding.
 */
public final class EssLimits
{
    /** Reading resolution of {@code socPermille}, kept as a guard inside each SoC limit. */
    public static final int GUARD_PERMILLE = 1;

    private EssLimits()
    {
    }

    /**
     * Largest discharging power, W, as a positive number.
     *
     * @param socPermille      measured state of charge.
     * @param minSocPermille   lowest allowed state of charge.
     * @param capacityWh       usable energy at 100 %.
     * @param maxDischargeW    rating.
     * @param tickNs           time until the next decision.
     */
    public static long maxDischargeW(
        final int socPermille,
        final int minSocPermille,
        final long capacityWh,
        final long maxDischargeW,
        final long tickNs)
    {
        final int roomPermille = socPermille - (minSocPermille + GUARD_PERMILLE);
        if (roomPermille <= 0)
        {
            return 0;
        }
        return Math.min(maxDischargeW, energyToPowerW(capacityWh * roomPermille / 1000.0, tickNs));
    }

    /** Largest charging power, W, as a positive number; as {@link #maxDischargeW} towards the upper limit. */
    public static long maxChargeW(
        final int socPermille,
        final int maxSocPermille,
        final long capacityWh,
        final long maxChargeW,
        final long tickNs)
    {
        final int roomPermille = (maxSocPermille - GUARD_PERMILLE) - socPermille;
        if (roomPermille <= 0)
        {
            return 0;
        }
        return Math.min(maxChargeW, energyToPowerW(capacityWh * roomPermille / 1000.0, tickNs));
    }

    /** The power that moves {@code energyWh} in {@code durationNs}, W, rounded down. */
    static long energyToPowerW(final double energyWh, final long durationNs)
    {
        if (durationNs <= 0)
        {
            return Long.MAX_VALUE;
        }
        final double powerW = energyWh * 3600e9 / durationNs;
        return powerW >= Long.MAX_VALUE ? Long.MAX_VALUE : (long)powerW;
    }

    /** Usable energy above the lower limit, Wh (0 when at or below it). */
    public static double usableWh(final int socPermille, final int minSocPermille, final long capacityWh)
    {
        return Math.max(0, socPermille - (minSocPermille + GUARD_PERMILLE)) * capacityWh / 1000.0;
    }

    /** Room below the upper limit, Wh (0 when at or above it). */
    public static double roomWh(final int socPermille, final int maxSocPermille, final long capacityWh)
    {
        return Math.max(0, (maxSocPermille - GUARD_PERMILLE) - socPermille) * capacityWh / 1000.0;
    }

    /**
     * Share a total ESS power among units in proportion to what each can give in that direction
     * (so that all reach their limits together), never beyond any unit's limit.
     *
     * @param totalW        wanted sum: positive charges, negative discharges.
     * @param maxChargeW    per unit, positive.
     * @param maxDischargeW per unit, positive.
     * @param count         units in use.
     * @param out           set-point per unit.
     * @return the sum actually allocated (equal to {@code totalW} unless beyond the units' sum).
     */
    public static long share(final long totalW, final long[] maxChargeW, final long[] maxDischargeW, final int count, final long[] out)
    {
        long capacityW = 0;
        for (int i = 0; i < count; i++)
        {
            capacityW += totalW >= 0 ? maxChargeW[i] : maxDischargeW[i];
        }
        final long wantW = Math.min(Math.abs(totalW), capacityW);
        long allocatedW = 0;
        for (int i = 0; i < count; i++)
        {
            final long limitW = totalW >= 0 ? maxChargeW[i] : maxDischargeW[i];
            final long partW = capacityW == 0 ? 0 : (long)((double)wantW * limitW / capacityW);
            out[i] = totalW >= 0 ? partW : -partW;
            allocatedW += partW;
        }
        // rounding leaves at most a few W: give them to the first unit with room
        long restW = wantW - allocatedW;
        for (int i = 0; i < count && restW > 0; i++)
        {
            final long limitW = totalW >= 0 ? maxChargeW[i] : maxDischargeW[i];
            final long addW = Math.min(restW, limitW - Math.abs(out[i]));
            if (addW > 0)
            {
                out[i] += totalW >= 0 ? addW : -addW;
                restW -= addW;
            }
        }
        return totalW >= 0 ? wantW - restW : -(wantW - restW);
    }
}
