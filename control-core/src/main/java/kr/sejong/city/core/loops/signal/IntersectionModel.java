package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.MovementTurn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one signal controller controls, as its {@code IntersectionTopology} describes it: incoming lanes
 * grouped into approaches, movements (one per signal letter), which movements conflict, and the network's
 * own fixed-time program. Immutable; built once per topology message, never on the per-tick path.
 *
 * <h2>Phases</h2>
 * The candidate phases are the distinct <em>green states</em> of the network's own program: states with
 * at least one green letter and no yellow. Only these are ever shown as a green, so the controller never
 * invents a combination the intersection was not designed for. Letters other than {@code G}/{@code g} in
 * a green state are shown as {@code r}. Yellow and red clearance between two greens are derived by the
 * loop, not taken from the program (the program's own yellow may be shorter than the city's floor).
 *
 * <h2>Conflicts</h2>
 * The matrix is the adapter's: bit j of row i set when movements i and j may not be green together. It must
 * be symmetric, with a clear diagonal and no conflict between two movements from the same lane, or the
 * topology is refused. Networks routinely show a permissive left turn ({@code g}, which yields) together
 * with the opposing through movement, although their paths cross: a pair that the network's own program
 * shows green together with at least one of the two yielding ({@code g}) is a <em>permissive pair</em>,
 * which the conflict monitor lets be green together as long as one of them shows {@code g}. A program state
 * showing two conflicting movements both as {@code G} is not a candidate.
 */
public final class IntersectionModel
{
    /** {@code toApproachIndex} of a movement whose outgoing road is not given (a pedestrian crossing). */
    public static final int NO_APPROACH = -1;

    private final long intersectionId;
    private final String name;
    private final int laneCount;
    private final int[] laneApproach;
    private final int[] laneLengthMm;
    private final int[] laneSpeedLimitCmPerS;
    private final int approachCount;
    private final int movementCount;
    private final int[] movementLane;
    private final int[] movementToApproach;
    private final MovementTurn[] movementTurn;
    private final boolean[][] conflict;
    private final boolean[][] permissivePair;
    private final int programPhaseCount;
    private final byte[][] programStates;
    private final int[] programDurationMs;
    private final int[] programPhaseCandidate;
    private final int phaseCount;
    private final byte[][] phaseStates;
    private final boolean[][] phaseGreen;
    private final boolean[][] phaseServesLane;
    private final boolean[][] phaseProtectsLane;
    private final int[] phaseProgramIndex;
    private final boolean[] servable;
    private final boolean[][] servableWithout;
    private final boolean[] approachHasMovement;

    private IntersectionModel(
        final long intersectionId,
        final String name,
        final int[] laneApproach,
        final int[] laneLengthMm,
        final int[] laneSpeedLimitCmPerS,
        final int[] movementLane,
        final int[] movementToApproach,
        final MovementTurn[] movementTurn,
        final boolean[][] conflict,
        final byte[][] programStates,
        final int[] programDurationMs)
    {
        this.intersectionId = intersectionId;
        this.name = name;
        this.laneCount = laneApproach.length;
        this.laneApproach = laneApproach;
        this.laneLengthMm = laneLengthMm;
        this.laneSpeedLimitCmPerS = laneSpeedLimitCmPerS;
        this.movementCount = movementLane.length;
        this.movementLane = movementLane;
        this.movementToApproach = movementToApproach;
        this.movementTurn = movementTurn;
        this.conflict = conflict;
        this.programPhaseCount = programStates.length;
        this.programStates = programStates;
        this.programDurationMs = programDurationMs;

        int approaches = 0;
        for (final int approach : laneApproach)
        {
            approaches = Math.max(approaches, approach + 1);
        }
        this.approachCount = approaches;

        permissivePair = new boolean[movementCount][movementCount];
        final List<Integer> candidateProgramIndex = new ArrayList<>();
        programPhaseCandidate = new int[programPhaseCount];
        for (int p = 0; p < programPhaseCount; p++)
        {
            programPhaseCandidate[p] = -1;
            final byte[] state = programStates[p];
            if (!isGreenState(state) || hasProtectedConflict(state, conflict))
            {
                continue;
            }
            markPermissivePairs(state, conflict, permissivePair);
            int same = -1;
            for (int c = 0; c < candidateProgramIndex.size(); c++)
            {
                if (Arrays.equals(normalisedGreen(programStates[candidateProgramIndex.get(c)]), normalisedGreen(state)))
                {
                    same = c;
                    break;
                }
            }
            if (same < 0)
            {
                same = candidateProgramIndex.size();
                candidateProgramIndex.add(p);
            }
            programPhaseCandidate[p] = same;
        }

        phaseCount = candidateProgramIndex.size();
        final int allPhases = phaseCount + approachCount;
        phaseStates = new byte[allPhases][];
        phaseGreen = new boolean[allPhases][movementCount];
        phaseServesLane = new boolean[allPhases][laneCount];
        phaseProtectsLane = new boolean[allPhases][laneCount];
        phaseProgramIndex = new int[allPhases];
        approachHasMovement = new boolean[approachCount];
        servable = new boolean[movementCount];
        servableWithout = new boolean[movementCount][movementCount];
        for (int c = 0; c < phaseCount; c++)
        {
            phaseProgramIndex[c] = candidateProgramIndex.get(c);
            phaseStates[c] = normalisedGreen(programStates[phaseProgramIndex[c]]);
            for (int m = 0; m < movementCount; m++)
            {
                phaseGreen[c][m] = SignalLetters.isGreen(phaseStates[c][m]);
                if (phaseGreen[c][m])
                {
                    phaseServesLane[c][movementLane[m]] = true;
                    servable[m] = true;
                }
                if (phaseStates[c][m] == SignalLetters.GREEN_PRIORITY)
                {
                    phaseProtectsLane[c][movementLane[m]] = true;
                }
            }
            for (int m = 0; m < movementCount; m++)
            {
                for (int other = 0; other < movementCount; other++)
                {
                    servableWithout[m][other] |= phaseGreen[c][m] && !phaseGreen[c][other];
                }
            }
        }
        for (int a = 0; a < approachCount; a++)
        {
            final int p = phaseCount + a;
            phaseProgramIndex[p] = -1;
            phaseStates[p] = approachState(a);
            for (int m = 0; m < movementCount; m++)
            {
                phaseGreen[p][m] = SignalLetters.isGreen(phaseStates[p][m]);
                if (phaseGreen[p][m])
                {
                    phaseServesLane[p][movementLane[m]] = true;
                    phaseProtectsLane[p][movementLane[m]] = true;
                    approachHasMovement[a] |= laneApproach[movementLane[m]] == a;
                }
            }
        }
    }

    /**
     * The preemption dwell of an approach: every movement from its lanes protected green, as long as they do
     * not conflict among themselves (in movement order), then every other movement that conflicts with none
     * of those. Its through and left turn go together, nobody yields to anybody: the emergency vehicle
     * crosses in whichever lane it is, and what does not cross its path keeps moving.
     */
    private byte[] approachState(final int approach)
    {
        final byte[] state = new byte[movementCount];
        Arrays.fill(state, SignalLetters.RED);
        for (int pass = 0; pass < 2; pass++)
        {
            for (int m = 0; m < movementCount; m++)
            {
                final boolean own = laneApproach[movementLane[m]] == approach;
                if (own != (pass == 0) || state[m] == SignalLetters.GREEN_PRIORITY)
                {
                    continue;
                }
                boolean free = true;
                for (int other = 0; other < movementCount && free; other++)
                {
                    free = state[other] != SignalLetters.GREEN_PRIORITY || !conflict[m][other];
                }
                if (free)
                {
                    state[m] = SignalLetters.GREEN_PRIORITY;
                }
            }
        }
        return state;
    }

    /**
     * A model from plain values (tests, and the decoder path below). Throws {@link IllegalArgumentException}
     * naming the first inconsistency.
     */
    public static IntersectionModel of(
        final long intersectionId,
        final String name,
        final int[] laneApproach,
        final int[] laneLengthMm,
        final int[] laneSpeedLimitCmPerS,
        final int[] movementLane,
        final int[] movementToApproach,
        final MovementTurn[] movementTurn,
        final boolean[][] conflict,
        final String[] programStates,
        final int[] programDurationMs)
    {
        final int lanes = laneApproach.length;
        final int movements = movementLane.length;
        require(lanes > 0, "no lanes");
        require(movements > 0, "no movements");
        require(laneLengthMm.length == lanes && laneSpeedLimitCmPerS.length == lanes, "lane arrays differ in length");
        require(movementToApproach.length == movements && movementTurn.length == movements, "movement arrays differ in length");
        for (int l = 0; l < lanes; l++)
        {
            require(laneApproach[l] >= 0 && laneApproach[l] < lanes, "lane " + l + ": approachIndex " + laneApproach[l] + " out of range");
        }
        for (int m = 0; m < movements; m++)
        {
            require(movementLane[m] >= 0 && movementLane[m] < lanes,
                "movement " + m + ": fromLaneIndex " + movementLane[m] + " out of range (" + lanes + " lanes)");
        }
        require(conflict.length == movements, "conflict matrix has " + conflict.length + " rows for " + movements + " movements");
        for (int i = 0; i < movements; i++)
        {
            require(conflict[i].length == movements, "conflict row " + i + " has " + conflict[i].length + " columns");
            require(!conflict[i][i], "movement " + i + " conflicts with itself");
            for (int j = 0; j < movements; j++)
            {
                require(conflict[i][j] == conflict[j][i], "conflict matrix not symmetric at " + i + "," + j);
                require(!conflict[i][j] || movementLane[i] != movementLane[j],
                    "movements " + i + " and " + j + " come from the same lane but conflict");
            }
        }
        require(programStates.length > 0, "no program");
        require(programDurationMs.length == programStates.length, "program durations and states differ in count");
        final byte[][] states = new byte[programStates.length][];
        for (int p = 0; p < programStates.length; p++)
        {
            states[p] = programStates[p].getBytes(StandardCharsets.US_ASCII);
            require(states[p].length == movements,
                "program phase " + p + " has " + states[p].length + " letters for " + movements + " movements");
        }
        final IntersectionModel model = new IntersectionModel(
            intersectionId, name, laneApproach.clone(), laneLengthMm.clone(), laneSpeedLimitCmPerS.clone(),
            movementLane.clone(), movementToApproach.clone(), movementTurn.clone(), deepCopy(conflict), states,
            programDurationMs.clone());
        require(model.phaseCount > 0, "the program has no green state free of conflicts");
        return model;
    }

    /** A model from a topology message (decoder wrapped at the start of its body). */
    public static IntersectionModel decode(final IntersectionTopologyDecoder topology)
    {
        final long id = topology.intersectionId();
        final IntersectionTopologyDecoder.LanesDecoder lanes = topology.lanes();
        final int laneCount = lanes.count();
        final int[] approach = new int[laneCount];
        final int[] lengthMm = new int[laneCount];
        final int[] speed = new int[laneCount];
        for (int l = 0; l < laneCount; l++)
        {
            lanes.next();
            approach[l] = lanes.approachIndex();
            lengthMm[l] = lanes.lengthMm();
            speed[l] = lanes.speedLimitCmPerS();
        }
        final IntersectionTopologyDecoder.MovementsDecoder movements = topology.movements();
        final int movementCount = movements.count();
        final int[] lane = new int[movementCount];
        final int[] to = new int[movementCount];
        final MovementTurn[] turn = new MovementTurn[movementCount];
        for (int m = 0; m < movementCount; m++)
        {
            movements.next();
            lane[m] = movements.fromLaneIndex();
            final int toApproach = movements.toApproachIndex();
            to[m] = toApproach == IntersectionTopologyDecoder.MovementsDecoder.toApproachIndexNullValue() ? NO_APPROACH : toApproach;
            turn[m] = movements.turn();
        }
        final IntersectionTopologyDecoder.PhasesDecoder phases = topology.phases();
        final int phaseCount = phases.count();
        final int[] durationMs = new int[phaseCount];
        for (int p = 0; p < phaseCount; p++)
        {
            phases.next();
            durationMs[p] = (int)Math.min(Integer.MAX_VALUE, phases.durationMs());
        }
        final String name = topology.name();
        final String program = topology.programStates();
        final byte[] conflictBits = new byte[topology.conflictsLength()];
        topology.getConflicts(conflictBits, 0, conflictBits.length);

        final String[] states = program.isEmpty() ? new String[0] : program.split(";", -1);
        return of(id, name, approach, lengthMm, speed, lane, to, turn, conflictMatrix(conflictBits, movementCount),
            states, durationMs);
    }

    /**
     * The conflict matrix from its wire form: n x n bits, row-major, no padding between rows, bit k of the
     * stream in byte k / 8 at mask {@code 1 << (k % 8)} (least significant bit first).
     */
    public static boolean[][] conflictMatrix(final byte[] bits, final int movements)
    {
        final int needed = (movements * movements + 7) / 8;
        require(bits.length == needed,
            "conflicts has " + bits.length + " bytes, " + movements + " movements need " + needed);
        final boolean[][] matrix = new boolean[movements][movements];
        for (int i = 0; i < movements; i++)
        {
            for (int j = 0; j < movements; j++)
            {
                final int k = i * movements + j;
                matrix[i][j] = (bits[k >> 3] & (1 << (k & 7))) != 0;
            }
        }
        return matrix;
    }

    /** The wire form of a conflict matrix, as {@link #conflictMatrix} reads it. */
    public static byte[] conflictBits(final boolean[][] matrix)
    {
        final int n = matrix.length;
        final byte[] bits = new byte[(n * n + 7) / 8];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (matrix[i][j])
                {
                    final int k = i * n + j;
                    bits[k >> 3] |= (byte)(1 << (k & 7));
                }
            }
        }
        return bits;
    }

    private static boolean isGreenState(final byte[] state)
    {
        boolean green = false;
        for (final byte letter : state)
        {
            if (SignalLetters.isYellow(letter))
            {
                return false;
            }
            green |= SignalLetters.isGreen(letter);
        }
        return green;
    }

    private static boolean hasProtectedConflict(final byte[] state, final boolean[][] conflict)
    {
        for (int i = 0; i < state.length; i++)
        {
            for (int j = i + 1; j < state.length; j++)
            {
                if (conflict[i][j] && state[i] == SignalLetters.GREEN_PRIORITY && state[j] == SignalLetters.GREEN_PRIORITY)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static void markPermissivePairs(final byte[] state, final boolean[][] conflict, final boolean[][] permissive)
    {
        for (int i = 0; i < state.length; i++)
        {
            for (int j = 0; j < state.length; j++)
            {
                if (conflict[i][j] && SignalLetters.isGreen(state[i]) && SignalLetters.isGreen(state[j]))
                {
                    permissive[i][j] = true;
                }
            }
        }
    }

    private static byte[] normalisedGreen(final byte[] state)
    {
        final byte[] shown = new byte[state.length];
        for (int m = 0; m < state.length; m++)
        {
            shown[m] = SignalLetters.isGreen(state[m]) ? state[m] : SignalLetters.RED;
        }
        return shown;
    }

    private static boolean[][] deepCopy(final boolean[][] matrix)
    {
        final boolean[][] copy = new boolean[matrix.length][];
        for (int i = 0; i < matrix.length; i++)
        {
            copy[i] = matrix[i].clone();
        }
        return copy;
    }

    private static void require(final boolean condition, final String problem)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(problem);
        }
    }

    public long intersectionId()
    {
        return intersectionId;
    }

    /** The controller's own id, e.g. the SUMO traffic-light id. */
    public String name()
    {
        return name;
    }

    public int laneCount()
    {
        return laneCount;
    }

    public int approachCount()
    {
        return approachCount;
    }

    public int laneApproach(final int lane)
    {
        return laneApproach[lane];
    }

    public int laneLengthMm(final int lane)
    {
        return laneLengthMm[lane];
    }

    public int laneSpeedLimitCmPerS(final int lane)
    {
        return laneSpeedLimitCmPerS[lane];
    }

    public int movementCount()
    {
        return movementCount;
    }

    public int movementLane(final int movement)
    {
        return movementLane[movement];
    }

    /** Outgoing road of a movement, or {@link #NO_APPROACH}. */
    public int movementToApproach(final int movement)
    {
        return movementToApproach[movement];
    }

    public MovementTurn movementTurn(final int movement)
    {
        return movementTurn[movement];
    }

    /** Whether movements i and j may not be green together (the adapter's matrix). */
    public boolean conflicts(final int i, final int j)
    {
        return conflict[i][j];
    }

    /** Whether the network's own program shows i and j green together with one of them yielding. */
    public boolean permissivePair(final int i, final int j)
    {
        return permissivePair[i][j];
    }

    /**
     * Whether movements i and j may be shown with these letters at the same time: not both green, or a
     * permissive pair with at least one yielding.
     */
    public boolean compatible(final int i, final byte letterI, final int j, final byte letterJ)
    {
        if (!conflict[i][j] || !SignalLetters.isGreen(letterI) || !SignalLetters.isGreen(letterJ))
        {
            return true;
        }
        return permissivePair[i][j] && (letterI == SignalLetters.GREEN_YIELD || letterJ == SignalLetters.GREEN_YIELD);
    }

    /** Number of phases in the network's own program (green, yellow and red states alike). */
    public int programPhaseCount()
    {
        return programPhaseCount;
    }

    public int programDurationMs(final int programPhase)
    {
        return programDurationMs[programPhase];
    }

    /** The candidate phase a program phase shows, or -1 for a clearance (yellow or red) phase of the program. */
    public int programPhaseCandidate(final int programPhase)
    {
        return programPhaseCandidate[programPhase];
    }

    /** Number of candidate (green) phases. */
    public int phaseCount()
    {
        return phaseCount;
    }

    /** The letters of a candidate phase: {@code G}, {@code g} or {@code r} per movement. Do not modify. */
    public byte[] phaseState(final int phase)
    {
        return phaseStates[phase];
    }

    /** Whether a candidate phase makes a movement green. */
    public boolean phaseGreen(final int phase, final int movement)
    {
        return phaseGreen[phase][movement];
    }

    /** Whether a candidate phase gives green to at least one movement from a lane. */
    public boolean phaseServesLane(final int phase, final int lane)
    {
        return phaseServesLane[phase][lane];
    }

    /** Whether some candidate phase gives the movement green (a movement no phase serves never waits for one). */
    public boolean servable(final int movement)
    {
        return servable[movement];
    }

    /** Whether some candidate phase gives movement m green without giving {@code other} green. */
    public boolean servableWithout(final int m, final int other)
    {
        return servableWithout[m][other];
    }

    /** Whether a candidate phase gives protected green ({@code G}) to at least one movement from a lane. */
    public boolean phaseProtectsLane(final int phase, final int lane)
    {
        return phaseProtectsLane[phase][lane];
    }

    /**
     * The index in the network's own program where a candidate phase first appears; for a preemption phase
     * ({@link #preemptionPhase}) {@code programPhaseCount() + approach}, past the program's end.
     */
    public int phaseProgramIndex(final int phase)
    {
        return phase >= phaseCount ? programPhaseCount + (phase - phaseCount) : phaseProgramIndex[phase];
    }

    /**
     * The phase that preempts for an approach (see {@link #approachState}): an index after the candidate
     * phases, which {@link #phaseState}, {@link #phaseGreen}, {@link #phaseServesLane} and
     * {@link #phaseProtectsLane} accept; -1 when the approach has no movement. Controllers never choose it.
     */
    public int preemptionPhase(final int approach)
    {
        return approach >= 0 && approach < approachCount && approachHasMovement[approach] ? phaseCount + approach : -1;
    }

    /** Whether a phase index is a preemption phase rather than one of the network's own greens. */
    public boolean isPreemptionPhase(final int phase)
    {
        return phase >= phaseCount;
    }

    /** Whether a movement is a pedestrian crossing (it leads to no road). */
    public boolean pedestrian(final int movement)
    {
        return movementToApproach[movement] == NO_APPROACH;
    }

    /** The candidate phase of a state, or -1 when the state is not one of them. */
    public int phaseOf(final byte[] state)
    {
        for (int c = 0; c < phaseCount; c++)
        {
            if (Arrays.equals(phaseStates[c], state))
            {
                return c;
            }
        }
        return -1;
    }

    /** Whether a candidate phase's greens are compatible with one another (always true for a built model). */
    public boolean phaseSafe(final int phase)
    {
        final byte[] state = phaseStates[phase];
        for (int i = 0; i < movementCount; i++)
        {
            for (int j = i + 1; j < movementCount; j++)
            {
                if (!compatible(i, state[i], j, state[j]))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
