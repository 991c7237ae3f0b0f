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

        final SignalLoop loop = new SignalLoop(SignalTiming.defaults());
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
}
