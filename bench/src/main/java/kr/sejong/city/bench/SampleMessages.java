package kr.sejong.city.bench;

import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.DetectorObservationEncoder;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.IncidentEncoder;
import kr.sejong.city.codecs.IncidentPriority;
import kr.sejong.city.codecs.IncidentState;
import kr.sejong.city.codecs.LaneObservationsEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.PriorityRequestEncoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.SourceKind;
import kr.sejong.city.codecs.VehicleRole;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Representative frames of the default city (config/sejong-5-1.yaml), encoded the way an adapter or
 * a loop encodes them: reusable flyweights, values from fields (instance fields, so the JIT cannot
 * fold them into constants), nothing allocated per frame. Each method writes a whole frame (message
 * header included) at {@code offset} and returns its length.
 */
public final class SampleMessages
{
    /** Lanes in a LaneObservations: two approaches of a BRT junction (103 has 10 lanes in all). */
    public static final int LANES = 8;
    /** Intersections ahead of an ambulance in a PriorityRequest's route. */
    public static final int ROUTE_LENGTH = 4;
    /** Sources of an Incident: a camera, a 119 call and a smoke sensor on the same fire. */
    public static final int SOURCES = 3;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final DetectorObservationEncoder detectorObservation = new DetectorObservationEncoder();
    private final LaneObservationsEncoder laneObservations = new LaneObservationsEncoder();
    private final IncidentEncoder incident = new IncidentEncoder();
    private final PriorityRequestEncoder priorityRequest = new PriorityRequestEncoder();

    // DetectorObservation: the stop-line detector of intersection 101, approach 1, lane 0, over 1 s
    private final long detectorId = 10110;
    private final long detectorIntersectionId = 101;
    private final long intervalMs = 1000;
    private final int vehicleCount = 2;
    private final int occupancyPermille = 183;
    private final int meanSpeedCmPerS = 812;

    // LaneObservations of intersection 103 (Ring East, BRT), from the digital twin
    private final long laneIntersectionId = 103;
    private final int[] laneVehicles = {3, 7, 6, 2, 0, 4, 5, 1};
    private final int[] laneHalting = {0, 5, 4, 0, 0, 2, 3, 0};
    private final int[] laneOccupancyPermille = {95, 410, 362, 88, 0, 240, 301, 47};
    private final int[] laneSpeedCmPerS = {1105, 140, 210, 980, 0xFFFF, 520, 330, 1210}; // 0xFFFF: null, no vehicle

    // Incident: a fire near the Medical Center seen by a camera, a 119 call and a smoke sensor
    private final long incidentId = 0x0000_0193_0000_002AL;
    private final int incidentEastMm = 372_500;
    private final int incidentNorthMm = -288_250;
    private final long ackDeadlineNs = 1_764_000_060_000_000_000L;
    private final SourceKind[] sourceKinds = {SourceKind.VIDEO, SourceKind.CALL, SourceKind.SENSOR};
    private final long[] sourceIds = {0x0000_0193_0000_1001L, 0x0000_0193_0000_2002L, 0x0000_0193_0000_3003L};
    private final byte[] owner = "119 Sejong Fire HQ, desk 2".getBytes(StandardCharsets.UTF_8);

    // PriorityRequest: an ambulance approaching 105 (Ring South) from outside, then counter-clockwise
    // along the ring (approach 2: from the next junction that way)
    private final long requestId = 0x0000_0193_0000_0007L;
    private final long vehicleId = 9001;
    private final long requestIntersectionId = 105;
    private final int approachId = 1;
    private final int etaMs = 18_000;
    private final long[] routeIntersectionIds = {104, 103, 102, 101};
    private final int[] routeApproachIds = {2, 2, 2, 2};
    private final int[] routeEtaMs = {41_000, 63_500, 88_000, 104_000};

    public int encodeDetectorObservation(final MutableDirectBuffer buffer, final int offset)
    {
        detectorObservation.wrapAndApplyHeader(buffer, offset, header)
            .detectorId(detectorId)
            .intersectionId(detectorIntersectionId)
            .intervalMs(intervalMs)
            .vehicleCount(vehicleCount)
            .occupancyPermille(occupancyPermille)
            .meanSpeedCmPerS(meanSpeedCmPerS)
            .presence(BooleanType.TRUE);
        return MessageHeaderEncoder.ENCODED_LENGTH + detectorObservation.encodedLength();
    }

    public int encodeLaneObservations(final MutableDirectBuffer buffer, final int offset)
    {
        final LaneObservationsEncoder.LanesEncoder lanes = laneObservations.wrapAndApplyHeader(buffer, offset, header)
            .intersectionId(laneIntersectionId)
            .lanesCount(LANES);
        for (int i = 0; i < LANES; i++)
        {
            lanes.next()
                .laneIndex(i)
                .vehicles(laneVehicles[i])
                .haltingVehicles(laneHalting[i])
                .occupancyPermille(laneOccupancyPermille[i])
                .meanSpeedCmPerS(laneSpeedCmPerS[i]);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + laneObservations.encodedLength();
    }

    public int encodeIncident(final MutableDirectBuffer buffer, final int offset)
    {
        incident.wrapAndApplyHeader(buffer, offset, header)
            .incidentId(incidentId)
            .state(IncidentState.NEW)
            .priority(IncidentPriority.P1)
            .eventClass(EventClass.FIRE);
        incident.position().eastMm(incidentEastMm).northMm(incidentNorthMm);
        incident.agencies().clear().fire(true).ems(true);
        incident.ackDeadlineNs(ackDeadlineNs);
        final IncidentEncoder.SourcesEncoder sources = incident.sourcesCount(SOURCES);
        for (int i = 0; i < SOURCES; i++)
        {
            sources.next().sourceKind(sourceKinds[i]).sourceId(sourceIds[i]);
        }
        incident.putOwner(owner, 0, owner.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + incident.encodedLength();
    }

    public int encodePriorityRequest(final MutableDirectBuffer buffer, final int offset)
    {
        final PriorityRequestEncoder.RouteEncoder route = priorityRequest.wrapAndApplyHeader(buffer, offset, header)
            .requestId(requestId)
            .vehicleId(vehicleId)
            .role(VehicleRole.AMBULANCE)
            .requestType(PriorityRequestType.REQUEST)
            .intersectionId(requestIntersectionId)
            .approachId(approachId)
            .laneIndex(PriorityRequestEncoder.laneIndexNullValue())
            .etaMs(etaMs)
            .routeCount(ROUTE_LENGTH);
        for (int i = 0; i < ROUTE_LENGTH; i++)
        {
            route.next()
                .intersectionId(routeIntersectionIds[i])
                .approachId(routeApproachIds[i])
                .etaMs(routeEtaMs[i]);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + priorityRequest.encodedLength();
    }
}
