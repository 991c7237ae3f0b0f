package kr.sejong.city.adapters.sim;

import io.aeron.Publication;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
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

    private final FieldModel model;
    private final Publication publication;
    private final Pacing pacing;
    private final long stepNs;
    private final long stepLimit;
    private final long endTimeNs;
    private final EpochNanoClock clock;

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
    private volatile long steps;
    private volatile long framesPublished;
    private volatile long backPressureEvents;
    private volatile long notConnectedEvents;
    private volatile boolean done;

    public FieldSimulator(final Context ctx)
    {
        ctx.conclude();
        this.model = ctx.model();
        this.publication = ctx.publication();
        this.pacing = ctx.pacing();
        this.stepNs = ctx.stepMs() * 1_000_000L;
        this.stepLimit = ctx.stepLimit();
        this.endTimeNs = ctx.endTimeNs();
        this.clock = ctx.epochNanoClock();
        this.nextStepNs = ctx.startTimeNs();
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
        int work = publishPending();
        if (pendingPosition < pendingLimit || done)
        {
            return work;
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
        }
        model.step(nextStepNs, stepEndNs, collector);
        nextStepNs = stepEndNs;
        steps = steps + 1;
        work += 1 + publishPending();
        return work;
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

        private FieldModel model;
        private Publication publication;
        private Pacing pacing;
        private int stepMs;
        private long startTimeNs = NULL_TIME;
        private long stepLimit = Long.MAX_VALUE;
        private long endTimeNs = Long.MAX_VALUE;
        private EpochNanoClock epochNanoClock;
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
    }
}
