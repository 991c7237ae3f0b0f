package kr.sejong.city.adapters.twin;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The signalised intersections of a SUMO network, derived from its .net.xml alone (read with the JDK's
 * StAX parser), with no per-scenario configuration: for every traffic light, a {@link TrafficLight}
 * with its incoming lanes and approaches, movements, outgoing approaches, turn directions, the
 * network's own program and the conflict matrix. Lights are in ascending order of their SUMO id, which
 * is the order of the intersection ids 1, 2, 3 ... of the twin protocol.
 * <h2>From junction link index to the light's link index</h2>
 * A junction's {@code <request index="k" foes=".." response="..">} rows are indexed by the junction's
 * own link index; a controlled connection carries the light's {@code linkIndex}. The bridge is the
 * connection's internal lane: the junction's {@code intLanes} lists one internal lane per junction link,
 * in index order. A left turn that waits inside the junction has two internal lanes in a row (the
 * second after its internal junction): the chain of internal connections is followed until a lane of
 * {@code intLanes} is reached. A pedestrian crossing's link is the crossing lane itself. Without
 * internal lanes ({@code --no-internal-links}), the junction's links are numbered in the order of its
 * {@code incLanes} and, per lane, of the connections in the file. In the {@code foes} and
 * {@code response} strings the last character is link 0.
 */
public final class NetworkModel
{
    /**
     * How far back from the stop line a controlled lane is observed, at least, through junctions no light controls and
     * every vehicle passes on to it ({@link TrafficLight.Lane#upstream}): about a dozen cars per lane, the 7 to 10 s ahead
     * the adaptive controller decides on at 30-40 km/h. A netgenerate'd turn pocket leaves a controlled lane of 4 m,
     * which shows the controller nothing ahead; OSM imports are full of such short edges.
     */
    public static final double DETECTION_ZONE_M = 75.0;

    private final Path netFile;
    private final List<TrafficLight> trafficLights;
    private final Map<String, TrafficLight> byId;

    private NetworkModel(final Path netFile, final List<TrafficLight> trafficLights)
    {
        this.netFile = netFile;
        this.trafficLights = List.copyOf(trafficLights);
        final Map<String, TrafficLight> map = new HashMap<>();
        for (final TrafficLight light : trafficLights)
        {
            map.put(light.id(), light);
        }
        this.byId = map;
    }

    /**
     * Load from a network file (.net.xml, or .net.xml.gz) or a SUMO config (.sumocfg, whose net-file is
     * used).
     *
     * @throws TwinInputException when a file is missing or invalid, or the network has no traffic lights.
     */
    public static NetworkModel load(final Path file)
    {
        final String name = file.getFileName().toString();
        final Path net = name.endsWith(".sumocfg") ? SumoConfigFile.read(file).netFile() : file;
        if (!Files.isRegularFile(net))
        {
            throw new TwinInputException("SUMO network file not found: " + net);
        }
        final Parsed parsed = Parsed.read(net);
        final List<TrafficLight> lights = new ArrayList<>();
        for (final String id : new TreeMap<>(parsed.tlLogics).keySet())
        {
            final TrafficLight light = parsed.derive(id);
            if (light != null)
            {
                lights.add(light);
            }
        }
        if (lights.isEmpty())
        {
            throw new TwinInputException("the network " + net + " has no traffic lights (no <tlLogic> controlling a connection): "
                + "there is nothing for signal control to do; build it with traffic lights (e.g. netconvert --tls.guess, "
                + "or junction type traffic_light)");
        }
        return new NetworkModel(net, lights);
    }

    public Path netFile()
    {
        return netFile;
    }

    /** Every traffic light that controls at least one connection, ascending by SUMO id. */
    public List<TrafficLight> trafficLights()
    {
        return trafficLights;
    }

    /** The light with this SUMO id, or null. */
    public TrafficLight trafficLight(final String id)
    {
        return byId.get(id);
    }

    /** The light with this SUMO id replaced (e.g. by {@link TrafficLight#withProgram}). */
    public NetworkModel with(final TrafficLight replacement)
    {
        final List<TrafficLight> lights = new ArrayList<>(trafficLights);
        for (int i = 0; i < lights.size(); i++)
        {
            if (lights.get(i).id().equals(replacement.id()))
            {
                lights.set(i, replacement);
                return new NetworkModel(netFile, lights);
            }
        }
        throw new IllegalArgumentException("no traffic light " + replacement.id() + " in " + netFile);
    }

    /**
     * Pairs of conflicting movements that some phase of the program shows green together with at least
     * one of them as {@code g} (which yields).
     */
    static boolean[][] permissivePairs(final boolean[][] conflict, final TrafficLight.Program program)
    {
        final int n = conflict.length;
        final boolean[][] permissive = new boolean[n][n];
        for (final TrafficLight.Phase phase : program.phases())
        {
            final String state = phase.state();
            for (int i = 0; i < n && i < state.length(); i++)
            {
                for (int j = 0; j < n && j < state.length(); j++)
                {
                    final char a = state.charAt(i);
                    final char b = state.charAt(j);
                    if (conflict[i][j] && isGreen(a) && isGreen(b) && (a == 'g' || b == 'g'))
                    {
                        permissive[i][j] = true;
                    }
                }
            }
        }
        return permissive;
    }

    private static boolean isGreen(final char letter)
    {
        return letter == 'G' || letter == 'g';
    }

    // ---------------------------------------------------------------------------------------------- parsing

    private record LaneInfo(String id, String edgeId, int index, double length, double speed)
    {
    }

    private record EdgeInfo(String id, String function, String from, String to)
    {
    }

    private record Request(String response, String foes)
    {
    }

    private record JunctionInfo(String id, String type, List<String> incLanes, List<String> intLanes, Map<Integer, Request> requests)
    {
    }

    private record Connection(int order, String from, String to, int fromLane, int toLane, String via, String tl, int linkIndex,
        int linkIndex2, String dir)
    {
        String fromLaneId()
        {
            return from + "_" + fromLane;
        }

        String toLaneId()
        {
            return to + "_" + toLane;
        }
    }

    private record TlLogicInfo(String id, String type, String programId, long offsetMs, List<TrafficLight.Phase> phases)
    {
    }

    /** Where a controlled link sits in its junction. */
    private record JunctionLink(String junctionId, int index)
    {
    }

    /** The raw elements of a network file, and the derivation of a light from them. */
    private static final class Parsed
    {
        private final Path net;
        private final Map<String, EdgeInfo> edges = new HashMap<>();
        private final Map<String, LaneInfo> lanes = new HashMap<>();
        private final Map<String, JunctionInfo> junctions = new LinkedHashMap<>();
        private final List<Connection> connections = new ArrayList<>();
        private final Map<String, TlLogicInfo> tlLogics = new LinkedHashMap<>();

        private final Map<String, List<Connection>> controlled = new HashMap<>();
        private final Map<String, Connection> internalByFromLane = new HashMap<>();
        private final Map<String, JunctionLink> intLaneIndex = new HashMap<>();
        private final Map<String, Map<Connection, Integer>> positionalIndex = new HashMap<>();
        private final Map<String, List<Connection>> connectionsByFromLane = new HashMap<>();
        private final Map<String, List<Connection>> connectionsByToLane = new HashMap<>();

        private Parsed(final Path net)
        {
            this.net = net;
        }

        static Parsed read(final Path net)
        {
            final Parsed parsed = new Parsed(net);
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(net), 1 << 16);
                InputStream in = net.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw)
            {
                parsed.parse(SumoConfigFile.Xml.factory().createXMLStreamReader(in));
            }
            catch (final XMLStreamException ex)
            {
                throw new TwinInputException("SUMO network file is not valid XML: " + net + ": " + ex.getMessage(), ex);
            }
            catch (final IOException ex)
            {
                throw new TwinInputException("cannot read SUMO network file " + net + ": " + ex.getMessage(), ex);
            }
            catch (final NumberFormatException ex)
            {
                throw new TwinInputException("SUMO network file " + net + " has a malformed number: " + ex.getMessage(), ex);
            }
            parsed.index();
            return parsed;
        }

        private void parse(final XMLStreamReader xml) throws XMLStreamException
        {
            boolean root = true;
            EdgeInfo edge = null;
            JunctionInfo junction = null;
            String tlId = null;
            String tlType = null;
            String tlProgram = null;
            long tlOffsetMs = 0;
            List<TrafficLight.Phase> tlPhases = null;
            while (xml.hasNext())
            {
                final int event = xml.next();
                if (event == XMLStreamConstants.END_ELEMENT)
                {
                    switch (xml.getLocalName())
                    {
                        case "edge" -> edge = null;
                        case "junction" -> junction = null;
                        case "tlLogic" ->
                        {
                            // a later program of the same light replaces an earlier one: SUMO runs the last one loaded
                            tlLogics.remove(tlId);
                            tlLogics.put(tlId, new TlLogicInfo(tlId, tlType, tlProgram, tlOffsetMs, tlPhases));
                            tlId = null;
                        }
                        default ->
                        {
                        }
                    }
                    continue;
                }
                if (event != XMLStreamConstants.START_ELEMENT)
                {
                    continue;
                }
                final String name = xml.getLocalName();
                if (root)
                {
                    root = false;
                    if (!"net".equals(name))
                    {
                        throw new TwinInputException("not a SUMO network file (root element <" + name + ">, expected <net>): " + net);
                    }
                    continue;
                }
                switch (name)
                {
                    case "edge" ->
                    {
                        edge = new EdgeInfo(attr(xml, "id"), attrOr(xml, "function", "normal"), attrOr(xml, "from", ""),
                            attrOr(xml, "to", ""));
                        edges.put(edge.id(), edge);
                    }
                    case "lane" ->
                    {
                        if (edge != null)
                        {
                            final String id = attr(xml, "id");
                            lanes.put(id, new LaneInfo(id, edge.id(), Integer.parseInt(attr(xml, "index")),
                                Double.parseDouble(attr(xml, "length")), Double.parseDouble(attr(xml, "speed"))));
                        }
                    }
                    case "junction" ->
                    {
                        final String type = attrOr(xml, "type", "");
                        if (!"internal".equals(type))
                        {
                            junction = new JunctionInfo(attr(xml, "id"), type, split(attrOr(xml, "incLanes", "")),
                                split(attrOr(xml, "intLanes", "")), new HashMap<>());
                            junctions.put(junction.id(), junction);
                        }
                    }
                    case "request" ->
                    {
                        if (junction != null)
                        {
                            junction.requests().put(Integer.parseInt(attr(xml, "index")),
                                new Request(attr(xml, "response"), attr(xml, "foes")));
                        }
                    }
                    case "connection" ->
                    {
                        final String linkIndex = xml.getAttributeValue(null, "linkIndex");
                        final String linkIndex2 = xml.getAttributeValue(null, "linkIndex2");
                        connections.add(new Connection(connections.size(), attr(xml, "from"), attr(xml, "to"),
                            Integer.parseInt(attr(xml, "fromLane")), Integer.parseInt(attr(xml, "toLane")),
                            attrOr(xml, "via", ""), attrOr(xml, "tl", ""), linkIndex == null ? -1 : Integer.parseInt(linkIndex),
                            linkIndex2 == null ? -1 : Integer.parseInt(linkIndex2), attrOr(xml, "dir", "?")));
                    }
                    case "tlLogic" ->
                    {
                        tlId = attr(xml, "id");
                        tlType = attrOr(xml, "type", "static");
                        tlProgram = attrOr(xml, "programID", "0");
                        tlOffsetMs = ms(attrOr(xml, "offset", "0"));
                        tlPhases = new ArrayList<>();
                    }
                    case "phase" ->
                    {
                        if (tlId != null)
                        {
                            final long duration = ms(attr(xml, "duration"));
                            final String min = xml.getAttributeValue(null, "minDur");
                            final String max = xml.getAttributeValue(null, "maxDur");
                            tlPhases.add(new TrafficLight.Phase(duration, min == null ? duration : ms(min), max == null ? duration : ms(max),
                                attr(xml, "state")));
                        }
                    }
                    default ->
                    {
                    }
                }
            }
        }

        private String attr(final XMLStreamReader xml, final String name)
        {
            final String value = xml.getAttributeValue(null, name);
            if (value == null)
            {
                throw new TwinInputException("SUMO network file " + net + ": <" + xml.getLocalName() + "> without attribute '" + name
                    + "' (line " + xml.getLocation().getLineNumber() + ")");
            }
            return value;
        }

        private static String attrOr(final XMLStreamReader xml, final String name, final String fallback)
        {
            final String value = xml.getAttributeValue(null, name);
            return value == null ? fallback : value;
        }

        private static List<String> split(final String text)
        {
            final String trimmed = text.trim();
            return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
        }

        private static long ms(final String seconds)
        {
            return Math.round(Double.parseDouble(seconds.trim()) * 1000.0);
        }

        private void index()
        {
            for (final JunctionInfo junction : junctions.values())
            {
                final List<String> internal = junction.intLanes();
                for (int i = 0; i < internal.size(); i++)
                {
                    intLaneIndex.put(internal.get(i), new JunctionLink(junction.id(), i));
                }
            }
            for (final Connection connection : connections)
            {
                if (connection.from().startsWith(":"))
                {
                    internalByFromLane.put(connection.fromLaneId(), connection);
                }
                else
                {
                    connectionsByFromLane.computeIfAbsent(connection.fromLaneId(), k -> new ArrayList<>()).add(connection);
                    if (!connection.to().startsWith(":"))
                    {
                        connectionsByToLane.computeIfAbsent(connection.toLaneId(), k -> new ArrayList<>()).add(connection);
                    }
                }
                if (!connection.tl().isEmpty() && connection.linkIndex() >= 0)
                {
                    controlled.computeIfAbsent(connection.tl(), k -> new ArrayList<>()).add(connection);
                }
            }
        }

        /** Where the connection's link sits in its junction, or null when the file does not say. */
        private JunctionLink junctionLink(final Connection connection)
        {
            String lane;
            if (!connection.via().isEmpty())
            {
                lane = connection.via();
            }
            else if (connection.to().startsWith(":"))
            {
                lane = connection.toLaneId(); // a crossing: its lane is the junction's link
            }
            else
            {
                lane = null;
            }
            for (int hops = 0; lane != null && hops < 16; hops++)
            {
                final JunctionLink link = intLaneIndex.get(lane);
                if (link != null)
                {
                    return link;
                }
                final Connection next = internalByFromLane.get(lane);
                lane = next == null || next.via().isEmpty() ? null : next.via();
            }
            return positionalLink(connection);
        }

        /** Without internal lanes: the junction's links in incLanes order, then file order per lane. */
        private JunctionLink positionalLink(final Connection connection)
        {
            final EdgeInfo from = edges.get(connection.from());
            if (from == null || from.to().isEmpty())
            {
                return null;
            }
            final JunctionInfo junction = junctions.get(from.to());
            if (junction == null || !junction.intLanes().isEmpty())
            {
                return null;
            }
            final Map<Connection, Integer> index = positionalIndex.computeIfAbsent(junction.id(), id ->
            {
                final Map<Connection, Integer> result = new HashMap<>();
                int next = 0;
                for (final String lane : junction.incLanes())
                {
                    for (final Connection c : connectionsByFromLane.getOrDefault(lane, List.of()))
                    {
                        if (!c.to().startsWith(":"))
                        {
                            result.put(c, next++);
                        }
                    }
                }
                return result;
            });
            final Integer position = index.get(connection);
            return position == null ? null : new JunctionLink(junction.id(), position);
        }

        private boolean bit(final JunctionLink row, final JunctionLink column, final boolean foes)
        {
            if (!row.junctionId().equals(column.junctionId()))
            {
                return false;
            }
            final Request request = junctions.get(row.junctionId()).requests().get(row.index());
            if (request == null)
            {
                return false;
            }
            final String bits = foes ? request.foes() : request.response();
            final int at = bits.length() - 1 - column.index();
            return at >= 0 && bits.charAt(at) == '1';
        }

        /** The light's model, or null when no connection is controlled by it. */
        TrafficLight derive(final String id)
        {
            final TlLogicInfo logic = tlLogics.get(id);
            final List<Connection> links = controlled.getOrDefault(id, List.of());
            if (links.isEmpty())
            {
                return null;
            }
            int n = 0;
            for (final TrafficLight.Phase phase : logic.phases())
            {
                n = Math.max(n, phase.state().length());
            }
            for (final Connection c : links)
            {
                n = Math.max(n, Math.max(c.linkIndex(), c.linkIndex2()) + 1);
            }

            // the connections of each link index, in file order
            final List<List<Connection>> byLink = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
            {
                byLink.add(new ArrayList<>());
            }
            for (final Connection c : links)
            {
                byLink.get(c.linkIndex()).add(c);
                if (c.linkIndex2() >= 0)
                {
                    byLink.get(c.linkIndex2()).add(c);
                }
            }

            final Map<String, Integer> laneIndex = new LinkedHashMap<>();
            final Map<String, Integer> incoming = new LinkedHashMap<>();
            final List<TrafficLight.Lane> laneList = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                if (byLink.get(i).isEmpty())
                {
                    continue;
                }
                final Connection first = byLink.get(i).get(0);
                final String laneId = first.fromLaneId();
                if (!laneIndex.containsKey(laneId))
                {
                    final LaneInfo lane = lanes.get(laneId);
                    if (lane == null)
                    {
                        throw new TwinInputException("SUMO network file " + net + ": traffic light " + id + " controls a connection from lane "
                            + laneId + ", which the file does not define");
                    }
                    final Integer approach = incoming.computeIfAbsent(first.from(), k -> incoming.size());
                    laneIndex.put(laneId, laneList.size());
                    final boolean pedestrian = "walkingarea".equals(function(first.from()));
                    final Map<String, Double> zone = pedestrian ? Map.of() : upstreamZone(lane);
                    double zoneLength = lane.length();
                    for (final double reach : zone.values())
                    {
                        zoneLength = Math.max(zoneLength, reach);
                    }
                    laneList.add(new TrafficLight.Lane(laneId, first.from(), approach, lane.length(), lane.speed(), pedestrian,
                        new ArrayList<>(zone.keySet()), zoneLength));
                }
            }
            final Map<String, Integer> outgoing = new LinkedHashMap<>();
            final List<TrafficLight.Movement> movements = new ArrayList<>(n);
            final List<List<JunctionLink>> junctionLinks = new ArrayList<>(n);
            final List<String> junctionIds = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                final List<Connection> group = byLink.get(i);
                final List<JunctionLink> jl = new ArrayList<>();
                if (group.isEmpty())
                {
                    movements.add(new TrafficLight.Movement(i, 0, "", "", "", TrafficLight.NO_APPROACH, '?', false, false));
                    junctionLinks.add(jl);
                    continue;
                }
                final Connection first = group.get(0);
                final boolean pedestrian = "walkingarea".equals(function(first.from())) || "crossing".equals(function(first.to()));
                final int toApproach = pedestrian ? TrafficLight.NO_APPROACH
                    : incoming.size() + outgoing.computeIfAbsent(first.to(), k -> outgoing.size());
                movements.add(new TrafficLight.Movement(i, laneIndex.get(first.fromLaneId()), first.fromLaneId(), first.toLaneId(),
                    first.via(), toApproach, first.dir().isEmpty() ? '?' : first.dir().charAt(0), pedestrian, true));
                for (final Connection c : group)
                {
                    final JunctionLink link = junctionLink(c);
                    if (link == null)
                    {
                        throw new TwinInputException("SUMO network file " + net + ": cannot place the connection " + c.fromLaneId() + " -> "
                            + c.toLaneId() + " (traffic light " + id + ", link " + i + ") in its junction's request rows");
                    }
                    jl.add(link);
                    if (!junctionIds.contains(link.junctionId()))
                    {
                        junctionIds.add(link.junctionId());
                    }
                }
                junctionLinks.add(jl);
            }

            final boolean[][] conflict = new boolean[n][n];
            final boolean[][] yields = new boolean[n][n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (i == j)
                    {
                        continue;
                    }
                    for (final JunctionLink a : junctionLinks.get(i))
                    {
                        for (final JunctionLink b : junctionLinks.get(j))
                        {
                            if (bit(a, b, true) || bit(b, a, true))
                            {
                                conflict[i][j] = true;
                            }
                            if (bit(a, b, false))
                            {
                                yields[i][j] = true;
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    final TrafficLight.Movement a = movements.get(i);
                    final TrafficLight.Movement b = movements.get(j);
                    if (i == j || (a.used() && b.used() && a.fromLane().equals(b.fromLane())))
                    {
                        conflict[i][j] = false; // never with itself, never within one lane
                    }
                }
            }
            final TrafficLight.Program program = new TrafficLight.Program(logic.programId(), logic.type(), logic.offsetMs(), logic.phases());
            return new TrafficLight(id, laneList, new ArrayList<>(incoming.keySet()), new ArrayList<>(outgoing.keySet()), movements,
                program, Collections.unmodifiableList(junctionIds), conflict, yields, permissivePairs(conflict, program));
        }

        /**
         * The lanes upstream of a controlled lane that belong to its detection zone, each with the distance from the
         * stop line to its start, in the order found (breadth first, by connection order): a lane joins when a
         * connection through a junction no light controls leads from it to a lane of the zone and every connection it
         * has leads onto the same edge as that lane (all its vehicles come on); the walk goes on from a lane whose start
         * is less than {@link #DETECTION_ZONE_M} from the stop line.
         */
        private Map<String, Double> upstreamZone(final LaneInfo controlled)
        {
            final Map<String, Double> zone = new LinkedHashMap<>();
            final ArrayDeque<String> frontier = new ArrayDeque<>();
            final Map<String, Double> reach = new HashMap<>();
            reach.put(controlled.id(), controlled.length());
            frontier.add(controlled.id());
            while (!frontier.isEmpty())
            {
                final String x = frontier.poll();
                final double d = reach.get(x);
                if (d >= DETECTION_ZONE_M)
                {
                    continue;
                }
                final LaneInfo xInfo = lanes.get(x);
                for (final Connection feeding : connectionsByToLane.getOrDefault(x, List.of()))
                {
                    final String p = feeding.fromLaneId();
                    final LaneInfo pInfo = lanes.get(p);
                    if (!feeding.tl().isEmpty() || pInfo == null || reach.containsKey(p) || "walkingarea".equals(function(feeding.from())))
                    {
                        continue;
                    }
                    boolean allOnto = true;
                    for (final Connection out : connectionsByFromLane.getOrDefault(p, List.of()))
                    {
                        allOnto &= out.to().equals(xInfo.edgeId()) && out.tl().isEmpty();
                    }
                    if (!allOnto)
                    {
                        continue;
                    }
                    final double dp = d + pInfo.length();
                    reach.put(p, dp);
                    zone.put(p, dp);
                    frontier.add(p);
                }
            }
            return zone;
        }

        private String function(final String edgeId)
        {
            final EdgeInfo edge = edges.get(edgeId);
            return edge == null ? "" : edge.function();
        }
    }
}
