package kr.sejong.city.app;

import kr.sejong.city.core.journal.Snapshots;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.testing.SummingLoop;
import kr.sejong.city.core.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotCommandTest
{
    @TempDir
    Path dataDir;

    @Test
    void aRunningNodeSnapshotsItsLoopsOnDemand()
    {
        final byte[] config = "snapshot: test\n".getBytes(StandardCharsets.UTF_8);
        final ControlNode.Context ctx = new ControlNode.Context().dataDir(dataDir).mode(NodeMode.SIMULATED)
            .snapshotInterval(0).configSnapshot("t.yaml", config).addLoop(new SummingLoop());
        try (ControlNode node = ControlNode.launch(ctx); TestClient client = new TestClient(node))
        {
            for (int i = 0; i < 40; i++)
            {
                client.sendWithoutPollingEgress(client.detectorObservation(i, 1, 2));
            }
            TestClient.awaitCondition("journaled", () -> node.counters().inputs() == 41, 30);

            final Cli cli = Cli.run("snapshot", "--data", dataDir.toString());
            assertEquals(0, cli.exitCode(), cli.err());
            assertTrue(cli.out().contains("snapshot written"), cli.out());
            final Snapshots.Snapshot snapshot = Snapshots.latest(dataDir, ControlNode.sha256(config), Long.MAX_VALUE);
            assertNotNull(snapshot);
            assertEquals(41, snapshot.sequence(), "right after the request, which is input 41");
        }
    }

    @Test
    void aStoppedNodeIsNamed()
    {
        try (ControlNode ignored = ControlNode.launch(new ControlNode.Context().dataDir(dataDir).mode(NodeMode.SIMULATED)))
        {
            // started and stopped
        }
        final Cli cli = Cli.run("snapshot", "--data", dataDir.toString());
        assertEquals(2, cli.exitCode());
        assertTrue(cli.err().contains("is not running"), cli.err());
    }
}
