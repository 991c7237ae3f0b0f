package kr.sejong.city.core.loops.energy;

/**
 * An operator's manual set-point (the manual mode of an energy management system) against what the device
 * and the point of common coupling allow. The operator's value replaces the loop's own economic choice for
 * that device (self-consumption, time of use, demand response, EV scheduling); safety still wins: the PCC
 * limits, the droop response added on top, and the device's state-of-charge window and ratings. These are
 * the clamping steps, each a pure function; {@link Balancer} applies them in that order.
 * <p>
 * Power in W, bus convention (drawn from the bus positive). For an ESS the operator's value is the power to
 * run at; for a charger it is a cap on its power (0 stops charging; negative, only with V2G, asks for at
 * least that much discharge).
 */
public final class OperatorSetpoints
{
    /** Longest hold the loop accepts: a day. A forgotten manual set-point must not stay for ever. */
    public static final long MAX_HOLD_MS = 86_400_000L;

    private OperatorSetpoints()
    {
    }

    /**
     * Whether a value is within an ESS's physical range, its ratings. Outside it the set-point is refused
     * (it is a mistake, not something to clamp); inside it the SoC window may still clamp it on a Tick.
     */
    public static boolean essInRange(final long powerW, final long maxChargeW, final long maxDischargeW)
    {
        return powerW >= -maxDischargeW && powerW <= maxChargeW;
    }

    /** Whether a charger cap is within the charger's physical range: 0 to its rating, or down to minus its rating with V2G. */
    public static boolean chargerInRange(final long powerW, final long ratedW, final boolean v2g)
    {
        return powerW <= ratedW && powerW >= (v2g ? -ratedW : 0);
    }

    /** Whether a hold is one the loop accepts: 1 ms to {@link #MAX_HOLD_MS}. */
    public static boolean holdInRange(final long holdMs)
    {
        return holdMs >= 1 && holdMs <= MAX_HOLD_MS;
    }

    /** When a hold from {@code stampNs} ends, ns (saturating). */
    public static long untilNs(final long stampNs, final long holdMs)
    {
        final long holdNs = holdMs * 1_000_000L;
        return stampNs > Long.MAX_VALUE - holdNs ? Long.MAX_VALUE : stampNs + holdNs;
    }

    /**
     * The ESS value for this Tick: the operator's, within what the unit may do in one Tick without leaving
     * its SoC window or rating ({@link EssLimits#maxChargeW}, {@link EssLimits#maxDischargeW}).
     *
     * @param requestW      the operator's value.
     * @param maxChargeW    what the unit may charge this Tick, positive.
     * @param maxDischargeW what the unit may discharge this Tick, positive.
     */
    public static long essClampW(final long requestW, final long maxChargeW, final long maxDischargeW)
    {
        return Math.max(-maxDischargeW, Math.min(maxChargeW, requestW));
    }

    /**
     * A charger cap after the session's limits: a cap of 0 or more stands as it is (the vehicle's own limits
     * are below it or not); a negative cap (V2G) goes no deeper than the session may discharge, and is 0
     * without V2G.
     *
     * @param requestW  the operator's cap.
     * @param v2gFloorW the deepest discharge the session allows now, as a negative number (0 without V2G).
     */
    public static long chargerLimitW(final long requestW, final long v2gFloorW)
    {
        return requestW >= 0 ? requestW : Math.max(requestW, Math.min(0, v2gFloorW));
    }

    /**
     * Discharge more from units under manual control to hold the import limit (priority 1), in
     * configuration order, each within what it may discharge.
     *
     * @param excessW       import above the limit, positive.
     * @param setW          per unit, its set-point; lowered in place for manual units.
     * @param maxDischargeW per unit, what it may discharge this Tick, positive.
     * @param manual        per unit, under an operator's set-point.
     * @param count         units.
     * @return the power taken.
     */
    public static long dischargeMoreW(final long excessW, final long[] setW, final long[] maxDischargeW, final boolean[] manual, final int count)
    {
        long takenW = 0;
        for (int i = 0; i < count && takenW < excessW; i++)
        {
            if (manual[i])
            {
                final long takeW = Math.max(0, Math.min(excessW - takenW, setW[i] + maxDischargeW[i]));
                setW[i] -= takeW;
                takenW += takeW;
            }
        }
        return takenW;
    }

    /**
     * Charge more (or discharge less) on units under manual control to hold the export limit, in
     * configuration order, each within what it may charge.
     *
     * @return the power taken.
     * @see #dischargeMoreW
     */
    public static long chargeMoreW(final long excessW, final long[] setW, final long[] maxChargeW, final boolean[] manual, final int count)
    {
        long takenW = 0;
        for (int i = 0; i < count && takenW < excessW; i++)
        {
            if (manual[i])
            {
                final long takeW = Math.max(0, Math.min(excessW - takenW, maxChargeW[i] - setW[i]));
                setW[i] += takeW;
                takenW += takeW;
            }
        }
        return takenW;
    }
}
