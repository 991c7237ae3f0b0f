package kr.sejong.city.bench;

import kr.sejong.city.codecs.IngressRecordEncoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.core.journal.Journal;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One ingress journal append as the node's JournalAgent makes it: a whole IngressRecord (message
 * header, record block, the stamped frame) copied from a byte array into
 * {@code appender.writingDocument()}, on a Chronicle queue opened by {@link Journal#openForWrite} (a
 * single-file queue rolling FAST_HOURLY) in a temporary directory.
 * <p>
 * {@code recordBytes} is the whole entry: 34 bytes of header and record fields plus the frame. 64 is
 * about a DetectorObservation (a 27-byte frame makes a 61-byte record); 512 is a frame with text, such
 * as an OperatorAction or an Incident with a long owner. Each append carries the next sequence number.
 * <p>
 * Flat out, appends fill gigabytes a second, so each iteration starts a fresh queue (its first
 * append, which creates the cycle file, is made before timing starts) and deletes it afterwards; the
 * cost of mapping new pages of the file as it grows stays in the figure, as it does in the node.
 * <p>
 * Warmup is longer than elsewhere: measured here, an append keeps getting faster for about 8 s
 * (512 bytes: about 2 us in the first second, 0.3 to 0.4 us from the eighth on).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1, timeUnit = TimeUnit.SECONDS)
public class JournalAppendBenchmark extends BenchmarkDefaults
{
    /** Message header, IngressRecord block and the frame's length field. */
    static final int RECORD_OVERHEAD =
        MessageHeaderEncoder.ENCODED_LENGTH + IngressRecordEncoder.BLOCK_LENGTH + IngressRecordEncoder.frameHeaderLength();

    @Param({"64", "512"})
    public int recordBytes;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final IngressRecordEncoder recordEncoder = new IngressRecordEncoder();
    private byte[] record;
    private Path root;
    private Path queueDir;
    private ChronicleQueue queue;
    private ExcerptAppender appender;
    private long sequence;

    @Setup(Level.Trial)
    public void createRecord() throws IOException
    {
        if (recordBytes < RECORD_OVERHEAD)
        {
            throw new IllegalArgumentException("recordBytes must be at least " + RECORD_OVERHEAD);
        }
        final byte[] frame = new byte[recordBytes - RECORD_OVERHEAD];
        for (int i = 0; i < frame.length; i++)
        {
            frame[i] = (byte)(i * 31 + 7);
        }
        record = new byte[recordBytes];
        final UnsafeBuffer buffer = new UnsafeBuffer(record);
        recordEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sequence(0)
            .timeNs(1_764_000_000_000_000_000L)
            .kind(JournalRecordKind.INPUT)
            .rejectReason(RejectReason.NULL_VAL)
            .receivedLength(frame.length)
            .putFrame(frame, 0, frame.length);
        if (MessageHeaderEncoder.ENCODED_LENGTH + recordEncoder.encodedLength() != recordBytes)
        {
            throw new IllegalStateException("record is " + (MessageHeaderEncoder.ENCODED_LENGTH + recordEncoder.encodedLength())
                + " bytes, expected " + recordBytes);
        }
        root = Files.createTempDirectory("sejong-bench-journal");
    }

    @Setup(Level.Iteration)
    public void openQueue() throws IOException
    {
        queueDir = Files.createTempDirectory(root, Journal.INGRESS);
        try
        {
            queue = Journal.openForWrite(queueDir, Journal.DEFAULT_ROLL_CYCLE);
            appender = queue.createAppender();
            append();
        }
        catch (final RuntimeException | Error ex)
        {
            // JMH runs no teardown after a failed setup: leave no directory behind
            if (queue != null)
            {
                queue.close();
            }
            delete(root);
            throw ex;
        }
    }

    @Benchmark
    public long append()
    {
        final long seq = sequence++;
        recordEncoder.sequence(seq);
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(record, 0, recordBytes);
        }
        return seq;
    }

    @TearDown(Level.Iteration)
    public void closeQueue()
    {
        appender.close();
        queue.close();
        delete(queueDir);
    }

    @TearDown(Level.Trial)
    public void deleteRoot()
    {
        delete(root);
    }

    private static void delete(final Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + dir, ex);
        }
    }
}
