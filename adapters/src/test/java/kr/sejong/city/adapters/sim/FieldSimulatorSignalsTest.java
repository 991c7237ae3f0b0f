package kr.sejong.city.adapters.sim;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SignalCommandEncoder;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.TickDecoder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator against a node played by the test: topologies first, then in SIMULATED pacing each Tick
 * waits for one command per intersection before the step's frames go out (or for the timeout); in LIVE
 * pacing commands apply as they come.
 */
class FieldSimulatorSignalsTest
{
    private static final String CHANNEL = "aeron:ipc";
    private static final int INGRESS_STREAM = 1001;
    private static final int EGRESS_STREAM = 1002;
    private static final long STEP_NS = CityClock.SECOND_NS;
    private static final long START_NS = Recording.localNs(2025, 6, 16, 8, 0);

    private MediaDriver driver;
    private Aeron aeron;
    private ExclusivePublication ingress;
    private Subscription node;
    private ExclusivePublication nodeEgress;
    private Subscription egress;
    private final List<byte[]> received = new ArrayList<>();
    private final AtomicLong nanoTime = new AtomicLong(1_000_000_000L);
    private final SignalizedField layouts = new SignalizedField(Recording.CITY, 0);

    @BeforeEach
    void startAeron()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        ingress = aeron.addExclusivePublication(CHANNEL, INGRESS_STREAM);
        node = aeron.addSubscription(CHANNEL, INGRESS_STREAM);
        nodeEgress = aeron.addExclusivePublication(CHANNEL, EGRESS_STREAM);
        egress = aeron.addSubscription(CHANNEL, EGRESS_STREAM);
        FieldSimulatorTest.await("connected", () -> ingress.isConnected() && node.isConnected() && egress.isConnected());
    }

    @AfterEach
    void stopAeron()
    {
        CloseHelper.closeAll(aeron, driver);
    }

    @Test
    void simulatedPacingAppliesTheAnswerToEachTickBeforeTheStep()
    {
        final FieldModel model = new FieldModel(Recording.CITY, 7);
        final FieldSimulator simulator = simulator(model, FieldSimulator.Pacing.SIMULATED, egress, 3);
        simulator.onStart();
        runUntilIdle(simulator);
        assertEquals(List.of("12 x IntersectionTopology", "Tick 0"), summary(), "topologies, the first Tick, then a wait");
        assertEquals(0, simulator.doWork(), "waiting for the commands: no work");
        assertEquals(0, simulator.steps());

        // the node answers: everything red at every intersection but one command short
        final List<IntersectionLayout> all = layouts.layouts();
        for (int i = 0; i < all.size() - 1; i++)
        {
            command(all.get(i).intersectionId(), "r".repeat(all.get(i).movementCount()));
        }
        runUntilIdle(simulator);
        assertEquals(0, simulator.steps(), "one intersection has not answered yet");
        final IntersectionLayout last = all.get(all.size() - 1);
        command(last.intersectionId(), "r".repeat(last.movementCount()));
        runUntilIdle(simulator);
        assertEquals(1, simulator.steps());
        assertEquals("r".repeat(last.movementCount()), model.signals().shown(last.intersectionId()));
        assertEquals(12, simulator.commandsReceived());
        assertEquals(0, simulator.commandTimeouts());
        final List<String> frames = summary();
        assertEquals("Tick 1", frames.get(frames.size() - 1), "the step, ending with its observations, then the next Tick");
        assertEquals("12 x LaneObservations", frames.get(frames.size() - 2));

        // no answer to Tick 1: after the timeout the step goes on with the states it has
        nanoTime.addAndGet(999_000_000L);
        runUntilIdle(simulator);
        assertEquals(1, simulator.steps(), "still within the timeout");
        nanoTime.addAndGet(2_000_000L);
        runUntilIdle(simulator);
        assertEquals(2, simulator.steps());
        assertEquals(1, simulator.commandTimeouts());
    }

    @Test
    void anIntersectionTheNodeNeverAnswersIsWaitedForTwiceAndALostAnswerIsRecountedAfterTwoTimeouts()
    {
        final FieldModel model = new FieldModel(Recording.CITY, 7);
        final FieldSimulator simulator = simulator(model, FieldSimulator.Pacing.SIMULATED, egress, 6);
        simulator.onStart();
        final List<IntersectionLayout> all = layouts.layouts();
        final IntersectionLayout first = all.get(0);
        final IntersectionLayout last = all.get(all.size() - 1);

        // Ticks 0 and 1: the node never answers the last intersection: two timeouts, then it is not awaited
        for (int tick = 0; tick < 2; tick++)
        {
            runUntilIdle(simulator);
            answer(all.subList(0, all.size() - 1));
            runUntilIdle(simulator);
            assertEquals(tick, simulator.steps(), "waiting for the last intersection");
            nanoTime.addAndGet(1_001_000_000L);
            runUntilIdle(simulator);
            assertEquals(tick + 1, simulator.steps());
        }
        assertEquals(2, simulator.commandTimeouts());

        // Tick 2: the first intersection's answer is lost; Tick 3 answered in full, yet it is one behind
        answer(all.subList(1, all.size() - 1));
        runUntilIdle(simulator);
        assertEquals(2, simulator.steps(), "the first intersection has not answered Tick 2");
        nanoTime.addAndGet(1_001_000_000L);
        runUntilIdle(simulator);
        assertEquals(3, simulator.commandTimeouts());
        answer(all.subList(0, all.size() - 1));
        runUntilIdle(simulator);
        assertEquals(3, simulator.steps(), "still one behind: it might be late");
        nanoTime.addAndGet(1_001_000_000L);
        runUntilIdle(simulator);
        assertEquals(4, simulator.commandTimeouts(), "behind twice in a row: its answer was lost, counted from here");

        // Tick 4: answered in full (the last intersection is not awaited): no wait
        answer(all.subList(0, all.size() - 1));
        runUntilIdle(simulator);
        assertEquals(5, simulator.steps());
        assertEquals(4, simulator.commandTimeouts());
        assertEquals("r".repeat(first.movementCount()), model.signals().shown(first.intersectionId()));
        assertEquals(last.programStateAt(START_NS + 4 * STEP_NS), model.signals().shown(last.intersectionId()),
            "never commanded: its own program");
    }

    @Test
    void anEgressThatNeverConnectsCostsOneTimeoutThenTheFieldRunsOnItsOwn()
    {
        final Subscription nobody = aeron.addSubscription(CHANNEL, 1003);
        final FieldModel model = new FieldModel(Recording.CITY, 7);
        final FieldSimulator simulator = simulator(model, FieldSimulator.Pacing.SIMULATED, nobody, 1);
        simulator.onStart();
        runUntilIdle(simulator);
        assertEquals(List.of("12 x IntersectionTopology"), summary(), "no Tick before the egress listens");
        nanoTime.addAndGet(1_001_000_000L);
        runUntilIdle(simulator);
        assertEquals(1, simulator.commandTimeouts());
        nanoTime.addAndGet(1_001_000_000L);
        runUntilIdle(simulator);
        assertEquals(2, simulator.commandTimeouts(), "and the Tick's commands never came either");
        assertTrue(simulator.isDone());
        assertEquals(layouts.layouts().get(0).programStateAt(START_NS), model.signals().shown(101), "its own program");
    }

    @Test
    void livePacingAppliesWhateverHasArrived()
    {
        final AtomicLong clockNs = new AtomicLong(START_NS + STEP_NS / 2);
        final FieldModel model = new FieldModel(Recording.CITY, 7);
        final FieldSimulator simulator = new FieldSimulator(new FieldSimulator.Context()
            .model(model)
            .publication(ingress)
            .egress(egress)
            .pacing(FieldSimulator.Pacing.LIVE)
            .startTimeNs(START_NS)
            .epochNanoClock(clockNs::get));
        simulator.onStart();
        runUntilIdle(simulator);
        final String green = "G".repeat(layouts.layouts().get(0).movementCount());
        command(101, green);
        command(101, "r".repeat(green.length())); // the last one counts
        command(4242, "rr");                       // not one of ours: ignored
        clockNs.set(START_NS + STEP_NS);
        runUntilIdle(simulator);
        assertEquals(1, simulator.steps(), "no waiting in live pacing");
        assertEquals("r".repeat(green.length()), model.signals().shown(101));
        assertEquals(3, simulator.commandsReceived());
        assertEquals(1, model.signals().commandsIgnored());
        assertEquals(List.of("12 x IntersectionTopology", "12 x LaneObservations"), summary().subList(0, 2));
    }

    private FieldSimulator simulator(final FieldModel model, final FieldSimulator.Pacing pacing, final Subscription egress,
        final long steps)
    {
        return new FieldSimulator(new FieldSimulator.Context()
            .model(model)
            .publication(ingress)
            .egress(egress)
            .pacing(pacing)
            .startTimeNs(START_NS)
            .stepLimit(steps)
            .commandTimeoutMs(1000)
            .nanoClock(nanoTime::get));
    }

    private void runUntilIdle(final FieldSimulator simulator)
    {
        for (int idle = 0; idle < 50; )
        {
            final int work = simulator.doWork();
            final int polled = node.poll((buffer, offset, length, header) ->
            {
                final byte[] frame = new byte[length];
                buffer.getBytes(offset, frame);
                received.add(frame);
            }, 1024);
            idle = work + polled == 0 ? idle + 1 : 0;
            Thread.yield();
        }
    }

    private void answer(final List<IntersectionLayout> intersections)
    {
        for (final IntersectionLayout layout : intersections)
        {
            command(layout.intersectionId(), "r".repeat(layout.movementCount()));
        }
    }

    private void command(final long intersectionId, final String state)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final SignalCommandEncoder encoder = new SignalCommandEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .intersectionId(intersectionId)
            .mode(SignalMode.ADAPTIVE)
            .phaseIndex(0)
            .durationMs(0)
            .reason(SignalReason.MIN_GREEN)
            .signalState(state);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        FieldSimulatorTest.await("command sent", () -> nodeEgress.offer(buffer, 0, length) > 0);
    }

    /** The frames received so far, runs of one kind collapsed ("12 x LaneObservations"), other kinds left out. */
    private List<String> summary()
    {
        final List<String> summary = new ArrayList<>();
        String run = null;
        int count = 0;
        for (final byte[] frame : received)
        {
            final int templateId = Recording.templateId(frame);
            final String kind = switch (templateId)
            {
                case IntersectionTopologyDecoder.TEMPLATE_ID -> "IntersectionTopology";
                case LaneObservationsDecoder.TEMPLATE_ID -> "LaneObservations";
                case TickDecoder.TEMPLATE_ID -> "Tick " + new TickDecoder().wrapAndApplyHeader(new UnsafeBuffer(frame), 0,
                    new kr.sejong.city.codecs.MessageHeaderDecoder()).tickNumber();
                default -> null;
            };
            if (kind == null)
            {
                continue;
            }
            if (kind.equals(run))
            {
                count++;
                continue;
            }
            if (run != null)
            {
                summary.add(count == 1 ? run : count + " x " + run);
            }
            run = kind;
            count = 1;
        }
        if (run != null)
        {
            summary.add(count == 1 ? run : count + " x " + run);
        }
        return summary;
    }
}
