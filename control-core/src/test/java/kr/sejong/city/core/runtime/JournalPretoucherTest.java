package kr.sejong.city.core.runtime;

import kr.sejong.city.core.journal.Journal;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.status.AtomicLongPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pretoucher against real Chronicle queues: it follows the writer, reads only, and follows a new cycle file. */
class JournalPretoucherTest
{
    private static final long AHEAD = 1024 * 1024;

    @TempDir
    Path tmp;

    /** Append {@code count} records of {@code size} bytes as the node's writers do, publishing the position. */
    private static void append(final ExcerptAppender appender, final AtomicLongPosition position, final int count, final int size, final byte fill)
    {
        final byte[] record = new byte[size];
        Arrays.fill(record, fill);
        for (int i = 0; i < count; i++)
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(record, 0, size);
                position.setRelease(dc.wire().bytes().writePosition());
            }
        }
    }

    @Test
    void readsTheFileAheadOfTheWriterAndOnlyWhatIsNew()
    {
        final Path dir = tmp.resolve("ingress");
        final AtomicLongPosition position = new AtomicLongPosition();
        try (ChronicleQueue queue = Journal.openForWrite(dir, Journal.DEFAULT_ROLL_CYCLE);
             ExcerptAppender appender = queue.createAppender())
        {
            // reading only: doWork's count is then the pages read (populating the writer's mapping is tested below)
            final JournalPretoucher pretoucher = new JournalPretoucher(List.of(dir), List.of(position), AHEAD, false);
            assertEquals(0, pretoucher.doWork(), "nothing written yet: nothing to read");

            append(appender, position, 1000, 200, (byte)1);
            final long writer = position.getVolatile();
            final int first = pretoucher.doWork();
            assertTrue(first > 0, "pages read ahead of the writer");
            assertNotNull(pretoucher.file(0));
            final long touched = pretoucher.touchedTo(0);
            assertTrue(touched > writer, "ahead of the writer: " + touched + " vs " + writer);
            assertTrue(touched <= writer + AHEAD, "no further than asked: " + touched);
            assertTrue(touched <= sizeOf(pretoucher.file(0)), "never past the end of the file");
            assertEquals((touched - (writer & ~(JournalPretoucher.PAGE_SIZE - 1L))) / JournalPretoucher.PAGE_SIZE, first);

            assertEquals(0, pretoucher.doWork(), "the writer did not move: nothing new to read");

            append(appender, position, 1000, 200, (byte)2);
            final int second = pretoucher.doWork();
            assertTrue(second > 0 && second < first, "only the pages that came into reach: " + second + " after " + first);
            assertEquals(first + second, pretoucher.pagesTouched());
            pretoucher.onClose();
        }
    }

    /**
     * The pages it read are faulted into the writer's own mapping, writable: the writer's appends into them take no
     * page fault. The same appends with a pretoucher that only reads fault on every page (the test can fail).
     */
    @Test
    void theWriterTakesNoPageFaultWhereThePretoucherWent()
    {
        final long readOnly = writerFaultsOver(tmp.resolve("read-only"), false);
        final long populated = writerFaultsOver(tmp.resolve("populated"), true);
        assertTrue(readOnly >= 100, "appending 800 KiB faults on most of its 200 pages when the pretoucher only reads: " + readOnly);
        assertTrue(populated * 10 < readOnly, "with the pages populated, a tenth of that at most: " + populated + " against " + readOnly);
    }

    private static long writerFaultsOver(final Path dir, final boolean populate)
    {
        final AtomicLongPosition position = new AtomicLongPosition();
        try (ChronicleQueue queue = Journal.openForWrite(dir, Journal.DEFAULT_ROLL_CYCLE);
             ExcerptAppender appender = queue.createAppender())
        {
            final JournalPretoucher pretoucher = new JournalPretoucher(List.of(dir), List.of(position), AHEAD, populate);
            org.junit.jupiter.api.Assumptions.assumeTrue(!populate || pretoucher.populatesWriter(), "Linux only");
            append(appender, position, 100, 200, (byte)1);
            assertTrue(pretoucher.doWork() > 0);
            if (populate)
            {
                assertTrue(pretoucher.populatesWriter(), "the kernel took MADV_POPULATE_WRITE");
                assertTrue(pretoucher.pagesPopulated() >= 200, "the pages ahead of the writer populated: " + pretoucher.pagesPopulated());
            }
            final long before = minorFaultsOfThisThread();
            append(appender, position, 4000, 200, (byte)2);
            final long faults = minorFaultsOfThisThread() - before;
            pretoucher.onClose();
            return faults;
        }
    }

    /** This thread's minor page faults so far (field 10 of {@code /proc/thread-self/stat}). */
    private static long minorFaultsOfThisThread()
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void neverChangesTheJournal() throws IOException
    {
        final Path dir = tmp.resolve("egress");
        final AtomicLongPosition position = new AtomicLongPosition();
        try (ChronicleQueue queue = Journal.openForWrite(dir, Journal.DEFAULT_ROLL_CYCLE);
             ExcerptAppender appender = queue.createAppender())
        {
            append(appender, position, 5000, 100, (byte)7);
            final Path file = JournalPretoucher.newestCycleFile(dir).orElseThrow();
            final byte[] before = sha256(file);
            final List<byte[]> entriesBefore = entries(queue);

            final JournalPretoucher pretoucher = new JournalPretoucher(List.of(dir), List.of(position), AHEAD);
            assertTrue(pretoucher.doWork() > 0);
            pretoucher.onClose();

            assertArrayEquals(before, sha256(file), "the cycle file is byte for byte what the writer left");
            final List<byte[]> entriesAfter = entries(queue);
            assertEquals(entriesBefore.size(), entriesAfter.size());
            for (int i = 0; i < entriesBefore.size(); i++)
            {
                assertArrayEquals(entriesBefore.get(i), entriesAfter.get(i), "entry " + i);
            }

            append(appender, position, 10, 100, (byte)8);
            assertEquals(5010, entries(queue).size(), "the writer goes on as before");
        }
    }

    @Test
    void followsTheWriterIntoANewCycleFile()
    {
        final Path dir = tmp.resolve("rolling");
        final AtomicLongPosition position = new AtomicLongPosition();
        final SetTimeProvider time = new SetTimeProvider(TimeUnit.SECONDS.toNanos(1_700_000_000L));
        try (ChronicleQueue queue = ChronicleQueue.singleBuilder(dir).rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(time).build();
             ExcerptAppender appender = queue.createAppender())
        {
            final JournalPretoucher pretoucher = new JournalPretoucher(List.of(dir), List.of(position), AHEAD);
            append(appender, position, 2000, 200, (byte)1);
            assertTrue(pretoucher.doWork() > 0);
            final Path firstFile = pretoucher.file(0);

            time.advanceMillis(1_000);
            append(appender, position, 10, 200, (byte)2);
            assertTrue(pretoucher.doWork() > 0, "reads the new file");
            final Path secondFile = pretoucher.file(0);
            assertNotEquals(firstFile, secondFile);
            assertEquals(JournalPretoucher.newestCycleFile(dir).orElseThrow(), secondFile);
            assertTrue(pretoucher.touchedTo(0) > position.getVolatile());
            pretoucher.onClose();
        }
    }

    @Test
    void noJournalYetIsNotAnError()
    {
        final AtomicLongPosition position = new AtomicLongPosition();
        final JournalPretoucher pretoucher = new JournalPretoucher(List.of(tmp.resolve("missing")), List.of(position), AHEAD);
        assertEquals(0, pretoucher.doWork());
        position.setRelease(4096);
        assertEquals(0, pretoucher.doWork(), "a position but no queue directory: nothing to read, no failure");
        pretoucher.onClose();
    }

    @Test
    void badSettingsAreRefusedWithTheirName()
    {
        final IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
            () -> new JournalPretoucher(List.of(tmp.resolve("a"), tmp.resolve("b")), List.of(new AtomicLongPosition()), AHEAD));
        assertTrue(mismatch.getMessage().contains("one position per queue"), mismatch.getMessage());
        final IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
            () -> new JournalPretoucher(List.of(tmp.resolve("a")), List.of(new AtomicLongPosition()), 100));
        assertTrue(small.getMessage().contains("aheadBytes"), small.getMessage());
    }

    private static long sizeOf(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static byte[] sha256(final Path file) throws IOException
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static List<byte[]> entries(final ChronicleQueue queue)
    {
        final List<byte[]> entries = new ArrayList<>();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return entries;
                    }
                    entries.add(dc.wire().bytes().toByteArray());
                }
            }
        }
    }
}
