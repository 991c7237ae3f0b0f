package kr.sejong.city.core.loop;

import java.time.Instant;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Local time of day from a loop's epoch (logical) time, for tariffs, plan slots and timetables, without
 * allocating: the zone's offset is cached with the interval between its transitions around the last
 * instant asked, and looked up again (one Instant and a transition or two) only when time leaves it,
 * twice a year in a zone with daylight saving, never in Korea since 1988.
 */
public final class LocalClock
{
    private final ZoneRules zone;
    private long offsetNs;
    private long validFromNs = Long.MAX_VALUE;
    private long validToNs = Long.MIN_VALUE;

    /** Day length, ns. */
    public static final long DAY_NS = 86_400_000_000_000L;

    public LocalClock(final ZoneRules zone)
    {
        this.zone = zone;
    }

    /** Local time, ns since the local midnight of the epoch day. */
    public long localNs(final long epochNs)
    {
        if (epochNs < validFromNs || epochNs >= validToNs)
        {
            lookUp(epochNs);
        }
        return epochNs + offsetNs;
    }

    /** ns since the local midnight of the day {@code epochNs} falls in. */
    public long nsOfDay(final long epochNs)
    {
        return Math.floorMod(localNs(epochNs), DAY_NS);
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
