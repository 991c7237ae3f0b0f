package kr.sejong.city.core.runtime;

import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.CountersReader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A snapshot of a node's status file, read from any process: its counters, whether it is alive and
 * the distinct errors it has recorded.
 */
public final class NodeStatus
{
    /** A heartbeat older than this means the node is not running (or hung). */
    public static final long HEARTBEAT_TIMEOUT_MS = 3_000;

    private final long pid;
    private final long startTimeMs;
    private final String info;
    private final List<Counter> counters;
    private final List<String> errors;

    private NodeStatus(final long pid, final long startTimeMs, final String info, final List<Counter> counters, final List<String> errors)
    {
        this.pid = pid;
        this.startTimeMs = startTimeMs;
        this.info = info;
        this.counters = counters;
        this.errors = errors;
    }

    /** One counter: its type (see {@link NodeCounters}), reference id (loop index, reason code), label and value. */
    public record Counter(int typeId, long referenceId, String label, long value)
    {
    }

    public static NodeStatus read(final Path dataDir)
    {
        try (StatusFile file = StatusFile.open(dataDir))
        {
            final CountersReader reader = new CountersReader(file.metaDataBuffer(), file.valuesBuffer(), StandardCharsets.US_ASCII);
            final List<Counter> counters = new ArrayList<>();
            reader.forEach((counterId, typeId, keyBuffer, label) ->
                counters.add(new Counter(typeId, reader.getCounterReferenceId(counterId), label, reader.getCounterValue(counterId))));
            final List<String> errors = new ArrayList<>();
            ErrorLogReader.read(file.errorLogBuffer(), (count, firstMs, lastMs, text) ->
                errors.add(count + " x, last at epoch ms " + lastMs + ": " + text));
            return new NodeStatus(file.pid(), file.startTimeMs(), file.info(), Collections.unmodifiableList(counters),
                Collections.unmodifiableList(errors));
        }
    }

    public long pid()
    {
        return pid;
    }

    public long startTimeMs()
    {
        return startTimeMs;
    }

    public String info()
    {
        return info;
    }

    public List<Counter> counters()
    {
        return counters;
    }

    public List<String> errors()
    {
        return errors;
    }

    /** Value of the first counter of a type, or {@code absent} when there is none. */
    public long value(final int typeId, final long absent)
    {
        for (final Counter counter : counters)
        {
            if (counter.typeId() == typeId)
            {
                return counter.value();
            }
        }
        return absent;
    }

    public List<Counter> countersOfType(final int typeId)
    {
        final List<Counter> result = new ArrayList<>();
        for (final Counter counter : counters)
        {
            if (counter.typeId() == typeId)
            {
                result.add(counter);
            }
        }
        return result;
    }

    /** Running: the process exists, the node says so and its heartbeat is fresh. */
    public boolean isRunning(final long nowMs)
    {
        final long state = value(NodeCounters.NODE_STATE, NodeCounters.STATE_CLOSED);
        final boolean processAlive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        return processAlive && state != NodeCounters.STATE_CLOSED && nowMs - heartbeatMs() <= HEARTBEAT_TIMEOUT_MS;
    }

    public long heartbeatMs()
    {
        return value(NodeCounters.HEARTBEAT_MS, 0);
    }

    public String state(final long nowMs)
    {
        final long state = value(NodeCounters.NODE_STATE, -1);
        if (state == NodeCounters.STATE_CLOSED)
        {
            return "stopped";
        }
        if (!isRunning(nowMs))
        {
            return "not running (process " + pid + " gone or heartbeat stale: the node did not stop cleanly)";
        }
        return state == NodeCounters.STATE_STARTING ? "starting" : state == NodeCounters.STATE_DRAINING ? "draining" : "running";
    }
}
