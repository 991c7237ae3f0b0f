package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.adapters.opcua.FieldNodes;

/**
 * A video-analytics gateway: every Event value (monitored with a queue, so events between samples are kept)
 * becomes a VideoEvent; an EventCount that grew by more than the events received in between counts the
 * difference as lost and makes the gateway DEGRADED.
 */
final class AnalyticsDevice extends FieldDevice
{
    private static final int EVENT = 0;
    private static final int EVENT_COUNT = 1;

    private final ValueRanges ranges;
    private long lastEventCount = -1;
    private long eventsSinceCount;
    private long lost;

    AnalyticsDevice(final int id, final ValueRanges ranges, final FieldPublisher out, final OpcUaCounters counters)
    {
        super(FieldNodes.Kind.ANALYTICS, id, out, counters);
        this.ranges = ranges;
        monitor(FieldNodes.node(FieldNodes.Kind.ANALYTICS, id, FieldNodes.EVENT), EVENT, FieldNodes.EVENT, FieldNodes.EVENT_QUEUE_SIZE);
        monitor(FieldNodes.EVENT_COUNT, EVENT_COUNT);
    }

    @Override
    void reset()
    {
        super.reset();
        lastEventCount = -1;
        eventsSinceCount = 0;
    }

    @Override
    void onValue(final int variable, final String variableName, final Object value, final long atNs, final long arrivalNs)
    {
        if (variable == EVENT)
        {
            if (integralArray(variableName, value, FieldNodes.EVENT_WIDTH) &&
                elementInRange(variableName, value, 0, 0, Long.MAX_VALUE) &&
                camera(variableName, value) &&
                elementInRange(variableName, value, 2, 1, 13) &&
                elementInRange(variableName, value, 3, 1, 3) &&
                elementInRange(variableName, value, 4, 0, 1000) &&
                elementInRange(variableName, value, 5, Integer.MIN_VALUE + 1, Integer.MAX_VALUE) &&
                elementInRange(variableName, value, 6, Integer.MIN_VALUE + 1, Integer.MAX_VALUE) &&
                elementInRange(variableName, value, 7, 0, 65534) &&
                elementInRange(variableName, value, 8, 1, Long.MAX_VALUE))
            {
                good(atNs);
                eventsSinceCount++;
                out.videoEvent(value, arrivalNs);
            }
            return;
        }
        if (inRange(variableName, value, 0, Long.MAX_VALUE))
        {
            good(atNs);
            final long count = Values.longValue(value);
            if (lastEventCount >= 0 && count - lastEventCount > eventsSinceCount)
            {
                final long missed = count - lastEventCount - eventsSinceCount;
                lost += missed;
                counters.eventsLost.addAndGet(missed);
                degraded(name + ": " + lost + " events lost (EventCount " + count + ")");
            }
            lastEventCount = count;
            eventsSinceCount = 0;
        }
    }

    private boolean camera(final String variableName, final Object value)
    {
        final long cameraId = Values.element(value, 1);
        if (!ranges.knownCamera(cameraId))
        {
            reject(variableName, value, "element 1 = " + cameraId + " is not a camera of emergency.cameras");
            return false;
        }
        return true;
    }
}
