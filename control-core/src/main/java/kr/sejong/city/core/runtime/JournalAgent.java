package kr.sejong.city.core.runtime;

import com.lmax.disruptor.EventPoller;
import kr.sejong.city.codecs.IngressRecordEncoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.core.journal.ChainHash;
import kr.sejong.city.core.journal.JournalLayout;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.status.Position;

/**
 * Appends every stamped input frame, valid or rejected, to the ingress journal as an IngressRecord,
 * in sequence order. Runs beside the loop agent; egress waits for both, so nothing leaves the node
 * before the input that caused it is in the journal.
 */
final class JournalAgent extends RingStage
{
    private static final byte[] ZERO_CHAIN = new byte[ChainHash.LENGTH];

    private final ChronicleQueue queue;
    private final NodeCounters counters;
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final IngressRecordEncoder recordEncoder = new IngressRecordEncoder();
    private final ChainHash chain;
    private final boolean journaling;
    private final Position writePosition;
    private ExcerptAppender appender;

    JournalAgent(
        final EventPoller<InputEvent> poller,
        final ChronicleQueue queue,
        final NodeCounters counters,
        final int batchLimit,
        final byte[] lastChain,
        final boolean journaling,
        final Position writePosition)
    {
        super(poller, batchLimit);
        this.writePosition = writePosition;
        this.journaling = journaling;
        this.queue = queue;
        this.counters = counters;
        this.chain = new ChainHash().continueFrom(lastChain);
    }

    @Override
    public void onStart()
    {
        // Chronicle appenders belong to the thread that uses them
        appender = queue.createAppender();
    }

    @Override
    void handle(final InputEvent event)
    {
        if (journaling)
        {
            final int length = encode(event);
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(scratch.byteArray(), 0, length);
                writePosition.setRelease(dc.wire().bytes().writePosition()); // for the JournalPretoucher
            }
            counters.journalIngressBytes.getAndAddRelease(length);
        }
        if (!event.rejected)
        {
            counters.inputs.incrementRelease();
        }
        counters.lastSequence.setRelease(event.sequence);
        counters.logicalTimeNs.setRelease(event.timeNs);
    }

    private int encode(final InputEvent event)
    {
        scratch.checkLimit(MessageHeaderEncoder.ENCODED_LENGTH + IngressRecordEncoder.BLOCK_LENGTH
            + IngressRecordEncoder.frameHeaderLength() + event.storedLength);
        recordEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .sequence(event.sequence)
            .timeNs(event.timeNs)
            .kind(event.rejected ? JournalRecordKind.REJECTED : JournalRecordKind.INPUT)
            .rejectReason(event.rejected ? event.rejectReason : kr.sejong.city.codecs.RejectReason.NULL_VAL)
            .receivedLength(event.frameLength)
            .putChain(ZERO_CHAIN, 0, ChainHash.LENGTH)
            .putFrame(event.frame, 0, event.storedLength);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + recordEncoder.encodedLength();
        chain.seal(scratch.byteArray(), length, JournalLayout.INGRESS_CHAIN_OFFSET);
        return length;
    }

    @Override
    public void onClose()
    {
        if (appender != null)
        {
            appender.close();
        }
    }

    @Override
    public String roleName()
    {
        return "journal";
    }
}
