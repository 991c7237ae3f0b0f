package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.codecs.DeviceState;
import kr.sejong.city.config.Field;

import java.util.ArrayList;
import java.util.List;

/**
 * One field device as the adapter sees it: the variables it monitors, how their values become SBE messages,
 * and its health (DeviceStatus). Values arrive on the delivery thread of its server's subscription, one
 * notification message at a time; health changes may also come from the adapter's threads (session lost), so
 * they are synchronized. A refused value is counted, reported (INVALID_VALUE naming device, variable and value)
 * and never passed on; the next good value makes the device ONLINE (or DEGRADED) again.
 */
abstract class FieldDevice
{
    /**
     * A variable to monitor.
     *
     * @param everyReading report every value the device writes, also one equal to the last (DataChangeFilter trigger
     *                     StatusValueTimestamp): a measurement repeated is still a fresh measurement, which the loops'
     *                     observation timeouts rely on. Otherwise only changes are reported (the OPC UA default).
     * @param discardOldest when the server's queue for the item is full: drop the oldest value (measurements: the
     *                      newest matters) or the newest (events: keep the sequence that was reported).
     */
    record Item(String identifier, int variable, String name, int queueSize, boolean everyReading, boolean discardOldest)
    {
    }

    /**
     * The server-side queue of a measured value: values sampled between two publishes are all delivered, so a
     * publish late by up to three update periods loses none (a queue of one keeps only the last).
     */
    static final int MEASURED_QUEUE_SIZE = 4;

    final FieldNodes.Kind kind;
    final int id;
    final FieldPublisher out;
    final OpcUaCounters counters;
    final String name;
    private final List<Item> items = new ArrayList<>();

    private volatile DeviceState state;
    private volatile long lastGoodAtNs = Values.NO_TIME;
    private long badValueCount;
    private String degradedDetail;
    /** An aggregated message waits for the end of the notification message (delivery thread only). */
    boolean dirty;

    FieldDevice(final FieldNodes.Kind kind, final int id, final FieldPublisher out, final OpcUaCounters counters)
    {
        this.kind = kind;
        this.id = id;
        this.out = out;
        this.counters = counters;
        this.name = kind.yamlName() + " " + id;
    }

    /** Declares a monitored variable of this device, {@code <Kind>/<id>/<name>}. */
    final void monitor(final String variableName, final int variable)
    {
        items.add(new Item(FieldNodes.node(kind, id, variableName), variable, variableName, MEASURED_QUEUE_SIZE, false, true));
    }

    /** Declares a monitored variable of this device whose every reading counts, also one equal to the last. */
    final void monitorEveryReading(final String variableName, final int variable)
    {
        items.add(new Item(FieldNodes.node(kind, id, variableName), variable, variableName, MEASURED_QUEUE_SIZE, true, true));
    }

    /** Declares a monitored node with its own identifier and a queue that keeps the oldest values (events). */
    final void monitor(final String identifier, final int variable, final String variableName, final int queueSize)
    {
        items.add(new Item(identifier, variable, variableName, queueSize, false, false));
    }

    /** Declares a measured node with its own identifier (a detector's counts). */
    final void monitor(final String identifier, final int variable, final String variableName, final boolean everyReading)
    {
        items.add(new Item(identifier, variable, variableName, MEASURED_QUEUE_SIZE, everyReading, true));
    }

    final List<Item> items()
    {
        return items;
    }

    /**
     * A value of one of its variables: Good status, non-null, with a SourceTimestamp. Checks it and either passes
     * it on (or keeps it for {@link #flush}) and calls {@link #good}, or calls {@link #reject}.
     */
    abstract void onValue(int variable, String variableName, Object value, long atNs, long arrivalNs);

    /** End of a notification message: sends what several variables make together. */
    void flush(final long arrivalNs)
    {
        dirty = false;
    }

    /** A new session: forget what the last one reported (values are read afresh). */
    void reset()
    {
        dirty = false;
    }

    // ------------------------------------------------------------------------------------------ checks

    final boolean integral(final String variableName, final Object value)
    {
        if (Values.isIntegral(value))
        {
            return true;
        }
        reject(variableName, value, Values.isNaN(value) ? "NaN" : "wrong type " + Values.typeName(value) + ", expected an integer");
        return false;
    }

    final boolean inRange(final String variableName, final Object value, final long min, final long max)
    {
        if (!integral(variableName, value))
        {
            return false;
        }
        final long v = Values.longValue(value);
        if (v < min || v > max)
        {
            reject(variableName, value, "out of range [" + min + ", " + max + "]");
            return false;
        }
        return true;
    }

    final boolean inRange(final String variableName, final Object value, final Field.Range range)
    {
        return inRange(variableName, value, range.min(), range.max());
    }

    /** An integer array of exactly {@code length} elements ({@code length} -1: any). */
    final boolean integralArray(final String variableName, final Object value, final int length)
    {
        final int actual = Values.integralArrayLength(value);
        if (actual < 0)
        {
            reject(variableName, value, Values.isNaN(value) ? "NaN" : "wrong type " + Values.typeName(value) + ", expected an integer array");
            return false;
        }
        if (length >= 0 && actual != length)
        {
            reject(variableName, value, "length " + actual + ", expected " + length);
            return false;
        }
        return true;
    }

    /** Element {@code i} of an array within limits, else refused naming the element. */
    final boolean elementInRange(final String variableName, final Object array, final int i, final long min, final long max)
    {
        final long v = Values.element(array, i);
        if (v < min || v > max)
        {
            reject(variableName, array, "element " + i + " = " + v + " out of range [" + min + ", " + max + "]");
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------ health

    /** A good value measured at {@code atNs}: remembered, and the end of an INVALID_VALUE episode. */
    final void good(final long atNs)
    {
        lastGoodAtNs = atNs;
        if (state == DeviceState.INVALID_VALUE)
        {
            recovered();
        }
    }

    private synchronized void recovered()
    {
        if (state == DeviceState.INVALID_VALUE)
        {
            publish(degradedDetail != null ? DeviceState.DEGRADED : DeviceState.ONLINE,
                degradedDetail != null ? degradedDetail : name + ": good values again");
        }
    }

    /** A value refused: counted and reported, never passed on. */
    final synchronized void reject(final String variableName, final Object value, final String why)
    {
        badValueCount++;
        counters.rejectedValues.incrementAndGet();
        publish(DeviceState.INVALID_VALUE, name + " " + variableName + ": " + Values.describe(value) + " refused: " + why);
    }

    /** Refused for a reason no value shows (no SourceTimestamp, a Bad status). */
    final void reject(final String variableName, final String why)
    {
        reject(variableName, null, why);
    }

    /** The session is up: ONLINE (or DEGRADED while an alarm stands). */
    final synchronized void online(final String detail)
    {
        publish(degradedDetail != null ? DeviceState.DEGRADED : DeviceState.ONLINE, degradedDetail != null ? degradedDetail : detail);
    }

    /** The session is gone: OFFLINE, so the loops apply their fallback. */
    final synchronized void offline(final String detail)
    {
        if (state != DeviceState.OFFLINE)
        {
            publish(DeviceState.OFFLINE, detail);
        }
    }

    /** An alarm (ESS alarm bits, lost events) stands: DEGRADED naming it; null clears it (ONLINE). */
    final synchronized void degraded(final String detail)
    {
        final String before = degradedDetail;
        degradedDetail = detail;
        if (detail != null && !detail.equals(before))
        {
            publish(DeviceState.DEGRADED, detail);
        }
        else if (detail == null && before != null && state == DeviceState.DEGRADED)
        {
            publish(DeviceState.ONLINE, name + ": alarm cleared");
        }
    }

    private void publish(final DeviceState newState, final String detail)
    {
        state = newState;
        out.deviceStatus(id, kind.deviceKind(), newState, badValueCount, lastGoodAtNs, detail);
    }

    /** The last state reported. */
    final DeviceState state()
    {
        return state;
    }

    final synchronized long badValueCount()
    {
        return badValueCount;
    }
}
