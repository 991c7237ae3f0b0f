package kr.sejong.city.bench;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loops.signal.SignalLoop;
import kr.sejong.city.core.loops.signal.SignalTiming;
import kr.sejong.city.core.runtime.OutputBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The signal loop's decision path on a city of {@link City#INTERSECTIONS} junctions with protected lefts
 * ({@link Junctions}), each described by its IntersectionTopology frame and fed LaneObservations, driven
 * the way the node drives it: stamped {@link Input}s, decisions into the node's {@link OutputBuffer}.
 * Logical time moves one second per step, as the twin steps; before measuring, ten simulated minutes
 * bring every intersection into its steady cycle (greens, gap-outs, clearances, adaptive decisions).
 * <ul>
 *   <li>{@code tick}: one Tick, every intersection sequences and decides and one SignalCommand each is
 *       encoded (12 commands). Each Tick is preceded by that second's observations of every intersection, a
 *       per-invocation fixture outside the timing (its allocation, none expected, would still count);</li>
 *   <li>{@code laneObservations}: one LaneObservations input (8 lanes) taken into an intersection's state;</li>
 *   <li>{@code twinStep}: a whole second as the twin sends it, 12 LaneObservations then a Tick, without a
 *       per-invocation fixture: a cross-check of the two above.</li>
 *   <li>{@code preemptedStep}: the same second while an ambulance preempts: its PriorityRequest UPDATE (with a
 *       route of four more intersections to pre-clear) answered by PriorityStatus, then the observations and
 *       the Tick, one intersection dwelling and four in corridor states.</li>
 * </ul>
 * The loop's default mode (adaptive) and timing. Expected allocation: none.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SignalLoopBenchmark extends BenchmarkDefaults
{
    /** The loop, its frames, and a logical clock. */
    @State(Scope.Thread)
    public static class City
    {
        public static final int INTERSECTIONS = 12;
        public static final long FIRST_ID = 101;
        static final long STEP_NS = 1_000_000_000L;
        static final long EPOCH_NS = 1_780_000_000_000_000_000L;
        static final int WARM_STEPS = 600;

        final SignalLoop loop = newLoop();
        final OutputBuffer output = new OutputBuffer();
        final Input input = new Input();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final UnsafeBuffer[][] observations = new UnsafeBuffer[INTERSECTIONS][Junctions.PATTERNS];
        final int[][] observationLengths = new int[INTERSECTIONS][Junctions.PATTERNS];
        final UnsafeBuffer tickFrame = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + TickEncoder.BLOCK_LENGTH]);
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final TickEncoder tickEncoder = new TickEncoder();
        long sequence;
        long nowNs = EPOCH_NS;
        long tickNumber;
        long step;
        int nextObservation;

        @Setup(Level.Trial)
        public void setUp()
        {
            final Junctions junctions = new Junctions();
            final UnsafeBuffer topology = new UnsafeBuffer(new byte[4096]);
            for (int i = 0; i < INTERSECTIONS; i++)
            {
                final int length = junctions.encodeTopology(topology, 0, FIRST_ID + i);
                deliver(topology, length);
                for (int p = 0; p < Junctions.PATTERNS; p++)
                {
                    observations[i][p] = new UnsafeBuffer(new byte[512]);
                    observationLengths[i][p] = junctions.encodeObservations(observations[i][p], 0, FIRST_ID + i, p);
                }
            }
            if (loop.intersectionCount() != INTERSECTIONS)
            {
                throw new IllegalStateException("the loop took " + loop.intersectionCount() + " of " + INTERSECTIONS + " topologies");
            }
            for (int s = 0; s < WARM_STEPS; s++)
            {
                observeAll();
                tick();
            }
        }

        SignalLoop newLoop()
        {
            return new SignalLoop(SignalTiming.defaults());
        }

        /** Hand one frame to the loop as the node does, stamped now; returns the decisions made. */
        int deliver(final DirectBuffer frame, final int length)
        {
            header.wrap(frame, 0);
            input.wrap(sequence++, nowNs, header.templateId(), header.version(), header.blockLength(), frame, 0, length);
            output.reset();
            loop.onInput(input, output);
            return output.count();
        }

        /** This second's observations of every intersection (each intersection's loads change every second). */
        void observeAll()
        {
            for (int i = 0; i < INTERSECTIONS; i++)
            {
                final int pattern = (int)((step + i * 5L) % Junctions.PATTERNS);
                deliver(observations[i][pattern], observationLengths[i][pattern]);
            }
        }

        /** Advance one second and tick; returns the commands (one per intersection). */
        int tick()
        {
            step++;
            nowNs += STEP_NS;
            tickEncoder.wrapAndApplyHeader(tickFrame, 0, headerEncoder)
                .timeNs(nowNs)
                .periodNs(STEP_NS)
                .source(TickSource.SIMULATION)
                .tickNumber(tickNumber++);
            return deliver(tickFrame, tickFrame.capacity());
        }

        /** The next observation in turn: intersections round-robin, loads cycling. */
        int observeNext()
        {
            final int i = nextObservation % INTERSECTIONS;
            final int pattern = (nextObservation / INTERSECTIONS) % Junctions.PATTERNS;
            nextObservation = (nextObservation + 1) % (INTERSECTIONS * Junctions.PATTERNS);
            return deliver(observations[i][pattern], observationLengths[i][pattern]);
        }
    }

    /** A city whose every Tick is preceded, outside the timing, by that second's observations. */
    @State(Scope.Thread)
    public static class Observed extends City
    {
        @Setup(Level.Invocation)
        public void observe()
        {
            observeAll();
        }
    }

    @State(Scope.Thread)
    public static class Plain extends City
    {
    }

    /** A city with an ambulance on its way across five of its intersections, which keeps asking. */
    @State(Scope.Thread)
    public static class Preempted extends City
    {
        final UnsafeBuffer request = new UnsafeBuffer(new byte[256]);
        final kr.sejong.city.codecs.PriorityRequestEncoder requestEncoder = new kr.sejong.city.codecs.PriorityRequestEncoder();
        int requestLength;

        @Override
        SignalLoop newLoop()
        {
            // a max presence longer than any run: the dwell, not the refusal after it, is what is measured
            final SignalTiming timing = SignalTiming.defaults();
            return new SignalLoop(timing, kr.sejong.city.core.loops.signal.ControlMode.ADAPTIVE,
                kr.sejong.city.core.loops.signal.AdaptiveController.Settings.defaults(),
                kr.sejong.city.core.loops.signal.PrioritySettings.of(new kr.sejong.city.config.Traffic.Priority(10_000, 60, 1_000_000_000), timing));
        }

        @Setup(Level.Trial)
        public void ask()
        {
            requestEncoder.wrapAndApplyHeader(request, 0, headerEncoder)
                .requestId(1).vehicleId(7).role(kr.sejong.city.codecs.VehicleRole.AMBULANCE)
                .requestType(kr.sejong.city.codecs.PriorityRequestType.UPDATE).intersectionId(FIRST_ID).approachId(1)
                .laneIndex(kr.sejong.city.codecs.PriorityRequestEncoder.laneIndexNullValue()).etaMs(8000);
            final kr.sejong.city.codecs.PriorityRequestEncoder.RouteEncoder route = requestEncoder.routeCount(4);
            for (int i = 1; i <= 4; i++)
            {
                route.next().intersectionId(FIRST_ID + i).approachId(1).etaMs(8000 + i * 30_000);
            }
            requestLength = MessageHeaderEncoder.ENCODED_LENGTH + requestEncoder.encodedLength();
            for (int s = 0; s < 60; s++)
            {
                deliver(request, requestLength);
                observeAll();
                tick();
            }
            if (loop.intersection(FIRST_ID).priority().preemptions() != 1)
            {
                throw new IllegalStateException("the ambulance did not preempt intersection " + FIRST_ID);
            }
        }
    }

    @Benchmark
    public int tick(final Observed city)
    {
        return city.tick();
    }

    @Benchmark
    public int laneObservations(final Plain city)
    {
        return city.observeNext();
    }

    @Benchmark
    public int twinStep(final Plain city)
    {
        city.observeAll();
        return city.tick();
    }

    @Benchmark
    public int preemptedStep(final Preempted city)
    {
        city.deliver(city.request, city.requestLength);
        city.observeAll();
        return city.tick();
    }
}
