package kr.sejong.city.bench.opcua;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the adapter's {@code LatencyHook} says of each frame it offered (when its notification message arrived,
 * when the offer succeeded), in offer order, for the subscriber to pair with the frames it receives: one
 * producer at a time (the subscription's delivery, which Milo runs one notification message at a time), one
 * consumer. Preallocated; never blocks the producer (an overflow is counted).
 */
final class ArrivalQueue
{
    private final long[] arrivalNs;
    private final long[] offeredNs;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();

    ArrivalQueue(final int capacityPowerOfTwo)
    {
        if (Integer.bitCount(capacityPowerOfTwo) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two, was " + capacityPowerOfTwo);
        }
        arrivalNs = new long[capacityPowerOfTwo];
        offeredNs = new long[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    /** Producer. */
    void add(final long arrival, final long offered)
    {
        final long t = tail.get();
        if (t - head.get() > mask)
        {
            overflows.incrementAndGet();
            return;
        }
        final int at = (int)(t & mask);
        arrivalNs[at] = arrival;
        offeredNs[at] = offered;
        tail.lazySet(t + 1);
    }

    /** Consumer: whether an entry is waiting. */
    boolean available()
    {
        return head.get() < tail.get();
    }

    /** Consumer: the oldest entry's arrival (call {@link #available()} first). */
    long arrivalNs()
    {
        return arrivalNs[(int)(head.get() & mask)];
    }

    /** Consumer: the oldest entry's offer time. */
    long offeredNs()
    {
        return offeredNs[(int)(head.get() & mask)];
    }

    /** Consumer: done with the oldest entry. */
    void remove()
    {
        head.lazySet(head.get() + 1);
    }

    long overflows()
    {
        return overflows.get();
    }

    /** Entries the producer added in all. */
    long added()
    {
        return tail.get();
    }
}
