package kr.sejong.city.replay.audit;

import kr.sejong.city.codecs.IncidentState;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.SourceKind;
import kr.sejong.city.codecs.SubjectKind;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.replay.Frames;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Any frame of the schema into named, typed fields, with the generated codecs and nothing message-specific. */
class DecodedFrameTest
{
    private final DecodedFrame.Decoder decoder = new DecodedFrame.Decoder();
    private final Frames frames = new Frames();

    private DecodedFrame decode(final byte[] frame)
    {
        return decoder.decode(new UnsafeBuffer(frame), 0, frame.length);
    }

    @Test
    void groupsOptionalFieldsAndUnsignedIds()
    {
        final DecodedFrame request = decode(frames.priority(-2L, 501, VehicleRole.FIRE, PriorityRequestType.REQUEST, 101, 102, 103));
        assertEquals("PriorityRequest", request.message());
        assertEquals(new BigInteger("18446744073709551614"), request.fields().get("requestId"), "uint64 above 2^63 stays unsigned");
        assertEquals(501L, request.fields().get("vehicleId"));
        assertEquals("FIRE", request.fields().get("role"));
        assertTrue(request.fields().containsKey("laneIndex"));
        assertNull(request.fields().get("laneIndex"), "optional and not sent");
        final List<?> route = (List<?>)request.fields().get("route");
        assertEquals(2, route.size());
        assertEquals(Map.of("intersectionId", 103L, "approachId", 2L, "etaMs", 60_000L), route.get(1));
        assertTrue(request.anyField("intersectionId", v -> Long.valueOf(103).equals(v)), "found inside the group");
        assertFalse(request.anyField("intersectionId", v -> Long.valueOf(104).equals(v)));
        assertEquals(-2L, DecodedFrame.idValue(request.fields().get("requestId")), "the same 64 bits as parseUnsignedLong gives");
    }

    @Test
    void textCompositesAndSets()
    {
        final DecodedFrame action = decode(frames.operatorAction(7, OperatorActionKind.HOLD, SubjectKind.INTERSECTION, 0,
            "O'Neil | night shift", "hold (all) = yes"));
        assertEquals(new DecodedFrame.Text("O'Neil | night shift"), action.fields().get("operatorName"));
        assertEquals(new DecodedFrame.Text("hold (all) = yes"), action.fields().get("what"));
        assertEquals(new DecodedFrame.Text(""), action.fields().get("before"));
        assertEquals("INTERSECTION", action.fields().get("subjectKind"));

        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length = Frames.incident(buffer, 0, 8001, IncidentState.NEW, new SourceKind[]{ SourceKind.VIDEO, SourceKind.CALL },
            new long[]{ 4001, 4002 });
        final DecodedFrame incident = decoder.decode(buffer, 0, length);
        assertEquals(Map.of("eastMm", 1200L, "northMm", -300L), incident.fields().get("position"));
        assertEquals(List.of("fire", "ems"), incident.fields().get("agencies"));
        assertNull(incident.fields().get("ackDeadlineNs"));
        assertEquals(List.of(Map.of("sourceKind", "VIDEO", "sourceId", 4001L), Map.of("sourceKind", "CALL", "sourceId", 4002L)),
            incident.fields().get("sources"));
        assertEquals(new DecodedFrame.Text("119 center"), incident.fields().get("owner"));
    }

    @Test
    void bytesThatAreNotAWholeMessageDoNotDecode()
    {
        final byte[] request = frames.priority(1, 2, VehicleRole.FIRE, PriorityRequestType.REQUEST, 101, 102, 103);
        assertNull(decode(Arrays.copyOf(request, request.length - 3)), "the route runs past the end");
        assertNull(decode(new byte[]{ 1, 2, 3 }));
        final byte[] otherSchema = request.clone();
        otherSchema[4] = 9;
        assertNull(decode(otherSchema));
        final byte[] longer = Arrays.copyOf(request, request.length + 5);
        assertEquals("PriorityRequest", decode(longer).message(), "trailing bytes: the message itself is whole");
    }
}
