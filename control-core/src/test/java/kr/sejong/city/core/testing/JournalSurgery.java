package kr.sejong.city.core.testing;

import kr.sejong.city.core.journal.Journal;
import kr.sejong.city.core.journal.JournalReader;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Builds damaged or cut-short journals from a good one, the way a crash or an edit would leave them. */
public final class JournalSurgery
{
    private JournalSurgery()
    {
    }

    /** Copy the first {@code count} entries of {@code from}'s ingress (or egress) queue to {@code to}'s. */
    public static void copy(final Path from, final Path to, final boolean ingress, final long count)
    {
        try (JournalReader reader = ingress ? JournalReader.ingress(from) : JournalReader.egress(from);
            ChronicleQueue queue = Journal.openForWrite(ingress ? Journal.ingressDir(to) : Journal.egressDir(to), Journal.DEFAULT_ROLL_CYCLE);
            ExcerptAppender appender = queue.createAppender())
        {
            long copied = 0;
            while (copied < count && reader.next())
            {
                append(appender, Arrays.copyOf(reader.entryBuffer().byteArray(), reader.entryLength()));
                copied++;
            }
        }
    }

    /** Append raw entries (e.g. a record cut short, as a crash mid-write leaves it) to a data directory's ingress queue. */
    public static void appendRaw(final Path dataDir, final List<byte[]> entries)
    {
        try (ChronicleQueue queue = Journal.openForWrite(Journal.ingressDir(dataDir), Journal.DEFAULT_ROLL_CYCLE);
            ExcerptAppender appender = queue.createAppender())
        {
            for (final byte[] entry : entries)
            {
                append(appender, entry);
            }
        }
    }

    private static void append(final ExcerptAppender appender, final byte[] entry)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(entry, 0, entry.length);
        }
    }
}
