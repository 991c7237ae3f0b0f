package kr.sejong.city.adapters.sim;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import kr.sejong.city.codecs.IngressRecordDecoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.core.journal.JournalReader;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real node in simulated mode (embedded media driver, Chronicle journal, no loops) fed by the simulator
 * on its own thread through a real Aeron client: the ingress journal holds exactly the model's frames,
 * topologies first, then Ticks and steps in order, each stamped with its step's Tick time. (With the
 * signal loop and the egress: {@link SignalClosedLoopEndToEndTest}.)
 */
class FieldSimulatorEndToEndTest
{
    private static final int STEPS = 300;
    private static final long STEP_NS = CityClock.SECOND_NS;
    private static final long SEED = 20240501L;

    @TempDir
    Path dataDir;

    @Test
    void theNodeJournalsExactlyTheModelsFramesStampedWithTheTickTimes()
    {
        final long startNs = Recording.localNs(2025, 6, 16, 7, 55);
        final AtomicReference<Throwable> simulatorError = new AtomicReference<>();
        final ControlNode.Context ctx = new ControlNode.Context()
            .dataDir(dataDir)
            .mode(NodeMode.SIMULATED)
            .termBufferLength(64 * 1024) // small terms: the simulator meets back-pressure and must wait, not drop
            .maxFrameLength(8 * 1024);
        final long published;
        final long backPressure;
        try (ControlNode node = ControlNode.launch(ctx);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName())))
        {
            final ExclusivePublication ingress = aeron.addExclusivePublication(
                node.context().ingressChannel(), node.context().ingressStreamId());
            final FieldSimulator simulator = new FieldSimulator(new FieldSimulator.Context()
                .model(new FieldModel(Recording.CITY, SEED))
                .publication(ingress)
                .pacing(FieldSimulator.Pacing.SIMULATED)
                .startTimeNs(startNs)
                .stepLimit(STEPS));
            final AgentRunner runner = new AgentRunner(
                new BackoffIdleStrategy(), simulatorError::set, null, simulator);
            AgentRunner.startOnThread(runner);
            try
            {
                await("the simulator's " + STEPS + " steps journaled", () ->
                    simulator.isDone() && node.counters().inputs() + node.counters().rejects() == simulator.framesPublished());
            }
            finally
            {
                CloseHelper.close(runner);
            }
            assertNull(simulatorError.get(), "simulator error");
            assertEquals(0, node.counters().rejects(), "rejects");
            published = simulator.framesPublished();
            backPressure = simulator.backPressureEvents();
        }
        System.out.println("end to end: " + published + " frames in " + STEPS + " steps, " + backPressure + " back-pressure retries");

        // the same model, stepped alone, with the Ticks the simulator leads each step with, after the
        // topologies (before the first Tick a fresh journal stamps its time 0); no egress given: the
        // intersections run their own programs, so the model alone gives the same frames
        final FieldModel model = new FieldModel(Recording.CITY, SEED);
        final Recording topologies = new Recording();
        model.topologies(topologies);
        final List<byte[]> expected = new ArrayList<>(topologies.frames);
        final List<Long> stamps = new ArrayList<>();
        topologies.frames.forEach(frame -> stamps.add(0L));
        for (int i = 0; i < STEPS; i++)
        {
            final long fromNs = startNs + i * STEP_NS;
            expected.add(FieldSimulatorTest.tick(fromNs, STEP_NS, i));
            stamps.add(fromNs);
            final Recording step = Recording.run(model, fromNs, 1, STEP_NS);
            expected.addAll(step.frames);
            step.frames.forEach(frame -> stamps.add(fromNs));
        }
        assertEquals(expected.size(), published);

        int index = 0;
        try (JournalReader reader = JournalReader.ingress(dataDir))
        {
            while (reader.next())
            {
                final IngressRecordDecoder record = reader.ingressRecord();
                assertTrue(index < expected.size(), "more journal entries than frames sent");
                assertEquals(index, record.sequence(), "sequence");
                final long timeNs = record.timeNs();
                final JournalRecordKind kind = record.kind();
                final byte[] frame = new byte[record.frameLength()];
                record.getFrame(frame, 0, frame.length);
                assertEquals(JournalRecordKind.INPUT, kind, "entry " + index);
                assertEquals(stamps.get(index).longValue(), timeNs, "stamp of entry " + index);
                assertArrayEquals(expected.get(index), frame, "frame of entry " + index);
                index++;
            }
        }
        assertEquals(expected.size(), index, "journal entries");
    }

    private static void await(final String what, final java.util.function.BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.yield();
        }
    }
}
