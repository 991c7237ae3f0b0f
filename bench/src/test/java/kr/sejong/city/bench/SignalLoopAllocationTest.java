package kr.sejong.city.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signal loop's decision path allocates nothing in steady state, on the benchmark's city (12 junctions
 * with protected lefts): bytes allocated by this thread over many warm steps, counted by the JVM
 * ({@code ThreadMXBean.getThreadAllocatedBytes}). Not a timing: JMH's {@code -prof gc} gives the same
 * figure per operation, with its own background allocation mixed in; this counts this thread only.
 */
class SignalLoopAllocationTest
{
    private static final int WARM_STEPS = 20_000;
    private static final int STEPS = 20_000;

    @Test
    void aTwinStepAndALaneObservationAllocateNothingOnceWarm()
    {
        final SignalLoopBenchmark benchmark = new SignalLoopBenchmark();
        final SignalLoopBenchmark.Plain city = new SignalLoopBenchmark.Plain();
        city.setUp();
        for (int i = 0; i < WARM_STEPS; i++)
        {
            benchmark.twinStep(city);
            benchmark.laneObservations(city);
        }

        final long before = ThreadAllocation.bytes();
        long commands = 0;
        for (int i = 0; i < STEPS; i++)
        {
            commands += benchmark.twinStep(city);
            commands += benchmark.laneObservations(city);
        }
        final long allocated = ThreadAllocation.bytes() - before;

        assertTrue(commands >= (long)STEPS * SignalLoopBenchmark.City.INTERSECTIONS, "every tick commands every intersection: " + commands);
        // less than a byte a step: any allocation per step (16 bytes at least) would show; a one-off (a class
        // initialised late, a deoptimisation) would not fail the test
        assertTrue(allocated < STEPS, allocated + " bytes allocated over " + STEPS + " steps of 12 observations, a Tick and one more observation");
    }
}
