package kr.sejong.city.core.runtime;

import com.lmax.disruptor.EventPoller;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.OperatorActionDecoder;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.core.journal.Snapshots;
import kr.sejong.city.core.loop.ControlLoop;
import net.openhft.chronicle.queue.ChronicleQueue;
import kr.sejong.city.wire.MessageCatalog;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.List;

/**
 * Hands each valid input to the loops registered for its template, one after another on one thread,
 * and leaves their decisions in the ring slot for the egress agent.
 */
final class LoopAgent extends RingStage implements LoopDispatcher.Listener
{
    private final LoopDispatcher dispatcher;
    private final AtomicCounter[] loopInputs;
    private final AtomicCounter[] loopDecisions;
    private final AtomicCounter[] loopErrors;
    private final NodeCounters counters;
    private final List<ControlLoop> loops;
    private final ChronicleQueue snapshotQueue;
    private final byte[] configSha256;
    private final long snapshotInterval;
    private final OperatorActionDecoder operatorAction = new OperatorActionDecoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private Snapshots.Writer snapshots;
    private long nextEgressSequence;
    private long lastSequence = -1;
    private long lastTimeNs;
    private long sinceSnapshot;

    /**
     * @param snapshotInterval snapshot every loop's state after this many inputs (0: only when asked
     *                         with an OperatorAction SNAPSHOT, and at close)
     * @param nextEgressSequence egress sequence the next output will get (kept so a snapshot records it)
     */
    LoopAgent(
        final EventPoller<InputEvent> poller,
        final List<ControlLoop> loops,
        final NodeCounters counters,
        final int batchLimit,
        final ChronicleQueue snapshotQueue,
        final byte[] configSha256,
        final long snapshotInterval,
        final long nextEgressSequence)
    {
        super(poller, batchLimit);
        this.dispatcher = new LoopDispatcher(loops, this);
        this.counters = counters;
        this.loops = List.copyOf(loops);
        this.snapshotQueue = snapshotQueue;
        this.configSha256 = configSha256.clone();
        this.snapshotInterval = snapshotInterval;
        this.nextEgressSequence = nextEgressSequence;
        this.loopInputs = new AtomicCounter[loops.size()];
        this.loopDecisions = new AtomicCounter[loops.size()];
        this.loopErrors = new AtomicCounter[loops.size()];
        for (int i = 0; i < loops.size(); i++)
        {
            final String name = loops.get(i).name();
            loopInputs[i] = counters.loopCounter(NodeCounters.LOOP_INPUTS, i, "loop inputs: " + name);
            loopDecisions[i] = counters.loopCounter(NodeCounters.LOOP_DECISIONS, i, "loop decisions: " + name);
            loopErrors[i] = counters.loopCounter(NodeCounters.LOOP_ERRORS, i, "loop errors: " + name);
        }
    }

    @Override
    public void onStart()
    {
        snapshots = new Snapshots.Writer(snapshotQueue);
    }

    @Override
    void handle(final InputEvent event)
    {
        event.output.reset();
        if (!event.rejected)
        {
            dispatcher.dispatch(event.sequence, event.timeNs, event.frame, 0, event.frameLength, event.output);
        }
        nextEgressSequence += event.rejected ? 1 : event.output.count();
        lastSequence = event.sequence;
        lastTimeNs = event.timeNs;
        sinceSnapshot++;
        if ((snapshotInterval > 0 && sinceSnapshot >= snapshotInterval) || isSnapshotRequest(event))
        {
            snapshot();
        }
    }

    private boolean isSnapshotRequest(final InputEvent event)
    {
        if (event.rejected || event.templateId != OperatorActionDecoder.TEMPLATE_ID)
        {
            return false;
        }
        header.wrap(event.frame, 0);
        operatorAction.wrap(event.frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        return operatorAction.actionKind() == OperatorActionKind.SNAPSHOT;
    }

    private void snapshot()
    {
        if (!loops.isEmpty() && lastSequence >= 0)
        {
            counters.snapshotBytes.getAndAddRelease(
                snapshots.write(lastSequence, lastTimeNs, nextEgressSequence, configSha256, loops));
            counters.snapshots.incrementRelease();
        }
        sinceSnapshot = 0;
    }

    @Override
    public void onClose()
    {
        if (snapshots != null)
        {
            if (sinceSnapshot > 0)
            {
                snapshot(); // a clean stop leaves a snapshot of the final state: the next start needs no replay
            }
            snapshots.close();
        }
    }

    @Override
    public void onHandled(final int loopIndex, final int decisions)
    {
        loopInputs[loopIndex].incrementRelease();
        if (decisions > 0)
        {
            loopDecisions[loopIndex].getAndAddRelease(decisions);
        }
    }

    @Override
    public void onError(final int loopIndex, final int templateId, final Throwable error)
    {
        loopErrors[loopIndex].incrementRelease();
        counters.recordError(new LoopException(dispatcher.loop(loopIndex).name(), MessageCatalog.name(templateId), error));
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
