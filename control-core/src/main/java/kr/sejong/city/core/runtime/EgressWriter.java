package kr.sejong.city.core.runtime;

import io.aeron.Publication;
import kr.sejong.city.codecs.EgressRecordEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.core.journal.ChainHash;
import kr.sejong.city.core.journal.JournalLayout;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.HdrHistogram.Recorder;

/**
 * How a frame leaves the node: appended to the egress journal (an EgressRecord, sealed into the hash
 * chain), then offered to the egress publication with a bounded number of retries under back-pressure.
 * A frame that still cannot be sent is counted, never silently dropped: it stays in the egress journal,
 * from which a subscriber can catch up. Once a frame has been given up on, the next ones are offered
 * once each, without waiting, until an offer succeeds again: a subscriber that stays behind must not
 * stall the node frame after frame (in low-resource mode ingress and the journal share the thread).
 * <p>
 * Used by one thread at a time: crash recovery at start-up, then the egress agent.
 */
final class EgressWriter
{
    private static final byte[] ZERO_CHAIN = new byte[ChainHash.LENGTH];
    /** Latencies above this are recorded as this (the histogram's range). */
    static final long MAX_LATENCY_NS = 60_000_000_000L;

    private final Publication publication;
    private final NodeCounters counters;
    private final int retryLimit;
    private final ChainHash chain;
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EgressRecordEncoder recordEncoder = new EgressRecordEncoder();
    private final Recorder latency;
    private final boolean journaling;
    private final org.agrona.concurrent.status.Position writePosition;
    private ExcerptAppender appender;
    private long nextEgressSequence;
    private boolean givingUp;
    private long publishedNanos;

    EgressWriter(
        final Publication publication,
        final NodeCounters counters,
        final int retryLimit,
        final long firstEgressSequence,
        final byte[] lastChain,
        final Recorder latency,
        final boolean journaling,
        final org.agrona.concurrent.status.Position writePosition)
    {
        this.writePosition = writePosition;
        this.latency = latency;
        this.journaling = journaling;
        this.publication = publication;
        this.counters = counters;
        this.retryLimit = retryLimit;
        this.nextEgressSequence = firstEgressSequence;
        this.chain = new ChainHash().continueFrom(lastChain);
    }

    /** Write with this appender from now on (it belongs to the calling thread). */
    void appender(final ExcerptAppender appender)
    {
        this.appender = appender;
    }

    /**
     * @param receivedNanos when the input that caused this output reached ingress (System.nanoTime), or 0
     *                      for outputs sent again at recovery: the latency from it to publication is recorded
     */
    void emit(final long inputSequence, final long timeNs, final long receivedNanos, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final long egressSequence = nextEgressSequence++;
        if (!journaling)
        {
            publish(buffer, offset, length);
            recordLatency(receivedNanos);
            return;
        }
        scratch.checkLimit(MessageHeaderEncoder.ENCODED_LENGTH + EgressRecordEncoder.BLOCK_LENGTH
            + EgressRecordEncoder.frameHeaderLength() + length);
        recordEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .egressSequence(egressSequence)
            .inputSequence(inputSequence)
            .timeNs(timeNs)
            .putChain(ZERO_CHAIN, 0, ChainHash.LENGTH)
            .putFrame(buffer, offset, length);
        final int recordLength = MessageHeaderEncoder.ENCODED_LENGTH + recordEncoder.encodedLength();
        chain.seal(scratch.byteArray(), recordLength, JournalLayout.EGRESS_CHAIN_OFFSET);
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(scratch.byteArray(), 0, recordLength);
            writePosition.setRelease(dc.wire().bytes().writePosition()); // for the JournalPretoucher
        }
        counters.journalEgressBytes.getAndAddRelease(recordLength);
        publish(buffer, offset, length);
        recordLatency(receivedNanos);
    }

    private void recordLatency(final long receivedNanos)
    {
        if (receivedNanos != 0)
        {
            publishedNanos = System.nanoTime();
            latency.recordValue(Math.min(publishedNanos - receivedNanos, MAX_LATENCY_NS));
        }
    }

    /** When the last output with a measured input was published (System.nanoTime), for latencies per input. */
    long publishedNanos()
    {
        return publishedNanos;
    }

    private void publish(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int attempt = 0; ; attempt++)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                counters.egressMessages.incrementRelease();
                givingUp = false;
                return;
            }
            if (result == Publication.NOT_CONNECTED)
            {
                counters.egressNotConnected.incrementRelease();
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                counters.egressGivenUp.incrementRelease();
                return;
            }
            // BACK_PRESSURED or ADMIN_ACTION: a slow subscriber; wait a little, but not forever
            counters.egressBackPressure.incrementRelease();
            if (attempt >= retryLimit || givingUp)
            {
                counters.egressGivenUp.incrementRelease();
                givingUp = true;
                return;
            }
            Thread.yield();
        }
    }

    long nextEgressSequence()
    {
        return nextEgressSequence;
    }
}
