package kr.sejong.city.bench;

import kr.sejong.city.core.journal.Journal;
import kr.sejong.city.core.runtime.JournalPretoucher;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.status.AtomicLongPosition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The journal's tail on this machine, without the rest of the node: one thread appends 150-byte entries to a
 * Chronicle queue opened as the node opens its journal, at a fixed rate, and records each append's time in an
 * HdrHistogram (the first second is warm-up). With {@code pretouch} the node's {@link JournalPretoucher} runs
 * beside it, as in the node. Reproduces the table of {@code docs/journal-pretouch.md}:
 * {@code bench/journal-stalls.sh DIR 200000 10 [pretouch]} (the script passes the node's JVM flags and deletes DIR
 * afterwards). DIR must not exist yet: a fresh queue.
 */
public final class JournalAppendStalls
{
    private JournalAppendStalls()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length < 3)
        {
            System.err.println("usage: JournalAppendStalls DIR RATE_PER_S SECONDS [pretouch|pretouch-read]");
            System.exit(2);
        }
        final Path dir = Path.of(args[0]);
        final int rate = Integer.parseInt(args[1]);
        final int seconds = Integer.parseInt(args[2]);
        final String mode = args.length > 3 ? args[3] : "off";
        if (!List.of("off", "pretouch", "pretouch-read").contains(mode))
        {
            System.err.println("the fourth argument is pretouch (read ahead and fault into the writer's mapping, as the node does) "
                + "or pretouch-read (read ahead only), not " + mode);
            System.exit(2);
        }
        final boolean pretouch = !"off".equals(mode);
        final byte[] entry = new byte[150];
        final Histogram appendNs = new Histogram(3);
        final AtomicLongPosition position = new AtomicLongPosition();
        AgentRunner pretoucher = null;
        long faultsBefore = 0;
        final long writerFaults;
        try (ChronicleQueue queue = Journal.openForWrite(dir, Journal.DEFAULT_ROLL_CYCLE);
             ExcerptAppender appender = queue.createAppender())
        {
            if (pretouch)
            {
                pretoucher = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null,
                    new JournalPretoucher(List.of(dir), List.of(position), JournalPretoucher.AHEAD_BYTES_DEFAULT, "pretouch".equals(mode)));
                AgentRunner.startOnThread(pretoucher);
            }
            final long startNs = System.nanoTime();
            final long total = (long)rate * seconds;
            for (long i = 0; i < total; i++)
            {
                final long dueNs = startNs + i * 1_000_000_000L / rate;
                while (System.nanoTime() < dueNs)
                {
                    Thread.onSpinWait();
                }
                final long beforeNs = System.nanoTime();
                try (DocumentContext dc = appender.writingDocument())
                {
                    dc.wire().bytes().write(entry, 0, entry.length);
                    position.setRelease(dc.wire().bytes().writePosition());
                }
                if (i >= rate)
                {
                    appendNs.recordValue(System.nanoTime() - beforeNs);
                }
                else if (i == rate - 1)
                {
                    faultsBefore = minorFaultsOfThisThread();
                }
            }
            writerFaults = minorFaultsOfThisThread() - faultsBefore;
        }
        finally
        {
            if (pretoucher != null)
            {
                pretoucher.close();
            }
        }
        System.out.printf(Locale.ROOT, "%s, %,d appends/s for %d s, pretouch %s: p50 %.1f us | p99 %.1f us | p99.99 %.1f us | max %.2f ms | appends over 1 ms: %d"
                + " | the writer's page faults after the first second: %,d%n",
            dir, rate, seconds, mode, appendNs.getValueAtPercentile(50) / 1e3, appendNs.getValueAtPercentile(99) / 1e3,
            appendNs.getValueAtPercentile(99.99) / 1e3, appendNs.getMaxValue() / 1e6, appendNs.getCountBetweenValues(1_000_000, appendNs.getMaxValue()),
            writerFaults);
    }

    /** The calling thread's minor page faults so far (field 10 of {@code /proc/thread-self/stat}); -1 off Linux. */
    static long minorFaultsOfThisThread()
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its end
            final String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(after[7]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }
}
