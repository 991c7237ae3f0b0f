package kr.sejong.city.core.runtime;

import kr.sejong.city.core.testing.JournalContents;
import kr.sejong.city.core.testing.TestClient;
import kr.sejong.city.core.testing.TestLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** In simulated mode the same input gives byte-identical journals and egress, run after run. */
class DeterminismTest
{
    @TempDir
    Path tmp;

    @Test
    void theSameInputTwiceGivesIdenticalJournalsAndEgress()
    {
        final Run first = run(tmp.resolve("a"), 1234);
        final Run second = run(tmp.resolve("b"), 1234);

        assertEquals(first.in.size(), second.in.size());
        for (int i = 0; i < first.in.size(); i++)
        {
            assertArrayEquals(first.in.get(i), second.in.get(i), "ingress journal entry " + i);
        }
        assertEquals(first.out.size(), second.out.size());
        for (int i = 0; i < first.out.size(); i++)
        {
            assertArrayEquals(first.out.get(i), second.out.get(i), "egress journal entry " + i);
        }
        assertEquals(first.received.size(), second.received.size());
        for (int i = 0; i < first.received.size(); i++)
        {
            assertArrayEquals(first.received.get(i), second.received.get(i), "egress frame " + i);
        }

        // and the comparison can fail: other input gives other bytes
        final Run other = run(tmp.resolve("c"), 4321);
        assertNotEquals(digest(first.out), digest(other.out));
    }

    private record Run(List<byte[]> in, List<byte[]> out, List<byte[]> received)
    {
    }

    private static Run run(final Path dataDir, final long seed)
    {
        final ControlNode.Context ctx = new ControlNode.Context()
            .dataDir(dataDir)
            .mode(NodeMode.SIMULATED)
            .configSnapshot("determinism.yaml", "seed: 1\n".getBytes(StandardCharsets.UTF_8))
            .addLoop(new TestLoop());
        final List<byte[]> received = new ArrayList<>();
        int expectedOut = 0;
        try (ControlNode node = ControlNode.launch(ctx); TestClient client = new TestClient(node))
        {
            final SplittableRandom random = new SplittableRandom(seed);
            long timeNs = 1_764_000_000_000_000_000L; // a simulated morning
            for (int tick = 0; tick < 200; tick++)
            {
                timeNs += 100_000_000L;
                client.send(client.tick(timeNs, tick));
                expectedOut++;
                final int observations = random.nextInt(20);
                for (int i = 0; i < observations; i++)
                {
                    client.send(client.detectorObservation(random.nextInt(64), 101 + random.nextInt(8), random.nextInt(30)));
                    expectedOut++;
                }
                if (tick % 50 == 0)
                {
                    client.send(new byte[]{ 9, 9, 9, 9, 9, 9, 9, 9, 9 }); // a bad frame too: its Reject must repeat as well
                    expectedOut++;
                }
            }
            client.awaitReceived(expectedOut, 60);
            received.addAll(client.received);
        }
        return new Run(
            JournalContents.ingress(dataDir).stream().map(JournalContents.In::entry).toList(),
            JournalContents.egress(dataDir).stream().map(JournalContents.Out::entry).toList(),
            received);
    }

    private static int digest(final List<byte[]> entries)
    {
        int hash = 1;
        for (final byte[] entry : entries)
        {
            hash = 31 * hash + java.util.Arrays.hashCode(entry);
        }
        return hash;
    }
}
