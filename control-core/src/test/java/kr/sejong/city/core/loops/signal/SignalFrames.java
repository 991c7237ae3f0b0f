package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.Center;
import kr.sejong.city.codecs.IntersectionTopologyEncoder;
import kr.sejong.city.codecs.LaneObservationsEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.MovementTurn;
import kr.sejong.city.codecs.OperatorActionEncoder;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.SubjectKind;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import org.agrona.concurrent.UnsafeBuffer;

/** Encoded inputs of the signal loop, as the twin adapter sends them, and two example intersections. */
final class SignalFrames
{
    static final long EPOCH_NS = 1_764_000_000_000_000_000L;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    /** An intersection as plain values. */
    record Topology(
        long id,
        String name,
        int[] laneApproach,
        int[] movementLane,
        int[] movementTo,
        MovementTurn[] turns,
        boolean[][] conflicts,
        String[] program,
        int[] durationsMs)
    {
        IntersectionModel model()
        {
            final int lanes = laneApproach.length;
            return IntersectionModel.of(id, name, laneApproach, filled(lanes, 100_000), filled(lanes, 1389),
                movementLane, movementTo, turns, conflicts, program, durationsMs);
        }
    }

    /**
     * A plain four-leg intersection, one lane per leg (north, east, south, west = lanes and movements 0..3,
     * all straight on), two phases: north-south ("GrGr") and east-west ("rGrG"), 30 s each in its own program.
     */
    static Topology fourLeg(final long id)
    {
        final boolean[][] conflicts = new boolean[4][4];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                conflicts[i][j] = (i % 2) != (j % 2);
            }
        }
        return new Topology(id, "plain", new int[]{ 0, 1, 2, 3 }, new int[]{ 0, 1, 2, 3 }, new int[]{ 6, 7, 4, 5 },
            new MovementTurn[]{ MovementTurn.STRAIGHT, MovementTurn.STRAIGHT, MovementTurn.STRAIGHT, MovementTurn.STRAIGHT },
            conflicts, new String[]{ "GrGr", "yryr", "rGrG", "ryry" }, new int[]{ 30_000, 3_000, 30_000, 3_000 });
    }

    /**
     * A four-leg intersection with left-turn lanes: per leg a through lane (movement 2k) and a left lane
     * (movement 2k + 1), legs north, east, south, west. Program: through with permissive lefts, protected
     * lefts, for each road in turn.
     */
    static Topology protectedLefts(final long id)
    {
        final int n = 8;
        final boolean[][] conflicts = new boolean[n][n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                final int legI = i / 2;
                final int legJ = j / 2;
                final boolean crossRoads = (legI % 2) != (legJ % 2);
                final boolean opposite = legI != legJ && !crossRoads;
                final boolean leftAgainstThrough = opposite && ((i % 2) != (j % 2));
                conflicts[i][j] = crossRoads || leftAgainstThrough;
            }
        }
        final int[] laneApproach = { 0, 0, 1, 1, 2, 2, 3, 3 };
        final int[] movementLane = { 0, 1, 2, 3, 4, 5, 6, 7 };
        final int[] movementTo = { 6, 5, 7, 6, 4, 7, 5, 4 };
        final MovementTurn[] turns = new MovementTurn[n];
        for (int m = 0; m < n; m++)
        {
            turns[m] = m % 2 == 0 ? MovementTurn.STRAIGHT : MovementTurn.LEFT;
        }
        return new Topology(id, "lefts", laneApproach, movementLane, movementTo, turns, conflicts,
            new String[]{ "GgrrGgrr", "yyrryyrr", "rGrrrGrr", "ryrrryrr", "rrGgrrGg", "rryyrryy", "rrrGrrrG", "rrryrrry" },
            new int[]{ 25_000, 3_000, 8_000, 3_000, 25_000, 3_000, 8_000, 3_000 });
    }

    /**
     * Four one-lane streams (movements 0..3) where 0 conflicts with 3 and 1 with 2, and three phases that each
     * keep one green of the first: {0, 1} ("GGrr"), {0, 2} ("GrGr"), {1, 3} ("rGrG"). A green of the first phase
     * stays green into either of the others, as joined lights over two junctions of a divided road do.
     */
    static Topology sharedGreens(final long id)
    {
        final boolean[][] conflicts = new boolean[4][4];
        conflicts[0][3] = conflicts[3][0] = true;
        conflicts[1][2] = conflicts[2][1] = true;
        return new Topology(id, "shared", new int[]{ 0, 1, 2, 3 }, new int[]{ 0, 1, 2, 3 }, new int[]{ 4, 5, 6, 7 },
            new MovementTurn[]{ MovementTurn.STRAIGHT, MovementTurn.STRAIGHT, MovementTurn.STRAIGHT, MovementTurn.STRAIGHT },
            conflicts, new String[]{ "GGrr", "Gyrr", "GrGr", "yryr", "rGrG", "rGry" },
            new int[]{ 30_000, 3_000, 30_000, 3_000, 30_000, 3_000 });
    }

    byte[] topology(final Topology t)
    {
        return topology(t, 100_000, 1389);
    }

    /** The topology with every lane {@code lengthMm} long and limited to {@code speedCmPerS}. */
    byte[] topology(final Topology t, final int lengthMm, final int speedCmPerS)
    {
        final IntersectionTopologyEncoder encoder = new IntersectionTopologyEncoder().wrapAndApplyHeader(buffer, 0, header);
        encoder.intersectionId(t.id());
        final IntersectionTopologyEncoder.LanesEncoder lanes = encoder.lanesCount(t.laneApproach().length);
        for (final int approach : t.laneApproach())
        {
            lanes.next().approachIndex(approach).lengthMm(lengthMm).speedLimitCmPerS(speedCmPerS);
        }
        final IntersectionTopologyEncoder.MovementsEncoder movements = encoder.movementsCount(t.movementLane().length);
        for (int m = 0; m < t.movementLane().length; m++)
        {
            movements.next().fromLaneIndex(t.movementLane()[m]).toApproachIndex(t.movementTo()[m]).turn(t.turns()[m]);
        }
        final IntersectionTopologyEncoder.PhasesEncoder phases = encoder.phasesCount(t.durationsMs().length);
        for (final int duration : t.durationsMs())
        {
            phases.next().durationMs(duration).minDurationMs(duration).maxDurationMs(duration);
        }
        encoder.name(t.name());
        encoder.programStates(String.join(";", t.program()));
        final byte[] bits = IntersectionModel.conflictBits(t.conflicts());
        encoder.putConflicts(bits, 0, bits.length);
        return copy(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /** Observations of every lane: vehicles and halting vehicles per lane. */
    byte[] observations(final long intersectionId, final int[] vehicles, final int[] halting)
    {
        final int[] meanSpeedCmPerS = new int[vehicles.length];
        for (int l = 0; l < vehicles.length; l++)
        {
            meanSpeedCmPerS[l] = halting[l] == vehicles[l] ? 0 : 1000;
        }
        return observations(intersectionId, vehicles, halting, meanSpeedCmPerS);
    }

    /** Observations of every lane with each lane's mean speed (over all its vehicles, the halting ones at 0), cm/s. */
    byte[] observations(final long intersectionId, final int[] vehicles, final int[] halting, final int[] meanSpeedCmPerS)
    {
        final LaneObservationsEncoder encoder = new LaneObservationsEncoder().wrapAndApplyHeader(buffer, 0, header);
        encoder.intersectionId(intersectionId);
        final LaneObservationsEncoder.LanesEncoder lanes = encoder.lanesCount(vehicles.length);
        for (int l = 0; l < vehicles.length; l++)
        {
            lanes.next().laneIndex(l).vehicles(vehicles[l]).haltingVehicles(halting[l])
                .occupancyPermille(Math.min(1000, vehicles[l] * 50)).meanSpeedCmPerS(meanSpeedCmPerS[l]);
        }
        return copy(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    byte[] tick(final long timeNs, final long tickNumber)
    {
        final TickEncoder encoder = new TickEncoder().wrapAndApplyHeader(buffer, 0, header)
            .timeNs(timeNs).periodNs(1_000_000_000L).source(TickSource.SIMULATION).tickNumber(tickNumber);
        return copy(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /** The contract's mode change: {@code what="control=WORD"} for one intersection or all (0). */
    /** A field adapter's DeviceStatus about a device. */
    byte[] deviceStatus(final kr.sejong.city.codecs.DeviceKind kind, final long deviceId, final kr.sejong.city.codecs.DeviceState state)
    {
        final kr.sejong.city.codecs.DeviceStatusEncoder encoder = new kr.sejong.city.codecs.DeviceStatusEncoder()
            .wrapAndApplyHeader(buffer, 0, header)
            .deviceId(deviceId).deviceKind(kind).state(state).badValueCount(0);
        encoder.detail("opcua: session lost");
        return copy(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    byte[] modeChange(final long subjectId, final String word)
    {
        final OperatorActionEncoder encoder = new OperatorActionEncoder().wrapAndApplyHeader(buffer, 0, header)
            .actionId(1).center(Center.TRAFFIC).role(OperatorRole.CONFIGURE).actionKind(OperatorActionKind.MODE_CHANGE)
            .subjectKind(SubjectKind.INTERSECTION).subjectId(subjectId);
        encoder.operatorName("twin").what("control=" + word).before("").after("");
        return copy(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * A PriorityRequest; {@code lane} -1 leaves the lane out; {@code route} rows are {intersectionId, approach, etaMs}.
     */
    byte[] priorityRequest(final long requestId, final long vehicleId, final kr.sejong.city.codecs.VehicleRole role,
        final kr.sejong.city.codecs.PriorityRequestType type, final long intersectionId, final int approach, final int lane,
        final int etaMs, final int[]... route)
    {
        final kr.sejong.city.codecs.PriorityRequestEncoder encoder = new kr.sejong.city.codecs.PriorityRequestEncoder()
            .wrapAndApplyHeader(buffer, 0, header)
            .requestId(requestId).vehicleId(vehicleId).role(role).requestType(type).intersectionId(intersectionId)
            .approachId(approach).etaMs(etaMs);
        encoder.laneIndex(lane < 0 ? kr.sejong.city.codecs.PriorityRequestEncoder.laneIndexNullValue() : lane);
        final kr.sejong.city.codecs.PriorityRequestEncoder.RouteEncoder entries = encoder.routeCount(route.length);
        for (final int[] entry : route)
        {
            entries.next().intersectionId(entry[0]).approachId(entry[1]).etaMs(entry[2]);
        }
        return copy(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private byte[] copy(final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    static int[] filled(final int count, final int value)
    {
        final int[] values = new int[count];
        java.util.Arrays.fill(values, value);
        return values;
    }
}
