package kr.sejong.city.replay;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * A point in a journal given on the command line: a sequence number (digits) or a time (an ISO-8601
 * instant such as 2026-11-25T08:00:00Z, or a local date-time in the city's zone).
 */
public record Position(Long sequence, Long timeNs)
{
    public static Position ofSequence(final long sequence)
    {
        return new Position(sequence, null);
    }

    public static Position ofTime(final long timeNs)
    {
        return new Position(null, timeNs);
    }

    public static Position parse(final String text, final ZoneId zone)
    {
        final String value = text.trim();
        if (value.matches("\\d+"))
        {
            return ofSequence(Long.parseLong(value));
        }
        try
        {
            final Instant instant = value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")
                ? Instant.parse(value)
                : LocalDateTime.parse(value).atZone(zone).toInstant();
            return ofTime(instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
        }
        catch (final DateTimeParseException ex)
        {
            throw new ReplayException("'" + text + "' is neither a sequence number nor a time (e.g. 2026-11-25T08:00:00Z"
                + " or 2026-11-25T17:00:00 in " + zone + ")");
        }
    }

    public boolean isSequence()
    {
        return sequence != null;
    }

    /** Whether a journal entry with this sequence and time is at or after this position. */
    public boolean reachedBy(final long entrySequence, final long entryTimeNs)
    {
        return isSequence() ? entrySequence >= sequence : entryTimeNs >= timeNs;
    }

    /** Whether a journal entry with this sequence and time is past this position (for an end bound). */
    public boolean passedBy(final long entrySequence, final long entryTimeNs)
    {
        return isSequence() ? entrySequence > sequence : entryTimeNs > timeNs;
    }

    @Override
    public String toString()
    {
        if (isSequence())
        {
            return "sequence " + sequence;
        }
        return Instant.ofEpochSecond(timeNs / 1_000_000_000L, timeNs % 1_000_000_000L).toString();
    }
}
