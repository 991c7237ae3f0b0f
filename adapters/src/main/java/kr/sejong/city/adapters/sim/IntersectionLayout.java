package kr.sejong.city.adapters.sim;

import kr.sejong.city.adapters.twin.TrafficLight;
import kr.sejong.city.config.Intersection;
import kr.sejong.city.config.Link;
import kr.sejong.city.config.Traffic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a signal controller at a configured intersection controls, derived from the configuration alone
 * (approach bearings, lane counts, bus lanes, links, {@code traffic.signalTiming}): the topology the
 * field simulator announces to the signal loop ({@code IntersectionTopology}, docs/signal-twin-protocol.md)
 * and the movements its queues discharge by. Pure: the same intersection gives the same layout. Traffic
 * drives on the right (Korea).
 *
 * <h2>Lanes</h2>
 * Approach by approach in configuration order (approach index = position in the list), lane 0 (innermost,
 * next to the centre line) first. Length and speed limit come from the link whose far end lies in the
 * approach's direction (within {@value #LINK_MATCH_DEG} degrees); without one, {@value #DEFAULT_LANE_LENGTH_M} m
 * at the city's {@code speedLimitKmh}.
 *
 * <h2>Movements</h2>
 * Exits are the other approaches (outgoing approach index = number of approaches + exit's position); no
 * U-turns (an exit within {@value #U_TURN_DEG} degrees of straight back is none). The turn is read from the
 * angle between the heading in and the heading out: within {@value #STRAIGHT_DEG} degrees straight, beyond
 * it left (anticlockwise) or right. Lanes take them in order: a single lane everything; otherwise the
 * innermost lane left + through, the outermost through + right, the middle lanes through; a bus lane
 * through only. With no straight exit (the stem of a T) the inner half of the lanes turn left, the outer
 * half right; a bus lane with no straight exit takes every exit. In a signal state, movements follow lane
 * order and, within a lane, turn order from left to right.
 *
 * <h2>Conflicts</h2>
 * Each approach meets the junction's circle at two points: traffic enters just anticlockwise of its bearing
 * (the right-hand side of inbound traffic) and leaves just clockwise of it. A movement is the chord from its
 * entry to its exit. Two movements conflict when their chords interleave on the circle (the paths cross) or
 * when they leave by the same exit (they merge); movements from the same approach never conflict. Two right
 * turns therefore never conflict unless they merge, nor do two opposing left turns.
 *
 * <h2>Own program</h2>
 * A junction where no two movements conflict (a bend) has a single stage, everything green. Otherwise
 * approaches are paired into stages: the one nearest north-south first, then each approach joins the first
 * stage holding a single approach opposite to it (bearings 180 +- {@value #OPPOSITE_DEG} degrees apart), or
 * opens a stage of its own. A regular four-leg junction thus has two stages, north-south then east-west.
 * In a stage every movement of its approaches is green; of two conflicting ones, the more leftward turn
 * yields ({@code g}: a permissive left turn), the other keeps {@code G}. A stage in which two yielding
 * movements would conflict is split into one stage per approach. Each stage's green ({@value #GREEN_MS} ms,
 * kept within min and max green) is followed by a yellow state (the stage's greens yellow, for
 * {@code yellowMs}, never below 3000) and an all-red state ({@code allRedMs}, left out when 0). A junction
 * with a single stage shows its green alone. All the numbers in this class are chosen, not measured.
 *
 * @param intersectionId the configuration's id.
 * @param name           the configuration's name (sent as the controller's name).
 * @param lanes          incoming lanes, in topology order.
 * @param movements      movements, in signal-state order.
 * @param approachCount  number of approaches (= incoming roads; outgoing roads are numbered after them).
 * @param conflicts      n x n, symmetric, clear diagonal.
 * @param program        the own program, in order.
 */
public record IntersectionLayout(
    long intersectionId,
    String name,
    List<Lane> lanes,
    List<Movement> movements,
    int approachCount,
    boolean[][] conflicts,
    List<Phase> program)
{
    /** Green of each stage of the own program, ms (chosen; kept within the city's min and max green). */
    public static final int GREEN_MS = 30_000;
    /** An approach without a matching link: its lanes are this long (chosen: a city block). */
    public static final double DEFAULT_LANE_LENGTH_M = 200.0;
    /** A link belongs to an approach when its far end lies within this many degrees of the approach's bearing. */
    public static final double LINK_MATCH_DEG = 40.0;
    /** Turns within this many degrees of straight on are through movements. */
    public static final double STRAIGHT_DEG = 45.0;
    /** An exit within this many degrees of straight back is a U-turn, which is not a movement. */
    public static final double U_TURN_DEG = 10.0;
    /** Two approaches are opposite when their bearings are 180 degrees apart within this. */
    public static final double OPPOSITE_DEG = 30.0;

    public IntersectionLayout
    {
        lanes = List.copyOf(lanes);
        movements = List.copyOf(movements);
        program = List.copyOf(program);
        conflicts = copy(conflicts);
    }

    /**
     * An incoming lane.
     *
     * @param approachIndex  the approach's position in the configuration.
     * @param approachId     the approach's configured id.
     * @param laneInApproach 0 = innermost.
     * @param busLane        reserved for buses.
     * @param lengthM        length (the link's, or the default).
     * @param speedLimitMps  free-flow speed.
     */
    public record Lane(int approachIndex, int approachId, int laneInApproach, boolean busLane, double lengthM, double speedLimitMps)
    {
    }

    /**
     * A movement (one signal letter).
     *
     * @param laneIndex     the lane it starts from (index into {@link #lanes()}).
     * @param fromApproach  the approach it comes from.
     * @param toApproach    the approach it leaves by (its position in the configuration).
     * @param turn          {@link #LEFT}, {@link #STRAIGHT} or {@link #RIGHT}.
     * @param turnAngleDeg  heading change, negative to the left, in (-180, 180).
     */
    public record Movement(int laneIndex, int fromApproach, int toApproach, char turn, double turnAngleDeg)
    {
    }

    /**
     * A phase of the own program.
     *
     * @param durationMs    duration.
     * @param minDurationMs shortest (min green for a green, the duration for a clearance).
     * @param maxDurationMs longest (max green for a green, the duration for a clearance).
     * @param state         one letter per movement: {@code G g y r}.
     */
    public record Phase(int durationMs, int minDurationMs, int maxDurationMs, String state)
    {
    }

    /** Turn letters, as SUMO's connection {@code dir}. */
    public static final char LEFT = 'l';
    public static final char STRAIGHT = 's';
    public static final char RIGHT = 'r';

    /** The layout of one configured intersection. */
    public static IntersectionLayout of(final Intersection intersection, final Traffic traffic)
    {
        final List<Intersection.Approach> approaches = intersection.approaches();
        final int k = approaches.size();
        final double[] bearings = new double[k];
        for (int a = 0; a < k; a++)
        {
            bearings[a] = approaches.get(a).fromBearingDeg();
        }

        final List<Lane> lanes = new ArrayList<>();
        final List<Movement> movements = new ArrayList<>();
        for (int a = 0; a < k; a++)
        {
            final Intersection.Approach approach = approaches.get(a);
            final double[] road = road(intersection, approach.fromBearingDeg(), traffic);
            final List<Movement> exits = exits(a, bearings);
            final List<List<Movement>> perLane = laneMovements(exits, approach.lanes(), approach.busLane());
            for (int l = 0; l < approach.lanes(); l++)
            {
                final int laneIndex = lanes.size();
                lanes.add(new Lane(a, approach.id(), l, approach.busLane() && l == 0, road[0], road[1]));
                for (final Movement exit : perLane.get(l))
                {
                    movements.add(new Movement(laneIndex, a, exit.toApproach(), exit.turn(), exit.turnAngleDeg()));
                }
            }
        }
        final boolean[][] conflicts = conflicts(movements, bearings);
        final List<Phase> program = movements.isEmpty() ? List.of()
            : program(stages(movements, conflicts, bearings), traffic.signalTiming());
        return new IntersectionLayout(intersection.id(), intersection.name(), lanes, movements, k, conflicts, program);
    }

    /** Whether there is anything to control: a junction with a single leg has no movement (no U-turns). */
    public boolean controllable()
    {
        return !movements.isEmpty();
    }

    public int movementCount()
    {
        return movements.size();
    }

    public boolean conflicts(final int i, final int j)
    {
        return conflicts[i][j];
    }

    /** A copy of the conflict matrix. */
    @Override
    public boolean[][] conflicts()
    {
        return copy(conflicts);
    }

    /** Movements of a lane, as indices in signal-state order. */
    public int[] movementsOfLane(final int laneIndex)
    {
        return movements.stream().filter(m -> m.laneIndex() == laneIndex).mapToInt(movements::indexOf).toArray();
    }

    /** Length of the own program's cycle, ms. */
    public long cycleMs()
    {
        long cycle = 0;
        for (final Phase phase : program)
        {
            cycle += phase.durationMs();
        }
        return cycle;
    }

    /** The own program's state at a time, the cycle counted from the epoch (so any run agrees on it). */
    public String programStateAt(final long epochNs)
    {
        final long cycleNs = cycleMs() * 1_000_000L;
        long offsetNs = Math.floorMod(epochNs, cycleNs);
        for (final Phase phase : program)
        {
            final long durationNs = phase.durationMs() * 1_000_000L;
            if (offsetNs < durationNs)
            {
                return phase.state();
            }
            offsetNs -= durationNs;
        }
        return program.get(program.size() - 1).state(); // not reached
    }

    /**
     * The layout as the twin describes a SUMO traffic light, so that {@code TwinFrames} encodes its
     * topology. Lane ids are {@code approachId_lane}, incoming edges {@code in<approachId>}, outgoing edges
     * {@code out<approachId>}. A yielding movement ({@code g} somewhere) yields to the movements it conflicts
     * with that are green with it.
     */
    public TrafficLight toTrafficLight()
    {
        final List<TrafficLight.Lane> trafficLanes = new ArrayList<>();
        for (final Lane lane : lanes)
        {
            trafficLanes.add(new TrafficLight.Lane(lane.approachId() + "_" + lane.laneInApproach(), "in" + lane.approachId(),
                lane.approachIndex(), lane.lengthM(), lane.speedLimitMps(), false));
        }
        final List<String> incoming = new ArrayList<>();
        final List<String> outgoing = new ArrayList<>();
        final int[] approachIds = new int[approachCount];
        for (final Lane lane : lanes)
        {
            approachIds[lane.approachIndex()] = lane.approachId();
        }
        for (int a = 0; a < approachCount; a++)
        {
            incoming.add("in" + approachIds[a]);
            outgoing.add("out" + approachIds[a]);
        }
        final List<TrafficLight.Movement> links = new ArrayList<>();
        for (int m = 0; m < movements.size(); m++)
        {
            final Movement movement = movements.get(m);
            final Lane lane = lanes.get(movement.laneIndex());
            links.add(new TrafficLight.Movement(m, movement.laneIndex(), lane.approachId() + "_" + lane.laneInApproach(),
                "out" + approachIds[movement.toApproach()] + "_0", "", approachCount + movement.toApproach(), movement.turn(),
                false, true));
        }
        final List<TrafficLight.Phase> phases = new ArrayList<>();
        for (final Phase phase : program)
        {
            phases.add(new TrafficLight.Phase(phase.durationMs(), phase.minDurationMs(), phase.maxDurationMs(), phase.state()));
        }
        final int n = movements.size();
        final boolean[][] yields = new boolean[n][n];
        final boolean[][] permissive = new boolean[n][n];
        for (final Phase phase : program)
        {
            final String state = phase.state();
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (conflicts[i][j] && isGreen(state.charAt(i)) && isGreen(state.charAt(j)))
                    {
                        permissive[i][j] = true;
                        yields[i][j] |= state.charAt(i) == 'g';
                    }
                }
            }
        }
        return new TrafficLight(name, trafficLanes, incoming, outgoing, links,
            new TrafficLight.Program("0", "static", 0, phases), List.of(name), conflicts, yields, permissive);
    }

    // ------------------------------------------------------------------------------------------ geometry

    /** Heading change from arriving from {@code fromBearingDeg} to leaving towards {@code toBearingDeg}, in (-180, 180]. */
    public static double turnAngleDeg(final double fromBearingDeg, final double toBearingDeg)
    {
        return normalise(toBearingDeg - (fromBearingDeg + 180.0));
    }

    /** The turn of a heading change, or 0 for a U-turn (no movement). */
    public static char turn(final double turnAngleDeg)
    {
        if (Math.abs(turnAngleDeg) > 180.0 - U_TURN_DEG)
        {
            return 0;
        }
        if (turnAngleDeg < -STRAIGHT_DEG)
        {
            return LEFT;
        }
        return turnAngleDeg > STRAIGHT_DEG ? RIGHT : STRAIGHT;
    }

    /** Angle in (-180, 180]. */
    static double normalise(final double deg)
    {
        double angle = deg % 360.0;
        if (angle <= -180.0)
        {
            angle += 360.0;
        }
        else if (angle > 180.0)
        {
            angle -= 360.0;
        }
        return angle;
    }

    /** Absolute difference of two bearings, [0, 180]. */
    static double bearingDifference(final double a, final double b)
    {
        return Math.abs(normalise(a - b));
    }

    /** The exits of approach {@code a} (no U-turns), from the most leftward to the most rightward. */
    static List<Movement> exits(final int a, final double[] bearings)
    {
        final List<Movement> exits = new ArrayList<>();
        for (int to = 0; to < bearings.length; to++)
        {
            if (to == a)
            {
                continue;
            }
            final double angle = turnAngleDeg(bearings[a], bearings[to]);
            final char turn = turn(angle);
            if (turn != 0)
            {
                exits.add(new Movement(-1, a, to, turn, angle));
            }
        }
        exits.sort((x, y) -> x.turnAngleDeg() != y.turnAngleDeg()
            ? Double.compare(x.turnAngleDeg(), y.turnAngleDeg()) : Integer.compare(x.toApproach(), y.toApproach()));
        return exits;
    }

    /**
     * The exits each lane of an approach serves (lane 0 innermost): see the class comment. Every lane gets at
     * least one exit when the approach has any.
     */
    static List<List<Movement>> laneMovements(final List<Movement> exits, final int laneCount, final boolean busLane)
    {
        final List<Movement> left = ofTurn(exits, LEFT);
        final List<Movement> straight = ofTurn(exits, STRAIGHT);
        final List<Movement> right = ofTurn(exits, RIGHT);
        final List<List<Movement>> lanes = new ArrayList<>();
        final int first = busLane ? 1 : 0;
        if (busLane && laneCount > 0)
        {
            lanes.add(straight.isEmpty() ? exits : straight);
        }
        final int general = laneCount - first;
        for (int g = 0; g < general; g++)
        {
            final List<Movement> lane = new ArrayList<>();
            if (general == 1)
            {
                lane.addAll(exits);
            }
            else if (!straight.isEmpty())
            {
                if (g == 0)
                {
                    lane.addAll(left);
                }
                lane.addAll(straight);
                if (g == general - 1)
                {
                    lane.addAll(right);
                }
            }
            else
            {
                final boolean innerHalf = g < (general + 1) / 2;
                final List<Movement> preferred = innerHalf ? left : right;
                lane.addAll(preferred.isEmpty() ? (innerHalf ? right : left) : preferred);
            }
            lanes.add(lane);
        }
        return lanes;
    }

    private static List<Movement> ofTurn(final List<Movement> exits, final char turn)
    {
        final List<Movement> result = new ArrayList<>();
        for (final Movement exit : exits)
        {
            if (exit.turn() == turn)
            {
                result.add(exit);
            }
        }
        return result;
    }

    /**
     * The conflict matrix from the geometry (see the class comment): chords that interleave on the junction's
     * circle cross, movements to the same exit merge, movements from the same approach never conflict.
     */
    static boolean[][] conflicts(final List<Movement> movements, final double[] bearings)
    {
        final int[] entryRank = new int[bearings.length];
        final int[] exitRank = new int[bearings.length];
        circlePoints(bearings, entryRank, exitRank);
        final int points = 2 * bearings.length;
        final int n = movements.size();
        final boolean[][] conflicts = new boolean[n][n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                final Movement a = movements.get(i);
                final Movement b = movements.get(j);
                final boolean conflict;
                if (a.fromApproach() == b.fromApproach())
                {
                    conflict = false;
                }
                else if (a.toApproach() == b.toApproach())
                {
                    conflict = true;
                }
                else
                {
                    conflict = chordsCross(entryRank[a.fromApproach()], exitRank[a.toApproach()],
                        entryRank[b.fromApproach()], exitRank[b.toApproach()], points);
                }
                conflicts[i][j] = conflict;
                conflicts[j][i] = conflict;
            }
        }
        return conflicts;
    }

    /**
     * Ranks of the entry and exit points of each approach around the circle, clockwise from north: an
     * approach's entry lies just before its exit (right-hand traffic); equal bearings keep configuration order.
     */
    static void circlePoints(final double[] bearings, final int[] entryRank, final int[] exitRank)
    {
        final int k = bearings.length;
        final Integer[] points = new Integer[2 * k]; // 2a = entry of a, 2a + 1 = exit of a
        for (int p = 0; p < points.length; p++)
        {
            points[p] = p;
        }
        Arrays.sort(points, (p, q) ->
        {
            final int byBearing = Double.compare(bearings[p / 2], bearings[q / 2]);
            if (byBearing != 0)
            {
                return byBearing;
            }
            final int bySide = Integer.compare(p % 2, q % 2);
            return bySide != 0 ? bySide : Integer.compare(p / 2, q / 2);
        });
        for (int rank = 0; rank < points.length; rank++)
        {
            final int p = points[rank];
            if (p % 2 == 0)
            {
                entryRank[p / 2] = rank;
            }
            else
            {
                exitRank[p / 2] = rank;
            }
        }
    }

    /** Whether chord a-b and chord c-d (four distinct points of a circle of {@code points}) interleave. */
    static boolean chordsCross(final int a, final int b, final int c, final int d, final int points)
    {
        return strictlyBetween(c, a, b, points) != strictlyBetween(d, a, b, points);
    }

    /** Whether x lies on the clockwise arc from a to b, ends excluded. */
    private static boolean strictlyBetween(final int x, final int a, final int b, final int points)
    {
        final int span = Math.floorMod(b - a, points);
        final int at = Math.floorMod(x - a, points);
        return at > 0 && at < span;
    }

    /** Length (m) and speed limit (m/s) of an approach's lanes: from its link, or the defaults. */
    static double[] road(final Intersection intersection, final double bearingDeg, final Traffic traffic)
    {
        Link best = null;
        double bestDifference = LINK_MATCH_DEG;
        for (final Link link : traffic.links())
        {
            final Intersection far;
            if (link.from() == intersection.id())
            {
                far = find(traffic, link.to());
            }
            else if (link.to() == intersection.id())
            {
                far = find(traffic, link.from());
            }
            else
            {
                continue;
            }
            if (far == null)
            {
                continue;
            }
            final double toFar = StrictMath.toDegrees(StrictMath.atan2(far.eastM() - intersection.eastM(),
                far.northM() - intersection.northM()));
            final double difference = bearingDifference(toFar, bearingDeg);
            if (difference <= bestDifference)
            {
                best = link;
                bestDifference = difference;
            }
        }
        if (best == null)
        {
            return new double[] { DEFAULT_LANE_LENGTH_M, traffic.speedLimitKmh() / 3.6 };
        }
        return new double[] { best.lengthM(), best.speedKmh() / 3.6 };
    }

    private static Intersection find(final Traffic traffic, final int id)
    {
        for (final Intersection intersection : traffic.intersections())
        {
            if (intersection.id() == id)
            {
                return intersection;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ program

    /**
     * Stages: each a list of approaches, in serving order (see the class comment).
     */
    static List<List<Integer>> approachStages(final double[] bearings)
    {
        final Integer[] order = new Integer[bearings.length];
        for (int a = 0; a < order.length; a++)
        {
            order[a] = a;
        }
        // nearest north-south first; ties keep configuration order (the sort is stable)
        Arrays.sort(order, (p, q) -> Double.compare(northSouthDistance(bearings[p]), northSouthDistance(bearings[q])));
        final List<List<Integer>> stages = new ArrayList<>();
        for (final int a : order)
        {
            List<Integer> joined = null;
            for (final List<Integer> stage : stages)
            {
                if (stage.size() == 1 && bearingDifference(bearings[stage.get(0)], bearings[a] + 180.0) <= OPPOSITE_DEG)
                {
                    joined = stage;
                    break;
                }
            }
            if (joined != null)
            {
                joined.add(a);
            }
            else
            {
                final List<Integer> stage = new ArrayList<>();
                stage.add(a);
                stages.add(stage);
            }
        }
        return stages;
    }

    /** Degrees between a bearing and the north-south axis, [0, 90]. */
    static double northSouthDistance(final double bearingDeg)
    {
        return Math.min(bearingDifference(bearingDeg, 0.0), bearingDifference(bearingDeg, 180.0));
    }

    /** The green state of every stage: one letter per movement. */
    static List<String> stages(final List<Movement> movements, final boolean[][] conflicts, final double[] bearings)
    {
        final List<String> states = new ArrayList<>();
        if (!anyConflict(conflicts))
        {
            states.add("G".repeat(movements.size())); // nothing crosses (a bend): one stage, always green
            return states;
        }
        for (final List<Integer> approaches : approachStages(bearings))
        {
            final String state = stageState(movements, conflicts, approaches);
            if (state != null)
            {
                states.add(state);
                continue;
            }
            for (final int a : approaches)
            {
                states.add(stageState(movements, conflicts, List.of(a))); // one approach alone never conflicts
            }
        }
        states.removeIf(state -> state.indexOf('G') < 0 && state.indexOf('g') < 0); // an approach without movements
        return states;
    }

    private static boolean anyConflict(final boolean[][] conflicts)
    {
        for (final boolean[] row : conflicts)
        {
            for (final boolean conflict : row)
            {
                if (conflict)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Every movement of the approaches green; of two conflicting ones the more leftward yields. Null when two
     * yielding movements would conflict (the stage must be split).
     */
    static String stageState(final List<Movement> movements, final boolean[][] conflicts, final List<Integer> approaches)
    {
        final int n = movements.size();
        final char[] state = new char[n];
        for (int m = 0; m < n; m++)
        {
            state[m] = approaches.contains(movements.get(m).fromApproach()) ? 'G' : 'r';
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (!conflicts[i][j] || state[i] == 'r' || state[j] == 'r' || state[i] == 'g' || state[j] == 'g')
                {
                    continue;
                }
                final double ai = movements.get(i).turnAngleDeg();
                final double aj = movements.get(j).turnAngleDeg();
                state[ai < aj ? i : j] = 'g';
            }
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (conflicts[i][j] && state[i] == 'g' && state[j] == 'g')
                {
                    return null;
                }
            }
        }
        return new String(state);
    }

    /** Green, yellow and all-red of each stage, timed from the city's signal timing. */
    static List<Phase> program(final List<String> greens, final Traffic.SignalTiming timing)
    {
        final int minGreenMs = timing.minGreenMs();
        final int maxGreenMs = Math.max(minGreenMs, timing.maxGreenMs());
        final int greenMs = Math.max(minGreenMs, Math.min(maxGreenMs, GREEN_MS));
        final int yellowMs = Math.max(Traffic.SignalTiming.YELLOW_MS_MIN, timing.yellowMs());
        final int allRedMs = Math.max(0, timing.allRedMs());
        final List<Phase> program = new ArrayList<>();
        for (final String green : greens)
        {
            program.add(new Phase(greenMs, minGreenMs, maxGreenMs, green));
            if (greens.size() == 1)
            {
                break; // nothing to clear for
            }
            program.add(new Phase(yellowMs, yellowMs, yellowMs, green.replace('G', 'y').replace('g', 'y')));
            if (allRedMs > 0)
            {
                program.add(new Phase(allRedMs, allRedMs, allRedMs, "r".repeat(green.length())));
            }
        }
        return program;
    }

    static boolean isGreen(final char letter)
    {
        return letter == 'G' || letter == 'g';
    }

    private static boolean[][] copy(final boolean[][] matrix)
    {
        final boolean[][] copy = new boolean[matrix.length][];
        for (int i = 0; i < matrix.length; i++)
        {
            copy[i] = matrix[i].clone();
        }
        return copy;
    }
}
