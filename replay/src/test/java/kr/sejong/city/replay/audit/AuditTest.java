package kr.sejong.city.replay.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.SubjectKind;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.testing.TestClient;
import kr.sejong.city.replay.CityTime;
import kr.sejong.city.replay.Frames;
import kr.sejong.city.replay.Position;
import kr.sejong.city.replay.ReplayException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Audits of a journal recorded by a real node: several intersections, incidents, vehicles and requests mixed. */
class AuditTest
{
    private static final Instant START = Instant.parse("2026-11-25T08:00:00Z"); // 17:00 in Seoul
    private static final long START_NS = START.getEpochSecond() * 1_000_000_000L;

    @TempDir
    static Path tmp;
    static Path data;

    private static long at(final int seconds)
    {
        return START_NS + seconds * 1_000_000_000L;
    }

    /**
     * The run, by ingress sequence (0 is the ConfigSnapshot); times are the last Tick's:
     * <pre>
     *  1 Tick T+0
     *  2 DetectorObservation det 11 at 101          -> SignalCommand 101
     *  3 DetectorObservation det 21 at 102          -> SignalCommand 102
     *  4 PriorityRequest 7001, vehicle 501, ambulance, at 101, route 102, 103
     *                                               -> PriorityStatus (7001, 501, 101), SignalCommand 101 PREEMPTION_ENTRY
     *  5 Tick T+1
     *  6 RideRequest 9001                           -> RideAssignment (shuttle 31), ShuttlePlan 31
     *  7 RideRequest 9002                           -> RideAssignment (shuttle 32), ShuttlePlan 32
     *  8 VideoEvent 4001                            -> Incident 8001 (VIDEO 4001), Dispatch 8001 unit 601 via 101, 103
     *  9 CallEvent 4002                             -> Incident 8001 (VIDEO 4001, CALL 4002)
     * 10 VideoEvent 4005                            -> Incident 8002 (VIDEO 4005), Dispatch 8002 unit 602 via 104
     * 11 OperatorAction HOLD intersection 102
     * 12 OperatorAction ACKNOWLEDGE incident 8001
     * 13 Tick T+2
     * 14 RideCancel 9002                            -> ShuttlePlan 32 (no stops)
     * 15 DetectorObservation at 101, one byte too long  -> rejected LENGTH_MISMATCH, Reject
     * 16 three bytes                                -> rejected TOO_SHORT, Reject
     * 17 SensorEvent 77
     * 18 Tick T+10
     * 19 DetectorObservation det 13 at 101          -> SignalCommand 101
     * </pre>
     */
    @BeforeAll
    static void recordARun()
    {
        data = tmp.resolve("data");
        final Frames f = new Frames();
        final List<byte[]> inputs = new ArrayList<>();
        inputs.add(f.tick(at(0), 0));
        inputs.add(f.detector(11, 101, 5, true));
        inputs.add(f.detector(21, 102, 3, true));
        inputs.add(f.priority(7001, 501, VehicleRole.AMBULANCE, PriorityRequestType.REQUEST, 101, 102, 103));
        inputs.add(f.tick(at(1), 1));
        inputs.add(f.rideRequest(9001, 1, 201, 202, at(300)));
        inputs.add(f.rideRequest(9002, 2, 203, 204, at(400)));
        inputs.add(f.video(4001, 3, at(1)));
        inputs.add(f.call(4002, at(1)));
        inputs.add(f.video(4005, 4, at(1)));
        inputs.add(f.operatorAction(1, OperatorActionKind.HOLD, SubjectKind.INTERSECTION, 102, "Kim \"Ops\" Min-ji", "hold, for the audit"));
        inputs.add(f.operatorAction(2, OperatorActionKind.ACKNOWLEDGE, SubjectKind.INCIDENT, 8001, "Lee", "ack"));
        inputs.add(f.tick(at(2), 2));
        inputs.add(f.rideCancel(9002, 2));
        inputs.add(Arrays.copyOf(f.detector(12, 101, 2, true), f.detector(12, 101, 2, true).length + 1));
        inputs.add(new byte[]{ 1, 2, 3 });
        inputs.add(f.sensor(77, true));
        inputs.add(f.tick(at(10), 3));
        inputs.add(f.detector(13, 101, 4, true));

        final ControlNode.Context context = new ControlNode.Context()
            .dataDir(data)
            .mode(NodeMode.SIMULATED)
            .configSnapshot("audit.yaml", "city: audit\n".getBytes(StandardCharsets.UTF_8))
            .addLoop(new AuditTestLoop());
        try (ControlNode node = ControlNode.launch(context); TestClient client = new TestClient(node))
        {
            for (final byte[] input : inputs)
            {
                client.send(input);
            }
            TestClient.awaitCondition("journaled", () -> node.counters().inputs() + node.counters().rejects() == inputs.size() + 1, 30);
        }
    }

    private static Timeline audit(final AuditSubject.Kind kind, final long id, final int fromS, final int toS)
    {
        return Audit.timeline(data, Position.ofTime(at(fromS)), Position.ofTime(at(toS)), new AuditSubject(kind, id), CityTime.SEOUL);
    }

    /** "IN 2 DetectorObservation" / "OUT 4 PriorityStatus" (the input sequence of an output). */
    private static List<String> entries(final AuditSubject.Kind kind, final long id)
    {
        return audit(kind, id, 0, 5).rows().stream().map(r -> r.direction() + " " + r.sequence() + " " + r.message()).toList();
    }

    @Test
    void anIntersectionGetsItsObservationsCommandsPriorityDispatchRouteOperatorActionsAndRejects()
    {
        assertEquals(List.of(
            "IN 2 DetectorObservation", "OUT 2 SignalCommand",
            "IN 4 PriorityRequest", "OUT 4 PriorityStatus", "OUT 4 SignalCommand",
            "OUT 8 Dispatch",
            "IN 15 DetectorObservation", "OUT 15 Reject"), entries(AuditSubject.Kind.INTERSECTION, 101));
        assertEquals(List.of(
            "IN 3 DetectorObservation", "OUT 3 SignalCommand",
            "IN 4 PriorityRequest",
            "IN 11 OperatorAction"), entries(AuditSubject.Kind.INTERSECTION, 102), "102 is on the priority request's route");
        assertEquals(List.of("IN 4 PriorityRequest", "OUT 8 Dispatch"), entries(AuditSubject.Kind.INTERSECTION, 103));
        assertEquals(List.of("OUT 10 Dispatch"), entries(AuditSubject.Kind.INTERSECTION, 104));
    }

    @Test
    void anIncidentGetsItsSourceEventsDecisionsAndOperatorActions()
    {
        assertEquals(List.of(
            "IN 8 VideoEvent", "OUT 8 Incident", "OUT 8 Dispatch",
            "IN 9 CallEvent", "OUT 9 Incident",
            "IN 12 OperatorAction"), entries(AuditSubject.Kind.INCIDENT, 8001));
        assertEquals(List.of("IN 10 VideoEvent", "OUT 10 Incident", "OUT 10 Dispatch"), entries(AuditSubject.Kind.INCIDENT, 8002));
    }

    @Test
    void aVehicleIsFoundByVehicleShuttleAndUnitId()
    {
        assertEquals(List.of("IN 4 PriorityRequest", "OUT 4 PriorityStatus"), entries(AuditSubject.Kind.VEHICLE, 501));
        assertEquals(List.of("OUT 6 RideAssignment", "OUT 6 ShuttlePlan"), entries(AuditSubject.Kind.VEHICLE, 31));
        assertEquals(List.of("OUT 7 RideAssignment", "OUT 7 ShuttlePlan", "OUT 14 ShuttlePlan"), entries(AuditSubject.Kind.VEHICLE, 32));
        assertEquals(List.of("OUT 8 Dispatch"), entries(AuditSubject.Kind.VEHICLE, 601));
    }

    @Test
    void aRequestIsFoundInRidesPriorityAndPlanStops()
    {
        assertEquals(List.of("IN 6 RideRequest", "OUT 6 RideAssignment", "OUT 6 ShuttlePlan"), entries(AuditSubject.Kind.REQUEST, 9001));
        assertEquals(List.of("IN 7 RideRequest", "OUT 7 RideAssignment", "OUT 7 ShuttlePlan", "IN 14 RideCancel"),
            entries(AuditSubject.Kind.REQUEST, 9002));
        assertEquals(List.of("IN 4 PriorityRequest", "OUT 4 PriorityStatus"), entries(AuditSubject.Kind.REQUEST, 7001));
    }

    @Test
    void outputsFollowTheInputThatCausedThemAndCarryTheirReason()
    {
        final List<AuditRow> rows = audit(AuditSubject.Kind.INTERSECTION, 101, 0, 10).rows();
        assertEquals("IN 19 DetectorObservation", rows.get(rows.size() - 2).direction() + " " + rows.get(rows.size() - 2).sequence() + " "
            + rows.get(rows.size() - 2).message(), "--to includes T+10");
        for (int i = 0; i < rows.size(); i++)
        {
            final AuditRow row = rows.get(i);
            if (i > 0)
            {
                final AuditRow previous = rows.get(i - 1);
                assertTrue(previous.timeNs() < row.timeNs() || previous.timeNs() == row.timeNs() && previous.sequence() <= row.sequence(), row.toString());
            }
            if (row.direction() == AuditRow.Direction.OUT)
            {
                for (int j = i + 1; j < rows.size(); j++)
                {
                    assertFalse(rows.get(j).direction() == AuditRow.Direction.IN && rows.get(j).sequence() == row.sequence(),
                        "input " + row.sequence() + " is listed before its outputs");
                }
            }
        }
        final AuditRow preemption = rows.stream().filter(r -> r.sequence() == 4 && r.message().equals("SignalCommand")).findFirst().orElseThrow();
        assertEquals("PREEMPTION_ENTRY", preemption.reason());
        assertTrue(preemption.egressSequence() != null && preemption.sequenceText().equals("out " + preemption.egressSequence() + " for input 4"));
        final AuditRow granted = rows.stream().filter(r -> r.message().equals("PriorityStatus")).findFirst().orElseThrow();
        assertEquals("GRANTED", granted.reason(), "status GRANTED; reason NONE is left out");
        final AuditRow rejected = rows.stream().filter(r -> r.sequence() == 15 && r.direction() == AuditRow.Direction.IN).findFirst().orElseThrow();
        assertEquals("rejected: LENGTH_MISMATCH", rejected.reason());
        assertEquals(12L, rejected.fields().get("detectorId"));
        final AuditRow reject = rows.stream().filter(r -> r.message().equals("Reject")).findFirst().orElseThrow();
        assertEquals("LENGTH_MISMATCH", reject.reason());
        assertEquals(15L, reject.fields().get("rejectedSequence"));
        assertEquals(at(2), reject.timeNs());
        assertEquals(at(0), rows.get(0).timeNs());
    }

    @Test
    void textHasAHeaderALegendAndAlignedColumns()
    {
        final String text = write(TimelineFormat.TEXT, audit(AuditSubject.Kind.INTERSECTION, 101, 0, 5));
        final List<String> lines = text.lines().toList();
        assertEquals("Audit of intersection 101: every input and decision that touched it, from 2026-11-25T17:00:00.000+09:00"
            + " to 2026-11-25T17:00:05.000+09:00 (times in Asia/Seoul)", lines.get(0));
        assertTrue(text.contains("  IN      an input the node journaled"), text);
        assertTrue(text.contains("  OUT     a decision the node published"), text);
        final int headerLine = lines.indexOf(lines.stream().filter(l -> l.startsWith("TIME")).findFirst().orElseThrow());
        final String header = lines.get(headerLine);
        final int dir = header.indexOf("DIR");
        final int message = header.indexOf("MESSAGE");
        final int fields = header.indexOf("FIELDS");
        final List<String> rows = lines.subList(headerLine + 1, headerLine + 9);
        for (final String row : rows)
        {
            assertTrue(row.startsWith("2026-11-25T17:00:0"), row);
            assertTrue(row.substring(dir).startsWith("IN ") || row.substring(dir).startsWith("OUT"), row);
            assertTrue(Character.isLetter(row.charAt(message)) && row.charAt(message - 1) == ' ', row);
            assertTrue(Character.isLetter(row.charAt(fields)) && row.charAt(fields - 1) == ' ', row);
        }
        assertTrue(rows.get(0).startsWith("2026-11-25T17:00:00.000+09:00  2 "), rows.get(0));
        assertTrue(rows.get(1).contains("out 0 for input 2") && rows.get(1).contains("EXTEND_DEMAND")
            && rows.get(1).contains("intersectionId=101 mode=ADAPTIVE phaseIndex=0 durationMs=5000 reason=EXTEND_DEMAND signalState='GGrr'"),
            rows.get(1));
        assertTrue(rows.get(2).contains("laneIndex=(not sent)") && rows.get(2).contains("route=[(intersectionId=102 approachId=2 etaMs=40000),"),
            rows.get(2));
        assertTrue(text.stripTrailing().endsWith("8 entries: 3 inputs, 5 decisions"), text);
    }

    @Test
    void jsonParsesBackWithTypedFields() throws IOException
    {
        final JsonNode json = new ObjectMapper().readTree(write(TimelineFormat.JSON, audit(AuditSubject.Kind.INTERSECTION, 101, 0, 5)));
        assertEquals("intersection", json.get("subject").get("kind").asText());
        assertEquals(101, json.get("subject").get("id").asLong());
        assertEquals("2026-11-25T17:00:00.000+09:00", json.get("from").asText());
        assertEquals("2026-11-25T17:00:05.000+09:00", json.get("to").asText());
        final JsonNode rows = json.get("rows");
        assertEquals(8, rows.size());
        final JsonNode first = rows.get(0);
        assertEquals("IN", first.get("direction").asText());
        assertEquals(2, first.get("sequence").asLong());
        assertTrue(first.get("egressSequence").isNull());
        assertEquals(at(0), first.get("timeNs").asLong());
        assertEquals("2026-11-25T17:00:00.000+09:00", first.get("time").asText());
        assertTrue(first.get("fields").get("intersectionId").isNumber());
        assertEquals("TRUE", first.get("fields").get("presence").asText());
        assertTrue(first.get("fields").get("meanSpeedCmPerS").isNull(), "an optional field not sent is null");
        final JsonNode priority = rows.get(2);
        assertEquals("PriorityRequest", priority.get("message").asText());
        assertEquals(103, priority.get("fields").get("route").get(1).get("intersectionId").asLong());
        final JsonNode command = rows.get(1);
        assertEquals("OUT", command.get("direction").asText());
        assertTrue(command.get("egressSequence").isNumber());
        assertEquals("GGrr", command.get("fields").get("signalState").asText());
        assertEquals("EXTEND_DEMAND", command.get("reason").asText());
    }

    @Test
    void csvParsesBackWithQuotingRespected()
    {
        final Timeline timeline = audit(AuditSubject.Kind.INTERSECTION, 102, 0, 5);
        final String csv = write(TimelineFormat.CSV, timeline);
        assertTrue(csv.contains("\r\n"), "RFC 4180 line ends");
        final List<List<String>> records = parseCsv(csv);
        assertEquals(List.of("time", "timeNs", "sequence", "egressSequence", "direction", "message", "reason", "fields"), records.get(0));
        assertEquals(timeline.rows().size() + 1, records.size());
        for (final List<String> record : records)
        {
            assertEquals(8, record.size(), record.toString());
        }
        final List<String> action = records.get(records.size() - 1);
        assertEquals("OperatorAction", action.get(5));
        assertEquals("11", action.get(2));
        assertEquals("", action.get(3));
        assertTrue(action.get(7).contains("operatorName='Kim \"Ops\" Min-ji' what='hold, for the audit'"), action.get(7));
        final List<String> command = records.get(2);
        assertEquals("OUT", command.get(4));
        assertEquals(Long.toString(at(0)), command.get(1));
        final List<String> priority = records.get(3);
        assertTrue(priority.get(7).contains("route=[(intersectionId=102 approachId=2 etaMs=40000), (intersectionId=103"), priority.get(7));
    }

    @Test
    void badInputGetsOneClearMessageEach() throws IOException
    {
        final Path file = Files.writeString(tmp.resolve("file"), "x");
        final Position from = Position.ofTime(at(0));
        final Position to = Position.ofTime(at(5));
        final AuditSubject i101 = new AuditSubject(AuditSubject.Kind.INTERSECTION, 101);
        assertMessage(file + " is not a directory", () -> Audit.timeline(file, from, to, i101, CityTime.SEOUL));
        final Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertMessage(empty + " is not a node's data directory: it has no journal",
            () -> Audit.timeline(empty, from, to, i101, CityTime.SEOUL));
        assertMessage("--from 2026-11-25T17:00:05.000+09:00 is after --to 2026-11-25T17:00:00.000+09:00",
            () -> Audit.timeline(data, to, from, i101, CityTime.SEOUL));
        assertMessage("the range 2026-11-25T18:00:00.000+09:00 to 2026-11-25T19:00:00.000+09:00 is outside the journal, which runs from",
            () -> Audit.timeline(data, Position.ofTime(at(3600)), Position.ofTime(at(7200)), i101, CityTime.SEOUL));
        assertMessage("the range 2026-11-25T15:00:00.000+09:00 to 2026-11-25T16:00:00.000+09:00 is outside the journal, which runs from"
                + " 2026-11-25T17:00:00.000+09:00 to 2026-11-25T17:00:10.000+09:00 (sequences 0 to 19)",
            () -> Audit.timeline(data, Position.ofTime(at(-7200)), Position.ofTime(at(-3600)), i101, CityTime.SEOUL));
        assertMessage("no entry between 2026-11-25T17:00:00.000+09:00 and 2026-11-25T17:00:05.000+09:00 touches intersection 999",
            () -> Audit.timeline(data, from, to, new AuditSubject(AuditSubject.Kind.INTERSECTION, 999), CityTime.SEOUL));
        assertMessage("touches request 7001", () -> Audit.timeline(data, Position.ofTime(at(6)), Position.ofTime(at(10)),
            new AuditSubject(AuditSubject.Kind.REQUEST, 7001), CityTime.SEOUL));
        assertMessage("say what the audit is about: one of --intersection ID, --incident ID, --vehicle ID or --request ID",
            () -> AuditSubject.of(null, null, null, null));
        assertMessage("an audit is about one subject, but 2 were given (--intersection 101, --vehicle 501)",
            () -> AuditSubject.of("101", null, "501", null));
        assertMessage("--incident 'abc' is not an id", () -> AuditSubject.of(null, "abc", null, null));
        assertMessage("unknown format 'xml': use text, json or csv", () -> TimelineFormat.parse("xml"));
    }

    private static void assertMessage(final String expected, final Executable executable)
    {
        final ReplayException ex = assertThrows(ReplayException.class, executable);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    private static String write(final TimelineFormat format, final Timeline timeline)
    {
        final StringWriter text = new StringWriter();
        format.write(timeline, CityTime.SEOUL, new PrintWriter(text));
        return text.toString();
    }

    /** RFC 4180: records end with CRLF; a quoted field may hold commas, doubled quotes and line breaks. */
    static List<List<String>> parseCsv(final String csv)
    {
        final List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++)
        {
            final char c = csv.charAt(i);
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"')
                {
                    field.append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                record.add(field.toString());
                field.setLength(0);
            }
            else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n')
            {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            }
            else
            {
                field.append(c);
            }
        }
        return records;
    }
}
