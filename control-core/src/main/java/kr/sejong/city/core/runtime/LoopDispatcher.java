package kr.sejong.city.core.runtime;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.wire.MessageCatalog;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands an input to the loops registered for its template, in registration order, and collects their
 * decisions. The one place where loops are driven: by the node's loop agent, by crash recovery and by
 * replay, so that all three run the loops exactly alike.
 */
public final class LoopDispatcher
{
    private static final int[] NO_LOOPS = new int[0];

    private final ControlLoop[] loops;
    /** For each template id, the indexes of the loops that take it, in registration order. */
    private final int[][] loopsByTemplate = new int[MessageCatalog.MAX_TEMPLATE_ID + 1][];
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final Input input = new Input();
    private final Listener listener;

    /** What the node wants to know about each loop's work (counters); replay needs nothing. */
    public interface Listener
    {
        Listener NONE = new Listener()
        {
        };

        default void onHandled(final int loopIndex, final int decisions)
        {
        }

        default void onError(final int loopIndex, final int templateId, final Throwable error)
        {
        }
    }

    public LoopDispatcher(final List<ControlLoop> loops, final Listener listener)
    {
        this.loops = loops.toArray(new ControlLoop[0]);
        this.listener = listener;
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
        }
        for (int t = 0; t <= MessageCatalog.MAX_TEMPLATE_ID; t++)
        {
            final List<Integer> indexes = byTemplate.get(t);
            loopsByTemplate[t] = indexes.isEmpty() ? NO_LOOPS : indexes.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * Hand one valid input frame to its loops; their decisions are appended to {@code output}.
     *
     * @param frame the frame exactly as journaled (header included)
     */
    public void dispatch(final long sequence, final long timeNs, final DirectBuffer frame, final int offset, final int length,
        final OutputBuffer output)
    {
        header.wrap(frame, offset);
        final int templateId = header.templateId();
        final int[] indexes = templateId <= MessageCatalog.MAX_TEMPLATE_ID ? loopsByTemplate[templateId] : NO_LOOPS;
        if (indexes.length == 0)
        {
            return;
        }
        input.wrap(sequence, timeNs, templateId, header.version(), header.blockLength(), frame, offset, length);
        for (final int i : indexes)
        {
            final int before = output.count();
            try
            {
                loops[i].onInput(input, output);
            }
            catch (final Throwable ex)
            {
                // deterministic like everything else here: a replay meets the same exception at the same input
                output.abortClaim();
                listener.onError(i, templateId, ex);
            }
            listener.onHandled(i, output.count() - before);
        }
    }

    public int loopCount()
    {
        return loops.length;
    }

    public ControlLoop loop(final int index)
    {
        return loops[index];
    }
}
