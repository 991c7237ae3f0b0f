package kr.sejong.city.core.runtime;

import com.lmax.disruptor.EventPoller;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.wire.MessageCatalog;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands each valid input to the loops registered for its template, one after another on one thread,
 * and leaves their decisions in the ring slot for the egress agent.
 */
final class LoopAgent extends RingStage
{
    private static final int[] NO_LOOPS = new int[0];

    private final ControlLoop[] loops;
    /** For each template id, the indexes of the loops that take it, in registration order. */
    private final int[][] loopsByTemplate = new int[MessageCatalog.MAX_TEMPLATE_ID + 1][];
    private final AtomicCounter[] loopInputs;
    private final AtomicCounter[] loopDecisions;
    private final AtomicCounter[] loopErrors;
    private final NodeCounters counters;
    private final Input input = new Input();

    LoopAgent(
        final EventPoller<InputEvent> poller,
        final List<ControlLoop> loops,
        final NodeCounters counters,
        final int batchLimit)
    {
        super(poller, batchLimit);
        this.loops = loops.toArray(new ControlLoop[0]);
        this.counters = counters;
        this.loopInputs = new AtomicCounter[this.loops.length];
        this.loopDecisions = new AtomicCounter[this.loops.length];
        this.loopErrors = new AtomicCounter[this.loops.length];

        final List<List<Integer>> byTemplate = new ArrayList<>();
        for (int t = 0; t <= MessageCatalog.MAX_TEMPLATE_ID; t++)
        {
            byTemplate.add(new ArrayList<>());
        }
        for (int i = 0; i < this.loops.length; i++)
        {
            final ControlLoop loop = this.loops[i];
            for (final int templateId : loop.templateIds())
            {
                if (!MessageCatalog.isIngressAllowed(templateId))
                {
                    throw new IllegalArgumentException("loop '" + loop.name() + "' registers for "
                        + MessageCatalog.name(templateId) + ", which never arrives on ingress");
                }
                byTemplate.get(templateId).add(i);
            }
            loopInputs[i] = counters.loopCounter(NodeCounters.LOOP_INPUTS, i, "loop inputs: " + loop.name());
            loopDecisions[i] = counters.loopCounter(NodeCounters.LOOP_DECISIONS, i, "loop decisions: " + loop.name());
            loopErrors[i] = counters.loopCounter(NodeCounters.LOOP_ERRORS, i, "loop errors: " + loop.name());
        }
        for (int t = 0; t <= MessageCatalog.MAX_TEMPLATE_ID; t++)
        {
            final List<Integer> indexes = byTemplate.get(t);
            loopsByTemplate[t] = indexes.isEmpty() ? NO_LOOPS : indexes.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    @Override
    void handle(final InputEvent event)
    {
        event.resetOutput();
        if (!event.rejected)
        {
            final int[] indexes = loopsByTemplate[event.templateId];
            if (indexes.length > 0)
            {
                input.wrap(event.sequence, event.timeNs, event.templateId, event.version, event.blockLength,
                    event.frame, 0, event.frameLength);
                for (final int i : indexes)
                {
                    dispatch(i, event);
                }
            }
        }
    }

    private void dispatch(final int loopIndex, final InputEvent event)
    {
        final int before = event.outputCount;
        try
        {
            loops[loopIndex].onInput(input, event);
        }
        catch (final Throwable ex)
        {
            // deterministic like everything else here: a replay meets the same exception at the same input
            event.abortClaim();
            loopErrors[loopIndex].incrementRelease();
            counters.recordError(new LoopException(loops[loopIndex].name(), MessageCatalog.name(event.templateId), ex));
        }
        loopInputs[loopIndex].incrementRelease();
        final int decisions = event.outputCount - before;
        if (decisions > 0)
        {
            loopDecisions[loopIndex].getAndAddRelease(decisions);
        }
    }

    @Override
    public String roleName()
    {
        return "loops";
    }

    /** A loop threw while handling an input. */
    static final class LoopException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        LoopException(final String loop, final String message, final Throwable cause)
        {
            // no sequence number in the text: the distinct error log folds repeats of the same failure
            super("loop '" + loop + "' failed on " + message + ": " + cause, cause);
        }
    }
}
