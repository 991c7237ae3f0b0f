package kr.sejong.city.core.loops.mobility;

import kr.sejong.city.codecs.PlanReason;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.codecs.RideAssignmentDecoder;
import kr.sejong.city.codecs.RideRejectReason;
import kr.sejong.city.codecs.RideRejectionDecoder;
import kr.sejong.city.codecs.ShuttleMode;
import kr.sejong.city.codecs.ShuttlePlanDecoder;
import kr.sejong.city.codecs.StopAction;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.config.Stop;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static kr.sejong.city.core.loops.mobility.DispatchDriver.S;
import static kr.sejong.city.core.loops.mobility.DispatchDriver.assignment;
import static kr.sejong.city.core.loops.mobility.DispatchDriver.at;
import static kr.sejong.city.core.loops.mobility.DispatchDriver.only;
import static kr.sejong.city.core.loops.mobility.DispatchDriver.plan;
import static kr.sejong.city.core.loops.mobility.DispatchDriver.rejection;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatch loop on the default city (config/sejong-5-1.yaml: 12 road shuttles 1001-1012 at depot 31, 8 sidewalk
 * shuttles 2001-2008 at depot 32), clock in the test's hands, with a perfect fleet from {@link DispatchDriver}.
 */
class DispatchLoopTest
{
    static final CityConfig CITY = ConfigLoader.loadDefault().config();
    static final long EIGHT = at(8, 0);
    // stops of the default city
    static final int COMMUNITY_CENTER = 1;
    static final int SHOPPING = 2;
    static final int MEDICAL = 3;
    static final int BRT_HAPGANG_WEST = 11;
    static final int BRT_51_WEST = 12;
    static final int BRT_HAPGANG_EAST = 14;
    static final int INNER_5 = 25;
    static final int OUTER_SW = 29;
    static final int OUTER_NE = 27;
    static final int ROAD_DEPOT = 31;

    /** The default city with another dispatch policy (the promises unchanged). */
    static CityConfig withPolicy(final double waitCostMPerS, final double newShuttleCostM, final boolean rebalancing)
    {
        return CITY.withDispatchPolicy(waitCostMPerS, newShuttleCostM, rebalancing);
    }

    private static DispatchDriver started()
    {
        final DispatchDriver d = new DispatchDriver(CITY, EIGHT);
        d.startFleet(90);
        return d;
    }

    @Test
    void aRequestGoesToTheShuttleThatPicksUpSoonestAndItsPlanIsTimedByTheGraph()
    {
        final DispatchDriver d = started();
        // from Outer Block Southwest to BRT Hapgang West: only road shuttles reach the outer blocks
        final List<byte[]> frames = d.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT, 2, 0);
        final List<byte[]> assignments = only(frames, RideAssignmentDecoder.TEMPLATE_ID);
        assertEquals(1, assignments.size());
        final RideAssignmentDecoder a = assignment(assignments.get(0));
        // every road shuttle stands at the depot: the tie goes to the lowest id
        assertEquals(1001, a.shuttleId());
        assertEquals(OUTER_SW, a.pickupStopId());
        assertEquals(BRT_HAPGANG_WEST, a.dropoffStopId());
        final ShuttleNetwork net = d.network;
        final int g = 0;
        final long driveToPickup = (long)(net.timeS(g, net.stopIndex(ROAD_DEPOT), net.stopIndex(OUTER_SW)) * S);
        final long ride = (long)(net.timeS(g, net.stopIndex(OUTER_SW), net.stopIndex(BRT_HAPGANG_WEST)) * S);
        assertEquals(EIGHT + driveToPickup, a.pickupEtaNs());
        assertEquals(EIGHT + driveToPickup + 30 * S + ride, a.dropoffEtaNs());

        final ShuttlePlanDecoder p = plan(only(frames, ShuttlePlanDecoder.TEMPLATE_ID).get(0));
        assertEquals(1001, p.shuttleId());
        assertEquals(PlanReason.ASSIGNMENT, p.reason());
        final List<String> stops = new ArrayList<>();
        for (final ShuttlePlanDecoder.StopsDecoder stop : p.stops())
        {
            stops.add(stop.stopId() + ":" + stop.action() + ":" + stop.requestId());
        }
        assertEquals(List.of(OUTER_SW + ":PICKUP:1", BRT_HAPGANG_WEST + ":DROPOFF:1"), stops);
    }

    @Test
    void ridesGoingTheSameWayShareAShuttleAndTheFleetDeliversThemWithinThePromises()
    {
        final DispatchDriver d = started();
        d.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT + 300 * S, 1, 0);
        d.ask(2, OUTER_SW, BRT_HAPGANG_WEST, EIGHT + 360 * S, 1, 0);
        assertEquals(d.promised.get(1L)[2], d.promised.get(2L)[2], "the second rider joins the first one's shuttle");
        d.run(EIGHT + 3600 * S);
        assertEquals(List.of(), d.violations);
        assertEquals(2, d.served.size());
        for (final long[] times : d.served.values())
        {
            assertTrue(times[1] > times[0], "delivered after pickup");
        }
    }

    @Test
    void aRideGoesToAShuttleOnTheRoadUnlessStartingAnotherSavesMoreThanTheNewShuttleCost()
    {
        final Mobility.Service service = CITY.mobility().service();
        assertTrue(service.newShuttleCostM() > 0, "the default city charges for starting a shuttle");
        // every road shuttle at the depot; 1001 takes a ride from Outer Block Southwest to BRT Hapgang West, then one
        // from the Medical Mall to BRT Hapgang East comes at the same time: on the other side of the ring
        final DispatchDriver joined = started();
        joined.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT + 300 * S, 1, 0);
        joined.ask(2, MEDICAL, BRT_HAPGANG_EAST, EIGHT + 300 * S, 1, 0);
        assertEquals(1001, joined.promised.get(1L)[2]);
        assertEquals(1001, joined.promised.get(2L)[2], "the second ride joins the shuttle already on the road");
        joined.run(EIGHT + 3600 * S);
        assertEquals(List.of(), joined.violations);
        assertEquals(2, joined.served.size());

        // with nothing charged for starting a shuttle, a second one from the depot adds fewer metres
        final DispatchDriver apart = new DispatchDriver(withPolicy(service.waitCostMPerS(), 0, service.rebalancing()), EIGHT);
        apart.startFleet(90);
        apart.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT + 300 * S, 1, 0);
        apart.ask(2, MEDICAL, BRT_HAPGANG_EAST, EIGHT + 300 * S, 1, 0);
        assertEquals(1001, apart.promised.get(1L)[2]);
        assertEquals(1002, apart.promised.get(2L)[2]);
    }

    @Test
    void capacityAndWheelchairPlacesAreNeverExceeded()
    {
        final DispatchDriver d = started();
        d.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT, 15, 0);        // a full road shuttle
        d.ask(2, OUTER_SW, BRT_HAPGANG_WEST, EIGHT, 1, 1);         // cannot join it
        d.ask(3, OUTER_SW, BRT_HAPGANG_WEST, EIGHT + 10 * S, 1, 1); // a second wheelchair: one place per shuttle
        // never on board together: another shuttle, or the same one after the first has alighted
        assertApart(d, 1, 2);
        assertApart(d, 2, 3);
        d.run(EIGHT + 3600 * S);
        assertEquals(List.of(), d.violations);
        assertEquals(3, d.served.size());
    }

    /** Rides a and b are promised to different shuttles, or one rides after the other has been dropped off. */
    private static void assertApart(final DispatchDriver d, final long a, final long b)
    {
        final long[] pa = d.promised.get(a);
        final long[] pb = d.promised.get(b);
        assertTrue(pa[2] != pb[2] || pb[0] >= pa[1] || pa[0] >= pb[1],
            "rides " + a + " and " + b + " on shuttle " + pa[2] + ": " + Arrays.toString(pa) + " " + Arrays.toString(pb));
    }

    @Test
    void aRequestNoShuttleCanReachInTimeIsRejectedWithItsReason()
    {
        final DispatchDriver d = new DispatchDriver(CITY, EIGHT); // no shuttle has reported: none can be planned
        final List<byte[]> frames = d.ask(1, SHOPPING, MEDICAL, EIGHT, 1, 0);
        final RideRejectionDecoder r = rejection(only(frames, RideRejectionDecoder.TEMPLATE_ID).get(0));
        assertEquals(1, r.requestId());
        assertEquals(RideRejectReason.NO_FEASIBLE_SHUTTLE, r.reason());
        final String detail = r.detail();
        assertTrue(detail.contains("Central Shopping Street"), detail);
        assertTrue(only(frames, ShuttlePlanDecoder.TEMPLATE_ID).isEmpty());
    }

    @Test
    void aPositionIsServedAtTheNearestStopWithinWalkingDistance()
    {
        final DispatchDriver d = started();
        // 50 m from the Medical Mall (330, -220)
        final RideAssignmentDecoder a = assignment(only(d.requestAt(1, 360, -180, COMMUNITY_CENTER, EIGHT), RideAssignmentDecoder.TEMPLATE_ID).get(0));
        assertEquals(MEDICAL, a.pickupStopId());
        final RideRejectionDecoder r = rejection(only(d.requestAt(2, 1400, 1400, COMMUNITY_CENTER, EIGHT), RideRejectionDecoder.TEMPLATE_ID).get(0));
        assertEquals(RideRejectReason.UNREACHABLE, r.reason());
        assertEquals("origin position (1400 m east, 1400 m north) is more than 400 m from any stop", r.detail());
    }

    // ------------------------------------------------------------------------------------------ bad input

    @Test
    void everyKindOfBadRequestIsRejectedByNameAndChangesNothing()
    {
        final DispatchDriver d = started();
        assertRejected(d.request(11, 999, MEDICAL, EIGHT, 1, 0), RideRejectReason.UNKNOWN_STOP, "origin stop 999 is not a stop riders can use");
        assertRejected(d.request(12, SHOPPING, 101, EIGHT, 1, 0), RideRejectReason.UNKNOWN_STOP, "destination stop 101 is not a stop riders can use");
        assertRejected(d.request(13, ROAD_DEPOT, MEDICAL, EIGHT, 1, 0), RideRejectReason.UNKNOWN_STOP, "origin stop 31 is not a stop riders can use");
        assertRejected(d.request(14, SHOPPING, MEDICAL, EIGHT - 600 * S, 1, 0), RideRejectReason.PICKUP_IN_PAST, "earliest pickup is 600 s before now");
        assertRejected(d.request(15, SHOPPING, MEDICAL, EIGHT, 16, 0), RideRejectReason.PARTY_TOO_LARGE,
            "a party of 16 is larger than any shuttle serving this ride (15 places)");
        assertRejected(d.request(16, SHOPPING, MEDICAL, EIGHT, 2, 2), RideRejectReason.NO_WHEELCHAIR_PLACE,
            "2 wheelchairs: the shuttles serving this ride have 1 place(s)");
        assertRejected(d.request(17, SHOPPING, MEDICAL, EIGHT, 0, 0), RideRejectReason.INVALID_REQUEST, "partySize must be at least 1, was 0");
        assertRejected(d.request(18, SHOPPING, MEDICAL, EIGHT, 1, 2), RideRejectReason.INVALID_REQUEST, "wheelchairs (2) must not exceed partySize (1)");
        assertRejected(d.request(19, SHOPPING, SHOPPING, EIGHT, 1, 0), RideRejectReason.INVALID_REQUEST,
            "origin and destination are the same stop, 2 (Central Shopping Street)");
        assertRejected(d.request(20, SHOPPING, MEDICAL, at(3, 0) + 86_400 * S, 1, 0), RideRejectReason.OUTSIDE_SERVICE_HOURS,
            "earliest pickup at 03:00 is outside the service hours 6:00-24:00");
        assertRejected(d.cancel(77, 100_077), RideRejectReason.UNKNOWN_REQUEST, "cancel of request 77, which is not known");

        // a duplicate id: the same ride gets the same answer, another ride under that id is refused
        final byte[] first = only(d.ask(30, SHOPPING, MEDICAL, EIGHT, 1, 0), RideAssignmentDecoder.TEMPLATE_ID).get(0);
        final List<byte[]> again = d.request(30, SHOPPING, MEDICAL, EIGHT, 1, 0);
        assertEquals(1, again.size());
        assertArrayEquals(first, again.get(0));
        assertRejected(d.request(30, SHOPPING, COMMUNITY_CENTER, EIGHT, 1, 0), RideRejectReason.DUPLICATE_REQUEST,
            "request id 30 was already used for another ride (rider 100030)");
        assertRejected(d.cancel(30, 5), RideRejectReason.UNKNOWN_REQUEST, "cancel of request 30 by rider 5, but it is rider 100030's");

        // a state from an unknown shuttle, and an impossible state of charge: a Reject, nothing else
        final List<byte[]> unknownShuttle = d.state(4242, ShuttleMode.IDLE, SHOPPING, 900, 0);
        assertEquals(1, unknownShuttle.size());
        final RejectDecoder reject = DispatchDriver.reject(unknownShuttle.get(0));
        assertEquals(RejectReason.UNKNOWN_ID, reject.reason());
        assertEquals("ShuttleState of unknown shuttle 4242", reject.detail());
        final RejectDecoder soc = DispatchDriver.reject(d.state(1005, ShuttleMode.IDLE, ROAD_DEPOT, 1200, 0).get(0));
        assertEquals(RejectReason.INVALID_VALUE, soc.reason());

        // the ride accepted among all this is served as if the bad input had never come
        d.run(EIGHT + 3600 * S);
        assertEquals(List.of(), d.violations);
        assertEquals(1, d.served.size());
        assertTrue(d.served.containsKey(30L));
    }

    @Test
    void badInputLeavesTheDecisionsExactlyAsWithoutIt()
    {
        final DispatchDriver clean = started();
        final DispatchDriver noisy = started();
        for (int i = 0; i < 20; i++)
        {
            final long earliest = EIGHT + i * 90 * S;
            clean.ask(i + 1, i % 2 == 0 ? OUTER_SW : INNER_5, i % 3 == 0 ? BRT_HAPGANG_WEST : BRT_HAPGANG_EAST, earliest, 1 + i % 3, 0);
            noisy.request(1000 + i, 999, MEDICAL, earliest, 1, 0);
            noisy.cancel(5000 + i, 1);
            noisy.ask(i + 1, i % 2 == 0 ? OUTER_SW : INNER_5, i % 3 == 0 ? BRT_HAPGANG_WEST : BRT_HAPGANG_EAST, earliest, 1 + i % 3, 0);
            noisy.request(i + 1, SHOPPING, MEDICAL, earliest, 1, 0); // another ride under a taken id
            for (int k = 0; k < 90; k++)
            {
                clean.step();
                noisy.step();
            }
        }
        final List<byte[]> cleanOut = withoutRejections(clean.out);
        final List<byte[]> noisyOut = withoutRejections(noisy.out);
        assertEquals(cleanOut.size(), noisyOut.size());
        for (int i = 0; i < cleanOut.size(); i++)
        {
            assertArrayEquals(cleanOut.get(i), noisyOut.get(i), "output " + i);
        }
        assertEquals(List.of(), noisy.violations);
    }

    private static List<byte[]> withoutRejections(final List<byte[]> frames)
    {
        final List<byte[]> result = new ArrayList<>();
        for (final byte[] f : frames)
        {
            final int t = DispatchDriver.templateOf(f);
            if (t != RideRejectionDecoder.TEMPLATE_ID && t != RejectDecoder.TEMPLATE_ID)
            {
                result.add(f);
            }
        }
        return result;
    }

    private static void assertRejected(final List<byte[]> frames, final RideRejectReason reason, final String detail)
    {
        assertEquals(1, frames.size(), "one answer, nothing else");
        final RideRejectionDecoder r = rejection(frames.get(0));
        assertEquals(reason, r.reason());
        assertEquals(detail, r.detail());
    }

    // ------------------------------------------------------------------------------------------ cancel, slip

    @Test
    void aCancelTakesTheRideOffThePlanAndOnBoardItCannotBeCancelled()
    {
        final DispatchDriver d = started();
        d.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT + 600 * S, 1, 0);
        d.ask(2, OUTER_SW, BRT_HAPGANG_WEST, EIGHT + 620 * S, 1, 0);
        final List<byte[]> frames = d.cancel(2, 100_002);
        final ShuttlePlanDecoder p = plan(only(frames, ShuttlePlanDecoder.TEMPLATE_ID).get(0));
        assertEquals(PlanReason.CANCELLATION, p.reason());
        for (final ShuttlePlanDecoder.StopsDecoder stop : p.stops())
        {
            assertNotEquals(2, stop.requestId());
        }
        d.run(EIGHT + 700 * S); // ride 1 is on board by now
        assertTrue(d.served.containsKey(1L));
        assertRejected(d.cancel(1, 100_001), RideRejectReason.ALREADY_PICKED_UP, "request 1 is on board shuttle " + d.promised.get(1L)[2]);
        d.run(EIGHT + 3600 * S);
        assertEquals(List.of(), d.violations);
        assertFalse(d.served.containsKey(2L));
    }

    /** Ride 1 from Outer Block Southwest at 08:05: its shuttle gets there early and waits; stepped until it stands there. */
    private static DispatchDriver.Vehicle dwellingEarlyAtOuterSouthwest(final DispatchDriver d)
    {
        d.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT + 300 * S, 1, 0);
        final DispatchDriver.Vehicle v = d.fleet.get((int)d.promised.get(1L)[2]);
        while (!v.dwelling)
        {
            d.step();
        }
        return v;
    }

    @Test
    void aVisitWhoseBoardingIsFarAheadStaysOpenAndOnceItIsNearNobodyJoinsOrLeavesIt()
    {
        final DispatchDriver d = started();
        final DispatchDriver.Vehicle v = dwellingEarlyAtOuterSouthwest(d);
        assertTrue(d.nowNs < EIGHT + 240 * S, "the shuttle stands at the stop over a minute before ride 1 boards (300 s)");
        // a rider at the same stop later: nobody boards for more than 30 s, so the visit may take them
        d.ask(2, OUTER_SW, BRT_HAPGANG_WEST, EIGHT + 290 * S, 1, 0);
        assertEquals(v.id, d.promised.get(2L)[2], "ride 2 joins the shuttle standing at its stop");
        assertEquals(List.of((long)OUTER_SW, 1L, 2L), visits(d, v.id).get(0), "ride 2 joins the visit under way");
        // ride 1 boards in over a minute: it may still cancel; the first entry stays, with nobody to board
        final List<byte[]> cancelled = d.cancel(1, 100_001);
        assertTrue(only(cancelled, RideRejectionDecoder.TEMPLATE_ID).isEmpty(), "ride 1's cancel accepted");
        assertEquals(List.of((long)OUTER_SW, -1L, 2L), visits(d, v.id).get(0), "ride 1's entry stays as a stop");

        d.run(EIGHT + 265 * S); // ride 2 may board within 30 s: the fleet may act on the visit before a plan reaches it
        assertTrue(v.dwelling, "still at the stop");
        d.ask(3, OUTER_SW, BRT_HAPGANG_WEST, d.nowNs, 1, 0);
        if (d.promised.get(3L)[2] == v.id)
        {
            assertEquals(List.of((long)OUTER_SW, -1L, 2L), visits(d, v.id).get(0), "the visit keeps exactly its riders");
        }
        assertRejected(d.cancel(2, 100_002), RideRejectReason.ALREADY_PICKED_UP,
            "request 2: shuttle " + v.id + " is at Outer Block Southwest boarding it now");
        d.run(d.nowNs + 3600 * S);
        assertEquals(List.of(), d.violations);
        assertFalse(d.served.containsKey(1L));
        assertTrue(d.served.containsKey(2L) && d.served.containsKey(3L));
    }

    /** The riders of each visit in the latest plan of a shuttle, stop by stop: [[stop, ids...], ...]. */
    private static List<List<Long>> visits(final DispatchDriver d, final int shuttle)
    {
        ShuttlePlanDecoder latest = null;
        for (final byte[] f : only(d.out, ShuttlePlanDecoder.TEMPLATE_ID))
        {
            final ShuttlePlanDecoder p = plan(f);
            if (p.shuttleId() == shuttle)
            {
                latest = p;
            }
        }
        final List<List<Long>> visits = new ArrayList<>();
        for (final ShuttlePlanDecoder.StopsDecoder entry : latest.stops())
        {
            if (visits.isEmpty() || visits.get(visits.size() - 1).get(0) != entry.stopId())
            {
                visits.add(new ArrayList<>(List.of(entry.stopId())));
            }
            visits.get(visits.size() - 1).add(entry.action() == StopAction.PICKUP || entry.action() == StopAction.DROPOFF ? entry.requestId() : -1);
        }
        return visits;
    }

    @Test
    void aDepartureFromAVisitTheShuttleDroveToCountsUnderWhicheverPlanItWasMade()
    {
        final DispatchDriver d = started();
        final DispatchDriver.Vehicle v = dwellingEarlyAtOuterSouthwest(d);
        final long underWay = v.planSeq;
        d.ask(2, BRT_HAPGANG_WEST, COMMUNITY_CENTER, EIGHT + 420 * S, 1, 0);
        assertEquals(v.id, d.promised.get(2L)[2], "ride 2 pooled: another plan, the same first visit");
        assertTrue(v.planSeq > underWay);
        // the shuttle leaves Outer Block Southwest before that plan reaches it: its report names the plan before
        d.state(v.id, ShuttleMode.EN_ROUTE, OUTER_SW, v.permille(), 1, underWay);
        assertRejected(d.cancel(1, 100_001), RideRejectReason.ALREADY_PICKED_UP, "request 1 is on board shuttle " + v.id);
        assertEquals(BRT_HAPGANG_WEST, visits(d, v.id).get(0).get(0), "the visit left is off the plan");
    }

    @Test
    void aReportMadeBeforeTheShuttleHadItsPlanDoesNotEndTheVisitThatPlanGaveIt()
    {
        final DispatchDriver d = started();
        d.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT, 1, 0);
        final DispatchDriver.Vehicle v = d.fleet.get((int)d.promised.get(1L)[2]);
        while (!(v.plan.isEmpty() && v.target < 0 && !v.dwelling) && d.nowNs < EIGHT + 3600 * S)
        {
            d.step();
        }
        assertTrue(d.served.containsKey(1L), "ride 1 served");
        assertEquals(BRT_HAPGANG_WEST, d.network.nodeId(v.node), "the shuttle stands idle where ride 1 alighted");
        final long before = v.planSeq; // the plan it holds: its reports say so until the next one reaches it

        // two rides from that very stop, ten minutes ahead: the shuttle standing there takes them, its first visit is here
        d.ask(2, BRT_HAPGANG_WEST, COMMUNITY_CENTER, d.nowNs + 600 * S, 1, 0);
        d.ask(3, BRT_HAPGANG_WEST, COMMUNITY_CENTER, d.nowNs + 600 * S, 1, 0);
        assertEquals(v.id, d.promised.get(2L)[2]);
        assertEquals(v.id, d.promised.get(3L)[2]);
        assertEquals(List.of((long)BRT_HAPGANG_WEST, 2L, 3L), visits(d, v.id).get(0));
        assertTrue(v.planSeq > before, "plans are numbered");

        // the minute's IDLE report, sent before that plan reached the shuttle, crosses it: not its departure
        d.state(v.id, ShuttleMode.IDLE, BRT_HAPGANG_WEST, v.permille(), 0, before);
        final List<byte[]> cancelled = d.cancel(2, 100_002);
        assertTrue(only(cancelled, RideRejectionDecoder.TEMPLATE_ID).isEmpty(), "ride 2 has not boarded: its cancel is accepted");
        assertEquals(List.of((long)BRT_HAPGANG_WEST, -1L, 3L), visits(d, v.id).get(0), "the visit stays, ride 3 to board");

        // the same report made under that plan is the shuttle leaving: ride 3 is on board
        d.state(v.id, ShuttleMode.IDLE, BRT_HAPGANG_WEST, v.permille(), 0, v.planSeq);
        assertRejected(d.cancel(3, 100_003), RideRejectReason.ALREADY_PICKED_UP, "request 3 is on board shuttle " + v.id);
    }

    @Test
    void aShuttleDueToLeaveItsStopKeepsItsNextVisitAsItIsButItsRidersMayCancel()
    {
        final DispatchDriver d = started();
        final DispatchDriver.Vehicle v = dwellingEarlyAtOuterSouthwest(d);
        // a rider to board where ride 1 alights, about when the shuttle gets there: pooled into that visit
        d.ask(2, BRT_HAPGANG_WEST, COMMUNITY_CENTER, EIGHT + 420 * S, 1, 0);
        assertEquals(v.id, d.promised.get(2L)[2], "ride 2 pooled");
        final List<Long> next = visits(d, v.id).get(1);
        assertEquals(BRT_HAPGANG_WEST, next.get(0));
        assertEquals(java.util.Set.of(1L, 2L), java.util.Set.copyOf(next.subList(1, next.size())), "the next visit: ride 1 alights, ride 2 boards");
        d.run(EIGHT + 310 * S); // ride 1 boards at 300 s; the shuttle leaves at 330 s
        assertTrue(v.dwelling, "still at the stop");

        // a new rider at the next stop does not join that visit: the shuttle may be on its way there already
        d.ask(3, BRT_HAPGANG_WEST, COMMUNITY_CENTER, d.nowNs, 1, 0);
        if (d.promised.get(3L)[2] == v.id)
        {
            assertEquals(next, visits(d, v.id).get(1), "the next visit keeps exactly its riders");
        }
        // its riders may still cancel (they are not boarding yet); the stop stays, with nobody to board
        final List<byte[]> cancelled = d.cancel(2, 100_002);
        assertTrue(only(cancelled, RideRejectionDecoder.TEMPLATE_ID).isEmpty(), "ride 2's cancel accepted");
        assertEquals(next.stream().map(id -> id == 2L ? -1L : id).toList(), visits(d, v.id).get(1), "ride 2's entry stays as a stop");
        d.run(d.nowNs + 3600 * S);
        assertEquals(List.of(), d.violations);
        assertFalse(d.served.containsKey(2L));
        assertTrue(d.served.containsKey(1L) && d.served.containsKey(3L));
    }

    @Test
    void aShuttleAboutToPassAStopWithNobodyToServeKeepsItsNextVisitAsItIs()
    {
        final DispatchDriver d = started();
        d.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT, 1, 0); // 1001 drives from the depot, about 65 s
        final DispatchDriver.Vehicle v = d.fleet.get((int)d.promised.get(1L)[2]);
        d.ask(2, BRT_HAPGANG_WEST, COMMUNITY_CENTER, EIGHT + 420 * S, 1, 0);
        assertEquals(v.id, d.promised.get(2L)[2], "ride 2 boards where ride 1 alights");
        d.run(EIGHT + 50 * S); // seconds from Outer Block Southwest
        // ride 1 cancels: its stop stays, with nobody to board, a stop the fleet passes through without a dwell
        assertTrue(only(d.cancel(1, 100_001), RideRejectionDecoder.TEMPLATE_ID).isEmpty(), "ride 1's cancel accepted");
        assertEquals(List.of((long)OUTER_SW, -1L), visits(d, v.id).get(0));
        final List<Long> next = visits(d, v.id).get(1);
        assertEquals(BRT_HAPGANG_WEST, next.get(0));
        assertTrue(next.contains(2L), "ride 2 boards at the next visit");

        // the shuttle may be past that stop already and on its way to the next visit: nothing joins it or leaves it
        d.ask(3, BRT_HAPGANG_WEST, COMMUNITY_CENTER, EIGHT + 420 * S, 1, 0);
        if (d.promised.get(3L)[2] == v.id)
        {
            assertEquals(next, visits(d, v.id).get(1), "the next visit keeps exactly its riders");
        }
        assertTrue(only(d.cancel(2, 100_002), RideRejectionDecoder.TEMPLATE_ID).isEmpty(), "ride 2's cancel accepted");
        assertEquals(next.stream().map(id -> id == 2L ? -1L : id).toList(), visits(d, v.id).get(1),
            "ride 2's entry stays as a stop: the stop the shuttle may be driving to does not change");
        d.run(d.nowNs + 3600 * S);
        assertEquals(List.of(), d.violations);
        assertEquals(Set.of(3L), d.served.keySet());
    }

    @Test
    void aShuttleAboutToReachItsStopTakesNoNewRiderIntoThatVisitButOneFarAwayDoes()
    {
        final DispatchDriver d = started();
        d.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT, 1, 0); // 1001 drives from the depot, about 65 s
        final long shuttle = d.promised.get(1L)[2];
        d.ask(2, OUTER_SW, BRT_HAPGANG_WEST, EIGHT, 1, 0); // a minute away: joins the visit
        assertEquals(shuttle, d.promised.get(2L)[2]);
        assertEquals(List.of(1L, 2L), visitAt(d, (int)shuttle, OUTER_SW));
        d.run(EIGHT + 50 * S); // now seconds away: the report of its arrival may already be on its way
        d.ask(3, OUTER_SW, BRT_HAPGANG_WEST, d.nowNs, 1, 0);
        assertEquals(List.of(1L, 2L), visitAt(d, (int)shuttle, OUTER_SW), "the visit keeps exactly its riders");
        d.run(d.nowNs + 3600 * S);
        assertEquals(List.of(), d.violations);
        assertEquals(3, d.served.size());
    }

    /** The requests of the visit at {@code stop} that begins plan {@code shuttle}'s latest ShuttlePlan. */
    private static List<Long> visitAt(final DispatchDriver d, final int shuttle, final int stop)
    {
        ShuttlePlanDecoder latest = null;
        for (final byte[] f : only(d.out, ShuttlePlanDecoder.TEMPLATE_ID))
        {
            final ShuttlePlanDecoder p = plan(f);
            if (p.shuttleId() == shuttle)
            {
                latest = p;
            }
        }
        final List<Long> visit = new ArrayList<>();
        for (final ShuttlePlanDecoder.StopsDecoder entry : latest.stops())
        {
            if (entry.stopId() != stop)
            {
                break;
            }
            visit.add(entry.requestId());
        }
        return visit;
    }

    @Test
    void aShuttleLateAtItsStopGetsItsPlanReTimedAndTheRidersNewEtas()
    {
        final DispatchDriver d = started();
        d.ask(1, MEDICAL, BRT_HAPGANG_EAST, EIGHT, 1, 0);
        final long shuttle = d.promised.get(1L)[2];
        final long promisedPickup = d.promised.get(1L)[0];
        // the shuttle is held up: it reports its arrival 4 minutes after the planned time
        d.fleet.clear(); // drive it by hand
        d.nowNs = promisedPickup + 240 * S;
        final List<byte[]> frames = d.state((int)shuttle, ShuttleMode.DWELLING, MEDICAL, 880, 0);
        final ShuttlePlanDecoder p = plan(only(frames, ShuttlePlanDecoder.TEMPLATE_ID).get(0));
        assertEquals(PlanReason.DELAY, p.reason());
        final RideAssignmentDecoder a = assignment(only(frames, RideAssignmentDecoder.TEMPLATE_ID).get(0));
        assertEquals(promisedPickup + 240 * S, a.pickupEtaNs());
    }

    // ------------------------------------------------------------------------------------------ charging, rebalancing

    @Test
    void aShuttleBelowItsThresholdTakesNoRidesGoesToTheFastestChargerAndIsReleasedCharged()
    {
        final DispatchDriver d = new DispatchDriver(CITY, EIGHT);
        d.startFleet(90);
        final DispatchDriver.Vehicle low = d.fleet.get(1001);
        low.socKwh = 80 * 0.25; // below the 30 % threshold
        d.state(1001, ShuttleMode.IDLE, ROAD_DEPOT, low.permille(), 0);
        d.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT, 1, 0);
        assertEquals(1002, d.promised.get(1L)[2], "1001 needs charging: the next one takes the ride");
        // within a check period it is sent to a fast charger (100 kW) at its depot
        final int before = d.out.size();
        d.run(EIGHT + 11 * S);
        ShuttlePlanDecoder charge = null;
        for (final byte[] f : only(d.out.subList(before, d.out.size()), ShuttlePlanDecoder.TEMPLATE_ID))
        {
            final ShuttlePlanDecoder p = plan(f);
            if (p.shuttleId() == 1001)
            {
                charge = p;
            }
        }
        assertTrue(charge != null, "a charging plan for 1001");
        assertEquals(PlanReason.CHARGING, charge.reason());
        final ShuttlePlanDecoder.StopsDecoder stop = charge.stops().next();
        assertEquals(StopAction.CHARGE, stop.action());
        assertEquals(ROAD_DEPOT, stop.stopId());
        assertEquals(1, stop.requestId(), "charger 1: Road Depot Fast 1");
        // 80 kWh from 25 % to 80 % at 100 kW: about 26 minutes, then released with an empty plan
        d.run(EIGHT + 40 * 60 * S);
        assertFalse(low.charging);
        assertTrue(low.plan.isEmpty());
        assertTrue(low.permille() >= 800, "charged to " + low.permille());
    }

    @Test
    void idleShuttlesMoveTowardWhereRidesBeganWhenThePolicySaysSo()
    {
        // a city that does not rebalance: the same rides draw no REBALANCING plan
        final Mobility.Service service = CITY.mobility().service();
        final DispatchDriver off = new DispatchDriver(withPolicy(service.waitCostMPerS(), service.newShuttleCostM(), false), EIGHT);
        off.startFleet(90);
        rideOutOfOuterNortheast(off);
        for (final byte[] f : only(off.out, ShuttlePlanDecoder.TEMPLATE_ID))
        {
            assertNotEquals(PlanReason.REBALANCING, plan(f).reason());
        }
        assertEquals(List.of(), off.violations);

        // the default city does
        assertTrue(service.rebalancing());
        final DispatchDriver d = started();
        rideOutOfOuterNortheast(d);
        boolean near = false;
        for (final DispatchDriver.Vehicle v : d.fleet.values())
        {
            final int here = v.target >= 0 ? v.target : v.node;
            if (v.plan.isEmpty() || v.plan.get(0).action() == StopAction.REBALANCE)
            {
                near |= d.network.timeS(v.group, here, d.network.stopIndex(OUTER_NE)) <= DispatchLoop.COVER_S;
            }
        }
        assertTrue(near, "an idle shuttle stands by near Outer Block Northeast");
        boolean rebalanced = false;
        for (final byte[] f : only(d.out, ShuttlePlanDecoder.TEMPLATE_ID))
        {
            rebalanced |= plan(f).reason() == PlanReason.REBALANCING;
        }
        assertTrue(rebalanced);
        assertEquals(List.of(), d.violations);
    }

    @Test
    void noShuttleIsSentEmptyToAStopWhereABusyOneWillBeFreeSoon()
    {
        final ShuttleNetwork net = ShuttleNetwork.from(CITY);
        final int outer = net.stopIndex(OUTER_NE);
        int near = -1;
        int far = -1;
        for (int k = 0; k < net.stopCount(); k++)
        {
            if (k == outer || net.stopKind(k) == Stop.Kind.DEPOT || !net.reachable(0, outer, k))
            {
                continue;
            }
            final double t = net.timeS(0, k, outer);
            if (t <= DispatchLoop.COVER_S && (near < 0 || t < net.timeS(0, near, outer)))
            {
                near = k;
            }
            if (t > DispatchLoop.COVER_S && (far < 0 || t > net.timeS(0, far, outer)))
            {
                far = k;
            }
        }
        // rides out of Outer Block Northeast to a stop near it: the busy shuttle will be free near it, nobody else goes
        assertEquals(List.of(), rebalancingPlansWithThreeRidesTo(net.nodeId(near)));
        // to a stop far from it: an idle shuttle from the depot is sent there
        assertEquals(List.of(1002L), rebalancingPlansWithThreeRidesTo(net.nodeId(far)));
    }

    /** Shuttles sent rebalancing in the 3 minutes after 1001 takes three rides from Outer Block Northeast to stop {@code to}. */
    private static List<Long> rebalancingPlansWithThreeRidesTo(final int to)
    {
        final DispatchDriver d = new DispatchDriver(CITY, EIGHT);
        d.state(1001, ShuttleMode.IDLE, ROAD_DEPOT, 900, 0);
        d.state(1002, ShuttleMode.IDLE, ROAD_DEPOT, 900, 0);
        for (int i = 0; i < 3; i++)
        {
            d.ask(i + 1, OUTER_NE, to, EIGHT + 600 * S, 1, 0);
            assertEquals(1001, d.promised.get(i + 1L)[2]);
        }
        final List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 180; i++)
        {
            d.nowNs += S;
            for (final byte[] f : only(d.tick(), ShuttlePlanDecoder.TEMPLATE_ID))
            {
                if (plan(f).reason() == PlanReason.REBALANCING)
                {
                    sent.add(plan(f).shuttleId());
                }
            }
        }
        return sent;
    }

    /** Rides out of Outer Block Northeast, far from both depots, to the far side of the ring, for 20 minutes. */
    private static void rideOutOfOuterNortheast(final DispatchDriver d)
    {
        for (int i = 0; i < 8; i++)
        {
            d.ask(i + 1, OUTER_NE, OUTER_SW, d.nowNs, 1, 0);
            d.run(d.nowNs + 150 * S);
        }
        d.run(d.nowNs + 600 * S);
    }

    @Test
    void aRideIsMovedToABetterShuttleWhenOneBecomesAvailable()
    {
        final DispatchDriver d = new DispatchDriver(CITY, EIGHT);
        // only the road depot's first shuttle is on line: it takes a ride now, then one on the far side 20 minutes ahead
        d.state(1001, ShuttleMode.IDLE, ROAD_DEPOT, 900, 0);
        d.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT, 1, 0);
        d.ask(2, OUTER_NE, BRT_HAPGANG_EAST, EIGHT + 1200 * S, 1, 0);
        assertEquals(1001, d.promised.get(2L)[2]);
        d.nowNs += 60 * S;
        // a shuttle idle next to the second pickup reports
        d.state(1002, ShuttleMode.IDLE, OUTER_NE, 900, 0);
        final List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 70 && d.promised.get(2L)[2] == 1001; i++)
        {
            d.nowNs += S;
            frames.addAll(d.tick());
        }
        assertEquals(1002, d.promised.get(2L)[2], "moved to the shuttle next to the pickup");
        assertEquals(1001, d.promised.get(1L)[2], "the first ride stays: its pickup is where 1001 is going");
        final List<Long> replanned = new ArrayList<>();
        for (final byte[] f : only(frames, ShuttlePlanDecoder.TEMPLATE_ID))
        {
            final ShuttlePlanDecoder p = plan(f);
            assertEquals(PlanReason.IMPROVEMENT, p.reason());
            replanned.add(p.shuttleId());
        }
        assertEquals(List.of(1001L, 1002L), replanned, "the old plan without the ride, then the new one with it");
        assertEquals(1, d.loop.improvements());
    }

    @Test
    void aShuttleWaitsWhereItIsForAFarPickupSoItsFirstStopMayStillChange()
    {
        final DispatchDriver d = started();
        final ShuttleNetwork net = d.network;
        final int depot = net.stopIndex(ROAD_DEPOT);
        final int outer = net.stopIndex(OUTER_SW);
        // a ride 15 minutes ahead: 1001 takes it and stays at the depot (DepartureRule), not driving yet
        d.ask(1, OUTER_SW, BRT_HAPGANG_WEST, EIGHT + 900 * S, 1, 0);
        assertEquals(1001, d.promised.get(1L)[2]);
        d.run(EIGHT + 120 * S);
        final DispatchDriver.Vehicle v = d.fleet.get(1001);
        assertEquals(-1, v.target, "still standing");
        assertEquals(depot, v.node);
        assertEquals(0, v.km, 1e-9);

        // a ride from the stop nearest the way out, wanted now: 1001 picks it up first, its first stop changes
        int near = -1;
        for (int k = 0; k < net.stopCount(); k++)
        {
            if (k == outer || k == net.stopIndex(BRT_HAPGANG_WEST) || net.stopKind(k) == Stop.Kind.DEPOT || !net.reachable(0, depot, k)
                || !net.reachable(0, k, outer))
            {
                continue;
            }
            final double detour = net.timeS(0, depot, k) + net.timeS(0, k, outer);
            if (near < 0 || detour < net.timeS(0, depot, near) + net.timeS(0, near, outer))
            {
                near = k;
            }
        }
        final int nearStop = net.nodeId(near);
        final List<byte[]> frames = d.ask(2, nearStop, BRT_HAPGANG_WEST, d.nowNs, 1, 0);
        assertEquals(1001, d.promised.get(2L)[2], "the ride joins the shuttle that has not left yet");
        final ShuttlePlanDecoder p = plan(only(frames, ShuttlePlanDecoder.TEMPLATE_ID).get(0));
        assertEquals(1001, p.shuttleId());
        assertEquals(nearStop, p.stops().next().stopId(), "its first stop is now the new pickup");
        d.run(EIGHT + 3600 * S);
        assertEquals(List.of(), d.violations, "no plan changed the stop of a shuttle driving to it");
        assertEquals(2, d.served.size());
    }

    @Test
    void aShuttleServingTwoRidesIsFreedWhenAnotherCanTakeBothForLess()
    {
        final DispatchDriver d = new DispatchDriver(CITY, EIGHT);
        // only 1001 is on line, at the road depot: it takes two rides out of Outer Block Northeast, 20 minutes ahead
        d.state(1001, ShuttleMode.IDLE, ROAD_DEPOT, 900, 0);
        d.ask(1, OUTER_NE, BRT_HAPGANG_EAST, EIGHT + 1200 * S, 1, 0);
        d.ask(2, OUTER_NE, BRT_HAPGANG_EAST, EIGHT + 1230 * S, 1, 0);
        assertEquals(1001, d.promised.get(1L)[2]);
        assertEquals(1001, d.promised.get(2L)[2]);
        d.nowNs += 60 * S;
        // a shuttle idle next to both pickups reports: moving either ride alone to it saves nothing (1001 goes there
        // for the other) and starts a shuttle; moving both frees 1001
        d.state(1002, ShuttleMode.IDLE, OUTER_NE, 900, 0);
        final List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 30; i++)
        {
            d.nowNs += S;
            frames.addAll(d.tick());
        }
        assertEquals(1002, d.promised.get(1L)[2], "both rides moved to the shuttle next to their pickups");
        assertEquals(1002, d.promised.get(2L)[2]);
        assertEquals(0, d.loop.improvements(), "no single ride was worth moving");
        assertEquals(1, d.loop.recreates());
        assertImprovementsLeave1001WithNothingToDo(frames);
    }

    /**
     * Only 1001 is on line, at the road depot: it takes six rides out of Outer Block Northeast, 20 minutes ahead. A minute
     * later 1002 reports, idle at the stop nearest to there (not at it: a shuttle standing at its first stop has that visit
     * fixed, so only one rider could board there).
     */
    private static DispatchDriver sixRidesAndAShuttleNearby()
    {
        final DispatchDriver d = new DispatchDriver(CITY, EIGHT);
        d.state(1001, ShuttleMode.IDLE, ROAD_DEPOT, 900, 0);
        for (int i = 0; i < 6; i++)
        {
            d.ask(i + 1, OUTER_NE, BRT_HAPGANG_EAST, EIGHT + (1200 + 20 * i) * S, 1, 0);
            assertEquals(1001, d.promised.get(i + 1L)[2]);
        }
        final ShuttleNetwork net = d.network;
        final int ne = net.stopIndex(OUTER_NE);
        int near = -1;
        for (int k = 0; k < net.stopCount(); k++)
        {
            if (k != ne && net.stopKind(k) != Stop.Kind.DEPOT && net.reachable(0, k, ne)
                && (near < 0 || net.timeS(0, k, ne) < net.timeS(0, near, ne)))
            {
                near = k;
            }
        }
        d.nowNs += 60 * S;
        d.state(1002, ShuttleMode.IDLE, net.nodeId(near), 900, 0);
        return d;
    }

    @Test
    void aShuttleServingSixRidesIsFreedWhenAnotherCanTakeThemAllForLess()
    {
        // moving one ride, or four (the compound moves before the ruin-and-recreate search), to 1002 saves nothing: 1001
        // still drives there for the others, and 1002 starts. Only all six together free 1001
        final DispatchDriver d = sixRidesAndAShuttleNearby();
        final List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 30; i++)
        {
            d.nowNs += S;
            frames.addAll(d.tick());
        }
        for (int i = 0; i < 6; i++)
        {
            assertEquals(1002, d.promised.get(i + 1L)[2], "ride " + (i + 1) + " moved to the shuttle next to the pickups");
        }
        assertEquals(0, d.loop.improvements(), "no single ride was worth moving");
        assertImprovementsLeave1001WithNothingToDo(frames);
    }

    /** Every plan sent is an improvement, and the last one for 1001 is empty. */
    private static void assertImprovementsLeave1001WithNothingToDo(final List<byte[]> frames)
    {
        ShuttlePlanDecoder last1001 = null;
        for (final byte[] f : only(frames, ShuttlePlanDecoder.TEMPLATE_ID))
        {
            final ShuttlePlanDecoder p = plan(f);
            assertEquals(PlanReason.IMPROVEMENT, p.reason());
            if (p.shuttleId() == 1001)
            {
                last1001 = p;
            }
        }
        assertTrue(last1001 != null && last1001.stops().count() == 0, "1001 is left with nothing to do");
    }

    @Test
    void theSearchRunsOnceASecondWhateverTheTickPeriod()
    {
        // a live node ticks every 100 ms: the search (up to 96 insertion searches) must not run ten times a second
        final DispatchDriver live = busyMorning(started(), 0, 20);
        final long before = live.loop.searches();
        for (int i = 0; i < 100; i++)
        {
            live.nowNs += S / 10;
            live.tick();
        }
        assertEquals(10, live.loop.searches() - before, "100 Ticks 100 ms apart: one search a second");
        // the simulations tick every second: a search on every Tick, as before
        final DispatchDriver simulated = busyMorning(started(), 0, 20);
        final long start = simulated.loop.searches();
        for (int i = 0; i < 10; i++)
        {
            simulated.nowNs += S;
            simulated.tick();
        }
        assertEquals(10, simulated.loop.searches() - start, "10 Ticks a second apart: a search on each");
    }

    @Test
    void aSearchWhoseIterationsAreUndoneLeavesTheStateExactlyAsItWas()
    {
        // one that finds a better plan (kept iterations) and one on a busy morning that finds none (undone iterations)
        assertUndoneExactly(sixRidesAndAShuttleNearby(), sixRidesAndAShuttleNearby(), true);
        assertUndoneExactly(busyMorning(started(), 0, 40), busyMorning(started(), 0, 40), false);
    }

    private static void assertUndoneExactly(final DispatchDriver a, final DispatchDriver twin, final boolean kept)
    {
        final StateWriter before = new StateWriter();
        a.loop.snapshot(before);
        final int[] iterations = a.loop.searchAndUndo();
        assertTrue(iterations[0] > 0, "some iterations placed every ride they took off: " + Arrays.toString(iterations));
        assertEquals(kept, iterations[1] > 0, "iterations kept: " + Arrays.toString(iterations));
        final StateWriter after = new StateWriter();
        a.loop.snapshot(after);
        assertArrayEquals(Arrays.copyOf(before.buffer().byteArray(), before.length()), Arrays.copyOf(after.buffer().byteArray(), after.length()),
            "the same state, byte for byte");
        // and it decides on as the twin that never searched
        final int outA = a.out.size();
        final int outB = twin.out.size();
        for (int i = 0; i < 60; i++)
        {
            a.nowNs += S;
            twin.nowNs += S;
            a.tick();
            twin.tick();
        }
        busyMorning(a, 40, 5);
        busyMorning(twin, 40, 5);
        assertEquals(twin.out.size() - outB, a.out.size() - outA);
        for (int i = 0; i < a.out.size() - outA; i++)
        {
            assertArrayEquals(twin.out.get(outB + i), a.out.get(outA + i));
        }
    }

    // ------------------------------------------------------------------------------------------ determinism

    @Test
    void theSameInputGivesTheSameOutputAndASnapshotContinuesExactly()
    {
        final DispatchDriver a = busyMorning(started(), 0, 40);
        final DispatchDriver b = busyMorning(started(), 0, 40);
        assertEquals(a.out.size(), b.out.size());
        for (int i = 0; i < a.out.size(); i++)
        {
            assertArrayEquals(a.out.get(i), b.out.get(i));
        }

        // snapshot a at this point into a fresh loop, and carry on both with the same input
        final StateWriter writer = new StateWriter();
        a.loop.snapshot(writer);
        final byte[] state = Arrays.copyOf(writer.buffer().byteArray(), writer.length());
        final DispatchLoop restored = new DispatchLoop(CITY);
        restored.restore(new StateReader().wrap(new UnsafeBuffer(state), 0, state.length));
        final StateWriter again = new StateWriter();
        restored.snapshot(again);
        assertArrayEquals(state, Arrays.copyOf(again.buffer().byteArray(), again.length()), "the restored state writes the same bytes");
    }

    /** A loop that ran on and grew its ride book is, once a snapshot is restored into it, that snapshot exactly. */
    @Test
    void aSnapshotRestoredIntoALoopThatRanOnIsThatSnapshot()
    {
        final DispatchDriver a = busyMorning(started(), 0, 10);
        final StateWriter writer = new StateWriter();
        a.loop.snapshot(writer);
        final byte[] state = Arrays.copyOf(writer.buffer().byteArray(), writer.length());
        for (int i = 0; i < 1100; i++) // past the ride book's first 1,024 slots
        {
            a.ask(1000 + i, OUTER_SW, BRT_HAPGANG_WEST, a.nowNs + 120 * S, 1, 0);
        }
        final StateWriter grown = new StateWriter();
        a.loop.snapshot(grown);
        assertTrue(grown.length() > state.length, "the loop ran on");

        a.loop.restore(new StateReader().wrap(new UnsafeBuffer(state), 0, state.length));
        final StateWriter again = new StateWriter();
        a.loop.snapshot(again);
        assertArrayEquals(state, Arrays.copyOf(again.buffer().byteArray(), again.length()), "the restored state writes the same bytes");
        // and it decides as a fresh loop restored from the same state
        final DispatchLoop fresh = new DispatchLoop(CITY);
        fresh.restore(new StateReader().wrap(new UnsafeBuffer(state), 0, state.length));
        for (int i = 0; i < 1100; i++)
        {
            a.ask(5000 + i, INNER_5, BRT_51_WEST, a.nowNs + 120 * S, 1, 0);
        }
        final StateWriter ranOn = new StateWriter();
        a.loop.snapshot(ranOn);
        final DispatchDriver b = new DispatchDriver(CITY, a.nowNs, fresh);
        for (int i = 0; i < 1100; i++)
        {
            b.ask(5000 + i, INNER_5, BRT_51_WEST, b.nowNs + 120 * S, 1, 0);
        }
        final StateWriter freshRanOn = new StateWriter();
        fresh.snapshot(freshRanOn);
        assertArrayEquals(Arrays.copyOf(freshRanOn.buffer().byteArray(), freshRanOn.length()),
            Arrays.copyOf(ranOn.buffer().byteArray(), ranOn.length()), "the same state after the same requests");
    }

    private static DispatchDriver busyMorning(final DispatchDriver d, final int from, final int count)
    {
        final int[] origins = { OUTER_SW, INNER_5, MEDICAL, SHOPPING, OUTER_NE, COMMUNITY_CENTER };
        final int[] destinations = { BRT_HAPGANG_WEST, BRT_51_WEST, BRT_HAPGANG_EAST, COMMUNITY_CENTER };
        for (int i = from; i < from + count; i++)
        {
            final int o = origins[i % origins.length];
            int dest = destinations[(i / 2) % destinations.length];
            if (dest == o)
            {
                dest = BRT_HAPGANG_WEST;
            }
            d.ask(i + 1, o, dest, d.nowNs + (i % 5) * 60 * S, 1 + i % 2, 0);
            d.run(d.nowNs + 45 * S);
        }
        return d;
    }
}
