package kr.sejong.city.core.loops.signal;

import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

/**
 * Where the vehicles on each approach of one intersection are, estimated from the lane observations alone
 * (they say how many vehicles a lane holds, how many halt and how fast they go, not where they are). An
 * approach observed over its whole length works as an advance detector: a vehicle counted for the first time
 * has just entered at the upstream end. So the tracker keeps, per approach, the vehicles in the order they
 * entered (first in, first out) with the distance each has travelled since:
 * <ul>
 *   <li><b>A count that rises</b>: vehicles entered now, at the upstream end (at the back).</li>
 *   <li><b>A count that falls</b>: the front vehicles crossed the stop line (the approach showed green or
 *       yellow on some lane); otherwise the ones missing left in some other way and are taken to be the
 *       latest to enter. Vehicles changing lanes within the approach change nothing: the approach is
 *       counted as a whole, which is why it is tracked rather than each lane.</li>
 *   <li><b>Moving</b>: between two observations the moving vehicles advance at the approach's observed mean
 *       speed of moving vehicles (the speed limit when the speed is not observed, at most 120 % of it); the
 *       halting vehicles, at the front, do not advance.</li>
 *   <li><b>Overdue</b>: on an approach showing green with no queue, a vehicle that has travelled more than
 *       the approach's length plus a margin has in fact left while another entered in the same step (the
 *       count did not move): it is taken as the new one.</li>
 * </ul>
 * A moving vehicle is expected at the stop line after the distance it still has to go at the speed limit
 * (0 once there). Per lane it also keeps when the lane's queue last got shorter (a halting vehicle moved off). The moving vehicles of an approach are dealt to its lanes nearest first, in proportion to
 * each lane's moving vehicles; a lane's halting vehicles are its queue, at the stop line. Fixed-size arrays
 * (about one vehicle per 5 m of lane); nothing is allocated per tick.
 */
public final class ArrivalTracker
{
    private static final long NEVER_NS = LaneTraffic.NEVER_NS;
    private static final int MAX_LANE_CAPACITY = 512;
    private static final int MIN_LANE_CAPACITY = 16;
    /** How far past the stop line a moving vehicle on a green approach may seem to be before it is taken as gone. */
    static final long OVERDUE_MARGIN_MM = 30_000;
    /** An observed mean speed above this share of the speed limit is taken as this (a bad reading). */
    static final int MAX_SPEED_PERCENT = 120;

    private final IntersectionModel model;
    private final int laneCount;
    private final int approachCount;
    private final int[] laneCapacity;
    private final long[] approachLengthMm;
    // per approach: distance travelled since entering, oldest vehicle first, in a ring buffer
    private final long[][] travelledMm;
    private final int[] head;
    private final int[] size;
    private final int[] halting;
    private long observationNs = NEVER_NS;
    private long trackedAtNs = NEVER_NS;
    // per lane, derived after each update: the distance travelled by the lane's moving vehicles, nearest first
    private final long[][] laneTravelledMm;
    private final int[] laneQueued;
    private final int[] laneMoving;
    private final int[] target;
    private final long[] queueMovedNs;

    public ArrivalTracker(final IntersectionModel model)
    {
        this.model = model;
        this.laneCount = model.laneCount();
        this.approachCount = model.approachCount();
        laneCapacity = new int[laneCount];
        laneTravelledMm = new long[laneCount][];
        laneQueued = new int[laneCount];
        laneMoving = new int[laneCount];
        target = new int[laneCount];
        queueMovedNs = new long[laneCount];
        java.util.Arrays.fill(queueMovedNs, NEVER_NS);
        approachLengthMm = new long[approachCount];
        final int[] capacity = new int[approachCount];
        for (int l = 0; l < laneCount; l++)
        {
            laneCapacity[l] = Math.max(MIN_LANE_CAPACITY, Math.min(MAX_LANE_CAPACITY, model.laneLengthMm(l) / 5000 + 4));
            laneTravelledMm[l] = new long[laneCapacity[l]];
            final int a = model.laneApproach(l);
            capacity[a] += laneCapacity[l];
            approachLengthMm[a] = Math.max(approachLengthMm[a], model.laneLengthMm(l));
        }
        travelledMm = new long[approachCount][];
        for (int a = 0; a < approachCount; a++)
        {
            travelledMm[a] = new long[Math.max(1, capacity[a])];
        }
        head = new int[approachCount];
        size = new int[approachCount];
        halting = new int[approachCount];
    }

    /**
     * Take the latest observation, if it is new.
     *
     * @param traffic the lanes' last observation.
     * @param shown   the intersection's monitor, still showing what the traffic saw since the last update.
     * @param nowNs   logical time.
     */
    public void update(final LaneTraffic traffic, final ConflictMonitor shown, final long nowNs)
    {
        final long observedAtNs = traffic.observedAtNs();
        if (observedAtNs == NEVER_NS || observedAtNs == observationNs)
        {
            return;
        }
        final long dtNs = trackedAtNs == NEVER_NS ? 0 : Math.max(0, nowNs - trackedAtNs);
        observationNs = observedAtNs;
        trackedAtNs = nowNs;
        for (int a = 0; a < approachCount; a++)
        {
            int vehicles = 0;
            int halts = 0;
            boolean open = false;
            boolean speedKnown = true;
            long speedSum = 0;
            long limitSum = 0;
            int lanes = 0;
            for (int l = 0; l < laneCount; l++)
            {
                if (model.laneApproach(l) == a)
                {
                    vehicles += traffic.vehicles(l);
                    halts += traffic.halting(l);
                    open |= open(l, shown);
                    speedKnown &= traffic.meanSpeedCmPerS(l) >= 0 || traffic.vehicles(l) == 0;
                    speedSum += (long)Math.max(0, traffic.meanSpeedCmPerS(l)) * traffic.vehicles(l);
                    limitSum += model.laneSpeedLimitCmPerS(l);
                    lanes++;
                }
            }
            // the moving vehicles advanced at their mean speed (the halting ones, at the front, did not)
            final int moving = vehicles - halts;
            final long limitCmPerS = limitSum / Math.max(1, lanes);
            final long speedCmPerS = speedKnown && moving > 0
                ? Math.min(speedSum / moving, limitCmPerS * MAX_SPEED_PERCENT / 100) : limitCmPerS;
            final long advanceMm = speedCmPerS * dtNs / 100_000_000L;
            for (int k = Math.min(halting[a], size[a]); k < size[a]; k++)
            {
                travelledMm[a][index(a, k)] += advanceMm;
            }
            vehicles = Math.min(vehicles, travelledMm[a].length);
            while (size[a] > vehicles)
            {
                if (open)
                {
                    popFront(a);
                }
                else
                {
                    size[a]--; // left without crossing the stop line: taken as the latest in
                }
            }
            while (size[a] < vehicles)
            {
                pushBack(a);
            }
            halting[a] = Math.min(halts, size[a]);
            if (halting[a] == 0 && open)
            {
                for (int k = size[a]; k > 0 && travelledMm[a][head[a]] > approachLengthMm[a] + OVERDUE_MARGIN_MM; k--)
                {
                    popFront(a);
                    pushBack(a);
                }
            }
        }
        deal(traffic);
    }

    /** Deal each approach's moving vehicles to its lanes, nearest first, in proportion to the lanes' moving counts. */
    private void deal(final LaneTraffic traffic)
    {
        for (int l = 0; l < laneCount; l++)
        {
            if (traffic.halting(l) < laneQueued[l])
            {
                queueMovedNs[l] = trackedAtNs;
            }
            laneQueued[l] = Math.min(traffic.halting(l), laneCapacity[l]);
            target[l] = Math.min(traffic.vehicles(l) - traffic.halting(l), laneCapacity[l] - laneQueued[l]);
            laneMoving[l] = 0;
        }
        for (int a = 0; a < approachCount; a++)
        {
            int moving = 0;
            for (int l = 0; l < laneCount; l++)
            {
                if (model.laneApproach(l) == a)
                {
                    moving += target[l];
                }
            }
            final int available = Math.min(moving, size[a] - halting[a]);
            for (int j = 0; j < available; j++)
            {
                // the lane furthest behind its share so far
                int lane = -1;
                double behind = -Double.MAX_VALUE;
                for (int l = 0; l < laneCount; l++)
                {
                    if (model.laneApproach(l) != a || laneMoving[l] >= target[l])
                    {
                        continue;
                    }
                    final double share = (double)target[l] * (j + 1) / moving - laneMoving[l];
                    if (share > behind)
                    {
                        behind = share;
                        lane = l;
                    }
                }
                laneTravelledMm[lane][laneMoving[lane]++] = travelledMm[a][index(a, halting[a] + j)];
            }
        }
    }

    private boolean open(final int lane, final ConflictMonitor shown)
    {
        for (int m = 0; m < model.movementCount(); m++)
        {
            if (model.movementLane(m) == lane && (SignalLetters.isGreen(shown.shown(m)) || SignalLetters.isYellow(shown.shown(m))))
            {
                return true;
            }
        }
        return false;
    }

    private int index(final int approach, final int k)
    {
        final int capacity = travelledMm[approach].length;
        final int i = head[approach] + k;
        return i >= capacity ? i - capacity : i;
    }

    private void popFront(final int approach)
    {
        head[approach] = index(approach, 1);
        size[approach]--;
    }

    private void pushBack(final int approach)
    {
        travelledMm[approach][index(approach, size[approach])] = 0;
        size[approach]++;
    }

    /** Vehicles on the approach (tests and status). */
    public int approachSize(final int approach)
    {
        return size[approach];
    }

    /** Vehicles on the lane: its queue, then its moving vehicles nearest first. */
    public int size(final int lane)
    {
        return laneQueued[lane] + laneMoving[lane];
    }

    /** When the lane's queue last got shorter (a halting vehicle moved off), or {@link LaneTraffic#NEVER_NS}. */
    public long queueMovedNs(final int lane)
    {
        return queueMovedNs[lane];
    }

    /** The lane's halting vehicles, taken as queued at the stop line. */
    public int queued(final int lane)
    {
        return laneQueued[lane];
    }

    /**
     * When the k-th vehicle from the stop line (0: the first) is expected there, from now: 0 for a queued one,
     * else the distance it still has to go at the lane's speed limit, never below 0.
     */
    public long etaNs(final int lane, final int k, final long nowNs)
    {
        if (k < laneQueued[lane])
        {
            return 0;
        }
        final long remainingMm = model.laneLengthMm(lane) - laneTravelledMm[lane][k - laneQueued[lane]];
        final int speedCmPerS = model.laneSpeedLimitCmPerS(lane);
        if (remainingMm <= 0 || speedCmPerS <= 0)
        {
            return 0;
        }
        return remainingMm * 100_000_000L / speedCmPerS;
    }

    public void snapshot(final StateWriter out)
    {
        out.putInt(approachCount);
        out.putLong(observationNs);
        out.putLong(trackedAtNs);
        for (int a = 0; a < approachCount; a++)
        {
            out.putInt(halting[a]);
            out.putInt(size[a]);
            for (int k = 0; k < size[a]; k++)
            {
                out.putLong(travelledMm[a][index(a, k)]);
            }
        }
        for (int l = 0; l < laneCount; l++)
        {
            out.putLong(queueMovedNs[l]);
            out.putInt(laneQueued[l]);
            out.putInt(laneMoving[l]);
            for (int k = 0; k < laneMoving[l]; k++)
            {
                out.putLong(laneTravelledMm[l][k]);
            }
        }
    }

    public void restore(final StateReader in)
    {
        final int count = in.getInt();
        if (count != approachCount)
        {
            throw new IllegalStateException("snapshot has " + count + " approaches, the model " + approachCount);
        }
        observationNs = in.getLong();
        trackedAtNs = in.getLong();
        for (int a = 0; a < approachCount; a++)
        {
            halting[a] = in.getInt();
            size[a] = in.getInt();
            head[a] = 0;
            for (int k = 0; k < size[a]; k++)
            {
                travelledMm[a][k] = in.getLong();
            }
        }
        for (int l = 0; l < laneCount; l++)
        {
            queueMovedNs[l] = in.getLong();
            laneQueued[l] = in.getInt();
            laneMoving[l] = in.getInt();
            for (int k = 0; k < laneMoving[l]; k++)
            {
                laneTravelledMm[l][k] = in.getLong();
            }
        }
    }
}
