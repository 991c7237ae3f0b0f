package kr.sejong.city.replay;

import kr.sejong.city.codecs.AgencyKind;
import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.CallEventEncoder;
import kr.sejong.city.codecs.Center;
import kr.sejong.city.codecs.DetectorObservationEncoder;
import kr.sejong.city.codecs.DispatchEncoder;
import kr.sejong.city.codecs.EmergencyLine;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.IncidentEncoder;
import kr.sejong.city.codecs.IncidentPriority;
import kr.sejong.city.codecs.IncidentState;
import kr.sejong.city.codecs.LaneObservationsEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OnvifState;
import kr.sejong.city.codecs.OperatorActionEncoder;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.PositionEncoder;
import kr.sejong.city.codecs.PriorityRequestEncoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.RideCancelEncoder;
import kr.sejong.city.codecs.RideRequestEncoder;
import kr.sejong.city.codecs.SensorEventEncoder;
import kr.sejong.city.codecs.SensorKind;
import kr.sejong.city.codecs.SourceKind;
import kr.sejong.city.codecs.SubjectKind;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.codecs.VideoEventEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/** Frames a test sends to a node, encoded with the generated codecs as an adapter would. */
public final class Frames
{
    private static final int NOT_SENT_MM = PositionEncoder.eastMmNullValue();

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    private byte[] copy(final int bodyLength)
    {
        final byte[] frame = new byte[MessageHeaderEncoder.ENCODED_LENGTH + bodyLength];
        buffer.getBytes(0, frame);
        return frame;
    }

    public byte[] tick(final long timeNs, final long tickNumber)
    {
        final TickEncoder e = new TickEncoder().wrapAndApplyHeader(buffer, 0, header)
            .timeNs(timeNs).periodNs(100_000_000L).source(TickSource.SIMULATION).tickNumber(tickNumber);
        return copy(e.encodedLength());
    }

    public byte[] detector(final int detectorId, final int intersectionId, final int vehicles, final boolean presence)
    {
        final DetectorObservationEncoder e = new DetectorObservationEncoder().wrapAndApplyHeader(buffer, 0, header)
            .detectorId(detectorId).intersectionId(intersectionId).intervalMs(1000).vehicleCount(vehicles)
            .occupancyPermille(vehicles * 50).meanSpeedCmPerS(DetectorObservationEncoder.meanSpeedCmPerSNullValue())
            .presence(presence ? BooleanType.TRUE : BooleanType.FALSE);
        return copy(e.encodedLength());
    }

    /** One lane per occupancy given, laneIndex = position. */
    public byte[] lanes(final int intersectionId, final int... occupancyPermille)
    {
        final LaneObservationsEncoder e = new LaneObservationsEncoder().wrapAndApplyHeader(buffer, 0, header).intersectionId(intersectionId);
        final LaneObservationsEncoder.LanesEncoder lanes = e.lanesCount(occupancyPermille.length);
        for (int i = 0; i < occupancyPermille.length; i++)
        {
            lanes.next().laneIndex(i).vehicles(occupancyPermille[i] / 100).haltingVehicles(0).occupancyPermille(occupancyPermille[i])
                .meanSpeedCmPerS(LaneObservationsEncoder.LanesEncoder.meanSpeedCmPerSNullValue());
        }
        return copy(e.encodedLength());
    }

    /** A priority request at an intersection, with the next intersections of the route. */
    public byte[] priority(final long requestId, final int vehicleId, final VehicleRole role, final PriorityRequestType type,
        final int intersectionId, final int... route)
    {
        final PriorityRequestEncoder e = new PriorityRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .requestId(requestId).vehicleId(vehicleId).role(role).requestType(type).intersectionId(intersectionId)
            .approachId(1).laneIndex(PriorityRequestEncoder.laneIndexNullValue()).etaMs(20_000);
        final PriorityRequestEncoder.RouteEncoder routeEncoder = e.routeCount(route.length);
        for (int i = 0; i < route.length; i++)
        {
            routeEncoder.next().intersectionId(route[i]).approachId(2).etaMs(40_000 + 20_000 * i);
        }
        return copy(e.encodedLength());
    }

    public byte[] rideRequest(final long requestId, final long riderId, final int originStopId, final int destinationStopId, final long pickupNs)
    {
        final RideRequestEncoder e = new RideRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .requestId(requestId).riderId(riderId).originStopId(originStopId).destinationStopId(destinationStopId);
        e.origin().eastMm(NOT_SENT_MM).northMm(NOT_SENT_MM); // the stops are given
        e.destination().eastMm(NOT_SENT_MM).northMm(NOT_SENT_MM);
        e.earliestPickupTimeNs(pickupNs).partySize((short)1).wheelchairs((short)0);
        return copy(e.encodedLength());
    }

    public byte[] rideCancel(final long requestId, final long riderId)
    {
        final RideCancelEncoder e = new RideCancelEncoder().wrapAndApplyHeader(buffer, 0, header).requestId(requestId).riderId(riderId);
        return copy(e.encodedLength());
    }

    public byte[] video(final long eventId, final int cameraId, final long observedAtNs)
    {
        final VideoEventEncoder e = new VideoEventEncoder().wrapAndApplyHeader(buffer, 0, header)
            .eventId(eventId).cameraId(cameraId).eventClass(EventClass.FIRE).state(OnvifState.INITIALIZED).confidencePermille(870);
        e.position().eastMm(1200).northMm(-300);
        e.objectCount(1).observedAtNs(observedAtNs);
        return copy(e.encodedLength());
    }

    public byte[] call(final long callId, final long receivedAtNs)
    {
        final CallEventEncoder e = new CallEventEncoder().wrapAndApplyHeader(buffer, 0, header)
            .callId(callId).line(EmergencyLine.FIRE_119).category(EventClass.FIRE);
        e.position().eastMm(1210).northMm(-310);
        e.receivedAtNs(receivedAtNs);
        return copy(e.encodedLength());
    }

    public byte[] sensor(final int sensorId, final boolean alarm)
    {
        final SensorEventEncoder e = new SensorEventEncoder().wrapAndApplyHeader(buffer, 0, header)
            .sensorId(sensorId).sensorKind(SensorKind.SMOKE_DETECTOR).value(35).alarm(alarm ? BooleanType.TRUE : BooleanType.FALSE);
        e.position().eastMm(10).northMm(20);
        return copy(e.encodedLength());
    }

    public byte[] operatorAction(final long actionId, final OperatorActionKind kind, final SubjectKind subjectKind, final long subjectId,
        final String operator, final String what)
    {
        final OperatorActionEncoder e = new OperatorActionEncoder().wrapAndApplyHeader(buffer, 0, header)
            .actionId(actionId).center(Center.TRAFFIC).role(OperatorRole.OPERATE).actionKind(kind).subjectKind(subjectKind).subjectId(subjectId)
            .operatorName(operator).what(what).before("").after("");
        return copy(e.encodedLength());
    }

    /** Encode an Incident into {@code out} at {@code offset}; returns the frame length. */
    public static int incident(final MutableDirectBuffer out, final int offset, final long incidentId, final IncidentState state,
        final SourceKind[] kinds, final long[] ids)
    {
        final IncidentEncoder e = new IncidentEncoder().wrapAndApplyHeader(out, offset, new MessageHeaderEncoder())
            .incidentId(incidentId).state(state).priority(IncidentPriority.P1).eventClass(EventClass.FIRE);
        e.position().eastMm(1200).northMm(-300);
        e.agencies().clear().fire(true).ems(true);
        e.ackDeadlineNs(IncidentEncoder.ackDeadlineNsNullValue());
        final IncidentEncoder.SourcesEncoder sources = e.sourcesCount(kinds.length);
        for (int i = 0; i < kinds.length; i++)
        {
            sources.next().sourceKind(kinds[i]).sourceId(ids[i]);
        }
        e.owner("119 center");
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    /** Encode a Dispatch of a unit along a route of intersections; returns the frame length. */
    public static int dispatch(final MutableDirectBuffer out, final int offset, final long dispatchId, final long incidentId, final int unitId,
        final int... route)
    {
        final DispatchEncoder e = new DispatchEncoder().wrapAndApplyHeader(out, offset, new MessageHeaderEncoder())
            .dispatchId(dispatchId).incidentId(incidentId).unitId(unitId).agency(AgencyKind.FIRE)
            .hospitalId(DispatchEncoder.hospitalIdNullValue()).etaMs(240_000);
        final DispatchEncoder.RouteEncoder routeEncoder = e.routeCount(route.length);
        for (int i = 0; i < route.length; i++)
        {
            routeEncoder.next().intersectionId(route[i]).etaMs(60_000 * (i + 1));
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }
}
