package kr.sejong.city.core.loops.emergency;

import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.config.Agency;
import kr.sejong.city.config.Camera;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Emergency;
import kr.sejong.city.config.Hospital;
import kr.sejong.city.config.Intersection;
import kr.sejong.city.config.Link;
import kr.sejong.city.config.Place;
import kr.sejong.city.config.Station;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the triage loop knows of the city, from the configuration, in flat arrays: cameras, places that raise a
 * priority, units and where they are based, hospitals, the road graph (intersections and links, with the
 * shortest travel time between any two intersections and the path), acknowledgement deadlines, the
 * correlation radius and window, and the standard operating procedures. Built once; read on every input.
 */
public final class TriageSettings
{
    static final long S = 1_000_000_000L;
    /** Street speed off the graph (station to its intersection, last metres to the scene), m/s: the city's limit. */
    final double streetSpeedMps;
    /** Emergency vehicles drive this much faster than the limit (lights and siren), as the twin's do. */
    static final double EMERGENCY_SPEED_FACTOR = 1.2;

    final ZoneRules zone;
    final double minEastM;
    final double maxEastM;
    final double minNorthM;
    final double maxNorthM;
    final long correlationWindowNs;
    final double correlationRadiusM;
    final long[] ackDeadlineNs = new long[4]; // by priority 1..3

    // cameras, by index; cameraIndex looks up an id
    final int[] cameraId;
    final double[] cameraEastM;
    final double[] cameraNorthM;
    final int[] cameraFalseAlarmPercent;

    // places that raise a priority (schools, hospitals, tunnels)
    final double[] placeEastM;
    final double[] placeNorthM;
    final double[] placeRadiusM;

    // units
    final int[] unitId;
    final int[] unitAgency; // Agencies bit
    final double[] unitEastM;
    final double[] unitNorthM;

    // hospitals
    final int[] hospitalId;
    final double[] hospitalEastM;
    final double[] hospitalNorthM;
    final int[] hospitalEmergencyBeds;

    // the road graph
    final int[] nodeId;
    final double[] nodeEastM;
    final double[] nodeNorthM;
    /** Approaches of each node: where their traffic comes from (bearing, degrees). */
    final double[][] nodeApproachBearingDeg;
    /** Shortest travel time between nodes, s (infinity when not connected). */
    final double[][] travelS;
    /** The next node on the shortest path from i to j (-1 when none). */
    final int[][] nextHop;

    /** Procedure steps by EventClass value (index), UTF-8; empty when the configuration has none. */
    final byte[][][] procedures = new byte[EventClass.values().length][][];

    private TriageSettings(final CityConfig config)
    {
        final Emergency emergency = config.emergency();
        zone = ZoneId.of(config.city() == null || config.city().timeZone() == null ? "Asia/Seoul" : config.city().timeZone()).getRules();
        if (config.city() != null && config.city().boundary() != null)
        {
            minEastM = config.city().boundary().minEastM();
            maxEastM = config.city().boundary().maxEastM();
            minNorthM = config.city().boundary().minNorthM();
            maxNorthM = config.city().boundary().maxNorthM();
        }
        else
        {
            minEastM = minNorthM = Double.NEGATIVE_INFINITY;
            maxEastM = maxNorthM = Double.POSITIVE_INFINITY;
        }
        correlationWindowNs = emergency.correlation().windowS() * S;
        correlationRadiusM = emergency.correlation().radiusM();
        ackDeadlineNs[1] = emergency.ackDeadlines().p1S() * S;
        ackDeadlineNs[2] = emergency.ackDeadlines().p2S() * S;
        ackDeadlineNs[3] = emergency.ackDeadlines().p3S() * S;
        streetSpeedMps = (config.traffic() == null ? 30 : config.traffic().speedLimitKmh()) / 3.6;

        final List<Camera> cameras = emergency.cameras().stream().sorted((a, b) -> Integer.compare(a.id(), b.id())).toList();
        cameraId = new int[cameras.size()];
        cameraEastM = new double[cameras.size()];
        cameraNorthM = new double[cameras.size()];
        cameraFalseAlarmPercent = new int[cameras.size()];
        for (int i = 0; i < cameras.size(); i++)
        {
            final Camera camera = cameras.get(i);
            cameraId[i] = camera.id();
            cameraEastM[i] = camera.eastM();
            cameraNorthM[i] = camera.northM();
            cameraFalseAlarmPercent[i] = (int)Math.round(camera.falseAlarmHistoryPercent());
        }

        final List<Place> places = emergency.places().stream()
            .filter(p -> p.kind() == Place.Kind.SCHOOL || p.kind() == Place.Kind.HOSPITAL || p.kind() == Place.Kind.TUNNEL).toList();
        placeEastM = new double[places.size()];
        placeNorthM = new double[places.size()];
        placeRadiusM = new double[places.size()];
        for (int i = 0; i < places.size(); i++)
        {
            placeEastM[i] = places.get(i).eastM();
            placeNorthM[i] = places.get(i).northM();
            placeRadiusM[i] = places.get(i).radiusM();
        }

        int units = 0;
        for (final Station station : emergency.stations())
        {
            units += station.units().size();
        }
        unitId = new int[units];
        unitAgency = new int[units];
        unitEastM = new double[units];
        unitNorthM = new double[units];
        int u = 0;
        for (final Station station : emergency.stations())
        {
            for (final Station.Unit unit : station.units())
            {
                unitId[u] = unit.id();
                unitAgency[u] = Triage.agencyBit(unit.kind().agency());
                unitEastM[u] = station.eastM();
                unitNorthM[u] = station.northM();
                u++;
            }
        }

        final List<Hospital> hospitals = emergency.hospitals();
        hospitalId = new int[hospitals.size()];
        hospitalEastM = new double[hospitals.size()];
        hospitalNorthM = new double[hospitals.size()];
        hospitalEmergencyBeds = new int[hospitals.size()];
        for (int i = 0; i < hospitals.size(); i++)
        {
            hospitalId[i] = hospitals.get(i).id();
            hospitalEastM[i] = hospitals.get(i).eastM();
            hospitalNorthM[i] = hospitals.get(i).northM();
            hospitalEmergencyBeds[i] = hospitals.get(i).emergencyBeds();
        }

        final List<Intersection> intersections = config.traffic() == null ? List.of()
            : config.traffic().intersections().stream().sorted((a, b) -> Integer.compare(a.id(), b.id())).toList();
        final int n = intersections.size();
        nodeId = new int[n];
        nodeEastM = new double[n];
        nodeNorthM = new double[n];
        nodeApproachBearingDeg = new double[n][];
        for (int i = 0; i < n; i++)
        {
            final Intersection intersection = intersections.get(i);
            nodeId[i] = intersection.id();
            nodeEastM[i] = intersection.eastM();
            nodeNorthM[i] = intersection.northM();
            nodeApproachBearingDeg[i] = new double[intersection.approaches().size()];
            for (int a = 0; a < intersection.approaches().size(); a++)
            {
                nodeApproachBearingDeg[i][a] = intersection.approaches().get(a).fromBearingDeg();
            }
        }
        travelS = new double[n][n];
        nextHop = new int[n][n];
        for (int i = 0; i < n; i++)
        {
            Arrays.fill(travelS[i], Double.POSITIVE_INFINITY);
            Arrays.fill(nextHop[i], -1);
            travelS[i][i] = 0;
            nextHop[i][i] = i;
        }
        if (config.traffic() != null)
        {
            for (final Link link : config.traffic().links())
            {
                final int a = Arrays.binarySearch(nodeId, link.from());
                final int b = Arrays.binarySearch(nodeId, link.to());
                if (a < 0 || b < 0)
                {
                    continue;
                }
                final double seconds = link.lengthM() / (link.speedKmh() / 3.6 * EMERGENCY_SPEED_FACTOR);
                if (seconds < travelS[a][b])
                {
                    travelS[a][b] = travelS[b][a] = seconds;
                    nextHop[a][b] = b;
                    nextHop[b][a] = a;
                }
            }
        }
        // Floyd-Warshall: a dozen intersections, computed once
        for (int k = 0; k < n; k++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (travelS[i][k] + travelS[k][j] < travelS[i][j])
                    {
                        travelS[i][j] = travelS[i][k] + travelS[k][j];
                        nextHop[i][j] = nextHop[i][k];
                    }
                }
            }
        }

        for (final EventClass eventClass : EventClass.values())
        {
            procedures[eventClass.ordinal()] = new byte[0][];
        }
        for (final Emergency.Procedure procedure : emergency.procedures())
        {
            final EventClass eventClass = EventClass.valueOf(procedure.eventClass().toUpperCase(Locale.ROOT));
            final byte[][] steps = new byte[procedure.steps().size()][];
            for (int i = 0; i < steps.length; i++)
            {
                steps[i] = procedure.steps().get(i).getBytes(StandardCharsets.UTF_8);
            }
            procedures[eventClass.ordinal()] = steps;
        }
    }

    /** From the city configuration, which must have an {@code emergency} section. */
    public static TriageSettings from(final CityConfig config)
    {
        if (config.emergency() == null)
        {
            throw new IllegalArgumentException("the configuration has no emergency section");
        }
        return new TriageSettings(config);
    }

    int cameraIndex(final long id)
    {
        final int index = id > Integer.MAX_VALUE ? -1 : Arrays.binarySearch(cameraId, (int)id);
        return index < 0 ? -1 : index;
    }

    boolean inCity(final double eastM, final double northM)
    {
        return eastM >= minEastM && eastM <= maxEastM && northM >= minNorthM && northM <= maxNorthM;
    }

    boolean sensitivePlace(final double eastM, final double northM)
    {
        for (int p = 0; p < placeEastM.length; p++)
        {
            if (Math.hypot(eastM - placeEastM[p], northM - placeNorthM[p]) <= placeRadiusM[p])
            {
                return true;
            }
        }
        return false;
    }

    /** The intersection nearest a point, or -1 when there is no road graph. */
    int nearestNode(final double eastM, final double northM)
    {
        int best = -1;
        double bestM = Double.POSITIVE_INFINITY;
        for (int i = 0; i < nodeId.length; i++)
        {
            final double m = Math.hypot(eastM - nodeEastM[i], northM - nodeNorthM[i]);
            if (m < bestM)
            {
                bestM = m;
                best = i;
            }
        }
        return best;
    }

    /** Travel time from a point to another, s: street to the nearest intersection, the graph, street to the end. */
    double travelS(final double fromEastM, final double fromNorthM, final double toEastM, final double toNorthM)
    {
        final int a = nearestNode(fromEastM, fromNorthM);
        final int b = nearestNode(toEastM, toNorthM);
        final double streetMps = streetSpeedMps * EMERGENCY_SPEED_FACTOR;
        if (a < 0 || b < 0 || Double.isInfinite(travelS[a][b]))
        {
            return Math.hypot(toEastM - fromEastM, toNorthM - fromNorthM) / streetMps;
        }
        return Math.hypot(nodeEastM[a] - fromEastM, nodeNorthM[a] - fromNorthM) / streetMps + travelS[a][b]
            + Math.hypot(toEastM - nodeEastM[b], toNorthM - nodeNorthM[b]) / streetMps;
    }

    /**
     * The approach of node {@code node} that traffic coming from the point takes: the approach whose
     * {@code fromBearingDeg} is nearest the bearing of the point seen from the node.
     */
    int approachFrom(final int node, final double fromEastM, final double fromNorthM)
    {
        final double bearing = (Math.toDegrees(Math.atan2(fromEastM - nodeEastM[node], fromNorthM - nodeNorthM[node])) + 360.0) % 360.0;
        int best = 0;
        double bestDiff = Double.POSITIVE_INFINITY;
        final double[] approaches = nodeApproachBearingDeg[node];
        for (int a = 0; a < approaches.length; a++)
        {
            final double raw = Math.abs(approaches[a] - bearing) % 360.0;
            final double diff = Math.min(raw, 360.0 - raw);
            if (diff < bestDiff)
            {
                bestDiff = diff;
                best = a;
            }
        }
        return best;
    }
}
