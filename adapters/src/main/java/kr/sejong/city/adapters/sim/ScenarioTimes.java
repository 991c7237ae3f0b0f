package kr.sejong.city.adapters.sim;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The instants of a scenario that starts on a local date at a local time of day and runs for some hours: shared by
 * the scenario kinds of {@code bin/city simulate} whose times of day in the file may pass midnight.
 */
public final class ScenarioTimes
{
    private ScenarioTimes()
    {
    }

    /** The run's first instant, ns since the epoch. */
    public static long startNs(final LocalDate date, final LocalTime start, final ZoneId zone)
    {
        return date.atTime(start).atZone(zone).toEpochSecond() * 1_000_000_000L;
    }

    public static long durationNs(final double hours)
    {
        return Math.round(hours * 3600e9);
    }

    /** The instant of a time of day within the run: on the start date, or the next day when before {@code start}. */
    public static long atNs(final LocalDate date, final LocalTime start, final ZoneId zone, final LocalTime timeOfDay)
    {
        final LocalDate day = timeOfDay.isBefore(start) ? date.plusDays(1) : date;
        return day.atTime(timeOfDay).atZone(zone).toEpochSecond() * 1_000_000_000L + timeOfDay.getNano();
    }
}
