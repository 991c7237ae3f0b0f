package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

/**
 * One signalised intersection under control: its model, its conflict monitor, its lanes' traffic and where
 * their vehicles are ({@link ArrivalTracker}, updated first on every tick), and the phase sequence it is in.
 * On every tick it
 * <ol>
 *   <li>decides whether it runs on observations or falls back to its own program (observations older than
 *       the timeout), and notes the recovery when they return;</li>
 *   <li>sequences the phases: a green is held for at least min green, then its controller decides to hold
 *       or end it; ending goes through yellow ({@code yellowMs}) for the movements losing green, then red
 *       clearance ({@code allRedMs}), then the next green. Movements green in both phases stay green;</li>
 *   <li>passes the state it means to show through the conflict monitor; what the monitor returns is shown.
 *       When the monitor refuses, the sequence steps back (a stage change is retried next tick; a refused
 *       green is restarted through clearance), so the sequencer always follows what is really shown.</li>
 * </ol>
 * All state is primitive and written by {@link #snapshot}.
 */
public final class ControlledIntersection
{
    public static final int STAGE_GREEN = 0;
    public static final int STAGE_YELLOW = 1;
    public static final int STAGE_ALL_RED = 2;

    private static final SignalReason[] REASONS = SignalReason.values();

    private final IntersectionModel model;
    private final SignalTiming timing;
    private final ConflictMonitor monitor;
    private final LaneTraffic traffic;
    private final ArrivalTracker arrivals;
    private final PriorityControl priority;
    private final PrioritySettings prioritySettings;
    private final Decision decision = new Decision();
    private final byte[] proposed;
    private final byte[] shown;
    private final boolean[] demand;
    private final byte[] clearance;

    // control mode and fallback
    private ControlMode mode;
    private long createdAtNs;
    /** The first Tick this intersection saw: before it there is no logical time to speak of (simulated mode). */
    private long firstTickNs = LaneTraffic.NEVER_NS;
    private boolean fallback;
    /** False while the controller's field adapter reports it OFFLINE (then: fallback, whatever the observations). */
    private boolean reachable = true;
    private boolean recovering;
    private long fallbacks;

    // phase sequence
    private boolean started;
    private int stage;
    private int phase;
    private int nextPhase;
    private long stageStartNs;
    private long greenStartNs;
    private long reviewAtNs;
    private SignalReason holdReason = SignalReason.MIN_GREEN;
    private SignalReason nextChoice = SignalReason.PRESSURE;
    private int holdMs;
    private int programCursor;

    // the last command
    private SignalReason reason = SignalReason.NULL_VAL;
    private int durationMs;
    private int phaseIndex;
    private boolean refused;
    private boolean transitActive;

    public ControlledIntersection(
        final IntersectionModel model, final SignalTiming timing, final ControlMode mode, final long createdAtNs)
    {
        this(model, timing, PrioritySettings.defaults(timing), mode, createdAtNs);
    }

    public ControlledIntersection(
        final IntersectionModel model, final SignalTiming timing, final PrioritySettings prioritySettings, final ControlMode mode,
        final long createdAtNs)
    {
        this.prioritySettings = prioritySettings;
        this.priority = new PriorityControl(model, prioritySettings);
        this.model = model;
        this.timing = timing;
        this.monitor = new ConflictMonitor(model, timing);
        this.traffic = new LaneTraffic(model.laneCount());
        this.arrivals = new ArrivalTracker(model);
        this.proposed = new byte[model.movementCount()];
        this.shown = new byte[model.movementCount()];
        this.demand = new boolean[model.movementCount()];
        this.clearance = new byte[model.movementCount()];
        this.mode = mode;
        this.createdAtNs = createdAtNs;
    }

    /**
     * Decide this tick's signal state. Afterwards {@link #shown()}, {@link #reason()}, {@link #signalMode()},
     * {@link #durationMs()} and {@link #phaseIndex()} describe the command to send.
     *
     * @param controllers the controller of each {@link ControlMode}, by ordinal.
     * @param fixed       the controller that plays the own program in fallback.
     */
    public void tick(final long nowNs, final PhaseController[] controllers, final PhaseController fixed)
    {
        tick(nowNs, controllers, fixed, NO_STATUS);
    }

    private static final PriorityControl.StatusSink NO_STATUS = (requestId, vehicleId, status, why, queue) -> { };

    /** As {@link #tick(long, PhaseController[], PhaseController)}, sending priority statuses to {@code statuses}. */
    public void tick(final long nowNs, final PhaseController[] controllers, final PhaseController fixed,
        final PriorityControl.StatusSink statuses)
    {
        updateFallback(nowNs);
        arrivals.update(traffic, monitor, nowNs); // the monitor still shows what the traffic saw since the last tick
        traffic.updateWaiting(model, started && stage == STAGE_GREEN ? phase : -1, nowNs);
        final PhaseController controller = fallback ? fixed : controllers[mode.ordinal()];
        maxedOutAtNs = nowNs;
        maxedOutCalls = demandOrNull(); // this tick's demand, once: the clearance asks it per movement
        priority.tick(nowNs, this, statuses);
        monitor.preempting(priority.preempting(), prioritySettings.pedestrianMinGreenNs);
        transitActive = false;
        final int preemptTarget = started ? priority.targetPhase() : -1;
        if (preemptTarget >= 0 && stage != STAGE_GREEN && preemptTarget != nextPhase)
        {
            retarget(preemptTarget, nowNs, priority.holdReason());
        }

        final int stageBefore = stage;
        final int phaseBefore = phase;
        final int nextPhaseBefore = nextPhase;
        final long stageStartBefore = stageStartNs;
        final long greenStartBefore = greenStartNs;
        final boolean startedBefore = started;

        if (!started)
        {
            started = true;
            startGreen(firstPhase(), nowNs, fallback ? SignalReason.FALLBACK_NO_DATA : openingReason());
        }
        else if (stage == STAGE_GREEN)
        {
            onGreen(nowNs, controller);
        }
        else if (stage == STAGE_YELLOW)
        {
            onYellow(nowNs);
        }
        else
        {
            onAllRed(nowNs);
        }

        refused = !monitor.check(nowNs, proposed, demandOrNull(), shown);
        if (refused)
        {
            reason = SignalReason.SAFETY_OVERRIDE;
            durationMs = 0;
            final boolean heldGreen = stageBefore == STAGE_GREEN && stage == STAGE_GREEN && startedBefore;
            if (heldGreen)
            {
                // what is shown is no longer the green we hold: clear and show it again
                stage = STAGE_YELLOW;
                nextPhase = phase;
                nextChoice = SignalReason.SAFETY_OVERRIDE;
                stageStartNs = nowNs;
            }
            else if (startedBefore)
            {
                // a stage change the monitor did not allow yet: try again next tick
                stage = stageBefore;
                phase = phaseBefore;
                nextPhase = nextPhaseBefore;
                stageStartNs = stageStartBefore;
                greenStartNs = greenStartBefore;
            }
        }
    }

    private void updateFallback(final long nowNs)
    {
        if (mode == ControlMode.FIXED)
        {
            fallback = false;
            recovering = false;
            return;
        }
        if (firstTickNs == LaneTraffic.NEVER_NS)
        {
            firstTickNs = nowNs;
        }
        // anything stamped before the first Tick counts as seen at it: in simulated mode inputs that
        // arrive before the first Tick carry the journal's previous time (0 on a fresh one)
        final long observedAtNs = traffic.observedAtNs() == LaneTraffic.NEVER_NS
            ? Math.max(createdAtNs, firstTickNs)
            : Math.max(traffic.observedAtNs(), firstTickNs);
        final boolean stale = !reachable || nowNs - observedAtNs > timing.observationTimeoutNs();
        if (stale && !fallback)
        {
            fallback = true;
            recovering = false;
            fallbacks++;
            reviewAtNs = nowNs;
        }
        else if (!stale && fallback)
        {
            fallback = false;
            recovering = true;
            reviewAtNs = nowNs;
        }
    }

    private int firstPhase()
    {
        // the network's own phase 0 is what the intersection shows when control starts
        final int candidate = model.programPhaseCandidate(0);
        programCursor = candidate >= 0 ? 0 : model.phaseProgramIndex(0);
        return candidate >= 0 ? candidate : 0;
    }

    private SignalReason openingReason()
    {
        return mode == ControlMode.FIXED ? SignalReason.FIXED_PLAN : SignalReason.MIN_GREEN;
    }

    private void onGreen(final long nowNs, final PhaseController controller)
    {
        final long elapsedNs = nowNs - greenStartNs;
        final int preemptTarget = priority.targetPhase();
        if (preemptTarget >= 0)
        {
            onPreemptedGreen(nowNs, preemptTarget);
            return;
        }
        if (elapsedNs < timing.minGreenNs())
        {
            showPhase(phase);
            reason = recovering ? SignalReason.RECOVERY : SignalReason.MIN_GREEN;
            durationMs = (int)((timing.minGreenNs() - elapsedNs) / 1_000_000L);
            phaseIndex = model.phaseProgramIndex(phase);
            return;
        }
        final boolean transitDue = !fallback && priority.transitApproach() >= 0 && priority.transitDue(nowNs);
        if (transitDue && !servesTransit(phase))
        {
            final int busPhase = transitPhase();
            if (busPhase >= 0 && !wouldMaxOut(busPhase, nowNs) && priority.earlyGreen())
            {
                transitActive = true;
                beginClearance(busPhase, nowNs, SignalReason.TRANSIT_EARLY_GREEN, SignalReason.TRANSIT_EARLY_GREEN);
                return;
            }
        }
        final boolean maxedOut = keepsMaxedOut(phase, nowNs);
        if (nowNs >= reviewAtNs || maxedOut)
        {
            controller.decide(this, nowNs, decision);
            if (decision.switchPhase() && decision.nextPhase() != phase && transitDue && !maxedOut && servesTransit(phase)
                && priority.extend(nowNs))
            {
                // a late bus is due on this green: hold it, at most maxGreenExtensionMs (and never past max green)
                transitActive = true;
                showPhase(phase);
                reason = SignalReason.TRANSIT_EXTENSION;
                durationMs = 0;
                phaseIndex = model.phaseProgramIndex(phase);
                reviewAtNs = nowNs;
                return;
            }
            if (decision.switchPhase() && decision.nextPhase() != phase)
            {
                final SignalReason why = recovering ? SignalReason.RECOVERY : fallbackOr(decision.reason());
                final SignalReason choice = recovering ? SignalReason.RECOVERY : fallbackOr(decision.choice());
                beginClearance(decision.nextPhase(), nowNs, why, choice);
                return;
            }
            holdReason = decision.reason();
            reviewAtNs = decision.reviewAtNs();
            holdMs = decision.holdMs();
        }
        showPhase(phase);
        reason = recovering ? SignalReason.RECOVERY : fallbackOr(holdReason);
        durationMs = (int)Math.max(0, Math.min(Integer.MAX_VALUE, Math.max(holdMs, (reviewAtNs - nowNs) / 1_000_000L)));
        phaseIndex = model.phaseProgramIndex(phase);
    }

    /** A preemption wants {@code target}: hold it when shown, else end the green shown as soon as min green allows. */
    private void onPreemptedGreen(final long nowNs, final int target)
    {
        if (target == phase)
        {
            showPhase(phase);
            reason = priority.holdReason();
            durationMs = 0;
            phaseIndex = model.phaseProgramIndex(phase);
            reviewAtNs = nowNs; // the controller takes over at once when the preemption is over
            return;
        }
        // entry finishes the min green of every movement losing its green (a crossing's may be cut)
        final byte[] targetState = model.phaseState(target);
        long waitNs = 0;
        for (int m = 0; m < proposed.length; m++)
        {
            if (SignalLetters.isGreen(monitor.shown(m)) && !SignalLetters.isGreen(targetState[m]))
            {
                waitNs = Math.max(waitNs, monitor.minGreenNsOf(m) - (nowNs - monitor.aspectSinceNs(m)));
            }
        }
        if (waitNs > 0)
        {
            showPhase(phase);
            reason = SignalReason.PREEMPTION_ENTRY;
            durationMs = (int)(waitNs / 1_000_000L);
            phaseIndex = model.phaseProgramIndex(phase);
            return;
        }
        final SignalReason why = priority.holdReason();
        beginClearance(target, nowNs, why, why);
    }

    /**
     * During a clearance, a preemption wants another phase than the one the clearance leads to: lead it
     * there instead. Movements that were to stay green but are not green in the new target start their
     * yellow now (a full yellow, then all-red, as for any other green that ends).
     */
    private void retarget(final int target, final long nowNs, final SignalReason why)
    {
        final byte[] targetState = model.phaseState(target);
        boolean losesGreen = false;
        for (int m = 0; m < proposed.length; m++)
        {
            losesGreen |= SignalLetters.isGreen(monitor.shown(m)) && !SignalLetters.isGreen(targetState[m]);
        }
        nextPhase = target;
        nextChoice = why;
        if (losesGreen)
        {
            stage = STAGE_YELLOW;
            stageStartNs = nowNs;
        }
    }

    /** Whether a phase gives green to the favoured bus's lane (or, when it did not say, to its approach). */
    private boolean servesTransit(final int candidate)
    {
        final int lane = priority.transitLane();
        if (lane >= 0 && lane < model.laneCount())
        {
            return model.phaseServesLane(candidate, lane);
        }
        final int approach = priority.transitApproach();
        for (int l = 0; l < model.laneCount(); l++)
        {
            if (model.laneApproach(l) == approach && model.phaseServesLane(candidate, l))
            {
                return true;
            }
        }
        return false;
    }

    /** The candidate phase to serve the favoured bus: it serves it, protected if possible; -1 when none does. */
    private int transitPhase()
    {
        int best = -1;
        int bestScore = -1;
        final int lane = priority.transitLane();
        for (int c = 0; c < model.phaseCount(); c++)
        {
            if (!servesTransit(c))
            {
                continue;
            }
            final int score = lane >= 0 && lane < model.laneCount() && model.phaseProtectsLane(c, lane) ? 1 : 0;
            if (score > bestScore)
            {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    private void beginClearance(final int target, final long nowNs, final SignalReason why, final SignalReason choice)
    {
        nextPhase = target;
        nextChoice = choice;
        if (yellowState(target))
        {
            stage = STAGE_YELLOW;
            stageStartNs = nowNs;
            reason = why;
            durationMs = timing.yellowMs();
            phaseIndex = model.phaseProgramIndex(target);
        }
        else
        {
            // nothing loses its green: the next phase follows at once
            startGreen(target, nowNs, choice);
        }
    }

    private void onYellow(final long nowNs)
    {
        newlyYellow = false;
        yellowState(nextPhase);
        if (newlyYellow)
        {
            stageStartNs = nowNs; // a movement kept green so far goes yellow now (it maxed out): its full yellow
        }
        final long elapsedNs = nowNs - stageStartNs;
        if (elapsedNs < timing.yellowNs())
        {
            reason = recovering ? SignalReason.RECOVERY : SignalReason.YELLOW_CLEARANCE;
            durationMs = (int)((timing.yellowNs() - elapsedNs) / 1_000_000L);
            phaseIndex = model.phaseProgramIndex(nextPhase);
            return;
        }
        if (timing.allRedMs() == 0)
        {
            startGreen(nextPhase, nowNs, nextChoice);
            return;
        }
        stage = STAGE_ALL_RED;
        stageStartNs = nowNs;
        redState(nextPhase);
        reason = recovering ? SignalReason.RECOVERY : SignalReason.ALL_RED_CLEARANCE;
        durationMs = timing.allRedMs();
        phaseIndex = model.phaseProgramIndex(nextPhase);
    }

    private void onAllRed(final long nowNs)
    {
        for (int m = 0; m < proposed.length; m++)
        {
            if (SignalLetters.isGreen(monitor.shown(m)) && maxedOutNow(m))
            {
                // a movement kept green through the clearance reached max green: it clears too
                stage = STAGE_YELLOW;
                onYellow(nowNs);
                return;
            }
        }
        final long elapsedNs = nowNs - stageStartNs;
        if (elapsedNs < timing.allRedNs())
        {
            redState(nextPhase);
            reason = recovering ? SignalReason.RECOVERY : SignalReason.ALL_RED_CLEARANCE;
            durationMs = (int)((timing.allRedNs() - elapsedNs) / 1_000_000L);
            phaseIndex = model.phaseProgramIndex(nextPhase);
            return;
        }
        startGreen(nextPhase, nowNs, nextChoice);
    }

    private void startGreen(final int target, final long nowNs, final SignalReason choice)
    {
        stage = STAGE_GREEN;
        phase = target;
        greenStartNs = nowNs;
        stageStartNs = nowNs;
        reviewAtNs = nowNs + timing.minGreenNs();
        holdReason = SignalReason.MIN_GREEN;
        holdMs = 0;
        if (recovering)
        {
            recovering = false; // the first green the adaptive controller chose: recovery complete
        }
        showPhase(target);
        reason = choice;
        durationMs = timing.minGreenMs();
        phaseIndex = model.phaseProgramIndex(target);
    }

    private void showPhase(final int candidate)
    {
        System.arraycopy(model.phaseState(candidate), 0, proposed, 0, proposed.length);
    }

    /**
     * Yellow for what is green now and not in the target, and for what has been green past max green while a
     * conflicting movement waits (after a preemption's dwell, which max green does not bound: it clears and
     * starts afresh rather than be cut by the monitor); returns whether any movement goes yellow.
     */
    private boolean yellowState(final int target)
    {
        boolean anyYellow = false;
        final byte[] targetState = model.phaseState(target);
        for (int m = 0; m < proposed.length; m++)
        {
            final byte now = monitor.shown(m);
            if (SignalLetters.isGreen(now))
            {
                proposed[m] = SignalLetters.isGreen(targetState[m]) && !maxedOutNow(m) ? now : SignalLetters.YELLOW;
                newlyYellow |= proposed[m] == SignalLetters.YELLOW;
            }
            else
            {
                proposed[m] = SignalLetters.isYellow(now) ? SignalLetters.YELLOW : SignalLetters.RED;
            }
            anyYellow |= proposed[m] == SignalLetters.YELLOW;
        }
        return anyYellow;
    }

    /** Red clearance: only movements that stay green in the target keep their green. */
    private void redState(final int target)
    {
        final byte[] targetState = model.phaseState(target);
        for (int m = 0; m < proposed.length; m++)
        {
            final byte now = monitor.shown(m);
            proposed[m] = SignalLetters.isGreen(now) && SignalLetters.isGreen(targetState[m]) ? now : SignalLetters.RED;
        }
    }

    private SignalReason fallbackOr(final SignalReason reason)
    {
        return fallback ? SignalReason.FALLBACK_NO_DATA : reason;
    }

    private boolean[] demandOrNull()
    {
        if (fallback || traffic.observedAtNs() == LaneTraffic.NEVER_NS)
        {
            return null; // no data: every movement counts as waiting
        }
        for (int m = 0; m < demand.length; m++)
        {
            demand[m] = traffic.vehicles(model.movementLane(m)) > 0;
        }
        return demand;
    }

    private long maxedOutAtNs;
    private boolean[] maxedOutCalls;
    /** Set by {@link #yellowState} when a movement green so far goes yellow. */
    private boolean newlyYellow;

    /**
     * Whether a green movement will have reached max green, a conflicting movement waiting, before the next
     * green's min green is over (it keeps ageing through the clearance): it must clear now rather than be cut
     * by the monitor in the middle of that min green.
     */
    private boolean maxedOutNow(final int movement)
    {
        final long byNs = maxedOutAtNs + timing.yellowNs() + timing.allRedNs() + timing.minGreenNs();
        return monitor.maxedOut(movement, byNs, maxedOutCalls, null);
    }

    /**
     * Whether a green movement has reached max green while a conflicting movement has demand (the monitor
     * would force it to yellow).
     */
    public boolean maxedOut(final int movement, final long nowNs)
    {
        return monitor.maxedOut(movement, nowNs, demandOrNull(), null);
    }

    /** Whether any movement the candidate phase keeps green has maxed out. */
    public boolean keepsMaxedOut(final int candidate, final long nowNs)
    {
        for (int m = 0; m < model.movementCount(); m++)
        {
            if (model.phaseGreen(candidate, m) && maxedOut(m, nowNs))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether serving the candidate next would keep a movement green past max green before that green's
     * min green is over (a movement that stays green through the clearance keeps ageing).
     */
    public boolean wouldMaxOut(final int candidate, final long nowNs)
    {
        final long clearedNs = nowNs + timing.yellowNs() + timing.allRedNs();
        final long atNs = clearedNs + timing.minGreenNs();
        final byte[] target = model.phaseState(candidate);
        for (int m = 0; m < clearance.length; m++)
        {
            // during the clearance only what is green now and in the candidate stays green
            clearance[m] = SignalLetters.isGreen(target[m]) && SignalLetters.isGreen(monitor.shown(m)) ? target[m] : SignalLetters.RED;
        }
        final boolean[] calls = demandOrNull();
        for (int m = 0; m < model.movementCount(); m++)
        {
            if (model.phaseGreen(candidate, m) &&
                (monitor.maxedOut(m, clearedNs, calls, clearance) || monitor.maxedOut(m, atNs, calls, target)))
            {
                return true;
            }
        }
        return false;
    }

    /** Set the control mode; the new controller decides from the next tick, within the running green. */
    public void mode(final ControlMode mode)
    {
        if (this.mode != mode)
        {
            this.mode = mode;
            reviewAtNs = Long.MIN_VALUE;
        }
    }

    public ControlMode mode()
    {
        return mode;
    }

    /** The mode the command reports. */
    public SignalMode signalMode()
    {
        if (priority.targetPhase() >= 0)
        {
            return SignalMode.PREEMPTION;
        }
        if (transitActive)
        {
            return SignalMode.TRANSIT_PRIORITY;
        }
        return fallback ? SignalMode.FALLBACK : mode.signalMode();
    }

    /** Priority requests and the preemption of this intersection. */
    public PriorityControl priority()
    {
        return priority;
    }

    public IntersectionModel model()
    {
        return model;
    }

    public SignalTiming timing()
    {
        return timing;
    }

    public LaneTraffic traffic()
    {
        return traffic;
    }

    /** Where the vehicles on each incoming lane are expected to reach the stop line. */
    public ArrivalTracker arrivals()
    {
        return arrivals;
    }

    public ConflictMonitor monitor()
    {
        return monitor;
    }

    /** The candidate phase shown (green stage) or being left (clearance). */
    public int phase()
    {
        return phase;
    }

    public int stage()
    {
        return stage;
    }

    public long greenStartNs()
    {
        return greenStartNs;
    }

    /** Where the fixed-time controller is in the network's own program. */
    public int programCursor()
    {
        return programCursor;
    }

    public void programCursor(final int programPhase)
    {
        programCursor = programPhase;
    }

    public boolean inFallback()
    {
        return fallback;
    }

    /** Times this intersection fell back to its own program for lack of observations. */
    public long fallbacks()
    {
        return fallbacks;
    }

    /** The state to show (after the monitor). */
    public byte[] shown()
    {
        return shown;
    }

    public SignalReason reason()
    {
        return reason;
    }

    public int durationMs()
    {
        return durationMs;
    }

    public int phaseIndex()
    {
        return phaseIndex;
    }

    /** Whether the monitor refused this tick's proposal. */
    public boolean refused()
    {
        return refused;
    }

    /**
     * What the controller's field adapter reports: unreachable (DeviceStatus OFFLINE) puts the intersection in
     * fallback from the next tick; reachable again lifts that, and the observation timeout decides as before.
     */
    public void controllerReachable(final boolean reachable)
    {
        this.reachable = reachable;
    }

    public boolean controllerReachable()
    {
        return reachable;
    }

    public void snapshot(final StateWriter out)
    {
        out.putInt(mode.ordinal());
        out.putLong(createdAtNs);
        out.putLong(firstTickNs);
        out.putBoolean(fallback);
        out.putBoolean(recovering);
        out.putLong(fallbacks);
        out.putBoolean(started);
        out.putInt(stage);
        out.putInt(phase);
        out.putInt(nextPhase);
        out.putLong(stageStartNs);
        out.putLong(greenStartNs);
        out.putLong(reviewAtNs);
        out.putInt(holdReason.ordinal());
        out.putInt(nextChoice.ordinal());
        out.putInt(holdMs);
        out.putInt(programCursor);
        monitor.snapshot(out);
        traffic.snapshot(out);
        arrivals.snapshot(out);
        priority.snapshot(out);
        out.putBoolean(transitActive);
        out.putBoolean(reachable);
    }

    public void restore(final StateReader in)
    {
        mode = ControlMode.fromOrdinal(in.getInt());
        createdAtNs = in.getLong();
        firstTickNs = in.getLong();
        fallback = in.getBoolean();
        recovering = in.getBoolean();
        fallbacks = in.getLong();
        started = in.getBoolean();
        stage = in.getInt();
        phase = in.getInt();
        nextPhase = in.getInt();
        stageStartNs = in.getLong();
        greenStartNs = in.getLong();
        reviewAtNs = in.getLong();
        holdReason = REASONS[in.getInt()];
        nextChoice = REASONS[in.getInt()];
        holdMs = in.getInt();
        programCursor = in.getInt();
        monitor.restore(in);
        traffic.restore(in);
        arrivals.restore(in);
        priority.restore(in);
        transitActive = in.getBoolean();
        reachable = in.getBoolean();
    }
}
