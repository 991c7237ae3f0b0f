package kr.sejong.city.replay;

import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.testing.TestClient;
import kr.sejong.city.core.testing.TestLoop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalDumpTest
{
    @TempDir
    Path dataDir;

    @BeforeEach
    void recordARun()
    {
        final ControlNode.Context ctx = new ControlNode.Context()
            .dataDir(dataDir)
            .mode(NodeMode.SIMULATED)
            .configSnapshot("dump.yaml", "city: dump\n".getBytes(StandardCharsets.UTF_8))
            .addLoop(new TestLoop());
        try (ControlNode node = ControlNode.launch(ctx); TestClient client = new TestClient(node))
        {
            client.send(client.tick(5_000_000_000L, 0));
            client.send(client.detectorObservation(17, 104, 9));
            client.send(new byte[]{ 1, 2, 3 });
            client.awaitReceived(3, 30);
        }
    }

    private List<String> dump(final JournalDump.Queue queue, final long from, final long limit, final String message)
    {
        final StringWriter text = new StringWriter();
        new JournalDump().dump(dataDir, queue, from, limit, message, new PrintWriter(text));
        return text.toString().lines().toList();
    }

    @Test
    void printsEveryIngressEntryWithItsSequenceTimeAndFields()
    {
        final List<String> lines = dump(JournalDump.Queue.INGRESS, 0, -1, null);
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("0  t=0  ") && lines.get(0).contains("ConfigSnapshot"), lines.get(0));
        assertTrue(lines.get(1).startsWith("1  t=5000000000  ") && lines.get(1).contains("Tick"), lines.get(1));
        assertTrue(lines.get(2).contains("DetectorObservation") && lines.get(2).contains("detectorId=17")
            && lines.get(2).contains("intersectionId=104") && lines.get(2).contains("vehicleCount=9"), lines.get(2));
        assertTrue(lines.get(2).startsWith("2  t=5000000000  "), "stamped with the last Tick's time: " + lines.get(2));
        assertTrue(lines.get(3).contains("REJECTED TOO_SHORT (3 bytes)"), lines.get(3));
    }

    @Test
    void printsEgressWithTheInputEachOutputAnswers()
    {
        final List<String> lines = dump(JournalDump.Queue.EGRESS, 0, -1, null);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("for input 1") && lines.get(0).contains("SignalStatus"), lines.get(0));
        assertTrue(lines.get(1).contains("for input 2") && lines.get(1).contains("SignalCommand")
            && lines.get(1).contains("intersectionId=104"), lines.get(1));
        assertTrue(lines.get(2).contains("for input 3") && lines.get(2).contains("Reject") && lines.get(2).contains("TOO_SHORT"), lines.get(2));
    }

    @Test
    void filtersBySequenceLimitAndMessage()
    {
        assertEquals(List.of("2"), dump(JournalDump.Queue.INGRESS, 0, -1, "DetectorObservation").stream()
            .map(line -> line.substring(0, line.indexOf(' '))).toList());
        assertEquals(2, dump(JournalDump.Queue.INGRESS, 2, -1, null).size());
        assertEquals(1, dump(JournalDump.Queue.INGRESS, 0, 1, null).size());
    }

    @Test
    void aDirectoryWithoutAJournalIsNamed(@TempDir final Path empty)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new JournalDump().dump(empty, JournalDump.Queue.INGRESS, 0, -1, null, new PrintWriter(new StringWriter())));
        assertTrue(ex.getMessage().contains("no ingress journal in " + empty), ex.getMessage());
    }
}
