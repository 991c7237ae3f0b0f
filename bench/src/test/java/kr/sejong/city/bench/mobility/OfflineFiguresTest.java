package kr.sejong.city.bench.mobility;

import org.junit.jupiter.api.Test;

import java.util.List;

import static kr.sejong.city.bench.mobility.SidewalkRoutes.check;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.d;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.network;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.p;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.service;
import static kr.sejong.city.bench.mobility.SidewalkRoutes.x;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a timed solution's distance goes, leg by leg, worked out here by hand from the network. */
class OfflineFiguresTest
{
    private static List<OfflineCheck.CheckedRoute> timed(final List<OfflineRequest> requests, final OfflineCheck.PlannedStop... stops)
    {
        final OfflineCheck.Report report = check(service, requests, stops);
        assertEquals(0, report.violations(), () -> String.join("\n", report.details()));
        return report.routes();
    }

    @Test
    void aLegIsEmptyOnlyWhenNobodyIsOnBoardAndTheFirstIsTheDriveFromTheDepot()
    {
        // ride 2 (one rider) 21 -> 1, then ride 3 (two riders) 13 -> 1: depot -> 21 empty, 21 -> 1 loaded, 1 -> 13 empty, 13 -> 1 loaded
        final List<OfflineRequest> requests = List.of(new OfflineRequest(2, 21, 1, 0, 1, 0), new OfflineRequest(3, 13, 1, 0, 2, 0));
        final List<OfflineCheck.CheckedRoute> routes = timed(requests,
            p(21, 2), x(1, 2), p(13, 3), x(1, 3));
        final List<OfflineCheck.Visit> v = routes.get(0).visits();

        final OfflineFigures figures = OfflineFigures.of(network, routes, requests);

        assertTrue(d(1, 13) > 0 && d(32, 21) > 0, "the test needs legs of some length");
        assertEquals((d(32, 21) + d(21, 1) + d(1, 13) + d(13, 1)) / 1000, figures.vehicleKm(), 1e-9);
        assertEquals(routes.get(0).distanceM() / 1000, figures.vehicleKm(), 1e-9);
        assertEquals((d(32, 21) + d(1, 13)) / 1000, figures.emptyKm(), 1e-9);
        assertEquals(d(32, 21) / 1000, figures.depotKm(), 1e-9);
        assertEquals((d(21, 1) + d(13, 1)) / 1000, figures.directKm(), 1e-9);
        assertEquals((v.get(0).startS() + v.get(2).startS()) / 2, figures.meanWaitS(), 1e-9);
        assertEquals((v.get(1).startS() - v.get(0).startS() + v.get(3).startS() - v.get(2).startS()) / 2, figures.meanRideS(), 1e-9);
        // one rider over 21 -> 1 and two over 13 -> 1, each on its own loaded leg
        assertEquals((d(21, 1) + 2 * d(13, 1)) / (d(21, 1) + d(13, 1)), figures.riderKmPerKm(), 1e-9);
    }

    @Test
    void aVisitOfARequestNotGivenIsAnErrorNamingIt()
    {
        final List<OfflineRequest> requests = List.of(new OfflineRequest(2, 21, 1, 0, 1, 0));
        final List<OfflineCheck.CheckedRoute> routes = timed(requests,
            p(21, 2), x(1, 2));

        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> OfflineFigures.of(network, routes, List.of()));

        assertTrue(e.getMessage().contains("request 2"), e.getMessage());
    }
}
