package kr.sejong.city.bench.mobility;

import kr.sejong.city.bench.ThreadAllocation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatch loop's Tick (re-insertions and the ruin-and-recreate search) and a ride request allocate nothing, on the
 * benchmark's busy state (shuttle-scale-50): bytes allocated by this thread, counted by the JVM
 * ({@code ThreadMXBean.getThreadAllocatedBytes}), around the loop's work only (not the restore of the state before
 * each). JMH's {@code -prof gc} shows 13-16 B/op for the Tick since the search made it take about 2 ms: its own
 * background allocation, about the same per second whatever the benchmark, spread over fewer operations; this counts
 * this thread alone.
 */
class DispatchLoopAllocationTest
{
    private static final int WARM = 200;
    private static final int MEASURED = 200;

    @Test
    void aTickWithItsSearchAndARequestAllocateNothingOnceWarm()
    {
        final DispatchLoopBenchmark benchmark = new DispatchLoopBenchmark();
        final DispatchLoopBenchmark.BusyHour hour = new DispatchLoopBenchmark.BusyHour();
        hour.scenario = "shuttle-scale-50";
        hour.warm();

        long allocated = 0;
        long outputs = 0;
        for (int i = 0; i < WARM + MEASURED; i++)
        {
            hour.restore();
            final long searchesBefore = hour.loop.searches();
            final long before = ThreadAllocation.bytes();
            final int tickOutputs = benchmark.tick(hour);
            final int requestOutputs = benchmark.request(hour);
            final long after = ThreadAllocation.bytes();
            assertEquals(searchesBefore + 1, hour.loop.searches(), "the Tick ran the search");
            if (i >= WARM)
            {
                allocated += after - before;
                outputs += tickOutputs + requestOutputs;
            }
        }
        assertTrue(outputs >= MEASURED, "every request is answered: " + outputs + " outputs");
        // less than a byte per Tick and request: any allocation in them (16 bytes at least) would show
        assertTrue(allocated < MEASURED, allocated + " bytes allocated over " + MEASURED + " Ticks and requests");
    }
}
