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
    private final InputLatencies inputLatencies;
    private InputEvent current;
    private int framesOfCurrent;

    EgressAgent(final EventPoller<InputEvent> poller, final ChronicleQueue queue, final EgressWriter writer, final int batchLimit,
        final InputLatencies inputLatencies)
    {
        super(poller, batchLimit);
        this.queue = queue;
        this.writer = writer;
        this.inputLatencies = inputLatencies;
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
            framesOfCurrent = 0;
            event.output.forEach(this);
            current = null;
            if (framesOfCurrent > 0 && event.receivedNanos != 0)
            {
                inputLatencies.record(event.templateId, writer.publishedNanos() - event.receivedNanos); // its last output's
            }
        }
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        writer.emit(current.sequence, current.timeNs, current.receivedNanos, buffer, offset, length);
        framesOfCurrent++;
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
