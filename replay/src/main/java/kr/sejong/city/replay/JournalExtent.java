package kr.sejong.city.replay;

import kr.sejong.city.core.journal.Journal;
import kr.sejong.city.core.journal.JournalReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

/**
 * The first and last whole entries of a data directory's ingress journal (the times are those of the
 * first and last entries stamped with a time, in simulated mode the first Tick's), and the checks every audit
 * tool makes before reading it: a data directory with a journal of this schema, and a range that
 * overlaps it. Each failure is one {@link ReplayException} with a message a user can act on.
 */
public record JournalExtent(Path dataDir, long firstSequence, long firstTimeNs, long lastSequence, long lastTimeNs)
{
    public static JournalExtent of(final Path dataDir)
    {
        if (!Files.isDirectory(dataDir))
        {
            throw new ReplayException(dataDir + " is not a directory");
        }
        if (!Files.isDirectory(Journal.ingressDir(dataDir)))
        {
            throw new ReplayException(dataDir + " is not a node's data directory: it has no journal (expected "
                + Journal.ingressDir(dataDir) + ")");
        }
        long first = -1;
        long firstTime = 0;
        try (JournalReader reader = JournalReader.ingress(dataDir))
        {
            if (reader.next())
            {
                if (reader.damage() != null)
                {
                    if (reader.damage().contains("schema version"))
                    {
                        throw new ReplayException("the journal in " + dataDir + " was written with another schema: " + reader.damage());
                    }
                    throw new ReplayException("the journal in " + dataDir + " does not start with a readable record: " + reader.damage());
                }
                first = reader.ingressRecord().sequence();
                firstTime = reader.ingressRecord().timeNs();
            }
            if (first < 0)
            {
                throw new ReplayException("the journal in " + dataDir + " is empty");
            }
            final long firstEntryTime = firstTime;
            long last = first;
            long lastTime = firstTime;
            try (JournalReader tail = JournalReader.ingress(dataDir))
            {
                if (tail.last() && tail.damage() == null)
                {
                    last = tail.ingressRecord().sequence();
                    lastTime = tail.ingressRecord().timeNs();
                }
                else
                {
                    // a torn last entry: the last whole one counts
                    while (reader.next())
                    {
                        if (reader.damage() == null)
                        {
                            last = reader.ingressRecord().sequence();
                            lastTime = reader.ingressRecord().timeNs();
                        }
                    }
                }
            }
            if (!CityTime.looksLikeEpoch(firstEntryTime) && CityTime.looksLikeEpoch(lastTime))
            {
                // simulated mode: what comes before the first Tick (the ConfigSnapshot) is stamped 0; the
                // journal's time starts with the first Tick
                firstTime = firstEpochTime(dataDir, lastTime);
            }
            return new JournalExtent(dataDir, first, firstTime, last, lastTime);
        }
    }

    private static long firstEpochTime(final Path dataDir, final long fallback)
    {
        try (JournalReader reader = JournalReader.ingress(dataDir))
        {
            while (reader.next())
            {
                if (reader.damage() == null && CityTime.looksLikeEpoch(reader.ingressRecord().timeNs()))
                {
                    return reader.ingressRecord().timeNs();
                }
            }
        }
        return fallback;
    }

    /**
     * Check a range against the journal: --from not after --to, and not entirely before or after the
     * journal. Either bound may be null (open).
     */
    public void checkRange(final Position from, final Position to, final ZoneId zone)
    {
        if (from != null && to != null && from.isSequence() == to.isSequence())
        {
            final boolean reversed = from.isSequence() ? from.sequence() > to.sequence() : from.timeNs() > to.timeNs();
            if (reversed)
            {
                throw new ReplayException("--from " + CityTime.format(from, zone) + " is after --to " + CityTime.format(to, zone));
            }
        }
        final boolean beforeJournal = to != null && (to.isSequence() ? to.sequence() < firstSequence : to.timeNs() < firstTimeNs);
        final boolean afterJournal = from != null && (from.isSequence() ? from.sequence() > lastSequence : from.timeNs() > lastTimeNs);
        if (beforeJournal || afterJournal)
        {
            throw new ReplayException("the range " + describe(from, to, zone) + " is outside the journal, which runs from "
                + CityTime.format(firstTimeNs, zone) + " to " + CityTime.format(lastTimeNs, zone)
                + " (sequences " + firstSequence + " to " + lastSequence + ")");
        }
    }

    /** "2026-11-25T17:00:00.000+09:00 to 2026-11-25T17:10:00.000+09:00", open ends named as the journal's. */
    public static String describe(final Position from, final Position to, final ZoneId zone)
    {
        return (from == null ? "the journal's start" : CityTime.format(from, zone)) + " to "
            + (to == null ? "the journal's end" : CityTime.format(to, zone));
    }

    /** "X and Y", for "between X and Y". */
    public static String between(final Position from, final Position to, final ZoneId zone)
    {
        return (from == null ? "the journal's start" : CityTime.format(from, zone)) + " and "
            + (to == null ? "the journal's end" : CityTime.format(to, zone));
    }

    /** Whether an entry with this input sequence and time lies in [from, to] (null: open). */
    public static boolean inRange(final Position from, final Position to, final long sequence, final long timeNs)
    {
        return (from == null || from.reachedBy(sequence, timeNs)) && (to == null || !to.passedBy(sequence, timeNs));
    }
}
