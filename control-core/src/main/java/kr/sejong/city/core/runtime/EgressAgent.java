package kr.sejong.city.core.runtime;

import com.lmax.disruptor.EventPoller;
import io.aeron.Publication;
import kr.sejong.city.codecs.EgressRecordEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Publishes the node's output once the input that caused it is journaled: a Reject for each rejected
 * frame, and the loops' decisions in order. Every frame is first appended to the egress journal
 * (EgressRecord), then offered to the egress publication with a bounded number of retries under
 * back-pressure. A frame that still cannot be sent is counted, never silently dropped: it stays in the
 * egress journal, from which a subscriber can catch up. Once a frame has been given up on, the next
 * ones are offered once each, without waiting, until an offer succeeds again.
 */
final class EgressAgent extends RingStage
{
    private final ChronicleQueue queue;
    private final Publication publication;
    private final NodeCounters counters;
    private final int retryLimit;
    private final Rejects rejects = new Rejects();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EgressRecordEncoder recordEncoder = new EgressRecordEncoder();
    private ExcerptAppender appender;
    private long nextEgressSequence;
    /** The last frame was given up on: offer the next ones once each until the subscriber catches up. */
    private boolean givingUp;

    EgressAgent(
        final EventPoller<InputEvent> poller,
        final ChronicleQueue queue,
        final Publication publication,
        final NodeCounters counters,
        final int retryLimit,
        final int batchLimit,
        final long firstEgressSequence)
    {
        super(poller, batchLimit);
        this.queue = queue;
        this.publication = publication;
        this.counters = counters;
        this.retryLimit = retryLimit;
        this.nextEgressSequence = firstEgressSequence;
    }

    @Override
    public void onStart()
    {
        appender = queue.createAppender();
    }

    @Override
    void handle(final InputEvent event)
    {
        if (event.rejected)
        {
            final int length = rejects.encode(event.sequence, event.rejectReason, event.frame, event.storedLength, event.frameLength);
            emit(event, rejects.buffer(), 0, length);
        }
        else
        {
            int offset = 0;
            for (int i = 0; i < event.outputCount; i++)
            {
                final int lengthOffset = BitUtil.align(offset, BitUtil.SIZE_OF_INT);
                final int length = event.output.getInt(lengthOffset);
                final int frameOffset = lengthOffset + BitUtil.SIZE_OF_INT;
                emit(event, event.output, frameOffset, length);
                offset = frameOffset + length;
            }
        }
    }

    private void emit(final InputEvent event, final DirectBuffer buffer, final int offset, final int length)
    {
        final long egressSequence = nextEgressSequence++;
        scratch.checkLimit(MessageHeaderEncoder.ENCODED_LENGTH + EgressRecordEncoder.BLOCK_LENGTH
            + EgressRecordEncoder.frameHeaderLength() + length);
        recordEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .egressSequence(egressSequence)
            .inputSequence(event.sequence)
            .timeNs(event.timeNs)
            .putFrame(buffer, offset, length);
        final int recordLength = MessageHeaderEncoder.ENCODED_LENGTH + recordEncoder.encodedLength();
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(scratch.byteArray(), 0, recordLength);
        }
        counters.journalEgressBytes.getAndAddRelease(recordLength);
        publish(buffer, offset, length);
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
            // a subscriber that stays behind must not stall the node frame after frame (in low-resource
            // mode ingress and the journal share this thread): after one give-up, no more waiting
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

    @Override
    public void onClose()
    {
        if (appender != null)
        {
            appender.close();
        }
    }

    long nextEgressSequence()
    {
        return nextEgressSequence;
    }

    @Override
    public String roleName()
    {
        return "egress";
    }
}
