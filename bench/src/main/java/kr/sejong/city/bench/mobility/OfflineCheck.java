package kr.sejong.city.bench.mobility;

import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a set of shuttle routes against the service promises, on its own: it takes only each shuttle's sequence of
 * stops (pickups and drop-offs) and re-times it from {@link ShuttleNetwork}, without anything the solver computed.
 * <p>
 * The timing rules (docs/shuttle-dispatch.md): a shuttle starts at its group's depot at the start time, drives the
 * group's fastest paths, dwells {@code dwellS} once per stop visit (not on leaving the depot at the start), waits at
 * a stop for a pickup's earliest time when early, and never returns to the depot (open routes). A pickup happens at
 * the start of the stop visit, or at the earliest pickup time if later; a drop-off at the arrival.
 * <p>
 * What it checks: every stop reachable by the group; each request picked up at its origin and dropped off at its
 * destination by the same shuttle, pickup first, at most once over all routes, nobody left on board; seats and
 * wheelchair places at every moment; pickup no later than earliest + maxWaitS; in-vehicle time (pickup to drop-off)
 * no longer than {@code rideTimeFactor x direct + rideTimeOffsetS}, direct being the fastest direct ride any group
 * offers (the dispatch loop's promise, whichever group serves the ride).
 */
public final class OfflineCheck
{
    private static final double EPS = 1e-6;

    private OfflineCheck()
    {
    }

    public enum Action
    {
        PICKUP, DROPOFF
    }

    /** One planned stop of a route. */
    public record PlannedStop(int stopId, Action action, long requestId)
    {
    }

    /** A shuttle's planned stops; {@code group} is the index of its fleet group in the configuration. */
    public record PlannedRoute(int shuttleId, int group, List<PlannedStop> stops)
    {
        public PlannedRoute
        {
            stops = List.copyOf(stops);
        }
    }

    /**
     * A stop of a route as timed by the check.
     *
     * @param arrivalS         when the shuttle is at the stop (the previous stop's dwell and the drive done).
     * @param startS           when the pickup or drop-off happens: the arrival, or a pickup's earliest time if later.
     * @param seatsAfter       riders on board after it.
     * @param wheelchairsAfter wheelchairs on board after it.
     */
    public record Visit(int stopId, Action action, long requestId, double arrivalS, double startS, int seatsAfter, int wheelchairsAfter)
    {
    }

    public record CheckedRoute(int shuttleId, int group, List<Visit> visits, double distanceM)
    {
        public CheckedRoute
        {
            visits = List.copyOf(visits);
        }
    }

    /**
     * @param totalDistanceM  driven by all shuttles, from their depots to their last stops.
     * @param served          requests picked up and dropped off, in id order.
     * @param details         one line per violation (the first 100).
     */
    public record Report(
        double totalDistanceM,
        List<CheckedRoute> routes,
        List<Long> served,
        int capacityViolations,
        int wheelchairViolations,
        int timeWindowViolations,
        int rideTimeViolations,
        int structureViolations,
        List<String> details)
    {
        public Report
        {
            routes = List.copyOf(routes);
            served = List.copyOf(served);
            details = List.copyOf(details);
        }

        public int violations()
        {
            return capacityViolations + wheelchairViolations + timeWindowViolations + rideTimeViolations + structureViolations;
        }
    }

    /**
     * @param fleetCounts shuttles per group (index as in the configuration); shuttle ids of group g are
     *                    {@code firstId .. firstId + fleetCounts[g] - 1}.
     * @param startS      when the shuttles leave their depots.
     */
    public static Report check(
        final ShuttleNetwork network,
        final Mobility.Service service,
        final int[] fleetCounts,
        final double startS,
        final Collection<OfflineRequest> requests,
        final List<PlannedRoute> routes)
    {
        final Counter c = new Counter();
        final Map<Long, OfflineRequest> byId = new HashMap<>();
        for (final OfflineRequest r : requests)
        {
            if (byId.put(r.id(), r) != null)
            {
                c.structure("request id " + r.id() + " given twice");
            }
        }
        final Set<Long> pickedUp = new HashSet<>();
        final Set<Long> served = new TreeSet<>();
        final Set<Integer> shuttles = new HashSet<>();
        final List<CheckedRoute> checked = new ArrayList<>();
        double total = 0;
        for (final PlannedRoute route : routes)
        {
            final int g = route.group();
            if (g < 0 || g >= network.groupCount())
            {
                c.structure("shuttle " + route.shuttleId() + ": no fleet group " + g);
                continue;
            }
            final FleetGroup group = network.group(g);
            final int k = route.shuttleId() - group.firstId();
            if (k < 0 || k >= fleetCounts[g])
            {
                c.structure("shuttle " + route.shuttleId() + " is not one of group " + g + "'s " + fleetCounts[g]);
            }
            if (!shuttles.add(route.shuttleId()))
            {
                c.structure("shuttle " + route.shuttleId() + " has two routes");
            }
            final CheckedRoute cr = checkRoute(network, service, startS, byId, route, g, group, pickedUp, served, c);
            checked.add(cr);
            total += cr.distanceM();
        }
        return new Report(total, checked, new ArrayList<>(served), c.capacity, c.wheelchairs, c.timeWindows, c.rideTime, c.structure,
            c.details);
    }

    private static CheckedRoute checkRoute(
        final ShuttleNetwork network,
        final Mobility.Service service,
        final double startS,
        final Map<Long, OfflineRequest> byId,
        final PlannedRoute route,
        final int g,
        final FleetGroup group,
        final Set<Long> pickedUp,
        final Set<Long> served,
        final Counter c)
    {
        final String who = "shuttle " + route.shuttleId();
        final int depot = network.stopIndex(group.depotStop());
        int at = depot;
        boolean leavingDepot = true;
        double t = startS;
        double distance = 0;
        int seats = 0;
        int wheelchairs = 0;
        final Map<Long, Double> boardedAt = new LinkedHashMap<>();
        final List<Visit> visits = new ArrayList<>();
        for (final PlannedStop stop : route.stops())
        {
            final OfflineRequest r = byId.get(stop.requestId());
            final int s = network.stopIndex(stop.stopId());
            if (r == null || s < 0)
            {
                c.structure(who + ": unknown request " + stop.requestId() + " or stop " + stop.stopId());
                continue;
            }
            if (s != at)
            {
                if (!network.reachable(g, at, s))
                {
                    c.structure(who + ": group " + g + " cannot drive from stop " + network.nodeId(at) + " to " + stop.stopId());
                    continue;
                }
                t += (leavingDepot ? 0 : service.dwellS()) + network.timeS(g, at, s);
                distance += network.distanceM(g, at, s);
                at = s;
            }
            leavingDepot = false;
            final double arrival = t;
            if (stop.action() == Action.PICKUP)
            {
                if (stop.stopId() != r.originStopId())
                {
                    c.structure(who + ": picks up request " + r.id() + " at stop " + stop.stopId() + ", its origin is " + r.originStopId());
                }
                if (!pickedUp.add(r.id()))
                {
                    c.structure(who + ": request " + r.id() + " picked up twice");
                }
                t = Math.max(t, r.earliestPickupS());
                if (t > r.earliestPickupS() + service.maxWaitS() + EPS)
                {
                    c.timeWindow(who + ": request " + r.id() + " picked up at " + t + ", promised by " + (r.earliestPickupS() + service.maxWaitS()));
                }
                boardedAt.put(r.id(), t);
                seats += r.party();
                wheelchairs += r.wheelchairs();
                if (seats > group.capacity())
                {
                    c.capacity(who + ": " + seats + " riders on board after picking up request " + r.id() + ", capacity " + group.capacity());
                }
                if (wheelchairs > group.wheelchairPlaces())
                {
                    c.wheelchairs(who + ": " + wheelchairs + " wheelchairs on board after picking up request " + r.id() + ", places "
                        + group.wheelchairPlaces());
                }
            }
            else
            {
                if (stop.stopId() != r.destinationStopId())
                {
                    c.structure(who + ": drops off request " + r.id() + " at stop " + stop.stopId() + ", its destination is "
                        + r.destinationStopId());
                }
                final Double boarded = boardedAt.remove(r.id());
                if (boarded == null)
                {
                    c.structure(who + ": drops off request " + r.id() + " it has not picked up");
                }
                else
                {
                    seats -= r.party();
                    wheelchairs -= r.wheelchairs();
                    final int o = network.stopIndex(r.originStopId());
                    final double maxRide = service.maxRideS(JspritOffline.fastestDirectS(network, o, s));
                    final double ride = t - boarded;
                    if (ride > maxRide + EPS)
                    {
                        c.rideTime(who + ": request " + r.id() + " rides " + ride + " s, promised at most " + maxRide + " s");
                    }
                    if (!served.add(r.id()))
                    {
                        c.structure(who + ": request " + r.id() + " dropped off twice");
                    }
                }
            }
            visits.add(new Visit(stop.stopId(), stop.action(), r.id(), arrival, t, seats, wheelchairs));
        }
        for (final long left : boardedAt.keySet())
        {
            c.structure(who + ": request " + left + " is still on board at the end");
        }
        return new CheckedRoute(route.shuttleId(), g, visits, distance);
    }

    private static final class Counter
    {
        int capacity;
        int wheelchairs;
        int timeWindows;
        int rideTime;
        int structure;
        final List<String> details = new ArrayList<>();

        private void note(final String line)
        {
            if (details.size() < 100)
            {
                details.add(line);
            }
        }

        void capacity(final String line)
        {
            capacity++;
            note(line);
        }

        void wheelchairs(final String line)
        {
            wheelchairs++;
            note(line);
        }

        void timeWindow(final String line)
        {
            timeWindows++;
            note(line);
        }

        void rideTime(final String line)
        {
            rideTime++;
            note(line);
        }

        void structure(final String line)
        {
            structure++;
            note(line);
        }
    }
}
