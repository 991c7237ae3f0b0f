package kr.sejong.city.bench.mobility;

import kr.sejong.city.config.Mobility;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static kr.sejong.city.bench.mobility.SidewalkRoutes.FLEET;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.SIDEWALK;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.check;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.d;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.network;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.p;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.service;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.t;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.x;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The checker JspritOffline's solutions are judged by must itself catch each kind of broken plan. */
class JspritOfflineCheckTest
{
    @Test
    void aGoodPlanIsTimedAndPasses()
    {
        final List<OfflineRequest> requests = List.of(new OfflineRequest(1, 21, 13, 300, 2, 1), new OfflineRequest(2, 21, 1, 0, 1, 0));

        final OfflineCheck.Report report = check(service, requests, p(21, 2), p(21, 1), x(1, 2), x(13, 1));

        assertEquals(0, report.violations(), () -> String.join("\n", report.details()));
        assertEquals(List.of(1L, 2L), report.served());
        assertEquals(d(32, 21) + d(21, 13), report.totalDistanceM(), 1e-9);
        final List<OfflineCheck.Visit> visits = report.routes().get(0).visits();
        // no dwell leaving the depot; 2 boards on arrival, 1 at its earliest (300); then one dwell and the drive on
        assertEquals(t(32, 21), visits.get(0).startS(), 1e-9);
        assertEquals(300.0, visits.get(1).startS(), 1e-9);
        assertEquals(3, visits.get(1).seatsAfter());
        assertEquals(1, visits.get(1).wheelchairsAfter());
        assertEquals(300 + service.dwellS() + t(21, 1), visits.get(2).arrivalS(), 1e-9);
        assertEquals(300 + 2 * service.dwellS() + t(21, 1) + t(1, 13), visits.get(3).arrivalS(), 1e-9);
    }

    @Test
    void tooManyRidersAndWheelchairs()
    {
        final List<OfflineRequest> requests = new ArrayList<>();
        final List<OfflineCheck.PlannedStop> stops = new ArrayList<>();
        for (int i = 1; i <= 7; i++)
        {
            requests.add(new OfflineRequest(i, 21, 13, 300, 1, i <= 2 ? 1 : 0));
            stops.add(p(21, i));
        }
        for (int i = 1; i <= 7; i++)
        {
            stops.add(x(13, i));
        }

        final OfflineCheck.Report report = check(service, requests, stops.toArray(new OfflineCheck.PlannedStop[0]));

        assertEquals(1, report.capacityViolations(), () -> String.join("\n", report.details())); // the 7th rider of 6 seats
        assertEquals(6, report.wheelchairViolations()); // from the 2nd wheelchair on, 1 place: after each later pickup too
        assertEquals(0, report.timeWindowViolations() + report.rideTimeViolations() + report.structureViolations());
    }

    /** The fastest direct time over every group: the promise is made of it, whichever group serves. */
    private static double fastest(final int a, final int b)
    {
        double best = Double.POSITIVE_INFINITY;
        for (int g = 0; g < network.groupCount(); g++)
        {
            best = Math.min(best, network.timeS(g, network.stopIndex(a), network.stopIndex(b)));
        }
        return best;
    }

    @Test
    void aLatePickupAndATooLongRide()
    {
        // 45 s (and less than a second) over the sidewalk's own direct time 21 to 13 (the promise is made of the
        // fastest group's)
        final int slack = (int)Math.ceil(t(21, 13) - fastest(21, 13));
        final Mobility.Service strict = new Mobility.Service(10, 1.0, 45 + slack, service.dwellS(), 6, 24, service.maxWalkM());
        // 1 waits at 21 from 0 and is picked up when the shuttle gets there (after 10 s); 2 is fine
        final List<OfflineRequest> late = List.of(new OfflineRequest(1, 21, 13, 0, 1, 0));
        final OfflineCheck.Report lateReport = check(strict, late, p(21, 1), x(13, 1));
        assertEquals(1, lateReport.timeWindowViolations(), () -> String.join("\n", lateReport.details()));
        assertEquals(0, lateReport.rideTimeViolations());

        // 1 rides 21 to 13 with a stop at 1 on the way: a 30 s dwell more than the 15 s the promise leaves
        final List<OfflineRequest> detour = List.of(new OfflineRequest(1, 21, 13, 300, 1, 0), new OfflineRequest(2, 21, 1, 300, 1, 0));
        final OfflineCheck.Report detourReport = check(strict, detour, p(21, 1), p(21, 2), x(1, 2), x(13, 1));
        assertEquals(1, detourReport.rideTimeViolations(), () -> String.join("\n", detourReport.details()));
        assertEquals(0, detourReport.timeWindowViolations());
    }

    @Test
    void aSlowerGroupIsHeldToTheFastestGroupsDirectTime()
    {
        // the loop promises factor x the fastest direct ride any type offers + offset: 45 s over the road's direct
        // time 21 to 13 is less than the sidewalk shuttle's boarding dwell and slower drive
        assertEquals(true, t(21, 13) - fastest(21, 13) > 15);
        final Mobility.Service strict = new Mobility.Service(600, 1.0, 45, service.dwellS(), 6, 24, service.maxWalkM());
        final List<OfflineRequest> requests = List.of(new OfflineRequest(1, 21, 13, 300, 1, 0));
        final OfflineCheck.Report report = check(strict, requests, p(21, 1), x(13, 1));
        assertEquals(1, report.rideTimeViolations(), () -> String.join("\n", report.details()));
        assertEquals(0, report.timeWindowViolations() + report.capacityViolations() + report.structureViolations());
    }

    @Test
    void brokenStructure()
    {
        final List<OfflineRequest> requests = List.of(
            new OfflineRequest(1, 21, 13, 300, 1, 0),
            new OfflineRequest(2, 27, 13, 300, 1, 0), // 27: roads only
            new OfflineRequest(3, 21, 1, 300, 1, 0));

        // 1 dropped off without a pickup; 2's origin unreachable for a sidewalk shuttle; 3 picked up at a wrong stop
        // and left on board
        final OfflineCheck.Report report = check(service, requests, x(13, 1), p(27, 2), p(1, 3));

        assertEquals(4, report.structureViolations(), () -> String.join("\n", report.details()));
        assertEquals(List.of(), report.served());

        final OfflineCheck.Report twice = OfflineCheck.check(network, service, FLEET, 0, requests.subList(0, 1), List.of(
            new OfflineCheck.PlannedRoute(2001, SIDEWALK, List.of(p(21, 1), x(13, 1))),
            new OfflineCheck.PlannedRoute(2002, SIDEWALK, List.of(p(21, 1), x(13, 1))),
            new OfflineCheck.PlannedRoute(2009, SIDEWALK, List.of())));
        // picked up twice, dropped off twice, shuttle 2009 beyond the group's 8
        assertEquals(3, twice.structureViolations(), () -> String.join("\n", twice.details()));
    }
}
