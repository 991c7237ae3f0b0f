package kr.sejong.city.adapters.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The arrival times of a Poisson process in one step: the count is Poisson with mean rate x step
 * length, and, given the count, the times are independent and uniform over the step, here sorted.
 * Reuses its array from step to step.
 */
final class Arrivals
{
    private long[] timesNs = new long[16];
    private int count;

    /**
     * Draw the arrivals in [fromNs, toNs) of a process with {@code ratePerHour}.
     *
     * @return how many there are; {@link #timeNs(int)} gives them in time order.
     */
    int draw(final SplittableRandom random, final double ratePerHour, final long fromNs, final long toNs)
    {
        final long lengthNs = toNs - fromNs;
        count = RandomDraws.poisson(random, ratePerHour * lengthNs / CityClock.HOUR_NS);
        if (count > timesNs.length)
        {
            timesNs = new long[Math.max(count, timesNs.length * 2)];
        }
        for (int i = 0; i < count; i++)
        {
            timesNs[i] = fromNs + Math.min(lengthNs - 1, (long)(random.nextDouble() * lengthNs));
        }
        Arrays.sort(timesNs, 0, count);
        return count;
    }

    long timeNs(final int index)
    {
        return timesNs[index];
    }

    int count()
    {
        return count;
    }
}
