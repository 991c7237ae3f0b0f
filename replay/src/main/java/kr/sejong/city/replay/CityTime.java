package kr.sejong.city.replay;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the audit tools print a journal's logical time: as a wall-clock time in the city's zone when it
 * is epoch time (live mode, or a simulation that starts at a real date), else as seconds of the
 * simulation's own clock.
 */
public final class CityTime
{
    /** The city's time zone (config: city.timeZone). */
    public static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    /** Logical times at or after 2000-01-01T00:00:00Z are taken for epoch time; earlier ones are a simulation's seconds. */
    public static final long EPOCH_FROM_NS = 946_684_800_000_000_000L;

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);

    private CityTime()
    {
    }

    public static boolean looksLikeEpoch(final long timeNs)
    {
        return timeNs >= EPOCH_FROM_NS;
    }

    public static Instant instant(final long timeNs)
    {
        return Instant.ofEpochSecond(Math.floorDiv(timeNs, 1_000_000_000L), Math.floorMod(timeNs, 1_000_000_000L));
    }

    /** ISO-8601 with milliseconds and offset in {@code zone} (2026-11-25T17:00:00.250+09:00), or "12.250 s" for logical seconds. */
    public static String format(final long timeNs, final ZoneId zone)
    {
        if (looksLikeEpoch(timeNs))
        {
            return ISO_MILLIS.format(instant(timeNs).atZone(zone));
        }
        return String.format(Locale.ROOT, "%.3f s", timeNs / 1e9);
    }

    /** A range bound as a reader wants it: "sequence 12" or a time as {@link #format}. */
    public static String format(final Position position, final ZoneId zone)
    {
        return position.isSequence() ? "sequence " + position.sequence() : format(position.timeNs(), zone);
    }
}
