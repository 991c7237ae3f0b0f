package kr.sejong.city.adapters.sim;

import kr.sejong.city.adapters.twin.TwinFrames;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Intersection;
import kr.sejong.city.config.Mobility;
import org.agrona.DirectBuffer;

import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The city's signalised intersections as the signal loop sees them: traffic queueing at the stop lines in
 * logical time, discharging on green, and observed lane by lane.
 * <ul>
 *   <li><b>Layout</b>: each configured intersection's {@link IntersectionLayout} (lanes, movements,
 *   conflicts, own program); {@link #topologies} emits one {@code IntersectionTopology} each, ascending id.
 *   An intersection without movements (a single leg) is left out.</li>
 *   <li><b>Arrivals</b>: per lane a Poisson process, as the detectors draw it: {@code
 *   peakVehiclesPerHourPerLane} x {@link DailyProfiles#traffic} for a general lane, one BRT bus per {@code
 *   brtHeadwayS} in service hours for a bus lane. Each vehicle takes one of its lane's movements, weighted
 *   left {@value #LEFT_WEIGHT}, straight {@value #STRAIGHT_WEIGHT}, right {@value #RIGHT_WEIGHT}. A run starts
 *   with the lanes in free flow: vehicles already on their way, none queued.</li>
 *   <li><b>Queues</b>: each lane a {@link LaneQueue}: free-flow travel along the lane (its length at its
 *   speed limit), then the stop line, which discharges one vehicle per {@value #HEADWAY_MS} ms (1,800 an hour)
 *   after a start-up lost time of {@value #LOST_TIME_MS} ms.</li>
 *   <li><b>Signals</b>: the state shown holds for a whole step. Until a {@code SignalCommand} names an
 *   intersection, it runs its own program (cycle counted from the epoch); from the first one on, it shows the
 *   last command's state. {@code G}: the movement goes. {@code g}: it goes only while no conflicting
 *   movement that is green has vehicles standing at its stop line at the start of the step (it yields;
 *   between two yielding movements the lower index goes first). Yellow, red and anything else: it stops.</li>
 *   <li><b>Observations</b>: after each step, one {@code LaneObservations} per intersection, ascending id:
 *   vehicles = standing + approaching, halting = standing, occupancy = vehicle lengths ({@value #CAR_LENGTH_M}
 *   m a car, {@value #BUS_LENGTH_M} m a bus) over the lane's length, mean speed = approaching vehicles at the
 *   lane's speed limit and standing ones at 0 (null when the lane is empty).</li>
 *   <li><b>Delay</b>: vehicle-seconds spent standing at stop lines ({@link #totalDelayS}).</li>
 * </ul>
 * Draws only from its own random stream. The numbers are chosen, not measured.
 * <p>
 * Commands are applied from the simulator's thread between steps; the figures ({@link #totalDelayS} etc.)
 * may be read from any thread.
 */
public final class SignalizedField implements Generator
{
    static final long SALT = 0x5349474E414C5321L; // "SIGNALS!"

    /** Saturation headway: one vehicle per lane every 2 s (chosen: 1,800 vehicles an hour, a common figure). */
    public static final int HEADWAY_MS = 2000;
    /** Start-up lost time of a queue leaving from standstill (chosen). */
    public static final int LOST_TIME_MS = 2000;
    /** Share of a lane's vehicles by turn, relative weights (chosen: through twice as likely as a turn). */
    public static final double LEFT_WEIGHT = 1.0;
    public static final double STRAIGHT_WEIGHT = 2.0;
    public static final double RIGHT_WEIGHT = 1.0;
    public static final double CAR_LENGTH_M = 5.0;
    public static final double BUS_LENGTH_M = 12.0;

    private final ZoneRules zone;
    private final SplittableRandom random;
    private final double peakVehiclesPerHourPerLane;
    private final double busesPerHour;
    private final int serviceStartHour;
    private final int serviceEndHour;
    private final Site[] sites;
    private final TwinFrames frames = new TwinFrames();
    private final Arrivals arrivals = new Arrivals();

    private boolean started;
    private long lastToNs = Long.MIN_VALUE;
    private long completedDelayNs;
    private long commandsApplied;
    private long commandsIgnored;

    private volatile double totalDelayS;
    private volatile long vehiclesEntered;
    private volatile long vehiclesDeparted;
    private volatile int queuedVehicles;
    private volatile int maxQueuedVehicles;
    private volatile int maxLaneQueue;

    /** One intersection: its layout, lanes, and what it shows. */
    private static final class Site
    {
        final IntersectionLayout layout;
        final LaneQueue[] lanes;
        final int[][] laneMovements;   // lane -> movement indices (signal order)
        final double[][] laneWeights;  // lane -> weight of each of its movements
        final boolean[] busLane;
        final byte[] state;
        final boolean[] mayGo;
        final boolean[] laneMayGo;
        final int[] standingAtStart;
        final int[] vehicles;
        final int[] halting;
        final int[] occupancy;
        final int[] speed;
        boolean commanded;

        Site(final IntersectionLayout layout)
        {
            this.layout = layout;
            final int laneCount = layout.lanes().size();
            lanes = new LaneQueue[laneCount];
            laneMovements = new int[laneCount][];
            laneWeights = new double[laneCount][];
            busLane = new boolean[laneCount];
            int widest = 1;
            for (int l = 0; l < laneCount; l++)
            {
                final IntersectionLayout.Lane lane = layout.lanes().get(l);
                laneMovements[l] = layout.movementsOfLane(l);
                busLane[l] = lane.busLane();
                laneWeights[l] = new double[laneMovements[l].length];
                for (int i = 0; i < laneMovements[l].length; i++)
                {
                    laneWeights[l][i] = turnWeight(layout.movements().get(laneMovements[l][i]).turn());
                }
                widest = Math.max(widest, laneMovements[l].length);
                lanes[l] = laneMovements[l].length == 0 ? null : new LaneQueue(laneMovements[l].length,
                    travelNs(lane.lengthM(), lane.speedLimitMps()), HEADWAY_MS * 1_000_000L, LOST_TIME_MS * 1_000_000L);
            }
            final int n = layout.movementCount();
            state = new byte[n];
            mayGo = new boolean[n];
            laneMayGo = new boolean[widest];
            standingAtStart = new int[n];
            vehicles = new int[laneCount];
            halting = new int[laneCount];
            occupancy = new int[laneCount];
            speed = new int[laneCount];
        }
    }

    public SignalizedField(final CityConfig config, final long seed)
    {
        random = RandomDraws.stream(seed, SALT);
        zone = ZoneId.of(config.city().timeZone()).getRules();
        peakVehiclesPerHourPerLane = config.simulator().peakVehiclesPerHourPerLane();
        busesPerHour = 3600.0 / config.simulator().brtHeadwayS();
        final Mobility.Service service = config.mobility().service();
        serviceStartHour = service.serviceStartHour();
        serviceEndHour = service.serviceEndHour();
        final List<Intersection> byId = new ArrayList<>(config.traffic().intersections());
        byId.sort(Comparator.comparingInt(Intersection::id));
        final List<Site> controllable = new ArrayList<>();
        for (final Intersection intersection : byId)
        {
            final IntersectionLayout layout = IntersectionLayout.of(intersection, config.traffic());
            if (layout.controllable())
            {
                controllable.add(new Site(layout));
            }
        }
        sites = controllable.toArray(new Site[0]);
    }

    /** Emit one {@code IntersectionTopology} per controllable intersection, ascending id. */
    public void topologies(final FrameSink sink)
    {
        for (final Site site : sites)
        {
            final int length = frames.topology(site.layout.intersectionId(), site.layout.toTrafficLight());
            sink.onFrame(frames.buffer(), 0, length);
        }
    }

    /**
     * Show a commanded signal state from the next step on (the letters of a {@code SignalCommand}). A state
     * for an unknown intersection, or of the wrong length, is ignored and counted.
     *
     * @return whether it was applied.
     */
    public boolean show(final long intersectionId, final DirectBuffer letters, final int offset, final int length)
    {
        final int index = indexOf(intersectionId);
        if (index < 0 || sites[index].state.length != length)
        {
            commandsIgnored++;
            return false;
        }
        final Site site = sites[index];
        letters.getBytes(offset, site.state, 0, length);
        site.commanded = true;
        commandsApplied++;
        return true;
    }

    /** {@link #show(long, DirectBuffer, int, int)} from a string (tests). */
    public boolean show(final long intersectionId, final String letters)
    {
        final byte[] bytes = letters.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return show(intersectionId, new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length);
    }

    @Override
    public void step(final long fromNs, final long toNs, final FrameSink sink)
    {
        if (!started)
        {
            started = true;
            seedTraffic(fromNs);
        }
        lastToNs = toNs;
        final double hour = CityClock.localHourOfDay(zone, fromNs + (toNs - fromNs) / 2);
        final double carsPerHour = peakVehiclesPerHourPerLane * DailyProfiles.traffic(hour);
        final double busesNowPerHour = hour >= serviceStartHour && hour < serviceEndHour ? busesPerHour : 0.0;
        int queuedNow = 0;
        int longestLane = maxLaneQueue;
        long departed = 0;
        long entered = 0;
        long waitingNs = 0;
        for (final Site site : sites)
        {
            signalState(site, fromNs);
            permissions(site);
            final List<IntersectionLayout.Lane> lanes = site.layout.lanes();
            for (int l = 0; l < site.lanes.length; l++)
            {
                final LaneQueue lane = site.lanes[l];
                if (lane == null)
                {
                    continue;
                }
                final int count = arrivals.draw(random, site.busLane[l] ? busesNowPerHour : carsPerHour, fromNs, toNs);
                for (int i = 0; i < count; i++)
                {
                    lane.enter(arrivals.timeNs(i), chooseMovement(random, site.laneWeights[l]));
                }
                final int[] movements = site.laneMovements[l];
                for (int i = 0; i < movements.length; i++)
                {
                    site.laneMayGo[i] = site.mayGo[movements[i]];
                }
                final long before = lane.completedDelayNs();
                lane.advance(fromNs, toNs, site.laneMayGo);
                completedDelayNs += lane.completedDelayNs() - before;
                waitingNs += lane.waitingDelayNs(toNs);
                queuedNow += lane.queued();
                longestLane = Math.max(longestLane, lane.maxQueued());
                departed += lane.departed();
                entered += lane.entered();

                final IntersectionLayout.Lane geometry = lanes.get(l);
                site.vehicles[l] = lane.vehicles();
                site.halting[l] = lane.queued();
                site.occupancy[l] = occupancyPermille(lane.vehicles(), site.busLane[l] ? BUS_LENGTH_M : CAR_LENGTH_M,
                    geometry.lengthM());
                site.speed[l] = meanSpeedCmPerS(lane.approaching(), lane.queued(), geometry.speedLimitMps());
            }
            final int length = frames.laneObservations(site.layout.intersectionId(), site.lanes.length, site.vehicles, site.halting,
                site.occupancy, site.speed);
            sink.onFrame(frames.buffer(), 0, length);
        }
        totalDelayS = (completedDelayNs + waitingNs) / 1e9;
        vehiclesDeparted = departed;
        vehiclesEntered = entered;
        queuedVehicles = queuedNow;
        maxQueuedVehicles = Math.max(maxQueuedVehicles, queuedNow);
        maxLaneQueue = longestLane;
    }

    /** A run starts in free flow: the vehicles a lane holds on average are already on their way, none queued. */
    private void seedTraffic(final long fromNs)
    {
        final double hour = CityClock.localHourOfDay(zone, fromNs);
        final double carsPerHour = peakVehiclesPerHourPerLane * DailyProfiles.traffic(hour);
        final double busesNowPerHour = hour >= serviceStartHour && hour < serviceEndHour ? busesPerHour : 0.0;
        for (final Site site : sites)
        {
            for (int l = 0; l < site.lanes.length; l++)
            {
                final LaneQueue lane = site.lanes[l];
                if (lane == null || lane.travelNs() == 0)
                {
                    continue;
                }
                final int count = arrivals.draw(random, site.busLane[l] ? busesNowPerHour : carsPerHour, fromNs,
                    fromNs + lane.travelNs());
                for (int i = 0; i < count; i++)
                {
                    lane.place(arrivals.timeNs(i), chooseMovement(random, site.laneWeights[l]));
                }
            }
        }
    }

    private static void signalState(final Site site, final long nowNs)
    {
        if (!site.commanded)
        {
            final String own = site.layout.programStateAt(nowNs);
            for (int m = 0; m < site.state.length; m++)
            {
                site.state[m] = (byte)own.charAt(m);
            }
        }
    }

    /** Which movements may go this step, from the state shown and the queues standing at its start. */
    private static void permissions(final Site site)
    {
        final int n = site.state.length;
        for (int l = 0; l < site.lanes.length; l++)
        {
            if (site.lanes[l] != null)
            {
                final int[] movements = site.laneMovements[l];
                for (int i = 0; i < movements.length; i++)
                {
                    site.standingAtStart[movements[i]] = site.lanes[l].queued(i);
                }
            }
        }
        for (int m = 0; m < n; m++)
        {
            site.mayGo[m] = mayGo(m, site.state, site.layout, site.standingAtStart);
        }
    }

    /**
     * Whether movement m may go: {@code G} always; {@code g} unless a conflicting movement that is green has
     * vehicles standing ({@code G}, or a {@code g} of lower index); any other letter never.
     */
    static boolean mayGo(final int m, final byte[] state, final IntersectionLayout layout, final int[] standing)
    {
        final byte letter = state[m];
        if (letter == 'G')
        {
            return true;
        }
        if (letter != 'g')
        {
            return false;
        }
        for (int c = 0; c < state.length; c++)
        {
            if (c == m || !layout.conflicts(m, c) || standing[c] == 0)
            {
                continue;
            }
            if (state[c] == 'G' || (state[c] == 'g' && c < m))
            {
                return false;
            }
        }
        return true;
    }

    static double turnWeight(final char turn)
    {
        return switch (turn)
        {
            case IntersectionLayout.LEFT -> LEFT_WEIGHT;
            case IntersectionLayout.RIGHT -> RIGHT_WEIGHT;
            default -> STRAIGHT_WEIGHT;
        };
    }

    private static int chooseMovement(final SplittableRandom random, final double[] weights)
    {
        return weights.length == 1 ? 0 : RandomDraws.weightedIndex(random, weights);
    }

    /** Free-flow time along a lane. */
    static long travelNs(final double lengthM, final double speedMps)
    {
        return speedMps > 0 ? Math.round(lengthM / speedMps * 1e9) : 0;
    }

    /** Share of the lane covered by its vehicles, permille, capped at 1000. */
    static int occupancyPermille(final int vehicles, final double vehicleLengthM, final double laneLengthM)
    {
        if (laneLengthM <= 0)
        {
            return vehicles > 0 ? 1000 : 0;
        }
        return (int)Math.min(1000, Math.round(vehicles * vehicleLengthM * 1000.0 / laneLengthM));
    }

    /** Mean speed of the lane's vehicles, cm/s: approaching ones at the speed limit, standing ones at 0; -1 when empty. */
    static int meanSpeedCmPerS(final int approaching, final int standing, final double speedLimitMps)
    {
        final int vehicles = approaching + standing;
        if (vehicles == 0)
        {
            return -1;
        }
        return (int)Math.round(approaching * speedLimitMps * 100.0 / vehicles);
    }

    private int indexOf(final long intersectionId)
    {
        int low = 0;
        int high = sites.length - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final long id = sites[mid].layout.intersectionId();
            if (id < intersectionId)
            {
                low = mid + 1;
            }
            else if (id > intersectionId)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -1;
    }

    /** The controllable intersections' layouts, ascending id. */
    public List<IntersectionLayout> layouts()
    {
        final List<IntersectionLayout> layouts = new ArrayList<>();
        for (final Site site : sites)
        {
            layouts.add(site.layout);
        }
        return layouts;
    }

    /** Number of controllable intersections (each gets a topology, observations, and one command per Tick). */
    public int intersectionCount()
    {
        return sites.length;
    }

    /** Id of the i-th controllable intersection, ascending. */
    public long intersectionId(final int index)
    {
        return sites[index].layout.intersectionId();
    }

    /** Index of an intersection among the controllable ones, or -1. */
    public int indexOfIntersection(final long intersectionId)
    {
        return indexOf(intersectionId);
    }

    /** What an intersection shows now (the last command, or its own program at the last step's start). */
    public String shown(final long intersectionId)
    {
        final int index = indexOf(intersectionId);
        return index < 0 ? null : new String(sites[index].state, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Vehicles standing at one lane's stop line now (tests). */
    int queued(final long intersectionId, final int laneIndex)
    {
        final LaneQueue lane = sites[indexOf(intersectionId)].lanes[laneIndex];
        return lane == null ? 0 : lane.queued();
    }

    /** Vehicle-seconds spent standing at stop lines so far (the vehicles still waiting included). */
    public double totalDelayS()
    {
        return totalDelayS;
    }

    /** Vehicles that entered a lane (the run's initial traffic included). */
    public long vehiclesEntered()
    {
        return vehiclesEntered;
    }

    /** Vehicles that crossed a stop line. */
    public long vehiclesDeparted()
    {
        return vehiclesDeparted;
    }

    /** Vehicles standing at stop lines after the last step, all intersections. */
    public int queuedVehicles()
    {
        return queuedVehicles;
    }

    /** The most vehicles standing at stop lines at once (after a step), all intersections. */
    public int maxQueuedVehicles()
    {
        return maxQueuedVehicles;
    }

    /** The longest queue of one lane after a step. */
    public int maxLaneQueue()
    {
        return maxLaneQueue;
    }

    /** Commands applied (simulator thread). */
    public long commandsApplied()
    {
        return commandsApplied;
    }

    /** Commands ignored: unknown intersection or wrong length (simulator thread). */
    public long commandsIgnored()
    {
        return commandsIgnored;
    }

    /** End of the last step taken, or Long.MIN_VALUE. */
    long lastToNs()
    {
        return lastToNs;
    }
}
