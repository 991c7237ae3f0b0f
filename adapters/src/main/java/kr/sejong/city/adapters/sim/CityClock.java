package kr.sejong.city.adapters.sim;

import java.time.Instant;
import java.time.LocalDate;
import java.time.zone.ZoneRules;

/**
 * Time of day and day of year of an epoch-nanosecond instant, in the city's time zone or in UTC.
 * Pure functions: the zone rules come from the JDK's time-zone database, never from the machine's
 * default zone.
 */
public final class CityClock
{
    public static final long SECOND_NS = 1_000_000_000L;
    public static final long MINUTE_NS = 60 * SECOND_NS;
    public static final long HOUR_NS = 60 * MINUTE_NS;
    public static final long DAY_NS = 24 * HOUR_NS;

    private CityClock()
    {
    }

    /** Offset of local time from UTC at this instant, in seconds (daylight saving included). */
    public static int utcOffsetSeconds(final ZoneRules rules, final long epochNs)
    {
        return rules.getOffset(Instant.ofEpochSecond(Math.floorDiv(epochNs, SECOND_NS))).getTotalSeconds();
    }

    /** Local time of day in hours, [0, 24). */
    public static double localHourOfDay(final ZoneRules rules, final long epochNs)
    {
        final long localNs = epochNs + utcOffsetSeconds(rules, epochNs) * SECOND_NS;
        return (double)Math.floorMod(localNs, DAY_NS) / HOUR_NS;
    }

    /** UTC time of day in hours, [0, 24). */
    public static double utcHourOfDay(final long epochNs)
    {
        return (double)Math.floorMod(epochNs, DAY_NS) / HOUR_NS;
    }

    /** Day of the year of the UTC date, 1 to 366. */
    public static int utcDayOfYear(final long epochNs)
    {
        return LocalDate.ofEpochDay(Math.floorDiv(epochNs, DAY_NS)).getDayOfYear();
    }

    /**
     * The first multiple of {@code periodNs} (counted from the epoch) at or after {@code fromNs}: periodic
     * messages fall on the same instants whatever the step size.
     */
    public static long firstBoundaryAtOrAfter(final long fromNs, final long periodNs)
    {
        return -Math.floorDiv(-fromNs, periodNs) * periodNs;
    }
}
