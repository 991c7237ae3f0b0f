package kr.sejong.city.core.runtime;

import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.core.testing.TestClient;
import kr.sejong.city.core.testing.TestLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code city status} reads from another process: the status file of a running and of a stopped node. */
class NodeStatusTest
{
    @TempDir
    Path dataDir;

    @Test
    void aRunningNodeShowsItsCountersAndAFreshHeartbeat()
    {
        final ControlNode.Context ctx = new ControlNode.Context().dataDir(dataDir).mode(NodeMode.SIMULATED).addLoop(new TestLoop());
        try (ControlNode node = ControlNode.launch(ctx); TestClient client = new TestClient(node))
        {
            for (int i = 0; i < 50; i++)
            {
                client.send(client.detectorObservation(i, 7, 3));
            }
            client.send(new byte[]{ 1 });
            client.awaitReceived(51, 30);
            TestClient.awaitCondition("a heartbeat", () -> NodeStatus.read(dataDir).heartbeatMs() > 0, 10);

            final NodeStatus status = NodeStatus.read(dataDir);
            final long now = System.currentTimeMillis();
            assertTrue(status.isRunning(now), status.state(now));
            assertEquals("running", status.state(now));
            assertEquals(ProcessHandle.current().pid(), status.pid());
            assertTrue(now - status.heartbeatMs() < NodeStatus.HEARTBEAT_TIMEOUT_MS);
            assertEquals(50, status.value(NodeCounters.INPUTS, -1));
            assertEquals(1, status.value(NodeCounters.REJECTS, -1));
            assertEquals(1, status.countersOfType(NodeCounters.REJECTS_BY_REASON).stream()
                .filter(c -> c.referenceId() == RejectReason.TOO_SHORT.value()).findFirst().orElseThrow().value());
            assertEquals(50, status.countersOfType(NodeCounters.LOOP_DECISIONS).get(0).value());
            assertEquals("loop decisions: test", status.countersOfType(NodeCounters.LOOP_DECISIONS).get(0).label());
            assertEquals(50, status.value(NodeCounters.LAST_SEQUENCE, -1));
            assertTrue(status.value(NodeCounters.JOURNAL_INGRESS_BYTES, 0) > 50 * 20);
            assertTrue(status.info().contains("mode=SIMULATED"), status.info());
        }

        final NodeStatus stopped = NodeStatus.read(dataDir);
        assertFalse(stopped.isRunning(System.currentTimeMillis()));
        assertEquals("stopped", stopped.state(System.currentTimeMillis()));
        assertEquals(50, stopped.value(NodeCounters.INPUTS, -1), "a stopped node's last figures stay readable");
    }

    @Test
    void aDirectoryWithoutAStatusFileIsNamed(@TempDir final Path empty)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> NodeStatus.read(empty));
        assertTrue(ex.getMessage().contains("no node status in " + empty), ex.getMessage());
    }
}
