package kr.sejong.city.core.loops.energy;

/**
 * What the loop knows of the microgrid at a Tick: the latest good measurements, the charging
 * sessions, the set-points in force, and the plan's figures. Filled by {@link EnergyLoop} from its
 * inputs and read by {@link Balancer}; tests fill it by hand. Arrays are indexed like the
 * configuration lists of {@link EnergySettings}. Power in W, bus sign convention (drawn positive).
 */
public final class GridState
{
    public long nowNs;
    /** Time until the next decision (the Tick period). */
    public long tickNs;

    public boolean pccOk;
    public long pccW;
    public boolean loadOk;
    public long loadW;
    public boolean frequencyOk;
    public int frequencyMilliHz;

    public final boolean[] essOk;
    /** Measured power of a unit when ok, else the set-point in force. */
    public final long[] essW;
    public final int[] essSocPermille;

    public final boolean[] pvOk;
    /** Measured output (negative). */
    public final long[] pvW;
    /** Output limit in force, as a positive number (the peak when not curtailed). */
    public final long[] pvLimitW;

    public final boolean[] chargerOk;
    public final boolean[] sessionActive;
    public final double[] remainingWh;
    public final long[] departureNs;
    public final long[] sessionMaxChargeW;
    public final long[] sessionMaxDischargeW;
    public final boolean[] v2gAllowed;
    /** Charger set-point in force (what the charger does now). */
    public final long[] chargerW;
    /**
     * What each charger drew since the last Tick as the loop reckons it: the set-point, or less when the
     * vehicle's remaining need ran out (a full vehicle stops drawing before its set-point changes).
     */
    public final long[] chargerDrawnW;

    /**
     * Per ESS: under an operator's set-point (manual control) this Tick, and the operator's value. The loop
     * sets and clears these from OperatorSetpoint inputs and the hold's end.
     */
    public final boolean[] essManual;
    public final long[] essManualW;
    /** Per charger: under an operator's cap this Tick, and the cap (0 stops charging; negative: V2G at least that much). */
    public final boolean[] chargerManual;
    public final long[] chargerCapW;

    /** Reduction in force per controllable load, positive. */
    public final long[] loadReductionW;

    public boolean drActive;
    public long drBaselineW;
    public long drReduceW;

    public long importPriceKrwPerMwh;
    /** From the ToU plan: self-consumption discharge only at or above this price. */
    public long dischargeThresholdKrwPerMwh;
    /** From the ToU plan: charging from the grid now. */
    public long gridChargeW;
    /** Whether the current slot is the horizon's cheapest (flexible EV charging goes ahead). */
    public boolean cheapSlot;
    /** ESS energy above the lower SoC limits, Wh, and the part of it kept for peak shaving. */
    public double essUsableWh;
    public double essReserveWh;

    public GridState(final EnergySettings settings)
    {
        final int ess = settings.essIds.length;
        essOk = new boolean[ess];
        essW = new long[ess];
        essSocPermille = new int[ess];
        essManual = new boolean[ess];
        essManualW = new long[ess];
        final int pv = settings.pvIds.length;
        pvOk = new boolean[pv];
        pvW = new long[pv];
        pvLimitW = new long[pv];
        System.arraycopy(settings.pvPeakW, 0, pvLimitW, 0, pv);
        final int chargers = settings.chargerIds.length;
        chargerOk = new boolean[chargers];
        sessionActive = new boolean[chargers];
        remainingWh = new double[chargers];
        departureNs = new long[chargers];
        sessionMaxChargeW = new long[chargers];
        sessionMaxDischargeW = new long[chargers];
        v2gAllowed = new boolean[chargers];
        chargerW = new long[chargers];
        chargerDrawnW = new long[chargers];
        chargerManual = new boolean[chargers];
        chargerCapW = new long[chargers];
        loadReductionW = new long[settings.loadIds.length];
    }
}
