package kr.sejong.city.adapters.twin;

import kr.sejong.city.adapters.twin.traci.TraciClient;
import kr.sejong.city.adapters.twin.traci.VariableSubscription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static kr.sejong.city.adapters.twin.traci.TraciConstants.CMD_GET_VEHICLE_VARIABLE;
import static kr.sejong.city.adapters.twin.traci.TraciConstants.VAR_SPEED;
import static kr.sejong.city.adapters.twin.traci.TraciConstants.VAR_TIMELOSS;

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
 */
final class VehicleLedger
{
    /** SUMO's halting threshold, m/s. */
    static final double HALTING_SPEED_MPS = 0.1;

    private static final class Vehicle
    {
        final String id;
        final double departDelayS;
        double timeLossS;
        double waitingS;
        VariableSubscription subscription;

        Vehicle(final String id, final double departDelayS)
        {
            this.id = id;
            this.departDelayS = departDelayS;
        }

        double delayS()
        {
            return timeLossS + departDelayS;
        }
    }

    private final TraciClient traci;
    private final Map<String, Double> dueSinceS = new HashMap<>();
    private final Map<String, Vehicle> running = new LinkedHashMap<>();
    private final List<String> toSubscribe = new ArrayList<>();
    private final List<String> lastPending = new ArrayList<>();

    private long departed;
    private long arrived;
    private double arrivedDelaySum;
    private double arrivedTimeLossSum;
    private double departDelaySum;
    private double arrivedWaitingSum;

    VehicleLedger(final TraciClient traci)
    {
        this.traci = traci;
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
            running.put(id, new Vehicle(id, departDelayS));
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
            if (vehicle.subscription != null)
            {
                traci.forget(vehicle.subscription);
            }
            toSubscribe.remove(id);
        }
        final long step = traci.step();
        for (final Vehicle vehicle : running.values())
        {
            final VariableSubscription subscription = vehicle.subscription;
            if (subscription != null && subscription.updatedAtStep() == step)
            {
                vehicle.timeLossS = subscription.number(VAR_TIMELOSS);
                if (subscription.number(VAR_SPEED) <= HALTING_SPEED_MPS)
                {
                    vehicle.waitingS += stepLengthS;
                }
            }
        }
        if (!toSubscribe.isEmpty())
        {
            final List<VariableSubscription> subscriptions = traci.subscribeAll(CMD_GET_VEHICLE_VARIABLE, toSubscribe, VAR_TIMELOSS, VAR_SPEED);
            for (final VariableSubscription subscription : subscriptions)
            {
                final Vehicle vehicle = running.get(subscription.objectId());
                vehicle.subscription = subscription;
                vehicle.timeLossS = subscription.number(VAR_TIMELOSS);
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

    record Totals(long vehicles, long departed, long arrived, long unfinished, long notInserted, double meanDelayS, double meanTimeLossS,
        double meanDepartDelayS, double meanWaitingS)
    {
    }
}
