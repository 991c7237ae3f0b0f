package kr.sejong.city.core.loops.energy;

/**
 * The point of common coupling and its contract: import positive, export negative (bus convention).
 * The loop plans inside a margin below each limit, so that the noise of one tick (loads move between
 * two measurements) does not carry the real power over the contract.
 */
public final class PccLimit
{
    private PccLimit()
    {
    }

    /** The limit minus the planning margin: {@code limitW x (1 - marginPermille / 1000)}. */
    public static long withMarginW(final long limitW, final int marginPermille)
    {
        return limitW - limitW * marginPermille / 1000;
    }

    /**
     * Import limit in force: the contract, or lower when a demand-response event asks the district to
     * import {@code reduceW} less than its baseline. Never below zero: a reduction beyond the baseline
     * asks for no export.
     *
     * @param contractW  contract import limit (with margin).
     * @param drActive   whether a demand-response event is active now.
     * @param baselineW  import before the event.
     * @param reduceW    reduction the event asks for.
     */
    public static long importCapW(final long contractW, final boolean drActive, final long baselineW, final long reduceW)
    {
        if (!drActive)
        {
            return contractW;
        }
        return Math.max(0, Math.min(contractW, baselineW - reduceW));
    }

    /** Power above the import cap, W (0 when within). */
    public static long excessImportW(final long plannedPccW, final long importCapW)
    {
        return Math.max(0, plannedPccW - importCapW);
    }

    /** Export beyond the export limit (given as a positive number), W, as a positive number (0 when within). */
    public static long excessExportW(final long plannedPccW, final long exportLimitW)
    {
        return Math.max(0, -plannedPccW - exportLimitW);
    }

    /** Whether a PCC power is within both limits. */
    public static boolean within(final long pccW, final long importLimitW, final long exportLimitW)
    {
        return pccW <= importLimitW && pccW >= -exportLimitW;
    }
}
