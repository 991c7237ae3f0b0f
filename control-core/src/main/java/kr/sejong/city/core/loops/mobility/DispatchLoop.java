package kr.sejong.city.core.loops.mobility;

import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.PlanReason;
import kr.sejong.city.codecs.PositionDecoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.codecs.RideAssignmentEncoder;
import kr.sejong.city.codecs.RideCancelDecoder;
import kr.sejong.city.codecs.RideRejectReason;
import kr.sejong.city.codecs.RideRejectionEncoder;
import kr.sejong.city.codecs.RideRequestDecoder;
import kr.sejong.city.codecs.ShuttleMode;
import kr.sejong.city.codecs.ShuttlePlanEncoder;
import kr.sejong.city.codecs.ShuttleStateDecoder;
import kr.sejong.city.codecs.StopAction;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.config.ShuttleCharger;
import kr.sejong.city.config.Stop;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.InputReject;
import kr.sejong.city.core.loop.LocalClock;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * Demand-responsive shuttle dispatch ("dispatch"): which shuttle serves which ride, in which stop order.
 * <ul>
 *   <li><b>Insertion</b>: each RideRequest is inserted, online, into the stop sequence of the shuttle where it
 *   costs least (added metres driven, plus {@code service.waitCostMPerS} m per second the rider waits, plus
 *   {@code service.newShuttleCostM} when the shuttle has nothing else on its plan), over every
 *   pair of pickup and drop-off positions of every shuttle that can reach both stops; a position is feasible when
 *   capacity and wheelchair places hold at every stop, every pickup on the new plan is within its rider's window
 *   (earliest pickup .. + {@code service.maxWaitS}), every ride within {@code rideTimeFactor x direct +
 *   rideTimeOffsetS}, and the battery covers the plan and the way to the nearest charger above its reserve. No
 *   feasible position: a RideRejection with the reason. Ties go to the lower shuttle id and the earlier position,
 *   so the answer depends only on the input.</li>
 *   <li><b>Improvement</b>: every Tick, up to {@value #IMPROVE_PER_TICK} accepted rides not yet picked up are taken
 *   off their plan and inserted again where they cost least, anywhere in the fleet; the move is kept only when
 *   it saves at least {@value #IMPROVE_MIN_GAIN} cost units, and only through feasible insertions: no promise
 *   given is broken. Then a ruin-and-recreate search ({@link #searchRuinAndRecreate}, large neighbourhood search as
 *   jsprit's): iterations that each take {@value #LNS_RUIN_MIN} to {@value #LNS_RUIN_MAX} rides not yet picked up off
 *   their plans (a ride and the rides most related to it, or every movable ride of {@value #LNS_ROUTES} shuttles with
 *   related rides) and insert them again one by one in a varied order, chained within the Tick on the loop's own state
 *   (an iteration cheaper than the best before is the next one's start, any other is undone); the plans found are kept
 *   when they cost {@value #IMPROVE_MIN_GAIN} less than at the Tick's start, else everything is restored exactly. Its
 *   choices come from a small pseudo-random sequence whose state is in the snapshot; it runs at most once a second of input time
 *   ({@link #LNS_PERIOD_NS}, whatever the Tick period) and spends at most {@value #LNS_SEARCHES} insertion searches
 *   then (fewer above {@value #LNS_FLEET} shuttles).</li>
 *   <li><b>Departures</b>: a shuttle standing at a stop waits there for a far first visit of pickups, as
 *   {@link DepartureRule} says (the fleet applies the same rule to the plan it holds); until it is about to leave, its
 *   whole plan may change, the first stop included. A shuttle standing at the stop of its first visit keeps that visit
 *   open (riders may join it, leave it, cancel) until 30 s before its first boarding.</li>
 *   <li><b>Charging</b>: a shuttle below its group's charge threshold takes no new rides; once it has no riders
 *   and no pickups left it is sent to the charger (free, reachable) where it would be charged to
 *   {@value #CHARGE_TARGET_PERCENT} % soonest, counting the drive; it is released at that state of charge.</li>
 *   <li><b>Rebalancing</b> (when {@code service.rebalancing}): every {@value #REBALANCE_PERIOD_S} s, shuttles idle for {@value #REBALANCE_IDLE_S} s
 *   move toward the stops where most rides began over the last half hour, when no shuttle is already within
 *   {@value #COVER_S} s of them, idle there or at the end of its plan (one busy there will be free there).</li>
 *   <li><b>Following the fleet</b>: ShuttleStates say when a shuttle arrived at and left its plan's stops; the
 *   loop takes served entries off the plan, re-times the rest from the reported times and, when an ETA moves by
 *   a minute or more, sends the plan (DELAY) and the riders' RideAssignments again.</li>
 *   <li><b>Bad input</b> (unknown stop, a position too far from any stop, pickup in the past, outside service
 *   hours, an empty party or more wheelchairs than riders, a party larger than any shuttle, a repeated request id
 *   for another ride, a cancel of an unknown or picked-up ride) gets a RideRejection naming what is wrong; a
 *   repeated request id for the same ride gets the same answer again. A ShuttleState of an unknown shuttle gets
 *   a Reject. Nothing changes.</li>
 * </ul>
 * Time is the input's logical time. Plans and rides live in flat arrays; see docs/shuttle-dispatch.md.
 */
public final class DispatchLoop implements ControlLoop
{
    public static final String NAME = "dispatch";
    public static final int STATE_VERSION = 4;
    /** Entries a shuttle's plan may hold. */
    public static final int MAX_PLAN = 64;
    static final long S = 1_000_000_000L;
    /** A pickup this much before the input's time still counts as now (clocks of apps are not exact). */
    static final long PAST_GRACE_NS = 60 * S;
    /**
     * An ETA that moves by this much is sent again: a minute less the second by which the loop may learn an arrival late
     * (it learns it at the next whole second of its input), so that nobody arrives a minute or more after the last ETA
     * they were told. At 60 s two riders of the demand hour of seed 20260403 were dropped off 60.000000001 s after it.
     */
    static final long ETA_UPDATE_NS = 59 * S;
    /** Pickups are planned this much before the end of the promised window (see onRequest). */
    static final long PICKUP_MARGIN_NS = 2 * S;
    /**
     * Rides are planned to take this much less than promised: the loop learns each boarding and arrival at the next whole
     * second, and a boarding it holds to its own ETA (removeRide) makes the fleet follow those seconds, so the real ride
     * can come out up to a few seconds longer than planned (DispatchPropertiesTest, seed -70: 2.06 s over a plan exactly
     * at the limit, after many compound moves had held boardings).
     */
    static final long RIDE_MARGIN_NS = 2 * S;
    /** Rides re-inserted per Tick at most (each a search over the fleet; the scan below bounds them too). */
    static final int IMPROVE_PER_TICK = 8;
    /** Slots of the ride book looked at per Tick for improvement. */
    static final int IMPROVE_SCAN = 64;
    /** A re-insertion is kept when it saves at least this many cost units (metres): more than rounding, so no move back and forth. */
    static final double IMPROVE_MIN_GAIN = 10;
    /**
     * Ruin and recreate: insertion searches a Tick's search may spend at most (one per ride taken off), for fleets of up
     * to {@value #LNS_FLEET} shuttles (the default city's 20). A search looks at every shuttle, so above that the budget
     * shrinks in proportion, to no less than one iteration of {@value #LNS_RUIN_MIN}: about the same work a Tick at any
     * fleet size (with 96 at 50 shuttles a Tick took about 5 ms, p99 12.7 ms in the node, on shuttle-scale-50).
     */
    static final int LNS_SEARCHES = 96;
    static final int LNS_FLEET = 20;
    /** Iterations a Tick tries at most (some take few rides, or none). */
    static final int LNS_MAX_ITERATIONS = 24;
    /** Rides one iteration takes off their plans: at least (when that many are movable), at most. */
    static final int LNS_RUIN_MIN = 6;
    static final int LNS_RUIN_MAX = 16;
    /** Shuttles whose routes one route ruin takes. */
    static final int LNS_ROUTES = 2;
    /** Out of LNS_KIND_WEIGHT iterations, this many ruin routes; the others related rides. */
    static final int LNS_ROUTES_WEIGHT = 1;
    static final int LNS_KIND_WEIGHT = 3;
    /** Orders of insertion (see orderRuined). */
    static final int LNS_ORDERS = 4;
    /** Shuttles one Tick's search may change at most. */
    static final int LNS_SHUTTLES = 48;
    /**
     * The search runs on a Tick at least this long (of input time) after the last one that ran it: once a second
     * whatever the node's Tick period (a live node ticks every 100 ms, the simulations every second), so the budget is
     * a budget per second and the other loops sharing the node's thread wait for it once a second, not on every Tick.
     */
    static final long LNS_PERIOD_NS = S;
    /** Relatedness of two rides: metres between their origins and between their destinations, plus this per second apart. */
    static final double RELATED_M_PER_S = 5;
    static final long CHECK_PERIOD_NS = 10 * S;
    static final int REBALANCE_PERIOD_S = 60;
    static final int REBALANCE_IDLE_S = 120;
    static final int COVER_S = 180;
    /** Rides that began at a stop over the window, at least, for it to draw an idle shuttle. */
    static final int REBALANCE_MIN_DEMAND = 3;
    static final int REBALANCE_TOP_STOPS = 6;
    static final int DEMAND_BUCKETS = 6;
    static final long DEMAND_BUCKET_NS = 300 * S;
    static final int CHARGE_TARGET_PERCENT = 80;
    /** The visit at a shuttle's next stop stays open to changes until the shuttle is predicted this close to it. */
    static final int VISIT_OPEN_MARGIN_S = 30;
    /** A plan sent now reaches the fleet within this (the lockstep runner: the next second). */
    static final long LEAVE_NOTICE_NS = 2 * S;
    /** Ended rides are remembered this long, so a repeated request gets the same answer. */
    static final long RETAIN_NS = 6 * 3600 * S;

    static final int IDLE = 0;
    static final int MOVING = 1;
    static final int CHARGING = 2;

    static final int PICKUP = StopAction.PICKUP.value();
    static final int DROPOFF = StopAction.DROPOFF.value();
    static final int CHARGE = StopAction.CHARGE.value();
    static final int REBALANCE = StopAction.REBALANCE.value();

    private final ShuttleNetwork network;
    private final Mobility.Service service;
    private final LocalClock clock;
    private final long dwellNs;
    /** Policy (config {@code mobility.service}): metres a second of a new rider's wait is worth. */
    private final double waitCostMPerS;
    /** Policy: metres charged to an insertion into a shuttle with nothing on its plan. */
    private final double newShuttleCostM;
    private final boolean rebalancing;
    private final int shuttleCount;
    private final int[] shuttleIds;
    private final int[] group;
    private final int[] groupStart;    // per group: index of its first shuttle
    /** Per group: metres from each node to its nearest reachable charger. */
    private final double[][] chargerM;
    private final int[] chargerNode;
    private final double[] chargerKw;
    private final int[] chargerIds;
    private final int[] depot;         // per group: its depot's node index

    // shuttles
    private final boolean[] known;
    private final int[] mode;
    private final int[] node;          // where it is (idle) or the stop it left last
    private final long[] idleSinceNs;
    private final double[] socKwh;
    private final int[] seats;         // riders on board
    private final int[] wheels;        // wheelchairs on board
    private final boolean[] needsCharge;
    private final int[] charger;       // charger index used or going to, -1
    private final long[] headArrNs;    // (predicted, then actual) arrival at the plan's first stop
    private final long[] departNs;     // when it leaves (left) node for the plan's first stop (DepartureRule)
    private final boolean[] headArrived;
    // plans sent to each shuttle (ShuttlePlan.planSeq of the last); the first plan that carried the current first visit
    // when that visit is at the stop where the shuttle stood (else 0); the first stop of the last plan sent (-1: none)
    private final long[] plansWritten;
    private final long[] headVisitSeq;
    private final int[] sentHeadNode;
    /** Whether the plan kept every promise when it was last timed (a slipped one takes no new rides). */
    private final boolean[] planFeasible;
    private final int[] planLength;
    private final int[][] planNode;
    private final int[][] planAction;
    private final int[][] planRef;     // ride slot, or charger index for CHARGE
    private final long[][] planEtaNs;  // begin of service at each entry
    private final int[] chargerUser;   // per charger: shuttle index, -1

    private final RideBook rides = new RideBook(1024, RETAIN_NS);
    private final int[][] demand;      // [bucket][stop]
    private final int[] demandTotal;   // scratch of the rebalancing step: rides begun per stop over the buckets
    private final boolean[] rebalanceLooked;
    private long demandBucket = -1;

    // scratch for insertion
    private final int[] candNode = new int[MAX_PLAN + 2];
    private final int[] candAction = new int[MAX_PLAN + 2];
    private final int[] candRef = new int[MAX_PLAN + 2];
    private final long[] candEta = new long[MAX_PLAN + 2];
    private final long[] searchOrder;
    private final double[] leastAdded;
    private long[] candPickupNs = new long[1024];
    private int[] candPickupAt = new int[1024]; // the ride's pickup position in the plan being searched
    private long evalPickupNs;        // the new ride's pickup in the last evaluation
    private double evalDistanceM;
    /** Whether the last evaluation failed because the ride being inserted would be picked up too late. */
    private boolean evalLatePickup;
    /** The ride being inserted (its pickup time is {@link #evalPickupNs}), -1 when none. */
    private int candidateSlot = -1;
    /** The ride left out of its shuttle's plan while the improvement step looks for a better place, -1 none. */
    private int excludedRide = -1;
    /** Per pickup position: the new ride's begin of service there (when an insertion there is on the heap). */
    private final long[] pickupAtNs = new long[MAX_PLAN + 1];
    /** Per drop-off position j of the plan searched: the least metres a drop-off at j or later adds. */
    private final double[] leastDropoffFrom = new double[MAX_PLAN + 2];
    /** Per drop-off position in the i-plan: the new ride's drop-off's begin of service there, or {@link #NO_PICKUP}. */
    private final long[] dropoffAtNs = new long[MAX_PLAN + 1];
    private static final long NO_PICKUP = Long.MIN_VALUE;
    /**
     * A lower bound on a time is one whole nanosecond per leg below the time in the worst case: travel times are
     * rounded down to whole nanoseconds, so a detour's two legs may add up to a nanosecond less than the direct leg.
     */
    static final long LOWER_BOUND_MARGIN_NS = 1_000;
    /** (pickup position, drop-off position) as one int that orders like the pair: i * PAIR_STRIDE + j. */
    private static final int PAIR_STRIDE = MAX_PLAN + 1;
    /** A binary min-heap of one shuttle's insertions by (cost, pair): the order in which they are checked. */
    private final double[] heapCost = new double[(MAX_PLAN + 1) * (MAX_PLAN + 2) / 2];
    private final int[] heapPair = new int[heapCost.length];
    private int heapSize;
    /**
     * The plan a search inserts into: the shuttle's own, or for the ride's own shuttle in the improvement step, that
     * plan without the ride ({@link #withoutNode} and the rest, with {@link #withoutAt} the position of each entry in
     * the shuttle's plan). Positions found in it are turned into positions in the shuttle's plan by
     * {@link #planPosition} before they are compared or kept.
     */
    private int[] baseNode;
    private int[] baseAction;
    private int[] baseRef;
    private int baseLength;
    private boolean baseWithout;
    private final int[] withoutNode = new int[MAX_PLAN];
    private final int[] withoutAction = new int[MAX_PLAN];
    private final int[] withoutRef = new int[MAX_PLAN];
    private final int[] withoutAt = new int[MAX_PLAN];
    /** Tests only: search every shuttle, and time every insertion the metres allow, as the search did before it was ordered by cost. */
    private boolean exhaustive;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final RideRequestDecoder request = new RideRequestDecoder();
    private final RideCancelDecoder cancel = new RideCancelDecoder();
    private final ShuttleStateDecoder shuttleState = new ShuttleStateDecoder();
    private final TickDecoder tick = new TickDecoder();
    private final RideAssignmentEncoder assignment = new RideAssignmentEncoder();
    private final RideRejectionEncoder rejection = new RideRejectionEncoder();
    private final ShuttlePlanEncoder planEncoder = new ShuttlePlanEncoder();
    private final InputReject inputReject = new InputReject();

    // ruin and recreate: the rides taken off, the movable rides, the plans as they were (restored exactly)
    private final int[] ruined = new int[LNS_RUIN_MAX];
    private final double[] relatedScore = new double[LNS_RUIN_MAX];
    private final int[] routeShuttles = new int[LNS_ROUTES];
    private final double[] routeScore = new double[LNS_ROUTES];
    private final int[] movableRides;
    private final SavedPlans tickSaved;
    private final SavedPlans iterationSaved;
    /** Insertion searches a Tick's search may spend. */
    private final int lnsBudget;
    /** Tests only ({@link #searchAndUndo}): the search undoes whatever it found. */
    private boolean undoEverything;
    /** The last Tick's search: iterations that placed every ride taken off, and those kept (cheaper than the best before). */
    private int iterationsPlaced;
    private int iterationsKept;
    /** The search's pseudo-random sequence (splitmix64 state). */
    private long randomState = RANDOM_SEED;
    /** The sequence's start: any constant; a replay restores the state from the snapshot. */
    static final long RANDOM_SEED = 0x5E7_0C17_D15FL;
    private long recreates;
    /** Ticks whose ruin-and-recreate search ran; the input time from which the next may run it. */
    private long searches;
    private long nextSearchNs;

    private long nowNs;
    private long nextCheckNs;
    private long nextRebalanceNs;
    private int improveCursor;
    private long requests;
    private long assigned;
    private long rejected;
    private long improvements;
    private long plansSent;

    public DispatchLoop(final CityConfig config)
    {
        network = ShuttleNetwork.from(config);
        final Mobility mobility = config.mobility();
        service = mobility.service();
        clock = new LocalClock(ZoneId.of(config.city().timeZone()).getRules());
        dwellNs = service.dwellS() * S;
        waitCostMPerS = service.waitCostMPerS();
        newShuttleCostM = service.newShuttleCostM();
        rebalancing = service.rebalancing();
        int count = 0;
        for (final FleetGroup g : mobility.fleet())
        {
            count += g.count();
        }
        shuttleCount = count;
        shuttleIds = new int[count];
        group = new int[count];
        int s = 0;
        groupStart = new int[network.groupCount()];
        for (int g = 0; g < network.groupCount(); g++)
        {
            groupStart[g] = s;
            for (int k = 0; k < network.group(g).count(); k++)
            {
                shuttleIds[s] = network.group(g).firstId() + k;
                group[s] = g;
                s++;
            }
        }
        final int chargers = mobility.chargers().size();
        chargerNode = new int[chargers];
        chargerKw = new double[chargers];
        chargerIds = new int[chargers];
        chargerUser = new int[chargers];
        for (int c = 0; c < chargers; c++)
        {
            final ShuttleCharger charger = mobility.chargers().get(c);
            chargerNode[c] = network.stopIndex(charger.stop());
            chargerKw[c] = charger.powerKw();
            chargerIds[c] = charger.id();
            chargerUser[c] = -1;
        }
        chargerM = new double[network.groupCount()][network.nodeCount()];
        for (int g = 0; g < network.groupCount(); g++)
        {
            for (int n = 0; n < network.nodeCount(); n++)
            {
                double best = ShuttleNetwork.UNREACHABLE;
                for (int c = 0; c < chargers; c++)
                {
                    best = Math.min(best, network.distanceM(g, n, chargerNode[c]));
                }
                chargerM[g][n] = best;
            }
        }
        depot = new int[network.groupCount()];
        for (int g = 0; g < network.groupCount(); g++)
        {
            depot[g] = network.stopIndex(network.group(g).depotStop());
        }
        known = new boolean[count];
        mode = new int[count];
        node = new int[count];
        idleSinceNs = new long[count];
        socKwh = new double[count];
        seats = new int[count];
        wheels = new int[count];
        needsCharge = new boolean[count];
        charger = new int[count];
        headArrNs = new long[count];
        departNs = new long[count];
        headArrived = new boolean[count];
        plansWritten = new long[count];
        headVisitSeq = new long[count];
        sentHeadNode = new int[count];
        planFeasible = new boolean[count];
        searchOrder = new long[count];
        leastAdded = new double[count];
        planLength = new int[count];
        planNode = new int[count][MAX_PLAN];
        planAction = new int[count][MAX_PLAN];
        planRef = new int[count][MAX_PLAN];
        planEtaNs = new long[count][MAX_PLAN];
        for (int i = 0; i < count; i++)
        {
            charger[i] = -1;
            sentHeadNode[i] = -1;
            node[i] = network.stopIndex(network.group(group[i]).depotStop());
        }
        demand = new int[DEMAND_BUCKETS][network.stopCount()];
        demandTotal = new int[network.stopCount()];
        rebalanceLooked = new boolean[network.stopCount()];
        movableRides = new int[count * MAX_PLAN];
        final int saved = Math.min(LNS_SHUTTLES, count);
        tickSaved = new SavedPlans(saved, count, MAX_PLAN);
        iterationSaved = new SavedPlans(saved, count, MAX_PLAN);
        lnsBudget = Math.max(LNS_RUIN_MIN, LNS_SEARCHES * LNS_FLEET / Math.max(LNS_FLEET, count));
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int[] templateIds()
    {
        return new int[] { RideRequestDecoder.TEMPLATE_ID, RideCancelDecoder.TEMPLATE_ID, ShuttleStateDecoder.TEMPLATE_ID,
            TickDecoder.TEMPLATE_ID };
    }

    @Override
    public int stateVersion()
    {
        return STATE_VERSION;
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        nowNs = input.timeNs();
        switch (input.templateId())
        {
            case RideRequestDecoder.TEMPLATE_ID ->
            {
                request.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onRequest(egress);
            }
            case RideCancelDecoder.TEMPLATE_ID ->
            {
                cancel.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onCancel(egress);
            }
            case ShuttleStateDecoder.TEMPLATE_ID ->
            {
                shuttleState.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onShuttleState(input, egress);
            }
            case TickDecoder.TEMPLATE_ID ->
            {
                tick.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onTick(egress);
            }
            default ->
            {
            }
        }
    }

    // ------------------------------------------------------------------------------------------- requests

    private void onRequest(final Egress egress)
    {
        requests++;
        final long requestId = request.requestId();
        final long riderId = request.riderId();
        final long originStop = request.originStopId();
        final long destinationStop = request.destinationStopId();
        final PositionDecoder originPosition = request.origin();
        final int originEastMm = originPosition.eastMm();
        final int originNorthMm = originPosition.northMm();
        final PositionDecoder destinationPosition = request.destination();
        final int destinationEastMm = destinationPosition.eastMm();
        final int destinationNorthMm = destinationPosition.northMm();
        final long earliest = request.earliestPickupTimeNs();
        final int party = request.partySize();
        final int wheelchairs = request.wheelchairs();
        final long digest = digest(riderId, originStop, destinationStop, originEastMm, originNorthMm, destinationEastMm,
            destinationNorthMm, earliest, party, wheelchairs);

        final int existing = rides.slotOf(requestId);
        if (existing >= 0)
        {
            if (rides.content[existing] == digest)
            {
                repeatAnswer(existing, egress);
            }
            else
            {
                rejectUnrecorded(egress, requestId, RideRejectReason.DUPLICATE_REQUEST,
                    "request id " + requestId + " was already used for another ride (rider " + rides.rider[existing] + ")");
            }
            return;
        }

        // what was asked, checked before anything is recorded beyond the answer
        final int origin = resolveStop(originStop, originEastMm, originNorthMm);
        final int destination = resolveStop(destinationStop, destinationEastMm, destinationNorthMm);
        RideRejectReason reason = null;
        String detail = null;
        if (origin < 0)
        {
            reason = origin == -2 ? RideRejectReason.UNREACHABLE : RideRejectReason.UNKNOWN_STOP;
            detail = stopProblem("origin", originStop, originEastMm, originNorthMm, origin);
        }
        else if (destination < 0)
        {
            reason = destination == -2 ? RideRejectReason.UNREACHABLE : RideRejectReason.UNKNOWN_STOP;
            detail = stopProblem("destination", destinationStop, destinationEastMm, destinationNorthMm, destination);
        }
        else if (origin == destination)
        {
            reason = RideRejectReason.INVALID_REQUEST;
            detail = "origin and destination are the same stop, " + network.nodeId(origin) + " (" + network.name(origin) + ")";
        }
        else if (party < 1 || party == RideRequestDecoder.partySizeNullValue())
        {
            reason = RideRejectReason.INVALID_REQUEST;
            detail = "partySize must be at least 1, was " + party;
        }
        else if (wheelchairs > party)
        {
            reason = RideRejectReason.INVALID_REQUEST;
            detail = "wheelchairs (" + wheelchairs + ") must not exceed partySize (" + party + ")";
        }
        else if (earliest < nowNs - PAST_GRACE_NS)
        {
            reason = RideRejectReason.PICKUP_IN_PAST;
            detail = "earliest pickup is " + (nowNs - earliest) / S + " s before now";
        }
        else if (!inServiceHours(earliest))
        {
            reason = RideRejectReason.OUTSIDE_SERVICE_HOURS;
            detail = "earliest pickup at " + hhmm(earliest) + " is outside the service hours " + service.serviceStartHour() +
                ":00-" + service.serviceEndHour() + ":00";
        }
        else
        {
            int largest = 0;
            int mostWheelchairs = 0;
            boolean reachable = false;
            for (int g = 0; g < network.groupCount(); g++)
            {
                if (network.reachable(g, origin, destination) && network.reachable(g, depot[g], origin))
                {
                    reachable = true;
                    largest = Math.max(largest, network.group(g).capacity());
                    mostWheelchairs = Math.max(mostWheelchairs, network.group(g).wheelchairPlaces());
                }
            }
            if (!reachable)
            {
                reason = RideRejectReason.UNREACHABLE;
                detail = "no shuttle type can drive from " + network.name(origin) + " to " + network.name(destination);
            }
            else if (party > largest)
            {
                reason = RideRejectReason.PARTY_TOO_LARGE;
                detail = "a party of " + party + " is larger than any shuttle serving this ride (" + largest + " places)";
            }
            else if (wheelchairs > mostWheelchairs)
            {
                reason = RideRejectReason.NO_WHEELCHAIR_PLACE;
                detail = wheelchairs + " wheelchairs: the shuttles serving this ride have " + mostWheelchairs + " place(s)";
            }
        }

        final int slot = rides.add(requestId);
        rides.rider[slot] = riderId;
        rides.content[slot] = digest;
        rides.requestedNs[slot] = nowNs;
        rides.origin[slot] = Math.max(origin, 0);
        rides.destination[slot] = Math.max(destination, 0);
        rides.earliestNs[slot] = Math.max(earliest, nowNs);
        rides.boardNotBeforeNs[slot] = rides.earliestNs[slot];
        // planned a little inside the promised window, so a plan timed to its end still holds when an arrival is learned
        // at the next whole second (the loop's time is the input's)
        rides.latestPickupNs[slot] = Math.max(earliest, nowNs) + service.maxWaitS() * S - PICKUP_MARGIN_NS;
        rides.party[slot] = party;
        rides.wheelchairs[slot] = wheelchairs;
        if (reason == null)
        {
            // the promise: at most a x the fastest direct ride any shuttle type offers + b, whichever shuttle serves it
            double directS = ShuttleNetwork.UNREACHABLE;
            for (int g = 0; g < network.groupCount(); g++)
            {
                directS = Math.min(directS, network.timeS(g, origin, destination));
            }
            rides.maxRideNs[slot] = seconds(service.maxRideS(directS)) - RIDE_MARGIN_NS;
        }
        if (reason != null)
        {
            reject(slot, reason, detail, egress);
            return;
        }
        countDemand(origin);
        if (!insertBest(slot, egress, PlanReason.ASSIGNMENT))
        {
            reject(slot, RideRejectReason.NO_FEASIBLE_SHUTTLE, "no shuttle can pick up at " + network.name(origin) + " by " +
                hhmm(rides.latestPickupNs[slot]) + " and keep every ride's promises", egress);
        }
    }

    /** Node index of the stop asked for; -1 unknown stop, -2 a position too far from any stop. */
    private int resolveStop(final long stopId, final int eastMm, final int northMm)
    {
        if (stopId != RideRequestDecoder.originStopIdNullValue())
        {
            final int index = stopId > Integer.MAX_VALUE ? -1 : network.stopIndex((int)stopId);
            return index >= 0 && network.stopKind(index) != Stop.Kind.DEPOT ? index : -1;
        }
        if (eastMm == PositionDecoder.eastMmNullValue() || northMm == PositionDecoder.northMmNullValue())
        {
            return -1;
        }
        final int nearest = network.nearestRiderStop(eastMm / 1000.0, northMm / 1000.0, service.maxWalkM());
        return nearest >= 0 ? nearest : -2;
    }

    private String stopProblem(final String end, final long stopId, final int eastMm, final int northMm, final int code)
    {
        if (stopId != RideRequestDecoder.originStopIdNullValue())
        {
            return end + " stop " + stopId + " is not a stop riders can use";
        }
        if (code == -2)
        {
            return end + " position (" + eastMm / 1000 + " m east, " + northMm / 1000 + " m north) is more than " +
                service.maxWalkM() + " m from any stop";
        }
        return end + ": neither a stop id nor a position was given";
    }

    /** What a request asked for, folded into one number (no array: this runs for every request). */
    private static long digest(
        final long rider, final long originStop, final long destinationStop, final long originEastMm, final long originNorthMm,
        final long destinationEastMm, final long destinationNorthMm, final long earliestNs, final long party, final long wheelchairs)
    {
        long h = 0x9E3779B97F4A7C15L;
        h = mix(h, rider);
        h = mix(h, originStop);
        h = mix(h, destinationStop);
        h = mix(h, originEastMm);
        h = mix(h, originNorthMm);
        h = mix(h, destinationEastMm);
        h = mix(h, destinationNorthMm);
        h = mix(h, earliestNs);
        h = mix(h, party);
        return mix(h, wheelchairs);
    }

    private static long mix(final long h, final long v)
    {
        final long m = (h ^ v) * 0xBF58476D1CE4E5B9L;
        return m ^ (m >>> 31);
    }

    private void repeatAnswer(final int slot, final Egress egress)
    {
        final int state = rides.state[slot];
        if (state == RideBook.REJECTED)
        {
            writeRejection(rides.id[slot], RideRejectReason.get((short)rides.rejectReason[slot]),
                "the same request again: " + RideRejectReason.get((short)rides.rejectReason[slot]).name(), egress);
        }
        else if (state == RideBook.CANCELLED)
        {
            writeRejection(rides.id[slot], RideRejectReason.DUPLICATE_REQUEST, "request " + rides.id[slot] + " was cancelled", egress);
        }
        else
        {
            writeAssignment(slot, rides.sentShuttle[slot], egress);
        }
    }

    private boolean inServiceHours(final long epochNs)
    {
        final long hour = clock.nsOfDay(epochNs) / (3600 * S);
        return hour >= service.serviceStartHour() && hour < service.serviceEndHour();
    }

    private String hhmm(final long epochNs)
    {
        final long minutes = clock.nsOfDay(epochNs) / (60 * S);
        return String.format("%02d:%02d", minutes / 60, minutes % 60);
    }

    private void countDemand(final int stop)
    {
        advanceDemand();
        demand[(int)(demandBucket % DEMAND_BUCKETS)][stop]++;
    }

    private void advanceDemand()
    {
        final long bucket = nowNs / DEMAND_BUCKET_NS;
        if (demandBucket < 0)
        {
            demandBucket = bucket;
            return;
        }
        while (demandBucket < bucket)
        {
            demandBucket++;
            Arrays.fill(demand[(int)(demandBucket % DEMAND_BUCKETS)], 0);
            if (bucket - demandBucket > DEMAND_BUCKETS)
            {
                demandBucket = bucket - DEMAND_BUCKETS;
            }
        }
    }

    // ------------------------------------------------------------------------------------------- insertion

    /**
     * Inserts ride {@code slot} where it costs least; writes the plan(s) and the assignment.
     *
     * @return false when no shuttle can take it.
     */
    private boolean insertBest(final int slot, final Egress egress, final PlanReason reason)
    {
        final int best = searchBest(slot);
        if (best < 0)
        {
            return false;
        }
        applyBest(slot, egress, reason);
        return true;
    }

    // result of searchBest
    private int bestShuttle;
    private int bestPickupAt;
    private int bestDropoffAt;
    private double bestCost;

    /**
     * The cheapest feasible insertion of ride {@code slot}; the shuttle index, -1 when none. The answer is the least
     * (cost, shuttle index, pickup position, drop-off position): the same whatever order the shuttles are searched
     * in. They are searched in order of the fewest metres the ride could add to each (known from the plans alone,
     * before any timing), and the search stops at the first shuttle that cannot beat the best found: the cost of an
     * insertion is at least the metres it adds.
     */
    /** The unit of the search order's key: the bound on the metres added, in sixteenths of a metre. */
    private static final double ORDER_UNIT_M = 1.0 / 16;

    private int searchBest(final int slot)
    {
        candidateSlot = slot;
        bestShuttle = -1;
        bestCost = Double.POSITIVE_INFINITY;
        final int origin = rides.origin[slot];
        final int destination = rides.destination[slot];
        int count = 0;
        for (int s = 0; s < shuttleCount; s++)
        {
            if (!known[s] || needsCharge[s] || mode[s] == CHARGING)
            {
                continue;
            }
            final int g = group[s];
            final FleetGroup fleetGroup = network.group(g);
            if (rides.party[slot] > fleetGroup.capacity() || rides.wheelchairs[slot] > fleetGroup.wheelchairPlaces()
                || !network.reachable(g, origin, destination))
            {
                continue;
            }
            final int length = planLength[s];
            // lower bound on reaching the origin: from the plan's start
            final boolean fixed = headFixed(s);
            final int startNode = fixed ? planNode[s][0] : node[s];
            final long startNs = fixed ? headArrNs[s] : Math.max(nowNs, idleSinceNs[s]);
            if (!network.reachable(g, startNode, origin) ||
                startNs + seconds(network.timeS(g, startNode, origin)) > rides.latestPickupNs[slot])
            {
                continue;
            }
            final boolean own = excludedRide >= 0 && rides.shuttle[excludedRide] == s;
            final double least = own ? Double.NEGATIVE_INFINITY :
                leastAddedMetres(s, origin, destination) + (planLength[s] == 0 ? newShuttleCostM : 0);
            leastAdded[s] = least;
            // sort key: the least metres (1/16 m, never below 0), then the shuttle index
            searchOrder[count++] = ((long)Math.max(0, Math.min(least / ORDER_UNIT_M, (double)(1L << 40))) << 20) | s;
        }
        Arrays.sort(searchOrder, 0, count);
        for (int k = 0; k < count; k++)
        {
            final int s = (int)(searchOrder[k] & ((1 << 20) - 1));
            final double least = leastAdded[s];
            if (least > bestCost && !exhaustive)
            {
                // the order is by the bound in whole sixteenths of a metre (and 0 below that): a later shuttle's bound is
                // more than this one's less a sixteenth, so once that is above the best, so is every later one's
                if (least >= ORDER_UNIT_M && least - ORDER_UNIT_M > bestCost)
                {
                    break;
                }
                continue;
            }
            if (exhaustive)
            {
                searchShuttle(s, slot, origin, destination);
            }
            else
            {
                searchShuttleByCost(s, slot, origin, destination);
            }
        }
        return bestShuttle;
    }

    /**
     * Tests only: search every shuttle (no bound on the metres it could add) and check every insertion the metres allow
     * ({@link #searchShuttle}) instead of the cheapest first.
     */
    void searchExhaustively(final boolean exhaustive)
    {
        this.exhaustive = exhaustive;
    }

    /**
     * The same answer as {@link #searchShuttle} for a plan that does not hold the ride (every shuttle but its own in
     * the improvement step), with far fewer plans timed. One pass over the plan gives what every entry sees before it;
     * for each pickup position i, one more pass times the plan with the pickup alone (the "i-plan"). That gives, in
     * O(1) per drop-off position j, the insertion's cost (the metres it adds, from the plan alone, and the rider's
     * wait: the pickup depends only on the entries before it), the new ride's exact ride time (the drop-off depends
     * only on the entries before it) and most of the insertions that cannot be feasible: the candidate (i, j) is the
     * i-plan up to j, and after j it is never earlier than the i-plan (a drop-off only adds time). What is left and
     * could beat the best so far is timed in full, cheapest first, (cost, i, j) as the tie-break; the first feasible
     * one is this shuttle's best: the least feasible (cost, i, j), as the exhaustive search finds. The property test
     * {@code theCheapestFirstSearchDecidesAsTheExhaustiveOne} holds the two to the same frames out.
     */
    private void searchShuttleByCost(final int s, final int slot, final int origin, final int destination)
    {
        if (!useBase(s))
        {
            return; // no room for both entries; or a plan that slipped past its promises: leave it alone
        }
        final int length = baseLength;
        final int first = frozen(s);
        final boolean open = visitOpen(s);
        final int g = group[s];
        final FleetGroup fleetGroup = network.group(g);
        final int capacity = fleetGroup.capacity();
        final int places = fleetGroup.wheelchairPlaces();
        final boolean headFixed = headFixed(s);
        final int[] nodes = baseNode;
        final int[] actions = baseAction;
        final int[] refs = baseRef;
        final int party = rides.party[slot];
        final int chairs = rides.wheelchairs[slot];
        final long maxRideNs = rides.maxRideNs[slot];
        // the least metres a drop-off at j or later adds (its legs are apart from a pickup's before j)
        leastDropoffFrom[length + 1] = Double.POSITIVE_INFINITY;
        for (int j = length; j > first; j--)
        {
            final int before = nodes[j - 1];
            final double dropoff = network.distanceM(g, before, destination) +
                (j == length ? 0 : network.distanceM(g, destination, nodes[j]) - network.distanceM(g, before, nodes[j]));
            leastDropoffFrom[j] = Math.min(dropoff, leastDropoffFrom[j + 1]);
        }
        // the plan's own timing, as evaluatePlan runs it: the state before entry i
        int seatsUsed = seats[s];
        int wheelsUsed = wheels[s];
        long departNs = Math.max(nowNs, idleSinceNs[s]);
        int previous = node[s];
        long arriveNs = 0;
        long blockEndNs = 0;
        boolean blockDwells = false;
        heapSize = 0;
        for (int i = 0; ; i++)
        {
            if (i >= first && !(first > 0 && !open && (i == first ? origin : nodes[first]) == nodes[first - 1]))
            {
                // the pickup as entry i: a visit of its own, or joining the one under way
                long visitArriveNs = arriveNs;
                long visitEndNs = blockEndNs;
                boolean visitDwells = blockDwells;
                boolean reachable = true;
                if (i == 0 || origin != previous)
                {
                    final double t = network.timeS(g, previous, origin);
                    reachable = t != ShuttleNetwork.UNREACHABLE;
                    visitArriveNs = (i > 0 ? visitDepartureNs(blockEndNs, blockDwells) : departNs) + seconds(t);
                    visitEndNs = visitArriveNs;
                    visitDwells = false;
                }
                final long pickupNs = Math.max(visitArriveNs, rides.boardNotBeforeNs[slot]);
                if (reachable && pickupNs > rides.latestPickupNs[slot])
                {
                    break; // too late here, and later at every later position (times only grow along a plan)
                }
                final double wait = waitCostMPerS * (pickupNs - rides.earliestNs[slot]) / (double)S;
                final double start = length == 0 ? newShuttleCostM : 0; // a shuttle with nothing on its plan
                if (reachable && seatsUsed + party <= capacity && wheelsUsed + chairs <= places
                    && !(leastCostAt(g, s, i, origin, destination, wait) + start > bestCost))
                {
                    timePickupPlan(s, i, destination, visitArriveNs, Math.max(visitEndNs, pickupNs), origin, seatsUsed + party, wheelsUsed + chairs);
                    pickupAtNs[i] = pickupNs;
                    final int lastDropoff = pickupPlanLate ? -1 : Math.min(length, Math.min(pickupPlanViolation, pickupPlanRideViolation));
                    final int pickupAt = planPosition(i);
                    for (int j = i; j <= lastDropoff; j++)
                    {
                        final long dropoffNs = dropoffAtNs[j];
                        if (dropoffNs == NO_PICKUP || dropoffNs - pickupNs > maxRideNs + LOWER_BOUND_MARGIN_NS)
                        {
                            continue;
                        }
                        final double cost = addedMetres(g, node[s], nodes, length, i, j, origin, destination) + wait + start;
                        if (cost < bestCost || cost == bestCost && better(s, pickupAt, planPosition(j)))
                        {
                            heapPush(cost, i * PAIR_STRIDE + j);
                        }
                    }
                }
            }
            if (i == length)
            {
                break;
            }
            // entry i of the plan, as evaluatePlan times and checks it: an insertion after a failed entry fails there
            final int at = nodes[i];
            if (i == 0 || at != previous)
            {
                if (i > 0)
                {
                    departNs = visitDepartureNs(blockEndNs, blockDwells);
                }
                if (i == 0 && headFixed)
                {
                    arriveNs = fixedHeadArrivalNs(s);
                }
                else
                {
                    final double t = network.timeS(g, previous, at);
                    if (t == ShuttleNetwork.UNREACHABLE)
                    {
                        break;
                    }
                    arriveNs = departNs + seconds(t);
                }
                blockEndNs = arriveNs;
                blockDwells = i == 0 && headFixed && headArrived[s];
            }
            final int action = actions[i];
            long beginNs = arriveNs;
            if (action == PICKUP)
            {
                final int ride = refs[i];
                beginNs = Math.max(arriveNs, rides.boardNotBeforeNs[ride]);
                seatsUsed += rides.party[ride];
                wheelsUsed += rides.wheelchairs[ride];
                if (beginNs > rides.latestPickupNs[ride] || seatsUsed > capacity || wheelsUsed > places)
                {
                    break;
                }
                pickupScratch(ride, beginNs, i);
            }
            else if (action == DROPOFF)
            {
                final int ride = refs[i];
                final long pickedNs = rides.state[ride] == RideBook.ON_BOARD ? rides.pickupNs[ride] : candPickupNs[ride];
                if (beginNs - pickedNs > rides.maxRideNs[ride])
                {
                    break;
                }
                seatsUsed -= rides.party[ride];
                wheelsUsed -= rides.wheelchairs[ride];
            }
            blockEndNs = Math.max(blockEndNs, beginNs);
            blockDwells |= action == PICKUP || action == DROPOFF;
            previous = at;
        }
        while (heapSize > 0)
        {
            final double cost = heapCost[0];
            final int pair = heapPair[0];
            heapPop();
            final int i = pair / PAIR_STRIDE;
            final int j = pair % PAIR_STRIDE;
            final int candLength = buildCandidate(s, slot, planPosition(i), planPosition(j));
            if (evaluatePlan(s, candLength, candNode, candAction, candRef, null))
            {
                assert evalPickupNs == pickupAtNs[i] : "pickup at " + i + " timed " + evalPickupNs + ", foreseen " + pickupAtNs[i];
                bestCost = cost;
                bestShuttle = s;
                bestPickupAt = planPosition(i);
                bestDropoffAt = planPosition(j);
                return;
            }
        }
    }

    /**
     * A lower bound on the cost of every insertion with the pickup at position i of the search's plan, whose wait costs
     * {@code wait}: a drop-off right after it, or the pickup's metres plus the least a later drop-off adds
     * ({@link #leastDropoffFrom}). Less a micrometre, for the sums' rounding; NaN (never above the best) when a leg is
     * unreachable.
     */
    private double leastCostAt(final int g, final int s, final int i, final int origin, final int destination, final double wait)
    {
        final int length = baseLength;
        final int[] nodes = baseNode;
        double least = addedMetres(g, node[s], nodes, length, i, i, origin, destination);
        if (i < length)
        {
            final int before = i == 0 ? node[s] : nodes[i - 1];
            final double pickup = network.distanceM(g, before, origin) + network.distanceM(g, origin, nodes[i]) - network.distanceM(g, before, nodes[i]);
            least = Math.min(least, pickup + leastDropoffFrom[i + 1]);
        }
        return least + wait - 1e-6;
    }

    /**
     * Points {@link #baseNode} and the rest at the plan a search of shuttle {@code s} inserts into: for the ride's own
     * shuttle in the improvement step, its plan without the ride; else its plan. False when nothing can be inserted:
     * no room for both entries, or a plan that slipped past its promises (as last timed, or without the ride now).
     */
    private boolean useBase(final int s)
    {
        baseWithout = excludedRide >= 0 && rides.shuttle[excludedRide] == s;
        if (baseWithout)
        {
            baseLength = buildWithout(s, excludedRide);
            baseNode = withoutNode;
            baseAction = withoutAction;
            baseRef = withoutRef;
            return evaluatePlan(s, baseLength, withoutNode, withoutAction, withoutRef, null);
        }
        baseLength = planLength[s];
        baseNode = planNode[s];
        baseAction = planAction[s];
        baseRef = planRef[s];
        return baseLength + 2 <= MAX_PLAN && (baseLength == 0 || planFeasible[s]);
    }

    /**
     * A position in the search's plan as a position in the shuttle's plan: the same for a plan searched as it is; for
     * a plan without the ride, the first of the positions that give the same plan (right after the entry before it).
     */
    private int planPosition(final int m)
    {
        return !baseWithout ? m : m == 0 ? 0 : withoutAt[m - 1] + 1;
    }

    // what timePickupPlan found
    /** A pickup of the plan is too late in the i-plan: every insertion at this i fails. */
    private boolean pickupPlanLate;
    /** The first entry that fails in the i-plan (any promise, or seats): an insertion that drops off after it fails. */
    private int pickupPlanViolation;
    /** The least position of the pickup of a ride whose drop-off is too late in the i-plan (-1: on board). */
    private int pickupPlanRideViolation;

    /**
     * Times the i-plan: plan {@code s} with the new ride's pickup before entry i (a visit that arrived at
     * {@code visitArriveNs} and is busy until {@code visitEndNs}), from entry i on, without stopping at a failure; and
     * before each entry j (and at the end) the new ride's drop-off's begin of service there ({@link #dropoffAtNs}).
     * The promises checked against a lower bound allow {@link #LOWER_BOUND_MARGIN_NS} for the rounding of travel
     * times to whole nanoseconds.
     */
    private void timePickupPlan(final int s, final int i, final int destination, final long visitArriveNs, final long visitEndNs,
        final int origin, final int seatsWithRide, final int wheelsWithRide)
    {
        final int g = group[s];
        final FleetGroup fleetGroup = network.group(g);
        final int length = baseLength;
        final int[] nodes = baseNode;
        final int[] actions = baseAction;
        final int[] refs = baseRef;
        int seatsUsed = seatsWithRide;
        int wheelsUsed = wheelsWithRide;
        long arriveNs = visitArriveNs;
        long blockEndNs = visitEndNs;
        boolean blockDwells = true;
        int previous = origin;
        pickupPlanLate = false;
        pickupPlanViolation = Integer.MAX_VALUE;
        pickupPlanRideViolation = Integer.MAX_VALUE;
        for (int k = i; ; k++)
        {
            // the drop-off as entry k of the candidate
            if (destination == previous)
            {
                dropoffAtNs[k] = arriveNs;
            }
            else
            {
                final double t = network.timeS(g, previous, destination);
                dropoffAtNs[k] = t == ShuttleNetwork.UNREACHABLE ? NO_PICKUP :
                    visitDepartureNs(blockEndNs, blockDwells) + seconds(t);
            }
            if (k == length)
            {
                return;
            }
            final int at = nodes[k];
            if (at != previous)
            {
                final double t = network.timeS(g, previous, at);
                if (t == ShuttleNetwork.UNREACHABLE)
                {
                    pickupPlanViolation = Math.min(pickupPlanViolation, k);
                    return; // nothing known after it; no drop-off after it is tried
                }
                arriveNs = visitDepartureNs(blockEndNs, blockDwells) + seconds(t);
                blockEndNs = arriveNs;
                blockDwells = false;
            }
            final int action = actions[k];
            long beginNs = arriveNs;
            if (action == PICKUP)
            {
                final int ride = refs[k];
                beginNs = Math.max(arriveNs, rides.boardNotBeforeNs[ride]);
                if (beginNs > rides.latestPickupNs[ride] + LOWER_BOUND_MARGIN_NS)
                {
                    pickupPlanLate = true;
                    return;
                }
                seatsUsed += rides.party[ride];
                wheelsUsed += rides.wheelchairs[ride];
                if (seatsUsed > fleetGroup.capacity() || wheelsUsed > fleetGroup.wheelchairPlaces())
                {
                    pickupPlanViolation = Math.min(pickupPlanViolation, k);
                }
                pickupScratch(ride, beginNs, k);
            }
            else if (action == DROPOFF)
            {
                final int ride = refs[k];
                final boolean onBoard = rides.state[ride] == RideBook.ON_BOARD;
                final long pickedNs = onBoard ? rides.pickupNs[ride] : candPickupNs[ride];
                if (beginNs - pickedNs > rides.maxRideNs[ride] + LOWER_BOUND_MARGIN_NS)
                {
                    pickupPlanViolation = Math.min(pickupPlanViolation, k);
                    pickupPlanRideViolation = Math.min(pickupPlanRideViolation, onBoard ? -1 : candPickupAt[ride]);
                }
                seatsUsed -= rides.party[ride];
                wheelsUsed -= rides.wheelchairs[ride];
            }
            blockEndNs = Math.max(blockEndNs, beginNs);
            blockDwells |= action == PICKUP || action == DROPOFF;
            previous = at;
        }
    }

    private void heapPush(final double cost, final int pair)
    {
        int k = heapSize++;
        while (k > 0)
        {
            final int parent = (k - 1) >>> 1;
            if (!precedes(cost, pair, heapCost[parent], heapPair[parent]))
            {
                break;
            }
            heapCost[k] = heapCost[parent];
            heapPair[k] = heapPair[parent];
            k = parent;
        }
        heapCost[k] = cost;
        heapPair[k] = pair;
    }

    private void heapPop()
    {
        final int size = --heapSize;
        final double cost = heapCost[size];
        final int pair = heapPair[size];
        int k = 0;
        while (true)
        {
            int child = 2 * k + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && precedes(heapCost[child + 1], heapPair[child + 1], heapCost[child], heapPair[child]))
            {
                child++;
            }
            if (!precedes(heapCost[child], heapPair[child], cost, pair))
            {
                break;
            }
            heapCost[k] = heapCost[child];
            heapPair[k] = heapPair[child];
            k = child;
        }
        heapCost[k] = cost;
        heapPair[k] = pair;
    }

    private static boolean precedes(final double costA, final int pairA, final double costB, final int pairB)
    {
        return costA < costB || costA == costB && pairA < pairB;
    }

    /**
     * A lower bound on the metres ride origin..destination could add to plan {@code s}, over every pair of positions,
     * in one pass: a pickup at i and a drop-off at a later j change two separate legs, so what they add is the sum of
     * what each adds alone, and the least sum over i < j is the least pickup before j plus the drop-off at j. Less a
     * micrometre: the sums round differently from {@link #addedMetres}, and a bound must never be above it.
     */
    private double leastAddedMetres(final int s, final int origin, final int destination)
    {
        final int g = group[s];
        final int length = planLength[s];
        final int[] nodes = planNode[s];
        double least = Double.POSITIVE_INFINITY;
        double leastPickup = Double.POSITIVE_INFINITY; // over the pickup positions before j
        for (int j = frozen(s); j <= length; j++)
        {
            least = Math.min(least, addedMetres(s, j, j, origin, destination));
            final int before = j == 0 ? node[s] : nodes[j - 1];
            if (leastPickup != Double.POSITIVE_INFINITY)
            {
                final double dropoff = network.distanceM(g, before, destination) +
                    (j == length ? 0 : network.distanceM(g, destination, nodes[j]) - network.distanceM(g, before, nodes[j]));
                least = Math.min(least, leastPickup + dropoff);
            }
            if (j < length)
            {
                leastPickup = Math.min(leastPickup,
                    network.distanceM(g, before, origin) + network.distanceM(g, origin, nodes[j]) - network.distanceM(g, before, nodes[j]));
            }
        }
        return least - 1e-6;
    }

    /** Metres the pickup at position i and drop-off at position j add to plan {@code s}: only the legs around them change. */
    private double addedMetres(final int s, final int i, final int j, final int origin, final int destination)
    {
        return addedMetres(group[s], node[s], planNode[s], planLength[s], i, j, origin, destination);
    }

    /** The same for a plan of {@code length} entries {@code nodes} of a shuttle of group g that starts from {@code start}. */
    private double addedMetres(final int g, final int start, final int[] nodes, final int length, final int i, final int j,
        final int origin, final int destination)
    {
        final int before = i == 0 ? start : nodes[i - 1];
        if (j == i)
        {
            return network.distanceM(g, before, origin) + network.distanceM(g, origin, destination) +
                (i == length ? 0 : network.distanceM(g, destination, nodes[i]) - network.distanceM(g, before, nodes[i]));
        }
        return network.distanceM(g, before, origin) + network.distanceM(g, origin, nodes[i]) - network.distanceM(g, before, nodes[i]) +
            network.distanceM(g, nodes[j - 1], destination) +
            (j == length ? 0 : network.distanceM(g, destination, nodes[j]) - network.distanceM(g, nodes[j - 1], nodes[j]));
    }

    /** Every feasible insertion of ride {@code slot} into plan {@code s} that can beat the best so far. */
    private void searchShuttle(final int s, final int slot, final int origin, final int destination)
    {
        final int length = planLength[s];
        final int first = frozen(s);
        // the plan as it stands (for the ride's own shuttle in the improvement step: without the ride)
        final boolean own = excludedRide >= 0 && rides.shuttle[excludedRide] == s;
        if (own)
        {
            buildWithout(s, excludedRide);
        }
        final boolean baseFeasible = own ?
            evaluatePlan(s, baseLength, withoutNode, withoutAction, withoutRef, null) :
            (length == 0 || planFeasible[s]);
        if (!baseFeasible)
        {
            return; // a plan that slipped past its promises (as last timed): leave it alone
        }
        for (int i = first; i <= length; i++)
        {
            if (i == first && i > 0 && origin == planNode[s][first - 1] && !visitOpen(s))
            {
                continue; // would join the visit at the first stop, which the shuttle may already have made
            }
            for (int j = i; j <= length; j++)
            {
                // the cost is the metres added plus the wait: one whose metres alone cannot beat the best is not timed
                final double added = own ?
                    addedMetres(group[s], node[s], withoutNode, baseLength, withoutBefore(i), withoutBefore(j), origin, destination) :
                    addedMetres(s, i, j, origin, destination);
                if (added > bestCost)
                {
                    continue;
                }
                final int candLength = buildCandidate(s, slot, i, j);
                if (candLength < 0)
                {
                    break; // the plan is full
                }
                if (first > 0 && candLength > first && candNode[first] == planNode[s][first - 1] && !visitOpen(s))
                {
                    continue; // an entry would join the visit at the first stop, which the shuttle may already have made
                }
                if (evaluatePlan(s, candLength, candNode, candAction, candRef, null))
                {
                    final double cost = added + waitCostMPerS * (evalPickupNs - rides.earliestNs[slot]) / (double)S
                        + ((own ? baseLength : length) == 0 ? newShuttleCostM : 0);
                    if (cost < bestCost || cost == bestCost && better(s, i, j))
                    {
                        bestCost = cost;
                        bestShuttle = s;
                        bestPickupAt = i;
                        bestDropoffAt = j;
                    }
                }
                else if (evalLatePickup)
                {
                    // too late for the pickup here; a later position in the plan is later still (times only grow
                    // along a plan, and fastest paths obey the triangle inequality)
                    return;
                }
            }
        }
    }

    /** Whether (s, i, j) comes before the best so far, for ties of cost. */
    private boolean better(final int s, final int i, final int j)
    {
        if (bestShuttle < 0 || s != bestShuttle)
        {
            return bestShuttle < 0 || s < bestShuttle;
        }
        return i < bestPickupAt || i == bestPickupAt && j < bestDropoffAt;
    }

    /** The plan of {@code s} (without the excluded ride) with ride {@code slot} at positions i, j; its length. */
    private int buildCandidate(final int s, final int slot, final int pickupAt, final int dropoffAt)
    {
        int n = 0;
        final int length = planLength[s];
        for (int k = 0; k <= length; k++)
        {
            if (k == pickupAt)
            {
                candNode[n] = rides.origin[slot];
                candAction[n] = PICKUP;
                candRef[n] = slot;
                n++;
            }
            if (k == dropoffAt)
            {
                candNode[n] = rides.destination[slot];
                candAction[n] = DROPOFF;
                candRef[n] = slot;
                n++;
            }
            if (k < length)
            {
                if (excludedRide >= 0 && planRef[s][k] == excludedRide && planAction[s][k] != CHARGE)
                {
                    continue;
                }
                if (n >= MAX_PLAN)
                {
                    return -1;
                }
                candNode[n] = planNode[s][k];
                candAction[n] = planAction[s][k];
                candRef[n] = planRef[s][k];
                n++;
            }
        }
        return n > MAX_PLAN ? -1 : n;
    }

    /**
     * Times a plan of shuttle {@code s} from its start and checks every promise on it. Sets {@link #evalDistanceM}
     * (metres after the first stop when that stop is fixed, else from where the shuttle is), the new ride's pickup
     * and whether it was late ({@link #evalLatePickup}).
     *
     * @param etaOut when not null, receives the begin of service at each entry.
     * @return whether every constraint holds.
     */
    private boolean evaluatePlan(final int s, final int length, final int[] nodes, final int[] actions, final int[] refs, final long[] etaOut)
    {
        final int g = group[s];
        final FleetGroup fleetGroup = network.group(g);
        final boolean headFixed = headFixed(s);
        int seatsUsed = seats[s];
        int wheelsUsed = wheels[s];
        double distance = 0;
        long departNs = Math.max(nowNs, idleSinceNs[s]);
        int previous = node[s];
        evalLatePickup = false;
        evalPickupNs = 0;
        long arriveNs = 0;
        long blockEndNs = 0;       // the latest begin of service among the entries at this stop visit
        boolean blockDwells = false;
        for (int k = 0; k < length; k++)
        {
            final int at = nodes[k];
            if (k == 0 || at != previous)
            {
                // a new stop visit: riders at one visit board and alight from its arrival, each from their own time
                if (k > 0)
                {
                    // nothing happens before now: a shuttle dwelling at its first stop leaves no earlier than now
                    departNs = visitDepartureNs(blockEndNs, blockDwells);
                }
                if (k == 0 && headFixed)
                {
                    // a shuttle not yet at its first stop arrives no earlier than now
                    arriveNs = fixedHeadArrivalNs(s);
                }
                else
                {
                    final double t = network.timeS(g, previous, at);
                    if (t == ShuttleNetwork.UNREACHABLE)
                    {
                        return false;
                    }
                    arriveNs = departNs + seconds(t);
                    distance += network.distanceM(g, previous, at);
                }
                blockEndNs = arriveNs;
                // a shuttle that has stopped at its first stop completes its dwell even if nobody is left to board
                blockDwells = k == 0 && headFixed && headArrived[s];
            }
            final int action = actions[k];
            long beginNs = arriveNs;
            if (action == PICKUP)
            {
                final int ride = refs[k];
                beginNs = Math.max(arriveNs, rides.boardNotBeforeNs[ride]);
                if (beginNs > rides.latestPickupNs[ride])
                {
                    evalLatePickup = ride == candidateSlot;
                    return false;
                }
                seatsUsed += rides.party[ride];
                wheelsUsed += rides.wheelchairs[ride];
                if (seatsUsed > fleetGroup.capacity() || wheelsUsed > fleetGroup.wheelchairPlaces())
                {
                    return false;
                }
                pickupScratch(ride, beginNs);
                if (ride == candidateSlot)
                {
                    evalPickupNs = beginNs;
                }
            }
            else if (action == DROPOFF)
            {
                final int ride = refs[k];
                final long pickedNs = rides.state[ride] == RideBook.ON_BOARD ? rides.pickupNs[ride] : candPickupNs[ride];
                if (beginNs - pickedNs > rides.maxRideNs[ride])
                {
                    return false;
                }
                seatsUsed -= rides.party[ride];
                wheelsUsed -= rides.wheelchairs[ride];
            }
            if (etaOut != null)
            {
                etaOut[k] = beginNs;
            }
            blockEndNs = Math.max(blockEndNs, beginNs);
            blockDwells |= action == PICKUP || action == DROPOFF;
            previous = at;
        }
        final double reserveKwh = fleetGroup.batteryKwh() * fleetGroup.reservePercent() / 100.0;
        final double toCharger = chargerM[g][previous];
        final double needKwh = (distance + (toCharger == ShuttleNetwork.UNREACHABLE ? 0 : toCharger)) / 1000.0 * fleetGroup.consumptionKwhPerKm();
        if (length > 0 && socKwh[s] - needKwh < reserveKwh)
        {
            return false;
        }
        evalDistanceM = distance;
        return true;
    }

    private void pickupScratch(final int ride, final long beginNs, final int position)
    {
        pickupScratch(ride, beginNs);
        if (ride >= candPickupAt.length)
        {
            candPickupAt = Arrays.copyOf(candPickupAt, candPickupNs.length);
        }
        candPickupAt[ride] = position;
    }

    private void pickupScratch(final int ride, final long beginNs)
    {
        if (ride >= candPickupNs.length)
        {
            candPickupNs = Arrays.copyOf(candPickupNs, Math.max(ride + 1, candPickupNs.length * 2));
        }
        candPickupNs[ride] = beginNs;
    }

    /**
     * When shuttle {@code s} reaches its plan's fixed first stop: when it did, or when it is predicted to, never before
     * now. The search, the plan's timing and the ETA refresh all take the first stop's arrival from here.
     */
    private long fixedHeadArrivalNs(final int s)
    {
        return headArrived[s] ? headArrNs[s] : Math.max(headArrNs[s], nowNs);
    }

    /**
     * When a shuttle leaves a stop visit whose last service begins at {@code blockEndNs}, after its dwell when the visit
     * dwells; never before now.
     */
    private long visitDepartureNs(final long blockEndNs, final boolean blockDwells)
    {
        return Math.max(blockEndNs + (blockDwells ? dwellNs : 0), nowNs);
    }

    private static long seconds(final double s)
    {
        return (long)(s * S);
    }

    /** Writes the insertion found by {@link #searchBest} into the plan, re-times it, answers the rider. */
    private void applyBest(final int slot, final Egress egress, final PlanReason reason)
    {
        final int s = bestShuttle;
        rides.state[slot] = RideBook.ASSIGNED;
        placeBest(slot);
        assigned++;
        writePlan(s, reason, egress);
        writeAssignment(slot, s, egress);
        sendChangedEtas(s, slot, egress);
    }

    /** Re-times plan {@code s} from its start (ETAs into planEtaNs and the rides). */
    private boolean retime(final int s)
    {
        if (standing(s))
        {
            setDeparture(s); // the plan may have changed its first visit: the fleet applies the rule to it again
        }
        candidateSlot = -1;
        final boolean feasible = evaluatePlan(s, planLength[s], planNode[s], planAction[s], planRef[s], planEtaNs[s]);
        planFeasible[s] = feasible;
        if (!feasible)
        {
            // a slipped plan: time it all the same, without the checks' early exit
            timeWithoutChecks(s);
        }
        for (int k = 0; k < planLength[s]; k++)
        {
            final int ride = planRef[s][k];
            if (planAction[s][k] == PICKUP)
            {
                rides.pickupNs[ride] = planEtaNs[s][k];
            }
            else if (planAction[s][k] == DROPOFF)
            {
                rides.dropoffNs[ride] = planEtaNs[s][k];
            }
        }
        return feasible;
    }

    private void timeWithoutChecks(final int s)
    {
        final int g = group[s];
        int previous = node[s];
        long arriveNs = 0;
        long blockEndNs = 0;
        boolean blockDwells = false;
        for (int k = 0; k < planLength[s]; k++)
        {
            final int at = planNode[s][k];
            if (k == 0 || at != previous)
            {
                arriveNs = k == 0 ?
                    fixedHeadArrivalNs(s) :
                    visitDepartureNs(blockEndNs, blockDwells) + seconds(network.timeS(g, previous, at));
                blockEndNs = arriveNs;
                blockDwells = k == 0 && headArrived[s];
            }
            long beginNs = arriveNs;
            if (planAction[s][k] == PICKUP)
            {
                beginNs = Math.max(arriveNs, rides.boardNotBeforeNs[planRef[s][k]]);
            }
            planEtaNs[s][k] = beginNs;
            blockEndNs = Math.max(blockEndNs, beginNs);
            blockDwells |= planAction[s][k] == PICKUP || planAction[s][k] == DROPOFF;
            previous = at;
        }
    }

    /** RideAssignment again for the rides on plan {@code s} (but {@code except}) whose ETA moved by a minute. */
    private void sendChangedEtas(final int s, final int except, final Egress egress)
    {
        for (int k = 0; k < planLength[s]; k++)
        {
            final int ride = planRef[s][k];
            if (ride == except || (planAction[s][k] != PICKUP && planAction[s][k] != DROPOFF))
            {
                continue;
            }
            if (rides.sentShuttle[ride] != s ||
                Math.abs(rides.pickupNs[ride] - rides.sentPickupNs[ride]) >= ETA_UPDATE_NS && rides.state[ride] == RideBook.ASSIGNED ||
                Math.abs(rides.dropoffNs[ride] - rides.sentDropoffNs[ride]) >= ETA_UPDATE_NS)
            {
                if (planAction[s][k] == DROPOFF || rides.state[ride] == RideBook.ASSIGNED)
                {
                    writeAssignment(ride, s, egress);
                }
            }
        }
    }

    private boolean etasMoved(final int s)
    {
        for (int k = 0; k < planLength[s]; k++)
        {
            final int ride = planRef[s][k];
            if (planAction[s][k] == PICKUP && Math.abs(rides.pickupNs[ride] - rides.sentPickupNs[ride]) >= ETA_UPDATE_NS)
            {
                return true;
            }
            if (planAction[s][k] == DROPOFF && Math.abs(rides.dropoffNs[ride] - rides.sentDropoffNs[ride]) >= ETA_UPDATE_NS)
            {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------- cancel

    private void onCancel(final Egress egress)
    {
        final long requestId = cancel.requestId();
        final int slot = rides.slotOf(requestId);
        if (slot < 0 || rides.state[slot] == RideBook.REJECTED)
        {
            rejectUnrecorded(egress, requestId, RideRejectReason.UNKNOWN_REQUEST, "cancel of request " + requestId +
                (slot < 0 ? ", which is not known" : ", which was rejected"));
            return;
        }
        if (rides.rider[slot] != cancel.riderId())
        {
            rejectUnrecorded(egress, requestId, RideRejectReason.UNKNOWN_REQUEST, "cancel of request " + requestId + " by rider " +
                cancel.riderId() + ", but it is rider " + rides.rider[slot] + "'s");
            return;
        }
        switch (rides.state[slot])
        {
            case RideBook.ON_BOARD -> rejectUnrecorded(egress, requestId, RideRejectReason.ALREADY_PICKED_UP,
                "request " + requestId + " is on board shuttle " + shuttleIds[rides.shuttle[slot]]);
            case RideBook.DELIVERED -> rejectUnrecorded(egress, requestId, RideRejectReason.ALREADY_PICKED_UP,
                "request " + requestId + " was already delivered");
            case RideBook.CANCELLED -> rejectUnrecorded(egress, requestId, RideRejectReason.UNKNOWN_REQUEST,
                "request " + requestId + " was already cancelled");
            default ->
            {
                final int s = rides.shuttle[slot];
                if (headArrived[s] && pickupAtHead(s, slot) && !visitOpen(s))
                {
                    rejectUnrecorded(egress, requestId, RideRejectReason.ALREADY_PICKED_UP, "request " + requestId + ": shuttle " +
                        shuttleIds[s] + " is at " + network.name(planNode[s][0]) + " boarding it now");
                    return;
                }
                removeRide(s, slot);
                rides.end(slot, RideBook.CANCELLED, nowNs);
                writePlan(s, PlanReason.CANCELLATION, egress);
                sendChangedEtas(s, -1, egress);
            }
        }
    }

    /**
     * Sets when shuttle {@code s}, standing at {@link #node} (idle or done with a visit, {@link #idleSinceNs}), leaves for
     * its plan's first stop, by {@link DepartureRule} as the fleet applies it to the same plan, and the predicted arrival
     * there; a first stop where it stands is reached at once.
     */
    private void setDeparture(final int s)
    {
        final long startNs = Math.max(nowNs, idleSinceNs[s]);
        final int head = planNode[s][0];
        if (head == node[s])
        {
            headArrived[s] = true;
            headArrNs[s] = startNs;
            departNs[s] = startNs;
            return;
        }
        final double t = network.timeS(group[s], node[s], head);
        departNs[s] = Math.max(startNs, DepartureRule.leaveNs(firstBoardingNs(s), t));
        headArrNs[s] = departNs[s] + seconds(t);
        headArrived[s] = false;
    }

    /**
     * The earliest boarding time of the first visit of plan {@code s} when that visit is pickups only (REBALANCE entries
     * of cancelled riders aside), else {@link DepartureRule#AT_ONCE}.
     */
    private long firstBoardingNs(final int s)
    {
        final int n = headVisit(s);
        for (int k = 0; k < n; k++)
        {
            if (planAction[s][k] != PICKUP && planAction[s][k] != REBALANCE)
            {
                return DepartureRule.AT_ONCE;
            }
        }
        return firstPickupAtHeadNs(s);
    }

    /**
     * Whether shuttle {@code s} has a plan and still stands where it is, its departure more than {@link #LEAVE_NOTICE_NS}
     * ahead: a plan sent now reaches it before it leaves.
     */
    private boolean standing(final int s)
    {
        return planLength[s] > 0 && !headArrived[s] && mode[s] != CHARGING && departNs[s] > nowNs + LEAVE_NOTICE_NS;
    }

    /**
     * Whether shuttle {@code s} waits where it stands by {@link DepartureRule} and leaves no sooner than
     * {@value #VISIT_OPEN_MARGIN_S} s from now: then even its first stop may change (nothing of its plan is frozen).
     */
    private boolean heldOpen(final int s)
    {
        return planLength[s] > 0 && !headArrived[s] && mode[s] != CHARGING && departNs[s] > nowNs + VISIT_OPEN_MARGIN_S * S;
    }

    /** Whether the plan's first stop is fixed: the shuttle drives to it, stands at it, or leaves for it soon. */
    private boolean headFixed(final int s)
    {
        return planLength[s] > 0 && !heldOpen(s);
    }

    /**
     * Entries at the start of plan {@code s} that no change may touch: the whole visit at the stop the shuttle drives
     * to or stands at. The fleet takes a visit's entries off when it leaves (or passes a rebalancing stop), from the plan
     * it holds then; the loop takes off the same entries when it reads that. A plan sent in between must not have
     * changed which entries they are, and the loop cannot know whether the shuttle is already there (a report may be
     * on its way): a pickup joined to, or moved out of, that visit would count a rider as boarded who was left at the
     * stop. So nothing joins it (no new entry at its stop right after it), nothing leaves it (a cancelled entry stays as
     * a stop with nobody to board) and its riders cannot move to another shuttle.
     * <p>
     * The same holds for the next visit once the shuttle stands at the first stop and is due to leave it within
     * {@value #VISIT_OPEN_MARGIN_S} s: it may already be driving there, its departure report on its way, and the stop
     * it drives to must not change under it.
     */
    private int frozen(final int s)
    {
        final int length = planLength[s];
        if (length == 0 || heldOpen(s))
        {
            return 0;
        }
        if (!headArrived[s] && departNs[s] > nowNs)
        {
            // standing, due to leave within the margin for a first visit of pickups: the visit's earliest boarding sets
            // when it leaves (DepartureRule), so nothing joins or leaves it now (the fleet may be given the plan just
            // before it goes, or just after)
            return headVisit(s);
        }
        if (visitOpen(s))
        {
            return 1;
        }
        int n = headVisit(s);
        if (n < length && (headArrived[s] ? departureDue(s, n) : passedThrough(s, n)))
        {
            final int next = planNode[s][n];
            while (n < length && planNode[s][n] == next)
            {
                n++;
            }
        }
        return n;
    }

    /** The entries of the visit at the first stop of plan {@code s}. */
    private int headVisit(final int s)
    {
        int n = 1;
        while (n < planLength[s] && planNode[s][n] == planNode[s][0])
        {
            n++;
        }
        return n;
    }

    /** Whether the shuttle standing at the first stop of plan {@code s} (a visit of n entries) leaves within the margin. */
    private boolean departureDue(final int s, final int n)
    {
        long endNs = headArrNs[s];
        for (int k = 0; k < n; k++)
        {
            endNs = Math.max(endNs, planEtaNs[s][k]);
        }
        return endNs + dwellNs <= nowNs + VISIT_OPEN_MARGIN_S * S;
    }

    /**
     * Whether the first visit of plan {@code s} (its first n entries) is REBALANCE entries only, which the fleet passes
     * through without a dwell and without an arrival report: on reaching that stop the shuttle takes up the next visit
     * at once, leaving for it (or waiting there by {@link DepartureRule}) under the plan it holds then, and reports that.
     * Asked only once that visit is no longer open ({@link #visitOpen}): the shuttle is due there within
     * {@value #VISIT_OPEN_MARGIN_S} s or overdue, so it may be on its way to the next visit already, as a shuttle due to
     * leave a dwell is ({@link #departureDue}). Until 2026-11-27 only the dwell counted: a plan sent just after the
     * shuttle passed such a stop (on the demand hour of seed 20260401 with a stronger search, not kept) made the next
     * visit pickups far ahead; the loop, reading the departure under the plan before, took the shuttle to be waiting
     * there by DepartureRule and changed the stop it was driving to.
     */
    private boolean passedThrough(final int s, final int n)
    {
        for (int k = 0; k < n; k++)
        {
            if (planAction[s][k] != REBALANCE)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the visit at the first stop may still change: the shuttle is predicted there no sooner than
     * {@value #VISIT_OPEN_MARGIN_S} s from now, far more than a report takes to arrive; or it is there already and
     * nobody of the visit may board within {@value #VISIT_OPEN_MARGIN_S} s (a shuttle idle at a stop given a pickup
     * there far ahead, or one that came early: the fleet boards no one and does not leave before the visit's boardings,
     * so a plan sent now reaches it first). Then only the first entry is fixed (the stop it drives to or stands at),
     * riders may join that visit or leave it, and its riders may cancel. Until 2026-11-26 (evening) a shuttle standing
     * at its first stop fixed the whole visit at once, however far ahead the pickup: nobody could join it and its riders
     * were told ALREADY_PICKED_UP ("boarding it now") minutes before they could board.
     */
    private boolean visitOpen(final int s)
    {
        // a shuttle that stands until DepartureRule lets it go leaves by its first visit's earliest boarding: a rider
        // joining that visit could make it leave earlier than any plan was timed with (DispatchPropertiesTest, seed -14128)
        if (planLength[s] == 0)
        {
            return false;
        }
        if (headArrived[s])
        {
            return mode[s] != CHARGING && firstPickupAtHeadNs(s) > nowNs + VISIT_OPEN_MARGIN_S * S;
        }
        return headArrNs[s] > nowNs + VISIT_OPEN_MARGIN_S * S && departNs[s] <= nowNs;
    }

    /**
     * The earliest boarding of the visit at the first stop of plan {@code s}, {@link DepartureRule#AT_ONCE} (the least
     * long) when it has no pickup (the shuttle leaves a visit without one after its dwell).
     */
    private long firstPickupAtHeadNs(final int s)
    {
        long earliest = Long.MAX_VALUE;
        final int n = headVisit(s);
        for (int k = 0; k < n; k++)
        {
            if (planAction[s][k] == PICKUP)
            {
                earliest = Math.min(earliest, rides.boardNotBeforeNs[planRef[s][k]]);
            }
        }
        return earliest == Long.MAX_VALUE ? DepartureRule.AT_ONCE : earliest;
    }

    /** Whether ride {@code slot}'s pickup is in the visit at the first stop of its shuttle's plan. */
    private boolean pickupAtHead(final int s, final int slot)
    {
        final int n = headVisit(s);
        for (int k = 0; k < n; k++)
        {
            if (planRef[s][k] == slot && planAction[s][k] == PICKUP)
            {
                return true;
            }
        }
        return false;
    }

    /** Whether ride {@code slot}'s pickup is among the frozen entries of its shuttle's plan. */
    private boolean pickupFrozen(final int s, final int slot)
    {
        final int frozen = frozen(s);
        for (int k = 0; k < frozen; k++)
        {
            if (planRef[s][k] == slot && planAction[s][k] == PICKUP)
            {
                return true;
            }
        }
        return false;
    }

    /** Takes a ride's entries off a plan (never the first entry while the shuttle drives to it: it stops there anyway). */
    private void removeRide(final int s, final int slot)
    {
        final int frozen = frozen(s);
        int n = 0;
        for (int k = 0; k < planLength[s]; k++)
        {
            if (planRef[s][k] == slot && (planAction[s][k] == PICKUP || planAction[s][k] == DROPOFF))
            {
                // an entry of the visit at the first stop stays as a stop with nobody to board (the shuttle may be there
                // already); so does the stop right after that visit when what follows is at the visit's stop (it would
                // join the visit)
                if (k < frozen || frozen > 0 && k == frozen && k + 1 < planLength[s] && planNode[s][k + 1] == planNode[s][frozen - 1] && n == frozen
                    && !visitOpen(s))
                {
                    planNode[s][n] = planNode[s][k];
                    planAction[s][n] = REBALANCE;
                    planRef[s][n] = -1;
                    n++;
                }
                continue;
            }
            planNode[s][n] = planNode[s][k];
            planAction[s][n] = planAction[s][k];
            planRef[s][n] = planRef[s][k];
            n++;
        }
        planLength[s] = n;
        for (int k = 0; k < n; k++)
        {
            candEta[k] = planAction[s][k] == PICKUP ? rides.pickupNs[planRef[s][k]] : 0; // as planned with the ride
        }
        if (!retime(s))
        {
            // Taking a ride off can make a rider board earlier without arriving earlier (a wait for a later pickup
            // further on absorbs the gain), and so ride longer than promised: board everyone as planned before,
            // which the plan with the ride kept every promise with (every arrival is now the same or earlier).
            for (int k = 0; k < n; k++)
            {
                if (planAction[s][k] == PICKUP)
                {
                    final int ride = planRef[s][k];
                    rides.boardNotBeforeNs[ride] = Math.max(rides.boardNotBeforeNs[ride], candEta[k]);
                }
            }
            retime(s);
        }
    }

    // ------------------------------------------------------------------------------------------- fleet

    private void onShuttleState(final Input input, final Egress egress)
    {
        final int id = (int)shuttleState.shuttleId();
        final int g = network.groupOf(id);
        if (g < 0)
        {
            rejectInput(input, egress, RejectReason.UNKNOWN_ID, "ShuttleState of unknown shuttle " + shuttleState.shuttleId());
            return;
        }
        final int s = indexOf(id, g);
        final FleetGroup fleetGroup = network.group(g);
        final int permille = shuttleState.socPermille();
        if (permille > 1000)
        {
            rejectInput(input, egress, RejectReason.INVALID_VALUE, "shuttle " + id + ": socPermille " + permille + " is above 1000");
            return;
        }
        final ShuttleMode reported = shuttleState.mode();
        final long lastStop = shuttleState.lastStopId();
        final int at = lastStop == ShuttleStateDecoder.lastStopIdNullValue() || lastStop > Integer.MAX_VALUE ? -1 : network.stopIndex((int)lastStop);
        if (lastStop != ShuttleStateDecoder.lastStopIdNullValue() && at < 0)
        {
            rejectInput(input, egress, RejectReason.UNKNOWN_ID, "shuttle " + id + ": lastStopId " + lastStop + " is not a stop");
            return;
        }
        socKwh[s] = fleetGroup.batteryKwh() * permille / 1000.0;
        if (socKwh[s] < fleetGroup.batteryKwh() * fleetGroup.chargeThresholdPercent() / 100.0)
        {
            needsCharge[s] = true; // no new rides from now on; sent to a charger once its riders are off
        }
        if (!known[s])
        {
            known[s] = true;
            if (at >= 0)
            {
                node[s] = at;
            }
            idleSinceNs[s] = nowNs;
            mode[s] = IDLE;
        }
        if (at < 0 || reported == null || reported == ShuttleMode.NULL_VAL)
        {
            return;
        }
        final int length = planLength[s];
        final boolean atHead = length > 0 && planNode[s][0] == at;
        switch (reported)
        {
            case DWELLING ->
            {
                if (atHead && !headArrived[s])
                {
                    headArrived[s] = true;
                    headArrNs[s] = nowNs;
                    retimeAndTell(s, egress);
                }
            }
            case CHARGING ->
            {
                if (atHead && planAction[s][0] == CHARGE)
                {
                    mode[s] = CHARGING;
                    headArrived[s] = true;
                    node[s] = at;
                    if (socKwh[s] >= fleetGroup.batteryKwh() * CHARGE_TARGET_PERCENT / 100.0)
                    {
                        releaseCharger(s);
                        planLength[s] = 0;
                        idleSinceNs[s] = nowNs;
                        mode[s] = IDLE;
                        writePlan(s, PlanReason.CHARGING, egress);
                    }
                }
            }
            case EN_ROUTE, IDLE, REBALANCING, TO_CHARGER, OUT_OF_SERVICE ->
            {
                if (atHead && planAction[s][0] != CHARGE && countsForHead(s, shuttleState.planSeq()))
                {
                    leaveStop(s, at, egress);
                }
                else if (length == 0)
                {
                    node[s] = at;
                }
            }
            default ->
            {
            }
        }
    }

    /**
     * Whether a departure report made under plan {@code reportedSeq} (ShuttleState.planSeq) may end the first visit of
     * plan {@code s}. When the loop gave that visit to a shuttle standing at its stop, only if the fleet had the plan
     * that first carried it: a shuttle standing at a stop sends reports of its own (IDLE every minute, IDLE when a plan
     * empties), which may cross a plan giving it a visit at that very stop; read as its departure, such a report counted
     * the visit's riders as boarded while the shuttle had yet to board them (it reports DWELLING there when the plan
     * reaches it, and leaves after). A visit elsewhere: any report, since the shuttle leaves it only after arriving. A
     * fleet that sends no planSeq (null) is taken at its word, as before schema version 7.
     */
    private boolean countsForHead(final int s, final long reportedSeq)
    {
        return reportedSeq == ShuttleStateDecoder.planSeqNullValue() || reportedSeq >= headVisitSeq[s];
    }

    private int indexOf(final int shuttleId, final int g)
    {
        return groupStart[g] + shuttleId - network.group(g).firstId();
    }

    /** The shuttle left (or finished at) stop {@code at}: the plan's leading entries there are done. */
    private void leaveStop(final int s, final int at, final Egress egress)
    {
        int done = 0;
        final long arrivedNs = headArrived[s] ? headArrNs[s] : nowNs - dwellNs;
        while (done < planLength[s] && planNode[s][done] == at && planAction[s][done] != CHARGE)
        {
            final int ride = planRef[s][done];
            if (planAction[s][done] == PICKUP)
            {
                rides.state[ride] = RideBook.ON_BOARD;
                rides.pickupNs[ride] = Math.max(arrivedNs, rides.boardNotBeforeNs[ride]);
                seats[s] += rides.party[ride];
                wheels[s] += rides.wheelchairs[ride];
            }
            else if (planAction[s][done] == DROPOFF)
            {
                rides.dropoffNs[ride] = arrivedNs;
                seats[s] -= rides.party[ride];
                wheels[s] -= rides.wheelchairs[ride];
                rides.end(ride, RideBook.DELIVERED, nowNs);
            }
            done++;
        }
        System.arraycopy(planNode[s], done, planNode[s], 0, planLength[s] - done);
        System.arraycopy(planAction[s], done, planAction[s], 0, planLength[s] - done);
        System.arraycopy(planRef[s], done, planRef[s], 0, planLength[s] - done);
        System.arraycopy(planEtaNs[s], done, planEtaNs[s], 0, planLength[s] - done);
        planLength[s] -= done;
        // that visit is done; the fleet has the rest of the plan (a plan starting at this stop again starts another)
        sentHeadNode[s] = planLength[s] > 0 ? planNode[s][0] : -1;
        headVisitSeq[s] = 0;
        node[s] = at;
        idleSinceNs[s] = nowNs;
        if (planLength[s] == 0)
        {
            mode[s] = IDLE;
            seats[s] = Math.max(seats[s], 0);
            wheels[s] = Math.max(wheels[s], 0);
            return;
        }
        mode[s] = MOVING;
        setDeparture(s);
        retimeAndTell(s, egress);
    }

    private void retimeAndTell(final int s, final Egress egress)
    {
        retime(s);
        if (etasMoved(s))
        {
            writePlan(s, PlanReason.DELAY, egress);
            sendChangedEtas(s, -1, egress);
        }
    }

    // ------------------------------------------------------------------------------------------- ticks

    private void onTick(final Egress egress)
    {
        rides.expire(nowNs);
        advanceDemand();
        improve(egress);
        if (nowNs >= nextSearchNs)
        {
            nextSearchNs = nowNs + LNS_PERIOD_NS;
            searches++;
            searchRuinAndRecreate(egress);
        }
        if (nowNs >= nextCheckNs)
        {
            nextCheckNs = nowNs + CHECK_PERIOD_NS;
            charging(egress);
        }
        if (rebalancing && nowNs >= nextRebalanceNs)
        {
            nextRebalanceNs = nowNs + REBALANCE_PERIOD_S * S;
            rebalance(egress);
        }
    }

    /** Re-inserts up to {@link #IMPROVE_PER_TICK} rides not yet picked up where they now cost least. */
    private void improve(final Egress egress)
    {
        int tried = 0;
        for (int scanned = 0; scanned < IMPROVE_SCAN && tried < IMPROVE_PER_TICK; scanned++)
        {
            improveCursor = (improveCursor + 1) % rides.capacity;
            final int slot = improveCursor;
            if (rides.state[slot] != RideBook.ASSIGNED)
            {
                continue;
            }
            final int s = rides.shuttle[slot];
            if (pickupFrozen(s, slot))
            {
                continue; // the shuttle is on its way to pick it up, or boarding it now
            }
            tried++;
            // what the ride costs where it is: its plan with it, less its plan without it, plus its wait
            candidateSlot = -1;
            if (!evaluatePlan(s, planLength[s], planNode[s], planAction[s], planRef[s], null))
            {
                continue;
            }
            final double withRide = evalDistanceM;
            final int n = buildWithout(s, slot);
            final int frozen = frozen(s);
            if (frozen > 0 && n > frozen && withoutNode[frozen] == planNode[s][frozen - 1] && !visitOpen(s))
            {
                continue; // taking it off would join a later pickup to the visit at the first stop
            }
            if (!evaluatePlan(s, n, withoutNode, withoutAction, withoutRef, null))
            {
                continue;
            }
            final double current = withRide - evalDistanceM + waitCostMPerS * (rides.pickupNs[slot] - rides.earliestNs[slot]) / (double)S
                + (n == 0 ? newShuttleCostM : 0);
            excludedRide = slot;
            if (searchBest(slot) >= 0 && bestCost <= current - IMPROVE_MIN_GAIN)
            {
                improvements++;
                final int newShuttle = bestShuttle;
                if (newShuttle != s)
                {
                    removeRide(s, slot);
                    writePlan(s, PlanReason.IMPROVEMENT, egress);
                    sendChangedEtas(s, -1, egress);
                }
                // positions were found on the plans with the ride left out of its own: build it the same way
                bestShuttle = newShuttle;
                applyBest(slot, egress, PlanReason.IMPROVEMENT);
            }
            excludedRide = -1;
        }
    }

    // ------------------------------------------------------------------------------------------- ruin and recreate

    /**
     * The Tick's ruin-and-recreate search (large neighbourhood search, as jsprit's): iterations, each taking a set of
     * rides not yet picked up off their plans ({@link #ruinRelated}: a ride and the rides most related to it;
     * {@link #ruinRoutes}: every movable ride of a shuttle and of the shuttles with the rides most related to one of
     * its own) and inserting them again one by one, in one of {@value #LNS_ORDERS} orders, each with the insertion
     * search of every request (so every promise holds). The iterations chain on the loop's own state: one that places
     * every ride and costs less than the best so far is the next one's start; any other is undone exactly. (Keeping a
     * worse iteration within 150 m of the best as the next start, record-to-record, and going back to the best at the
     * end was tried: no better over ten demand seeds, docs/shuttle-dispatch.md.) At the end the plans found are kept
     * when they cost at least {@link #IMPROVE_MIN_GAIN} less than at the Tick's start
     * (metres from where each shuttle is, the waits of riders not yet picked up, {@code newShuttleCostM} per shuttle
     * serving anyone), else every plan and ride is as before; nothing is sent before that. Each iteration spends one
     * insertion search per ride taken off; a Tick spends at most {@link #lnsBudget}.
     */
    private void searchRuinAndRecreate(final Egress egress)
    {
        final boolean keep = ruinAndRecreateIterations();
        if (keep)
        {
            recreates++;
            for (int t = 0; t < tickSaved.count; t++)
            {
                if (!planAsSaved(tickSaved, t))
                {
                    writePlan(tickSaved.shuttle[t], PlanReason.IMPROVEMENT, egress);
                }
            }
            for (int t = 0; t < tickSaved.count; t++)
            {
                sendChangedEtas(tickSaved.shuttle[t], -1, egress);
            }
        }
        tickSaved.clear();
        iterationSaved.clear();
    }

    /**
     * Runs the iterations of a Tick's search; leaves the plans found in place and returns true when they are worth
     * keeping, else puts everything back as it was and returns false. {@link #tickSaved} holds every shuttle changed.
     */
    private boolean ruinAndRecreateIterations()
    {
        iterationsPlaced = 0;
        iterationsKept = 0;
        double bestDelta = 0;
        int budget = lnsBudget;
        for (int iteration = 0; iteration < LNS_MAX_ITERATIONS && budget >= LNS_RUIN_MIN; iteration++)
        {
            final int movable = collectMovable();
            if (movable == 0)
            {
                break;
            }
            final int most = Math.min(budget, LNS_RUIN_MAX);
            final int count = nextRandom(LNS_KIND_WEIGHT) < LNS_ROUTES_WEIGHT ?
                ruinRoutes(movable, most) : ruinRelated(movable, LNS_RUIN_MIN + nextRandom(most - LNS_RUIN_MIN + 1));
            if (count == 0)
            {
                continue;
            }
            budget -= count;
            orderRuined(count, nextRandom(LNS_ORDERS));
            iterationSaved.clear();
            if (!recreateRuined(count))
            {
                restore(iterationSaved);
                continue;
            }
            iterationsPlaced++;
            final double delta = costDelta();
            if (!(delta < bestDelta))
            {
                restore(iterationSaved);
                continue;
            }
            bestDelta = delta;
            iterationsKept++;
        }
        iterationSaved.clear();
        if (bestDelta > -IMPROVE_MIN_GAIN || undoEverything)
        {
            restore(tickSaved);
            return false;
        }
        return true;
    }

    /**
     * Tests only: a Tick's search iterations on the state as it is, then everything put back as it was whatever they
     * found (the search's random sequence included); nothing is sent.
     *
     * @return the iterations that placed every ride they took off, and of those the ones kept (cheaper than the best before).
     */
    int[] searchAndUndo()
    {
        final long random = randomState;
        undoEverything = true;
        ruinAndRecreateIterations();
        undoEverything = false;
        tickSaved.clear();
        randomState = random;
        return new int[] { iterationsPlaced, iterationsKept };
    }

    /** Tests only: how long request {@code requestId}'s boarding is held past its earliest pickup (0: not held); -1 when it is not assigned. */
    long heldBoardingNs(final long requestId)
    {
        final int slot = rides.slotOf(requestId);
        return slot < 0 || rides.state[slot] != RideBook.ASSIGNED ? -1 : rides.boardNotBeforeNs[slot] - rides.earliestNs[slot];
    }

    /** Tests only: a ride the search may take off its plan now whose boarding is held past its earliest pickup; -1 when none. */
    long heldMovableRide()
    {
        final int movable = collectMovable();
        for (int m = 0; m < movable; m++)
        {
            final int slot = movableRides[m];
            if (rides.boardNotBeforeNs[slot] > rides.earliestNs[slot])
            {
                return rides.id[slot];
            }
        }
        return -1;
    }

    /**
     * Tests only: takes request {@code requestId} off its plan and inserts it again as the search's iterations do (the
     * plans changed are kept, nothing is sent); false when it found no place, and then everything is as it was.
     */
    boolean placeAgainAsTheSearchDoes(final long requestId)
    {
        ruined[0] = rides.slotOf(requestId);
        iterationSaved.clear();
        final boolean placed = recreateRuined(1);
        if (!placed)
        {
            restore(tickSaved);
        }
        tickSaved.clear();
        iterationSaved.clear();
        return placed;
    }

    /**
     * Takes the {@code count} rides of {@link #ruined} off their plans and inserts them again in that order, each from its
     * own pickup window (earliest pickup on), whatever boarding its old plan held it to; false when one found no place.
     * Until 2026-11-27 a held boarding went with the ride wherever it was placed and only ever grew (on the bench hour
     * the loop held a boarding 22,259 times): the search could never again board such a rider before the time an old
     * plan had, and over twenty demand hours the fleet drove 1.6 % more and riders waited 33 s longer
     * (docs/shuttle-dispatch.md, "Held boardings").
     */
    private boolean recreateRuined(final int count)
    {
        for (int k = 0; k < count; k++)
        {
            final int slot = ruined[k];
            final int s = rides.shuttle[slot];
            if (!touch(s))
            {
                return false;
            }
            removeRide(s, slot);
            // it goes back from its own window: a boarding held for the plan it was on (removeRide holds the boardings of
            // a plan's riders when taking another ride off would make one of them ride longer) is that plan's, not the next's
            rides.boardNotBeforeNs[slot] = rides.earliestNs[slot];
        }
        excludedRide = -1;
        for (int k = 0; k < count; k++)
        {
            final int slot = ruined[k];
            if (searchBest(slot) < 0 || !touch(bestShuttle))
            {
                return false;
            }
            placeBest(slot);
        }
        return true;
    }

    /**
     * The rides that may be taken off their plans now, into {@link #movableRides}: the pickups on the plans of shuttles
     * that take rides, after the entries no change may touch ({@link #frozen}). Their count.
     */
    private int collectMovable()
    {
        int n = 0;
        for (int s = 0; s < shuttleCount; s++)
        {
            if (planLength[s] == 0 || !available(s))
            {
                continue;
            }
            for (int e = frozen(s); e < planLength[s]; e++)
            {
                if (planAction[s][e] == PICKUP && rides.state[planRef[s][e]] == RideBook.ASSIGNED)
                {
                    movableRides[n++] = planRef[s][e];
                }
            }
        }
        return n;
    }

    /** How related ride {@code slot} is to {@code seed} (less is closer), on the network of group g; infinite when apart. */
    private double relatedness(final int g, final int seed, final int slot)
    {
        return network.distanceM(g, rides.origin[seed], rides.origin[slot]) +
            network.distanceM(g, rides.destination[seed], rides.destination[slot]) +
            RELATED_M_PER_S * Math.abs(rides.earliestNs[seed] - rides.earliestNs[slot]) / (double)S;
    }

    /**
     * A movable ride at random and the {@code count} - 1 movable rides most related to it (close origins, destinations
     * and earliest pickups; ties: the one met first), into {@link #ruined}, the seed first, then by relatedness.
     */
    private int ruinRelated(final int movable, final int count)
    {
        final int seed = movableRides[nextRandom(movable)];
        ruined[0] = seed;
        int n = 1;
        final int g = group[rides.shuttle[seed]];
        for (int m = 0; m < movable; m++)
        {
            final int slot = movableRides[m];
            if (slot == seed)
            {
                continue;
            }
            final double score = relatedness(g, seed, slot);
            if (!(score < Double.POSITIVE_INFINITY) || n == count && score >= relatedScore[n - 1])
            {
                continue;
            }
            sortIn(ruined, relatedScore, n == count ? n - 1 : n++, slot, score);
        }
        return n;
    }

    /**
     * Whole routes: a movable ride at random, and every movable ride of its shuttle and of the
     * {@value #LNS_ROUTES} - 1 other shuttles holding the rides most related to it, at most {@code most}, into
     * {@link #ruined} in plan order.
     */
    private int ruinRoutes(final int movable, final int most)
    {
        final int seed = movableRides[nextRandom(movable)];
        final int g = group[rides.shuttle[seed]];
        routeShuttles[0] = rides.shuttle[seed];
        int shuttles = 1;
        for (int m = 0; m < movable; m++)
        {
            final int slot = movableRides[m];
            final int s = rides.shuttle[slot];
            boolean chosen = false;
            for (int r = 0; r < shuttles && !chosen; r++)
            {
                chosen = routeShuttles[r] == s;
            }
            if (chosen && s == routeShuttles[0])
            {
                continue;
            }
            final double score = relatedness(g, seed, slot);
            if (!(score < Double.POSITIVE_INFINITY))
            {
                continue;
            }
            if (chosen)
            {
                // a better ride of a shuttle already among the closest: move it up
                int r = 1;
                while (routeShuttles[r] != s)
                {
                    r++;
                }
                if (score < routeScore[r])
                {
                    sortIn(routeShuttles, routeScore, r, s, score);
                }
                continue;
            }
            if (shuttles == LNS_ROUTES && score >= routeScore[shuttles - 1])
            {
                continue;
            }
            sortIn(routeShuttles, routeScore, shuttles == LNS_ROUTES ? shuttles - 1 : shuttles++, s, score);
        }
        int n = 0;
        for (int m = 0; m < movable && n < most; m++)
        {
            final int s = rides.shuttle[movableRides[m]];
            for (int r = 0; r < shuttles; r++)
            {
                if (routeShuttles[r] == s)
                {
                    ruined[n++] = movableRides[m];
                    break;
                }
            }
        }
        return n;
    }

    /**
     * Puts {@code id} with {@code score} at position {@code k} of the parallel arrays, or lower if the entries before it
     * (from position 1: position 0 is the seed and stays) score more, moving them up one; what was at {@code k} is lost.
     * Equal scores keep the one met first ahead.
     */
    private static void sortIn(final int[] ids, final double[] scores, final int k, final int id, final double score)
    {
        int at = k;
        while (at > 1 && scores[at - 1] > score)
        {
            ids[at] = ids[at - 1];
            scores[at] = scores[at - 1];
            at--;
        }
        ids[at] = id;
        scores[at] = score;
    }

    /**
     * Puts the {@code count} rides of {@link #ruined} in the order they are inserted again: 0 at random, 1 earliest
     * pickup first, 2 latest pickup (the end of the window) first, 3 as ruined (the seed, then by relatedness or by
     * route); ties keep the order they had.
     */
    private void orderRuined(final int count, final int order)
    {
        if (order == 0)
        {
            for (int a = count - 1; a > 0; a--)
            {
                final int b = nextRandom(a + 1);
                final int slot = ruined[a];
                ruined[a] = ruined[b];
                ruined[b] = slot;
            }
            return;
        }
        if (order == 3)
        {
            return;
        }
        for (int a = 1; a < count; a++)
        {
            final int slot = ruined[a];
            final long key = order == 1 ? rides.earliestNs[slot] : rides.latestPickupNs[slot];
            int b = a - 1;
            while (b >= 0 && (order == 1 ? rides.earliestNs[ruined[b]] : rides.latestPickupNs[ruined[b]]) > key)
            {
                ruined[b + 1] = ruined[b];
                b--;
            }
            ruined[b + 1] = slot;
        }
    }

    /**
     * Records shuttle {@code s} as changed by the search: as it was at the Tick's start (with what it cost then) the
     * first time in the Tick, and as it was at the iteration's start the first time in the iteration. False when the
     * search may change no more shuttles.
     */
    private boolean touch(final int s)
    {
        if (iterationSaved.copyOf(s) >= 0)
        {
            return true;
        }
        if (tickSaved.copyOf(s) < 0)
        {
            if (tickSaved.count == tickSaved.capacity)
            {
                return false;
            }
            save(tickSaved, s);
        }
        return save(iterationSaved, s);
    }

    /** Copies shuttle {@code s}'s plan and what its rides hold into {@code to}; false when full. */
    private boolean save(final SavedPlans to, final int s)
    {
        final int t = to.add(s);
        if (t < 0)
        {
            return false;
        }
        final int n = planLength[s];
        to.length[t] = n;
        System.arraycopy(planNode[s], 0, to.node[t], 0, n);
        System.arraycopy(planAction[s], 0, to.action[t], 0, n);
        System.arraycopy(planRef[s], 0, to.ref[t], 0, n);
        System.arraycopy(planEtaNs[s], 0, to.etaNs[t], 0, n);
        for (int k = 0; k < n; k++)
        {
            final int ride = planRef[s][k];
            if (planAction[s][k] == PICKUP || planAction[s][k] == DROPOFF)
            {
                to.boardNotBeforeNs[t][k] = rides.boardNotBeforeNs[ride];
                to.pickupNs[t][k] = rides.pickupNs[ride];
                to.dropoffNs[t][k] = rides.dropoffNs[ride];
                to.rideShuttle[t][k] = rides.shuttle[ride];
            }
        }
        to.headArrNs[t] = headArrNs[s];
        to.departNs[t] = departNs[s];
        to.headArrived[t] = headArrived[s];
        to.feasible[t] = planFeasible[s];
        to.mode[t] = mode[s];
        to.cost[t] = planCost(s);
        return true;
    }

    /** Every shuttle saved in {@code from}, and the rides on its plan then, as saved. */
    private void restore(final SavedPlans from)
    {
        for (int t = from.count - 1; t >= 0; t--)
        {
            final int s = from.shuttle[t];
            final int n = from.length[t];
            planLength[s] = n;
            System.arraycopy(from.node[t], 0, planNode[s], 0, n);
            System.arraycopy(from.action[t], 0, planAction[s], 0, n);
            System.arraycopy(from.ref[t], 0, planRef[s], 0, n);
            System.arraycopy(from.etaNs[t], 0, planEtaNs[s], 0, n);
            for (int k = 0; k < n; k++)
            {
                final int ride = planRef[s][k];
                if (planAction[s][k] == PICKUP || planAction[s][k] == DROPOFF)
                {
                    rides.boardNotBeforeNs[ride] = from.boardNotBeforeNs[t][k];
                    rides.pickupNs[ride] = from.pickupNs[t][k];
                    rides.dropoffNs[ride] = from.dropoffNs[t][k];
                    rides.shuttle[ride] = from.rideShuttle[t][k];
                }
            }
            headArrNs[s] = from.headArrNs[t];
            departNs[s] = from.departNs[t];
            headArrived[s] = from.headArrived[t];
            planFeasible[s] = from.feasible[t];
            mode[s] = from.mode[t];
        }
    }

    /** What the plans the Tick's search changed cost now, less what they cost at the Tick's start. */
    private double costDelta()
    {
        double delta = 0;
        for (int t = 0; t < tickSaved.count; t++)
        {
            delta += planCost(tickSaved.shuttle[t]) - tickSaved.cost[t];
        }
        return delta;
    }

    /** Whether the plan of the t-th shuttle of {@code saved} has the same entries as its copy there. */
    private boolean planAsSaved(final SavedPlans saved, final int t)
    {
        final int s = saved.shuttle[t];
        if (planLength[s] != saved.length[t])
        {
            return false;
        }
        for (int k = 0; k < saved.length[t]; k++)
        {
            if (planNode[s][k] != saved.node[t][k] || planAction[s][k] != saved.action[t][k] || planRef[s][k] != saved.ref[t][k])
            {
                return false;
            }
        }
        return true;
    }

    /** The next number of the search's own pseudo-random sequence (splitmix64; its state is in the snapshot), 0 .. bound - 1. */
    private int nextRandom(final int bound)
    {
        randomState += 0x9E3779B97F4A7C15L;
        long z = randomState;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int)((z >>> 1) % bound);
    }

    /**
     * What plan {@code s} costs, as the search weighs it: its metres from where the shuttle is, the waits of its
     * riders not yet picked up ({@code waitCostMPerS}), and {@code newShuttleCostM} when it serves anyone.
     */
    private double planCost(final int s)
    {
        final int g = group[s];
        double cost = 0;
        int previous = node[s];
        boolean serves = false;
        for (int k = 0; k < planLength[s]; k++)
        {
            cost += network.distanceM(g, previous, planNode[s][k]);
            previous = planNode[s][k];
            final int action = planAction[s][k];
            serves |= action == PICKUP || action == DROPOFF;
            if (action == PICKUP)
            {
                final int ride = planRef[s][k];
                cost += waitCostMPerS * (rides.pickupNs[ride] - rides.earliestNs[ride]) / (double)S;
            }
        }
        return cost + (serves ? newShuttleCostM : 0);
    }

    /** Writes the insertion found by {@link #searchBest} into the plan and re-times it; sends nothing. */
    private void placeBest(final int slot)
    {
        final int s = bestShuttle;
        final int n = buildCandidate(s, slot, bestPickupAt, bestDropoffAt);
        final boolean wasEmpty = planLength[s] == 0;
        System.arraycopy(candNode, 0, planNode[s], 0, n);
        System.arraycopy(candAction, 0, planAction[s], 0, n);
        System.arraycopy(candRef, 0, planRef[s], 0, n);
        planLength[s] = n;
        if (wasEmpty)
        {
            setDeparture(s);
            mode[s] = MOVING;
        }
        rides.shuttle[slot] = s;
        retime(s);
    }

    /** Plan {@code s} without ride {@code slot}'s entries into {@link #withoutNode} and the rest; its length (also {@link #baseLength}). */
    private int buildWithout(final int s, final int slot)
    {
        int n = 0;
        for (int k = 0; k < planLength[s]; k++)
        {
            if (planRef[s][k] == slot && (planAction[s][k] == PICKUP || planAction[s][k] == DROPOFF))
            {
                continue;
            }
            withoutNode[n] = planNode[s][k];
            withoutAction[n] = planAction[s][k];
            withoutRef[n] = planRef[s][k];
            withoutAt[n] = k;
            n++;
        }
        baseLength = n;
        return n;
    }

    /** How many entries of the plan without the excluded ride come before position k of the shuttle's plan. */
    private int withoutBefore(final int k)
    {
        int m = 0;
        while (m < baseLength && withoutAt[m] < k)
        {
            m++;
        }
        return m;
    }

    private void charging(final Egress egress)
    {
        for (int s = 0; s < shuttleCount; s++)
        {
            if (!known[s])
            {
                continue;
            }
            final FleetGroup fleetGroup = network.group(group[s]);
            if (!needsCharge[s] && socKwh[s] < fleetGroup.batteryKwh() * fleetGroup.chargeThresholdPercent() / 100.0)
            {
                needsCharge[s] = true;
            }
            if (!needsCharge[s] || charger[s] >= 0 || seats[s] > 0 || hasRides(s))
            {
                continue;
            }
            if (planLength[s] > 0)
            {
                continue; // on its way to a rebalancing stop: plan from there
            }
            final int c = bestCharger(s);
            if (c < 0)
            {
                continue;
            }
            charger[s] = c;
            chargerUser[c] = s;
            planLength[s] = 1;
            planNode[s][0] = chargerNode[c];
            planAction[s][0] = CHARGE;
            planRef[s][0] = c;
            setDeparture(s);
            mode[s] = MOVING;
            retime(s);
            writePlan(s, PlanReason.CHARGING, egress);
        }
    }

    private boolean hasRides(final int s)
    {
        for (int k = 0; k < planLength[s]; k++)
        {
            if (planAction[s][k] == PICKUP || planAction[s][k] == DROPOFF)
            {
                return true;
            }
        }
        return false;
    }

    private int bestCharger(final int s)
    {
        final int g = group[s];
        final FleetGroup fleetGroup = network.group(g);
        final double targetKwh = fleetGroup.batteryKwh() * CHARGE_TARGET_PERCENT / 100.0;
        int best = -1;
        double bestS = Double.POSITIVE_INFINITY;
        for (int c = 0; c < chargerNode.length; c++)
        {
            if (chargerUser[c] >= 0 || !network.reachable(g, node[s], chargerNode[c]))
            {
                continue;
            }
            final double driveS = network.timeS(g, node[s], chargerNode[c]);
            final double chargeS = Math.max(0, targetKwh - socKwh[s]) / chargerKw[c] * 3600;
            if (driveS + chargeS < bestS)
            {
                bestS = driveS + chargeS;
                best = c;
            }
        }
        return best;
    }

    private void releaseCharger(final int s)
    {
        if (charger[s] >= 0)
        {
            chargerUser[charger[s]] = -1;
            charger[s] = -1;
        }
        needsCharge[s] = false;
    }

    private void rebalance(final Egress egress)
    {
        final int stops = network.stopCount();
        for (int k = 0; k < stops; k++)
        {
            demandTotal[k] = 0;
            for (int b = 0; b < DEMAND_BUCKETS; b++)
            {
                demandTotal[k] += demand[b][k];
            }
            rebalanceLooked[k] = false;
        }
        for (int round = 0; round < REBALANCE_TOP_STOPS; round++)
        {
            // the stop with the most demand not looked at yet (ties: the lower index)
            int target = -1;
            int targetDemand = REBALANCE_MIN_DEMAND - 1;
            for (int k = 0; k < stops; k++)
            {
                if (!rebalanceLooked[k] && demandTotal[k] > targetDemand)
                {
                    target = k;
                    targetDemand = demandTotal[k];
                }
            }
            if (target < 0)
            {
                return;
            }
            rebalanceLooked[target] = true;
            int chosen = -1;
            double chosenS = Double.POSITIVE_INFINITY;
            boolean covered = false;
            for (int s = 0; s < shuttleCount && !covered; s++)
            {
                if (!available(s))
                {
                    continue;
                }
                final int g = group[s];
                final int here = planLength[s] > 0 ? planNode[s][planLength[s] - 1] : node[s];
                if (!network.reachable(g, here, target))
                {
                    continue;
                }
                final double t = network.timeS(g, here, target);
                if (t <= COVER_S)
                {
                    // idle there, on its way there, or its plan ends there: no shuttle needs to drive there empty
                    covered = true;
                }
                else if (planLength[s] == 0 && nowNs - idleSinceNs[s] >= REBALANCE_IDLE_S * S
                    && demandTotal[node[s]] * 2 < targetDemand && t < chosenS)
                {
                    chosen = s;
                    chosenS = t;
                }
            }
            if (covered || chosen < 0)
            {
                continue;
            }
            planLength[chosen] = 1;
            planNode[chosen][0] = target;
            planAction[chosen][0] = REBALANCE;
            planRef[chosen][0] = -1;
            setDeparture(chosen);
            mode[chosen] = MOVING;
            retime(chosen);
            writePlan(chosen, PlanReason.REBALANCING, egress);
        }
    }

    private boolean available(final int s)
    {
        return known[s] && !needsCharge[s] && mode[s] != CHARGING;
    }

    // ------------------------------------------------------------------------------------------- egress

    private void reject(final int slot, final RideRejectReason reason, final String detail, final Egress egress)
    {
        rejected++;
        rides.rejectReason[slot] = reason.value();
        rides.end(slot, RideBook.REJECTED, nowNs);
        writeRejection(rides.id[slot], reason, detail, egress);
    }

    /** A rejection that changes nothing recorded (a repeat under another ride's id, a bad cancel). */
    private void rejectUnrecorded(final Egress egress, final long requestId, final RideRejectReason reason, final String detail)
    {
        rejected++;
        writeRejection(requestId, reason, detail, egress);
    }

    private void writeRejection(final long requestId, final RideRejectReason reason, final String detail, final Egress egress)
    {
        final byte[] bytes = detail.getBytes(StandardCharsets.UTF_8);
        final int length = Math.min(bytes.length, 1024);
        final int offset = egress.claim(MessageHeaderEncoder.ENCODED_LENGTH + RideRejectionEncoder.BLOCK_LENGTH +
            RideRejectionEncoder.detailHeaderLength() + length);
        rejection.wrapAndApplyHeader(egress.buffer(), offset, header)
            .requestId(requestId)
            .reason(reason)
            .putDetail(bytes, 0, length);
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + rejection.encodedLength());
    }

    private void writeAssignment(final int slot, final int s, final Egress egress)
    {
        rides.sentShuttle[slot] = s;
        rides.sentPickupNs[slot] = rides.pickupNs[slot];
        rides.sentDropoffNs[slot] = rides.dropoffNs[slot];
        final int offset = egress.claim(MessageHeaderEncoder.ENCODED_LENGTH + RideAssignmentEncoder.BLOCK_LENGTH);
        assignment.wrapAndApplyHeader(egress.buffer(), offset, header)
            .requestId(rides.id[slot])
            .shuttleId(shuttleIds[s])
            .pickupStopId(network.nodeId(rides.origin[slot]))
            .dropoffStopId(network.nodeId(rides.destination[slot]))
            .pickupEtaNs(rides.pickupNs[slot])
            .dropoffEtaNs(rides.dropoffNs[slot]);
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + assignment.encodedLength());
    }

    private void writePlan(final int s, final PlanReason reason, final Egress egress)
    {
        plansSent++;
        final long seq = ++plansWritten[s];
        final int n = planLength[s];
        if (n == 0)
        {
            sentHeadNode[s] = -1;
        }
        else if (planNode[s][0] != sentHeadNode[s])
        {
            // a first visit the fleet has not had yet; at the stop where the shuttle stands, a report it sends before this
            // plan reaches it names this stop too (see countsForHead)
            sentHeadNode[s] = planNode[s][0];
            headVisitSeq[s] = planNode[s][0] == node[s] ? seq : 0;
        }
        final int offset = egress.claim(MessageHeaderEncoder.ENCODED_LENGTH + ShuttlePlanEncoder.BLOCK_LENGTH +
            ShuttlePlanEncoder.StopsEncoder.sbeHeaderSize() + n * ShuttlePlanEncoder.StopsEncoder.sbeBlockLength());
        planEncoder.wrapAndApplyHeader(egress.buffer(), offset, header)
            .shuttleId(shuttleIds[s])
            .reason(reason)
            .planSeq(seq);
        final ShuttlePlanEncoder.StopsEncoder stops = planEncoder.stopsCount(n);
        for (int k = 0; k < n; k++)
        {
            final int action = planAction[s][k];
            stops.next()
                .stopId(network.nodeId(planNode[s][k]))
                .action(StopAction.get((short)action))
                .requestId(action == CHARGE ? chargerIds[planRef[s][k]] : planRef[s][k] >= 0 ? rides.id[planRef[s][k]] : 0)
                .etaNs(planEtaNs[s][k])
                .notBeforeNs(action == PICKUP ? rides.boardNotBeforeNs[planRef[s][k]] : ShuttlePlanEncoder.StopsEncoder.notBeforeNsNullValue());
        }
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + planEncoder.encodedLength());
    }

    private void rejectInput(final Input input, final Egress egress, final RejectReason reason, final String detail)
    {
        inputReject.write(input, egress, reason, detail);
    }

    // ------------------------------------------------------------------------------------------- state

    public long requests()
    {
        return requests;
    }

    public long assigned()
    {
        return assigned;
    }

    public long rejected()
    {
        return rejected;
    }

    public long improvements()
    {
        return improvements;
    }

    /** Ticks whose ruin-and-recreate search kept what it found (rides taken off their plans together and inserted again for less). */
    public long recreates()
    {
        return recreates;
    }

    /** Ticks whose ruin-and-recreate search ran (at most one a second of input time, {@link #LNS_PERIOD_NS}). */
    public long searches()
    {
        return searches;
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putLong(nowNs).putLong(nextCheckNs).putLong(nextRebalanceNs).putInt(improveCursor).putLong(demandBucket);
        out.putLong(requests).putLong(assigned).putLong(rejected).putLong(improvements).putLong(plansSent);
        out.putLong(randomState).putLong(recreates).putLong(searches).putLong(nextSearchNs);
        for (int s = 0; s < shuttleCount; s++)
        {
            out.putBoolean(known[s]).putInt(mode[s]).putInt(node[s]).putLong(idleSinceNs[s]).putDouble(socKwh[s])
                .putInt(seats[s]).putInt(wheels[s]).putBoolean(needsCharge[s]).putInt(charger[s]).putLong(headArrNs[s]).putLong(departNs[s])
                .putBoolean(headArrived[s]).putBoolean(planFeasible[s]).putInt(planLength[s])
                .putLong(plansWritten[s]).putLong(headVisitSeq[s]).putInt(sentHeadNode[s]);
            for (int k = 0; k < planLength[s]; k++)
            {
                out.putInt(planNode[s][k]).putInt(planAction[s][k]).putInt(planRef[s][k]).putLong(planEtaNs[s][k]);
            }
        }
        for (int c = 0; c < chargerUser.length; c++)
        {
            out.putInt(chargerUser[c]);
        }
        for (int b = 0; b < DEMAND_BUCKETS; b++)
        {
            for (int k = 0; k < demand[b].length; k++)
            {
                out.putInt(demand[b][k]);
            }
        }
        rides.snapshot(out);
    }

    @Override
    public void restore(final StateReader in)
    {
        nowNs = in.getLong();
        nextCheckNs = in.getLong();
        nextRebalanceNs = in.getLong();
        improveCursor = in.getInt();
        demandBucket = in.getLong();
        requests = in.getLong();
        assigned = in.getLong();
        rejected = in.getLong();
        improvements = in.getLong();
        plansSent = in.getLong();
        randomState = in.getLong();
        recreates = in.getLong();
        searches = in.getLong();
        nextSearchNs = in.getLong();
        for (int s = 0; s < shuttleCount; s++)
        {
            known[s] = in.getBoolean();
            mode[s] = in.getInt();
            node[s] = in.getInt();
            idleSinceNs[s] = in.getLong();
            socKwh[s] = in.getDouble();
            seats[s] = in.getInt();
            wheels[s] = in.getInt();
            needsCharge[s] = in.getBoolean();
            charger[s] = in.getInt();
            headArrNs[s] = in.getLong();
            departNs[s] = in.getLong();
            headArrived[s] = in.getBoolean();
            planFeasible[s] = in.getBoolean();
            planLength[s] = in.getInt();
            plansWritten[s] = in.getLong();
            headVisitSeq[s] = in.getLong();
            sentHeadNode[s] = in.getInt();
            for (int k = 0; k < planLength[s]; k++)
            {
                planNode[s][k] = in.getInt();
                planAction[s][k] = in.getInt();
                planRef[s][k] = in.getInt();
                planEtaNs[s][k] = in.getLong();
            }
        }
        for (int c = 0; c < chargerUser.length; c++)
        {
            chargerUser[c] = in.getInt();
        }
        for (int b = 0; b < DEMAND_BUCKETS; b++)
        {
            for (int k = 0; k < demand[b].length; k++)
            {
                demand[b][k] = in.getInt();
            }
        }
        rides.restore(in);
    }
}
