package kr.sejong.city.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.testing.TestClient;
import kr.sejong.city.core.testing.TestLoop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/city audit and bin/city export-events, run in-process on a journal recorded by a real node. */
class AuditCommandsTest
{
    private static final long START_NS = Instant.parse("2026-11-25T08:00:00Z").getEpochSecond() * 1_000_000_000L; // 17:00 in Seoul

    @TempDir
    static Path tmp;
    static Path data;

    /**
     * 1 Tick 17:00:00; 2 detector 17 at 104 (9 vehicles) -> SignalCommand 104; 3 detector 18 at 105 -> SignalCommand 105;
     * 4 Tick 17:00:01 -> SignalStatus; 5 detector 19 at 104 (no vehicle) -> SignalCommand 104.
     */
    @BeforeAll
    static void recordARun()
    {
        data = tmp.resolve("data");
        final ControlNode.Context context = new ControlNode.Context().dataDir(data).mode(NodeMode.SIMULATED)
            .configSnapshot("cli.yaml", "city: cli\n".getBytes(StandardCharsets.UTF_8)).addLoop(new TestLoop());
        try (ControlNode node = ControlNode.launch(context); TestClient client = new TestClient(node))
        {
            client.send(client.tick(START_NS, 0));
            client.send(client.detectorObservation(17, 104, 9));
            client.send(client.detectorObservation(18, 105, 3));
            client.send(client.tick(START_NS + 1_000_000_000L, 1));
            client.send(client.detectorObservation(19, 104, 0));
            client.awaitReceived(5, 30);
        }
    }

    private static Cli audit(final String... more)
    {
        final String[] args = new String[6 + more.length];
        args[0] = "audit";
        args[1] = "--data";
        args[2] = data.toString();
        args[3] = "--from";
        args[4] = "2026-11-25T17:00:00";
        args[5] = "--to=2026-11-25T08:00:05Z";
        System.arraycopy(more, 0, args, 6, more.length);
        return Cli.run(args);
    }

    @Test
    void helpListsTheAuditCommands()
    {
        final Cli help = Cli.run("--help");
        assertTrue(help.out().contains("audit") && help.out().contains("export-events"), help.out());
        final Cli audit = Cli.run("audit", "--help");
        for (final String option : new String[]{ "--intersection", "--incident", "--vehicle", "--request", "--format", "--out" })
        {
            assertTrue(audit.out().contains(option), "audit --help explains " + option);
        }
    }

    @Test
    void auditPrintsTheIntersectionsTimeline()
    {
        final Cli cli = audit("--intersection", "104");
        assertEquals(0, cli.exitCode(), cli.err());
        final List<String> lines = cli.out().lines().toList();
        assertEquals("Audit of intersection 104: every input and decision that touched it, from 2026-11-25T17:00:00.000+09:00"
            + " to 2026-11-25T17:00:05.000+09:00 (times in Asia/Seoul)", lines.get(0));
        final int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("TIME ")).findFirst().orElseThrow());
        assertTrue(lines.get(header).matches("TIME +SEQUENCE +DIR +MESSAGE +REASON +FIELDS"), lines.get(header));
        assertTrue(lines.get(header + 1).matches("2026-11-25T17:00:00\\.000\\+09:00 +2 +IN +DetectorObservation +- +detectorId=17 intersectionId=104 .*"),
            lines.get(header + 1));
        assertTrue(lines.get(header + 2).matches("2026-11-25T17:00:00\\.000\\+09:00 +out \\d+ for input 2 +OUT +SignalCommand +EXTEND_DEMAND +intersectionId=104 .*"),
            lines.get(header + 2));
        assertTrue(lines.get(header + 3).matches("2026-11-25T17:00:01\\.000\\+09:00 +5 +IN +DetectorObservation .*detectorId=19.*"), lines.get(header + 3));
        assertTrue(lines.get(header + 4).contains("for input 5"), lines.get(header + 4));
        assertTrue(cli.out().contains("4 entries: 2 inputs, 2 decisions"), cli.out());
        assertFalse(cli.out().contains("detectorId=18"), "105's observation did not touch 104");
    }

    @Test
    void auditWritesJsonAndCsvToAFile() throws IOException
    {
        final Path json = tmp.resolve("audit.json");
        final Cli cli = audit("--intersection", "105", "--format", "json", "--out", json.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("wrote the audit of intersection 105 to " + json + ": 2 entries (1 inputs, 1 decisions)"), cli.out());
        final JsonNode tree = new ObjectMapper().readTree(json.toFile());
        assertEquals(105, tree.get("subject").get("id").asInt());
        assertEquals(List.of("IN", "OUT"), List.of(tree.get("rows").get(0).get("direction").asText(), tree.get("rows").get(1).get("direction").asText()));
        assertEquals(18, tree.get("rows").get(0).get("fields").get("detectorId").asInt());

        final Cli csv = audit("--intersection", "105", "--format", "CSV");
        assertEquals(0, csv.exitCode(), csv.err());
        final String[] records = csv.out().split("\r\n");
        assertEquals("time,timeNs,sequence,egressSequence,direction,message,reason,fields", records[0]);
        assertEquals(3, records.length);
        assertTrue(records[1].startsWith("2026-11-25T17:00:00.000+09:00," + START_NS + ",3,,IN,DetectorObservation,,detectorId=18 "), records[1]);
    }

    @Test
    void aSubjectNothingTouchesIsBadInput()
    {
        final Cli cli = audit("--intersection", "999");
        assertEquals(2, cli.exitCode());
        assertTrue(cli.err().contains("city: no entry between 2026-11-25T17:00:00.000+09:00 and 2026-11-25T17:00:05.000+09:00 touches intersection 999"),
            cli.err());
    }

    @Test
    void aBadFormatNoSubjectOrTwoSubjectsAreBadInput()
    {
        final Cli format = audit("--intersection", "104", "--format", "xml");
        assertEquals(2, format.exitCode());
        assertTrue(format.err().contains("unknown format 'xml': use text, json or csv"), format.err());
        final Cli none = audit();
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("say what the audit is about"), none.err());
        final Cli two = audit("--intersection", "104", "--request", "7");
        assertEquals(2, two.exitCode());
        assertTrue(two.err().contains("an audit is about one subject"), two.err());
        final Cli reversed = Cli.run("audit", "--data", data.toString(), "--from", "2026-11-25T17:00:05", "--to", "2026-11-25T17:00:00",
            "--vehicle", "1");
        assertEquals(2, reversed.exitCode());
        assertTrue(reversed.err().contains("is after --to"), reversed.err());
        final Cli notAJournal = Cli.run("audit", "--data", tmp.resolve("nothing").toString(), "--from", "1", "--to", "2", "--vehicle", "1");
        assertEquals(2, notAJournal.exitCode());
        assertTrue(notAJournal.err().contains("is not a directory"), notAJournal.err());
    }

    @Test
    void exportEventsWritesIndianaCsv() throws IOException
    {
        final Path out = tmp.resolve("events.csv");
        final Cli cli = Cli.run("export-events", "--data", data.toString(), "--format", "indiana-csv", "--out", out.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertTrue(cli.out().contains("wrote 4 signal events to " + out), cli.out());
        assertEquals(String.join("\r\n",
            "SignalID,Timestamp,EventCode,EventParam",
            "104,2026-11-25 17:00:00.0,82,17",   // detector 17 on
            "104,2026-11-25 17:00:00.0,1,2",     // GGrr as phase index 1 (17 % 8): Phase 2 Begin Green
            "105,2026-11-25 17:00:00.0,82,18",
            "105,2026-11-25 17:00:00.0,1,3") + "\r\n", Files.readString(out));

        final Path tail = tmp.resolve("tail.csv");
        final Cli bounded = Cli.run("export-events", "--data", data.toString(), "--out", tail.toString(), "--from", "2026-11-25T17:00:01");
        assertEquals(0, bounded.exitCode(), bounded.err());
        assertEquals("SignalID,Timestamp,EventCode,EventParam\r\n", Files.readString(tail), "nothing changes at 17:00:01");
    }

    @Test
    void exportEventsWithABadFormatOrNoJournalIsBadInput()
    {
        final Path out = tmp.resolve("never.csv");
        final Cli format = Cli.run("export-events", "--data", data.toString(), "--format", "atspm-xml", "--out", out.toString());
        assertEquals(2, format.exitCode());
        assertTrue(format.err().contains("unknown format 'atspm-xml': the one export format is indiana-csv"), format.err());
        final Cli none = Cli.run("export-events", "--data", tmp.toString(), "--out", out.toString());
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("is not a node's data directory"), none.err());
        assertFalse(Files.exists(out), "no file is left behind");
    }
}
