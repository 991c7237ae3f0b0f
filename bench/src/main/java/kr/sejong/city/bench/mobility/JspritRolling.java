package kr.sejong.city.bench.mobility;

import com.graphhopper.jsprit.core.algorithm.VehicleRoutingAlgorithm;
import com.graphhopper.jsprit.core.algorithm.box.Jsprit;
import com.graphhopper.jsprit.core.algorithm.state.StateManager;
import com.graphhopper.jsprit.core.problem.Location;
import com.graphhopper.jsprit.core.problem.VehicleRoutingProblem;
import com.graphhopper.jsprit.core.problem.constraint.ConstraintManager;
import com.graphhopper.jsprit.core.problem.job.Delivery;
import com.graphhopper.jsprit.core.problem.job.Job;
import com.graphhopper.jsprit.core.problem.job.Shipment;
import com.graphhopper.jsprit.core.problem.solution.VehicleRoutingProblemSolution;
import com.graphhopper.jsprit.core.problem.solution.route.VehicleRoute;
import com.graphhopper.jsprit.core.problem.solution.route.activity.DeliveryActivity;
import com.graphhopper.jsprit.core.problem.solution.route.activity.PickupActivity;
import com.graphhopper.jsprit.core.problem.solution.route.activity.TimeWindow;
import com.graphhopper.jsprit.core.problem.solution.route.activity.TourActivity;
import com.graphhopper.jsprit.core.problem.vehicle.VehicleImpl;
import com.graphhopper.jsprit.core.problem.vehicle.VehicleType;
import com.graphhopper.jsprit.core.util.RandomNumberGeneration;
import com.graphhopper.jsprit.core.util.Solutions;
import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * jsprit as an online dispatcher, for comparison with the dispatch loop (issue 7): the same rides, each known only
 * from the moment it was requested, re-solved from scratch every {@link Settings#epochS} seconds with what is known
 * then (rolling horizon), and the shuttles driving the plans between two solves.
 * <p>
 * What {@link JspritOffline} shows is what knowing every ride in advance allows. This shows what a general solver of
 * that class does in the loop's own position: it knows a ride from its request (2 to 15 minutes before the earliest
 * pickup on the morning scenarios), it may change anything not yet done, and a shuttle that has left for a stop
 * goes there. The promises, fleet, paths, dwell and costs are {@link JspritOffline}'s; at each solve:
 * <ul>
 *   <li>each shuttle starts where its last stop visit was (or at its depot): at that visit's start while its dwell has
 *   not run out (leaving dwells first, {@link ShuttleCosts}; the visit may still take riders), else now;</li>
 *   <li>riders on board are deliveries that only their shuttle can make, due by their boarding time plus their
 *   promised ride time, in the order the last plan drops them off (jsprit's initial route of the shuttle, which its
 *   search fits new rides around but does not take apart: solved from scratch, its insertion heuristics did not
 *   always find an order again that drops off three riders on board in time, and left one on board, on one of ten
 *   morning hours);</li>
 *   <li>rides requested and not yet picked up are shipments with their pickup window (from now at the earliest) and
 *   ride-time promise, as offline; a ride whose window has passed unserved is reported unserved.</li>
 * </ul>
 * Between two solves a shuttle follows its plan as late as the plan allows: it leaves for its next stop only when it
 * must in order to be there at the planned time (a shuttle that need not leave yet keeps every choice open for the
 * next solve), and a stop it leaves for is done as planned. Once every ride has been requested, the last plan is
 * driven to its end. Every boarding and drop-off is then checked on its own against the promises (seats, wheelchair
 * places, pickup window, ride time).
 */
public final class JspritRolling
{
    private static final double EPS = 1e-6;

    private JspritRolling()
    {
    }

    /** A ride and the moment it was requested, seconds from the scenario start. */
    public record Request(OfflineRequest ride, double requestS)
    {
    }

    /**
     * @param iterations jsprit's iterations per solve.
     * @param seed       seed of the first solve; solve k uses seed + k.
     * @param epochS     seconds between two solves.
     */
    public record Settings(int iterations, long seed, int epochS)
    {
        public Settings
        {
            if (iterations < 0 || epochS < 1)
            {
                throw new IllegalArgumentException("iterations " + iterations + " < 0 or epoch " + epochS + " s < 1");
            }
        }
    }

    /**
     * @param totalDistanceM metres driven by all shuttles.
     * @param unserved       ride ids never picked up (no plan found in time), ascending.
     * @param violations     broken promises found by the check after the run (must be 0), with the first details.
     */
    public record Result(
        double totalDistanceM, List<Long> unserved, int solves, double meanWaitS, double meanRideS,
        int shuttlesUsed, int violations, List<String> details, List<Trip> trips, long solveMillis)
    {
        public Result
        {
            unserved = List.copyOf(unserved);
            details = List.copyOf(details);
            trips = List.copyOf(trips);
        }

        /** Rides dropped off. */
        public int served()
        {
            return trips.size();
        }
    }

    /** A ride served: by which shuttle, boarded and dropped off when (seconds from the scenario start). */
    public record Trip(long requestId, int shuttleId, double boardS, double dropS)
    {
    }

    /** A shuttle as the rolling run sees it; {@code onBoard} in the order the last plan drops them off. */
    private static final class Shuttle
    {
        final int id;
        final int group;
        final int capacity;
        final int wheelchairPlaces;
        int node;
        boolean moved;
        double visitS;
        double distanceM;
        final Map<Long, Rider> onBoard = new LinkedHashMap<>();

        Shuttle(final int id, final int group, final int capacity, final int wheelchairPlaces, final int node)
        {
            this.id = id;
            this.group = group;
            this.capacity = capacity;
            this.wheelchairPlaces = wheelchairPlaces;
            this.node = node;
        }
    }

    private static final class Rider
    {
        final OfflineRequest ride;
        final double requestS;
        final int origin;
        final int destination;
        final double promisedRideS;
        double boardS = -1;
        double dropS = -1;
        int shuttle = -1;

        Rider(final OfflineRequest ride, final double requestS, final int origin, final int destination, final double promisedRideS)
        {
            this.ride = ride;
            this.requestS = requestS;
            this.origin = origin;
            this.destination = destination;
            this.promisedRideS = promisedRideS;
        }
    }

    /**
     * @param fleetCounts shuttles per fleet group (index as in the configuration), null for the configuration's counts.
     */
    public static Result solve(
        final ShuttleNetwork network, final Mobility.Service service, final List<Request> requests, final int[] fleetCounts, final Settings settings)
    {
        if (fleetCounts != null && fleetCounts.length != network.groupCount())
        {
            throw new IllegalArgumentException(fleetCounts.length + " fleet counts for " + network.groupCount() + " groups");
        }
        final ShuttleCosts costs = new ShuttleCosts(network, service.dwellS());
        final int groups = network.groupCount();
        final List<Shuttle> shuttles = new ArrayList<>();
        final VehicleType[] types = new VehicleType[groups];
        final int[] counts = new int[groups];
        for (int g = 0; g < groups; g++)
        {
            final FleetGroup group = network.group(g);
            types[g] = JspritOffline.vehicleType(group, g);
            final int count = fleetCounts == null ? group.count() : fleetCounts[g];
            counts[g] = count;
            for (int k = 0; k < count; k++)
            {
                shuttles.add(new Shuttle(group.firstId() + k, g, group.capacity(), group.wheelchairPlaces(), network.stopIndex(group.depotStop())));
            }
        }
        final List<Rider> riders = new ArrayList<>();
        final Set<Long> ids = new HashSet<>();
        for (final Request r : requests)
        {
            final int o = network.stopIndex(r.ride().originStopId());
            final int d = network.stopIndex(r.ride().destinationStopId());
            if (o < 0 || d < 0)
            {
                throw new IllegalArgumentException("request " + r.ride().id() + ": stop " + (o < 0 ? r.ride().originStopId() : r.ride().destinationStopId())
                    + " is not a stop of the network");
            }
            if (!ids.add(r.ride().id()))
            {
                throw new IllegalArgumentException("request id " + r.ride().id() + " given twice");
            }
            if (!(r.requestS() >= 0))
            {
                throw new IllegalArgumentException("request " + r.ride().id() + ": requested at " + r.requestS() + " s, before the scenario start");
            }
            riders.add(new Rider(r.ride(), r.requestS(), o, d, service.maxRideS(JspritOffline.fastestDirectS(network, o, d))));
        }
        riders.sort(Comparator.comparingDouble((Rider r) -> r.requestS).thenComparingLong(r -> r.ride.id()));
        final double lastRequestS = riders.isEmpty() ? 0 : riders.get(riders.size() - 1).requestS;

        final List<String> details = new ArrayList<>();
        int violations = 0;
        int solves = 0;
        long solveMillis = 0;
        final Set<Long> unserved = new TreeSet<>();
        for (double now = 0; ; now += settings.epochS())
        {
            final boolean last = now >= lastRequestS;
            final List<Rider> pending = new ArrayList<>();
            for (final Rider r : riders)
            {
                if (r.requestS <= now && r.boardS < 0 && !unserved.contains(r.ride.id()))
                {
                    if (r.ride.earliestPickupS() + service.maxWaitS() < now)
                    {
                        unserved.add(r.ride.id());
                    }
                    else
                    {
                        pending.add(r);
                    }
                }
            }
            boolean anyOnBoard = false;
            for (final Shuttle s : shuttles)
            {
                anyOnBoard |= !s.onBoard.isEmpty();
            }
            if (pending.isEmpty() && !anyOnBoard)
            {
                if (last)
                {
                    break;
                }
                continue;
            }

            final VehicleRoutingProblem.Builder problem = VehicleRoutingProblem.Builder.newInstance()
                .setFleetSize(VehicleRoutingProblem.FleetSize.FINITE)
                .setRoutingCost(costs);
            final Map<String, Shuttle> shuttleByVehicle = new HashMap<>();
            final Map<String, Rider> riderByJob = new HashMap<>();
            for (final Shuttle s : shuttles)
            {
                final boolean dwelling = s.moved && s.visitS + service.dwellS() > now;
                final Location start = dwelling ? costs.stop(s.node) : costs.depotStart(s.node);
                final VehicleImpl.Builder vehicle = VehicleImpl.Builder.newInstance(Integer.toString(s.id))
                    .setType(types[s.group])
                    .setStartLocation(start)
                    .setReturnToDepot(false)
                    .setEarliestStart(dwelling ? s.visitS : Math.max(now, s.visitS))
                    .addSkill("shuttle-" + s.id);
                for (int h = 0; h < groups; h++)
                {
                    if (h != s.group)
                    {
                        vehicle.addSkill(JspritOffline.notGroup(h));
                    }
                }
                final VehicleImpl built = vehicle.build();
                problem.addVehicle(built);
                shuttleByVehicle.put(Integer.toString(s.id), s);
                if (!s.onBoard.isEmpty())
                {
                    // the riders on board, dropped off in the order the last plan had: jsprit fits the new rides around them
                    final VehicleRoute.Builder route = VehicleRoute.Builder.newInstance(built);
                    for (final Rider r : s.onBoard.values())
                    {
                        riderByJob.put("b" + r.ride.id(), r);
                        route.addDelivery(Delivery.Builder.newInstance("b" + r.ride.id())
                            .setLocation(costs.stop(r.destination))
                            .setTimeWindow(TimeWindow.newInstance(0, r.boardS + r.promisedRideS))
                            .setServiceTime(0)
                            .addSizeDimension(0, r.ride.party())
                            .addSizeDimension(1, r.ride.wheelchairs())
                            .addRequiredSkill("shuttle-" + s.id)
                            .build());
                    }
                    problem.addInitialVehicleRoute(route.build());
                }
            }
            for (final Rider r : pending)
            {
                final double earliest = r.ride.earliestPickupS();
                final double latestPickup = earliest + service.maxWaitS();
                final Shipment.Builder shipment = Shipment.Builder.newInstance(Long.toString(r.ride.id()));
                boolean any = false;
                for (int g = 0; g < groups; g++)
                {
                    if (counts[g] > 0 && network.reachable(g, r.origin, r.destination))
                    {
                        any = true;
                    }
                    else
                    {
                        shipment.addRequiredSkill(JspritOffline.notGroup(g));
                    }
                }
                if (!any)
                {
                    unserved.add(r.ride.id());
                    continue;
                }
                shipment
                    .setPickupLocation(costs.stop(r.origin))
                    .setDeliveryLocation(costs.stop(r.destination))
                    .setPickupTimeWindow(TimeWindow.newInstance(Math.max(earliest, now), latestPickup))
                    .setDeliveryTimeWindow(TimeWindow.newInstance(earliest, latestPickup + r.promisedRideS))
                    .setPickupServiceTime(0)
                    .setDeliveryServiceTime(0)
                    .addSizeDimension(0, r.ride.party())
                    .addSizeDimension(1, r.ride.wheelchairs());
                problem.addJob(shipment.build());
                riderByJob.put(Long.toString(r.ride.id()), r);
            }
            final VehicleRoutingProblem vrp = problem.build();
            final StateManager stateManager = new StateManager(vrp);
            final ConstraintManager constraintManager = new ConstraintManager(vrp, stateManager);
            final RideTimeConstraint rideTime = new RideTimeConstraint(stateManager, costs, vrp.getActivityCosts(),
                (job, group) -> riderByJob.get(job.getId()).promisedRideS);
            stateManager.addStateUpdater(rideTime);
            constraintManager.addConstraint(rideTime, ConstraintManager.Priority.LOW);
            final VehicleRoutingProblemSolution best;
            synchronized (JspritOffline.GLOBAL_RANDOM_LOCK)
            {
                RandomNumberGeneration.setSeed(settings.seed() + solves);
                final VehicleRoutingAlgorithm algorithm = Jsprit.Builder.newInstance(vrp)
                    .setStateAndConstraintManager(stateManager, constraintManager)
                    .setProperty(Jsprit.Parameter.THREADS, "1")
                    .setProperty(Jsprit.Parameter.ITERATIONS, Integer.toString(settings.iterations()))
                    .setProperty(Jsprit.Parameter.VEHICLE_SWITCH, "false")
                    .setProperty(Jsprit.Parameter.FAST_REGRET, "true")
                    .setRandom(new Random(settings.seed() + solves))
                    .buildAlgorithm();
                final long t0 = System.nanoTime();
                final Collection<VehicleRoutingProblemSolution> solutions = algorithm.searchSolutions();
                solveMillis += (System.nanoTime() - t0) / 1_000_000;
                best = Solutions.bestOf(solutions);
            }
            solves++;
            for (final Job job : best.getUnassignedJobs())
            {
                if (job instanceof Delivery)
                {
                    violations++;
                    if (details.size() < 100)
                    {
                        details.add("t=" + now + ": no plan delivers rider " + job.getId() + " on board");
                    }
                }
            }

            // drive the plans until the next solve, leaving each stop as late as the plan allows
            final double until = last ? Double.POSITIVE_INFINITY : now + settings.epochS();
            for (final VehicleRoute route : best.getRoutes())
            {
                final Shuttle s = shuttleByVehicle.get(route.getVehicle().getId());
                TourActivity prev = route.getStart();
                double prevEnd = prev.getEndTime();
                final List<Rider> dropOrder = new ArrayList<>();
                boolean driving = true;
                for (final TourActivity act : route.getActivities())
                {
                    final Rider r = riderByJob.get(((TourActivity.JobActivity)act).getJob().getId());
                    final double start = act.getEndTime();
                    final double travelS = costs.getTransportTime(prev.getLocation(), act.getLocation(), prevEnd, route.getDriver(), route.getVehicle());
                    final boolean sameStop = prev.getLocation().getIndex() % network.nodeCount() == act.getLocation().getIndex();
                    final double leaveS = sameStop ? start : Math.max(prevEnd, start - travelS);
                    driving &= leaveS < until;
                    if (!driving)
                    {
                        if (act instanceof DeliveryActivity && s.onBoard.containsKey(r.ride.id()))
                        {
                            dropOrder.add(r);
                        }
                        continue;
                    }
                    final int node = act.getLocation().getIndex();
                    s.distanceM += costs.distanceM(s.group, s.node, node);
                    s.visitS = start;
                    s.node = node;
                    s.moved = true;
                    if (act instanceof PickupActivity)
                    {
                        r.boardS = start;
                        r.shuttle = s.id;
                        s.onBoard.put(r.ride.id(), r);
                        int seats = 0;
                        int chairs = 0;
                        for (final Rider on : s.onBoard.values())
                        {
                            seats += on.ride.party();
                            chairs += on.ride.wheelchairs();
                        }
                        if (seats > s.capacity || chairs > s.wheelchairPlaces)
                        {
                            violations++;
                            details.add("shuttle " + s.id + ": " + seats + " seats, " + chairs + " wheelchairs on board at " + start);
                        }
                    }
                    else if (act instanceof DeliveryActivity)
                    {
                        r.dropS = start;
                        s.onBoard.remove(r.ride.id());
                    }
                    prev = act;
                    prevEnd = start;
                }
                // on board from now on in the order they are to be dropped off
                s.onBoard.clear();
                dropOrder.forEach(r -> s.onBoard.put(r.ride.id(), r));
            }
            if (last)
            {
                break;
            }
        }

        double waitSum = 0;
        double rideSum = 0;
        int served = 0;
        final List<Trip> trips = new ArrayList<>();
        for (final Rider r : riders)
        {
            if (r.dropS < 0)
            {
                if (r.boardS >= 0)
                {
                    violations++;
                    details.add("rider " + r.ride.id() + " boarded and never dropped off");
                }
                else
                {
                    unserved.add(r.ride.id());
                }
                continue;
            }
            served++;
            trips.add(new Trip(r.ride.id(), r.shuttle, r.boardS, r.dropS));
            final double wait = r.boardS - r.ride.earliestPickupS();
            final double ride = r.dropS - r.boardS;
            if (wait < -EPS || wait > service.maxWaitS() + EPS || ride > r.promisedRideS + EPS || r.boardS < r.requestS - EPS)
            {
                violations++;
                if (details.size() < 100)
                {
                    details.add(String.format(Locale.ROOT, "rider %d: requested %.1f, earliest %d, boarded %.1f, dropped %.1f, promised ride %.1f",
                        r.ride.id(), r.requestS, r.ride.earliestPickupS(), r.boardS, r.dropS, r.promisedRideS));
                }
            }
            waitSum += wait;
            rideSum += ride;
        }
        double distanceM = 0;
        int used = 0;
        for (final Shuttle s : shuttles)
        {
            distanceM += s.distanceM;
            used += s.moved ? 1 : 0;
        }
        return new Result(distanceM, List.copyOf(unserved), solves, served == 0 ? 0 : waitSum / served, served == 0 ? 0 : rideSum / served,
            used, violations, details, trips, solveMillis);
    }
}
