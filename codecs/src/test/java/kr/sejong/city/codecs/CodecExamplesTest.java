package kr.sejong.city.codecs;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How to encode and decode the most important messages by hand, with the generated codecs.
 * <p>
 * The pattern is always the same: wrap an encoder with a header at an offset, set fixed fields in any
 * order, then groups and variable-length fields in schema order; the frame is the header plus
 * {@code encodedLength()}. To decode, wrap the decoder with the header and read groups and
 * variable-length fields in schema order (fixed fields in any order).
 */
class CodecExamplesTest
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    @Test
    void tick()
    {
        final MutableDirectBuffer buffer = new UnsafeBuffer(new byte[64]);
        final TickEncoder tick = new TickEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .timeNs(1_764_000_000_123_456_789L)
            .periodNs(10_000_000L)
            .source(TickSource.SIMULATION)
            .tickNumber(42);
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + tick.encodedLength();
        assertEquals(8 + TickEncoder.BLOCK_LENGTH, frameLength);

        final TickDecoder decoded = new TickDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(TickDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(MessageHeaderDecoder.SCHEMA_ID, headerDecoder.schemaId());
        assertEquals(1_764_000_000_123_456_789L, decoded.timeNs());
        assertEquals(10_000_000L, decoded.periodNs());
        assertEquals(TickSource.SIMULATION, decoded.source());
        assertEquals(42, decoded.tickNumber());
        assertEquals(frameLength - 8, decoded.sbeDecodedLength());
    }

    @Test
    void rejectWithDetail()
    {
        final MutableDirectBuffer buffer = new ExpandableArrayBuffer(128);
        final String detail = "그룹이 프레임 밖으로: lanes[3] runs past byte 57";
        final RejectEncoder reject = new RejectEncoder()
            .wrapAndApplyHeader(buffer, 16, headerEncoder)
            .rejectedSequence(1_001L)
            .reason(RejectReason.MALFORMED)
            .templateId(LaneObservationsEncoder.TEMPLATE_ID)
            .schemaId(MessageHeaderEncoder.SCHEMA_ID)
            .version(MessageHeaderEncoder.SCHEMA_VERSION)
            .frameLength(57)
            .detail(detail);                      // var data last
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + reject.encodedLength();
        assertEquals(8 + RejectEncoder.BLOCK_LENGTH + 2 + detail.getBytes(StandardCharsets.UTF_8).length, frameLength);

        final RejectDecoder decoded = new RejectDecoder().wrapAndApplyHeader(buffer, 16, headerDecoder);
        assertEquals(1_001L, decoded.rejectedSequence());
        assertEquals(RejectReason.MALFORMED, decoded.reason());
        assertEquals(LaneObservationsEncoder.TEMPLATE_ID, decoded.templateId());
        assertEquals(5101, decoded.schemaId());
        assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, decoded.version());
        assertEquals(57, decoded.frameLength());
        assertEquals(detail, decoded.detail());
        assertEquals(frameLength - 8, decoded.encodedLength());
    }

    @Test
    void rejectOfAFrameTooShortToHaveAHeaderLeavesTheHeaderFieldsNull()
    {
        final MutableDirectBuffer buffer = new UnsafeBuffer(new byte[64]);
        final RejectEncoder reject = new RejectEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .rejectedSequence(7L)
            .reason(RejectReason.TOO_SHORT)
            .templateId(RejectEncoder.templateIdNullValue())
            .schemaId(RejectEncoder.schemaIdNullValue())
            .version(RejectEncoder.versionNullValue())
            .frameLength(3)
            .detail("");
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + reject.encodedLength();

        final RejectDecoder decoded = new RejectDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(65535, RejectDecoder.templateIdNullValue());
        assertEquals(RejectDecoder.templateIdNullValue(), decoded.templateId());
        assertEquals(RejectDecoder.schemaIdNullValue(), decoded.schemaId());
        assertEquals(RejectDecoder.versionNullValue(), decoded.version());
        assertEquals(0, decoded.detailLength());
        assertEquals("", decoded.detail());
        assertEquals(frameLength - 8, decoded.encodedLength());
    }

    @Test
    void ingressRecordWrapsAnotherEncodedFrame()
    {
        // the input: a Tick frame, as it arrived
        final MutableDirectBuffer tickBuffer = new UnsafeBuffer(new byte[64]);
        final TickEncoder tick = new TickEncoder()
            .wrapAndApplyHeader(tickBuffer, 0, headerEncoder)
            .timeNs(5_000L).periodNs(1_000L).source(TickSource.REPLAY).tickNumber(5);
        final int tickLength = MessageHeaderEncoder.ENCODED_LENGTH + tick.encodedLength();

        // the journal entry: stamped, with the whole input frame as its var data
        final MutableDirectBuffer journal = new ExpandableArrayBuffer(256);
        final IngressRecordEncoder record = new IngressRecordEncoder()
            .wrapAndApplyHeader(journal, 0, new MessageHeaderEncoder())
            .sequence(77L)
            .timeNs(1_764_000_000_000_000_000L)
            .kind(JournalRecordKind.INPUT)
            .rejectReason(RejectReason.NULL_VAL)  // optional: no reason for an accepted input
            .receivedLength(tickLength)
            .putFrame(tickBuffer, 0, tickLength);
        final int recordLength = MessageHeaderEncoder.ENCODED_LENGTH + record.encodedLength();
        assertEquals(8 + IngressRecordEncoder.BLOCK_LENGTH + 4 + tickLength, recordLength);

        final IngressRecordDecoder decoded = new IngressRecordDecoder().wrapAndApplyHeader(journal, 0, headerDecoder);
        assertEquals(77L, decoded.sequence());
        assertEquals(1_764_000_000_000_000_000L, decoded.timeNs());
        assertEquals(JournalRecordKind.INPUT, decoded.kind());
        assertEquals(RejectReason.NULL_VAL, decoded.rejectReason());
        assertEquals(tickLength, decoded.receivedLength());
        assertEquals(tickLength, decoded.frameLength());

        // decode the inner frame in place, through a view of exactly its bytes
        final UnsafeBuffer inner = new UnsafeBuffer(0, 0);
        decoded.wrapFrame(inner);
        assertEquals(tickLength, inner.capacity());
        assertEquals(recordLength - 8, decoded.encodedLength());

        final MessageHeaderDecoder innerHeader = new MessageHeaderDecoder().wrap(inner, 0);
        assertEquals(TickDecoder.TEMPLATE_ID, innerHeader.templateId());
        final TickDecoder innerTick = new TickDecoder().wrapAndApplyHeader(inner, 0, innerHeader);
        assertEquals(5_000L, innerTick.timeNs());
        assertEquals(1_000L, innerTick.periodNs());
        assertEquals(TickSource.REPLAY, innerTick.source());
        assertEquals(5, innerTick.tickNumber());
    }

    @Test
    void ingressRecordOfARejectedFrameKeepsItsFirstBytesAndTheReason()
    {
        final byte[] garbage = { 0x01, 0x02, (byte)0xFF };
        final MutableDirectBuffer journal = new UnsafeBuffer(new byte[128]);
        final IngressRecordEncoder record = new IngressRecordEncoder()
            .wrapAndApplyHeader(journal, 0, headerEncoder)
            .sequence(78L)
            .timeNs(9L)
            .kind(JournalRecordKind.REJECTED)
            .rejectReason(RejectReason.TOO_SHORT)
            .receivedLength(garbage.length)
            .putFrame(garbage, 0, garbage.length);

        final IngressRecordDecoder decoded = new IngressRecordDecoder().wrapAndApplyHeader(journal, 0, headerDecoder);
        assertEquals(JournalRecordKind.REJECTED, decoded.kind());
        assertEquals(RejectReason.TOO_SHORT, decoded.rejectReason());
        final byte[] frame = new byte[decoded.frameLength()];
        decoded.getFrame(frame, 0, frame.length);
        assertEquals(java.util.Arrays.toString(garbage), java.util.Arrays.toString(frame));
        assertEquals(record.encodedLength(), decoded.encodedLength());
    }

    @Test
    void laneObservationsWithAGroup()
    {
        final MutableDirectBuffer buffer = new UnsafeBuffer(new byte[128]);
        final LaneObservationsEncoder encoder = new LaneObservationsEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .intersectionId(3_012L);
        final LaneObservationsEncoder.LanesEncoder lanes = encoder.lanesCount(3);
        lanes.next().laneIndex(0).vehicles(7).haltingVehicles(2).occupancyPermille(315).meanSpeedCmPerS(1_250);
        lanes.next().laneIndex(1).vehicles(4).haltingVehicles(4).occupancyPermille(802).meanSpeedCmPerS(0);
        lanes.next().laneIndex(2).vehicles(0).haltingVehicles(0).occupancyPermille(0)
            .meanSpeedCmPerS(LaneObservationsEncoder.LanesEncoder.meanSpeedCmPerSNullValue()); // no vehicle, no speed
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        assertEquals(8 + 4 + 4 + 3 * 10, frameLength);

        final LaneObservationsDecoder decoded = new LaneObservationsDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(3_012L, decoded.intersectionId());
        final LaneObservationsDecoder.LanesDecoder lanesDecoder = decoded.lanes();
        assertEquals(3, lanesDecoder.count());

        final int[][] expected = { { 0, 7, 2, 315, 1_250 }, { 1, 4, 4, 802, 0 }, { 2, 0, 0, 0, 65_535 } };
        int i = 0;
        for (final LaneObservationsDecoder.LanesDecoder lane : lanesDecoder)
        {
            assertEquals(expected[i][0], lane.laneIndex());
            assertEquals(expected[i][1], lane.vehicles());
            assertEquals(expected[i][2], lane.haltingVehicles());
            assertEquals(expected[i][3], lane.occupancyPermille());
            assertEquals(expected[i][4], lane.meanSpeedCmPerS());
            i++;
        }
        assertEquals(3, i);
        assertEquals(LaneObservationsDecoder.LanesDecoder.meanSpeedCmPerSNullValue(), expected[2][4]);
        assertEquals(frameLength - 8, decoded.encodedLength());
    }

    @Test
    void incidentWithAGroupAndVarData()
    {
        final MutableDirectBuffer buffer = new UnsafeBuffer(new byte[256]);
        final IncidentEncoder encoder = new IncidentEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .incidentId(900_000_000_001L)
            .state(IncidentState.IN_PROGRESS)
            .priority(IncidentPriority.P1)
            .eventClass(EventClass.FIRE)
            .ackDeadlineNs(1_764_000_060_000_000_000L);
        encoder.position().eastMm(12_345_678).northMm(-2_345_678);
        encoder.agencies().clear().fire(true).ems(true);
        final IncidentEncoder.SourcesEncoder sources = encoder.sourcesCount(2);
        sources.next().sourceKind(SourceKind.VIDEO).sourceId(31L);
        sources.next().sourceKind(SourceKind.CALL).sourceId(119_000_042L);
        encoder.owner("종합상황실 김세종");          // after the group: schema order
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        final IncidentDecoder decoded = new IncidentDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(900_000_000_001L, decoded.incidentId());
        assertEquals(IncidentState.IN_PROGRESS, decoded.state());
        assertEquals(IncidentPriority.P1, decoded.priority());
        assertEquals(EventClass.FIRE, decoded.eventClass());
        assertEquals(12_345_678, decoded.position().eastMm());
        assertEquals(-2_345_678, decoded.position().northMm());
        assertTrue(decoded.agencies().fire());
        assertTrue(decoded.agencies().ems());
        assertFalse(decoded.agencies().police());
        assertFalse(decoded.agencies().cityFacilities());
        assertEquals(1_764_000_060_000_000_000L, decoded.ackDeadlineNs());

        final IncidentDecoder.SourcesDecoder sourcesDecoder = decoded.sources();
        assertEquals(2, sourcesDecoder.count());
        assertEquals(SourceKind.VIDEO, sourcesDecoder.next().sourceKind());
        assertEquals(31L, sourcesDecoder.sourceId());
        assertEquals(SourceKind.CALL, sourcesDecoder.next().sourceKind());
        assertEquals(119_000_042L, sourcesDecoder.sourceId());
        assertFalse(sourcesDecoder.hasNext());

        assertEquals("종합상황실 김세종", decoded.owner());
        assertEquals(frameLength - 8, decoded.encodedLength());
    }

    @Test
    void positionCanBeUnknown()
    {
        final MutableDirectBuffer buffer = new UnsafeBuffer(new byte[64]);
        final ShuttleStateEncoder encoder = new ShuttleStateEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .shuttleId(12)
            .shuttleType(ShuttleType.SIDEWALK)
            .mode(ShuttleMode.EN_ROUTE)
            .lastStopId(ShuttleStateEncoder.lastStopIdNullValue())
            .speedCmPerS(140)
            .socPermille(655)
            .passengers((short)3)
            .wheelchairs((short)0);
        encoder.position().eastMm(PositionEncoder.eastMmNullValue()).northMm(PositionEncoder.northMmNullValue());

        final ShuttleStateDecoder decoded = new ShuttleStateDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(Integer.MIN_VALUE, PositionDecoder.eastMmNullValue());
        assertEquals(PositionDecoder.eastMmNullValue(), decoded.position().eastMm());
        assertEquals(PositionDecoder.northMmNullValue(), decoded.position().northMm());
        assertEquals(ShuttleStateDecoder.lastStopIdNullValue(), decoded.lastStopId());
        assertEquals(4_294_967_295L, decoded.lastStopId());
        assertEquals(ShuttleMode.EN_ROUTE, decoded.mode());
        assertEquals(655, decoded.socPermille());
    }

    @Test
    void priorityRequestWithoutALaneAndWithARoute()
    {
        final MutableDirectBuffer buffer = new UnsafeBuffer(new byte[128]);
        final PriorityRequestEncoder encoder = new PriorityRequestEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder)
            .requestId(55L)
            .vehicleId(119_007L)
            .role(VehicleRole.AMBULANCE)
            .requestType(PriorityRequestType.REQUEST)
            .intersectionId(3_012L)
            .approachId(2)
            .laneIndex(PriorityRequestEncoder.laneIndexNullValue()) // any lane of the approach
            .etaMs(8_500);
        encoder.routeCount(2)
            .next().intersectionId(3_013L).approachId(1).etaMs(21_000)
            .next().intersectionId(3_020L).approachId(4).etaMs(40_500);
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        final DirectBuffer frame = new UnsafeBuffer(buffer, 0, frameLength);
        final PriorityRequestDecoder decoded = new PriorityRequestDecoder().wrapAndApplyHeader(frame, 0, headerDecoder);
        assertEquals(65_535, PriorityRequestDecoder.laneIndexNullValue());
        assertEquals(PriorityRequestDecoder.laneIndexNullValue(), decoded.laneIndex());
        assertEquals(VehicleRole.AMBULANCE, decoded.role());
        assertEquals(8_500, decoded.etaMs());
        final PriorityRequestDecoder.RouteDecoder route = decoded.route();
        assertEquals(2, route.count());
        assertEquals(3_013L, route.next().intersectionId());
        assertEquals(21_000, route.etaMs());
        assertEquals(3_020L, route.next().intersectionId());
        assertEquals(4, route.approachId());
        assertEquals(40_500, route.etaMs());
        assertEquals(frameLength - 8, decoded.sbeDecodedLength());
    }
}
