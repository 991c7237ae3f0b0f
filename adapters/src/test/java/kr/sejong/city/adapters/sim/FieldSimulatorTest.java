package kr.sejong.city.adapters.sim;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator agent on a real Aeron publication (embedded media driver, small terms so that
 * back-pressure comes quickly), its duty cycles called from the test thread.
 */
class FieldSimulatorTest
{
    private static final String CHANNEL = "aeron:ipc";
    private static final int STREAM_ID = 1001;
    private static final long STEP_NS = CityClock.SECOND_NS;
    private static final long START_NS = Recording.localNs(2025, 6, 16, 8, 0);

    private MediaDriver driver;
    private Aeron aeron;
    private ExclusivePublication publication;
    private Subscription subscription;
    private final List<byte[]> received = new ArrayList<>();

    @BeforeEach
    void startAeron()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED)
            .ipcTermBufferLength(128 * 1024) // a 64 KiB window: a few steps of the city fit, forty do not
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        publication = aeron.addExclusivePublication(CHANNEL, STREAM_ID);
        subscription = aeron.addSubscription(CHANNEL, STREAM_ID);
        await("connected", () -> publication.isConnected() && subscription.isConnected());
    }

    @AfterEach
    void stopAeron()
    {
        CloseHelper.closeAll(aeron, driver);
    }

    @Test
    void simulatedPacingLeadsEachStepWithATickAndNeverDropsAFrameUnderBackPressure()
    {
        final int steps = 40;
        final FieldSimulator simulator = new FieldSimulator(new FieldSimulator.Context()
            .model(new FieldModel(Recording.CITY, 7))
            .publication(publication)
            .pacing(FieldSimulator.Pacing.SIMULATED)
            .startTimeNs(START_NS)
            .stepLimit(steps));
        simulator.onStart();

        // nobody reads: the publication fills up, and the agent then idles rather than spins
        int work = 1;
        for (int i = 0; i < 1000 && work > 0; i++)
        {
            work = simulator.doWork();
        }
        assertEquals(0, work, "blocked: no work done");
        final long publishedWhenBlocked = simulator.framesPublished();
        final long stepsWhenBlocked = simulator.steps();
        assertTrue(simulator.backPressureEvents() > 0, "back-pressure counted");
        assertEquals(0, simulator.doWork());
        assertEquals(publishedWhenBlocked, simulator.framesPublished(), "nothing published while blocked");
        assertEquals(stepsWhenBlocked, simulator.steps(), "no new step while the last is unpublished");
        assertTrue(stepsWhenBlocked < steps);

        // the reader catches up: everything arrives, in order
        while (!simulator.isDone())
        {
            simulator.doWork();
            poll();
        }
        await("every frame received", () ->
        {
            poll();
            return received.size() == simulator.framesPublished();
        });
        assertEquals(steps, simulator.steps());
        assertEquals(START_NS + steps * STEP_NS, simulator.nextStepNs());
        assertEquals(0, simulator.doWork(), "done: idle");

        final List<byte[]> expected = expected(new FieldModel(Recording.CITY, 7), steps, true);
        assertEquals(expected.size(), received.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), received.get(i), "frame " + i);
        }
    }

    @Test
    void livePacingPublishesAStepOnceTheClockHasPassedItsEnd()
    {
        final AtomicLong clockNs = new AtomicLong(START_NS + STEP_NS / 2);
        final FieldSimulator simulator = new FieldSimulator(new FieldSimulator.Context()
            .model(new FieldModel(Recording.CITY, 7))
            .publication(publication)
            .pacing(FieldSimulator.Pacing.LIVE)
            .startTimeNs(START_NS)
            .epochNanoClock(clockNs::get));
        simulator.onStart();

        final int intersections = Recording.CITY.traffic().intersections().size();
        assertEquals(intersections, simulator.doWork(), "the intersections' topologies go out at once");
        assertEquals(0, simulator.doWork(), "half way through the first step: nothing yet");
        assertEquals(intersections, simulator.framesPublished());

        clockNs.set(START_NS + STEP_NS);
        assertTrue(simulator.doWork() > 0);
        assertEquals(1, simulator.steps());
        assertEquals(0, simulator.doWork(), "the second step is not over yet");

        // late by more than a step: one step per duty cycle until caught up
        clockNs.set(START_NS + 3 * STEP_NS + STEP_NS / 5);
        assertTrue(simulator.doWork() > 0);
        assertTrue(simulator.doWork() > 0);
        assertEquals(0, simulator.doWork());
        assertEquals(3, simulator.steps());

        final List<byte[]> expected = expected(new FieldModel(Recording.CITY, 7), 3, false);
        await("every frame received", () ->
        {
            simulator.doWork(); // what back-pressure held back (the clock stays in the fourth step)
            poll();
            return received.size() >= expected.size();
        });
        assertEquals(3, simulator.steps());
        assertEquals(expected.size(), received.size(), "no Ticks in live pacing: the node sends its own");
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), received.get(i), "frame " + i);
        }
        assertFalse(simulator.isDone(), "live pacing runs until stopped");
    }

    @Test
    void livePacingStartsAtTheStepBoundaryBeforeNow()
    {
        final long nowNs = START_NS + 2 * STEP_NS + 123_456_789L;
        final FieldSimulator simulator = new FieldSimulator(new FieldSimulator.Context()
            .model(new FieldModel(Recording.CITY, 7))
            .publication(publication)
            .pacing(FieldSimulator.Pacing.LIVE)
            .epochNanoClock(() -> nowNs));
        simulator.onStart();
        assertEquals(START_NS + 2 * STEP_NS, simulator.nextStepNs());
        assertEquals(Recording.CITY.traffic().intersections().size(), simulator.doWork(), "the topologies");
        assertEquals(0, simulator.doWork());
    }

    @Test
    void theEndTimeStopsASimulation()
    {
        final FieldSimulator simulator = new FieldSimulator(new FieldSimulator.Context()
            .model(new FieldModel(Recording.CITY, 7))
            .publication(publication)
            .pacing(FieldSimulator.Pacing.SIMULATED)
            .stepMs(500)
            .startTimeNs(START_NS)
            .endTimeNs(START_NS + 2 * STEP_NS));
        while (!simulator.isDone())
        {
            simulator.doWork();
            poll();
        }
        assertEquals(4, simulator.steps(), "four half-second steps in two seconds");
    }

    @Test
    void aContextNamesTheSettingThatIsWrong()
    {
        final FieldModel model = new FieldModel(Recording.CITY, 7);
        final IllegalArgumentException noStart = assertThrows(IllegalArgumentException.class, () -> new FieldSimulator(
            new FieldSimulator.Context().model(model).publication(publication).pacing(FieldSimulator.Pacing.SIMULATED)));
        assertTrue(noStart.getMessage().contains("'startTimeNs'"), noStart.getMessage());
        final IllegalArgumentException noPacing = assertThrows(IllegalArgumentException.class, () -> new FieldSimulator(
            new FieldSimulator.Context().model(model).publication(publication)));
        assertTrue(noPacing.getMessage().contains("'pacing'"), noPacing.getMessage());
        final IllegalArgumentException badStep = assertThrows(IllegalArgumentException.class, () -> new FieldSimulator(
            new FieldSimulator.Context().model(model).publication(publication).pacing(FieldSimulator.Pacing.LIVE).stepMs(-1)));
        assertTrue(badStep.getMessage().contains("'stepMs'"), badStep.getMessage());
        final FieldSimulator.Context defaults = new FieldSimulator.Context().model(model).publication(publication)
            .pacing(FieldSimulator.Pacing.LIVE).conclude();
        assertEquals(Recording.CITY.simulator().stepMs(), defaults.stepMs());
    }

    /**
     * What the model gives for {@code steps} steps from START_NS, each led by a Tick when simulated, after the
     * intersections' topologies.
     */
    static List<byte[]> expected(final FieldModel model, final int steps, final boolean ticks)
    {
        final Recording topologies = new Recording();
        model.topologies(topologies);
        final List<byte[]> frames = new ArrayList<>(topologies.frames);
        for (int i = 0; i < steps; i++)
        {
            final long fromNs = START_NS + i * STEP_NS;
            if (ticks)
            {
                frames.add(tick(fromNs, STEP_NS, i));
            }
            final Recording step = Recording.run(model, fromNs, 1, STEP_NS);
            frames.addAll(step.frames);
        }
        return frames;
    }

    static byte[] tick(final long timeNs, final long periodNs, final long tickNumber)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + TickEncoder.BLOCK_LENGTH]);
        new TickEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .timeNs(timeNs)
            .periodNs(periodNs)
            .source(TickSource.SIMULATION)
            .tickNumber(tickNumber);
        return buffer.byteArray();
    }

    private void poll()
    {
        subscription.poll((buffer, offset, length, header) ->
        {
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame);
            received.add(frame);
        }, 256);
    }

    static void await(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
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
