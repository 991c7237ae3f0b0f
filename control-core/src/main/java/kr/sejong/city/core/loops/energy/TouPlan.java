package kr.sejong.city.core.loops.energy;

/**
 * The ESS's rolling 24 h plan for time-of-use prices, in 15-minute slots.
 * <p>
 * Forecast: the net uncontrolled power (load minus PV) of each slot of the day is learned as it
 * happens (mean over the slot); a slot not yet seen takes the latest observed mean (persistence).
 * Every slot boundary the plan is made again over the next 96 slots:
 * <ol>
 *   <li>The <em>window</em> runs from now (after the current cheap run, if we are in one) to the next
 *   slot at the horizon's cheapest price: energy spent in it can only be refilled from PV surplus
 *   until then.</li>
 *   <li>Each window slot's <em>deficit</em> is the import the ESS could cover there (forecast net
 *   import, at most the ESS's power, for 15 minutes).</li>
 *   <li>The <em>discharge threshold</em> is the lowest price at which the deficits of all slots at or
 *   above that price fit the energy budget (usable energy above the reserve, plus PV surplus in the
 *   window, plus what the cheap run can still charge): the ESS discharges for self-consumption only
 *   in slots at or above it, so the stored energy goes to the dearest hours.</li>
 *   <li>In a cheap run the ESS charges from the grid, evenly over the rest of the run, the energy the
 *   window's worthwhile deficits (price x round-trip efficiency above the cheap price) and the reserve
 *   need, less the PV surplus that will come for free.</li>
 * </ol>
 * Zero allocation: every array is made once.
 */
public final class TouPlan
{
    public static final int SLOTS = 96;
    public static final long SLOT_NS = 15L * 60 * 1_000_000_000L;
    public static final long DAY_NS = SLOTS * SLOT_NS;
    private static final double SLOT_HOURS = 0.25;

    // forecast, by slot of the (local) day
    private final double[] historyW = new double[SLOTS];
    private final boolean[] seen = new boolean[SLOTS];
    private int observingSlot = -1;
    private double observedSumW;
    private long observedSamples;
    private double latestMeanW;
    private boolean anySeen;

    // working arrays of one plan, slot 0 = now
    private final long[] priceKrwPerMwh = new long[SLOTS];
    private final double[] forecastW = new double[SLOTS];
    private final double[] deficitWh = new double[SLOTS];

    // the plan in force
    private long thresholdKrwPerMwh = Long.MAX_VALUE;
    private long gridChargeW;

    /** Add one sample of the net uncontrolled power (load - PV, W) in a slot of the day. */
    public void observe(final int slotOfDay, final double netW)
    {
        if (slotOfDay != observingSlot)
        {
            closeSlot();
            observingSlot = slotOfDay;
        }
        observedSumW += netW;
        observedSamples++;
        if (!anySeen)
        {
            latestMeanW = netW; // until the first slot closes, persistence of the first sample
        }
    }

    private void closeSlot()
    {
        if (observingSlot >= 0 && observedSamples > 0)
        {
            final double meanW = observedSumW / observedSamples;
            historyW[observingSlot] = meanW;
            seen[observingSlot] = true;
            latestMeanW = meanW;
            anySeen = true;
        }
        observedSumW = 0;
        observedSamples = 0;
    }

    /** Forecast net power of a slot of the day, W. */
    public double forecastW(final int slotOfDay)
    {
        if (seen[slotOfDay])
        {
            return historyW[slotOfDay];
        }
        return anySeen || observedSamples == 0 ? latestMeanW : observedSumW / observedSamples;
    }

    /** The price array to fill before {@link #plan}: slot 0 is the current slot. */
    public long[] prices()
    {
        return priceKrwPerMwh;
    }

    /**
     * Make the plan again. Fill {@link #prices()} first.
     *
     * @param slotOfDay        current slot of the local day.
     * @param remainingSlotNs  time left in the current slot.
     * @param usableWh         ESS energy above the lower SoC limit, all units.
     * @param roomWh           ESS room below the upper SoC limit, all units.
     * @param reserveWh        energy kept for peak shaving, not for prices.
     * @param maxChargeW       ESS charging power, all units.
     * @param maxDischargeW    ESS discharging power, all units.
     * @param roundTripEfficiency energy out per energy in.
     */
    public void plan(
        final int slotOfDay,
        final long remainingSlotNs,
        final double usableWh,
        final double roomWh,
        final double reserveWh,
        final long maxChargeW,
        final long maxDischargeW,
        final double roundTripEfficiency)
    {
        for (int h = 0; h < SLOTS; h++)
        {
            forecastW[h] = forecastW((slotOfDay + h) % SLOTS);
        }
        final long cheap = min(priceKrwPerMwh, SLOTS);
        int h = 0;
        while (h < SLOTS && priceKrwPerMwh[h] == cheap)
        {
            h++;
        }
        final boolean inCheap = h > 0;
        final double cheapHoursLeft = inCheap ? (h - 1) * SLOT_HOURS + remainingSlotNs / 3600e9 : 0.0;
        final int windowStart = h;
        int windowEnd = windowStart;
        while (windowEnd < SLOTS && priceKrwPerMwh[windowEnd] != cheap)
        {
            windowEnd++;
        }
        final double efficiency = Math.sqrt(roundTripEfficiency);
        double surplusWh = 0;
        for (int i = 0; i < SLOTS; i++)
        {
            deficitWh[i] = 0;
        }
        for (int i = windowStart; i < windowEnd; i++)
        {
            deficitWh[i] = Math.min(maxDischargeW, Math.max(0.0, forecastW[i])) * SLOT_HOURS;
            surplusWh += Math.min(maxChargeW, Math.max(0.0, -forecastW[i])) * SLOT_HOURS * efficiency;
        }
        final double chargeableWh = inCheap ? Math.min(roomWh, maxChargeW * cheapHoursLeft) : 0.0;
        final double budgetWh = Math.max(0.0, usableWh - reserveWh) + surplusWh + chargeableWh;
        thresholdKrwPerMwh = dischargeThreshold(priceKrwPerMwh, deficitWh, windowStart, windowEnd, budgetWh);

        gridChargeW = 0;
        if (inCheap && cheapHoursLeft > 0)
        {
            double worthWh = 0;
            for (int i = windowStart; i < windowEnd; i++)
            {
                if (priceKrwPerMwh[i] * roundTripEfficiency > cheap && priceKrwPerMwh[i] >= thresholdKrwPerMwh)
                {
                    worthWh += deficitWh[i];
                }
            }
            gridChargeW = gridChargePowerW(worthWh + reserveWh, surplusWh, usableWh, roomWh, cheapHoursLeft, maxChargeW);
        }
    }

    /**
     * Lowest price at which the deficits of all window slots at or above it fit the budget; the
     * highest price in the window when not even those fit; {@link Long#MAX_VALUE} (never discharge)
     * for an empty window. Pure: scans the distinct prices from the top, no sorting buffer.
     */
    public static long dischargeThreshold(
        final long[] price,
        final double[] deficitWh,
        final int from,
        final int to,
        final double budgetWh)
    {
        long level = Long.MAX_VALUE;
        long threshold = Long.MAX_VALUE;
        while (true)
        {
            // the next lower distinct price in the window
            long next = Long.MIN_VALUE;
            for (int i = from; i < to; i++)
            {
                if (price[i] < level && price[i] > next)
                {
                    next = price[i];
                }
            }
            if (next == Long.MIN_VALUE)
            {
                return threshold;
            }
            double needWh = 0;
            for (int i = from; i < to; i++)
            {
                if (price[i] >= next)
                {
                    needWh += deficitWh[i];
                }
            }
            if (needWh > budgetWh && threshold != Long.MAX_VALUE)
            {
                return threshold;
            }
            threshold = next;
            level = next;
            if (needWh > budgetWh)
            {
                return threshold; // not even the dearest slots fit: discharge there only
            }
        }
    }

    /**
     * Grid charging power in a cheap run, W: the energy still to store ({@code neededWh} less the coming
     * PV surplus and what is already stored), spread evenly over the hours left, within the room and
     * the rating.
     */
    public static long gridChargePowerW(
        final double neededWh,
        final double surplusWh,
        final double usableWh,
        final double roomWh,
        final double hoursLeft,
        final long maxChargeW)
    {
        final double toStoreWh = Math.min(roomWh, neededWh - surplusWh - usableWh);
        if (!(toStoreWh > 0) || !(hoursLeft > 0))
        {
            return 0;
        }
        return Math.min(maxChargeW, (long)Math.ceil(toStoreWh / hoursLeft));
    }

    private static long min(final long[] values, final int count)
    {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < count; i++)
        {
            min = Math.min(min, values[i]);
        }
        return min;
    }

    /** Price at or above which the ESS may discharge for self-consumption. */
    public long thresholdKrwPerMwh()
    {
        return thresholdKrwPerMwh;
    }

    /** Planned charging from the grid now, W (0 outside cheap runs). */
    public long gridChargeW()
    {
        return gridChargeW;
    }

    void snapshot(final kr.sejong.city.core.loop.StateWriter out)
    {
        for (int i = 0; i < SLOTS; i++)
        {
            out.putDouble(historyW[i]).putBoolean(seen[i]);
        }
        out.putInt(observingSlot).putDouble(observedSumW).putLong(observedSamples).putDouble(latestMeanW).putBoolean(anySeen);
        out.putLong(thresholdKrwPerMwh).putLong(gridChargeW);
    }

    void restore(final kr.sejong.city.core.loop.StateReader in)
    {
        for (int i = 0; i < SLOTS; i++)
        {
            historyW[i] = in.getDouble();
            seen[i] = in.getBoolean();
        }
        observingSlot = in.getInt();
        observedSumW = in.getDouble();
        observedSamples = in.getLong();
        latestMeanW = in.getDouble();
        anySeen = in.getBoolean();
        thresholdKrwPerMwh = in.getLong();
        gridChargeW = in.getLong();
    }
}
