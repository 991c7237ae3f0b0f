package kr.sejong.city.core.journal;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the journal lives in a data directory and how its Chronicle queues are opened.
 * <pre>
 *   DATA/journal/ingress   one IngressRecord per stamped input frame, in sequence order
 *   DATA/journal/egress    one EgressRecord per frame published on egress, in egress sequence order
 * </pre>
 * Each queue entry is exactly one SBE frame (message header + record); see the schema in codecs.
 */
public final class Journal
{
    public static final String DIRECTORY = "journal";
    public static final String INGRESS = "ingress";
    public static final String EGRESS = "egress";
    public static final String DEFAULT_ROLL_CYCLE = "FAST_HOURLY";

    private Journal()
    {
    }

    public static Path ingressDir(final Path dataDir)
    {
        return dataDir.resolve(DIRECTORY).resolve(INGRESS);
    }

    public static Path egressDir(final Path dataDir)
    {
        return dataDir.resolve(DIRECTORY).resolve(EGRESS);
    }

    /** Roll cycles a configuration may name. */
    public static boolean isRollCycle(final String name)
    {
        try
        {
            RollCycles.valueOf(name);
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    /** Open a queue for appending (created when missing). */
    public static ChronicleQueue openForWrite(final Path queueDir, final String rollCycle)
    {
        return builder(queueDir).rollCycle(RollCycles.valueOf(rollCycle)).build();
    }

    /** Open an existing queue for reading only; it may be appended to by a running node meanwhile. */
    public static ChronicleQueue openForRead(final Path queueDir)
    {
        if (!Files.isDirectory(queueDir))
        {
            throw new IllegalArgumentException("no journal at " + queueDir);
        }
        return builder(queueDir).readOnly(true).build();
    }

    private static SingleChronicleQueueBuilder builder(final Path queueDir)
    {
        return ChronicleQueue.singleBuilder(queueDir);
    }
}
