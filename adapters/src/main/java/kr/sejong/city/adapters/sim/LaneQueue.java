package kr.sejong.city.adapters.sim;

import java.util.Arrays;

/**
 * One incoming lane as a store-and-forward queue in logical time (a "vertical" queue: waiting vehicles take
 * no length away from the lane).
 * <ul>
 *   <li>A vehicle {@linkplain #enter enters} the lane at its upstream end knowing its movement, drives the
 *   lane at free-flow speed ({@code travelNs}) and then stands at the stop line in its movement's queue.</li>
 *   <li>The stop line {@linkplain #advance discharges} one vehicle per {@code headwayNs} (the saturation
 *   flow), always the one that reached it first among the movements allowed to go; a vehicle whose movement
 *   must stop does not hold up the others (as if turning traffic had a short bay of its own). Leaving from
 *   standstill costs {@code lostTimeNs} once: the first vehicle of a green goes at its start plus the lost
 *   time plus a headway, the next a headway later. A lane whose movements all stop loses its start.</li>
 *   <li>Delay is the time vehicles stand at the stop line, in vehicle-nanoseconds: completed for the vehicles
 *   gone, and so far for those still waiting.</li>
 * </ul>
 * Plain arrays grown on demand; not thread-safe.
 */
final class LaneQueue
{
    private final int movements;
    private final long travelNs;
    private final long headwayNs;
    private final long lostTimeNs;

    // in transit, in order of entry (the same travel time for all: also in order of reaching the stop line)
    private long[] transitAtStopLineNs = new long[16];
    private int[] transitMovement = new int[16];
    private int transitHead;
    private int transitCount;

    // standing at the stop line, one FIFO per movement: the time each reached it
    private final long[][] queueSinceNs;
    private final int[] queueHead;
    private final int[] queueCount;
    private int queued;

    private boolean running;
    private long serverFreeAtNs = Long.MIN_VALUE;

    private long entered;
    private long departed;
    private long completedDelayNs;
    private int maxQueued;

    /**
     * @param movements  movements the lane's vehicles take (indices 0..movements-1 of this lane).
     * @param travelNs   free-flow time from the lane's upstream end to its stop line.
     * @param headwayNs  time between two vehicles leaving at saturation flow.
     * @param lostTimeNs start-up lost time of a queue leaving from standstill.
     */
    LaneQueue(final int movements, final long travelNs, final long headwayNs, final long lostTimeNs)
    {
        if (movements < 1 || travelNs < 0 || headwayNs <= 0 || lostTimeNs < 0)
        {
            throw new IllegalArgumentException("movements " + movements + ", travel " + travelNs + " ns, headway " + headwayNs
                + " ns, lost time " + lostTimeNs + " ns");
        }
        this.movements = movements;
        this.travelNs = travelNs;
        this.headwayNs = headwayNs;
        this.lostTimeNs = lostTimeNs;
        queueSinceNs = new long[movements][8];
        queueHead = new int[movements];
        queueCount = new int[movements];
    }

    /** A vehicle enters the lane's upstream end at {@code timeNs} (entries in time order). */
    void enter(final long timeNs, final int movement)
    {
        place(timeNs + travelNs, movement);
    }

    /** A vehicle already on the lane, reaching the stop line at {@code atStopLineNs} (a run's initial traffic). */
    void place(final long atStopLineNs, final int movement)
    {
        if (movement < 0 || movement >= movements)
        {
            throw new IllegalArgumentException("movement " + movement + " of a lane with " + movements);
        }
        if (transitCount == transitAtStopLineNs.length)
        {
            transitAtStopLineNs = unroll(transitAtStopLineNs, transitHead, transitCount);
            transitMovement = unroll(transitMovement, transitHead, transitCount);
            transitHead = 0;
        }
        final int at = (transitHead + transitCount) % transitAtStopLineNs.length;
        transitAtStopLineNs[at] = atStopLineNs;
        transitMovement[at] = movement;
        transitCount++;
        entered++;
    }

    /**
     * Run the lane through [fromNs, toNs) with the signal unchanged: vehicles reach the stop line, and those
     * whose movement may go ({@code mayGo[movement]}) leave at the saturation flow.
     */
    void advance(final long fromNs, final long toNs, final boolean[] mayGo)
    {
        // arrivals at the stop line during the step join their movement's queue
        while (transitCount > 0 && transitAtStopLineNs[transitHead] < toNs)
        {
            push(transitMovement[transitHead], transitAtStopLineNs[transitHead]);
            transitHead = (transitHead + 1) % transitAtStopLineNs.length;
            transitCount--;
        }
        boolean any = false;
        for (int m = 0; m < movements; m++)
        {
            any |= mayGo[m];
        }
        if (!any)
        {
            running = false;
            maxQueued = Math.max(maxQueued, queued);
            return;
        }
        if (!running)
        {
            // from standstill: the first vehicle goes a lost time plus a headway after the green starts
            serverFreeAtNs = Math.max(serverFreeAtNs, fromNs + lostTimeNs + headwayNs);
            running = true;
        }
        while (true)
        {
            int next = -1;
            long nextSinceNs = Long.MAX_VALUE;
            for (int m = 0; m < movements; m++)
            {
                if (mayGo[m] && queueCount[m] > 0 && queueSinceNs[m][queueHead[m]] < nextSinceNs)
                {
                    next = m;
                    nextSinceNs = queueSinceNs[m][queueHead[m]];
                }
            }
            if (next < 0)
            {
                break;
            }
            final long departNs = Math.max(Math.max(serverFreeAtNs, nextSinceNs), fromNs);
            if (departNs >= toNs)
            {
                break;
            }
            pop(next);
            departed++;
            completedDelayNs += departNs - nextSinceNs;
            serverFreeAtNs = departNs + headwayNs;
        }
        maxQueued = Math.max(maxQueued, queued);
    }

    private void push(final int movement, final long sinceNs)
    {
        long[] fifo = queueSinceNs[movement];
        if (queueCount[movement] == fifo.length)
        {
            fifo = unroll(fifo, queueHead[movement], queueCount[movement]);
            queueSinceNs[movement] = fifo;
            queueHead[movement] = 0;
        }
        fifo[(queueHead[movement] + queueCount[movement]) % fifo.length] = sinceNs;
        queueCount[movement]++;
        queued++;
    }

    private void pop(final int movement)
    {
        queueHead[movement] = (queueHead[movement] + 1) % queueSinceNs[movement].length;
        queueCount[movement]--;
        queued--;
    }

    private static long[] unroll(final long[] ring, final int head, final int count)
    {
        final long[] grown = new long[Math.max(16, ring.length * 2)];
        for (int i = 0; i < count; i++)
        {
            grown[i] = ring[(head + i) % ring.length];
        }
        return grown;
    }

    private static int[] unroll(final int[] ring, final int head, final int count)
    {
        final int[] grown = new int[Math.max(16, ring.length * 2)];
        for (int i = 0; i < count; i++)
        {
            grown[i] = ring[(head + i) % ring.length];
        }
        return grown;
    }

    /** Vehicles standing at the stop line. */
    int queued()
    {
        return queued;
    }

    /** Vehicles of one movement standing at the stop line. */
    int queued(final int movement)
    {
        return queueCount[movement];
    }

    /** Vehicles driving towards the stop line. */
    int approaching()
    {
        return transitCount;
    }

    /** Vehicles on the lane: standing plus approaching. */
    int vehicles()
    {
        return queued + transitCount;
    }

    long entered()
    {
        return entered;
    }

    long departed()
    {
        return departed;
    }

    /** Delay of the vehicles gone, vehicle-ns. */
    long completedDelayNs()
    {
        return completedDelayNs;
    }

    /** Delay so far of the vehicles still standing, at {@code nowNs}, vehicle-ns. */
    long waitingDelayNs(final long nowNs)
    {
        long delay = 0;
        for (int m = 0; m < movements; m++)
        {
            final long[] fifo = queueSinceNs[m];
            for (int i = 0; i < queueCount[m]; i++)
            {
                delay += Math.max(0, nowNs - fifo[(queueHead[m] + i) % fifo.length]);
            }
        }
        return delay;
    }

    /** The longest queue seen at the end of a step. */
    int maxQueued()
    {
        return maxQueued;
    }

    int movements()
    {
        return movements;
    }

    long travelNs()
    {
        return travelNs;
    }

    @Override
    public String toString()
    {
        return "LaneQueue{queued " + queued + " " + Arrays.toString(queueCount) + ", approaching " + transitCount + "}";
    }
}
