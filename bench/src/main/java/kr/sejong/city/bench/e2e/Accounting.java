package kr.sejong.city.bench.e2e;

import org.HdrHistogram.Histogram;

/**
 * The load generator's books: when each request was meant to go, which got their reply, and the
 * round-trip times of the measured ones in an HdrHistogram.
 * <p>
 * <b>Fixed rate</b> (rate &gt; 0): request {@code seq} is due at {@code start + seq / rate}, its
 * <em>intended</em> send time, and its latency is counted from then, not from when it was really sent:
 * a generator held up by a stalled system sends late, and that delay is part of what the system
 * caused (no coordinated omission). Requests due during the warmup are answered but not measured.
 * <p>
 * <b>Saturating</b> (rate 0, the throughput run): requests go as fast as the system takes them, at most
 * {@code window} unanswered at a time; latency counts from the real send time, and the figure that
 * matters is replies per second.
 * <p>
 * A request still unanswered when the run gives up is counted as unanswered and recorded with the time it
 * had waited by then: a lower bound, never left out.
 * <p>
 * Threads: one thread sends ({@link #sent(long, long)}), one receives ({@link #onReply}); they may be the
 * same. {@link #finish} runs after both stopped.
 */
final class Accounting
{
    /** Longest latency the histogram tracks (longer ones are recorded as this): one hour. */
    static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;
    private static final long NS_PER_S = 1_000_000_000L;

    private final long rate;
    private final long startNs;
    private final long measureStartNs;
    private final long measureEndNs;
    private final long total;
    private final long firstMeasuredSeq;
    private final long[] repliedBits;
    private final long[] sentNs;
    private final int mask;
    private final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    /** Fixed rate: how late the generator itself sent each measured request (written by the sending thread). */
    private final Histogram sendLag = new Histogram(HIGHEST_TRACKABLE_NS, 3);

    private volatile long sent;
    private volatile long replies;
    /** Saturating: every request below this one is answered (replies may come out of order). */
    private volatile long lowestUnanswered;
    private long measuredReplies;
    private long measuredRequests;
    private long repliesInWindow;
    private long unanswered;
    private long wrongDecisions;
    private long unexpected;

    /**
     * @param rate     requests per second, or 0 to saturate
     * @param window   saturating only: most requests unanswered at a time
     */
    Accounting(final long rate, final long startNs, final long warmupNs, final long durationNs, final int window)
    {
        this.rate = rate;
        this.startNs = startNs;
        this.measureStartNs = startNs + warmupNs;
        this.measureEndNs = measureStartNs + durationNs;
        if (rate > 0)
        {
            total = ceilDiv((warmupNs + durationNs) * rate, NS_PER_S);
            firstMeasuredSeq = ceilDiv(warmupNs * rate, NS_PER_S);
            repliedBits = new long[(int)((total + 63) / 64)];
            sentNs = null;
            mask = 0;
        }
        else
        {
            total = Long.MAX_VALUE;
            firstMeasuredSeq = -1;
            repliedBits = null;
            final int size = Integer.highestOneBit(Math.max(2, window) * 4 - 1) * 2; // room for replies out of order
            sentNs = new long[size];
            java.util.Arrays.fill(sentNs, -1);
            mask = size - 1;
        }
    }

    private static long ceilDiv(final long a, final long b)
    {
        return (a + b - 1) / b;
    }

    boolean fixedRate()
    {
        return rate > 0;
    }

    /** Fixed rate: how many requests the run sends in all. */
    long total()
    {
        return total;
    }

    long measureStartNs()
    {
        return measureStartNs;
    }

    long measureEndNs()
    {
        return measureEndNs;
    }

    /** Fixed rate: when request {@code seq} is meant to go. */
    long intendedNs(final long seq)
    {
        return startNs + seq * NS_PER_S / rate;
    }

    /** Fixed rate: how many requests are due by {@code nowNs} (all of them once the schedule is over). */
    long dueBy(final long nowNs)
    {
        if (nowNs < startNs)
        {
            return 0;
        }
        return Math.min(total, (nowNs - startNs) * rate / NS_PER_S + 1);
    }

    /** Requests sent so far: {@code seq} 0 .. sent - 1. */
    long sent()
    {
        return sent;
    }

    long replies()
    {
        return replies;
    }

    /** Unanswered requests in flight. */
    long outstanding()
    {
        return sent - replies;
    }

    /**
     * Saturating: how many requests may have been sent in all now: at most {@code window} unanswered, and
     * none so far ahead of the oldest unanswered one that its send time would be overwritten.
     */
    long sendLimit(final int window)
    {
        return Math.min(replies + window, lowestUnanswered + sentNs.length);
    }

    /** Record that request {@code seq} (the next in order) went at {@code nowNs}. */
    void sent(final long seq, final long nowNs)
    {
        if (sentNs != null)
        {
            sentNs[(int)(seq & mask)] = nowNs;
        }
        else if (seq >= firstMeasuredSeq)
        {
            sendLag.recordValue(Math.min(Math.max(0, nowNs - intendedNs(seq)), HIGHEST_TRACKABLE_NS));
        }
        sent = seq + 1;
    }

    /** Full sequence number of a reply that carried only its low 32 bits. */
    long unwrap(final long low32)
    {
        final long reference = sent - 1;
        return reference - ((reference - low32) & 0xFFFF_FFFFL);
    }

    /** A reply to {@code seq} arrived at {@code nowNs}; {@code correct}: it named the expected decision. */
    void onReply(final long seq, final long nowNs, final boolean correct)
    {
        if (seq < 0 || seq >= sent)
        {
            unexpected++;
            return;
        }
        final long fromNs;
        final boolean measured;
        if (repliedBits != null)
        {
            final int word = (int)(seq >>> 6);
            final long bit = 1L << (seq & 63);
            if ((repliedBits[word] & bit) != 0)
            {
                unexpected++;
                return;
            }
            repliedBits[word] |= bit;
            fromNs = intendedNs(seq);
            measured = seq >= firstMeasuredSeq;
        }
        else
        {
            final int slot = (int)(seq & mask);
            fromNs = sentNs[slot];
            if (fromNs < 0 || sent - seq > sentNs.length)
            {
                unexpected++;
                return;
            }
            sentNs[slot] = -1;
            long lowest = lowestUnanswered;
            while (lowest < sent && sentNs[(int)(lowest & mask)] < 0)
            {
                lowest++;
            }
            lowestUnanswered = lowest;
            measured = fromNs >= measureStartNs && fromNs < measureEndNs;
        }
        if (nowNs >= measureStartNs && nowNs < measureEndNs)
        {
            repliesInWindow++;
        }
        if (!correct)
        {
            wrongDecisions++;
        }
        if (measured)
        {
            histogram.recordValue(Math.min(Math.max(0, nowNs - fromNs), HIGHEST_TRACKABLE_NS));
            measuredReplies++;
        }
        replies = replies + 1; // one writer
    }

    /** Whether every request the run sends has been sent and answered. */
    boolean complete()
    {
        return fixedRate() ? replies == total : sent == replies;
    }

    /** Close the books at {@code giveUpNs}: whatever is still unanswered is counted, with its wait so far. */
    GeneratorResult finish(final long giveUpNs, final long sendBackPressure)
    {
        if (repliedBits != null)
        {
            for (long seq = 0; seq < total; seq++)
            {
                if ((repliedBits[(int)(seq >>> 6)] & (1L << (seq & 63))) == 0)
                {
                    unanswered++;
                    if (seq >= firstMeasuredSeq)
                    {
                        final long waitedNs = Math.min(Math.max(0, giveUpNs - intendedNs(seq)), HIGHEST_TRACKABLE_NS);
                        histogram.recordValue(waitedNs);
                        if (seq >= sent)
                        {
                            sendLag.recordValue(waitedNs); // never sent: the stack took no more input (a lower bound)
                        }
                    }
                }
            }
            measuredRequests = total - firstMeasuredSeq;
        }
        else
        {
            for (long seq = Math.max(0, sent - sentNs.length); seq < sent; seq++)
            {
                final long fromNs = sentNs[(int)(seq & mask)];
                if (fromNs >= 0)
                {
                    unanswered++;
                    if (fromNs >= measureStartNs && fromNs < measureEndNs)
                    {
                        histogram.recordValue(Math.min(Math.max(0, giveUpNs - fromNs), HIGHEST_TRACKABLE_NS));
                        measuredRequests++;
                    }
                }
            }
            measuredRequests += measuredReplies;
        }
        final double throughputPerS = repliesInWindow * 1e9 / (measureEndNs - measureStartNs);
        return new GeneratorResult(rate, (measureEndNs - measureStartNs) / 1e9, sent, replies, measuredRequests, measuredReplies,
            unanswered, wrongDecisions, unexpected, sendBackPressure, throughputPerS, histogram, sendLag);
    }
}
