package kr.sejong.city.bench.mobility;

import com.graphhopper.jsprit.core.algorithm.VehicleRoutingAlgorithm;
import com.graphhopper.jsprit.core.algorithm.box.Jsprit;
import com.graphhopper.jsprit.core.algorithm.state.StateManager;
import com.graphhopper.jsprit.core.problem.VehicleRoutingProblem;
import com.graphhopper.jsprit.core.problem.constraint.ConstraintManager;
import com.graphhopper.jsprit.core.problem.job.Job;
import com.graphhopper.jsprit.core.problem.job.Shipment;
import com.graphhopper.jsprit.core.problem.solution.VehicleRoutingProblemSolution;
import com.graphhopper.jsprit.core.problem.solution.route.VehicleRoute;
import com.graphhopper.jsprit.core.problem.solution.route.activity.DeliveryActivity;
import com.graphhopper.jsprit.core.problem.solution.route.activity.PickupActivity;
import com.graphhopper.jsprit.core.problem.solution.route.activity.TimeWindow;
import com.graphhopper.jsprit.core.problem.solution.route.activity.TourActivity;
import com.graphhopper.jsprit.core.problem.vehicle.Vehicle;
import com.graphhopper.jsprit.core.problem.vehicle.VehicleImpl;
import com.graphhopper.jsprit.core.problem.vehicle.VehicleType;
import com.graphhopper.jsprit.core.problem.vehicle.VehicleTypeImpl;
import com.graphhopper.jsprit.core.util.RandomNumberGeneration;
import com.graphhopper.jsprit.core.util.Solutions;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The offline reference for shuttle dispatch (issue 7): the same ride requests, all known in advance, solved by jsprit
 * (com.graphhopper:jsprit-core), a well-known vehicle-routing solver, minimising the total distance the shuttles
 * drive. The online dispatch loop's distance is compared with this one.
 * <p>
 * The model, each promise of {@code mobility.service} as a hard constraint:
 * <ul>
 *   <li>a request is a jsprit Shipment: pickup at its origin stop, drop-off at its destination stop;</li>
 *   <li>pickup time window [earliest, earliest + maxWaitS]; drop-off window [earliest, earliest + maxWaitS + the
 *   longest ride any group may take] (implied by the ride-time limit, given to help jsprit prune);</li>
 *   <li>two capacity dimensions: seats (the party, wheelchair users included) and wheelchair places;</li>
 *   <li>one jsprit vehicle type per fleet group, with the group's own fastest paths for times and distances
 *   ({@link ShuttleCosts}); each shuttle starts at its group's depot at {@link Settings#startS}, open route (no
 *   return);</li>
 *   <li>dwell once per stop visit, as part of the travel time ({@link ShuttleCosts});</li>
 *   <li>a request goes only to groups that can drive depot to origin to destination: skills (the request requires
 *   "not-groupH" for every group H that cannot; every shuttle has "not-groupH" for every group but its own);
 *   a request no group can serve is not given to jsprit and is reported unassigned;</li>
 *   <li>ride time (from boarding at the pickup to the arrival at the drop-off) at most
 *   {@code rideTimeFactor x direct + rideTimeOffsetS}, direct being the fastest direct ride any group offers
 *   (whichever group serves it: the promise the dispatch loop gives, so a slower group is held to the faster one's
 *   time, as online): {@link RideTimeConstraint}.</li>
 * </ul>
 * The objective is jsprit's default with distance as the only cost: route distances plus a large penalty per
 * unassigned request, so jsprit serves as many requests as it can and then minimises distance.
 * <p>
 * The solution is then checked by {@link OfflineCheck}, which re-times the stop sequences on its own; the reported
 * distance is the check's. Deterministic for the same inputs with one thread: the algorithm gets its own seeded
 * {@link Random}, and jsprit's global random (used by a few of its parts) is reseeded under a lock.
 */
public final class JspritOffline
{
    static final Object GLOBAL_RANDOM_LOCK = new Object();

    private JspritOffline()
    {
    }

    /**
     * @param iterations jsprit's ruin-and-recreate iterations (0: the construction heuristic only).
     * @param seed       seed of all of jsprit's random choices.
     * @param threads    jsprit's threads; results are deterministic only with 1.
     * @param startS     when the shuttles leave their depots, seconds from the scenario start.
     */
    public record Settings(int iterations, long seed, int threads, double startS)
    {
        public Settings
        {
            if (iterations < 0 || threads < 1)
            {
                throw new IllegalArgumentException("iterations " + iterations + " < 0 or threads " + threads + " < 1");
            }
        }

        /** 1,000 iterations, seed 1, one thread, shuttles leave at 0. */
        public static Settings defaults()
        {
            return new Settings(1000, 1L, 1, 0);
        }

        public Settings withIterations(final int iterations)
        {
            return new Settings(iterations, seed, threads, startS);
        }

        public Settings withSeed(final long seed)
        {
            return new Settings(iterations, seed, threads, startS);
        }
    }

    /**
     * @param totalDistanceM   metres driven by all shuttles, depot to last stop, as re-timed by {@link OfflineCheck}.
     * @param jspritDistanceM  the same as jsprit sums it (must agree).
     * @param served           request ids served, ascending.
     * @param unassigned       request ids not served (by jsprit's choice, or because no group reaches them), ascending.
     * @param unreachable      of those, the ones no group with shuttles can drive depot - origin - destination.
     * @param routes           the shuttles that drive, by id, with their visits timed by the check.
     * @param check            the check's report; {@code check.violations()} must be 0.
     * @param modelMismatches  places where jsprit's own view (arrival times, served set) differs from the check's:
     *                         must be 0, else the jsprit model is not the problem the check knows.
     * @param fleetCounts      shuttles per group.
     * @param solveMillis      wall time of jsprit's search (model building and check excluded).
     */
    public record Result(
        int requests,
        double totalDistanceM,
        double jspritDistanceM,
        List<Long> served,
        List<Long> unassigned,
        List<Long> unreachable,
        List<OfflineCheck.CheckedRoute> routes,
        OfflineCheck.Report check,
        int modelMismatches,
        List<Integer> fleetCounts,
        Settings settings,
        long solveMillis)
    {
        public Result
        {
            served = List.copyOf(served);
            unassigned = List.copyOf(unassigned);
            unreachable = List.copyOf(unreachable);
            routes = List.copyOf(routes);
            fleetCounts = List.copyOf(fleetCounts);
        }

        public int violations()
        {
            return check.violations();
        }

        public String summary()
        {
            return String.format(java.util.Locale.ROOT,
                "jsprit offline: %d requests, %d served, %d unassigned; %.3f km driven by %d shuttles; %d violations, %d model mismatches;"
                    + " %d iterations, seed %d, %d thread(s), %.1f s",
                requests, served.size(), unassigned.size(), totalDistanceM / 1000.0, routes.size(), violations(), modelMismatches,
                settings.iterations(), settings.seed(), settings.threads(), solveMillis / 1000.0);
        }
    }

    /** The configuration's network, service promises and fleet. */
    public static Result solve(final CityConfig config, final List<OfflineRequest> requests, final Settings settings)
    {
        return solve(ShuttleNetwork.from(config), config.mobility().service(), requests, null, settings);
    }

    /**
     * @param fleetCounts shuttles per fleet group (index as in the configuration), null for the configuration's counts.
     */
    public static Result solve(
        final ShuttleNetwork network,
        final Mobility.Service service,
        final List<OfflineRequest> requests,
        final int[] fleetCounts,
        final Settings settings)
    {
        final int groups = network.groupCount();
        final int[] counts = new int[groups];
        for (int g = 0; g < groups; g++)
        {
            counts[g] = fleetCounts == null ? network.group(g).count() : fleetCounts[g];
            if (counts[g] < 0)
            {
                throw new IllegalArgumentException("group " + g + ": " + counts[g] + " shuttles");
            }
        }
        if (fleetCounts != null && fleetCounts.length != groups)
        {
            throw new IllegalArgumentException(fleetCounts.length + " fleet counts for " + groups + " groups");
        }

        final ShuttleCosts costs = new ShuttleCosts(network, service.dwellS());
        final VehicleRoutingProblem.Builder problem = VehicleRoutingProblem.Builder.newInstance()
            .setFleetSize(VehicleRoutingProblem.FleetSize.FINITE)
            .setRoutingCost(costs);

        final int[] depots = new int[groups];
        for (int g = 0; g < groups; g++)
        {
            final FleetGroup group = network.group(g);
            depots[g] = network.stopIndex(group.depotStop());
            final VehicleType type = vehicleType(group, g);
            for (int k = 0; k < counts[g]; k++)
            {
                final VehicleImpl.Builder vehicle = VehicleImpl.Builder.newInstance(Integer.toString(group.firstId() + k))
                    .setType(type)
                    .setStartLocation(costs.depotStart(depots[g]))
                    .setReturnToDepot(false)
                    .setEarliestStart(settings.startS());
                for (int h = 0; h < groups; h++)
                {
                    if (h != g)
                    {
                        vehicle.addSkill(notGroup(h));
                    }
                }
                problem.addVehicle(vehicle.build());
            }
        }

        final Map<String, OfflineRequest> requestByJob = new HashMap<>();
        final Map<String, double[]> limitsByJob = new HashMap<>();
        final List<Long> unservable = new ArrayList<>();
        final Set<Long> ids = new HashSet<>();
        for (final OfflineRequest r : requests)
        {
            if (!ids.add(r.id()))
            {
                throw new IllegalArgumentException("request id " + r.id() + " given twice");
            }
            final int o = network.stopIndex(r.originStopId());
            final int d = network.stopIndex(r.destinationStopId());
            if (o < 0 || d < 0)
            {
                throw new IllegalArgumentException("request " + r.id() + ": stop " + (o < 0 ? r.originStopId() : r.destinationStopId())
                    + " is not a stop of the network");
            }
            final double[] limits = new double[groups];
            double longestRide = -1;
            // the promise the loop gives: the fastest direct ride any shuttle type offers, whichever group serves it
            final double promisedRideS = service.maxRideS(fastestDirectS(network, o, d));
            final Shipment.Builder shipment = Shipment.Builder.newInstance(Long.toString(r.id()));
            for (int g = 0; g < groups; g++)
            {
                final boolean can = counts[g] > 0
                    && network.reachable(g, depots[g], o) && network.reachable(g, o, d);
                limits[g] = can ? promisedRideS : -1;
                if (can)
                {
                    longestRide = Math.max(longestRide, limits[g]);
                }
                else
                {
                    shipment.addRequiredSkill(notGroup(g));
                }
            }
            if (longestRide < 0)
            {
                unservable.add(r.id());
                continue;
            }
            final double earliest = r.earliestPickupS();
            final double latestPickup = earliest + service.maxWaitS();
            shipment
                .setPickupLocation(costs.stop(o))
                .setDeliveryLocation(costs.stop(d))
                .setPickupTimeWindow(TimeWindow.newInstance(earliest, latestPickup))
                .setDeliveryTimeWindow(TimeWindow.newInstance(earliest, latestPickup + longestRide))
                .setPickupServiceTime(0)
                .setDeliveryServiceTime(0)
                .addSizeDimension(0, r.party())
                .addSizeDimension(1, r.wheelchairs());
            final Shipment job = shipment.build();
            problem.addJob(job);
            requestByJob.put(job.getId(), r);
            limitsByJob.put(job.getId(), limits);
        }
        final VehicleRoutingProblem vrp = problem.build();

        final double[][] limitsByIndex = new double[vrp.getJobs().size() + 2][];
        for (final Job job : vrp.getJobs().values())
        {
            if (job.getIndex() >= limitsByIndex.length)
            {
                throw new IllegalStateException("job index " + job.getIndex() + " beyond " + vrp.getJobs().size() + " jobs");
            }
            limitsByIndex[job.getIndex()] = limitsByJob.get(job.getId());
        }
        final StateManager stateManager = new StateManager(vrp);
        final ConstraintManager constraintManager = new ConstraintManager(vrp, stateManager);
        final RideTimeConstraint rideTime = new RideTimeConstraint(stateManager, costs, vrp.getActivityCosts(),
            (job, group) -> limitsByIndex[job.getIndex()][group]);
        stateManager.addStateUpdater(rideTime);
        constraintManager.addConstraint(rideTime, ConstraintManager.Priority.LOW);

        final VehicleRoutingProblemSolution best;
        final long solveMillis;
        synchronized (GLOBAL_RANDOM_LOCK)
        {
            RandomNumberGeneration.setSeed(settings.seed());
            final VehicleRoutingAlgorithm algorithm = Jsprit.Builder.newInstance(vrp)
                .setStateAndConstraintManager(stateManager, constraintManager)
                .setProperty(Jsprit.Parameter.THREADS, Integer.toString(settings.threads()))
                .setProperty(Jsprit.Parameter.ITERATIONS, Integer.toString(settings.iterations()))
                .setProperty(Jsprit.Parameter.VEHICLE_SWITCH, "false")
                // jsprit's regret insertion that re-evaluates only the route it changed: on 200-request mornings
                // 2 to 4 times faster per iteration, and as short or shorter after 200 iterations
                .setProperty(Jsprit.Parameter.FAST_REGRET, "true")
                .setRandom(new Random(settings.seed()))
                .buildAlgorithm();
            final long t0 = System.nanoTime();
            final Collection<VehicleRoutingProblemSolution> solutions = vrp.getJobs().isEmpty() ? List.of() : algorithm.searchSolutions();
            solveMillis = (System.nanoTime() - t0) / 1_000_000;
            best = solutions.isEmpty() ? null : Solutions.bestOf(solutions);
        }

        // the solution as stop sequences, and jsprit's own view of it to compare with the check's
        final List<VehicleRoute> jspritRoutes = new ArrayList<>(best == null ? List.of() : best.getRoutes());
        jspritRoutes.sort(Comparator.comparingInt(route -> Integer.parseInt(route.getVehicle().getId())));
        final List<OfflineCheck.PlannedRoute> planned = new ArrayList<>();
        double jspritDistance = 0;
        for (final VehicleRoute route : jspritRoutes)
        {
            if (route.isEmpty())
            {
                continue;
            }
            final Vehicle vehicle = route.getVehicle();
            final List<OfflineCheck.PlannedStop> stops = new ArrayList<>();
            TourActivity prev = route.getStart();
            for (final TourActivity act : route.getActivities())
            {
                jspritDistance += costs.getTransportCost(prev.getLocation(), act.getLocation(), prev.getEndTime(), route.getDriver(), vehicle);
                prev = act;
                final OfflineRequest r = requestByJob.get(((TourActivity.JobActivity)act).getJob().getId());
                if (act instanceof PickupActivity)
                {
                    stops.add(new OfflineCheck.PlannedStop(r.originStopId(), OfflineCheck.Action.PICKUP, r.id()));
                }
                else if (act instanceof DeliveryActivity)
                {
                    stops.add(new OfflineCheck.PlannedStop(r.destinationStopId(), OfflineCheck.Action.DROPOFF, r.id()));
                }
            }
            planned.add(new OfflineCheck.PlannedRoute(Integer.parseInt(vehicle.getId()), costs.group(vehicle), stops));
        }
        final OfflineCheck.Report check = OfflineCheck.check(network, service, counts, settings.startS(), requests, planned);

        int mismatches = 0;
        final Map<Integer, OfflineCheck.CheckedRoute> checkedByShuttle = new HashMap<>();
        for (final OfflineCheck.CheckedRoute cr : check.routes())
        {
            checkedByShuttle.put(cr.shuttleId(), cr);
        }
        for (final VehicleRoute route : jspritRoutes)
        {
            final List<TourActivity> acts = route.getActivities();
            final OfflineCheck.CheckedRoute checked = checkedByShuttle.get(Integer.parseInt(route.getVehicle().getId()));
            if (checked == null || checked.visits().size() != acts.size())
            {
                mismatches += acts.isEmpty() ? 0 : 1;
                continue;
            }
            for (int k = 0; k < acts.size(); k++)
            {
                final OfflineCheck.Visit visit = checked.visits().get(k);
                if (Math.abs(acts.get(k).getArrTime() - visit.arrivalS()) > 1e-3 || Math.abs(acts.get(k).getEndTime() - visit.startS()) > 1e-3)
                {
                    mismatches++;
                }
            }
        }
        final Set<Long> jspritServed = new HashSet<>();
        if (best != null)
        {
            for (final VehicleRoute route : best.getRoutes())
            {
                for (final Job job : route.getTourActivities().getJobs())
                {
                    jspritServed.add(requestByJob.get(job.getId()).id());
                }
            }
        }
        if (!jspritServed.equals(new HashSet<>(check.served())))
        {
            mismatches++;
        }
        if (Math.abs(jspritDistance - check.totalDistanceM()) > 1e-3)
        {
            mismatches++;
        }

        final Set<Long> servedSet = new HashSet<>(check.served());
        final List<Long> unassigned = new ArrayList<>();
        for (final OfflineRequest r : requests)
        {
            if (!servedSet.contains(r.id()))
            {
                unassigned.add(r.id());
            }
        }
        unassigned.sort(Comparator.naturalOrder());
        final List<Integer> countList = new ArrayList<>();
        for (final int c : counts)
        {
            countList.add(c);
        }
        unservable.sort(Comparator.naturalOrder());
        return new Result(requests.size(), check.totalDistanceM(), jspritDistance, check.served(), unassigned, unservable, check.routes(), check,
            mismatches, countList, settings, solveMillis);
    }

    /** The fastest direct ride between two nodes over every fleet group, as the dispatch loop promises it. */
    static double fastestDirectS(final ShuttleNetwork network, final int origin, final int destination)
    {
        double directS = ShuttleNetwork.UNREACHABLE;
        for (int g = 0; g < network.groupCount(); g++)
        {
            directS = Math.min(directS, network.timeS(g, origin, destination));
        }
        return directS;
    }

    /** The jsprit vehicle type of fleet group g: its seats and wheelchair places, distance the only cost, the group as user data. */
    static VehicleType vehicleType(final FleetGroup group, final int g)
    {
        return VehicleTypeImpl.Builder.newInstance(ShuttleCosts.typeId(g))
            .addCapacityDimension(0, group.capacity())
            .addCapacityDimension(1, group.wheelchairPlaces())
            .setCostPerDistance(1.0)
            .setCostPerTransportTime(0.0)
            .setCostPerWaitingTime(0.0)
            .setUserData(g)
            .build();
    }

    /** The skill every shuttle but group {@code group}'s has, which a request no shuttle of that group can serve requires. */
    static String notGroup(final int group)
    {
        return "not-" + ShuttleCosts.typeId(group);
    }
}
