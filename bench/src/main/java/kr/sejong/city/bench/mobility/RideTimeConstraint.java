package kr.sejong.city.bench.mobility;

import com.graphhopper.jsprit.core.algorithm.ruin.listener.RuinListener;
import com.graphhopper.jsprit.core.algorithm.state.StateId;
import com.graphhopper.jsprit.core.algorithm.state.StateManager;
import com.graphhopper.jsprit.core.algorithm.state.StateUpdater;
import com.graphhopper.jsprit.core.problem.constraint.HardActivityConstraint;
import com.graphhopper.jsprit.core.problem.cost.VehicleRoutingActivityCosts;
import com.graphhopper.jsprit.core.problem.job.Job;
import com.graphhopper.jsprit.core.problem.misc.JobInsertionContext;
import com.graphhopper.jsprit.core.problem.solution.route.RouteVisitor;
import com.graphhopper.jsprit.core.problem.solution.route.VehicleRoute;
import com.graphhopper.jsprit.core.problem.solution.route.activity.DeliverShipment;
import com.graphhopper.jsprit.core.problem.solution.route.activity.DeliveryActivity;
import com.graphhopper.jsprit.core.problem.solution.route.activity.End;
import com.graphhopper.jsprit.core.problem.solution.route.activity.PickupActivity;
import com.graphhopper.jsprit.core.problem.solution.route.activity.TourActivity;
import com.graphhopper.jsprit.core.problem.vehicle.Vehicle;

import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ride-time promise as a hard constraint: a rider's in-vehicle time, from the start of the pickup activity
 * (boarding starts) to the start of the drop-off activity (arrival at the destination), is at most
 * {@code rideTimeFactor x direct + rideTimeOffsetS}, as {@link Limits} gives it per job and group (JspritOffline: the
 * fastest direct ride any group offers between the two stops, the dispatch loop's promise). jsprit 1.8 has no usable max-time-in-vehicle of its own (its {@code MaxTimeInVehicleConstraint} is
 * unfinished and fails with more than one vehicle type, jsprit issue 454), so this one is written here.
 * <p>
 * Riders already on board when a route starts ({@link JspritRolling}: jsprit Delivery jobs, loaded at the start) are held
 * to their promise by their delivery's time window; inserting such a delivery delays what follows it like a pickup
 * does, so it is checked against the riders on board at that point as a pickup is.
 * <p>
 * Exact, not a bound. Inserting a rider's pickup at position i and drop-off at position j (i &lt;= j) of a route
 * delays the arrival at the activity after each insertion by some delta; a delay propagates forward shrunk by the
 * waiting it meets (start shift at m = max(0, delta - waits from the delayed activity through m)). So:
 * <ul>
 *   <li>the new rider's own ride time is known when the drop-off is tried (jsprit propagates the times from the
 *   new pickup); if it is too long at position j it is too long at every later j as well (times only grow along a
 *   route), so the delivery loop stops there;</li>
 *   <li>riders on board at the arrival at the activity after the pickup (picked up before i, dropped off at or after
 *   it) have their drop-off delayed and their pickup not: checked when the pickup is tried;</li>
 *   <li>riders on board at the arrival at the activity after the drop-off: their drop-off is delayed by the total
 *   delay, their pickup by the delay from the new pickup if they board between i and j: checked when the drop-off
 *   is tried;</li>
 *   <li>every other rider is dropped off before the first delay or picked up after it: their drop-off moves by at
 *   most as much as their pickup, so their ride time does not grow.</li>
 * </ul>
 * The route's times, waits and riders on board are kept per route by this class as a jsprit state updater (a
 * {@link RouteVisitor} run whenever a route changes), computed with the same transport times and earliest starts
 * jsprit uses. Vehicle switching must be off (the state is for the route's own vehicle).
 * <p>
 * Removals: jsprit times a route as early as possible (a shuttle leaves a stop as soon as it can and waits only at a
 * pickup whose earliest time has not come). Taking a rider out of a route (jsprit's ruin step) makes later stops
 * earlier, and a rider on board can then board earlier but still arrive as late, behind a later pickup's earliest
 * time: a longer ride. jsprit assumes removals keep a solution feasible, so this class, as a ruin listener, takes out
 * of each ruined route, one at a time, the riders whose ride has become too long and hands them back for re-insertion.
 */
final class RideTimeConstraint implements HardActivityConstraint, StateUpdater, RouteVisitor, RuinListener
{
    private static final double EPS = 1e-6;

    /** Maximum ride time of a job for a fleet group. */
    interface Limits
    {
        double maxRideS(Job job, int group);
    }

    private final StateManager stateManager;
    private final StateId routeStateId;
    private final ShuttleCosts costs;
    private final VehicleRoutingActivityCosts activityCosts;
    private final Limits limits;

    RideTimeConstraint(final StateManager stateManager, final ShuttleCosts costs, final VehicleRoutingActivityCosts activityCosts, final Limits limits)
    {
        this.stateManager = stateManager;
        this.routeStateId = stateManager.createStateId("sejong-ride-times");
        this.costs = costs;
        this.activityCosts = activityCosts;
        this.limits = limits;
    }

    /** Times of a route as it is, and for every position the riders on board on arriving there. */
    static final class RouteTimes
    {
        final TourActivity[] acts;
        final double[] arrS;
        final double[] startS;
        /** Waiting (start - arrival) summed over positions 0..k. */
        final double[] waitSum;
        /** For a drop-off at position m: the position of its pickup, the rider's current ride time and limit. */
        final int[] pickupAt;
        final double[] rideS;
        final double[] limitS;
        /** For each position k: the drop-off positions m of the riders on board on arrival (pickup &lt; k &lt;= m). */
        final int[][] onBoard;

        RouteTimes(final int n)
        {
            acts = new TourActivity[n];
            arrS = new double[n];
            startS = new double[n];
            waitSum = new double[n];
            pickupAt = new int[n];
            rideS = new double[n];
            limitS = new double[n];
            onBoard = new int[n][];
        }

        double waitsFromThrough(final int from, final int through)
        {
            return waitSum[through] - (from > 0 ? waitSum[from - 1] : 0);
        }
    }

    @Override
    public void visit(final VehicleRoute route)
    {
        if (route.isEmpty())
        {
            return;
        }
        stateManager.putRouteState(route, routeStateId, compute(route, route.getVehicle()));
    }

    @Override
    public void ruinStarts(final Collection<VehicleRoute> routes)
    {
    }

    @Override
    public void removed(final Job job, final VehicleRoute fromRoute)
    {
    }

    @Override
    public void ruinEnds(final Collection<VehicleRoute> routes, final Collection<Job> unassignedJobs)
    {
        for (final VehicleRoute route : routes)
        {
            while (!route.isEmpty())
            {
                final RouteTimes rt = compute(route, route.getVehicle());
                Job tooLong = null;
                for (int m = 0; m < rt.acts.length && tooLong == null; m++)
                {
                    if (rt.pickupAt[m] >= 0 && rt.rideS[m] > rt.limitS[m] + EPS)
                    {
                        tooLong = ((TourActivity.JobActivity)rt.acts[m]).getJob();
                    }
                }
                if (tooLong == null)
                {
                    break;
                }
                route.getTourActivities().removeJob(tooLong);
                try
                {
                    unassignedJobs.add(tooLong);
                }
                catch (final UnsupportedOperationException ex)
                {
                    throw new IllegalStateException("a ruin strategy returned an unmodifiable collection", ex);
                }
            }
        }
    }

    RouteTimes compute(final VehicleRoute route, final Vehicle vehicle)
    {
        final List<TourActivity> list = route.getActivities();
        final int n = list.size();
        final int group = costs.group(vehicle);
        final RouteTimes rt = new RouteTimes(n);
        final Map<Job, Integer> pickups = new IdentityHashMap<>();
        TourActivity prev = route.getStart();
        double prevEnd = route.getDepartureTime();
        Arrays.fill(rt.pickupAt, -1);
        final int[] openCount = new int[n];
        for (int k = 0; k < n; k++)
        {
            final TourActivity act = list.get(k);
            rt.acts[k] = act;
            final double arr = prevEnd + costs.getTransportTime(prev.getLocation(), act.getLocation(), prevEnd, route.getDriver(), vehicle);
            final double start = Math.max(arr, act.getTheoreticalEarliestOperationStartTime());
            rt.arrS[k] = arr;
            rt.startS[k] = start;
            rt.waitSum[k] = (k > 0 ? rt.waitSum[k - 1] : 0) + (start - arr);
            prevEnd = start + activityCosts.getActivityDuration(act, arr, route.getDriver(), vehicle);
            prev = act;
            if (act instanceof PickupActivity)
            {
                pickups.put(((TourActivity.JobActivity)act).getJob(), k);
            }
            else if (act instanceof DeliveryActivity)
            {
                final Job job = ((TourActivity.JobActivity)act).getJob();
                final Integer p = pickups.get(job);
                if (p != null)
                {
                    rt.pickupAt[k] = p;
                    rt.rideS[k] = start - rt.startS[p];
                    rt.limitS[k] = limits.maxRideS(job, group);
                    for (int q = p + 1; q <= k; q++)
                    {
                        openCount[q]++;
                    }
                }
            }
        }
        for (int k = 0; k < n; k++)
        {
            rt.onBoard[k] = new int[openCount[k]];
            openCount[k] = 0;
        }
        for (int m = 0; m < n; m++)
        {
            final int p = rt.pickupAt[m];
            for (int q = p + 1; p >= 0 && q <= m; q++)
            {
                rt.onBoard[q][openCount[q]++] = m;
            }
        }
        return rt;
    }

    private RouteTimes times(final JobInsertionContext iFacts, final int index)
    {
        final VehicleRoute route = iFacts.getRoute();
        final List<TourActivity> list = route.getActivities();
        if (route.getVehicle() != iFacts.getNewVehicle())
        {
            throw new IllegalStateException("RideTimeConstraint needs vehicle switching off");
        }
        final RouteTimes rt = stateManager.getRouteState(route, routeStateId, RouteTimes.class);
        if (rt != null && rt.acts.length == list.size() && rt.acts[index] == list.get(index)
            && rt.acts[0] == list.get(0) && rt.acts[rt.acts.length - 1] == list.get(list.size() - 1))
        {
            return rt;
        }
        return compute(route, iFacts.getNewVehicle());
    }

    @Override
    public ConstraintsStatus fulfilled(final JobInsertionContext iFacts, final TourActivity prevAct, final TourActivity newAct,
        final TourActivity nextAct, final double prevActDepTime)
    {
        final Vehicle vehicle = iFacts.getNewVehicle();
        final double newArr = prevActDepTime + costs.getTransportTime(prevAct.getLocation(), newAct.getLocation(), prevActDepTime, iFacts.getNewDriver(), vehicle);
        final double newStart = Math.max(newArr, newAct.getTheoreticalEarliestOperationStartTime());
        final double newEnd = newStart + activityCosts.getActivityDuration(newAct, newArr, iFacts.getNewDriver(), vehicle);
        final boolean delivery = newAct instanceof DeliverShipment;
        if (delivery)
        {
            // the pickup's activity has no duration: its end is its start, when boarding begins
            final double pickupStart = iFacts.getRelatedActivityContext().getEndTime();
            final double ride = newStart - pickupStart;
            if (ride > limits.maxRideS(iFacts.getJob(), costs.group(vehicle)) + EPS)
            {
                return ConstraintsStatus.NOT_FULFILLED_BREAK;
            }
        }
        else if (!(newAct instanceof PickupActivity) && !(newAct instanceof DeliveryActivity))
        {
            return ConstraintsStatus.FULFILLED;
        }
        if (nextAct instanceof End)
        {
            return ConstraintsStatus.FULFILLED;
        }
        final int k = iFacts.getActivityContext().getInsertionIndex();
        final RouteTimes rt = times(iFacts, k);
        final double nextArr = newEnd + costs.getTransportTime(newAct.getLocation(), nextAct.getLocation(), newEnd, iFacts.getNewDriver(), vehicle);
        final double delay = nextArr - rt.arrS[k];
        if (delay <= EPS)
        {
            return ConstraintsStatus.FULFILLED;
        }
        // for a drop-off: the delay at the activity after the new pickup, which shifts pickups between the two
        int i = -1;
        double pickupDelay = 0;
        if (delivery)
        {
            i = iFacts.getRelatedActivityContext().getInsertionIndex();
            if (i < k)
            {
                final TourActivity pickupAct = iFacts.getAssociatedActivities().get(0);
                final double pickupEnd = iFacts.getRelatedActivityContext().getEndTime();
                final double arrAfterPickup = pickupEnd + costs.getTransportTime(pickupAct.getLocation(), rt.acts[i].getLocation(), pickupEnd, iFacts.getNewDriver(), vehicle);
                pickupDelay = Math.max(0, arrAfterPickup - rt.arrS[i]);
            }
        }
        for (final int m : rt.onBoard[k])
        {
            final double dropShift = Math.max(0, delay - rt.waitsFromThrough(k, m));
            double pickupShift = 0;
            final int p = rt.pickupAt[m];
            if (delivery && p >= i && i < k)
            {
                pickupShift = Math.max(0, pickupDelay - rt.waitsFromThrough(i, p));
            }
            if (rt.rideS[m] + dropShift - pickupShift > rt.limitS[m] + EPS)
            {
                return ConstraintsStatus.NOT_FULFILLED;
            }
        }
        return ConstraintsStatus.FULFILLED;
    }
}
