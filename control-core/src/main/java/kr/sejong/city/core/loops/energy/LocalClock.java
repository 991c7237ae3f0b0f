package kr.sejong.city.core.loops.energy;

import java.time.Instant;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Local time of day from the loop's epoch time, for the tariff and the plan's slots, without
 * allocating: the zone's offset is cached with the interval between its transitions around the last
 * instant asked, and looked up again (one Instant and a transition or two) only when time leaves it,
 * twice a year in a zone with daylight saving, never in Korea since 1988.
 */
final class LocalClock
{
    private final ZoneRules zone;
    private long offsetNs;
    private long validFromNs = Long.MAX_VALUE;
    private long validToNs = Long.MIN_VALUE;

    LocalClock(final ZoneRules zone)
    {
        this.zone = zone;
    }

    /** Local time, ns since the local midnight of the epoch day. */
    long localNs(final long epochNs)
    {
        if (epochNs < validFromNs || epochNs >= validToNs)
        {
            lookUp(epochNs);
        }
        return epochNs + offsetNs;
    }

    /** Slot of the local day, 0 to 95. */
    int slotOfDay(final long epochNs)
    {
        return (int)(Math.floorMod(localNs(epochNs), TouPlan.DAY_NS) / TouPlan.SLOT_NS);
    }

    private void lookUp(final long epochNs)
    {
        final Instant instant = Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L));
        offsetNs = zone.getOffset(instant).getTotalSeconds() * 1_000_000_000L;
        final ZoneOffsetTransition previous = zone.previousTransition(instant.plusSeconds(1));
        final ZoneOffsetTransition next = zone.nextTransition(instant);
        validFromNs = previous == null ? Long.MIN_VALUE : previous.getInstant().getEpochSecond() * 1_000_000_000L;
        validToNs = next == null ? Long.MAX_VALUE : next.getInstant().getEpochSecond() * 1_000_000_000L;
        if (epochNs < validFromNs || epochNs >= validToNs)
        {
            // at the very instant of a transition: valid for this second only
            validFromNs = epochNs;
            validToNs = epochNs + 1;
        }
    }
}
