package kr.sejong.city.replay.indiana;

import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.SignalReason;
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
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static kr.sejong.city.codecs.SignalReason.ALL_RED_CLEARANCE;
import static kr.sejong.city.codecs.SignalReason.FIXED_PLAN;
import static kr.sejong.city.codecs.SignalReason.MIN_GREEN;
import static kr.sejong.city.codecs.SignalReason.PREEMPTION_DWELL;
import static kr.sejong.city.codecs.SignalReason.PREEMPTION_ENTRY;
import static kr.sejong.city.codecs.SignalReason.PREEMPTION_EXIT;
import static kr.sejong.city.codecs.SignalReason.PREEMPTION_TRACK_CLEARANCE;
import static kr.sejong.city.codecs.SignalReason.TRANSIT_EARLY_GREEN;
import static kr.sejong.city.codecs.SignalReason.TRANSIT_EXTENSION;
import static kr.sejong.city.codecs.SignalReason.YELLOW_CLEARANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Indiana hi-resolution events from a run recorded by a real node with a scripted signal loop. */
class IndianaExportTest
{
    private static final long START_NS = Instant.parse("2026-11-25T08:00:00Z").getEpochSecond() * 1_000_000_000L; // 17:00 in Seoul

    @TempDir
    static Path tmp;
    static Path data;

    /** Tick N comes at 17:00:0N.25 local time (the export writes tenths, truncated: .2). */
    private static long tickTime(final int n)
    {
        return START_NS + n * 1_000_000_000L + 250_000_000L;
    }

    private static ScriptedSignalLoop.Step step(final long tick, final int intersection, final int phaseIndex, final SignalReason reason,
        final String state)
    {
        return new ScriptedSignalLoop.Step(tick, intersection, phaseIndex, reason, state);
    }

    /**
     * Intersection 101 runs a SUMO-style program (0 GGrr, 1 yyrr, 2 rrrr, 3 rrGG, 4 rryy, 5 rrrr) through
     * two phases and back, then a transit early green and extension; 102 is preempted by an ambulance.
     */
    @BeforeAll
    static void recordARun()
    {
        data = tmp.resolve("data");
        final List<ScriptedSignalLoop.Step> script = List.of(
            step(1, 101, 0, FIXED_PLAN, "GGrr"), step(1, 102, 3, FIXED_PLAN, "rrGG"),
            step(2, 101, 1, YELLOW_CLEARANCE, "yyrr"),
            step(3, 101, 2, ALL_RED_CLEARANCE, "rrrr"), step(3, 102, 4, PREEMPTION_ENTRY, "rryy"),
            step(4, 101, 3, MIN_GREEN, "rrGG"), step(4, 102, 5, PREEMPTION_TRACK_CLEARANCE, "rrrr"),
            step(5, 101, 4, YELLOW_CLEARANCE, "rryy"), step(5, 102, 0, PREEMPTION_DWELL, "GGrr"),
            step(6, 101, 5, ALL_RED_CLEARANCE, "rrrr"), step(6, 102, 0, PREEMPTION_EXIT, "GGrr"),
            step(7, 101, 0, TRANSIT_EARLY_GREEN, "GGrr"),
            step(8, 101, 0, TRANSIT_EXTENSION, "GGrr"));

        final Frames f = new Frames();
        final List<byte[]> inputs = new ArrayList<>();
        inputs.add(f.tick(tickTime(1), 1));
        inputs.add(f.detector(5, 101, 2, true));
        inputs.add(f.tick(tickTime(2), 2));
        inputs.add(f.detector(5, 101, 1, true));                    // still present: no event
        inputs.add(f.lanes(101, 0, 120));                            // lane 1 (param 2) occupied
        inputs.add(f.priority(7001, 501, VehicleRole.AMBULANCE, PriorityRequestType.REQUEST, 102));
        inputs.add(f.tick(tickTime(3), 3));
        inputs.add(f.detector(5, 101, 0, false));
        inputs.add(f.tick(tickTime(4), 4));
        inputs.add(f.lanes(101, 50, 0));                             // lane 0 on, lane 1 off
        inputs.add(f.tick(tickTime(5), 5));
        inputs.add(f.priority(7001, 501, VehicleRole.AMBULANCE, PriorityRequestType.CANCEL, 102));
        inputs.add(f.priority(7101, 502, VehicleRole.BRT_BUS, PriorityRequestType.REQUEST, 101));
        inputs.add(f.priority(7102, 503, VehicleRole.SHUTTLE, PriorityRequestType.REQUEST, 101));  // no priority class of its own
        inputs.add(f.priority(7101, 502, VehicleRole.BRT_BUS, PriorityRequestType.UPDATE, 101));   // not a check-in
        inputs.add(f.tick(tickTime(6), 6));
        inputs.add(f.tick(tickTime(7), 7));
        inputs.add(f.tick(tickTime(8), 8));
        inputs.add(f.priority(7101, 502, VehicleRole.BRT_BUS, PriorityRequestType.CANCEL, 101));

        final ControlNode.Context context = new ControlNode.Context()
            .dataDir(data)
            .mode(NodeMode.SIMULATED)
            .configSnapshot("indiana.yaml", "city: indiana\n".getBytes(StandardCharsets.UTF_8))
            .addLoop(new ScriptedSignalLoop(script));
        try (ControlNode node = ControlNode.launch(context); TestClient client = new TestClient(node))
        {
            for (final byte[] input : inputs)
            {
                client.send(input);
            }
            TestClient.awaitCondition("journaled", () -> node.counters().inputs() + node.counters().rejects() == inputs.size() + 1, 30);
        }
    }

    private static final List<String> ALL = List.of(
        "SignalID,Timestamp,EventCode,EventParam",
        "101,2026-11-25 17:00:01.2,1,1",      // 101 phase 1 green
        "102,2026-11-25 17:00:01.2,1,4",      // 102 phase 4 green
        "101,2026-11-25 17:00:01.2,82,5",     // detector 5 on
        "101,2026-11-25 17:00:02.2,8,1",      // phase 1 yellow
        "101,2026-11-25 17:00:02.2,82,2",     // lane index 1 occupied
        "102,2026-11-25 17:00:02.2,102,1",    // ambulance call (preempt 1)
        "101,2026-11-25 17:00:03.2,9,1",      // phase 1 yellow ends,
        "101,2026-11-25 17:00:03.2,10,1",     // red clearance begins
        "102,2026-11-25 17:00:03.2,105,1",    // preemption entry, then 102's phase 4 to yellow
        "102,2026-11-25 17:00:03.2,8,4",
        "101,2026-11-25 17:00:03.2,81,5",     // detector 5 off
        "101,2026-11-25 17:00:04.2,11,1",     // red clearance of phase 1 ends as phase 4 turns green
        "101,2026-11-25 17:00:04.2,1,4",
        "102,2026-11-25 17:00:04.2,106,1",    // track clearance
        "102,2026-11-25 17:00:04.2,9,4",
        "102,2026-11-25 17:00:04.2,10,4",
        "101,2026-11-25 17:00:04.2,82,1",     // lane index 0 on, lane index 1 off
        "101,2026-11-25 17:00:04.2,81,2",
        "101,2026-11-25 17:00:05.2,8,4",
        "102,2026-11-25 17:00:05.2,107,1",    // dwell: phase 1 green
        "102,2026-11-25 17:00:05.2,11,4",
        "102,2026-11-25 17:00:05.2,1,1",
        "102,2026-11-25 17:00:05.2,104,1",    // ambulance call off
        "101,2026-11-25 17:00:05.2,112,1",    // BRT check-in
        "101,2026-11-25 17:00:06.2,9,4",
        "101,2026-11-25 17:00:06.2,10,4",
        "102,2026-11-25 17:00:06.2,111,1",    // preemption exit
        "101,2026-11-25 17:00:07.2,113,1",    // TSP early green: phase 1 back
        "101,2026-11-25 17:00:07.2,11,4",
        "101,2026-11-25 17:00:07.2,1,1",
        "101,2026-11-25 17:00:08.2,114,1",    // TSP extend green
        "101,2026-11-25 17:00:08.2,115,1");   // BRT check-out

    private static List<String> export(final Position from, final Position to)
    {
        final StringWriter csv = new StringWriter();
        final IndianaExport.Result result = IndianaExport.export(data, from, to, CityTime.SEOUL, new PrintWriter(csv));
        assertTrue(csv.toString().endsWith("\r\n"));
        final List<String> lines = List.of(csv.toString().split("\r\n"));
        assertEquals(lines.size() - 1, result.events());
        return lines;
    }

    @Test
    void everyEventOfTheRunInTimeOrder()
    {
        assertEquals(ALL, export(null, null));
    }

    @Test
    void fromAndToChooseTheEventsWritten()
    {
        final List<String> middle = export(Position.ofTime(START_NS + 4_000_000_000L), Position.ofTime(tickTime(6)));
        final List<String> expected = new ArrayList<>();
        expected.add(ALL.get(0));
        ALL.stream().filter(l -> l.contains(":04.2") || l.contains(":05.2") || l.contains(":06.2")).forEach(expected::add);
        assertEquals(expected, middle);
        assertEquals(List.of(ALL.get(0), ALL.get(ALL.size() - 2), ALL.get(ALL.size() - 1)), export(Position.ofTime(tickTime(8)), null),
            "from the last instant of the journal");
        final List<String> tail = export(Position.ofSequence(17), null); // Tick 7 and after
        assertEquals(ALL.subList(ALL.size() - 5, ALL.size()), tail.subList(1, tail.size()));
    }

    @Test
    void badInputGetsOneClearMessage() throws IOException
    {
        final Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertMessage("is not a node's data directory", () -> export(empty, null, null));
        assertMessage("is outside the journal", () -> export(data, Position.ofTime(START_NS + 3_600_000_000_000L), null));
        assertMessage("is outside the journal", () -> export(data, Position.ofTime(tickTime(8) + 1), null));
        assertMessage("is outside the journal", () -> export(data, null, Position.ofTime(START_NS)));
        assertMessage("is after --to", () -> export(data, Position.ofTime(tickTime(5)), Position.ofTime(tickTime(2))));
        assertMessage("unknown format 'atspm': the one export format is indiana-csv", () -> IndianaExport.checkFormat("atspm"));
        IndianaExport.checkFormat("indiana-csv");
    }

    private static void export(final Path dir, final Position from, final Position to)
    {
        IndianaExport.export(dir, from, to, CityTime.SEOUL, new PrintWriter(new StringWriter()));
    }

    private static void assertMessage(final String expected, final org.junit.jupiter.api.function.Executable executable)
    {
        final ReplayException ex = assertThrows(ReplayException.class, executable);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
