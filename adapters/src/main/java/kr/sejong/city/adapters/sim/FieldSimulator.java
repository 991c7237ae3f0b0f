package kr.sejong.city.adapters.sim;

import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Publishes a {@link FieldModel}'s frames on the node's ingress, one step per duty cycle at most.
 * <ul>
 *   <li>{@link Pacing#LIVE}: step [t, t + step) is published once the clock has passed t + step; no
 *   Ticks, the node stamps the time itself (and its clock agent sends the Ticks).</li>
 *   <li>{@link Pacing#SIMULATED}: as fast as the node takes them. Each step begins with a Tick (source
 *   SIMULATION, timeNs = the step's start, periodNs = the step), so the node stamps the step's frames
 *   with the step's start. Starts at {@link Context#startTimeNs}, stops after {@link Context#stepLimit}
 *   steps or at {@link Context#endTimeNs}.</li>
 * </ul>
 * No frame is ever dropped: under back-pressure (or before the node's subscription is there) the rest
 * of the step is kept and retried on the next duty cycle, and {@link #doWork()} returns 0 so that the
 * idle strategy, not this agent, decides how to wait.
 * <h2>Signal control, closed loop</h2>
 * Before the first step the simulator publishes one {@code IntersectionTopology} per signalised
 * intersection ({@link FieldModel#topologies}); each step's frames end with their {@code LaneObservations}.
 * Given the node's egress ({@link Context#egress}), it reads the {@code SignalCommand}s there and the
 * intersections show them ({@link SignalizedField#show}); without it they run their own programs.
 * <ul>
 *   <li>LIVE: the commands that have arrived by the time a step is computed apply to it.</li>
 *   <li>SIMULATED: a step is split in two. The Tick goes out first; the simulator then waits (doWork
 *   returns 0, the thread is never blocked) until every intersection has had as many commands as there
 *   were Ticks, so it holds the answer to this Tick, and only then computes and publishes the step's
 *   frames with those states: observations, Tick, commands, step, as the signal/twin contract orders
 *   them. Before the first Tick it waits for the egress subscription to connect. A wait longer than
 *   {@link Context#commandTimeoutMs} carries on with the states it has and is counted
 *   ({@link #commandTimeouts()}): the only way wall-clock time can reach the frames, so a run without
 *   timeouts is determined by the seed and the node.</li>
 * </ul>
 */
public final class FieldSimulator implements Agent
{
    public enum Pacing
    {
        /** Steps follow the wall clock; the node stamps time. */
        LIVE,
        /** Steps as fast as the node takes them, each led by a SIMULATION Tick. */
        SIMULATED
    }

    private static final int LENGTH_PREFIX = Integer.BYTES;
    /** Egress fragments read per duty cycle at most (the node sends one command per intersection per Tick). */
    private static final int EGRESS_FRAGMENT_LIMIT = 256;

    private final FieldModel model;
    private final FrameSource source;
    private final Publication publication;
    private final Pacing pacing;
    private final long stepNs;
    private final long stepLimit;
    private final long endTimeNs;
    private final EpochNanoClock clock;
    private final Subscription egress;
    private final NanoClock nanoClock;
    private final long commandTimeoutNs;
    private final SignalizedField signals;
    private final long[] commandCounts;
    /** Per intersection: Ticks whose answer was lost for good (see {@link #onTimeout}). */
    private final long[] commandBase;
    private final boolean[] behindAtLastTimeout;
    private final boolean[] notAwaited;
    private final FragmentAssembler egressAssembler = new FragmentAssembler(this::onEgress);
    private final MessageHeaderDecoder egressHeader = new MessageHeaderDecoder();
    private final SignalCommandDecoder command = new SignalCommandDecoder();
    private final UnsafeBuffer letters = new UnsafeBuffer(0, 0);

    /** The frames of the current step not yet published, each as [int length][frame]. */
    private final ExpandableArrayBuffer pending = new ExpandableArrayBuffer(64 * 1024);
    private int pendingPosition;
    private int pendingLimit;
    private final FrameSink collector = this::collect;
    private final UnsafeBuffer tickBuffer = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + TickEncoder.BLOCK_LENGTH]);
    private final MessageHeaderEncoder tickHeader = new MessageHeaderEncoder();
    private final TickEncoder tickEncoder = new TickEncoder();

    private long nextStepNs;
    private boolean started;
    /** SIMULATED with egress: this step's Tick is out, its frames wait for the commands that answer it. */
    private boolean awaitingCommands;
    private long awaitSinceNs = Long.MIN_VALUE;
    private boolean egressChecked;
    private long ticksPublished;
    private volatile long commandsReceived;
    private volatile long commandTimeouts;
    private volatile long rejectsSeen;
    private volatile long steps;
    private volatile long framesPublished;
    private volatile long backPressureEvents;
    private volatile long notConnectedEvents;
    private volatile boolean done;

    public FieldSimulator(final Context ctx)
    {
        ctx.conclude();
        this.model = ctx.model();
        this.source = ctx.source() != null ? ctx.source() : model;
        this.publication = ctx.publication();
        this.pacing = ctx.pacing();
        this.stepNs = ctx.stepMs() * 1_000_000L;
        this.stepLimit = ctx.stepLimit();
        this.endTimeNs = ctx.endTimeNs();
        this.clock = ctx.epochNanoClock();
        this.nextStepNs = ctx.startTimeNs();
        this.egress = ctx.egress();
        this.nanoClock = ctx.nanoClock();
        this.commandTimeoutNs = ctx.commandTimeoutMs() * 1_000_000L;
        this.signals = model.signals();
        this.commandCounts = new long[signals.intersectionCount()];
        this.commandBase = new long[signals.intersectionCount()];
        this.behindAtLastTimeout = new boolean[signals.intersectionCount()];
        this.notAwaited = new boolean[signals.intersectionCount()];
    }

    @Override
    public void onStart()
    {
        start();
    }

    private void start()
    {
        if (!started)
        {
            started = true;
            // the intersections' topologies go out before anything else
            pendingPosition = 0;
            pendingLimit = 0;
            source.topologies(collector);
            if (nextStepNs == Context.NULL_TIME)
            {
                // live, no start given: the step boundary before now, so the first step is due in under a step
                final long nowNs = clock.nanoTime();
                nextStepNs = nowNs - Math.floorMod(nowNs, stepNs);
            }
        }
    }

    @Override
    public int doWork()
    {
        start();
        int work = pollEgress();
        work += publishPending();
        if (pendingPosition < pendingLimit || done)
        {
            return work;
        }
        if (awaitingCommands)
        {
            if (!answered())
            {
                if (awaitSinceNs == Long.MIN_VALUE)
                {
                    awaitSinceNs = nanoClock.nanoTime(); // the Tick is out: the node's answer is due from now
                    return work;
                }
                if (nanoClock.nanoTime() - awaitSinceNs < commandTimeoutNs)
                {
                    return work;
                }
                onTimeout();
            }
            awaitingCommands = false;
            modelStep();
            return work + 1 + publishPending();
        }
        if (steps >= stepLimit || nextStepNs >= endTimeNs)
        {
            done = true;
            return work;
        }
        final long stepEndNs = nextStepNs + stepNs;
        if (pacing == Pacing.LIVE && clock.nanoTime() < stepEndNs)
        {
            return work;
        }
        if (pacing == Pacing.SIMULATED && egress != null && !egressChecked)
        {
            // the answer to the first Tick must not go out before we listen
            if (!egress.isConnected())
            {
                if (awaitSinceNs == Long.MIN_VALUE)
                {
                    awaitSinceNs = nanoClock.nanoTime();
                    return work;
                }
                if (nanoClock.nanoTime() - awaitSinceNs < commandTimeoutNs)
                {
                    return work;
                }
                commandTimeouts = commandTimeouts + 1; // no Tick was waited for: nobody is behind yet
            }
            egressChecked = true;
            awaitSinceNs = Long.MIN_VALUE;
        }

        pendingPosition = 0;
        pendingLimit = 0;
        if (pacing == Pacing.SIMULATED)
        {
            tickEncoder.wrapAndApplyHeader(tickBuffer, 0, tickHeader)
                .timeNs(nextStepNs)
                .periodNs(stepNs)
                .source(TickSource.SIMULATION)
                .tickNumber(steps);
            collect(tickBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + tickEncoder.encodedLength());
            ticksPublished++;
            if (egress != null)
            {
                awaitingCommands = true;
                awaitSinceNs = Long.MIN_VALUE;
                return work + 1 + publishPending();
            }
        }
        modelStep();
        work += 1 + publishPending();
        return work;
    }

    /** The model's frames of [nextStepNs, nextStepNs + step), added to what is pending. */
    private void modelStep()
    {
        final long stepEndNs = nextStepNs + stepNs;
        source.step(nextStepNs, stepEndNs, collector);
        nextStepNs = stepEndNs;
        steps = steps + 1;
    }

    /** Whether every intersection awaited has had a command for every Tick published. */
    private boolean answered()
    {
        for (int i = 0; i < commandCounts.length; i++)
        {
            if (!notAwaited[i] && commandCounts[i] + commandBase[i] < ticksPublished)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * A Tick not answered in time. A late answer catches up by itself (the counts only grow); an
     * intersection still behind at the next timeout lost an answer for good: it is counted from here on,
     * or, when it has never been answered at all (the node does not control it), no longer awaited.
     */
    private void onTimeout()
    {
        commandTimeouts = commandTimeouts + 1;
        for (int i = 0; i < commandCounts.length; i++)
        {
            final boolean behind = !notAwaited[i] && commandCounts[i] + commandBase[i] < ticksPublished;
            if (behind && behindAtLastTimeout[i])
            {
                if (commandCounts[i] == 0)
                {
                    notAwaited[i] = true;
                }
                else
                {
                    commandBase[i] = ticksPublished - commandCounts[i];
                }
                behindAtLastTimeout[i] = false;
                continue;
            }
            behindAtLastTimeout[i] = behind;
        }
    }

    private int pollEgress()
    {
        return egress == null ? 0 : egress.poll(egressAssembler, EGRESS_FRAGMENT_LIMIT);
    }

    private void onEgress(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        egressHeader.wrap(buffer, offset);
        final int templateId = egressHeader.templateId();
        if (templateId == SignalCommandDecoder.TEMPLATE_ID && egressHeader.schemaId() == SignalCommandDecoder.SCHEMA_ID)
        {
            command.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, egressHeader.blockLength(), egressHeader.version());
            final long intersectionId = command.intersectionId();
            command.wrapSignalState(letters);
            signals.show(intersectionId, letters, 0, letters.capacity());
            final int index = signals.indexOfIntersection(intersectionId);
            if (index >= 0)
            {
                commandCounts[index]++;
            }
            commandsReceived = commandsReceived + 1;
        }
        else if (templateId == RejectDecoder.TEMPLATE_ID)
        {
            rejectsSeen = rejectsSeen + 1;
        }
        // anything else on egress is for someone else
    }

    private void collect(final DirectBuffer buffer, final int offset, final int length)
    {
        pending.putInt(pendingLimit, length);
        pending.putBytes(pendingLimit + LENGTH_PREFIX, buffer, offset, length);
        pendingLimit += LENGTH_PREFIX + length;
    }

    /** Offer the step's remaining frames in order; stop at the first that cannot go now. */
    private int publishPending()
    {
        int published = 0;
        while (pendingPosition < pendingLimit)
        {
            final int length = pending.getInt(pendingPosition);
            final long result = publication.offer(pending, pendingPosition + LENGTH_PREFIX, length);
            if (result > 0)
            {
                pendingPosition += LENGTH_PREFIX + length;
                published++;
                continue;
            }
            if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
            {
                backPressureEvents = backPressureEvents + 1;
            }
            else if (result == Publication.NOT_CONNECTED)
            {
                notConnectedEvents = notConnectedEvents + 1;
            }
            else
            {
                // CLOSED or MAX_POSITION_EXCEEDED: this publication can take nothing more
                throw new AgentTerminationException("field simulator: ingress publication unusable (offer returned "
                    + result + "), " + (pendingLimit - pendingPosition) + " bytes of the step unpublished");
            }
            break;
        }
        framesPublished = framesPublished + published;
        return published;
    }

    /** Logical start of the next step to publish. */
    public long nextStepNs()
    {
        return nextStepNs;
    }

    /** Steps taken from the model (the last may still be publishing). */
    public long steps()
    {
        return steps;
    }

    /** Frames accepted by the publication, Ticks included. */
    public long framesPublished()
    {
        return framesPublished;
    }

    /** Offers refused because the node was behind (BACK_PRESSURED or ADMIN_ACTION); each is retried. */
    public long backPressureEvents()
    {
        return backPressureEvents;
    }

    /** Offers refused because no subscriber was connected yet; each is retried. */
    public long notConnectedEvents()
    {
        return notConnectedEvents;
    }

    /** SignalCommands read from the node's egress. */
    public long commandsReceived()
    {
        return commandsReceived;
    }

    /**
     * SIMULATED pacing: Ticks whose commands did not all arrive within the timeout (the step went on with
     * the states the intersections had), and a start at which the egress did not connect in time. An
     * intersection behind at two timeouts in a row is then counted from where it is (an answer lost), or no
     * longer waited for if it never had a command (the node does not control it).
     */
    public long commandTimeouts()
    {
        return commandTimeouts;
    }

    /** Rejects seen on the node's egress (each names an input the node refused). */
    public long rejectsSeen()
    {
        return rejectsSeen;
    }

    /** Whether the simulator reads the node's commands (a Context with an egress subscription). */
    public boolean closedLoop()
    {
        return egress != null;
    }

    /** Whether the step limit or the end time has been reached and everything is published. */
    public boolean isDone()
    {
        return done;
    }

    public FieldModel model()
    {
        return model;
    }

    @Override
    public String roleName()
    {
        return "field-simulator";
    }

    /**
     * Settings of a simulator; {@link #conclude()} validates them and names the setting that is wrong.
     */
    public static final class Context
    {
        /** "Not set" for the time settings. */
        public static final long NULL_TIME = Long.MIN_VALUE;
        /** How long SIMULATED pacing waits for the commands answering a Tick (chosen: far above a node's answer time). */
        public static final int COMMAND_TIMEOUT_MS_DEFAULT = 1000;

        private FieldModel model;
        private FrameSource source;
        private Publication publication;
        private Pacing pacing;
        private int stepMs;
        private long startTimeNs = NULL_TIME;
        private long stepLimit = Long.MAX_VALUE;
        private long endTimeNs = Long.MAX_VALUE;
        private EpochNanoClock epochNanoClock;
        private Subscription egress;
        private NanoClock nanoClock;
        private int commandTimeoutMs = COMMAND_TIMEOUT_MS_DEFAULT;
        private boolean concluded;

        /**
         * Fill in defaults and check the settings: model, publication and pacing are required; the step
         * defaults to the model's {@code simulator.stepMs}; SIMULATED pacing needs a start time; LIVE
         * starts at the step boundary before the clock's time unless given one, and reads the system clock
         * unless given another.
         *
         * @throws IllegalArgumentException naming the setting that is wrong.
         */
        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            require(model != null, "model", "is required");
            require(publication != null, "publication", "is required");
            require(pacing != null, "pacing", "is required (LIVE or SIMULATED)");
            if (stepMs == 0)
            {
                stepMs = model.config().simulator().stepMs();
            }
            require(stepMs > 0, "stepMs", "must be positive, was " + stepMs);
            require(stepLimit >= 0, "stepLimit", "must be >= 0, was " + stepLimit);
            if (pacing == Pacing.SIMULATED)
            {
                require(startTimeNs != NULL_TIME, "startTimeNs", "is required for SIMULATED pacing");
            }
            if (startTimeNs != NULL_TIME)
            {
                require(endTimeNs >= startTimeNs, "endTimeNs", "must not be before startTimeNs " + startTimeNs + ", was " + endTimeNs);
            }
            if (epochNanoClock == null)
            {
                epochNanoClock = new SystemEpochNanoClock();
            }
            require(commandTimeoutMs > 0, "commandTimeoutMs", "must be positive, was " + commandTimeoutMs);
            if (nanoClock == null)
            {
                nanoClock = new SystemNanoClock();
            }
            concluded = true;
            return this;
        }

        private static void require(final boolean condition, final String setting, final String problem)
        {
            if (!condition)
            {
                throw new IllegalArgumentException("field simulator setting '" + setting + "' " + problem);
            }
        }

        public FieldModel model() { return model; }
        /** What to publish. */
        public Context model(final FieldModel model) { this.model = model; return this; }

        public FrameSource source() { return source; }

        /**
         * Where the frames come from instead of the model itself (default: the model): something that stands between
         * the model and the node, such as the OPC UA field servers' feed.
         */
        public Context source(final FrameSource source) { this.source = source; return this; }
        public Publication publication() { return publication; }
        /** The node's ingress (its channel and stream id); the simulator does not close it. */
        public Context publication(final Publication publication) { this.publication = publication; return this; }
        public Pacing pacing() { return pacing; }
        public Context pacing(final Pacing pacing) { this.pacing = pacing; return this; }
        public int stepMs() { return stepMs; }
        /** Logical time per step; default the configuration's {@code simulator.stepMs}. */
        public Context stepMs(final int stepMs) { this.stepMs = stepMs; return this; }
        public long startTimeNs() { return startTimeNs; }
        /** Epoch ns of the first step's start: required for SIMULATED, optional for LIVE. */
        public Context startTimeNs(final long startTimeNs) { this.startTimeNs = startTimeNs; return this; }
        public long stepLimit() { return stepLimit; }
        /** Stop after this many steps; default no limit. */
        public Context stepLimit(final long stepLimit) { this.stepLimit = stepLimit; return this; }
        public long endTimeNs() { return endTimeNs; }
        /** Take no step starting at or after this epoch ns; default no end. */
        public Context endTimeNs(final long endTimeNs) { this.endTimeNs = endTimeNs; return this; }
        public EpochNanoClock epochNanoClock() { return epochNanoClock; }
        /** The wall clock LIVE pacing follows; default the system clock. */
        public Context epochNanoClock(final EpochNanoClock epochNanoClock) { this.epochNanoClock = epochNanoClock; return this; }
        public Subscription egress() { return egress; }
        /**
         * The node's egress (its channel and stream id), optional: the intersections then show the node's
         * SignalCommands, and SIMULATED pacing waits for them after each Tick. The simulator does not close it.
         */
        public Context egress(final Subscription egress) { this.egress = egress; return this; }
        public int commandTimeoutMs() { return commandTimeoutMs; }
        /** SIMULATED pacing with egress: the longest wait for a Tick's commands; default {@value #COMMAND_TIMEOUT_MS_DEFAULT} ms. */
        public Context commandTimeoutMs(final int commandTimeoutMs) { this.commandTimeoutMs = commandTimeoutMs; return this; }
        public NanoClock nanoClock() { return nanoClock; }
        /** The clock the command timeout is measured with; default the system's. */
        public Context nanoClock(final NanoClock nanoClock) { this.nanoClock = nanoClock; return this; }
    }
}
