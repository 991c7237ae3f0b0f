package kr.sejong.city.core.loops.mobility;

import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.config.Passage;
import kr.sejong.city.config.Stop;
import kr.sejong.city.config.Waypoint;
import org.agrona.collections.Int2IntHashMap;

import java.util.Arrays;
import java.util.List;

/**
 * The shuttles' graph from the configuration ({@code mobility.stops}, {@code waypoints}, {@code passages}),
 * with the fastest path between every pair of nodes for every fleet group: a group drives each passage its type
 * may use at the lower of the passage's limit and its own top speed. Built once (Floyd-Warshall; a city's shuttle
 * graph has tens of nodes), then read without allocation. Nodes are indexed 0..n-1: the stops first, in
 * configuration order, then the waypoints.
 * <p>
 * Shared by the dispatch loop (travel times for insertion) and the simulated fleet (paths to drive), so both see
 * the same graph.
 */
public final class ShuttleNetwork
{
    /** Travel time between nodes a group cannot connect. */
    public static final double UNREACHABLE = Double.POSITIVE_INFINITY;

    private final int nodeCount;
    private final int stopCount;
    private final int[] nodeIds;
    private final double[] eastM;
    private final double[] northM;
    private final Stop.Kind[] stopKinds;
    private final String[] names;
    private final Int2IntHashMap indexById = new Int2IntHashMap(-1);
    private final FleetGroup[] groups;
    /** Per group, n x n: seconds, metres, and the next node on the fastest path. */
    private final double[][] timeS;
    private final double[][] distanceM;
    private final int[][] next;

    private ShuttleNetwork(final Mobility mobility)
    {
        final List<Stop> stops = mobility.stops();
        final List<Waypoint> waypoints = mobility.waypoints();
        stopCount = stops.size();
        nodeCount = stopCount + waypoints.size();
        nodeIds = new int[nodeCount];
        eastM = new double[nodeCount];
        northM = new double[nodeCount];
        stopKinds = new Stop.Kind[stopCount];
        names = new String[nodeCount];
        for (int i = 0; i < stopCount; i++)
        {
            final Stop stop = stops.get(i);
            nodeIds[i] = stop.id();
            eastM[i] = stop.eastM();
            northM[i] = stop.northM();
            stopKinds[i] = stop.kind();
            names[i] = stop.name();
        }
        for (int i = 0; i < waypoints.size(); i++)
        {
            final Waypoint waypoint = waypoints.get(i);
            nodeIds[stopCount + i] = waypoint.id();
            eastM[stopCount + i] = waypoint.eastM();
            northM[stopCount + i] = waypoint.northM();
            names[stopCount + i] = waypoint.name();
        }
        for (int i = 0; i < nodeCount; i++)
        {
            indexById.put(nodeIds[i], i);
        }

        groups = mobility.fleet().toArray(new FleetGroup[0]);
        timeS = new double[groups.length][];
        distanceM = new double[groups.length][];
        next = new int[groups.length][];
        for (int g = 0; g < groups.length; g++)
        {
            shortestPaths(g, mobility.passages());
        }
    }

    /** The network of the configuration's mobility section (validated: every id known). */
    public static ShuttleNetwork from(final CityConfig config)
    {
        return new ShuttleNetwork(config.mobility());
    }

    private void shortestPaths(final int g, final List<Passage> passages)
    {
        final int n = nodeCount;
        final double[] time = new double[n * n];
        final double[] dist = new double[n * n];
        final int[] hop = new int[n * n];
        Arrays.fill(time, UNREACHABLE);
        Arrays.fill(dist, UNREACHABLE);
        Arrays.fill(hop, -1);
        for (int i = 0; i < n; i++)
        {
            time[i * n + i] = 0;
            dist[i * n + i] = 0;
            hop[i * n + i] = i;
        }
        final FleetGroup group = groups[g];
        for (final Passage passage : passages)
        {
            final double limitKmh = passage.limitKmh(group.type());
            if (!(limitKmh > 0))
            {
                continue;
            }
            final double speedMps = Math.min(limitKmh, group.maxSpeedKmh()) / 3.6;
            final double seconds = passage.lengthM() / speedMps;
            final int a = indexById.get(passage.from());
            final int b = indexById.get(passage.to());
            if (seconds < time[a * n + b])
            {
                time[a * n + b] = seconds;
                time[b * n + a] = seconds;
                dist[a * n + b] = passage.lengthM();
                dist[b * n + a] = passage.lengthM();
                hop[a * n + b] = b;
                hop[b * n + a] = a;
            }
        }
        for (int k = 0; k < n; k++)
        {
            for (int i = 0; i < n; i++)
            {
                final double ik = time[i * n + k];
                if (ik == UNREACHABLE)
                {
                    continue;
                }
                for (int j = 0; j < n; j++)
                {
                    final double candidate = ik + time[k * n + j];
                    if (candidate < time[i * n + j])
                    {
                        time[i * n + j] = candidate;
                        dist[i * n + j] = dist[i * n + k] + dist[k * n + j];
                        hop[i * n + j] = hop[i * n + k];
                    }
                }
            }
        }
        timeS[g] = time;
        distanceM[g] = dist;
        next[g] = hop;
    }

    public int nodeCount()
    {
        return nodeCount;
    }

    /** Nodes 0..stopCount-1 are the stops. */
    public int stopCount()
    {
        return stopCount;
    }

    /** Index of a stop or waypoint id, -1 when unknown. */
    public int index(final int nodeId)
    {
        return indexById.get(nodeId);
    }

    /** Index of a stop id, -1 when it is not a stop (unknown, or a waypoint). */
    public int stopIndex(final int stopId)
    {
        final int index = indexById.get(stopId);
        return index >= 0 && index < stopCount ? index : -1;
    }

    public int nodeId(final int index)
    {
        return nodeIds[index];
    }

    public String name(final int index)
    {
        return names[index];
    }

    public Stop.Kind stopKind(final int stopIndex)
    {
        return stopKinds[stopIndex];
    }

    public double eastM(final int index)
    {
        return eastM[index];
    }

    public double northM(final int index)
    {
        return northM[index];
    }

    public int groupCount()
    {
        return groups.length;
    }

    public FleetGroup group(final int g)
    {
        return groups[g];
    }

    /** Index of the fleet group a shuttle id belongs to, -1 when none. */
    public int groupOf(final int shuttleId)
    {
        for (int g = 0; g < groups.length; g++)
        {
            if (groups[g].contains(shuttleId))
            {
                return g;
            }
        }
        return -1;
    }

    /** Seconds of driving for group {@code g} from node {@code a} to node {@code b}; {@link #UNREACHABLE} when it cannot. */
    public double timeS(final int g, final int a, final int b)
    {
        return timeS[g][a * nodeCount + b];
    }

    /** Metres along group {@code g}'s fastest path from {@code a} to {@code b}; {@link #UNREACHABLE} when none. */
    public double distanceM(final int g, final int a, final int b)
    {
        return distanceM[g][a * nodeCount + b];
    }

    /** The node after {@code a} on group {@code g}'s fastest path to {@code b} ({@code b} itself when adjacent), -1 when none. */
    public int nextHop(final int g, final int a, final int b)
    {
        return next[g][a * nodeCount + b];
    }

    public boolean reachable(final int g, final int a, final int b)
    {
        return timeS[g][a * nodeCount + b] != UNREACHABLE;
    }

    /**
     * The stop nearest a position (straight line) that some group can serve, within {@code radiusM}; -1 when
     * none is that close. Depots are not offered to riders.
     */
    public int nearestRiderStop(final double east, final double north, final double radiusM)
    {
        int best = -1;
        double bestM = radiusM;
        for (int i = 0; i < stopCount; i++)
        {
            if (stopKinds[i] == Stop.Kind.DEPOT)
            {
                continue;
            }
            final double m = Math.hypot(eastM[i] - east, northM[i] - north);
            if (m <= bestM)
            {
                best = i;
                bestM = m;
            }
        }
        return best;
    }
}
