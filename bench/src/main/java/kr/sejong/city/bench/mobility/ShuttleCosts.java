package kr.sejong.city.bench.mobility;

import com.graphhopper.jsprit.core.problem.Location;
import com.graphhopper.jsprit.core.problem.cost.AbstractForwardVehicleRoutingTransportCosts;
import com.graphhopper.jsprit.core.problem.driver.Driver;
import com.graphhopper.jsprit.core.util.Coordinate;
import com.graphhopper.jsprit.core.problem.vehicle.Vehicle;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;

/**
 * jsprit's view of the shuttles' graph: each fleet group (a jsprit vehicle type) drives its own fastest paths from
 * {@link ShuttleNetwork}; the cost to minimise is the distance in metres.
 * <p>
 * Dwell: a shuttle dwells once per stop visit, however many riders board and alight there (docs/shuttle-dispatch.md).
 * jsprit charges service time per activity, which would count a stop with five boardings five times; so activities
 * have no service time and the dwell is part of the travel time instead: leaving a stop for another one takes
 * {@code dwellS} plus the drive, staying at the same stop takes nothing. A shuttle leaving its depot at the start
 * does not dwell, so the start locations are distinct locations ({@link #depotStart}) with the same node.
 * Consequence: an activity's start time is the moment the shuttle is at the stop with its doors open (arrival, or
 * the earliest pickup if it waits), which is when boarding starts.
 */
final class ShuttleCosts extends AbstractForwardVehicleRoutingTransportCosts
{
    /** Time and distance for a pair a group cannot connect: large, finite (no NaN in jsprit's sums). */
    static final double UNREACHABLE = 1.0e7;

    private final ShuttleNetwork network;
    private final double dwellS;
    private final int nodeCount;
    private final Location[] stopLocations;
    private final Location[] depotLocations;

    ShuttleCosts(final ShuttleNetwork network, final double dwellS)
    {
        this.network = network;
        this.dwellS = dwellS;
        this.nodeCount = network.nodeCount();
        this.stopLocations = new Location[network.stopCount()];
        this.depotLocations = new Location[network.stopCount()];
        for (int i = 0; i < network.stopCount(); i++)
        {
            final Coordinate xy = Coordinate.newInstance(network.eastM(i), network.northM(i));
            stopLocations[i] = Location.Builder.newInstance()
                .setIndex(i).setId("s" + network.nodeId(i)).setCoordinate(xy).setName(network.name(i)).build();
            depotLocations[i] = Location.Builder.newInstance()
                .setIndex(nodeCount + i).setId("d" + network.nodeId(i)).setCoordinate(xy).setName(network.name(i)).build();
        }
    }

    static String typeId(final int group)
    {
        return "group" + group;
    }

    /** The location of a stop (by index) as a pickup or drop-off. */
    Location stop(final int stopIndex)
    {
        return stopLocations[stopIndex];
    }

    /** The location of a stop (by index) as a shuttle's start: leaving it does not dwell. */
    Location depotStart(final int stopIndex)
    {
        return depotLocations[stopIndex];
    }

    /** The fleet group of a vehicle, -1 when jsprit asks without one. */
    int group(final Vehicle vehicle)
    {
        if (vehicle == null)
        {
            return -1;
        }
        // the type's user data is its group (set by JspritOffline): a field read, asked millions of times
        if (vehicle.getType().getUserData() instanceof Integer group)
        {
            return group;
        }
        throw new IllegalStateException("vehicle type " + vehicle.getType().getTypeId() + " has no fleet group");
    }

    private int node(final Location location)
    {
        final int index = location.getIndex();
        return index >= nodeCount ? index - nodeCount : index;
    }

    private boolean dwellsOnLeaving(final Location location)
    {
        return location.getIndex() < nodeCount;
    }

    /** Driving seconds (no dwell) for group g between two nodes; without a group the fastest group that connects them. */
    private double driveS(final int g, final int a, final int b)
    {
        if (g >= 0)
        {
            final double t = network.timeS(g, a, b);
            return t == ShuttleNetwork.UNREACHABLE ? UNREACHABLE : t;
        }
        double best = UNREACHABLE;
        for (int h = 0; h < network.groupCount(); h++)
        {
            best = Math.min(best, network.timeS(h, a, b));
        }
        return best;
    }

    /** Metres along group g's fastest path; without a group the shortest such distance over the groups that connect them. */
    double distanceM(final int g, final int a, final int b)
    {
        if (a == b)
        {
            return 0;
        }
        if (g >= 0)
        {
            final double m = network.distanceM(g, a, b);
            return m == ShuttleNetwork.UNREACHABLE ? UNREACHABLE : m;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int h = 0; h < network.groupCount(); h++)
        {
            best = Math.min(best, network.distanceM(h, a, b));
        }
        if (best == Double.POSITIVE_INFINITY)
        {
            // no single group connects them (only jsprit's job-similarity measures ask this): the straight line
            return Math.hypot(network.eastM(a) - network.eastM(b), network.northM(a) - network.northM(b));
        }
        return best;
    }

    @Override
    public double getTransportTime(final Location from, final Location to, final double departureTime, final Driver driver, final Vehicle vehicle)
    {
        final int a = node(from);
        final int b = node(to);
        if (a == b)
        {
            return 0;
        }
        return (dwellsOnLeaving(from) ? dwellS : 0) + driveS(group(vehicle), a, b);
    }

    @Override
    public double getTransportCost(final Location from, final Location to, final double departureTime, final Driver driver, final Vehicle vehicle)
    {
        return distanceM(group(vehicle), node(from), node(to));
    }

    @Override
    public double getDistance(final Location from, final Location to, final double departureTime, final Vehicle vehicle)
    {
        return distanceM(group(vehicle), node(from), node(to));
    }
}
