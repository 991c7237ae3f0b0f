package kr.sejong.city.core.runtime;

import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.ReadablePosition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Brings the pages just ahead of each journal writer into the page cache, on its own thread, so that the
 * node's thread never waits for the kernel to fill them.
 * <p>
 * Why: Chronicle Queue's cycle files are sparse and memory-mapped. The first write to a page that is not in
 * the page cache faults, and the kernel fills it by synchronous readahead: on this project's machines (ext4
 * on a virtio disk, {@code read_ahead_kb} 8192) that is 8 MiB of large folios zeroed in the writer's fault,
 * 18 ms every 8 MiB of journal (measured: {@code docs/journal-pretouch.md}). Chronicle's own pretoucher is an
 * Enterprise feature (the open-source {@code ExcerptAppender.pretouch()} recurses until the stack overflows).
 * <p>
 * How: each writer publishes the file position after its last append ({@link ReadablePosition}); this agent
 * maps the newest cycle file of that queue read-only and reads one byte of every page from the writer's
 * position up to {@link #AHEAD_BYTES_DEFAULT} ahead, as far as the file reaches (Chronicle grows it a chunk
 * ahead). Its own mapping is advised {@code MADV_RANDOM}, so each of its faults fills a page rather than a
 * whole readahead window: the zeroing is spread thinly instead of taking a core in 18 ms bursts from the node's
 * other threads (measured: round-trip p99 at 100k msg/s 7-9 ms without the advice, 2.1-2.2 ms with it). It
 * only ever reads, so it cannot change or corrupt the journal, and it is outside the determinism
 * contract: it decides nothing and nothing depends on when it runs. A new cycle file (the position goes
 * back, or a newer file appears) is followed.
 * <p>
 * Reading a page brings it into the page cache but not into the writer's page table, and not writable: the
 * writer's first store to each page still faults, and on ext4 that fault ({@code ext4_page_mkwrite}) reserves
 * the block and may start a journal transaction. Measured at full speed, those write faults were 13 % of the
 * node thread's time. So, once a page is in the page cache, the pretoucher also faults it into the writer's
 * own mapping, writable, with {@code madvise(MADV_POPULATE_WRITE)} (Linux 5.14 on) on the addresses the
 * kernel lists for the cycle file ({@link FileMappings}, read again when the writer moves past the mappings it
 * knows, Chronicle maps a file in chunks). That call prepares the page table as a write would, without
 * writing: nothing in the file changes. A kernel without it answers {@code EINVAL}, and from then on the
 * pretoucher only reads, as before.
 */
public final class JournalPretoucher implements Agent
{
    /** How far ahead of the writer to read, in bytes (twice the measured readahead window, and then some). */
    public static final long AHEAD_BYTES_DEFAULT = 64L * 1024 * 1024;

    /** Page size the pretoucher steps by (the smallest page; large folios are filled whole by the first touch). */
    static final int PAGE_SIZE = 4096;

    /** Bytes of the file mapped at a time (a cycle file may be larger than one mapping can be). */
    private static final long WINDOW_BYTES = 256L * 1024 * 1024;

    /** The newest cycle file is looked for at most this often while the position keeps going forward. */
    private static final long RELIST_INTERVAL_NS = 100_000_000L;

    /** The writer's mappings are read again at most this often while the writer is outside those known. */
    private static final long MAPS_UNCOVERED_INTERVAL_NS = 1_000_000L;

    /**
     * And at most this often once the next chunk's mapping is due: the writer reached the newest mapping's offset
     * plus the mappings' spacing, or, before two mappings gave a spacing, moved {@link #MAPS_EVERY_BYTES} since the
     * last listing.
     */
    private static final long MAPS_INTERVAL_NS = 10_000_000L;

    private static final long MAPS_EVERY_BYTES = 1024 * 1024;

    /** Linux {@code MADV_POPULATE_WRITE} (5.14): fault pages in writable, as a write would, writing nothing. */
    static final int MADV_POPULATE_WRITE = 23;

    private static final int EINVAL = 22;

    private final Target[] targets;
    private final long aheadBytes;
    private final String roleName;
    private final Path procMaps;
    private boolean populateWriter;
    private long pagesTouched;
    private long pagesPopulated;
    private volatile long sink;

    /**
     * @param queueDirs  the journal queues to follow (ingress, egress), each a Chronicle queue directory.
     * @param positions  per queue, the file position after the writer's last append (0 before the first one).
     * @param aheadBytes how far ahead of the writer to read.
     */
    public JournalPretoucher(final List<Path> queueDirs, final List<? extends ReadablePosition> positions, final long aheadBytes)
    {
        this(queueDirs, positions, aheadBytes, true);
    }

    /**
     * @param populateWriter also fault the pages read into the writer's own mapping, writable (the default);
     *                       false only reads, for measurement.
     */
    public JournalPretoucher(
        final List<Path> queueDirs, final List<? extends ReadablePosition> positions, final long aheadBytes, final boolean populateWriter)
    {
        if (queueDirs.size() != positions.size())
        {
            throw new IllegalArgumentException("one position per queue: " + queueDirs.size() + " queues, " + positions.size() + " positions");
        }
        if (aheadBytes < PAGE_SIZE || aheadBytes > WINDOW_BYTES)
        {
            throw new IllegalArgumentException("aheadBytes must be a page (" + PAGE_SIZE + ") to " + WINDOW_BYTES + ", was " + aheadBytes);
        }
        this.aheadBytes = aheadBytes;
        this.targets = new Target[queueDirs.size()];
        for (int i = 0; i < targets.length; i++)
        {
            targets[i] = new Target(queueDirs.get(i), positions.get(i));
        }
        this.roleName = "journal-pretouch";
        this.procMaps = FileMappings.PROC_SELF_MAPS;
        this.populateWriter = populateWriter && Files.isReadable(procMaps);
    }

    @Override
    public int doWork()
    {
        int work = 0;
        final long nowNs = System.nanoTime();
        for (final Target target : targets)
        {
            work += target.touch(nowNs);
        }
        return work;
    }

    @Override
    public void onClose()
    {
        for (final Target target : targets)
        {
            target.unmap();
        }
    }

    @Override
    public String roleName()
    {
        return roleName;
    }

    /** Pages read so far, over all queues. */
    public long pagesTouched()
    {
        return pagesTouched;
    }

    /** Pages faulted into the writers' mappings so far, over all queues. */
    public long pagesPopulated()
    {
        return pagesPopulated;
    }

    /**
     * Whether the pretoucher faults pages into the writers' mappings: asked for, on a system that lists its
     * mappings, and not yet refused by the kernel.
     */
    public boolean populatesWriter()
    {
        return populateWriter;
    }

    /** The file the pretoucher follows for queue {@code index}, or null before it found one. */
    public Path file(final int index)
    {
        return targets[index].file;
    }

    /** How far into that file the pretoucher has read. */
    public long touchedTo(final int index)
    {
        return targets[index].touchedTo;
    }

    /**
     * No readahead on the pretoucher's own mapping: each of its faults then fills one page, not the device's
     * readahead window (8 MiB here, 18 ms of zeroing at once), so the work is spread thinly over time instead
     * of taking a core in bursts from the node and the other threads. Best effort: without the native call
     * the pretoucher still works, only burstier.
     */
    private static void adviseRandom(final long address, final long length)
    {
        try
        {
            final long pageAligned = address & ~(PAGE_SIZE - 1L);
            PosixAPI.posix().madvise(pageAligned, length + (address - pageAligned), MAdviseFlag.MADV_RANDOM);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            // no native access here: readahead stays on
        }
    }

    /** The newest Chronicle cycle file of a queue directory (cycle file names sort in time order). */
    static Optional<Path> newestCycleFile(final Path queueDir)
    {
        if (!Files.isDirectory(queueDir))
        {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(queueDir))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4")).max(Comparator.comparing(p -> p.getFileName().toString()));
        }
        catch (final NoSuchFileException ex)
        {
            return Optional.empty();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private final class Target
    {
        private final Path queueDir;
        private final ReadablePosition position;
        private final UnsafeBuffer window = new UnsafeBuffer(0, 0);
        private Path file;
        private FileChannel channel;
        private MappedByteBuffer mapped;
        private long windowStart;
        private long windowEnd;
        private long touchedTo;
        private long lastPosition;
        private long lastListNs = Long.MIN_VALUE;
        private String realFile;
        private List<FileMappings.Mapping> mappings = List.of();
        private long[] populatedTo = new long[0];
        private long lastMapsNs = Long.MIN_VALUE;
        private long listedAtPosition;
        private long lastChunkOffset;
        private long chunkSpacing;

        Target(final Path queueDir, final ReadablePosition position)
        {
            this.queueDir = queueDir;
            this.position = position;
        }

        int touch(final long nowNs)
        {
            final long writerPosition = position.getVolatile();
            if (writerPosition <= 0)
            {
                return 0;
            }
            final boolean wentBack = writerPosition < lastPosition;
            lastPosition = writerPosition;
            if (file == null || wentBack || nowNs - lastListNs >= RELIST_INTERVAL_NS)
            {
                lastListNs = nowNs;
                final Path newest = newestCycleFile(queueDir).orElse(null);
                if (newest == null)
                {
                    return 0;
                }
                if (!newest.equals(file) && !open(newest))
                {
                    return 0;
                }
            }
            final long from = Math.max(touchedTo, writerPosition & ~(PAGE_SIZE - 1L));
            final long to = Math.min(writerPosition + aheadBytes, fileSize()) & ~(PAGE_SIZE - 1L);
            if (from >= to)
            {
                return populate(writerPosition, nowNs);
            }
            if (from < windowStart || to > windowEnd)
            {
                mapWindow(from, to);
            }
            int pages = 0;
            long sum = 0;
            for (long at = from; at < to; at += PAGE_SIZE)
            {
                sum += window.getByte((int)(at - windowStart));
                pages++;
            }
            touchedTo = to;
            sink += sum;
            pagesTouched += pages;
            return pages + populate(writerPosition, nowNs);
        }

        /**
         * Fault the pages from the one after the writer's up to {@link #touchedTo} (in the page cache by now) into
         * each of the writer's mappings of the file, writable; the pages faulted.
         */
        private int populate(final long writerPosition, final long nowNs)
        {
            if (!populateWriter)
            {
                return 0;
            }
            // Chronicle maps the file in overlapping chunks and moves to the next one at the chunk boundary, still
            // inside the last one's overlap: list again as soon as the writer is outside the mappings known, once it
            // reaches where the next chunk's mapping is due (the spacing of those listed), and, while that spacing
            // is not known yet, every so often as it moves on
            final long sinceListed = lastMapsNs == Long.MIN_VALUE ? Long.MAX_VALUE : nowNs - lastMapsNs;
            final boolean nextChunkDue = chunkSpacing > 0
                ? writerPosition >= lastChunkOffset + chunkSpacing
                : writerPosition - listedAtPosition >= MAPS_EVERY_BYTES;
            if ((!covered(writerPosition) && sinceListed >= MAPS_UNCOVERED_INTERVAL_NS) || (nextChunkDue && sinceListed >= MAPS_INTERVAL_NS))
            {
                lastMapsNs = nowNs;
                listedAtPosition = writerPosition;
                relistMappings();
            }
            final long first = (writerPosition + PAGE_SIZE) & ~(PAGE_SIZE - 1L);
            int pages = 0;
            for (int i = 0; i < populatedTo.length; i++)
            {
                final FileMappings.Mapping mapping = mappings.get(i);
                final long from = Math.max(Math.max(populatedTo[i], mapping.fileOffset()), first);
                final long to = Math.min(mapping.fileEnd(), touchedTo);
                if (from >= to)
                {
                    continue;
                }
                final int result = PosixAPI.posix().madvise(mapping.addressOf(from), to - from, MADV_POPULATE_WRITE);
                if (result != 0)
                {
                    if (PosixAPI.posix().lastError() == EINVAL)
                    {
                        populateWriter = false; // a kernel before 5.14: read only from now on
                        return pages;
                    }
                    populatedTo[i] = Long.MAX_VALUE; // unmapped meanwhile (ENOMEM): forget it until listed again
                    lastMapsNs = Long.MIN_VALUE;
                    continue;
                }
                populatedTo[i] = to;
                pages += (int)((to - from) / PAGE_SIZE);
            }
            pagesPopulated += pages;
            return pages;
        }

        private boolean covered(final long position)
        {
            for (int i = 0; i < populatedTo.length; i++)
            {
                final FileMappings.Mapping mapping = mappings.get(i);
                if (populatedTo[i] != Long.MAX_VALUE && position >= mapping.fileOffset() && position < mapping.fileEnd())
                {
                    return true;
                }
            }
            return false;
        }

        /** Read the writer's mappings of the file again, keeping how far each one already listed was populated. */
        private void relistMappings()
        {
            final List<FileMappings.Mapping> listed = FileMappings.sharedWritable(procMaps, realFile);
            final long[] done = new long[listed.size()];
            for (int i = 0; i < done.length; i++)
            {
                final int before = mappings.indexOf(listed.get(i));
                done[i] = before >= 0 && populatedTo[before] != Long.MAX_VALUE ? populatedTo[before] : 0;
            }
            mappings = listed;
            populatedTo = done;
            lastChunkOffset = 0;
            chunkSpacing = 0;
            for (final FileMappings.Mapping mapping : listed)
            {
                lastChunkOffset = Math.max(lastChunkOffset, mapping.fileOffset());
                for (final FileMappings.Mapping other : listed)
                {
                    final long spacing = mapping.fileOffset() - other.fileOffset();
                    if (spacing > 0 && (chunkSpacing == 0 || spacing < chunkSpacing))
                    {
                        chunkSpacing = spacing;
                    }
                }
            }
        }

        private boolean open(final Path newest)
        {
            unmap();
            try
            {
                channel = FileChannel.open(newest, StandardOpenOption.READ);
            }
            catch (final NoSuchFileException ex)
            {
                return false; // deleted meanwhile: look again next time
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            file = newest;
            touchedTo = 0;
            try
            {
                realFile = newest.toRealPath().toString();
            }
            catch (final IOException ex)
            {
                realFile = newest.toAbsolutePath().toString();
            }
            mappings = List.of();
            populatedTo = new long[0];
            lastMapsNs = Long.MIN_VALUE;
            listedAtPosition = 0;
            lastChunkOffset = 0;
            chunkSpacing = 0;
            return true;
        }

        private long fileSize()
        {
            try
            {
                return channel.size();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        /** Map a read-only window of the file from {@code from}, at least up to {@code to}. */
        private void mapWindow(final long from, final long to)
        {
            if (mapped != null)
            {
                IoUtil.unmap(mapped);
                mapped = null;
            }
            final long length = Math.max(to - from, Math.min(WINDOW_BYTES, fileSize() - from));
            try
            {
                mapped = channel.map(FileChannel.MapMode.READ_ONLY, from, length);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            window.wrap(mapped);
            windowStart = from;
            windowEnd = from + length;
            adviseRandom(window.addressOffset(), length);
        }

        void unmap()
        {
            if (mapped != null)
            {
                IoUtil.unmap(mapped);
                mapped = null;
            }
            window.wrap(0, 0);
            windowStart = 0;
            windowEnd = 0;
            CloseHelper.quietClose(channel);
            channel = null;
            file = null;
        }
    }
}
