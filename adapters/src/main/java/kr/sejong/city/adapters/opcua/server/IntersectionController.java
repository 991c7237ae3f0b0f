package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;

/**
 * A simulated intersection controller, the logic behind an {@code Intersection/<id>} object and nothing of
 * OPC UA: what it shows, and why.
 * <ul>
 *   <li><b>Local plan</b> ({@link LocalPlan}): shown, Mode FIXED_TIME (PREEMPTION while a preemption input is
 *   served), until a central command comes, and again whenever the watchdog has expired.</li>
 *   <li><b>Central control</b>: {@link #setSignalState} passes the controller's own {@link ConflictCheck} and is
 *   shown from then on with the mode the command gives (ADAPTIVE normally), until the next command or the
 *   watchdog.</li>
 *   <li><b>Watchdog</b>: the central system writes CentralHeartbeat every second; when it has not changed for
 *   WatchdogMs the controller returns to its local plan. A command counts as a sign of life too (it re-arms the
 *   watchdog), so that the central side resumes control with its next command.</li>
 *   <li><b>Heartbeat</b>: +1 every second since the controller started.</li>
 *   <li><b>Hand-over</b>: what it shows passes its {@link ClearanceGuard} (yellow 3 s, all-red 2 s), so the
 *   change from central control to the local plan (watchdog) and back (the next command) never turns a green
 *   red without yellow, nor a conflicting movement green before its all-red; a command that would is accepted
 *   and shown as soon as the clearances allow.</li>
 * </ul>
 * Time is whatever the caller passes ({@code nowNs}, epoch nanoseconds), so tests and replays decide it.
 * Thread-safe: OPC UA calls, the feed and the server's ticker may call it from their own threads.
 */
public final class IntersectionController
{
    /** What is shown changed: the field (the simulated traffic) should show it too. */
    @FunctionalInterface
    public interface ShownStateListener
    {
        void onShown(long intersectionId, String signalState, int mode, long atNs);
    }

    private final long id;
    private final long watchdogNs;
    private final long startNs;
    private final long planOriginNs;
    private final ShownStateListener listener;
    private ControllerTopology topology;
    private ConflictCheck check;
    private LocalPlan plan;
    private ClearanceGuard guard;
    /** Whose state the last update showed: a change is a hand-over. */
    private boolean centralShown;

    private boolean central;
    private String centralState;
    private int centralMode;
    private int centralPhase;
    private long centralSinceNs;
    private long lastSignOfLifeNs = Long.MIN_VALUE;
    private long centralHeartbeat = -1;
    private long lastNowNs;

    private String shownState;
    private int shownMode;
    private long commandsAccepted;
    private long commandsRefused;
    private long watchdogExpiries;
    private String lastRefusal;

    public IntersectionController(final long id, final ControllerTopology topology, final int watchdogMs, final long nowNs,
        final ShownStateListener listener)
    {
        this(id, topology, watchdogMs, nowNs, 0, listener);
    }

    /**
     * @param planOriginNs when the local plan's cycle starts with phase 0 (epoch ns; 0: the Unix epoch).
     */
    public IntersectionController(final long id, final ControllerTopology topology, final int watchdogMs, final long nowNs,
        final long planOriginNs, final ShownStateListener listener)
    {
        if (watchdogMs <= 0)
        {
            throw new IllegalArgumentException("watchdogMs must be > 0, was " + watchdogMs);
        }
        this.id = id;
        this.watchdogNs = watchdogMs * 1_000_000L;
        this.startNs = nowNs;
        this.planOriginNs = planOriginNs;
        this.listener = listener;
        this.lastNowNs = nowNs;
        topology(topology, nowNs);
    }

    /** Replaces the topology (a controller that was reprogrammed): back to the local plan of the new one. */
    public synchronized void topology(final ControllerTopology newTopology, final long nowNs)
    {
        topology = newTopology;
        check = new ConflictCheck(newTopology);
        plan = new LocalPlan(newTopology, nowNs, planOriginNs);
        guard = new ClearanceGuard(newTopology, check, ClearanceGuard.DEFAULT_YELLOW_NS, ClearanceGuard.DEFAULT_ALL_RED_NS,
            plan.state(), nowNs);
        central = false;
        centralShown = false;
        update(nowNs);
    }

    /** Moves time on: the local plan, the watchdog, the heartbeat. */
    public synchronized void tick(final long nowNs)
    {
        update(nowNs);
    }

    /**
     * A central command: show {@code state} now.
     *
     * @return null when shown, else what is wrong with it (nothing changes then).
     */
    public synchronized String setSignalState(final String state, final long durationMs, final int mode, final int reason,
        final long nowNs)
    {
        String problem = check.problem(state);
        if (problem == null && !isSignalMode(mode))
        {
            problem = "Mode " + mode + " is not a SignalMode (1 ADAPTIVE .. 7 MANUAL)";
        }
        if (problem == null && !isSignalReason(reason))
        {
            problem = "Reason " + reason + " is not a SignalReason";
        }
        if (problem == null && (durationMs < 0 || durationMs > 0xFFFF_FFFFL))
        {
            problem = "DurationMs " + durationMs + " is not a UInt32";
        }
        if (problem != null)
        {
            commandsRefused++;
            lastRefusal = problem;
            return problem;
        }
        if (!central || !state.equals(centralState))
        {
            centralSinceNs = nowNs;
        }
        central = true;
        centralState = state;
        centralMode = mode;
        centralPhase = phaseOf(state);
        lastSignOfLifeNs = nowNs;
        commandsAccepted++;
        update(nowNs);
        return null;
    }

    /** The central system wrote CentralHeartbeat. */
    public synchronized void centralHeartbeat(final long value, final long nowNs)
    {
        if (value != centralHeartbeat)
        {
            centralHeartbeat = value;
            lastSignOfLifeNs = nowNs;
        }
        update(nowNs);
    }

    /** @return null, or what is wrong. */
    public synchronized String requestPhase(final int phaseIndex, final long nowNs)
    {
        update(nowNs);
        final String problem = plan.request(phaseIndex);
        update(nowNs);
        return problem;
    }

    public synchronized void hold(final boolean active, final long nowNs)
    {
        update(nowNs);
        plan.hold(active);
        update(nowNs);
    }

    public synchronized void forceOff(final long nowNs)
    {
        update(nowNs);
        plan.forceOff();
        update(nowNs);
    }

    /** @return null, or what is wrong. */
    public synchronized String preempt(final int approach, final boolean active, final long nowNs)
    {
        update(nowNs);
        final String problem = plan.preempt(approach, active);
        update(nowNs);
        return problem;
    }

    static boolean isSignalMode(final int value)
    {
        for (final SignalMode mode : SignalMode.values())
        {
            if (mode != SignalMode.NULL_VAL && mode.value() == value)
            {
                return true;
            }
        }
        return false;
    }

    static boolean isSignalReason(final int value)
    {
        for (final SignalReason reason : SignalReason.values())
        {
            if (reason != SignalReason.NULL_VAL && reason.value() == value)
            {
                return true;
            }
        }
        return false;
    }

    private void update(final long nowNs)
    {
        lastNowNs = Math.max(lastNowNs, nowNs);
        plan.advance(lastNowNs);
        if (central && lastNowNs - lastSignOfLifeNs >= watchdogNs)
        {
            central = false;
            watchdogExpiries++;
        }
        final String state = guard.next(central ? centralState : plan.state(), lastNowNs, central != centralShown);
        centralShown = central;
        final int mode = mode();
        if (!state.equals(shownState) || mode != shownMode)
        {
            shownState = state;
            shownMode = mode;
            if (listener != null)
            {
                listener.onShown(id, state, mode, lastNowNs);
            }
        }
    }

    private int phaseOf(final String state)
    {
        final String[] states = topology.programStates();
        for (int p = 0; p < states.length; p++)
        {
            if (states[p].equals(state))
            {
                return p;
            }
        }
        return 0xFFFF; // a state of the central system's own making: no phase of the local program
    }

    public long id()
    {
        return id;
    }

    public synchronized ControllerTopology topology()
    {
        return topology;
    }

    /** The SignalMode value shown. */
    public synchronized int mode()
    {
        if (central)
        {
            return centralMode;
        }
        return plan.preempting() ? SignalMode.PREEMPTION.value() : SignalMode.FIXED_TIME.value();
    }

    public synchronized boolean centralControl()
    {
        return central;
    }

    /** The phase of the local program shown, or the program phase equal to the central state (0xFFFF: none). */
    public synchronized int phaseIndex()
    {
        return central ? centralPhase : plan.phase();
    }

    public synchronized long phaseElapsedMs()
    {
        final long sinceNs = central ? centralSinceNs : plan.phaseStartNs();
        return Math.max(0, (lastNowNs - sinceNs) / 1_000_000L);
    }

    public synchronized String signalState()
    {
        return shownState;
    }

    /** +1 every second since the controller started. */
    public synchronized long heartbeat()
    {
        return Math.max(0, (lastNowNs - startNs) / 1_000_000_000L);
    }

    public long watchdogMs()
    {
        return watchdogNs / 1_000_000L;
    }

    /** Time of the last update (epoch ns). */
    public synchronized long nowNs()
    {
        return lastNowNs;
    }

    public synchronized long commandsAccepted()
    {
        return commandsAccepted;
    }

    public synchronized long commandsRefused()
    {
        return commandsRefused;
    }

    public synchronized long watchdogExpiries()
    {
        return watchdogExpiries;
    }

    /** Updates at which the clearance guard showed something other than what was asked (a clearance inserted). */
    public synchronized long heldTransitions()
    {
        return guard.heldTransitions();
    }

    /** What was wrong with the last refused command, or null. */
    public synchronized String lastRefusal()
    {
        return lastRefusal;
    }
}
