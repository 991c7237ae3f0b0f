package kr.sejong.city.bench;

import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.IntersectionTopologyEncoder;
import kr.sejong.city.codecs.LaneObservationsEncoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.MovementTurn;
import kr.sejong.city.core.loops.signal.IntersectionModel;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The junction the signal benchmarks run on, encoded the way the twin adapter sends it: a four-leg
 * intersection with a through lane and a left-turn lane per leg (legs north, east, south, west; lane and
 * movement 2k is leg k's through, 2k + 1 its left). The program: through with permissive lefts, then
 * protected lefts, for each road in turn, with 3 s yellows; 4 green phases for the controllers.
 * <p>
 * Also the traffic it sees: {@link #PATTERNS} fixed lane loads (vehicles and halting vehicles per lane),
 * drawn once from a seeded generator so every run and both end-to-end stacks see the same ones.
 * Encoding reuses flyweights and allocates nothing.
 */
public final class Junctions
{
    /** Incoming lanes (and movements) of the junction. */
    public static final int LANES = 8;
    /** Distinct lane loads the benchmarks cycle through. */
    public static final int PATTERNS = 16;

    private static final int[] LANE_APPROACH = { 0, 0, 1, 1, 2, 2, 3, 3 };
    private static final int[] MOVEMENT_TO = { 6, 5, 7, 6, 4, 7, 5, 4 };
    private static final String PROGRAM = "GgrrGgrr;yyrryyrr;rGrrrGrr;ryrrryrr;rrGgrrGg;rryyrryy;rrrGrrrG;rrryrrry";
    private static final int[] PROGRAM_MS = { 25_000, 3_000, 8_000, 3_000, 25_000, 3_000, 8_000, 3_000 };
    private static final int LANE_LENGTH_MM = 100_000;
    private static final int SPEED_LIMIT_CM_PER_S = 1389; // 50 km/h

    private static final int[][] VEHICLES = new int[PATTERNS][LANES];
    private static final int[][] HALTING = new int[PATTERNS][LANES];

    static
    {
        final SplittableRandom random = new SplittableRandom(20261125L);
        for (int p = 0; p < PATTERNS; p++)
        {
            for (int l = 0; l < LANES; l++)
            {
                final boolean left = l % 2 == 1;
                VEHICLES[p][l] = random.nextInt(left ? 8 : 20);
                HALTING[p][l] = VEHICLES[p][l] == 0 ? 0 : random.nextInt(VEHICLES[p][l] + 1);
            }
        }
    }

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final IntersectionTopologyEncoder topology = new IntersectionTopologyEncoder();
    private final LaneObservationsEncoder observations = new LaneObservationsEncoder();
    private final byte[] name = "bench-protected-lefts".getBytes(StandardCharsets.UTF_8);
    private final byte[] program = PROGRAM.getBytes(StandardCharsets.US_ASCII);
    private final byte[] conflictBits = IntersectionModel.conflictBits(conflicts());

    /** Movement i conflicts with j: crossing roads, or a left against the opposing through. */
    public static boolean[][] conflicts()
    {
        final boolean[][] conflicts = new boolean[LANES][LANES];
        for (int i = 0; i < LANES; i++)
        {
            for (int j = 0; j < LANES; j++)
            {
                final int legI = i / 2;
                final int legJ = j / 2;
                final boolean crossRoads = (legI % 2) != (legJ % 2);
                final boolean opposite = legI != legJ && !crossRoads;
                conflicts[i][j] = crossRoads || (opposite && (i % 2) != (j % 2));
            }
        }
        return conflicts;
    }

    /** Write the junction's IntersectionTopology frame (header included) at {@code offset}; returns its length. */
    public int encodeTopology(final MutableDirectBuffer buffer, final int offset, final long intersectionId)
    {
        topology.wrapAndApplyHeader(buffer, offset, header).intersectionId(intersectionId);
        final IntersectionTopologyEncoder.LanesEncoder lanes = topology.lanesCount(LANES);
        for (int l = 0; l < LANES; l++)
        {
            lanes.next().approachIndex(LANE_APPROACH[l]).lengthMm(LANE_LENGTH_MM).speedLimitCmPerS(SPEED_LIMIT_CM_PER_S);
        }
        final IntersectionTopologyEncoder.MovementsEncoder movements = topology.movementsCount(LANES);
        for (int m = 0; m < LANES; m++)
        {
            movements.next().fromLaneIndex(m).toApproachIndex(MOVEMENT_TO[m])
                .turn(m % 2 == 0 ? MovementTurn.STRAIGHT : MovementTurn.LEFT);
        }
        final IntersectionTopologyEncoder.PhasesEncoder phases = topology.phasesCount(PROGRAM_MS.length);
        for (final int durationMs : PROGRAM_MS)
        {
            phases.next().durationMs(durationMs).minDurationMs(durationMs).maxDurationMs(durationMs);
        }
        topology.putName(name, 0, name.length);
        topology.putProgramStates(program, 0, program.length);
        topology.putConflicts(conflictBits, 0, conflictBits.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + topology.encodedLength();
    }

    /**
     * Write a LaneObservations frame of every lane with the loads of {@code pattern} at {@code offset};
     * returns its length.
     */
    public int encodeObservations(final MutableDirectBuffer buffer, final int offset, final long intersectionId, final int pattern)
    {
        final int[] vehicles = VEHICLES[pattern];
        final int[] halting = HALTING[pattern];
        final LaneObservationsEncoder.LanesEncoder lanes = observations.wrapAndApplyHeader(buffer, offset, header)
            .intersectionId(intersectionId)
            .lanesCount(LANES);
        for (int l = 0; l < LANES; l++)
        {
            lanes.next()
                .laneIndex(l)
                .vehicles(vehicles[l])
                .haltingVehicles(halting[l])
                .occupancyPermille(occupancyPermille(pattern, l))
                .meanSpeedCmPerS(meanSpeedCmPerS(pattern, l));
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + observations.encodedLength();
    }

    /** The junction's model, decoded from its topology frame as the signal loop decodes it. */
    public static IntersectionModel model(final long intersectionId)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
        new Junctions().encodeTopology(frame, 0, intersectionId);
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder().wrap(frame, 0);
        final IntersectionTopologyDecoder decoder = new IntersectionTopologyDecoder()
            .wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        return IntersectionModel.decode(decoder);
    }

    public static int vehicles(final int pattern, final int lane)
    {
        return VEHICLES[pattern][lane];
    }

    public static int halting(final int pattern, final int lane)
    {
        return HALTING[pattern][lane];
    }

    public static int occupancyPermille(final int pattern, final int lane)
    {
        return Math.min(1000, VEHICLES[pattern][lane] * 50);
    }

    /** Mean speed, or the null value when the lane is empty (no vehicle to measure). */
    public static int meanSpeedCmPerS(final int pattern, final int lane)
    {
        final int vehicles = VEHICLES[pattern][lane];
        if (vehicles == 0)
        {
            return LaneObservationsEncoder.LanesEncoder.meanSpeedCmPerSNullValue();
        }
        return HALTING[pattern][lane] == vehicles ? 0 : 1000;
    }
}
