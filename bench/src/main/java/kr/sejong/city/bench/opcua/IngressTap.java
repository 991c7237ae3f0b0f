package kr.sejong.city.bench.opcua;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import kr.sejong.city.codecs.DeviceState;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * The node's side of the benchmark: a plain Aeron subscription on the ingress stream, polled on a thread of its own
 * with the node's idle strategy, that decodes what arrives. Every GridMeasurement is stamped on receipt
 * ({@link System#nanoTime()} and the wall clock) and paired, in order, with what the adapter's LatencyHook said of
 * the frame it offered (when its notification message reached the adapter, when the offer succeeded). Frames of the
 * measured rounds go into the histograms; every frame is booked against its item and round (the value says which
 * round: {@link BenchField#round}), so that values made and received can be compared item by item.
 * <p>
 * Everything but the volatile fields is touched by the tap's thread only while it runs; read the rest after
 * {@link #close()}.
 */
final class IngressTap implements AutoCloseable
{
    private static final long HIGHEST_NS = TimeUnit.HOURS.toNanos(1);
    private static final int PENDING = 1 << 16;

    /** Who publishes the GridMeasurements now: the baseline's feeder directly, or the adapter. */
    enum Source { DIRECT, ADAPTER }

    private final Subscription subscription;
    private final ArrivalQueue arrivals;
    private final int items;
    private final IdleStrategy idle;
    private final EpochNanoClock clock = new SystemEpochNanoClock();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final GridMeasurementDecoder grid = new GridMeasurementDecoder();
    private final DeviceStatusDecoder status = new DeviceStatusDecoder();
    private final Thread thread;
    private volatile boolean running = true;

    private volatile Source source = Source.DIRECT;
    private volatile long measureFromRound = Long.MAX_VALUE;
    private volatile long measureToRound = Long.MAX_VALUE;

    /** Feeder set time (wall clock, the SourceTimestamp) to receipt, values published straight to Aeron. */
    final Histogram baselineNs = new Histogram(HIGHEST_NS, 3);
    /** The adapter's notification arrival to receipt here: what the adapter and Aeron add. */
    final Histogram adapterAddedNs = new Histogram(HIGHEST_NS, 3);
    /** The adapter's notification arrival to its successful offer (the LatencyHook's own two times). */
    final Histogram arrivalToOfferedNs = new Histogram(HIGHEST_NS, 3);
    /** Successful offer to receipt here: Aeron IPC and the subscriber's wake-up. */
    final Histogram offeredToReceiptNs = new Histogram(HIGHEST_NS, 3);
    /** Feeder set time to the adapter's notification arrival: the server's publishing interval, security, transport, Milo. */
    final Histogram setToArrivalNs = new Histogram(HIGHEST_NS, 3);
    /** Feeder set time to receipt here, through OPC UA. */
    final Histogram endToEndNs = new Histogram(HIGHEST_NS, 3);
    /** GridMeasurements per notification message (frames sharing one arrival time). */
    final Histogram framesPerMessage = new Histogram(1_000_000, 3);

    private final BitSet[] received;
    private volatile long measuredFrames;
    private long[] duplicatesByRound = new long[1024];
    private long unknownItems;
    private long mismatched;
    private long gridFrames;
    private long online;
    private long offline;
    private long invalid;
    private long degraded;
    private long otherFrames;

    // frames received from the adapter, waiting for the hook's entry of the same frame
    private final long[] pendingReceiptNs = new long[PENDING];
    private final long[] pendingReceiptEpochNs = new long[PENDING];
    private final long[] pendingMeasuredAtNs = new long[PENDING];
    private final long[] pendingRound = new long[PENDING];
    private long pendingHead;
    private long pendingTail;
    private long pendingOverflows;
    private long messageArrivalNs = Long.MIN_VALUE;
    private long messageFrames;

    // the restart being watched (tap thread), and what main reads of it
    private volatile long watchRequest = Long.MAX_VALUE;
    private volatile int watchSeq;
    private volatile int watchAck;
    private long watchRound = Long.MAX_VALUE;
    private final int[] freshMark;
    private final int[] onlineMark;
    private int freshCount;
    private int onlineCount;
    private volatile long firstFreshNs;
    private volatile long allFreshNs;
    private volatile long firstOnlineNs;
    private volatile long allOnlineNs;
    private volatile int offlineSinceWatch;

    IngressTap(final Subscription subscription, final ArrivalQueue arrivals, final int items, final IdleStrategy idle)
    {
        this.subscription = subscription;
        this.arrivals = arrivals;
        this.items = items;
        this.idle = idle;
        this.received = new BitSet[items];
        for (int i = 0; i < items; i++)
        {
            received[i] = new BitSet();
        }
        this.freshMark = new int[items];
        this.onlineMark = new int[items];
        this.thread = new Thread(this::run, "bench-ingress-tap");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** From now on GridMeasurements come from this source. */
    void source(final Source source)
    {
        this.source = source;
    }

    /** Frames of rounds in [from, to) are measured. */
    void measure(final long fromRound, final long toRound)
    {
        measureToRound = toRound;
        measureFromRound = fromRound;
    }

    /**
     * Watch a restart: from now on, note the first and the last of all items to deliver a value of round
     * {@code freshRound} or later, and the first and last of all devices to be reported ONLINE.
     */
    void watch(final long freshRound)
    {
        watchRequest = freshRound;
        final int seq = watchSeq + 1;
        watchSeq = seq;
        while (watchAck != seq)
        {
            Thread.onSpinWait();
        }
    }

    long firstFreshNs()
    {
        return firstFreshNs;
    }

    long allFreshNs()
    {
        return allFreshNs;
    }

    long firstOnlineNs()
    {
        return firstOnlineNs;
    }

    long allOnlineNs()
    {
        return allOnlineNs;
    }

    int offlineSinceWatch()
    {
        return offlineSinceWatch;
    }

    private void run()
    {
        while (running)
        {
            int work = subscription.poll(assembler, 256);
            work += match();
            if (watchAck != watchSeq)
            {
                startWatch();
                work++;
            }
            idle.idle(work);
        }
        // what is still in the log when stopped
        while (subscription.poll(assembler, 256) > 0)
        {
            match();
        }
        match();
        if (messageFrames > 0)
        {
            framesPerMessage.recordValue(messageFrames);
            messageFrames = 0;
        }
    }

    private void startWatch()
    {
        final int seq = watchSeq;
        watchRound = watchRequest;
        freshCount = 0;
        onlineCount = 0;
        firstFreshNs = 0;
        allFreshNs = 0;
        firstOnlineNs = 0;
        allOnlineNs = 0;
        offlineSinceWatch = 0;
        watchAck = seq;
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header fragmentHeader)
    {
        final long receiptNs = System.nanoTime();
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId())
        {
            case GridMeasurementDecoder.TEMPLATE_ID ->
            {
                grid.wrap(buffer, body, header.blockLength(), header.version());
                onGrid(receiptNs, clock.nanoTime(), grid.deviceId(), grid.activePowerW(), grid.measuredAtNs());
            }
            case DeviceStatusDecoder.TEMPLATE_ID ->
            {
                status.wrap(buffer, body, header.blockLength(), header.version());
                onStatus(receiptNs, status.deviceId(), status.state());
            }
            default -> otherFrames++;
        }
    }

    private void onGrid(final long receiptNs, final long receiptEpochNs, final long deviceId, final int activePowerW, final long measuredAtNs)
    {
        gridFrames++;
        final int item = BenchField.item(deviceId);
        final long round = BenchField.round(activePowerW);
        final boolean measured = round >= measureFromRound && round < measureToRound;
        if (item < 0 || item >= items || round < 0)
        {
            unknownItems++;
        }
        else
        {
            if (received[item].get((int)round))
            {
                if (round >= duplicatesByRound.length)
                {
                    duplicatesByRound = java.util.Arrays.copyOf(duplicatesByRound, (int)Math.max(round + 1, 2L * duplicatesByRound.length));
                }
                duplicatesByRound[(int)round]++;
            }
            else if (measured)
            {
                measuredFrames = measuredFrames + 1; // one writer: this thread; main reads it to know when all arrived
            }
            received[item].set((int)round);
            if (round >= watchRound && freshMark[item] != watchAck)
            {
                freshMark[item] = watchAck;
                if (freshCount++ == 0)
                {
                    firstFreshNs = receiptNs;
                }
                if (freshCount == items)
                {
                    allFreshNs = receiptNs;
                }
            }
        }
        if (source == Source.DIRECT)
        {
            if (measured)
            {
                baselineNs.recordValue(Math.max(0, receiptEpochNs - measuredAtNs));
            }
            return;
        }
        if (pendingTail - pendingHead >= PENDING)
        {
            pendingOverflows++;
            return;
        }
        final int at = (int)(pendingTail & (PENDING - 1));
        pendingReceiptNs[at] = receiptNs;
        pendingReceiptEpochNs[at] = receiptEpochNs;
        pendingMeasuredAtNs[at] = measuredAtNs;
        pendingRound[at] = measured ? round : -1;
        pendingTail++;
        match();
    }

    /** Pairs frames received from the adapter with the hook's entries, in order. */
    private int match()
    {
        int matched = 0;
        while (pendingHead < pendingTail && arrivals.available())
        {
            final int at = (int)(pendingHead & (PENDING - 1));
            final long arrivalNs = arrivals.arrivalNs();
            final long offeredNs = arrivals.offeredNs();
            arrivals.remove();
            pendingHead++;
            matched++;
            if (arrivalNs != messageArrivalNs)
            {
                if (messageFrames > 0)
                {
                    framesPerMessage.recordValue(messageFrames);
                }
                messageArrivalNs = arrivalNs;
                messageFrames = 0;
            }
            if (pendingRound[at] >= 0)
            {
                messageFrames++; // notification messages of the measured rounds only
            }
            final long receiptNs = pendingReceiptNs[at];
            if (offeredNs < arrivalNs || receiptNs < arrivalNs)
            {
                mismatched++; // impossible if paired right: counted rather than recorded as a latency
                continue;
            }
            // receipt may precede offeredNs: the delivery thread can lose its core between the offer and reading the clock
            if (pendingRound[at] >= 0)
            {
                final long arrivalEpochNs = pendingReceiptEpochNs[at] - (receiptNs - arrivalNs);
                adapterAddedNs.recordValue(Math.max(0, receiptNs - arrivalNs));
                arrivalToOfferedNs.recordValue(offeredNs - arrivalNs);
                offeredToReceiptNs.recordValue(Math.max(0, receiptNs - offeredNs));
                setToArrivalNs.recordValue(Math.max(0, arrivalEpochNs - pendingMeasuredAtNs[at]));
                endToEndNs.recordValue(Math.max(0, pendingReceiptEpochNs[at] - pendingMeasuredAtNs[at]));
            }
        }
        return matched;
    }

    private void onStatus(final long receiptNs, final long deviceId, final DeviceState state)
    {
        switch (state)
        {
            case ONLINE -> online++;
            case OFFLINE -> offline++;
            case INVALID_VALUE -> invalid++;
            case DEGRADED -> degraded++;
            default ->
            {
                // other states are not expected of PV inverters
            }
        }
        final int item = BenchField.item(deviceId);
        if (item < 0 || item >= items || watchRound == Long.MAX_VALUE)
        {
            return;
        }
        if (state == DeviceState.OFFLINE)
        {
            offlineSinceWatch = offlineSinceWatch + 1;
        }
        else if (state == DeviceState.ONLINE && onlineMark[item] != watchAck)
        {
            onlineMark[item] = watchAck;
            if (onlineCount++ == 0)
            {
                firstOnlineNs = receiptNs;
            }
            if (onlineCount == items)
            {
                allOnlineNs = receiptNs;
            }
        }
    }

    /**
     * While the tap runs: whether every item has a value of each round of [from, to) yet. The volatile read of the
     * frame count comes first, so the books as of the last value counted are seen; a read that races the tap's
     * writes counts as "not yet" and the caller asks again.
     */
    boolean complete(final long fromRound, final long toRound)
    {
        if (measuredFrames < 0)
        {
            return false;
        }
        try
        {
            return lost(fromRound, toRound) == 0;
        }
        catch (final RuntimeException racing)
        {
            return false;
        }
    }

    /** Values of rounds [from, to) not received, over all items. */
    long lost(final long fromRound, final long toRound)
    {
        long lost = 0;
        for (final BitSet bits : received)
        {
            lost += (toRound - fromRound) - bits.get((int)fromRound, (int)toRound).cardinality();
        }
        return lost;
    }

    /** The rounds of [from, to) some item did not receive, with how many items missed each (at most 20 listed). */
    String incompleteRounds(final long fromRound, final long toRound)
    {
        final StringBuilder rounds = new StringBuilder();
        int listed = 0;
        for (long round = fromRound; round < toRound && listed < 20; round++)
        {
            int missing = 0;
            for (final BitSet bits : received)
            {
                if (!bits.get((int)round))
                {
                    missing++;
                }
            }
            if (missing > 0)
            {
                rounds.append(rounds.length() == 0 ? "" : ", ").append(round - fromRound).append(": ").append(missing);
                listed++;
            }
        }
        return rounds.length() == 0 ? "none" : rounds.toString();
    }

    /** Items that received nothing of rounds [from, to). */
    int silentItems(final long fromRound, final long toRound)
    {
        int silent = 0;
        for (final BitSet bits : received)
        {
            if (bits.get((int)fromRound, (int)toRound).isEmpty())
            {
                silent++;
            }
        }
        return silent;
    }

    /** Values of rounds [from, to) received more than once (each extra copy counts). */
    long duplicates(final long fromRound, final long toRound)
    {
        long duplicates = 0;
        for (long round = Math.max(0, fromRound); round < Math.min(toRound, duplicatesByRound.length); round++)
        {
            duplicates += duplicatesByRound[(int)round];
        }
        return duplicates;
    }

    /** One past the highest round received. */
    long roundsSeen()
    {
        long highest = 0;
        for (final BitSet bits : received)
        {
            highest = Math.max(highest, bits.length());
        }
        return highest;
    }

    long unknownItems()
    {
        return unknownItems;
    }

    long mismatched()
    {
        return mismatched;
    }

    long unpaired()
    {
        return pendingTail - pendingHead + pendingOverflows;
    }

    long gridFrames()
    {
        return gridFrames;
    }

    long onlineStatuses()
    {
        return online;
    }

    long offlineStatuses()
    {
        return offline;
    }

    long invalidStatuses()
    {
        return invalid;
    }

    long degradedStatuses()
    {
        return degraded;
    }

    long otherFrames()
    {
        return otherFrames;
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
