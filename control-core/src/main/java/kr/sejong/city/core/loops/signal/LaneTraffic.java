package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

/**
 * The last observations of one intersection's incoming lanes (from {@code LaneObservations}), and since
 * when each lane has had vehicles waiting at red. Plain arrays, updated in place.
 */
public final class LaneTraffic
{
    /** No observation yet. */
    public static final long NEVER_NS = Long.MIN_VALUE / 4;

    private final int laneCount;
    private final int[] vehicles;
    private final int[] halting;
    private final int[] occupancyPermille;
    private final int[] meanSpeedCmPerS;
    private final long[] waitingSinceNs;
    private final boolean[] seen;
    private long observedAtNs = NEVER_NS;

    public LaneTraffic(final int laneCount)
    {
        this.laneCount = laneCount;
        vehicles = new int[laneCount];
        halting = new int[laneCount];
        occupancyPermille = new int[laneCount];
        meanSpeedCmPerS = new int[laneCount];
        waitingSinceNs = new long[laneCount];
        seen = new boolean[laneCount];
        java.util.Arrays.fill(waitingSinceNs, NEVER_NS);
    }

    /**
     * Take one {@code LaneObservations} message (decoder wrapped at its body). The whole message is ignored
     * when it does not describe every lane exactly once.
     *
     * @return true when taken, false when ignored as invalid.
     */
    public boolean update(final LaneObservationsDecoder observations, final long nowNs)
    {
        final int start = observations.limit();
        final LaneObservationsDecoder.LanesDecoder lanes = observations.lanes();
        if (lanes.count() != laneCount)
        {
            return false;
        }
        java.util.Arrays.fill(seen, false);
        while (lanes.hasNext())
        {
            lanes.next();
            final int lane = lanes.laneIndex();
            if (lane >= laneCount || seen[lane])
            {
                return false;
            }
            seen[lane] = true;
        }
        // valid: read again and store (a second pass, so an invalid message changes nothing)
        observations.limit(start);
        final LaneObservationsDecoder.LanesDecoder again = observations.lanes();
        while (again.hasNext())
        {
            again.next();
            final int lane = again.laneIndex();
            vehicles[lane] = again.vehicles();
            halting[lane] = Math.min(again.haltingVehicles(), again.vehicles());
            occupancyPermille[lane] = again.occupancyPermille();
            final int speed = again.meanSpeedCmPerS();
            meanSpeedCmPerS[lane] = speed == LaneObservationsDecoder.LanesDecoder.meanSpeedCmPerSNullValue() ? -1 : speed;
        }
        observedAtNs = nowNs;
        return true;
    }

    /** Set one lane directly (tests and simulations). */
    public void set(final int lane, final int vehicles, final int halting, final long nowNs)
    {
        set(lane, vehicles, halting, -1, nowNs);
    }

    /** Set one lane directly with its mean speed (-1: not known) (tests and simulations). */
    public void set(final int lane, final int vehicles, final int halting, final int meanSpeedCmPerS, final long nowNs)
    {
        this.vehicles[lane] = vehicles;
        this.halting[lane] = Math.min(halting, vehicles);
        this.meanSpeedCmPerS[lane] = meanSpeedCmPerS;
        observedAtNs = nowNs;
    }

    /**
     * Note which lanes wait at red: a lane with halting vehicles that the phase shown does not serve keeps
     * the time it started waiting; a served or empty lane waits no more.
     */
    public void updateWaiting(final IntersectionModel model, final int servingPhase, final long nowNs)
    {
        for (int l = 0; l < laneCount; l++)
        {
            final boolean served = servingPhase >= 0 && model.phaseServesLane(servingPhase, l);
            if (served || halting[l] == 0)
            {
                waitingSinceNs[l] = NEVER_NS;
            }
            else if (waitingSinceNs[l] == NEVER_NS)
            {
                waitingSinceNs[l] = nowNs;
            }
        }
    }

    public int laneCount()
    {
        return laneCount;
    }

    public int vehicles(final int lane)
    {
        return vehicles[lane];
    }

    public int halting(final int lane)
    {
        return halting[lane];
    }

    /** Vehicles on the lane that are not halting: they are on their way to the stop line. */
    public int moving(final int lane)
    {
        return vehicles[lane] - halting[lane];
    }

    public int occupancyPermille(final int lane)
    {
        return occupancyPermille[lane];
    }

    /** Mean speed on the lane, or -1 when not given. */
    public int meanSpeedCmPerS(final int lane)
    {
        return meanSpeedCmPerS[lane];
    }

    /** Since when the lane has had vehicles waiting at red, or {@link #NEVER_NS}. */
    public long waitingSinceNs(final int lane)
    {
        return waitingSinceNs[lane];
    }

    /** Logical time of the last observation taken, or {@link #NEVER_NS}. */
    public long observedAtNs()
    {
        return observedAtNs;
    }

    public void snapshot(final StateWriter out)
    {
        out.putInt(laneCount);
        out.putLong(observedAtNs);
        for (int l = 0; l < laneCount; l++)
        {
            out.putInt(vehicles[l]);
            out.putInt(halting[l]);
            out.putInt(occupancyPermille[l]);
            out.putInt(meanSpeedCmPerS[l]);
            out.putLong(waitingSinceNs[l]);
        }
    }

    public void restore(final StateReader in)
    {
        final int count = in.getInt();
        if (count != laneCount)
        {
            throw new IllegalStateException("snapshot has " + count + " lanes, the model " + laneCount);
        }
        observedAtNs = in.getLong();
        for (int l = 0; l < laneCount; l++)
        {
            vehicles[l] = in.getInt();
            halting[l] = in.getInt();
            occupancyPermille[l] = in.getInt();
            meanSpeedCmPerS[l] = in.getInt();
            waitingSinceNs[l] = in.getLong();
        }
    }
}
