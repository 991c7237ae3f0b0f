package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.PriorityReason;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.PriorityStatusCode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.core.loop.LocalClock;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

/**
 * Priority requests at one intersection and its preemption state machine, after NTCIP 1202's preempt
 * sequence and SAE J2735's request/status pair:
 * <ol>
 *   <li><b>Delay</b> (non-locking): the highest request must be present for {@code preemptDelayMs}; one that
 *       goes away during the delay never starts a preemption.</li>
 *   <li><b>Entry</b>: the green shown finishes its min green (a pedestrian crossing's may be cut to the
 *       pedestrian minimum), then yellow and all-red as always, towards the dwell phase.</li>
 *   <li><b>Track clearance</b> (only where configured): the track-clearance approach is served for its time
 *       first.</li>
 *   <li><b>Dwell</b>: the request's approach gets through and left turn protected green together
 *       ({@link IntersectionModel#preemptionPhase}) for as long as a request for it is present, at most
 *       {@code maxPresenceS}; then the requests served get MAX_PRESENCE and are not served again.</li>
 *   <li><b>Exit</b> to the configured phase (or the one with the most halted vehicles that the dwell did
 *       not serve), after which adaptive control resumes: recovery takes one clearance and one min green.</li>
 * </ol>
 * Requests rank by role (ambulance and fire, then police, then BRT bus, then shuttle), then by who asked
 * first; a request for another approach than the one served waits (PROCESSING, with its queue position and
 * why). A corridor entry (from another intersection's request listing this one on its route) counts from
 * {@code corridorLeadS} before its ETA, so the path is clear when the vehicle arrives.
 * <p>
 * Transit priority only when no preemption runs and only for a BRT bus behind its timetable by at least
 * {@code busLateThresholdS}: within {@code maxGreenExtensionMs} of its ETA, a green serving it is extended
 * (at most that long), or, if it is red, the green shown ends after its min green in favour of the bus.
 * <p>
 * Every request message gets a status when it arrives; after that a status goes out whenever a request's
 * status, reason or queue position changes. All state is primitive and in {@link #snapshot}.
 */
public final class PriorityControl
{
    /** Receives the statuses to send. */
    public interface StatusSink
    {
        void status(long requestId, long vehicleId, PriorityStatusCode status, PriorityReason reason, int queuePosition);
    }

    public static final int CAPACITY = 32;

    public static final int IDLE = 0;
    public static final int DELAY = 1;
    public static final int ENTRY = 2;
    public static final int TRACK_CLEARANCE = 3;
    public static final int DWELL = 4;
    public static final int EXIT = 5;

    private static final int KIND_OWN = 0;
    private static final int KIND_CORRIDOR = 1;
    private static final int RANK_BUS = 2;
    private static final int RANK_SHUTTLE = 3;
    private static final long NEVER_NS = Long.MIN_VALUE / 4;

    private final IntersectionModel model;
    private final PrioritySettings settings;
    private final LocalClock clock;
    private final int trackApproach;
    private final long trackDurationNs;

    // request slots
    private final boolean[] used = new boolean[CAPACITY];
    private final long[] requestId = new long[CAPACITY];
    private final long[] vehicleId = new long[CAPACITY];
    private final int[] rank = new int[CAPACITY];
    private final int[] kind = new int[CAPACITY];
    private final int[] approach = new int[CAPACITY];
    private final int[] lane = new int[CAPACITY];
    private final long[] receivedNs = new long[CAPACITY];
    private final long[] heardNs = new long[CAPACITY];
    private final long[] etaAtNs = new long[CAPACITY];
    private final long[] activeFromNs = new long[CAPACITY];
    private final long[] expiresAtNs = new long[CAPACITY];
    private final boolean[] late = new boolean[CAPACITY];
    private final int[] sentStatus = new int[CAPACITY];
    private final int[] sentReason = new int[CAPACITY];
    private final int[] sentQueue = new int[CAPACITY];

    // vehicles whose dwell reached max presence: not served again at this intersection until they go away
    private final long[] exhaustedVehicle = new long[CAPACITY];
    private final long[] exhaustedUntilNs = new long[CAPACITY];

    // the preemption
    private int state = IDLE;
    private int servedApproach = -1;
    private int targetPhase = -1;
    private boolean trackPending;
    private long stateSinceNs = NEVER_NS;
    private long dwellStartNs = NEVER_NS;
    private long dwellEndNs = NEVER_NS;

    // transit priority
    private int transitSlot = -1;
    private long extensionStartNs = NEVER_NS;
    private boolean earlyGreenGiven;

    // what happened
    private long preemptions;
    private long maxPresenceDrops;
    private long timeouts;
    private long transitActions;
    private long lastRecoveryNs = -1;
    private long longestRecoveryNs = -1;

    public PriorityControl(final IntersectionModel model, final PrioritySettings settings)
    {
        this.model = model;
        this.settings = settings;
        this.clock = new LocalClock(settings.zone);
        final int track = settings.trackApproach(model.name());
        this.trackApproach = track >= 0 && model.preemptionPhase(track) >= 0 ? track : -1;
        this.trackDurationNs = trackApproach >= 0 ? settings.trackDurationNs(model.name()) : 0;
    }

    /** Rank of a role: 0 ambulance and fire, 1 police, 2 BRT bus, 3 shuttle; -1 for a role not known. */
    public static int rankOf(final VehicleRole role)
    {
        return switch (role)
        {
            case AMBULANCE, FIRE -> 0;
            case POLICE -> 1;
            case BRT_BUS -> RANK_BUS;
            case SHUTTLE -> RANK_SHUTTLE;
            default -> -1;
        };
    }

    /**
     * A request message for this intersection (the loop has checked the intersection, role and approach).
     * Always answers with a status for it.
     */
    public void onRequest(final long nowNs, final long id, final long vehicle, final int roleRank, final PriorityRequestType type,
        final int approachIndex, final int laneIndex, final int etaMs, final ControlledIntersection intersection, final StatusSink sink)
    {
        int slot = find(vehicle);
        if (type == PriorityRequestType.CANCEL)
        {
            if (slot >= 0 && kind[slot] == KIND_OWN)
            {
                release(slot);
            }
            forgetExhausted(vehicle);
            sink.status(id, vehicle, PriorityStatusCode.CANCELLED, PriorityReason.NONE, 0);
            evaluate(nowNs, intersection, sink, -1);
            return;
        }
        if (exhausted(vehicle, nowNs))
        {
            markExhausted(vehicle, nowNs); // still present: keep it out until it goes away
            sink.status(id, vehicle, PriorityStatusCode.MAX_PRESENCE, PriorityReason.MAX_PRESENCE_REACHED, 0);
            return;
        }
        if (slot < 0)
        {
            slot = allocate();
            if (slot < 0)
            {
                sink.status(id, vehicle, PriorityStatusCode.REJECTED, PriorityReason.CONFLICTING_REQUEST_FIRST, CAPACITY);
                return;
            }
            receivedNs[slot] = nowNs;
            sentStatus[slot] = -1;
        }
        else if (kind[slot] == KIND_CORRIDOR)
        {
            // the vehicle's own request takes over its corridor entry, keeping its place in the queue
            receivedNs[slot] = Math.min(receivedNs[slot], nowNs);
        }
        requestId[slot] = id;
        vehicleId[slot] = vehicle;
        rank[slot] = roleRank;
        kind[slot] = KIND_OWN;
        approach[slot] = approachIndex;
        lane[slot] = laneIndex;
        heardNs[slot] = nowNs;
        etaAtNs[slot] = nowNs + Math.max(0, etaMs) * 1_000_000L;
        activeFromNs[slot] = receivedNs[slot]; // the delay runs from the first request, not from each update
        expiresAtNs[slot] = nowNs + settings.requestTimeoutNs;
        late[slot] = roleRank >= RANK_BUS && behindSchedule(vehicle, nowNs, etaAtNs[slot]);
        evaluate(nowNs, intersection, sink, slot);
    }

    /**
     * This intersection is on the route of a vehicle's request elsewhere: pre-clear it for the ETA, unless
     * the vehicle already asks here itself. Emergency roles only (the loop checks).
     */
    public void onCorridor(final long nowNs, final long id, final long vehicle, final int roleRank, final int approachIndex,
        final int etaMs, final ControlledIntersection intersection, final StatusSink sink)
    {
        int slot = find(vehicle);
        if (slot >= 0 && kind[slot] == KIND_OWN || exhausted(vehicle, nowNs))
        {
            return;
        }
        if (slot < 0)
        {
            slot = allocate();
            if (slot < 0)
            {
                return;
            }
            receivedNs[slot] = nowNs;
            sentStatus[slot] = -1;
        }
        final long etaNs = Math.max(0, etaMs) * 1_000_000L;
        requestId[slot] = id;
        vehicleId[slot] = vehicle;
        rank[slot] = roleRank;
        kind[slot] = KIND_CORRIDOR;
        approach[slot] = approachIndex;
        lane[slot] = -1;
        heardNs[slot] = nowNs;
        etaAtNs[slot] = nowNs + etaNs;
        activeFromNs[slot] = nowNs + etaNs - settings.corridorLeadNs;
        // valid until well after the ETA even when no update comes (the vehicle asks here itself when close)
        expiresAtNs[slot] = Math.max(nowNs + settings.requestTimeoutNs, etaAtNs[slot] + settings.corridorLeadNs);
        late[slot] = false;
        evaluate(nowNs, intersection, sink, -1);
    }

    /** Every tick, before the intersection sequences its phases. */
    public void tick(final long nowNs, final ControlledIntersection intersection, final StatusSink sink)
    {
        for (int s = 0; s < CAPACITY; s++)
        {
            if (used[s] && nowNs > expiresAtNs[s])
            {
                timeouts++;
                sink.status(requestId[s], vehicleId[s], PriorityStatusCode.CANCELLED, PriorityReason.TIMED_OUT, 0);
                release(s);
            }
        }
        for (int e = 0; e < CAPACITY; e++)
        {
            if (exhaustedUntilNs[e] != 0 && nowNs > exhaustedUntilNs[e])
            {
                exhaustedUntilNs[e] = 0;
            }
        }
        if (state == DWELL && nowNs - dwellStartNs >= settings.maxPresenceNs)
        {
            for (int s = 0; s < CAPACITY; s++)
            {
                if (used[s] && rank[s] < RANK_BUS && approach[s] == servedApproach && active(s, nowNs))
                {
                    maxPresenceDrops++;
                    sink.status(requestId[s], vehicleId[s], PriorityStatusCode.MAX_PRESENCE, PriorityReason.MAX_PRESENCE_REACHED, 0);
                    markExhausted(vehicleId[s], nowNs);
                    release(s);
                }
            }
        }
        evaluate(nowNs, intersection, sink, -1);
    }

    /** Advance the state machine and send the statuses that changed ({@code force}: a slot answered in any case). */
    private void evaluate(final long nowNs, final ControlledIntersection intersection, final StatusSink sink, final int force)
    {
        final int top = topEmergency(nowNs);
        switch (state)
        {
            case IDLE:
                if (top >= 0)
                {
                    enter(DELAY, nowNs);
                    delayOrEntry(top, nowNs);
                }
                break;
            case DELAY:
                if (top < 0)
                {
                    enter(IDLE, nowNs); // non-locking: gone before the delay ran out
                }
                else
                {
                    delayOrEntry(top, nowNs);
                }
                break;
            case ENTRY:
            case TRACK_CLEARANCE:
            case DWELL:
                if (top < 0)
                {
                    beginExit(nowNs, intersection);
                }
                else if (approach[top] != servedApproach)
                {
                    beginEntry(approach[top], nowNs); // a higher request for another approach
                }
                else
                {
                    advance(nowNs, intersection);
                }
                break;
            case EXIT:
                if (top >= 0)
                {
                    enter(DELAY, nowNs);
                    delayOrEntry(top, nowNs);
                }
                else if (intersection.stage() == ControlledIntersection.STAGE_GREEN && intersection.phase() == targetPhase)
                {
                    lastRecoveryNs = nowNs - dwellEndNs;
                    longestRecoveryNs = Math.max(longestRecoveryNs, lastRecoveryNs);
                    targetPhase = -1;
                    servedApproach = -1;
                    enter(IDLE, nowNs);
                }
                break;
            default:
                break;
        }
        updateTransit(nowNs);
        sendStatuses(nowNs, top, sink, force);
    }

    private void delayOrEntry(final int top, final long nowNs)
    {
        final long since = Math.max(receivedNs[top], activeFromNs[top]);
        if (nowNs - since >= settings.preemptDelayNs)
        {
            preemptions++;
            beginEntry(approach[top], nowNs);
        }
    }

    private void beginEntry(final int approachIndex, final long nowNs)
    {
        servedApproach = approachIndex;
        trackPending = trackApproach >= 0;
        targetPhase = model.preemptionPhase(trackPending ? trackApproach : approachIndex);
        enter(ENTRY, nowNs);
    }

    private void advance(final long nowNs, final ControlledIntersection intersection)
    {
        final boolean showing = intersection.stage() == ControlledIntersection.STAGE_GREEN && intersection.phase() == targetPhase;
        if (state == ENTRY && showing)
        {
            if (trackPending)
            {
                enter(TRACK_CLEARANCE, nowNs);
            }
            else
            {
                dwellStartNs = nowNs;
                enter(DWELL, nowNs);
            }
        }
        else if (state == TRACK_CLEARANCE && nowNs - stateSinceNs >= trackDurationNs)
        {
            trackPending = false;
            targetPhase = model.preemptionPhase(servedApproach);
            enter(ENTRY, nowNs);
        }
    }

    private void beginExit(final long nowNs, final ControlledIntersection intersection)
    {
        dwellEndNs = nowNs;
        final int configured = settings.exitProgramPhase;
        final int candidate = configured >= 0 && configured < model.programPhaseCount() ? model.programPhaseCandidate(configured) : -1;
        targetPhase = candidate >= 0 ? candidate : mostWaitingPhase(intersection);
        enter(EXIT, nowNs);
    }

    /** The candidate phase serving the most halted vehicles on lanes the dwell did not serve (ties: more vehicles, lower index). */
    private int mostWaitingPhase(final ControlledIntersection intersection)
    {
        final int dwell = model.preemptionPhase(servedApproach);
        final LaneTraffic traffic = intersection.traffic();
        int best = 0;
        long bestScore = -1;
        for (int c = 0; c < model.phaseCount(); c++)
        {
            long halting = 0;
            long vehicles = 0;
            for (int l = 0; l < model.laneCount(); l++)
            {
                if (model.phaseServesLane(c, l) && (dwell < 0 || !model.phaseServesLane(dwell, l)))
                {
                    halting += traffic.halting(l);
                    vehicles += traffic.vehicles(l);
                }
            }
            final long score = halting * 100_000L + vehicles;
            if (score > bestScore)
            {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    private void enter(final int next, final long nowNs)
    {
        state = next;
        stateSinceNs = nowNs;
    }

    /** The best emergency request in force: lowest rank, then first come, then lowest request id; -1 when none. */
    private int topEmergency(final long nowNs)
    {
        int best = -1;
        for (int s = 0; s < CAPACITY; s++)
        {
            if (!used[s] || rank[s] >= RANK_BUS || !active(s, nowNs))
            {
                continue;
            }
            if (best < 0 || before(s, best))
            {
                best = s;
            }
        }
        return best;
    }

    private boolean before(final int a, final int b)
    {
        if (rank[a] != rank[b])
        {
            return rank[a] < rank[b];
        }
        if (receivedNs[a] != receivedNs[b])
        {
            return receivedNs[a] < receivedNs[b];
        }
        return requestId[a] < requestId[b];
    }

    private boolean active(final int s, final long nowNs)
    {
        return kind[s] == KIND_OWN || nowNs >= activeFromNs[s];
    }

    private void updateTransit(final long nowNs)
    {
        int bus = -1;
        if (state == IDLE)
        {
            for (int s = 0; s < CAPACITY; s++)
            {
                if (used[s] && rank[s] >= RANK_BUS && late[s] && (bus < 0 || before(s, bus)))
                {
                    bus = s;
                }
            }
        }
        if (bus < 0 || bus != transitSlot)
        {
            extensionStartNs = NEVER_NS;
            earlyGreenGiven = false;
        }
        transitSlot = bus;
    }

    private boolean behindSchedule(final long vehicle, final long nowNs, final long etaAt)
    {
        final long dueNs = settings.dueNsOfDay(vehicle, model.name());
        if (dueNs == Long.MIN_VALUE)
        {
            return false; // no timetable for it here: never known to be late
        }
        final long arrivalNs = clock.nsOfDay(nowNs) + (etaAt - nowNs);
        return arrivalNs - dueNs >= settings.busLateThresholdNs;
    }

    private void sendStatuses(final long nowNs, final int top, final StatusSink sink, final int force)
    {
        final boolean preempting = state != IDLE;
        for (int s = 0; s < CAPACITY; s++)
        {
            if (!used[s])
            {
                continue;
            }
            PriorityStatusCode code;
            PriorityReason reason = kind[s] == KIND_CORRIDOR ? PriorityReason.CORRIDOR : PriorityReason.NONE;
            int queue = 0;
            if (rank[s] < RANK_BUS)
            {
                if (!active(s, nowNs))
                {
                    code = PriorityStatusCode.PROCESSING;
                }
                else if (approach[s] == servedApproach && (state == ENTRY || state == TRACK_CLEARANCE || state == DWELL))
                {
                    code = PriorityStatusCode.GRANTED;
                }
                else if (s == top)
                {
                    code = PriorityStatusCode.PROCESSING; // in the delay, or leaving the exit phase for it
                }
                else
                {
                    code = PriorityStatusCode.PROCESSING;
                    queue = queuePosition(s, nowNs);
                    reason = top >= 0 && rank[top] < rank[s] ? PriorityReason.HIGHER_PRIORITY_ACTIVE : PriorityReason.CONFLICTING_REQUEST_FIRST;
                }
            }
            else if (preempting)
            {
                code = PriorityStatusCode.PROCESSING;
                reason = PriorityReason.PREEMPTION_ACTIVE;
            }
            else if (!late[s])
            {
                code = PriorityStatusCode.REJECTED;
                reason = PriorityReason.NOT_BEHIND_SCHEDULE;
            }
            else if (s == transitSlot || transitSlot >= 0 && approach[s] == approach[transitSlot])
            {
                code = PriorityStatusCode.GRANTED;
            }
            else
            {
                code = PriorityStatusCode.PROCESSING;
                reason = PriorityReason.CONFLICTING_REQUEST_FIRST;
                queue = queuePosition(s, nowNs);
            }
            if (s == force || code.ordinal() != sentStatus[s] || reason.ordinal() != sentReason[s] || queue != sentQueue[s])
            {
                sentStatus[s] = code.ordinal();
                sentReason[s] = reason.ordinal();
                sentQueue[s] = queue;
                sink.status(requestId[s], vehicleId[s], code, reason, queue);
            }
        }
    }

    /** How many requests in force come before this one (1 = next). */
    private int queuePosition(final int slot, final long nowNs)
    {
        int ahead = 0;
        for (int s = 0; s < CAPACITY; s++)
        {
            if (used[s] && s != slot && active(s, nowNs) && (rank[s] < RANK_BUS) == (rank[slot] < RANK_BUS) && before(s, slot))
            {
                ahead++;
            }
        }
        return ahead;
    }

    private int find(final long vehicle)
    {
        for (int s = 0; s < CAPACITY; s++)
        {
            if (used[s] && vehicleId[s] == vehicle)
            {
                return s;
            }
        }
        return -1;
    }

    private int allocate()
    {
        for (int s = 0; s < CAPACITY; s++)
        {
            if (!used[s])
            {
                used[s] = true;
                return s;
            }
        }
        return -1;
    }

    private void release(final int slot)
    {
        used[slot] = false;
        if (slot == transitSlot)
        {
            transitSlot = -1;
            extensionStartNs = NEVER_NS;
            earlyGreenGiven = false;
        }
    }

    private boolean exhausted(final long vehicle, final long nowNs)
    {
        for (int e = 0; e < CAPACITY; e++)
        {
            if (exhaustedUntilNs[e] != 0 && exhaustedVehicle[e] == vehicle && nowNs <= exhaustedUntilNs[e])
            {
                return true;
            }
        }
        return false;
    }

    private void markExhausted(final long vehicle, final long nowNs)
    {
        int free = -1;
        for (int e = 0; e < CAPACITY; e++)
        {
            if (exhaustedUntilNs[e] != 0 && exhaustedVehicle[e] == vehicle)
            {
                exhaustedUntilNs[e] = nowNs + settings.requestTimeoutNs;
                return;
            }
            if (free < 0 && exhaustedUntilNs[e] == 0)
            {
                free = e;
            }
        }
        if (free >= 0)
        {
            exhaustedVehicle[free] = vehicle;
            exhaustedUntilNs[free] = nowNs + settings.requestTimeoutNs;
        }
    }

    private void forgetExhausted(final long vehicle)
    {
        for (int e = 0; e < CAPACITY; e++)
        {
            if (exhaustedVehicle[e] == vehicle)
            {
                exhaustedUntilNs[e] = 0;
            }
        }
    }

    // ------------------------------------------------------------------ what the sequencer asks

    /** The phase the preemption wants shown (entry, track clearance, dwell, exit), or -1: the controller decides. */
    public int targetPhase()
    {
        return state == ENTRY || state == TRACK_CLEARANCE || state == DWELL || state == EXIT ? targetPhase : -1;
    }

    /** Whether a preemption holds the intersection (entry to dwell; not the delay, not the exit). */
    public boolean preempting()
    {
        return state == ENTRY || state == TRACK_CLEARANCE || state == DWELL;
    }

    /** The reason a command gives while the preemption holds the phase it wants. */
    public SignalReason holdReason()
    {
        return switch (state)
        {
            case TRACK_CLEARANCE -> SignalReason.PREEMPTION_TRACK_CLEARANCE;
            case DWELL -> SignalReason.PREEMPTION_DWELL;
            case EXIT -> SignalReason.PREEMPTION_EXIT;
            default -> SignalReason.PREEMPTION_ENTRY;
        };
    }

    /** The approach of the bus to favour now, or -1 (no late bus, or a preemption runs). */
    public int transitApproach()
    {
        return transitSlot >= 0 ? approach[transitSlot] : -1;
    }

    /** The lane of the favoured bus, or -1 when it did not say. */
    public int transitLane()
    {
        return transitSlot >= 0 ? lane[transitSlot] : -1;
    }

    /** Whether the favoured bus is due within the extension window, so acting now helps it. */
    public boolean transitDue(final long nowNs)
    {
        return transitSlot >= 0 && etaAtNs[transitSlot] - nowNs <= settings.maxExtensionNs;
    }

    /** Whether a green serving the bus may still be extended (and notes the start of the extension). */
    public boolean extend(final long nowNs)
    {
        if (extensionStartNs == NEVER_NS)
        {
            extensionStartNs = nowNs;
            transitActions++;
        }
        return nowNs - extensionStartNs < settings.maxExtensionNs;
    }

    /** Whether an early green for the bus may still be given (once per bus); marks it given. */
    public boolean earlyGreen()
    {
        if (earlyGreenGiven)
        {
            return false;
        }
        earlyGreenGiven = true;
        transitActions++;
        return true;
    }

    public int state()
    {
        return state;
    }

    public int servedApproach()
    {
        return servedApproach;
    }

    /** Preemptions started (delay run out). */
    public long preemptions()
    {
        return preemptions;
    }

    public long maxPresenceDrops()
    {
        return maxPresenceDrops;
    }

    public long timeouts()
    {
        return timeouts;
    }

    public long transitActions()
    {
        return transitActions;
    }

    /** From the end of the last dwell to the exit phase's green, ns; -1 before the first. */
    public long lastRecoveryNs()
    {
        return lastRecoveryNs;
    }

    public long longestRecoveryNs()
    {
        return longestRecoveryNs;
    }

    /** Requests held (own and corridor). */
    public int requests()
    {
        int n = 0;
        for (final boolean u : used)
        {
            n += u ? 1 : 0;
        }
        return n;
    }

    public void snapshot(final StateWriter out)
    {
        for (int s = 0; s < CAPACITY; s++)
        {
            out.putBoolean(used[s]);
            out.putLong(requestId[s]);
            out.putLong(vehicleId[s]);
            out.putInt(rank[s]);
            out.putInt(kind[s]);
            out.putInt(approach[s]);
            out.putInt(lane[s]);
            out.putLong(receivedNs[s]);
            out.putLong(heardNs[s]);
            out.putLong(etaAtNs[s]);
            out.putLong(activeFromNs[s]);
            out.putLong(expiresAtNs[s]);
            out.putBoolean(late[s]);
            out.putInt(sentStatus[s]);
            out.putInt(sentReason[s]);
            out.putInt(sentQueue[s]);
            out.putLong(exhaustedVehicle[s]);
            out.putLong(exhaustedUntilNs[s]);
        }
        out.putInt(state);
        out.putInt(servedApproach);
        out.putInt(targetPhase);
        out.putBoolean(trackPending);
        out.putLong(stateSinceNs);
        out.putLong(dwellStartNs);
        out.putLong(dwellEndNs);
        out.putInt(transitSlot);
        out.putLong(extensionStartNs);
        out.putBoolean(earlyGreenGiven);
        out.putLong(preemptions);
        out.putLong(maxPresenceDrops);
        out.putLong(timeouts);
        out.putLong(transitActions);
        out.putLong(lastRecoveryNs);
        out.putLong(longestRecoveryNs);
    }

    public void restore(final StateReader in)
    {
        for (int s = 0; s < CAPACITY; s++)
        {
            used[s] = in.getBoolean();
            requestId[s] = in.getLong();
            vehicleId[s] = in.getLong();
            rank[s] = in.getInt();
            kind[s] = in.getInt();
            approach[s] = in.getInt();
            lane[s] = in.getInt();
            receivedNs[s] = in.getLong();
            heardNs[s] = in.getLong();
            etaAtNs[s] = in.getLong();
            activeFromNs[s] = in.getLong();
            expiresAtNs[s] = in.getLong();
            late[s] = in.getBoolean();
            sentStatus[s] = in.getInt();
            sentReason[s] = in.getInt();
            sentQueue[s] = in.getInt();
            exhaustedVehicle[s] = in.getLong();
            exhaustedUntilNs[s] = in.getLong();
        }
        state = in.getInt();
        servedApproach = in.getInt();
        targetPhase = in.getInt();
        trackPending = in.getBoolean();
        stateSinceNs = in.getLong();
        dwellStartNs = in.getLong();
        dwellEndNs = in.getLong();
        transitSlot = in.getInt();
        extensionStartNs = in.getLong();
        earlyGreenGiven = in.getBoolean();
        preemptions = in.getLong();
        maxPresenceDrops = in.getLong();
        timeouts = in.getLong();
        transitActions = in.getLong();
        lastRecoveryNs = in.getLong();
        longestRecoveryNs = in.getLong();
    }
}
