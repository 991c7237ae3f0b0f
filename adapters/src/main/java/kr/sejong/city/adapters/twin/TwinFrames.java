package kr.sejong.city.adapters.twin;

import kr.sejong.city.codecs.Center;
import kr.sejong.city.codecs.IntersectionTopologyEncoder;
import kr.sejong.city.codecs.LaneObservationsEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.MovementTurn;
import kr.sejong.city.codecs.OperatorActionEncoder;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.PriorityRequestEncoder;
import kr.sejong.city.codecs.SubjectKind;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The SBE frames the twin sends (header included), encoded into one reused buffer: valid until the
 * next call. Values are converted to the schema's units here, and clamped to their field's range.
 * The field simulator's signalised intersections ({@code sim.SignalizedField}) use it too.
 */
public final class TwinFrames
{
    /** The largest value of a required uint16 field (65535 is the null value of the optional ones). */
    static final int UINT16_MAX = 65534;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final IntersectionTopologyEncoder topology = new IntersectionTopologyEncoder();
    private final LaneObservationsEncoder observations = new LaneObservationsEncoder();
    private final TickEncoder tick = new TickEncoder();
    private final OperatorActionEncoder action = new OperatorActionEncoder();
    private final PriorityRequestEncoder priorityRequest = new PriorityRequestEncoder();

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** A SUMO direction letter ({@code s l r t L R}) as a MovementTurn; anything else (SUMO's {@code invalid}, '?') NULL_VAL. */
    public static MovementTurn turn(final char dir)
    {
        return switch (dir)
        {
            case 's' -> MovementTurn.STRAIGHT;
            case 'l' -> MovementTurn.LEFT;
            case 'r' -> MovementTurn.RIGHT;
            case 't' -> MovementTurn.UTURN;
            case 'L' -> MovementTurn.PARTIAL_LEFT;
            case 'R' -> MovementTurn.PARTIAL_RIGHT;
            default -> MovementTurn.NULL_VAL;
        };
    }

    /** The SUMO direction letter of a MovementTurn, {@code ?} for none: the inverse of {@link #turn(char)}. */
    public static char dir(final MovementTurn turn)
    {
        return switch (turn == null ? MovementTurn.NULL_VAL : turn)
        {
            case STRAIGHT -> 's';
            case LEFT -> 'l';
            case RIGHT -> 'r';
            case UTURN -> 't';
            case PARTIAL_LEFT -> 'L';
            case PARTIAL_RIGHT -> 'R';
            default -> '?';
        };
    }

    static int clampUint16(final long value)
    {
        return (int)Math.max(0, Math.min(UINT16_MAX, value));
    }

    /** IntersectionTopology of one light; returns the frame length. */
    public int topology(final long intersectionId, final TrafficLight light)
    {
        topology.wrapAndApplyHeader(buffer, 0, header).intersectionId(intersectionId);
        final IntersectionTopologyEncoder.LanesEncoder lanes = topology.lanesCount(light.lanes().size());
        for (final TrafficLight.Lane lane : light.lanes())
        {
            lanes.next()
                .approachIndex(lane.approachIndex())
                .lengthMm((int)Math.min(Integer.MAX_VALUE, Math.round(lane.zoneLengthM() * 1000.0)))
                .speedLimitCmPerS(clampUint16(Math.round(lane.speedLimitMps() * 100.0)));
        }
        final IntersectionTopologyEncoder.MovementsEncoder movements = topology.movementsCount(light.movementCount());
        for (final TrafficLight.Movement movement : light.movements())
        {
            movements.next()
                .fromLaneIndex(movement.fromLaneIndex())
                .toApproachIndex(movement.toApproachIndex() == TrafficLight.NO_APPROACH
                    ? IntersectionTopologyEncoder.MovementsEncoder.toApproachIndexNullValue() : movement.toApproachIndex())
                .turn(turn(movement.dir()));
        }
        final IntersectionTopologyEncoder.PhasesEncoder phases = topology.phasesCount(light.program().phases().size());
        final StringBuilder states = new StringBuilder();
        for (final TrafficLight.Phase phase : light.program().phases())
        {
            phases.next()
                .durationMs(phase.durationMs())
                .minDurationMs(phase.minDurationMs())
                .maxDurationMs(phase.maxDurationMs());
            if (states.length() > 0)
            {
                states.append(';');
            }
            states.append(phase.state());
        }
        topology.name(light.id());
        topology.programStates(states.toString());
        final byte[] conflicts = light.conflictBits();
        topology.putConflicts(conflicts, 0, conflicts.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + topology.encodedLength();
    }

    /** The OperatorAction choosing the control mode for all intersections; returns the frame length. */
    int controlMode(final long actionId, final ControlMode mode)
    {
        action.wrapAndApplyHeader(buffer, 0, header)
            .actionId(actionId)
            .center(Center.TRAFFIC)
            .role(OperatorRole.CONFIGURE)
            .actionKind(OperatorActionKind.MODE_CHANGE)
            .subjectKind(SubjectKind.INTERSECTION)
            .subjectId(0);
        action.operatorName("twin");
        action.what("control=" + mode.wireName());
        action.before("");
        action.after("");
        return MessageHeaderEncoder.ENCODED_LENGTH + action.encodedLength();
    }

    /**
     * LaneObservations of one intersection; {@code meanSpeedCmPerS[i] < 0} is sent as null (no vehicle,
     * no mean). Returns the frame length.
     */
    public int laneObservations(final long intersectionId, final int laneCount, final int[] vehicles, final int[] halting,
        final int[] occupancyPermille, final int[] meanSpeedCmPerS)
    {
        observations.wrapAndApplyHeader(buffer, 0, header).intersectionId(intersectionId);
        final LaneObservationsEncoder.LanesEncoder lanes = observations.lanesCount(laneCount);
        for (int i = 0; i < laneCount; i++)
        {
            lanes.next()
                .laneIndex(i)
                .vehicles(clampUint16(vehicles[i]))
                .haltingVehicles(clampUint16(halting[i]))
                .occupancyPermille(clampUint16(occupancyPermille[i]))
                .meanSpeedCmPerS(meanSpeedCmPerS[i] < 0 ? LaneObservationsEncoder.LanesEncoder.meanSpeedCmPerSNullValue()
                    : clampUint16(meanSpeedCmPerS[i]));
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + observations.encodedLength();
    }

    /**
     * A PriorityRequest of an on-board unit ({@link OnBoardUnits}); a laneIndex of
     * {@link OnBoardUnits#NO_LANE} is sent as null. Returns the frame length.
     */
    int priorityRequest(final OnBoardUnits.Request request)
    {
        priorityRequest.wrapAndApplyHeader(buffer, 0, header)
            .requestId(request.requestId())
            .vehicleId(request.vehicleId())
            .role(request.role())
            .requestType(request.type())
            .intersectionId(request.intersectionId())
            .approachId(clampUint16(request.approachId()))
            .laneIndex(request.laneIndex() == OnBoardUnits.NO_LANE ? PriorityRequestEncoder.laneIndexNullValue()
                : clampUint16(request.laneIndex()))
            .etaMs(request.etaMs());
        final PriorityRequestEncoder.RouteEncoder route = priorityRequest.routeCount(request.route().size());
        for (final OnBoardUnits.RoutePoint point : request.route())
        {
            route.next()
                .intersectionId(point.intersectionId())
                .approachId(clampUint16(point.approachId()))
                .etaMs(point.etaMs());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + priorityRequest.encodedLength();
    }

    /** A SIMULATION Tick; returns the frame length. */
    int tick(final long timeNs, final long periodNs, final long tickNumber)
    {
        tick.wrapAndApplyHeader(buffer, 0, header)
            .timeNs(timeNs)
            .periodNs(periodNs)
            .source(TickSource.SIMULATION)
            .tickNumber(tickNumber);
        return MessageHeaderEncoder.ENCODED_LENGTH + tick.encodedLength();
    }
}
