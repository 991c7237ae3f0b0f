package kr.sejong.city.core.runtime;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;

/** Idle strategies by the names the configuration uses. */
public final class IdleStrategies
{
    public static final String BACKOFF = "backoff";
    public static final String YIELDING = "yielding";
    public static final String BUSY_SPIN = "busy-spin";
    public static final String SLEEPING = "sleeping";

    private IdleStrategies()
    {
    }

    public static boolean isKnown(final String name)
    {
        return BACKOFF.equals(name) || YIELDING.equals(name) || BUSY_SPIN.equals(name) || SLEEPING.equals(name);
    }

    public static IdleStrategy of(final String name)
    {
        switch (name)
        {
            case BACKOFF:
                // spin briefly, then yield, then park up to 100 us: an input that arrives while the node
                // is parked waits at most that long (decisions within 1 ms at p99), at a few % of a core idle
                return new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
            case YIELDING:
                return new YieldingIdleStrategy();
            case BUSY_SPIN:
                return new BusySpinIdleStrategy();
            case SLEEPING:
                return new SleepingMillisIdleStrategy(1);
            default:
                throw new IllegalArgumentException("unknown idle strategy '" + name + "' (known: backoff, yielding, busy-spin, sleeping)");
        }
    }
}
