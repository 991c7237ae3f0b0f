package kr.sejong.city.core.loops.energy;

/**
 * Net metering between neighbours, one instant at a time: a prosumer's PV first covers its own
 * households; of what is left (the surplus) at most {@code capPercent} may be sold to neighbours, and
 * only as much as the neighbours still lack; the rest is exported. What the households lack beyond
 * their own PV is imported (from neighbours or the grid: the settlement of the buyers is the business
 * systems' affair).
 */
public final class NeighbourSettlement
{
    private NeighbourSettlement()
    {
    }

    /** Own consumption covered by own production. */
    public static double selfConsumed(final double produced, final double consumed)
    {
        return Math.max(0.0, Math.min(produced, consumed));
    }

    /** Production beyond own consumption. */
    public static double surplus(final double produced, final double consumed)
    {
        return Math.max(0.0, produced - Math.max(0.0, consumed));
    }

    /**
     * Share of a prosumer's surplus sold to neighbours: at most {@code capPercent} of it, and when all
     * sellers together offer more than the neighbours lack, each sells in proportion to its offer.
     *
     * @param surplus          this prosumer's surplus.
     * @param capPercent       most of a surplus that may go to neighbours.
     * @param offeredByAll     sum over all prosumers of capPercent x surplus.
     * @param neighbourDeficit what the district's consumers lack after their own PV.
     */
    public static double soldToNeighbours(
        final double surplus,
        final double capPercent,
        final double offeredByAll,
        final double neighbourDeficit)
    {
        final double offer = Math.max(0.0, surplus) * capPercent / 100.0;
        if (offeredByAll <= 0.0 || offer <= 0.0)
        {
            return 0.0;
        }
        final double fill = Math.min(1.0, Math.max(0.0, neighbourDeficit) / offeredByAll);
        return offer * fill;
    }
}
