package kr.sejong.city.adapters.mobility;

import kr.sejong.city.adapters.sim.CityClock;
import kr.sejong.city.adapters.sim.LocalFrame;
import kr.sejong.city.adapters.sim.RandomDraws;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.ShuttleMode;
import kr.sejong.city.codecs.ShuttleStateEncoder;
import kr.sejong.city.codecs.ShuttleType;
import kr.sejong.city.codecs.ShuttlePlanDecoder;
import kr.sejong.city.codecs.StopAction;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.config.ShuttleCharger;
import kr.sejong.city.core.loops.mobility.DepartureRule;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The shuttles of the city, simulated in logical time (no wall clock): each executes the latest
 * {@code ShuttlePlan} it was given as docs/shuttle-dispatch.md says and reports {@code ShuttleState}.
 * <ul>
 *   <li>It drives to its plan's first stop node by node along its group's fastest path of the
 *   {@link ShuttleNetwork} (the graph the dispatch loop plans on); each edge takes the network's time times a
 *   factor drawn per edge from the scenario's travel-time noise, so ETAs slip. Energy is taken per edge driven,
 *   {@code consumptionKwhPerKm}; a battery that runs empty leaves the shuttle OUT_OF_SERVICE where it is.</li>
 *   <li>A visit is the plan's leading entries at the stop it arrives at. Riders of its DROPOFFs alight on arrival;
 *   the riders of its PICKUPs board from the later of the arrival and the entry's {@code notBeforeNs} (the rider's
 *   earliest pickup time when the plan gives none), and the shuttle leaves {@code service.dwellS} after the later
 *   of its arrival and those boarding times. A plan that arrives during the dwell may add or remove pickups of the
 *   visit: the riders who board are those the plan lists at the departure, and the dwell end is computed again
 *   (never before now). A rider who cancels is not there and never boards. It reports DWELLING on arrival and its
 *   departure state (EN_ROUTE, REBALANCING, TO_CHARGER, or IDLE when nothing is left) when it leaves.</li>
 *   <li>A visit of REBALANCE entries only is passed through without a dwell, the departure state reported on
 *   arrival (IDLE there when the plan ends with it). At a CHARGE stop (the entry's request id is the charger id)
 *   it reports CHARGING and charges at the charger's power up to 100 % until a plan without that entry first
 *   arrives; a charger in use makes it wait (IDLE) in turn. With an empty plan it stays where it is, IDLE
 *   (mid-edge: at the edge's end).</li>
 *   <li>Idle, waiting or charging, it reports every {@value #REPORT_INTERVAL_S} s.</li>
 *   <li>A new plan replaces the old one at once. Entries done at an earlier stop (a pickup of a rider on board or
 *   delivered, a drop-off done) are dropped and counted: the plan was made before the loop read the report.
 *   The loop promises that the first stop of a new plan is the one the shuttle is driving to; if it is not,
 *   the shuttle finishes its current edge and then follows the new plan, and the change is counted.</li>
 * </ul>
 * What the loop got wrong is counted, never fixed silently: boardings beyond capacity (the rider boards all the
 * same), drop-offs of riders not on board, pickups of riders who cancelled, unknown stops, chargers and riders,
 * stops its group cannot reach. Deterministic: the same plans at the same times give the same reports.
 * Not thread-safe.
 */
public final class SimulatedFleet
{
    public static final int REPORT_INTERVAL_S = 60;
    static final long SALT = 0x464C454554534D4CL; // "FLEETSML"
    private static final long REPORT_INTERVAL_NS = REPORT_INTERVAL_S * CityClock.SECOND_NS;
    private static final long NEVER = Long.MAX_VALUE;
    /** A cancel sent this recently may not have reached the plan yet (lockstep: a plan answers a step later). */
    private static final long CANCEL_IN_FLIGHT_NS = 3 * CityClock.SECOND_NS;

    /** Receives each ShuttleState frame (header included) with the logical time it describes; the buffer is valid during the call. */
    @FunctionalInterface
    public interface StateSink
    {
        void onState(long timeNs, DirectBuffer buffer, int offset, int length);
    }

    /**
     * One entry of a plan, as the ShuttlePlan carries it (for CHARGE, {@code requestId} is the charger id).
     *
     * @param notBeforeNs PICKUP: the rider boards no earlier (the loop may hold a boarding); {@link #NO_TIME}: the
     *                    rider's earliest pickup time.
     */
    public record PlanStop(int stopId, StopAction action, long requestId, long etaNs, long notBeforeNs)
    {
        public static final long NO_TIME = Long.MIN_VALUE;

        /** An entry without a boarding time of its own. */
        public PlanStop(final int stopId, final StopAction action, final long requestId, final long etaNs)
        {
            this(stopId, action, requestId, etaNs, NO_TIME);
        }

        /** The stops of a ShuttlePlan, as the fleet takes them. */
        public static List<PlanStop> of(final ShuttlePlanDecoder plan)
        {
            final List<PlanStop> stops = new ArrayList<>();
            for (final ShuttlePlanDecoder.StopsDecoder s : plan.stops())
            {
                final long notBeforeNs = s.notBeforeNs();
                stops.add(new PlanStop((int)s.stopId(), s.action(), s.requestId(), s.etaNs(),
                    notBeforeNs == ShuttlePlanDecoder.StopsDecoder.notBeforeNsNullValue() ? NO_TIME : notBeforeNs));
            }
            return stops;
        }
    }

    /** What happened to a rider: filled in as the fleet picks up and drops off. */
    public static final class RiderLog
    {
        final long requestId;
        final long earliestPickupNs;
        final int partySize;
        final int wheelchairs;
        final long cancelNs;
        int shuttleId = -1;
        long pickupNs = -1;
        int pickupStopId = -1;
        long dropoffNs = -1;
        int dropoffStopId = -1;

        RiderLog(final long requestId, final long earliestPickupNs, final int partySize, final int wheelchairs, final long cancelNs)
        {
            this.requestId = requestId;
            this.earliestPickupNs = earliestPickupNs;
            this.partySize = partySize;
            this.wheelchairs = wheelchairs;
            this.cancelNs = cancelNs;
        }

        public int shuttleId()
        {
            return shuttleId;
        }

        /** When the rider boarded, -1 while not. */
        public long pickupNs()
        {
            return pickupNs;
        }

        public int pickupStopId()
        {
            return pickupStopId;
        }

        /** When the rider alighted, -1 while not. */
        public long dropoffNs()
        {
            return dropoffNs;
        }

        public int dropoffStopId()
        {
            return dropoffStopId;
        }
    }

    private enum Phase
    {
        IDLE, DRIVING, DWELLING, HELD, CHARGING, CHARGER_WAIT, OUT
    }

    private final ShuttleNetwork network;
    private final int dwellS;
    private final double noiseMin;
    private final double noiseMax;
    private final Shuttle[] shuttles;
    private final Int2IntHashMap indexById = new Int2IntHashMap(-1);
    private final ShuttleCharger[] chargers;
    private final int[] chargerNode;
    private final int[] chargerOccupant;
    private final List<ArrayDeque<Integer>> chargerQueue = new ArrayList<>();
    private final Int2IntHashMap chargerById = new Int2IntHashMap(-1);
    private final Long2ObjectHashMap<RiderLog> riders = new Long2ObjectHashMap<>();

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ShuttleStateEncoder encoder = new ShuttleStateEncoder();
    private StateSink sink;

    // what the loop got wrong, and what it cost
    private long plansReceived;
    private long plansForUnknownShuttles;
    private long headChangesWhileDriving;
    private long staleEntries;
    private long holds;
    private long heldNs;
    private long unknownStops;
    private long unreachableStops;
    private long unknownRiders;
    private long capacityViolations;
    private long dropoffsWithoutRider;
    private long pickupsOfCancelled;
    private long pickupsOfJustCancelled;
    private long badChargers;
    private long chargerWaits;
    private long statesSent;

    /**
     * @param config          the city (its fleet, chargers and service).
     * @param network         the graph the loop plans on, of the same configuration.
     * @param seed            seed of the states of charge and the travel-time noise.
     * @param initialSocPercent states of charge at the start, drawn per shuttle.
     * @param travelTimeNoise factor on each edge's time, drawn per edge driven.
     */
    public SimulatedFleet(final CityConfig config, final ShuttleNetwork network, final long seed, final ShuttleScenario.Range initialSocPercent,
        final ShuttleScenario.Range travelTimeNoise)
    {
        this.network = network;
        this.dwellS = config.mobility().service().dwellS();
        this.noiseMin = travelTimeNoise.min();
        this.noiseMax = travelTimeNoise.max();
        final SplittableRandom random = RandomDraws.stream(seed, SALT);
        final List<Shuttle> all = new ArrayList<>();
        for (int g = 0; g < network.groupCount(); g++)
        {
            final FleetGroup group = network.group(g);
            for (int k = 0; k < group.count(); k++)
            {
                final int id = group.firstId() + k;
                final double socPercent = RandomDraws.uniform(random, initialSocPercent.min(), initialSocPercent.max());
                final Shuttle s = new Shuttle(all.size(), id, g, group, network.index(group.depotStop()), socPercent / 100.0 * group.batteryKwh(),
                    random.split());
                indexById.put(id, all.size());
                all.add(s);
            }
        }
        shuttles = all.toArray(new Shuttle[0]);
        chargers = config.mobility().chargers().toArray(new ShuttleCharger[0]);
        chargerNode = new int[chargers.length];
        chargerOccupant = new int[chargers.length];
        for (int c = 0; c < chargers.length; c++)
        {
            chargerNode[c] = network.index(chargers[c].stop());
            chargerOccupant[c] = -1;
            chargerQueue.add(new ArrayDeque<>());
            chargerById.put(chargers[c].id(), c);
        }
    }

    /** The shuttles' ids in group order. */
    public int[] shuttleIds()
    {
        final int[] ids = new int[shuttles.length];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = shuttles[i].id;
        }
        return ids;
    }

    /**
     * A rider who asked for a ride: the fleet boards them at the earliest pickup time, never when they cancel (a
     * rider who cancels, before the earliest pickup time, is never at the stop). Registering the same request
     * again changes nothing.
     *
     * @param cancelNs when the rider cancels, {@link RideDemand.Ride#NOT_CANCELLED} when never.
     */
    public void rider(final long requestId, final long earliestPickupNs, final int partySize, final int wheelchairs, final long cancelNs)
    {
        if (!riders.containsKey(requestId))
        {
            riders.put(requestId, new RiderLog(requestId, earliestPickupNs, partySize, wheelchairs, cancelNs));
        }
    }

    /**
     * The loop refused a rider's cancel (ALREADY_PICKED_UP: the shuttle is at the stop for them): the rider, told
     * so, boards after all.
     */
    public void cancelRefused(final long requestId)
    {
        final RiderLog rider = riders.get(requestId);
        if (rider != null && rider.pickupNs < 0)
        {
            riders.put(requestId, new RiderLog(requestId, rider.earliestPickupNs, rider.partySize, rider.wheelchairs, RideDemand.Ride.NOT_CANCELLED));
        }
    }

    /** What happened to a rider, null when never registered. */
    public RiderLog riderLog(final long requestId)
    {
        return riders.get(requestId);
    }

    /** Every shuttle reports IDLE at its group's depot. */
    public void start(final long nowNs, final StateSink out)
    {
        sink = out;
        for (final Shuttle s : shuttles)
        {
            s.lastStopId = network.nodeId(s.node);
            idle(s, nowNs, true);
        }
    }

    /** Run every shuttle up to (not including) {@code toNs}, in time order; reports go to {@code out}. */
    public void advanceTo(final long toNs, final StateSink out)
    {
        sink = out;
        while (true)
        {
            Shuttle next = null;
            for (final Shuttle s : shuttles)
            {
                if (s.nextEventNs < toNs && (next == null || s.nextEventNs < next.nextEventNs))
                {
                    next = s;
                }
            }
            if (next == null)
            {
                return;
            }
            event(next, next.nextEventNs);
        }
    }

    /** A ShuttlePlan for {@code shuttleId} read at {@code nowNs}, with no planSeq: see the other overload. */
    public void plan(final int shuttleId, final List<PlanStop> stops, final long nowNs, final StateSink out)
    {
        plan(shuttleId, ShuttleStateEncoder.planSeqNullValue(), stops, nowNs, out);
    }

    /**
     * A ShuttlePlan for {@code shuttleId} read at {@code nowNs}: it replaces the shuttle's plan at once. Its
     * {@code planSeq} (ShuttlePlan.planSeq) goes back in every ShuttleState the shuttle reports from now on.
     */
    public void plan(final int shuttleId, final long planSeq, final List<PlanStop> stops, final long nowNs, final StateSink out)
    {
        sink = out;
        plansReceived++;
        final int index = indexById.get(shuttleId);
        if (index < 0)
        {
            plansForUnknownShuttles++;
            return;
        }
        final Shuttle s = shuttles[index];
        s.plans++;
        s.planSeq = planSeq;
        final List<PlanStop> plan = new ArrayList<>();
        for (final PlanStop stop : stops)
        {
            if (network.stopIndex(stop.stopId()) < 0)
            {
                unknownStops++;
                continue;
            }
            final RiderLog rider = stop.action() == StopAction.PICKUP || stop.action() == StopAction.DROPOFF ? riders.get(stop.requestId()) : null;
            if (rider != null && (stop.action() == StopAction.PICKUP ? rider.pickupNs >= 0 : rider.dropoffNs >= 0))
            {
                // a drop-off of this visit stays on the plan until the departure is reported; anything else is old
                final boolean thisVisit = s.phase == Phase.DWELLING && stop.action() == StopAction.DROPOFF && rider.shuttleId == s.id
                    && rider.dropoffNs >= s.arrivalNs && network.index(stop.stopId()) == s.node;
                if (!thisVisit)
                {
                    staleEntries++;
                }
                continue;
            }
            plan.add(stop);
        }
        switch (s.phase)
        {
            case OUT -> s.plan = plan;
            case DRIVING ->
            {
                // a plan sent before the loop read this shuttle's departure still leads with the visit it left; its
                // riders are filtered above, and a stop kept with nobody to board (a cancelled rider's) is done too
                while (!plan.isEmpty() && plan.get(0).action() == StopAction.REBALANCE && plan.get(0).stopId() == s.lastStopId)
                {
                    plan.remove(0);
                    staleEntries++;
                }
                final int oldHead = s.plan.isEmpty() ? -1 : s.plan.get(0).stopId();
                final int newHead = plan.isEmpty() ? -1 : plan.get(0).stopId();
                if (oldHead != newHead)
                {
                    headChangesWhileDriving++;
                }
                s.plan = plan; // followed from the end of the current edge
            }
            case DWELLING ->
            {
                // the visit is what the current plan lists here: pickups may come or go, the dwell end follows
                s.plan = plan;
                alightHere(s, nowNs);
                s.dwellEndNs = visitEndNs(s, nowNs);
                s.nextEventNs = s.dwellEndNs;
            }
            case CHARGING, CHARGER_WAIT ->
            {
                final boolean stays = !plan.isEmpty() && plan.get(0).action() == StopAction.CHARGE
                    && network.index(plan.get(0).stopId()) == s.node && chargerById.get((int)plan.get(0).requestId()) == s.charger;
                s.plan = plan;
                if (!stays)
                {
                    unplug(s, nowNs);
                    proceed(s, nowNs, true);
                }
            }
            case IDLE ->
            {
                s.plan = plan;
                if (!plan.isEmpty())
                {
                    proceed(s, nowNs, true);
                }
            }
            case HELD ->
            {
                // standing where it left a visit (or was idle) until DepartureRule lets it go: the new plan's first visit
                // sets when; a plan sent before the loop read the departure may still lead with the visit it left
                while (!plan.isEmpty() && plan.get(0).action() == StopAction.REBALANCE && plan.get(0).stopId() == s.lastStopId)
                {
                    plan.remove(0);
                    staleEntries++;
                }
                s.plan = plan;
                heldNs += nowNs - s.heldFromNs;
                proceed(s, nowNs, true);
            }
        }
    }

    private void event(final Shuttle s, final long nowNs)
    {
        switch (s.phase)
        {
            case DRIVING -> endOfEdge(s, nowNs);
            case DWELLING ->
            {
                alightHere(s, nowNs);
                boardHere(s, nowNs);
                dropVisit(s);
                proceed(s, nowNs, true);
            }
            case CHARGING ->
            {
                charge(s, nowNs);
                report(s, nowNs, ShuttleMode.CHARGING);
                s.nextEventNs = nowNs + REPORT_INTERVAL_NS;
            }
            case HELD ->
            {
                heldNs += nowNs - s.heldFromNs;
                proceed(s, nowNs, true);
            }
            case IDLE, CHARGER_WAIT ->
            {
                report(s, nowNs, ShuttleMode.IDLE);
                s.nextEventNs = nowNs + REPORT_INTERVAL_NS;
            }
            case OUT -> s.nextEventNs = NEVER;
        }
    }

    private void endOfEdge(final Shuttle s, final long nowNs)
    {
        final double kwh = s.edgeM / 1000.0 * s.group.consumptionKwhPerKm();
        s.metres += s.edgeM;
        if (s.onBoard.isEmpty())
        {
            s.emptyMetres += s.edgeM;
            s.emptyByPurpose[s.edgePurpose] += s.edgeM;
            if (!s.boardedAny)
            {
                s.emptyBeforeFirstBoarding += s.edgeM;
            }
        }
        s.kwhUsed += kwh;
        s.socKwh -= kwh;
        s.node = s.edgeTo;
        s.edgeTo = -1;
        if (s.socKwh <= 0)
        {
            s.socKwh = 0;
            s.phase = Phase.OUT;
            s.nextEventNs = NEVER;
            s.ranEmpty = true;
            report(s, nowNs, ShuttleMode.OUT_OF_SERVICE);
            return;
        }
        s.lowestSoc = Math.min(s.lowestSoc, s.socKwh / s.group.batteryKwh());
        proceed(s, nowNs, false);
    }

    /**
     * At a node, not dwelling: serve the plan's first stop if it is here, else drive the first edge towards it.
     *
     * @param departing whether the shuttle stood still until now (then its departure state is reported).
     */

    private static boolean rebalancingOnly(final Shuttle s)
    {
        for (final PlanStop stop : s.plan)
        {
            if (stop.action() != StopAction.REBALANCE)
            {
                return false;
            }
        }
        return true;
    }

    private void proceed(final Shuttle s, final long nowNs, final boolean departing)
    {
        while (!s.plan.isEmpty())
        {
            final PlanStop head = s.plan.get(0);
            final int target = network.index(head.stopId());
            if (target == s.node)
            {
                arrive(s, head, nowNs);
                return;
            }
            final int hop = network.nextHop(s.g, s.node, target);
            if (hop < 0)
            {
                unreachableStops++;
                s.plan.remove(0);
                continue;
            }
            if (departing)
            {
                final long leaveNs = DepartureRule.leaveNs(firstBoardingNs(s, target), network.timeS(s.g, s.node, target));
                if (leaveNs > nowNs)
                {
                    // a first visit of pickups only, far ahead: wait here (the departure from a visit is reported now)
                    if (s.phase == Phase.DWELLING)
                    {
                        report(s, nowNs, ShuttleMode.EN_ROUTE);
                    }
                    if (s.phase != Phase.HELD)
                    {
                        holds++;
                    }
                    s.phase = Phase.HELD;
                    s.heldFromNs = nowNs;
                    s.nextEventNs = leaveNs;
                    return;
                }
            }
            final double factor = RandomDraws.uniform(s.noise, noiseMin, noiseMax);
            s.edgeTo = hop;
            s.edgeM = network.distanceM(s.g, s.node, hop);
            s.edgePurpose = head.action() == StopAction.CHARGE ? 2 : rebalancingOnly(s) ? 1 : 0;
            s.edgeStartNs = nowNs;
            s.edgeEndNs = nowNs + Math.max(1, Math.round(network.timeS(s.g, s.node, hop) * factor * 1e9));
            s.phase = Phase.DRIVING;
            s.nextEventNs = s.edgeEndNs;
            if (departing)
            {
                report(s, nowNs, head.action() == StopAction.CHARGE ? ShuttleMode.TO_CHARGER
                    : head.action() == StopAction.REBALANCE ? ShuttleMode.REBALANCING : ShuttleMode.EN_ROUTE);
            }
            return;
        }
        idle(s, nowNs, departing || s.phase != Phase.IDLE);
    }

    /**
     * The earliest boarding time of the plan's first visit (at node {@code target}) when it is pickups only (REBALANCE
     * entries aside, at least one PICKUP), else {@link DepartureRule#AT_ONCE}.
     */
    private long firstBoardingNs(final Shuttle s, final int target)
    {
        long earliest = DepartureRule.AT_ONCE;
        for (final PlanStop stop : s.plan)
        {
            if (network.index(stop.stopId()) != target)
            {
                break;
            }
            if (stop.action() == StopAction.PICKUP)
            {
                final RiderLog rider = riders.get(stop.requestId());
                final long boardNs = stop.notBeforeNs() != PlanStop.NO_TIME ? stop.notBeforeNs() : rider != null ? rider.earliestPickupNs : DepartureRule.AT_ONCE;
                if (boardNs == DepartureRule.AT_ONCE)
                {
                    return DepartureRule.AT_ONCE;
                }
                earliest = earliest == DepartureRule.AT_ONCE ? boardNs : Math.min(earliest, boardNs);
            }
            else if (stop.action() != StopAction.REBALANCE)
            {
                return DepartureRule.AT_ONCE;
            }
        }
        return earliest;
    }

    private void arrive(final Shuttle s, final PlanStop head, final long nowNs)
    {
        s.lastStopId = head.stopId();
        if (head.action() == StopAction.CHARGE)
        {
            final int c = chargerById.get((int)head.requestId());
            if (c < 0 || chargerNode[c] != s.node)
            {
                badChargers++;
                s.plan.remove(0);
                idle(s, nowNs, true);
                return;
            }
            if (chargerOccupant[c] >= 0 && chargerOccupant[c] != s.index)
            {
                chargerWaits++;
                s.charger = c;
                s.phase = Phase.CHARGER_WAIT;
                s.nextEventNs = nowNs + REPORT_INTERVAL_NS;
                chargerQueue.get(c).add(s.index);
                report(s, nowNs, ShuttleMode.IDLE);
                return;
            }
            plugIn(s, c, nowNs);
            return;
        }
        boolean serves = false;
        for (int k = 0; k < s.plan.size() && network.index(s.plan.get(k).stopId()) == s.node && s.plan.get(k).action() != StopAction.CHARGE; k++)
        {
            serves |= s.plan.get(k).action() != StopAction.REBALANCE;
        }
        if (!serves)
        {
            // only REBALANCE here: passed through without a dwell, the departure state reported on arrival
            dropVisit(s);
            proceed(s, nowNs, true);
            return;
        }
        s.phase = Phase.DWELLING;
        s.arrivalNs = nowNs;
        alightHere(s, nowNs);
        s.dwellEndNs = visitEndNs(s, nowNs);
        s.nextEventNs = s.dwellEndNs;
        report(s, nowNs, ShuttleMode.DWELLING);
    }

    /** The leading entries of the plan at the shuttle's node, up to a CHARGE: this visit's. */
    private int visitLength(final Shuttle s)
    {
        int k = 0;
        while (k < s.plan.size() && network.index(s.plan.get(k).stopId()) == s.node && s.plan.get(k).action() != StopAction.CHARGE)
        {
            k++;
        }
        return k;
    }

    /** When the dwell ends: {@code dwellS} after the arrival and every boarding time of this visit, never before now. */
    private long visitEndNs(final Shuttle s, final long nowNs)
    {
        long lastNs = s.arrivalNs;
        for (int k = 0, n = visitLength(s); k < n; k++)
        {
            final PlanStop entry = s.plan.get(k);
            if (entry.action() == StopAction.PICKUP)
            {
                lastNs = Math.max(lastNs, boardingNs(s, entry));
            }
        }
        return Math.max(nowNs, lastNs + dwellS * CityClock.SECOND_NS);
    }

    /** The rider boards from the later of the arrival and the entry's notBefore (else the rider's earliest pickup). */
    private long boardingNs(final Shuttle s, final PlanStop entry)
    {
        final RiderLog rider = riders.get(entry.requestId());
        final long notBeforeNs = entry.notBeforeNs() != PlanStop.NO_TIME ? entry.notBeforeNs() : rider != null ? rider.earliestPickupNs : s.arrivalNs;
        return Math.max(s.arrivalNs, notBeforeNs);
    }

    /** Riders of this visit's DROPOFF entries alight now; the entries stay until the departure. */
    private void alightHere(final Shuttle s, final long nowNs)
    {
        for (int k = 0, n = visitLength(s); k < n; k++)
        {
            final PlanStop entry = s.plan.get(k);
            if (entry.action() != StopAction.DROPOFF)
            {
                continue;
            }
            final RiderLog rider = riders.get(entry.requestId());
            if (rider == null)
            {
                unknownRiders++;
                s.plan.remove(k--);
                n--;
                continue;
            }
            if (rider.dropoffNs >= 0)
            {
                continue; // alighted on arrival
            }
            if (rider.shuttleId != s.id || !s.onBoard.remove(rider))
            {
                dropoffsWithoutRider++;
                s.plan.remove(k--);
                n--;
                continue;
            }
            s.passengers -= rider.partySize;
            s.wheelchairs -= rider.wheelchairs;
            rider.dropoffNs = nowNs;
            rider.dropoffStopId = entry.stopId();
        }
    }

    /** At the departure: the riders of this visit's PICKUP entries (in the current plan) boarded at their boarding times. */
    private void boardHere(final Shuttle s, final long nowNs)
    {
        for (int k = 0, n = visitLength(s); k < n; k++)
        {
            final PlanStop entry = s.plan.get(k);
            if (entry.action() != StopAction.PICKUP)
            {
                continue;
            }
            final RiderLog rider = riders.get(entry.requestId());
            if (rider == null)
            {
                unknownRiders++;
                continue;
            }
            final long boardNs = boardingNs(s, entry);
            if (rider.cancelNs != RideDemand.Ride.NOT_CANCELLED)
            {
                // the rider is not there; the loop's mistake unless the cancel was still on its way (sent in the last steps)
                if (rider.cancelNs + CANCEL_IN_FLIGHT_NS < nowNs)
                {
                    pickupsOfCancelled++;
                }
                else
                {
                    pickupsOfJustCancelled++;
                }
                continue;
            }
            if (s.passengers + rider.partySize > s.group.capacity() || s.wheelchairs + rider.wheelchairs > s.group.wheelchairPlaces())
            {
                capacityViolations++;
            }
            s.onBoard.add(rider);
            s.boardedAny = true;
            s.passengers += rider.partySize;
            s.wheelchairs += rider.wheelchairs;
            rider.shuttleId = s.id;
            rider.pickupNs = boardNs;
            rider.pickupStopId = entry.stopId();
        }
    }

    /** This visit's entries are done: off the shuttle's own copy of the plan. */
    private void dropVisit(final Shuttle s)
    {
        s.plan.subList(0, visitLength(s)).clear();
    }

    private void plugIn(final Shuttle s, final int c, final long nowNs)
    {
        chargerOccupant[c] = s.index;
        s.charger = c;
        s.chargeFromNs = nowNs;
        s.chargingSessions++;
        s.phase = Phase.CHARGING;
        s.nextEventNs = nowNs + REPORT_INTERVAL_NS;
        report(s, nowNs, ShuttleMode.CHARGING);
    }

    /** Leave the charger (or its queue); the next in line plugs in. */
    private void unplug(final Shuttle s, final long nowNs)
    {
        final int c = s.charger;
        if (c < 0)
        {
            return;
        }
        if (s.phase == Phase.CHARGER_WAIT)
        {
            chargerQueue.get(c).remove(s.index);
            s.charger = -1;
            return;
        }
        charge(s, nowNs);
        s.charger = -1;
        chargerOccupant[c] = -1;
        final Integer waiting = chargerQueue.get(c).poll();
        if (waiting != null)
        {
            plugIn(shuttles[waiting], c, nowNs);
        }
    }

    /** Energy charged since the last call, up to a full battery. */
    private void charge(final Shuttle s, final long nowNs)
    {
        final double kwh = chargers[s.charger].powerKw() * (nowNs - s.chargeFromNs) / (double)CityClock.HOUR_NS;
        final double added = Math.min(kwh, s.group.batteryKwh() - s.socKwh);
        s.socKwh += added;
        s.kwhCharged += added;
        s.chargeFromNs = nowNs;
    }

    private void idle(final Shuttle s, final long nowNs, final boolean reportNow)
    {
        s.phase = Phase.IDLE;
        s.nextEventNs = nowNs + REPORT_INTERVAL_NS;
        if (reportNow)
        {
            report(s, nowNs, ShuttleMode.IDLE);
        }
    }

    private void report(final Shuttle s, final long nowNs, final ShuttleMode mode)
    {
        final double east;
        final double north;
        int speedCmPerS = 0;
        if (s.phase == Phase.DRIVING)
        {
            final double done = (double)(nowNs - s.edgeStartNs) / (s.edgeEndNs - s.edgeStartNs);
            east = network.eastM(s.node) + (network.eastM(s.edgeTo) - network.eastM(s.node)) * done;
            north = network.northM(s.node) + (network.northM(s.edgeTo) - network.northM(s.node)) * done;
            speedCmPerS = (int)Math.min(65_534, Math.round(s.edgeM * 100 / ((s.edgeEndNs - s.edgeStartNs) / 1e9)));
        }
        else
        {
            east = network.eastM(s.node);
            north = network.northM(s.node);
        }
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .shuttleId(s.id)
            .shuttleType(s.group.type() == FleetGroup.Type.ROAD ? ShuttleType.ROAD : ShuttleType.SIDEWALK)
            .mode(mode)
            .lastStopId(s.lastStopId >= 0 ? s.lastStopId : ShuttleStateEncoder.lastStopIdNullValue())
            .speedCmPerS(speedCmPerS)
            .socPermille((int)Math.round(s.socKwh / s.group.batteryKwh() * 1000))
            .passengers((short)Math.min(254, s.passengers))
            .wheelchairs((short)Math.min(254, s.wheelchairs))
            .planSeq(s.planSeq);
        encoder.position().eastMm(LocalFrame.mm(east)).northMm(LocalFrame.mm(north));
        statesSent++;
        sink.onState(nowNs, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /** Totals over the fleet and per group type, and the count of each thing the plans got wrong. */
    public Map<String, Object> figures(final long nowNs)
    {
        final Map<String, Object> f = new LinkedHashMap<>();
        double metres = 0;
        double emptyMetres = 0;
        final double[] emptyByPurpose = new double[3];
        double emptyFirst = 0;
        double kwhUsed = 0;
        double kwhCharged = 0;
        long sessions = 0;
        long ranEmpty = 0;
        double lowest = 1;
        final Map<FleetGroup.Type, double[]> byType = new java.util.EnumMap<>(FleetGroup.Type.class);
        for (final Shuttle s : shuttles)
        {
            if (s.phase == Phase.CHARGING)
            {
                charge(s, nowNs);
            }
            metres += s.metres;
            emptyMetres += s.emptyMetres;
            for (int k = 0; k < 3; k++)
            {
                emptyByPurpose[k] += s.emptyByPurpose[k];
            }
            emptyFirst += s.emptyBeforeFirstBoarding;
            kwhUsed += s.kwhUsed;
            kwhCharged += s.kwhCharged;
            sessions += s.chargingSessions;
            ranEmpty += s.ranEmpty ? 1 : 0;
            lowest = Math.min(lowest, s.lowestSoc);
            final double[] t = byType.computeIfAbsent(s.group.type(), k -> new double[6]);
            t[0]++;
            t[1] += s.metres;
            t[2] += s.emptyMetres;
            t[3] += s.kwhUsed;
            t[4] += s.plans;
            t[5] += s.metres == 0 ? 1 : 0;
        }
        final Map<String, Object> types = new LinkedHashMap<>();
        byType.forEach((type, t) ->
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("shuttles", (long)t[0]);
            m.put("vehicleKm", round(t[1] / 1000));
            m.put("emptyKm", round(t[2] / 1000));
            m.put("energyKwh", round(t[3]));
            m.put("plansReceived", (long)t[4]);
            m.put("shuttlesThatNeverMoved", (long)t[5]);
            types.put(type.name().toLowerCase(java.util.Locale.ROOT), m);
        });
        f.put("shuttles", shuttles.length);
        f.put("vehicleKm", round(metres / 1000));
        f.put("emptyKm", round(emptyMetres / 1000));
        f.put("emptyShare", metres > 0 ? round(emptyMetres / metres) : null);
        final Map<String, Object> empty = new LinkedHashMap<>();
        empty.put("toServe", round(emptyByPurpose[0] / 1000));
        empty.put("rebalancing", round(emptyByPurpose[1] / 1000));
        empty.put("toCharger", round(emptyByPurpose[2] / 1000));
        empty.put("beforeFirstBoarding", round(emptyFirst / 1000));
        empty.put("measured", "empty km by where the shuttle drove: to a stop with riders to serve, to a rebalancing stop, to a charger;"
            + " beforeFirstBoarding: the empty km each shuttle drove before its first rider boarded (the first drive from the depot, any rebalancing before it)");
        f.put("emptyKmBy", empty);
        f.put("energyKwh", round(kwhUsed));
        f.put("chargedKwh", round(kwhCharged));
        f.put("chargingSessions", sessions);
        f.put("lowestSocPercent", round(lowest * 100));
        f.put("ranEmpty", ranEmpty);
        f.put("byType", types);
        final Map<String, Object> held = new LinkedHashMap<>();
        held.put("departures", holds);
        held.put("hours", round(heldNs / (double)CityClock.HOUR_NS));
        held.put("what", "departures a shuttle standing at a stop put off by DepartureRule (a first visit of pickups far ahead), and the time it stood so");
        f.put("heldDepartures", held);
        final Map<String, Object> plans = new LinkedHashMap<>();
        plans.put("received", plansReceived);
        plans.put("forUnknownShuttles", plansForUnknownShuttles);
        plans.put("firstStopChangedWhileDriving", headChangesWhileDriving);
        plans.put("entriesAlreadyDone", staleEntries);
        plans.put("unknownStops", unknownStops);
        plans.put("stopsTheGroupCannotReach", unreachableStops);
        plans.put("unknownRequests", unknownRiders);
        plans.put("boardingsBeyondCapacity", capacityViolations);
        plans.put("dropoffsOfRidersNotOnBoard", dropoffsWithoutRider);
        plans.put("pickupsOfCancelledRiders", pickupsOfCancelled);
        plans.put("pickupsOfRidersWhoHadJustCancelled", pickupsOfJustCancelled);
        plans.put("unknownOrMisplacedChargers", badChargers);
        plans.put("waitsForABusyCharger", chargerWaits);
        f.put("plans", plans);
        f.put("statesSent", statesSent);
        return f;
    }

    /** Riders on board at the moment, over the fleet. */
    public int ridersOnBoard()
    {
        int n = 0;
        for (final Shuttle s : shuttles)
        {
            n += s.onBoard.size();
        }
        return n;
    }

    private static double round(final double v)
    {
        return Math.round(v * 100) / 100.0;
    }

    private static final class Shuttle
    {
        final int index;
        final int id;
        final int g;
        final FleetGroup group;
        final SplittableRandom noise;
        Phase phase = Phase.IDLE;
        int node;
        int edgeTo = -1;
        double edgeM;
        long edgeStartNs;
        long edgeEndNs;
        long dwellEndNs;
        long arrivalNs;
        long nextEventNs = NEVER;
        int lastStopId = -1;
        int charger = -1;
        long chargeFromNs;
        long heldFromNs;
        List<PlanStop> plan = new ArrayList<>();
        final List<RiderLog> onBoard = new ArrayList<>();
        int passengers;
        int wheelchairs;
        double socKwh;
        double lowestSoc;
        double metres;
        double emptyMetres;
        /** Empty metres by what the shuttle drove to: 0 a stop with riders to serve, 1 rebalancing only, 2 a charger. */
        final double[] emptyByPurpose = new double[3];
        double emptyBeforeFirstBoarding;
        int edgePurpose;
        boolean boardedAny;
        double kwhUsed;
        double kwhCharged;
        long chargingSessions;
        long plans;
        long planSeq = ShuttleStateEncoder.planSeqNullValue(); // of the last plan received
        boolean ranEmpty;

        Shuttle(final int index, final int id, final int g, final FleetGroup group, final int depotNode, final double socKwh, final SplittableRandom noise)
        {
            this.index = index;
            this.id = id;
            this.g = g;
            this.group = group;
            this.node = depotNode;
            this.socKwh = socKwh;
            this.lowestSoc = socKwh / group.batteryKwh();
            this.noise = noise;
        }
    }
}
