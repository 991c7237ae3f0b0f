package kr.sejong.city.adapters.twin;

import kr.sejong.city.adapters.twin.traci.TraciClient;
import kr.sejong.city.adapters.twin.traci.VariableSubscription;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static kr.sejong.city.adapters.twin.traci.TraciConstants.CMD_GET_VEHICLE_VARIABLE;
import static kr.sejong.city.adapters.twin.traci.TraciConstants.VAR_LANE_ID;
import static kr.sejong.city.adapters.twin.traci.TraciConstants.VAR_SPEED;
import static kr.sejong.city.adapters.twin.traci.TraciConstants.VAR_TIMELOSS;
import static kr.sejong.city.adapters.twin.traci.TraciConstants.VAR_VEHICLECLASS;

/**
 * Per-vehicle delay of a run, from what SUMO reports each step through TraCI.
 * <ul>
 *   <li>departDelay: the time between when a vehicle was due and when it entered. SUMO 1.15 has no TraCI
 *   variable for it, so it is derived: a vehicle is due at the start of the first step after which it
 *   shows up in the pending list (due, not yet inserted), or at its departure step if it never waited.</li>
 *   <li>timeLoss: SUMO's own (time lost against driving at the desired speed), subscribed per vehicle
 *   from the step after its departure; the value of the last step before it arrives is kept.</li>
 *   <li>waiting: the steps in which its speed was at most 0.1 m/s (SUMO's tripinfo waitingTime).</li>
 * </ul>
 * Delay = timeLoss + departDelay. At the end, vehicles still driving count with their delay so far and
 * vehicles still waiting to enter with their wait so far (notInserted).
 * <h2>Per category</h2>
 * Each departing vehicle's SUMO class is read once, in one request for all vehicles of the step
 * ({@link VehicleCategory}), so that the report can say what preemption and bus priority cost and gain:
 * delay per category, the emergency vehicles' travel time (arrival step - departure step, as SUMO's
 * tripinfo {@code duration}) and their stops at signals (from moving, speed above 0.1 m/s, to halting while
 * on an incoming lane of a light; their lane is subscribed for that), and the buses that arrived later
 * than the threshold (delay at arrival). Vehicles never inserted have no class yet: they count in the
 * overall figures only.
 * <h2>One subscription per vehicle</h2>
 * SUMO keeps one variable subscription per vehicle and merges a second into it, so whoever else follows
 * a vehicle (the {@link Tracker}: the twin's on-board units) does not subscribe on its own: the ledger
 * subscribes the union of its variables and the tracker's for the categories the tracker follows, and
 * hands the tracker the subscription.
 */
final class VehicleLedger
{
    /** SUMO's halting threshold, m/s. */
    static final double HALTING_SPEED_MPS = 0.1;

    private static final int[] OWN_VARIABLES = {VAR_TIMELOSS, VAR_SPEED};
    private static final int[] EMERGENCY_VARIABLES = {VAR_TIMELOSS, VAR_SPEED, VAR_LANE_ID};

    /** Follows vehicles of some categories from departure to arrival, on the ledger's subscription. */
    interface Tracker
    {
        /** Whether vehicles of this category are followed. */
        boolean tracks(VehicleCategory category);

        /** The variables read from a followed vehicle's subscription (subscribed with the ledger's own). */
        int[] variables();

        /** A followed vehicle departed; its subscription already carries the values after this step. */
        void departed(String id, VehicleCategory category, VariableSubscription subscription);

        /** A followed vehicle arrived (left the simulation) in the last step. */
        void arrived(String id);
    }

    private static final class Vehicle
    {
        final String id;
        final double departS;
        final double departDelayS;
        VehicleCategory category = VehicleCategory.BACKGROUND;
        double timeLossS;
        double waitingS;
        boolean moving;
        long stopsAtSignals;
        boolean tracked;
        VariableSubscription subscription;

        Vehicle(final String id, final double departS, final double departDelayS)
        {
            this.id = id;
            this.departS = departS;
            this.departDelayS = departDelayS;
        }

        double delayS()
        {
            return timeLossS + departDelayS;
        }
    }

    /** Sums over the arrived vehicles of one category, and its departures. */
    private static final class CategorySums
    {
        long departed;
        long arrived;
        double arrivedDelaySum;
        double arrivedTravelSum;
        long arrivedStops;
        long lateArrivals;
    }

    private final TraciClient traci;
    private final Set<String> signalLanes;
    private final double lateThresholdS;
    private final Tracker tracker;
    private final int[] trackedVariables;
    private final int[] trackedEmergencyVariables;
    private final Map<String, Double> dueSinceS = new HashMap<>();
    private final Map<String, Vehicle> running = new LinkedHashMap<>();
    private final List<String> toSubscribe = new ArrayList<>();
    private final List<String> lastPending = new ArrayList<>();
    private final Map<VehicleCategory, CategorySums> categories = new EnumMap<>(VehicleCategory.class);
    private final Map<VehicleCategory, List<String>> byCategory = new EnumMap<>(VehicleCategory.class);

    private long departed;
    private long arrived;
    private double arrivedDelaySum;
    private double arrivedTimeLossSum;
    private double departDelaySum;
    private double arrivedWaitingSum;

    /**
     * @param traci          the connection.
     * @param signalLanes    the incoming lanes of the lights (where an emergency vehicle's stop is a stop at a signal).
     * @param lateThresholdS a bus whose delay at arrival exceeds this is a late arrival, s.
     * @param tracker        follows some categories on the ledger's subscriptions; null for none.
     */
    VehicleLedger(final TraciClient traci, final Set<String> signalLanes, final double lateThresholdS, final Tracker tracker)
    {
        this.traci = traci;
        this.signalLanes = Set.copyOf(signalLanes);
        this.lateThresholdS = lateThresholdS;
        this.tracker = tracker;
        this.trackedVariables = tracker == null ? OWN_VARIABLES : union(OWN_VARIABLES, tracker.variables());
        this.trackedEmergencyVariables = tracker == null ? EMERGENCY_VARIABLES : union(EMERGENCY_VARIABLES, tracker.variables());
        for (final VehicleCategory category : VehicleCategory.values())
        {
            categories.put(category, new CategorySums());
            byCategory.put(category, new ArrayList<>());
        }
    }

    private static int[] union(final int[] own, final int[] other)
    {
        final Set<Integer> variables = new LinkedHashSet<>();
        for (final int variable : own)
        {
            variables.add(variable);
        }
        for (final int variable : other)
        {
            variables.add(variable);
        }
        return variables.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Account for one simulation step from {@code stepStartS} to {@code stepStartS + stepLengthS}, with
     * the simulation's lists after it.
     */
    void onStep(final double stepStartS, final double stepLengthS, final List<String> pending, final List<String> departedIds,
        final List<String> arrivedIds)
    {
        for (final String id : pending)
        {
            dueSinceS.putIfAbsent(id, stepStartS);
        }
        lastPending.clear();
        lastPending.addAll(pending);

        toSubscribe.clear();
        for (final String id : departedIds)
        {
            final Double due = dueSinceS.remove(id);
            final double departDelayS = due == null ? 0.0 : Math.max(0.0, stepStartS - due);
            // SUMO inserts during the step that starts at its depart time (tripinfo's depart)
            running.put(id, new Vehicle(id, stepStartS, departDelayS));
            departDelaySum += departDelayS;
            departed++;
            toSubscribe.add(id);
        }
        for (final String id : arrivedIds)
        {
            final Vehicle vehicle = running.remove(id);
            arrived++;
            if (vehicle == null)
            {
                continue; // not seen departing: nothing known about it
            }
            arrivedDelaySum += vehicle.delayS();
            arrivedTimeLossSum += vehicle.timeLossS;
            arrivedWaitingSum += vehicle.waitingS;
            final boolean justDeparted = toSubscribe.remove(id);
            if (justDeparted)
            {
                // in and out within one step: too short to ask its class; counted as background
                categories.get(VehicleCategory.BACKGROUND).departed++;
            }
            final CategorySums sums = categories.get(vehicle.category);
            sums.arrived++;
            sums.arrivedDelaySum += vehicle.delayS();
            // it left during the step that started at stepStartS: tripinfo's arrival
            sums.arrivedTravelSum += stepStartS - vehicle.departS;
            sums.arrivedStops += vehicle.stopsAtSignals;
            if (vehicle.delayS() > lateThresholdS)
            {
                sums.lateArrivals++;
            }
            if (vehicle.subscription != null)
            {
                traci.forget(vehicle.subscription);
            }
            if (vehicle.tracked)
            {
                tracker.arrived(id);
            }
        }
        final long step = traci.step();
        for (final Vehicle vehicle : running.values())
        {
            final VariableSubscription subscription = vehicle.subscription;
            if (subscription != null && subscription.updatedAtStep() == step)
            {
                vehicle.timeLossS = subscription.number(VAR_TIMELOSS);
                final double speed = subscription.number(VAR_SPEED);
                if (speed <= HALTING_SPEED_MPS)
                {
                    vehicle.waitingS += stepLengthS;
                }
                if (vehicle.category == VehicleCategory.EMERGENCY)
                {
                    if (vehicle.moving && speed <= HALTING_SPEED_MPS && signalLanes.contains(subscription.string(VAR_LANE_ID)))
                    {
                        vehicle.stopsAtSignals++;
                    }
                    vehicle.moving = speed > HALTING_SPEED_MPS;
                }
            }
        }
        if (!toSubscribe.isEmpty())
        {
            subscribeDeparted();
        }
    }

    /** Read the class of this step's departures (one request), then subscribe each category's variables. */
    private void subscribeDeparted()
    {
        final List<String> classes = traci.getStrings(CMD_GET_VEHICLE_VARIABLE, VAR_VEHICLECLASS, toSubscribe);
        for (final List<String> ids : byCategory.values())
        {
            ids.clear();
        }
        for (int i = 0; i < toSubscribe.size(); i++)
        {
            final VehicleCategory category = VehicleCategory.of(classes.get(i));
            final Vehicle vehicle = running.get(toSubscribe.get(i));
            vehicle.category = category;
            categories.get(category).departed++;
            byCategory.get(category).add(vehicle.id);
        }
        for (final Map.Entry<VehicleCategory, List<String>> entry : byCategory.entrySet())
        {
            final VehicleCategory category = entry.getKey();
            final List<String> ids = entry.getValue();
            if (ids.isEmpty())
            {
                continue;
            }
            final boolean tracked = tracker != null && tracker.tracks(category);
            final int[] variables = category == VehicleCategory.EMERGENCY
                ? (tracked ? trackedEmergencyVariables : EMERGENCY_VARIABLES)
                : (tracked ? trackedVariables : OWN_VARIABLES);
            final List<VariableSubscription> subscriptions = traci.subscribeAll(CMD_GET_VEHICLE_VARIABLE, ids, variables);
            for (final VariableSubscription subscription : subscriptions)
            {
                final Vehicle vehicle = running.get(subscription.objectId());
                vehicle.subscription = subscription;
                vehicle.timeLossS = subscription.number(VAR_TIMELOSS);
                vehicle.moving = subscription.number(VAR_SPEED) > HALTING_SPEED_MPS;
                vehicle.tracked = tracked;
            }
            if (tracked)
            {
                for (final VariableSubscription subscription : subscriptions)
                {
                    tracker.departed(subscription.objectId(), category, subscription);
                }
            }
        }
    }

    int running()
    {
        return running.size();
    }

    long departed()
    {
        return departed;
    }

    long arrived()
    {
        return arrived;
    }

    /** Vehicles due but still waiting to enter after the last step. */
    int pending()
    {
        return lastPending.size();
    }

    /** Mean delay so far over departed vehicles (those driving with their delay so far). */
    double meanDelaySoFarS()
    {
        double sum = arrivedDelaySum;
        for (final Vehicle vehicle : running.values())
        {
            sum += vehicle.delayS();
        }
        final long count = arrived + running.size();
        return count == 0 ? 0.0 : sum / count;
    }

    /** The totals at the end of a run at simulation time {@code endS}. */
    Totals totals(final double endS)
    {
        double delay = arrivedDelaySum;
        double timeLoss = arrivedTimeLossSum;
        double waiting = arrivedWaitingSum;
        for (final Vehicle vehicle : running.values())
        {
            delay += vehicle.delayS();
            timeLoss += vehicle.timeLossS;
            waiting += vehicle.waitingS;
        }
        double notInsertedWait = 0;
        for (final String id : lastPending)
        {
            final Double due = dueSinceS.get(id);
            notInsertedWait += due == null ? 0.0 : Math.max(0.0, endS - due);
        }
        final long notInserted = lastPending.size();
        final long vehicles = departed + notInserted;
        return new Totals(vehicles, departed, arrived, running.size(), notInserted,
            vehicles == 0 ? 0 : (delay + notInsertedWait) / vehicles,
            departed == 0 ? 0 : timeLoss / departed,
            vehicles == 0 ? 0 : (departDelaySum + notInsertedWait) / vehicles,
            departed == 0 ? 0 : waiting / departed);
    }

    /**
     * The figures of one category at the end of a run at simulation time {@code endS}: over its departed
     * vehicles, those still driving with their delay and travel time so far.
     */
    CategoryTotals totals(final VehicleCategory category, final double endS)
    {
        final CategorySums sums = categories.get(category);
        double delay = sums.arrivedDelaySum;
        double travel = sums.arrivedTravelSum;
        long stops = sums.arrivedStops;
        for (final Vehicle vehicle : running.values())
        {
            if (vehicle.category == category)
            {
                delay += vehicle.delayS();
                travel += endS - vehicle.departS;
                stops += vehicle.stopsAtSignals;
            }
        }
        final long vehicles = sums.departed;
        return new CategoryTotals(vehicles, sums.arrived, vehicles == 0 ? 0 : delay / vehicles, vehicles == 0 ? 0 : travel / vehicles,
            stops, sums.lateArrivals);
    }

    record Totals(long vehicles, long departed, long arrived, long unfinished, long notInserted, double meanDelayS, double meanTimeLossS,
        double meanDepartDelayS, double meanWaitingS)
    {
    }

    /**
     * @param vehicles       departed vehicles of the category.
     * @param arrived        of which arrived.
     * @param meanDelayS     mean timeLoss + departDelay.
     * @param meanTravelTimeS mean arrival - departure (so far, for those still driving).
     * @param stopsAtSignals stops on incoming lanes of lights (emergency vehicles only; 0 for the others).
     * @param lateArrivals   arrived with a delay above the late threshold.
     */
    record CategoryTotals(long vehicles, long arrived, double meanDelayS, double meanTravelTimeS, long stopsAtSignals, long lateArrivals)
    {
    }
}
