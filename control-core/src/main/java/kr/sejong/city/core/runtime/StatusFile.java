package kr.sejong.city.core.runtime;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The node's status file, {@code DATA/node-status.dat}: a memory-mapped file that another process can
 * read while the node runs, in the manner of Aeron's CnC file read by AeronStat.
 * <pre>
 *   0  int   magic "SCC1"
 *   4  int   layout version
 *   8  long  pid of the node
 *  16  long  start time, epoch ms
 *  24  int   counters metadata length
 *  28  int   counters values length
 *  32  int   error log length
 *  36  int   info length, then info (UTF-8 "key=value" lines)
 *  HEADER_LENGTH: counters metadata, counters values, distinct error log
 * </pre>
 */
public final class StatusFile implements AutoCloseable
{
    public static final String FILE_NAME = "node-status.dat";
    static final int MAGIC = 0x31434353; // "SCC1" little-endian
    static final int LAYOUT_VERSION = 1;
    static final int HEADER_LENGTH = 4096;
    static final int MAX_COUNTERS = 256;
    static final int METADATA_LENGTH = MAX_COUNTERS * org.agrona.concurrent.status.CountersReader.METADATA_LENGTH;
    static final int VALUES_LENGTH = MAX_COUNTERS * org.agrona.concurrent.status.CountersReader.COUNTER_LENGTH;
    static final int ERROR_LOG_LENGTH = 256 * 1024;
    private static final int INFO_OFFSET = 40;

    private final File file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final UnsafeBuffer metaData;
    private final UnsafeBuffer values;
    private final UnsafeBuffer errorLog;

    private StatusFile(final File file, final MappedByteBuffer mapped)
    {
        this.file = file;
        this.mapped = mapped;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        this.metaData = new UnsafeBuffer(mapped, HEADER_LENGTH, header.getInt(24));
        this.values = new UnsafeBuffer(mapped, HEADER_LENGTH + header.getInt(24), header.getInt(28));
        this.errorLog = new UnsafeBuffer(mapped, HEADER_LENGTH + header.getInt(24) + header.getInt(28), header.getInt(32));
    }

    /** Create (or replace) the status file of a starting node. */
    public static StatusFile create(final Path dataDir, final long pid, final long startTimeMs, final String info)
    {
        final File file = dataDir.resolve(FILE_NAME).toFile();
        if (file.exists() && !file.delete())
        {
            throw new IllegalStateException("cannot replace " + file);
        }
        final long length = (long)HEADER_LENGTH + METADATA_LENGTH + VALUES_LENGTH + ERROR_LOG_LENGTH;
        final MappedByteBuffer mapped = IoUtil.mapNewFile(file, length);
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final byte[] infoBytes = info.getBytes(StandardCharsets.UTF_8);
        final int infoLength = Math.min(infoBytes.length, HEADER_LENGTH - INFO_OFFSET);
        header.putInt(4, LAYOUT_VERSION);
        header.putLong(8, pid);
        header.putLong(16, startTimeMs);
        header.putInt(24, METADATA_LENGTH);
        header.putInt(28, VALUES_LENGTH);
        header.putInt(32, ERROR_LOG_LENGTH);
        header.putInt(36, infoLength);
        header.putBytes(INFO_OFFSET, infoBytes, 0, infoLength);
        header.putIntOrdered(0, MAGIC); // last: a reader never sees a half-written header
        return new StatusFile(file, mapped);
    }

    /** Map an existing status file for reading. */
    public static StatusFile open(final Path dataDir)
    {
        final File file = dataDir.resolve(FILE_NAME).toFile();
        if (!file.isFile())
        {
            throw new IllegalArgumentException("no node status in " + dataDir + " (" + FILE_NAME + " not found): is it a data directory?");
        }
        if (file.length() < HEADER_LENGTH)
        {
            throw new IllegalArgumentException(file + " is not a node status file (too short)");
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file, "node status");
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        if (header.getIntVolatile(0) != MAGIC)
        {
            IoUtil.unmap(mapped);
            throw new IllegalArgumentException(file + " is not a node status file (bad magic)");
        }
        if (header.getInt(4) != LAYOUT_VERSION)
        {
            IoUtil.unmap(mapped);
            throw new IllegalArgumentException(file + " has layout version " + header.getInt(4) + ", expected " + LAYOUT_VERSION);
        }
        return new StatusFile(file, mapped);
    }

    public File file()
    {
        return file;
    }

    public long pid()
    {
        return header.getLong(8);
    }

    public long startTimeMs()
    {
        return header.getLong(16);
    }

    public String info()
    {
        return header.getStringWithoutLengthUtf8(INFO_OFFSET, header.getInt(36));
    }

    UnsafeBuffer metaDataBuffer()
    {
        return metaData;
    }

    UnsafeBuffer valuesBuffer()
    {
        return values;
    }

    UnsafeBuffer errorLogBuffer()
    {
        return errorLog;
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
