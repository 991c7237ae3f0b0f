package kr.sejong.city.adapters.sim;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Traffic;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.testing.JournalContents;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The field simulator closed-loop with the signal loop: a real node in simulated mode with the city's real
 * loops ({@link Loops#create}), the simulator in SIMULATED pacing on its own thread reading the node's
 * egress, ten minutes of the default city's morning peak.
 */
class SignalClosedLoopEndToEndTest
{
    private static final CityConfig CITY = Recording.CITY;
    private static final int STEPS = 600;
    private static final long STEP_NS = CityClock.SECOND_NS;
    private static final long START_NS = Recording.localNs(2025, 6, 16, 7, 55);
    private static final long SEED = 20240501L;

    @TempDir
    Path first;
    @TempDir
    Path second;

    /** What one run left behind. */
    private record Run(List<JournalContents.In> ingress, List<JournalContents.Out> egress, double delayS, long departed,
        int queued, int maxLaneQueue, long timeouts, long commandsReceived)
    {
    }

    @Test
    void theSignalLoopControlsTheSimulatedFieldAndTheRunRepeatsByteForByte()
    {
        final Run run = run(first);

        final int intersections = CITY.traffic().intersections().size();
        assertEquals(12, intersections);

        // the journal: the 12 topologies before the first Tick, then the Ticks
        final List<Long> topologyIds = new ArrayList<>();
        final Map<Long, Integer> tickOfSequence = new HashMap<>();
        int ticks = 0;
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        for (final JournalContents.In in : run.ingress())
        {
            assertEquals(JournalRecordKind.INPUT, in.kind(), "nothing rejected: entry " + in.sequence());
            final UnsafeBuffer frame = new UnsafeBuffer(in.frame());
            if (in.templateId() == IntersectionTopologyDecoder.TEMPLATE_ID)
            {
                assertEquals(0, ticks, "topologies come before the first Tick");
                topologyIds.add(new IntersectionTopologyDecoder().wrapAndApplyHeader(frame, 0, header).intersectionId());
            }
            else if (in.templateId() == TickDecoder.TEMPLATE_ID)
            {
                tickOfSequence.put(in.sequence(), ticks++);
            }
        }
        assertEquals(List.of(101L, 102L, 103L, 104L, 105L, 106L, 107L, 108L, 201L, 202L, 203L, 204L), topologyIds);
        assertEquals(STEPS, ticks);

        // every Tick answered by one command per intersection, ascending; the other loops' frames (energy) skipped
        final long[][] answered = new long[STEPS][];
        final SignalCommandDecoder command = new SignalCommandDecoder();
        int overrides = 0;
        int adaptiveDecisions = 0;
        for (final JournalContents.Out out : run.egress())
        {
            final UnsafeBuffer frame = new UnsafeBuffer(out.frame());
            header.wrap(frame, 0);
            assertTrue(header.templateId() != RejectDecoder.TEMPLATE_ID, "a Reject on egress");
            if (header.templateId() != SignalCommandDecoder.TEMPLATE_ID)
            {
                continue;
            }
            final Integer tick = tickOfSequence.get(out.inputSequence());
            assertTrue(tick != null, "a command answers a Tick, not input " + out.inputSequence());
            command.wrapAndApplyHeader(frame, 0, header);
            final long[] ids = answered[tick] == null ? new long[0] : answered[tick];
            final long[] more = java.util.Arrays.copyOf(ids, ids.length + 1);
            more[ids.length] = command.intersectionId();
            answered[tick] = more;
            overrides += command.reason() == SignalReason.SAFETY_OVERRIDE ? 1 : 0;
            adaptiveDecisions += command.reason() == SignalReason.GAP_OUT || command.reason() == SignalReason.EXTEND_DEMAND ? 1 : 0;
        }
        final long[] ascending = topologyIds.stream().mapToLong(Long::longValue).toArray();
        for (int t = 0; t < STEPS; t++)
        {
            assertArrayEquals(ascending, answered[t], "the commands answering Tick " + t);
        }
        assertEquals(0, overrides, "the loop never had to override itself");
        assertTrue(adaptiveDecisions > 0, "the loop decided on the observations");
        assertEquals(0, run.timeouts(), "every Tick answered in time");
        assertEquals((long)STEPS * intersections, run.commandsReceived());

        // the same seed and the same node: the same journals, ingress and egress, byte for byte
        final Run again = run(second);
        assertEquals(run.ingress().size(), again.ingress().size());
        for (int i = 0; i < run.ingress().size(); i++)
        {
            assertArrayEquals(run.ingress().get(i).entry(), again.ingress().get(i).entry(), "ingress entry " + i);
        }
        assertEquals(run.egress().size(), again.egress().size());
        for (int i = 0; i < run.egress().size(); i++)
        {
            assertArrayEquals(run.egress().get(i).entry(), again.egress().get(i).entry(), "egress entry " + i);
        }
        assertEquals(run.delayS(), again.delayS());

        // the field: finite delay, and queues that stay below what a served field can hold
        assertTrue(Double.isFinite(run.delayS()) && run.delayS() > 0, "delay " + run.delayS());
        final double bound = standingBound(CITY);
        final double delayPerVehicle = run.delayS() / run.departed();
        System.out.printf(java.util.Locale.ROOT, "closed loop, 10 min from 07:55: %,d departed, delay %.1f s per vehicle, "
                + "%d standing at the end (bound %.0f), longest lane queue %d%n",
            run.departed(), delayPerVehicle, run.queued(), bound, run.maxLaneQueue());

        // for comparison: the same field running its own programs, no commands
        final FieldModel own = new FieldModel(CITY, SEED);
        for (int i = 0; i < STEPS; i++)
        {
            own.step(START_NS + i * STEP_NS, START_NS + (i + 1) * STEP_NS, (b, o, l) -> { });
        }
        System.out.printf(java.util.Locale.ROOT, "own programs: delay %.1f s per vehicle, %d standing at the end%n",
            own.signals().totalDelayS() / own.signals().vehiclesDeparted(), own.signals().queuedVehicles());
        assertTrue(run.queued() < bound, run.queued() + " vehicles standing after ten minutes under the signal loop, more than "
            + "the bound of a served field " + bound);
    }

    /**
     * How many vehicles a field whose signals serve its demand can have standing at once: every lane at most
     * the arrivals of the longest red a two-stage junction shows (the other stage's max green, its yellow and
     * all-red, and the start-up lost time), at the peak rate. A field whose queues grow without bound passes
     * it sooner or later; the junctions' own programs come close within these ten minutes.
     */
    static double standingBound(final CityConfig city)
    {
        final Traffic.SignalTiming timing = city.traffic().signalTiming();
        final double longestRedS = (timing.maxGreenMs() + Math.max(3000, timing.yellowMs()) + timing.allRedMs()
            + SignalizedField.LOST_TIME_MS) / 1000.0;
        double arrivalsPerS = 0;
        for (final IntersectionLayout layout : new SignalizedField(city, 0).layouts())
        {
            for (final IntersectionLayout.Lane lane : layout.lanes())
            {
                arrivalsPerS += lane.busLane() ? 1.0 / city.simulator().brtHeadwayS() : city.simulator().peakVehiclesPerHourPerLane() / 3600.0;
            }
        }
        return arrivalsPerS * longestRedS;
    }

    private static Run run(final Path dataDir)
    {
        final AtomicReference<Throwable> simulatorError = new AtomicReference<>();
        final ControlNode.Context ctx = new ControlNode.Context()
            .dataDir(dataDir)
            .mode(NodeMode.SIMULATED)
            .loops(Loops.create(CITY));
        final FieldModel model = new FieldModel(CITY, SEED);
        final FieldSimulator simulator;
        try (ControlNode node = ControlNode.launch(ctx);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName())))
        {
            final ExclusivePublication ingress = aeron.addExclusivePublication(
                node.context().ingressChannel(), node.context().ingressStreamId());
            final Subscription egress = aeron.addSubscription(node.context().egressChannel(), node.context().egressStreamId());
            simulator = new FieldSimulator(new FieldSimulator.Context()
                .model(model)
                .publication(ingress)
                .egress(egress)
                .pacing(FieldSimulator.Pacing.SIMULATED)
                .startTimeNs(START_NS)
                .stepLimit(STEPS)
                .commandTimeoutMs(20_000)); // a slow machine must not make a difference
            final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(), simulatorError::set, null, simulator);
            AgentRunner.startOnThread(runner);
            try
            {
                await("the simulator's " + STEPS + " steps journaled and answered", () ->
                    simulator.isDone() && node.counters().inputs() + node.counters().rejects() == simulator.framesPublished()
                        && simulator.commandsReceived() == (long)STEPS * 12); // other loops (energy) answer Ticks too
            }
            finally
            {
                CloseHelper.close(runner);
            }
            assertNull(simulatorError.get(), "simulator error");
            assertEquals(0, node.counters().rejects(), "rejects");
            assertEquals(0, simulator.rejectsSeen(), "rejects seen on egress");
        }
        final SignalizedField field = model.signals();
        return new Run(JournalContents.ingress(dataDir), JournalContents.egress(dataDir), field.totalDelayS(), field.vehiclesDeparted(),
            field.queuedVehicles(), field.maxLaneQueue(), simulator.commandTimeouts(), simulator.commandsReceived());
    }

    private static void await(final String what, final java.util.function.BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
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
