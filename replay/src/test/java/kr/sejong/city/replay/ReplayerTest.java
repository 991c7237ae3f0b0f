package kr.sejong.city.replay;

import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.LoadedConfig;
import kr.sejong.city.core.journal.Journal;
import kr.sejong.city.core.journal.Snapshots;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.testing.SummingLoop;
import kr.sejong.city.core.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayerTest
{
    private static final LoadedConfig CITY = ConfigLoader.loadDefault();
    private static final long START_NS = 1_800_000_000_000_000_000L;

    @TempDir
    Path tmp;

    private static ControlNode.Context context(final Path dataDir, final byte[] config, final long snapshotInterval)
    {
        return new ControlNode.Context()
            .dataDir(dataDir)
            .mode(NodeMode.SIMULATED)
            .snapshotInterval(snapshotInterval)
            .configSnapshot("sejong-5-1.yaml", config)
            .addLoop(new SummingLoop());
    }

    /** Record a run: ticks, observations and a bad frame; returns the inputs sent. */
    private static int record(final Path dataDir, final byte[] config, final long snapshotInterval, final int from, final int count)
    {
        try (ControlNode node = ControlNode.launch(context(dataDir, config, snapshotInterval)); TestClient client = new TestClient(node))
        {
            for (int i = from; i < from + count; i++)
            {
                if (i % 10 == 0)
                {
                    client.sendWithoutPollingEgress(client.tick(START_NS + i * 100_000_000L, i));
                }
                else if (i % 997 == 0)
                {
                    client.sendWithoutPollingEgress(new byte[]{ 1, 2, 3 });
                }
                else
                {
                    client.sendWithoutPollingEgress(client.detectorObservation(i, 100 + i % 7, i % 23));
                }
            }
            TestClient.awaitCondition("journaled", () -> node.counters().inputs() + node.counters().rejects() == count + 1, 60);
        }
        return count;
    }

    private static Replayer.Options options(final Path dataDir)
    {
        return new Replayer.Options(dataDir).loopFactory(config -> List.of(new SummingLoop()));
    }

    private static String finalSnapshotDigest(final Path dataDir, final byte[] config)
    {
        final Snapshots.Snapshot snapshot = Snapshots.latest(dataDir, ControlNode.sha256(config), Long.MAX_VALUE);
        assertNotNull(snapshot);
        return snapshot.digest();
    }

    @Test
    void verifyReplaysEveryInputAndFindsTheRecordedEgressByteForByte()
    {
        final Path data = tmp.resolve("data");
        record(data, CITY.yamlBytes(), 0, 0, 5_000);

        final Replayer.Result result = new Replayer(options(data).verify(true)).run();

        assertTrue(result.ok(), String.valueOf(result.divergence()) + result.chainBreaks());
        assertEquals(5_001, result.inputs(), "every input, the ConfigSnapshot included");
        assertEquals(result.outputs(), result.outputsCompared());
        assertEquals(kr.sejong.city.core.testing.JournalContents.egress(data).size(), result.outputsCompared(),
            "every recorded output was compared");
        assertEquals(finalSnapshotDigest(data, CITY.yamlBytes()), result.stateDigest(),
            "the replayed state is the state the node stopped with");
        assertNull(result.startedFromSnapshot());
    }

    @Test
    void aLoopThatDecidesDifferentlyIsCaughtAtTheFirstDivergenceWithTheDifferingField()
    {
        final Path data = tmp.resolve("data");
        record(data, CITY.yamlBytes(), 0, 0, 500);

        final Replayer.Result result = new Replayer(options(data).verify(true)
            .loopFactory(config -> List.of(new SummingLoop(1)))).run();

        assertFalse(result.ok());
        final Replayer.Divergence divergence = result.divergence();
        assertNotNull(divergence);
        assertEquals(2, divergence.inputSequence(), "the first observation (input 1 is a Tick at sequence 1)");
        assertEquals("SignalCommand", divergence.message());
        assertTrue(divergence.fields().stream().anyMatch(f -> f.startsWith("durationMs:")), divergence.toString());
        assertEquals(1, divergence.fields().size(), "only the count differs: " + divergence);
        assertTrue(result.inputs() < 10, "it stops at the first divergence");
    }

    @Test
    void snapshotPlusTailGivesTheSameDigestAsAFullReplay()
    {
        final Path data = tmp.resolve("data");
        record(data, CITY.yamlBytes(), 700, 0, 5_000);

        final Replayer.Result full = new Replayer(options(data).verify(true)).run();
        final Replayer.Result tail = new Replayer(options(data).verify(true).from(Position.ofSequence(3_000))).run();

        assertTrue(full.ok() && tail.ok(), full.divergence() + " / " + tail.divergence());
        // a snapshot after every 700th input: sequences 699, 1399, 2099, 2799 (the ConfigSnapshot is input 0)
        assertEquals(2_799, tail.startedFromSnapshot(), "the nearest earlier snapshot");
        assertEquals(2_800, tail.firstSequence());
        assertEquals(full.stateDigest(), tail.stateDigest());
        assertTrue(tail.inputs() < full.inputs());
    }

    @Test
    void stateCarriesOverARestartWithTheSameConfigAndStartsFreshWithAnother()
    {
        final Path data = tmp.resolve("data");
        record(data, CITY.yamlBytes(), 0, 0, 1_000);
        record(data, CITY.yamlBytes(), 0, 1_000, 1_000); // restart, same configuration: the loops carry on
        final byte[] other = (new String(CITY.yamlBytes(), StandardCharsets.UTF_8) + "\n# another revision\n").getBytes(StandardCharsets.UTF_8);
        record(data, other, 0, 2_000, 1_000);            // another configuration: fresh loops

        final Replayer.Result result = new Replayer(options(data).verify(true)).run();
        assertTrue(result.ok(), String.valueOf(result.divergence()));
        assertEquals(3_003, result.inputs());
        assertEquals(finalSnapshotDigest(data, other), result.stateDigest());
    }

    @Test
    void anEditedByteIsReportedWithItsSequence() throws IOException
    {
        final Path data = tmp.resolve("data");
        record(data, CITY.yamlBytes(), 0, 0, 2_000);

        // detector 1234's observation starts with detectorId 1234 and intersectionId 102 (little-endian):
        // change its vehicle count, 12 bytes further on
        final int sequence = 1_235; // input i is journaled at sequence i + 1 (the ConfigSnapshot is 0)
        final byte[] pattern = new byte[8];
        System.arraycopy(le(1234), 0, pattern, 0, 4);
        System.arraycopy(le(100 + 1234 % 7), 0, pattern, 4, 4);
        editFirst(Journal.ingressDir(data), pattern, 12, (byte)99);

        final Replayer.Result result = new Replayer(options(data).verify(true)).run();
        assertFalse(result.ok());
        assertEquals(1, result.chainBreaks().stream().filter(b -> b.journal().equals("ingress")).count(), result.chainBreaks().toString());
        assertEquals(sequence, result.chainBreaks().get(0).sequence());
    }

    @Test
    void badInputGetsOneClearMessage() throws IOException
    {
        final Path notADir = Files.writeString(tmp.resolve("file"), "x");
        assertMessage("is not a directory", () -> new Replayer(options(notADir)).run());
        final Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertMessage("is not a node's data directory", () -> new Replayer(options(empty)).run());

        final Path data = tmp.resolve("data");
        record(data, CITY.yamlBytes(), 0, 0, 100);
        assertMessage("outside the journal (sequences 0 to 100)", () -> new Replayer(options(data).from(Position.ofSequence(500))).run());
        assertMessage("is outside the journal", () -> new Replayer(options(data).from(Position.ofTime(START_NS + 3_600_000_000_000L))).run());
        assertMessage("--to sequence 1000 is outside the journal", () -> new Replayer(options(data).to(Position.ofSequence(1000))).run());
        assertMessage("is before --from", () -> new Replayer(options(data).from(Position.ofSequence(50)).to(Position.ofSequence(20))).run());
        assertMessage("neither a sequence number nor a time", () -> Position.parse("yesterday", java.time.ZoneId.of("Asia/Seoul")));
    }

    private static void assertMessage(final String expected, final org.junit.jupiter.api.function.Executable executable)
    {
        final ReplayException ex = assertThrows(ReplayException.class, executable);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    private static byte[] le(final int value)
    {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    /** Find the first occurrence of {@code pattern} in the queue's files and overwrite the byte {@code delta} after it. */
    private static void editFirst(final Path queueDir, final byte[] pattern, final int delta, final byte value) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(queueDir))
        {
            list.filter(p -> p.toString().endsWith(".cq4")).sorted().forEach(files::add);
        }
        for (final Path file : files)
        {
            final byte[] bytes = Files.readAllBytes(file);
            outer:
            for (int i = 0; i + pattern.length < bytes.length; i++)
            {
                for (int j = 0; j < pattern.length; j++)
                {
                    if (bytes[i + j] != pattern[j])
                    {
                        continue outer;
                    }
                }
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.seek(i + delta);
                    assertNotEquals(value, raf.readByte());
                    raf.seek(i + delta);
                    raf.writeByte(value);
                }
                return;
            }
        }
        throw new AssertionError("pattern not found in " + queueDir);
    }
}
