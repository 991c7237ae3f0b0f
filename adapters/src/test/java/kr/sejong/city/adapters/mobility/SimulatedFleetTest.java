package kr.sejong.city.adapters.mobility;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.ShuttleMode;
import kr.sejong.city.codecs.ShuttleStateDecoder;
import kr.sejong.city.codecs.StopAction;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loops.mobility.DepartureRule;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated fleet driven by hand-written plans, no loop: it drives the network's fastest paths at the
 * network's times (noise off), boards and alights at the right times, uses and charges energy, and follows a
 * plan that replaces another.
 */
class SimulatedFleetTest
{
    static final CityConfig CITY = ConfigLoader.loadDefault().config();
    static final ShuttleNetwork NETWORK = ShuttleNetwork.from(CITY);
    static final long SECOND_NS = 1_000_000_000L;
    static final long T0 = 1_780_000_000L * SECOND_NS;
    static final int ROAD = 0;
    static final int DWELL_S = CITY.mobility().service().dwellS();
    static final ShuttleScenario.Range EIGHTY_PERCENT = new ShuttleScenario.Range(80, 80);
    static final ShuttleScenario.Range NO_NOISE = new ShuttleScenario.Range(1, 1);

    /** A ShuttleState as the test reads it. */
    record State(long timeNs, int shuttleId, ShuttleMode mode, long lastStopId, int socPermille, int passengers, int speedCmPerS)
    {
    }

    final List<State> states = new ArrayList<>();
    final SimulatedFleet.StateSink sink = (timeNs, buffer, offset, length) ->
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        final ShuttleStateDecoder s = new ShuttleStateDecoder().wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version());
        states.add(new State(timeNs, (int)s.shuttleId(), s.mode(), s.lastStopId(), s.socPermille(), s.passengers(), s.speedCmPerS()));
    };

    static SimulatedFleet fleet()
    {
        return new SimulatedFleet(CITY, NETWORK, 7, EIGHTY_PERCENT, NO_NOISE);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(final Object value)
    {
        return (Map<String, Object>)value;
    }

    static long s(final double seconds)
    {
        return Math.round(seconds * 1e9);
    }

    static double timeS(final int fromStop, final int toStop)
    {
        return NETWORK.timeS(ROAD, NETWORK.index(fromStop), NETWORK.index(toStop));
    }

    static double distanceM(final int fromStop, final int toStop)
    {
        return NETWORK.distanceM(ROAD, NETWORK.index(fromStop), NETWORK.index(toStop));
    }

    List<State> of(final int shuttleId, final ShuttleMode mode)
    {
        return states.stream().filter(st -> st.shuttleId() == shuttleId && st.mode() == mode).toList();
    }

    static void assertNear(final long expectedNs, final long actualNs, final String what)
    {
        assertTrue(Math.abs(expectedNs - actualNs) < 1_000_000, what + ": expected " + expectedNs + ", was " + actualNs);
    }

    @Test
    void everyShuttleStartsIdleAtItsDepotAndReportsEveryMinute()
    {
        final SimulatedFleet fleet = fleet();
        fleet.start(T0, sink);
        assertEquals(20, states.size(), "12 road + 8 sidewalk shuttles");
        assertTrue(states.stream().allMatch(st -> st.mode() == ShuttleMode.IDLE && st.socPermille() == 800 && st.timeNs() == T0));
        assertEquals(31, of(1001, ShuttleMode.IDLE).get(0).lastStopId());
        assertEquals(32, of(2001, ShuttleMode.IDLE).get(0).lastStopId());
        fleet.advanceTo(T0 + 181 * SECOND_NS, sink);
        assertEquals(List.of(T0, T0 + 60 * SECOND_NS, T0 + 120 * SECOND_NS, T0 + 180 * SECOND_NS),
            of(1005, ShuttleMode.IDLE).stream().map(State::timeNs).toList());
    }

    @Test
    void aPickupAndDropOffHappenAtTheRightTimesWithTheEnergyOfTheDistance()
    {
        final SimulatedFleet fleet = fleet();
        fleet.start(T0, sink);
        final long earliest = T0 + 30 * SECOND_NS; // the shuttle needs longer than this to reach stop 21
        fleet.rider(1, earliest, 2, 0, RideDemand.Ride.NOT_CANCELLED);
        fleet.plan(1001, List.of(
            new SimulatedFleet.PlanStop(21, StopAction.PICKUP, 1, 0),
            new SimulatedFleet.PlanStop(13, StopAction.DROPOFF, 1, 0)), T0, sink);
        assertEquals(ShuttleMode.EN_ROUTE, of(1001, ShuttleMode.EN_ROUTE).get(0).mode());
        assertEquals(31, of(1001, ShuttleMode.EN_ROUTE).get(0).lastStopId(), "the stop it left");
        fleet.advanceTo(T0 + 3600 * SECOND_NS, sink);

        final long atPickup = T0 + s(timeS(31, 21));
        final long leavesPickup = atPickup + DWELL_S * SECOND_NS;
        final long atDropoff = leavesPickup + s(timeS(21, 13));
        final SimulatedFleet.RiderLog rider = fleet.riderLog(1);
        assertNear(atPickup, rider.pickupNs(), "pickup");
        assertEquals(21, rider.pickupStopId());
        assertNear(atDropoff, rider.dropoffNs(), "drop-off");
        assertEquals(13, rider.dropoffStopId());
        assertEquals(1001, rider.shuttleId());

        final List<State> dwelling = of(1001, ShuttleMode.DWELLING);
        assertEquals(2, dwelling.size(), dwelling.toString());
        assertEquals(21, dwelling.get(0).lastStopId());
        assertEquals(0, dwelling.get(0).passengers(), "on arrival: the party boards during the dwell");
        assertEquals(13, dwelling.get(1).lastStopId());
        assertEquals(0, dwelling.get(1).passengers());
        final List<State> enRoute = of(1001, ShuttleMode.EN_ROUTE);
        assertEquals(2, enRoute.size(), "left the depot, then the pickup stop");
        assertNear(leavesPickup, enRoute.get(1).timeNs(), "departure after the dwell");
        assertEquals(21, enRoute.get(1).lastStopId());
        assertEquals(2, enRoute.get(1).passengers(), "the party on board");
        assertTrue(enRoute.get(1).speedCmPerS() > 0);
        final State idle = of(1001, ShuttleMode.IDLE).get(1);
        assertNear(atDropoff + DWELL_S * SECOND_NS, idle.timeNs(), "idle after the last dwell");

        final double km = (distanceM(31, 21) + distanceM(21, 13)) / 1000;
        final Map<String, Object> f = fleet.figures(T0 + 3600 * SECOND_NS);
        assertEquals(Math.round(km * 100) / 100.0, (Double)f.get("vehicleKm"), 0.011);
        assertEquals(Math.round(distanceM(31, 21) / 10) / 100.0, (Double)f.get("emptyKm"), 0.011, "empty until the pickup");
        final double kwh = km * CITY.mobility().fleet().get(0).consumptionKwhPerKm();
        assertEquals(kwh, (Double)f.get("energyKwh"), 0.011);
        final int socPermille = (int)Math.round((64 - kwh) / 80 * 1000);
        assertEquals(socPermille, idle.socPermille(), "80 % of 80 kWh less what the drive took");
    }

    @Test
    void aShuttleThatComesEarlyWaitsForItsRider()
    {
        final SimulatedFleet fleet = fleet();
        fleet.start(T0, sink);
        final long earliest = T0 + 600 * SECOND_NS;
        fleet.rider(1, earliest, 1, 1, RideDemand.Ride.NOT_CANCELLED);
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(21, StopAction.PICKUP, 1, earliest),
            new SimulatedFleet.PlanStop(1, StopAction.DROPOFF, 1, 0)), T0, sink);
        fleet.advanceTo(T0 + 3600 * SECOND_NS, sink);
        assertEquals(earliest, fleet.riderLog(1).pickupNs());
        assertNear(earliest + DWELL_S * SECOND_NS, of(1001, ShuttleMode.EN_ROUTE).get(1).timeNs(), "leaves a dwell after the rider boards");
    }

    @Test
    void aStandingShuttleLeavesForAFarFirstVisitOfPickupsOnlyWhenTheDepartureRuleLetsItAndMayBeSentElsewhereMeanwhile()
    {
        final SimulatedFleet fleet = fleet();
        fleet.start(T0, sink);
        final long earliest = T0 + 900 * SECOND_NS;
        fleet.rider(1, earliest, 1, 0, RideDemand.Ride.NOT_CANCELLED);
        fleet.rider(2, earliest, 1, 0, RideDemand.Ride.NOT_CANCELLED);
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(21, StopAction.PICKUP, 1, earliest, earliest),
            new SimulatedFleet.PlanStop(1, StopAction.DROPOFF, 1, 0)), T0, sink);
        fleet.advanceTo(T0 + 300 * SECOND_NS, sink);
        assertEquals(List.of(), of(1001, ShuttleMode.EN_ROUTE), "still at the depot: rider 1 boards at 900 s");

        // the plan changes its first stop while the shuttle stands: it goes where the new plan says, when the rule says
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(22, StopAction.PICKUP, 2, earliest, earliest),
            new SimulatedFleet.PlanStop(1, StopAction.DROPOFF, 2, 0)), T0 + 300 * SECOND_NS, sink);
        fleet.advanceTo(T0 + 3600 * SECOND_NS, sink);
        final long leaves = DepartureRule.leaveNs(earliest, timeS(31, 22));
        assertTrue(leaves > T0 + 300 * SECOND_NS);
        assertEquals(leaves, of(1001, ShuttleMode.EN_ROUTE).get(0).timeNs(), "leaves the depot by DepartureRule");
        assertTrue(of(1001, ShuttleMode.DWELLING).get(0).timeNs() <= earliest, "and is there before the rider may board");
        assertEquals(earliest, fleet.riderLog(2).pickupNs());
        assertEquals(22, fleet.riderLog(2).pickupStopId());
        final Map<String, Object> plans = castMap(castMap(fleet.figures(T0 + 3600 * SECOND_NS)).get("plans"));
        assertEquals(0L, plans.get("firstStopChangedWhileDriving"));
        final Map<String, Object> held = castMap(fleet.figures(T0 + 3600 * SECOND_NS).get("heldDepartures"));
        assertEquals(1L, held.get("departures"));
    }

    @Test
    void aShuttleDoneWithAVisitReportsItsDepartureThenWaitsThereForAFarFirstVisitOfPickups()
    {
        final SimulatedFleet fleet = fleet();
        fleet.start(T0, sink);
        final long later = T0 + 1500 * SECOND_NS;
        fleet.rider(1, T0, 1, 0, RideDemand.Ride.NOT_CANCELLED);
        fleet.rider(2, later, 1, 0, RideDemand.Ride.NOT_CANCELLED);
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(21, StopAction.PICKUP, 1, 0, T0),
            new SimulatedFleet.PlanStop(13, StopAction.DROPOFF, 1, 0),
            new SimulatedFleet.PlanStop(22, StopAction.PICKUP, 2, later, later),
            new SimulatedFleet.PlanStop(1, StopAction.DROPOFF, 2, 0)), T0, sink);
        fleet.advanceTo(T0 + 3600 * SECOND_NS, sink);
        final long atDropoff = fleet.riderLog(1).dropoffNs();
        final List<State> enRoute = of(1001, ShuttleMode.EN_ROUTE);
        // left the depot, left stop 21, left stop 13 (reported at the end of its dwell), drove on from 13, left 22
        assertEquals(5, enRoute.size(), enRoute.toString());
        assertEquals(0, enRoute.get(2).speedCmPerS(), "standing at 13");
        assertNear(atDropoff + DWELL_S * SECOND_NS, enRoute.get(2).timeNs(), "the departure from the visit at 13");
        assertEquals(13, enRoute.get(2).lastStopId());
        assertEquals(DepartureRule.leaveNs(later, timeS(13, 22)), enRoute.get(3).timeNs(), "and the drive on when the rule lets it go");
        assertEquals(later, fleet.riderLog(2).pickupNs());
    }

    @Test
    void theLoopCanHoldABoardingAndAPlanDuringTheDwellDecidesWhoBoards()
    {
        final SimulatedFleet fleet = fleet();
        fleet.start(T0, sink);
        fleet.rider(1, T0, 1, 0, RideDemand.Ride.NOT_CANCELLED);
        fleet.rider(2, T0, 1, 0, RideDemand.Ride.NOT_CANCELLED);
        final long held = T0 + 900 * SECOND_NS;
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(21, StopAction.PICKUP, 1, held, held),
            new SimulatedFleet.PlanStop(21, StopAction.PICKUP, 2, 0, SimulatedFleet.PlanStop.NO_TIME),
            new SimulatedFleet.PlanStop(1, StopAction.DROPOFF, 1, 0), new SimulatedFleet.PlanStop(1, StopAction.DROPOFF, 2, 0)), T0, sink);
        fleet.advanceTo(T0 + 600 * SECOND_NS, sink);
        final long arrival = of(1001, ShuttleMode.DWELLING).get(0).timeNs();
        assertEquals(1, of(1001, ShuttleMode.EN_ROUTE).size(), "still at stop 21: rider 1 is held until " + held);

        // at 600 s the loop moves rider 1 to a later visit: rider 2 boards, the shuttle leaves now (its dwell is long over)
        final long replanNs = T0 + 600 * SECOND_NS;
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(21, StopAction.PICKUP, 2, 0, SimulatedFleet.PlanStop.NO_TIME),
            new SimulatedFleet.PlanStop(1, StopAction.DROPOFF, 2, 0), new SimulatedFleet.PlanStop(22, StopAction.PICKUP, 1, 0, held)), replanNs, sink);
        fleet.advanceTo(replanNs + 1, sink);
        assertEquals(replanNs, of(1001, ShuttleMode.EN_ROUTE).get(1).timeNs());
        assertEquals(arrival, fleet.riderLog(2).pickupNs(), "rider 2 boarded from the arrival");
        assertEquals(-1, fleet.riderLog(1).pickupNs(), "rider 1 boards at stop 22, later");
        fleet.advanceTo(T0 + 3600 * SECOND_NS, sink);
        assertEquals(held, fleet.riderLog(1).pickupNs(), "not before the loop's notBefore");
        assertEquals(22, fleet.riderLog(1).pickupStopId());
    }

    @Test
    void aRebalanceStopIsPassedThroughWithItsDepartureStateReportedOnArrival()
    {
        final SimulatedFleet fleet = fleet();
        fleet.start(T0, sink);
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(29, StopAction.REBALANCE, 0, 0), new SimulatedFleet.PlanStop(24, StopAction.REBALANCE, 0, 0)),
            T0, sink);
        fleet.advanceTo(T0 + 3600 * SECOND_NS, sink);
        assertTrue(of(1001, ShuttleMode.DWELLING).isEmpty(), "no dwell");
        final List<State> rebalancing = of(1001, ShuttleMode.REBALANCING);
        assertEquals(List.of(31L, 29L), rebalancing.stream().map(State::lastStopId).toList(), "left the depot, then passed stop 29");
        assertNear(T0 + s(timeS(31, 29)), rebalancing.get(1).timeNs(), "reported on arrival at 29");
        final State idle = of(1001, ShuttleMode.IDLE).get(1);
        assertEquals(24, idle.lastStopId(), "idle where the plan ends");
        assertNear(rebalancing.get(1).timeNs() + s(timeS(29, 24)), idle.timeNs(), "no dwell at 29");
    }

    @Test
    void aShuttleChargesAtTheChargersPowerUpToFullAndTheNextInLineWaits()
    {
        final SimulatedFleet fleet = fleet();
        fleet.start(T0, sink);
        states.clear();
        // both at the road depot, both sent to fast charger 1 (100 kW)
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(31, StopAction.CHARGE, 1, 0)), T0, sink);
        fleet.plan(1002, List.of(new SimulatedFleet.PlanStop(31, StopAction.CHARGE, 1, 0)), T0, sink);
        assertEquals(ShuttleMode.CHARGING, states.get(0).mode());
        assertEquals(ShuttleMode.IDLE, states.get(1).mode(), "the charger is in use: 1002 waits");
        fleet.advanceTo(T0 + 301 * SECOND_NS, sink);
        final State after5Min = of(1001, ShuttleMode.CHARGING).stream().filter(st -> st.timeNs() == T0 + 300 * SECOND_NS).findFirst().orElseThrow();
        assertEquals(Math.round((64 + 100.0 * 300 / 3600) / 80 * 1000), after5Min.socPermille(), "100 kW for 5 minutes");
        fleet.advanceTo(T0 + 1201 * SECOND_NS, sink);
        assertEquals(1000, of(1001, ShuttleMode.CHARGING).get(of(1001, ShuttleMode.CHARGING).size() - 1).socPermille(), "full, not beyond");

        fleet.plan(1001, List.of(), T0 + 1300 * SECOND_NS, sink);
        final List<State> charging1002 = of(1002, ShuttleMode.CHARGING);
        assertEquals(1, charging1002.size());
        assertEquals(T0 + 1300 * SECOND_NS, charging1002.get(0).timeNs(), "1002 plugs in when 1001 leaves");
        final Map<String, Object> f = fleet.figures(T0 + 1300 * SECOND_NS);
        assertEquals(2L, f.get("chargingSessions"));
        assertEquals(16.0, (Double)f.get("chargedKwh"), 0.01, "1001 from 64 to 80 kWh");
        assertEquals(1L, ((Map<?, ?>)f.get("plans")).get("waitsForABusyCharger"));
    }

    @Test
    void aReplacedPlanIsFollowedFromTheEndOfTheCurrentEdgeAndEntriesAlreadyDoneAreDropped()
    {
        final SimulatedFleet fleet = fleet();
        fleet.start(T0, sink);
        fleet.rider(1, T0, 1, 0, RideDemand.Ride.NOT_CANCELLED);
        fleet.rider(2, T0, 1, 0, RideDemand.Ride.NOT_CANCELLED);
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(21, StopAction.PICKUP, 1, 0),
            new SimulatedFleet.PlanStop(1, StopAction.DROPOFF, 1, 0)), T0, sink);
        // ten seconds later, on the first edge (depot to Ring Southwest), the loop changes its mind: stop 4 first
        fleet.advanceTo(T0 + 10 * SECOND_NS, sink);
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(4, StopAction.PICKUP, 2, 0),
            new SimulatedFleet.PlanStop(5, StopAction.DROPOFF, 2, 0)), T0 + 10 * SECOND_NS, sink);
        fleet.advanceTo(T0 + 3600 * SECOND_NS, sink);
        assertEquals(List.of(4L, 5L), of(1001, ShuttleMode.DWELLING).stream().map(State::lastStopId).toList(), "never went to 21");
        final int ringSouthwest = NETWORK.index(106);
        final long firstEdgeEnd = T0 + s(NETWORK.timeS(ROAD, NETWORK.index(31), ringSouthwest));
        assertNear(firstEdgeEnd + s(NETWORK.timeS(ROAD, ringSouthwest, NETWORK.index(4))), fleet.riderLog(2).pickupNs(),
            "the first edge finished, then the fastest path to stop 4");
        assertEquals(-1, fleet.riderLog(1).pickupNs());

        // a plan sent before the loop saw the drop-off still lists it: dropped, counted, nothing happens
        final long later = T0 + 3600 * SECOND_NS;
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(5, StopAction.DROPOFF, 2, 0)), later, sink);
        fleet.advanceTo(later + 120 * SECOND_NS, sink);
        final Map<?, ?> plans = (Map<?, ?>)fleet.figures(later).get("plans");
        assertEquals(1L, plans.get("firstStopChangedWhileDriving"));
        assertEquals(1L, plans.get("entriesAlreadyDone"));
        assertEquals(0L, plans.get("dropoffsOfRidersNotOnBoard"));
    }

    /**
     * A plan sent before the loop read the departure still leads with the visit just left, a cancelled rider's pickup
     * there kept as a stop with nobody to board (REBALANCE): that is done too, the shuttle keeps driving to its next stop.
     */
    @Test
    void theStopJustLeftAtTheHeadOfALatePlanIsDoneNotDrivenBackTo()
    {
        final SimulatedFleet fleet = fleet();
        fleet.start(T0, sink);
        fleet.rider(1, T0, 1, 0, RideDemand.Ride.NOT_CANCELLED);
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(21, StopAction.REBALANCE, 0, 0),
            new SimulatedFleet.PlanStop(21, StopAction.PICKUP, 1, 0),
            new SimulatedFleet.PlanStop(13, StopAction.DROPOFF, 1, 0)), T0, sink);
        final long leaves = T0 + s(timeS(31, 21)) + DWELL_S * SECOND_NS;
        fleet.advanceTo(leaves + 5 * SECOND_NS, sink);
        final List<State> enRoute = of(1001, ShuttleMode.EN_ROUTE);
        assertEquals(21, enRoute.get(enRoute.size() - 1).lastStopId(), "left stop 21 with the rider");
        // the loop, not yet aware, sends the plan with the visit at 21 still first
        fleet.plan(1001, List.of(new SimulatedFleet.PlanStop(21, StopAction.REBALANCE, 0, 0),
            new SimulatedFleet.PlanStop(21, StopAction.PICKUP, 1, 0),
            new SimulatedFleet.PlanStop(13, StopAction.DROPOFF, 1, 0)), leaves + 5 * SECOND_NS, sink);
        fleet.advanceTo(T0 + 3600 * SECOND_NS, sink);
        assertEquals(List.of(21L, 13L), of(1001, ShuttleMode.DWELLING).stream().map(State::lastStopId).toList(), "never back to 21");
        assertNear(leaves + s(timeS(21, 13)), fleet.riderLog(1).dropoffNs(), "straight on to the drop-off");
        final Map<?, ?> plans = (Map<?, ?>)fleet.figures(T0 + 3600 * SECOND_NS).get("plans");
        assertEquals(0L, plans.get("firstStopChangedWhileDriving"));
        assertEquals(2L, plans.get("entriesAlreadyDone"), "the pickup and the stop kept with nobody to board");
    }

    @Test
    void whatAPlanGetsWrongIsCountedNotFixed()
    {
        final SimulatedFleet fleet = fleet();
        fleet.start(T0, sink);
        fleet.rider(1, T0, 3, 0, T0 - SECOND_NS); // cancelled before the plan came
        fleet.rider(2, T0, 7, 0, RideDemand.Ride.NOT_CANCELLED); // six seats on a sidewalk shuttle
        fleet.plan(2001, List.of(new SimulatedFleet.PlanStop(26, StopAction.PICKUP, 1, 0), new SimulatedFleet.PlanStop(26, StopAction.PICKUP, 2, 0),
            new SimulatedFleet.PlanStop(26, StopAction.DROPOFF, 99, 0), new SimulatedFleet.PlanStop(777, StopAction.DROPOFF, 2, 0),
            new SimulatedFleet.PlanStop(14, StopAction.DROPOFF, 2, 0)), T0, sink);
        fleet.plan(4242, List.of(), T0, sink);
        fleet.advanceTo(T0 + 3600 * SECOND_NS, sink);
        final Map<?, ?> plans = (Map<?, ?>)fleet.figures(T0 + 3600 * SECOND_NS).get("plans");
        assertEquals(1L, plans.get("pickupsOfCancelledRiders"));
        assertEquals(1L, plans.get("boardingsBeyondCapacity"));
        assertEquals(1L, plans.get("unknownRequests"));
        assertEquals(1L, plans.get("unknownStops"));
        assertEquals(1L, plans.get("stopsTheGroupCannotReach"), "BRT Hapgang East has no pedestrian passage");
        assertEquals(1L, plans.get("forUnknownShuttles"));
        assertEquals(1, fleet.ridersOnBoard(), "the party of 7 is still on board");
        assertFalse(of(2001, ShuttleMode.IDLE).isEmpty());
    }

    @Test
    void theSamePlansGiveTheSameReports()
    {
        final List<List<State>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++)
        {
            states.clear();
            final SimulatedFleet fleet = new SimulatedFleet(CITY, NETWORK, 11, new ShuttleScenario.Range(50, 100), new ShuttleScenario.Range(1, 1.25));
            fleet.start(T0, sink);
            fleet.rider(1, T0 + 60 * SECOND_NS, 1, 0, RideDemand.Ride.NOT_CANCELLED);
            fleet.plan(1003, List.of(new SimulatedFleet.PlanStop(27, StopAction.PICKUP, 1, 0), new SimulatedFleet.PlanStop(11, StopAction.DROPOFF, 1, 0)),
                T0, sink);
            fleet.advanceTo(T0 + 1800 * SECOND_NS, sink);
            runs.add(List.copyOf(states));
        }
        assertEquals(runs.get(0), runs.get(1));
        assertTrue(runs.get(0).stream().anyMatch(st -> st.mode() == ShuttleMode.DWELLING && st.lastStopId() == 11));
    }
}
