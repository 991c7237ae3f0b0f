package kr.sejong.city.core.runtime;

import com.lmax.disruptor.EventPoller;
import org.agrona.LangUtil;
import org.agrona.concurrent.Agent;

/**
 * A consumer of the ring as an Agrona agent: each duty cycle polls the slots its gating sequences
 * allow, at most {@code batchLimit} of them, so that agents composed on one thread take turns.
 */
abstract class RingStage implements Agent, EventPoller.Handler<InputEvent>
{
    private final EventPoller<InputEvent> poller;
    private final int batchLimit;
    private int processed;

    RingStage(final EventPoller<InputEvent> poller, final int batchLimit)
    {
        this.poller = poller;
        this.batchLimit = batchLimit;
    }

    @Override
    public final int doWork()
    {
        processed = 0;
        try
        {
            poller.poll(this);
        }
        catch (final Exception ex)
        {
            LangUtil.rethrowUnchecked(ex);
        }
        return processed;
    }

    @Override
    public final boolean onEvent(final InputEvent event, final long ringSequence, final boolean endOfBatch)
    {
        handle(event);
        return ++processed < batchLimit;
    }

    /** Do this stage's part for one slot. */
    abstract void handle(InputEvent event);
}
