package kr.sejong.city.bench;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the calling thread so far, as the JVM counts them ({@code ThreadMXBean.getThreadAllocatedBytes}):
 * the allocation tests take the difference around the work they check, which JMH's {@code -prof gc} cannot separate
 * from its own threads' allocation.
 */
public final class ThreadAllocation
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private ThreadAllocation()
    {
    }

    public static long bytes()
    {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
