package kr.sejong.city.adapters.twin;

import java.util.List;

/**
 * One SUMO traffic light as the signal loop sees it, derived from the network file alone
 * ({@link NetworkModel}): the incoming lanes it controls, grouped into approaches (incoming edges),
 * its movements (one per controlled link: character i of a signal state is movement i), the outgoing
 * approaches, the network's own program, and which movements conflict.
 * <h2>Conflicts</h2>
 * {@link #conflicts(int, int)}: the paths of the two movements cross or merge, from the junction's
 * {@code <request foes="..">} rows, mapped from junction link index to the light's link index (through
 * each connection's internal lane), made symmetric; never with itself, never between two movements from
 * the same lane. This is the strict matrix the topology carries.
 * <p>
 * Networks routinely show a left turn that yields ({@code g}) together with the opposing through
 * movement, or a right turn together with the pedestrian crossing it passes: foes, yet green together.
 * {@link #permissive(int, int)} marks such pairs: conflicting, and shown green together by some phase of
 * the network's own program with at least one of them as {@code g}. {@link #yields(int, int)} is the
 * junction's {@code response}: i must let j go first.
 *
 * @param id             the SUMO traffic-light id.
 * @param lanes          incoming lanes, in order of first appearance in the controlled links.
 * @param incomingEdges  approach index to incoming edge id.
 * @param outgoingEdges  outgoing edges, in order of first appearance; the approach index of
 *                       {@code outgoingEdges.get(k)} is {@code incomingEdges.size() + k}.
 * @param movements      one per link index.
 * @param program        the network's own program (the tlLogic SUMO runs at start).
 * @param junctionIds    the junctions the light controls (more than one for joined lights).
 */
public record TrafficLight(
    String id,
    List<Lane> lanes,
    List<String> incomingEdges,
    List<String> outgoingEdges,
    List<Movement> movements,
    Program program,
    List<String> junctionIds,
    boolean[][] conflictMatrix,
    boolean[][] yieldMatrix,
    boolean[][] permissiveMatrix)
{
    public TrafficLight
    {
        lanes = List.copyOf(lanes);
        incomingEdges = List.copyOf(incomingEdges);
        outgoingEdges = List.copyOf(outgoingEdges);
        movements = List.copyOf(movements);
        junctionIds = List.copyOf(junctionIds);
        conflictMatrix = copy(conflictMatrix);
        yieldMatrix = copy(yieldMatrix);
        permissiveMatrix = copy(permissiveMatrix);
    }

    /** "Not an approach": the outgoing side of a pedestrian crossing. */
    public static final int NO_APPROACH = -1;

    /**
     * An incoming lane.
     *
     * @param id            SUMO lane id.
     * @param edgeId        its edge.
     * @param approachIndex the approach (incoming edge) it belongs to.
     * @param lengthM       length, m.
     * @param speedLimitMps speed limit, m/s.
     * @param pedestrian    a walking area (the start of a pedestrian crossing), not a road lane.
     * @param upstream      the lanes before it whose every vehicle comes onto its edge through a junction no light
     *                      controls (a turn pocket's start, a node where a road changes its lane count or an OSM way is
     *                      split), walked back until the zone is {@link NetworkModel#DETECTION_ZONE_M} long: the twin
     *                      counts their vehicles as this lane's, as a detector set back from the stop line would.
     *                      Empty when the lane starts at another light, at a junction where traffic turns, or at the edge
     *                      of the network.
     * @param zoneLengthM   the lane and its upstream lanes, stop line to the farthest start, m (= lengthM without any).
     */
    public record Lane(String id, String edgeId, int approachIndex, double lengthM, double speedLimitMps, boolean pedestrian,
        List<String> upstream, double zoneLengthM)
    {
        public Lane
        {
            upstream = List.copyOf(upstream);
        }

        /** A lane observed on its own. */
        public Lane(final String id, final String edgeId, final int approachIndex, final double lengthM, final double speedLimitMps,
            final boolean pedestrian)
        {
            this(id, edgeId, approachIndex, lengthM, speedLimitMps, pedestrian, List.of(), lengthM);
        }
    }

    /**
     * A controlled link.
     *
     * @param linkIndex       its index in the light's signal states.
     * @param fromLaneIndex   index into {@link TrafficLight#lanes()} (0 for an unused link index).
     * @param fromLane        SUMO id of the incoming lane ("" for an unused link index).
     * @param toLane          SUMO id of the outgoing lane (a crossing's lane for pedestrians).
     * @param viaLane         the internal lane across the junction ("" without internal lanes).
     * @param toApproachIndex outgoing approach, numbered after the incoming ones; {@link #NO_APPROACH}
     *                        for a pedestrian crossing.
     * @param dir             SUMO's direction letter: s, l, r, t (turn around), L, R (partial), or '?'.
     * @param pedestrian      a pedestrian crossing.
     * @param used            false when no connection uses this link index (SUMO allows that).
     */
    public record Movement(int linkIndex, int fromLaneIndex, String fromLane, String toLane, String viaLane,
        int toApproachIndex, char dir, boolean pedestrian, boolean used)
    {
    }

    /**
     * The network's own program.
     *
     * @param programId SUMO's program id.
     * @param type      "static", "actuated", ...
     * @param offsetMs  the program's offset.
     * @param phases    in order.
     */
    public record Program(String programId, String type, long offsetMs, List<Phase> phases)
    {
        public Program
        {
            phases = List.copyOf(phases);
        }

        public long cycleMs()
        {
            long cycle = 0;
            for (final Phase phase : phases)
            {
                cycle += phase.durationMs();
            }
            return cycle;
        }
    }

    /**
     * A phase of the own program.
     *
     * @param durationMs    duration.
     * @param minDurationMs minimum duration (the duration when the file gives none).
     * @param maxDurationMs maximum duration (the duration when the file gives none).
     * @param state         one letter per movement.
     */
    public record Phase(long durationMs, long minDurationMs, long maxDurationMs, String state)
    {
    }

    public int movementCount()
    {
        return movements.size();
    }

    /** Movements i and j may not be green together (the strict matrix of the topology). */
    public boolean conflicts(final int i, final int j)
    {
        return conflictMatrix[i][j];
    }

    /** Movement i must let movement j go first (the junction's response), when both may move. */
    public boolean yields(final int i, final int j)
    {
        return yieldMatrix[i][j];
    }

    /** A conflicting pair that the own program shows green together, one of them yielding ({@code g}). */
    public boolean permissive(final int i, final int j)
    {
        return permissiveMatrix[i][j];
    }

    /** A copy of the conflict matrix. */
    @Override
    public boolean[][] conflictMatrix()
    {
        return copy(conflictMatrix);
    }

    @Override
    public boolean[][] yieldMatrix()
    {
        return copy(yieldMatrix);
    }

    @Override
    public boolean[][] permissiveMatrix()
    {
        return copy(permissiveMatrix);
    }

    /**
     * The conflict matrix as the topology carries it: n x n bits, row-major with no padding between
     * rows, bit k = i * n + j in byte k / 8 at mask {@code 1 << (k % 8)} (least significant bit first).
     */
    public byte[] conflictBits()
    {
        final int n = movements.size();
        final byte[] bits = new byte[(n * n + 7) / 8];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (conflictMatrix[i][j])
                {
                    final int k = i * n + j;
                    bits[k >> 3] |= (byte)(1 << (k & 7));
                }
            }
        }
        return bits;
    }

    /** The same light with another own program (the one SUMO actually runs, when it differs from the file's). */
    public TrafficLight withProgram(final Program other)
    {
        return new TrafficLight(id, lanes, incomingEdges, outgoingEdges, movements, other, junctionIds, conflictMatrix,
            yieldMatrix, NetworkModel.permissivePairs(conflictMatrix, other));
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

    @Override
    public String toString()
    {
        return "TrafficLight{" + id + ", " + lanes.size() + " lanes, " + movements.size() + " movements, " + program.phases().size()
            + " phases}";
    }
}
