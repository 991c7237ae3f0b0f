package kr.sejong.city.core.runtime;

import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.core.journal.Snapshots;
import kr.sejong.city.core.testing.CrashableNode;
import kr.sejong.city.core.testing.JournalContents;
import kr.sejong.city.core.testing.JournalSurgery;
import kr.sejong.city.core.testing.SummingLoop;
import kr.sejong.city.core.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node restarting on its data directory rebuilds its loops' state and loses nothing that was journaled. */
class RecoveryTest
{
    private static final int INPUTS = 6_000;

    @TempDir
    Path tmp;

    /** Input i of the test stream: a Tick every tenth, else an observation of detector i. */
    private static byte[] input(final TestClient client, final int i)
    {
        return i % 10 == 0
            ? client.tick(1_800_000_000_000_000_000L + i * 100_000_000L, i)
            : client.detectorObservation(i, 100 + i % 7, i % 23);
    }

    private static void feed(final TestClient client, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            client.sendWithoutPollingEgress(input(client, i));
        }
    }

    private static ControlNode.Context context(final Path dataDir)
    {
        return CrashableNode.context(dataDir);
    }

    private static String finalDigest(final Path dataDir)
    {
        final Snapshots.Snapshot snapshot = Snapshots.latest(dataDir, ControlNode.sha256(CrashableNode.CONFIG), Long.MAX_VALUE);
        assertNotNull(snapshot, "a clean stop leaves a snapshot");
        return snapshot.digest();
    }

    private static void runUninterrupted(final Path dataDir)
    {
        try (ControlNode node = ControlNode.launch(context(dataDir)); TestClient client = new TestClient(node))
        {
            feed(client, 0, INPUTS);
            TestClient.awaitCondition("all journaled", () -> node.counters().inputs() == INPUTS + 1, 60);
        }
    }

    @Test
    void killedWithSigkillMidStreamTheNodeRestartsAndEndsInTheSameStateAsAnUninterruptedRun() throws Exception
    {
        final Path uninterrupted = tmp.resolve("uninterrupted");
        runUninterrupted(uninterrupted);

        final Path crashed = tmp.resolve("crashed");
        final Process child = startChild(crashed);
        final String aeronDir = awaitReady(child);
        try (TestClient client = new TestClient(aeronDir, context(crashed).conclude()))
        {
            feed(client, 0, INPUTS / 2);
            TestClient.awaitCondition("the child journaled a good part", () -> NodeStatus.read(crashed).value(NodeCounters.INPUTS, 0) > 2_000, 60);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no final snapshot, no flush
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");

        // the adapter resumes after the last input the journal holds
        final List<JournalContents.In> journaled = JournalContents.ingress(crashed);
        final int resumeAt = lastInputIndex(journaled) + 1;
        assertTrue(resumeAt > 2_000 && resumeAt <= INPUTS / 2, "resume at " + resumeAt);
        final long lastSequence = journaled.get(journaled.size() - 1).sequence();

        try (ControlNode node = ControlNode.launch(context(crashed)); TestClient client = new TestClient(node))
        {
            assertEquals(lastSequence + 1, node.firstSequence(), "no gap, no repeat");
            assertTrue(node.recoverySummary().contains("rebuilt from"), node.recoverySummary());
            feed(client, resumeAt, INPUTS);
            TestClient.awaitCondition("the rest journaled", () -> node.counters().inputs() == 1 + INPUTS - resumeAt, 60);
        }
        final List<JournalContents.In> all = JournalContents.ingress(crashed);
        for (int i = 0; i < all.size(); i++)
        {
            assertEquals(i, all.get(i).sequence(), "sequence " + i);
        }
        assertEquals(finalDigest(uninterrupted), finalDigest(crashed), "final state digest equals the uninterrupted run's");
    }

    @Test
    void outputsLostBetweenJournalingAnInputAndItsDecisionAreSentOnRestart()
    {
        final Path original = tmp.resolve("original");
        runUninterrupted(original);
        final List<JournalContents.Out> expected = JournalContents.egress(original);
        assertTrue(expected.size() > 1000);

        // what a crash can leave: every input journaled, the egress journal short of the last decisions
        final Path crashed = tmp.resolve("crashed");
        JournalSurgery.copy(original, crashed, true, Long.MAX_VALUE);
        final int kept = expected.size() - 137;
        JournalSurgery.copy(original, crashed, false, kept);

        try (ControlNode node = ControlNode.launch(context(crashed)))
        {
            assertTrue(node.recoverySummary().contains("137 lost outputs sent again"), node.recoverySummary());
        }
        final List<JournalContents.Out> recovered = JournalContents.egress(crashed);
        assertEquals(expected.size(), recovered.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i).entry(), recovered.get(i).entry(), "egress entry " + i + " (chain hash included)");
        }
    }

    @Test
    void aTornLastEntryIsReportedAndSkippedAndTheSequenceContinues()
    {
        final Path original = tmp.resolve("original");
        runUninterrupted(original);
        final List<JournalContents.In> in = JournalContents.ingress(original);
        final Path torn = tmp.resolve("torn");
        JournalSurgery.copy(original, torn, true, Long.MAX_VALUE);
        JournalSurgery.copy(original, torn, false, Long.MAX_VALUE);
        final byte[] last = in.get(in.size() - 1).entry();
        JournalSurgery.appendRaw(torn, List.of(Arrays.copyOf(last, last.length - 5))); // cut short mid-write

        try (ControlNode node = ControlNode.launch(context(torn)); TestClient client = new TestClient(node))
        {
            assertEquals(in.size(), node.firstSequence(), "continues after the last whole entry");
            assertTrue(NodeStatus.read(torn).errors().stream().anyMatch(e -> e.contains("recovery") && e.contains("skipped")),
                "the torn entry is reported: " + NodeStatus.read(torn).errors());
            client.sendWithoutPollingEgress(client.detectorObservation(1, 1, 1));
            TestClient.awaitCondition("journaled", () -> node.counters().inputs() == 2, 30);
        }
        final List<JournalContents.In> after = JournalContents.ingress(torn);
        assertEquals(in.size() + 2, after.size(), "the torn entry is never read as data");
        assertEquals(in.size() + 1, after.get(after.size() - 1).sequence());
    }

    @Test
    void aSnapshotOfAnotherStateLayoutIsNotRestoredTheJournalIsReplayedInstead()
    {
        final Path data = tmp.resolve("data");
        runUninterrupted(data); // leaves snapshots written by state version 1
        final String expected = finalDigest(data);

        // a newer build of the same loop whose state layout changed
        final ControlNode.Context newer = context(data).loops(List.of(new SummingLoop(0, 2)));
        try (ControlNode node = ControlNode.launch(newer))
        {
            assertTrue(node.recoverySummary().contains("rebuilt from the epoch's start"), node.recoverySummary());
            assertTrue(NodeStatus.read(data).errors().stream().anyMatch(e -> e.contains("another state layout")),
                "the skipped snapshot is reported");
        }
        final Snapshots.Snapshot latest = Snapshots.latest(data, ControlNode.sha256(CrashableNode.CONFIG), Long.MAX_VALUE);
        assertEquals(2, latest.loops().get(0).stateVersion(), "the clean stop wrote a snapshot of the new layout");
        assertEquals(expected, latest.digest(), "and the state rebuilt from the journal is the same state");
    }

    private static int lastInputIndex(final List<JournalContents.In> journaled)
    {
        for (int i = journaled.size() - 1; i >= 0; i--)
        {
            final byte[] frame = journaled.get(i).frame();
            final var buffer = JournalContents.buffer(frame);
            final int templateId = buffer.getShort(2) & 0xFFFF;
            if (templateId == kr.sejong.city.codecs.TickDecoder.TEMPLATE_ID)
            {
                return (int)buffer.getLong(MessageHeaderEncoder.ENCODED_LENGTH + kr.sejong.city.codecs.TickDecoder.tickNumberEncodingOffset());
            }
            if (templateId == kr.sejong.city.codecs.DetectorObservationDecoder.TEMPLATE_ID)
            {
                return buffer.getInt(MessageHeaderEncoder.ENCODED_LENGTH);
            }
        }
        return -1;
    }

    private static Process startChild(final Path dataDir) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-D")).toList());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashableNode.class.getName());
        command.add(dataDir.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /**
     * The child's READY line, within a minute. The child's output is read on a thread of its own: a child whose
     * main thread failed can stay alive (the media driver's threads are not daemons) and never close its
     * output, and the test must then fail with what the child said rather than wait for ever.
     */
    private static String awaitReady(final Process child) throws IOException
    {
        final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignored)
            {
                // the child is gone
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        final StringBuilder seen = new StringBuilder();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadlineNs)
        {
            final String line;
            try
            {
                line = lines.poll(100, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
            if (line == null)
            {
                if (!child.isAlive() && lines.isEmpty() && !reader.isAlive())
                {
                    break;
                }
                continue;
            }
            if (line.startsWith("READY "))
            {
                return line.substring("READY ".length());
            }
            seen.append(line).append('\n');
        }
        child.destroyForcibly();
        throw new AssertionError("the child node did not start within 60 s:\n" + seen);
    }
}
