package kr.sejong.city.core.runtime;

import com.lmax.disruptor.EventPoller;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.agrona.DirectBuffer;

/**
 * Sends the node's output once the input that caused it is journaled: a Reject for each rejected
 * frame, and the loops' decisions in order, each through the {@link EgressWriter} (egress journal,
 * then the publication).
 */
final class EgressAgent extends RingStage implements OutputBuffer.FrameConsumer
{
    private final ChronicleQueue queue;
    private final EgressWriter writer;
    private final Rejects rejects = new Rejects();
    private ExcerptAppender appender;
    private InputEvent current;

    EgressAgent(final EventPoller<InputEvent> poller, final ChronicleQueue queue, final EgressWriter writer, final int batchLimit)
    {
        super(poller, batchLimit);
        this.queue = queue;
        this.writer = writer;
    }

    @Override
    public void onStart()
    {
        appender = queue.createAppender();
        writer.appender(appender);
    }

    @Override
    void handle(final InputEvent event)
    {
        if (event.rejected)
        {
            final int length = rejects.encode(event.sequence, event.rejectReason, event.frame, event.storedLength, event.frameLength);
            writer.emit(event.sequence, event.timeNs, event.receivedNanos, rejects.buffer(), 0, length);
        }
        else
        {
            current = event;
            event.output.forEach(this);
            current = null;
        }
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        writer.emit(current.sequence, current.timeNs, current.receivedNanos, buffer, offset, length);
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
        return "egress";
    }
}
