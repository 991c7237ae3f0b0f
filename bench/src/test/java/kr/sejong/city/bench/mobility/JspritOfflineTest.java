package kr.sejong.city.bench.mobility;

import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small instances on the default city whose optimum follows by hand, determinism, and a 50-request morning.
 * Group 0 is the road fleet (depot 31), group 1 the sidewalk fleet (depot 32). Stops used: 21 Inner Block 1,
 * 1 Community Center, 13 BRT 5-1 East (sidewalk path 21 - 1 - 22 - 13), 27 Outer Block Northeast (roads only).
 */
class JspritOfflineTest
{
    private static final int ROAD = 0;
    private static final int SIDEWALK = 1;
    private static final JspritOffline.Settings SMALL = JspritOffline.Settings.defaults().withIterations(200);

    private static CityConfig config;
    private static ShuttleNetwork network;
    private static Mobility.Service service;

    @BeforeAll
    static void load()
    {
        config = ConfigLoader.loadDefault().config();
        network = ShuttleNetwork.from(config);
        service = config.mobility().service();
        assertEquals("road", config.mobility().fleet().get(ROAD).type().name().toLowerCase());
        assertEquals(31, network.group(ROAD).depotStop());
        assertEquals(32, network.group(SIDEWALK).depotStop());
    }

    private static double d(final int group, final int fromStop, final int toStop)
    {
        return network.distanceM(group, network.stopIndex(fromStop), network.stopIndex(toStop));
    }

    private static double t(final int group, final int fromStop, final int toStop)
    {
        return network.timeS(group, network.stopIndex(fromStop), network.stopIndex(toStop));
    }

    /** The fastest direct ride over both groups: what the ride-time promise is made of, whichever group serves. */
    private static double fastest(final int fromStop, final int toStop)
    {
        return Math.min(t(ROAD, fromStop, toStop), t(SIDEWALK, fromStop, toStop));
    }

    /** How much longer the sidewalk shuttles take from 21 to 13 than the fastest group, whole seconds up: added to a
     *  promise's offset below, a sidewalk shuttle's ride 21 to 13 has the slack (within a second) it would have
     *  against its own direct time. */
    private static int sidewalkSlack2113()
    {
        return (int)Math.ceil(t(SIDEWALK, 21, 13) - fastest(21, 13));
    }

    private static void assertClean(final JspritOffline.Result result)
    {
        assertEquals(0, result.violations(), () -> String.join("\n", result.check().details()));
        assertEquals(0, result.modelMismatches(), result::summary);
        assertEquals(result.totalDistanceM(), result.jspritDistanceM(), 1e-6);
    }

    @Test
    void twoRidersOnTheSameLineShareOneShuttle()
    {
        // stop 1 lies on the sidewalk shuttles' fastest path from 21 to 13
        assertEquals(d(SIDEWALK, 21, 13), d(SIDEWALK, 21, 1) + d(SIDEWALK, 1, 13), 1e-9);
        final List<OfflineRequest> requests = List.of(
            new OfflineRequest(1, 21, 13, 300, 1, 0),
            new OfflineRequest(2, 21, 1, 300, 1, 0));

        final JspritOffline.Result result = JspritOffline.solve(network, service, requests, new int[] {0, 2}, SMALL);

        assertClean(result);
        assertEquals(List.of(1L, 2L), result.served());
        assertEquals(1, result.routes().size(), result::summary);
        // one trip: depot to 21, both board, 2 alights at 1 on the way, 1 at 13
        assertEquals(d(SIDEWALK, 32, 21) + d(SIDEWALK, 21, 13), result.totalDistanceM(), 1e-6);
        final List<OfflineCheck.Visit> visits = result.routes().get(0).visits();
        assertEquals(List.of(21, 21, 1, 13), visits.stream().map(OfflineCheck.Visit::stopId).toList());
        assertEquals(2L, visits.get(2).requestId());
        // boarding at 300 (waiting for it); 2 arrives after the boarding dwell and the drive to stop 1
        assertEquals(300.0, visits.get(0).startS(), 1e-9);
        assertEquals(300.0 + service.dwellS() + t(SIDEWALK, 21, 1), visits.get(2).arrivalS(), 1e-9);
    }

    @Test
    void aRideLimitThatForbidsTheDetourTakesTwoShuttles()
    {
        // in-vehicle time at most the sidewalk's direct + 45 s: the 30 s boarding dwell fits, a 30 s stop on the way
        // does not; a 60 s wait rules out one shuttle doing one ride after the other
        final Mobility.Service strict = new Mobility.Service(60, 1.0, 45 + sidewalkSlack2113(), service.dwellS(), 6, 24, service.maxWalkM());
        final List<OfflineRequest> requests = List.of(
            new OfflineRequest(1, 21, 13, 300, 1, 0),
            new OfflineRequest(2, 21, 1, 300, 1, 0));

        final JspritOffline.Result two = JspritOffline.solve(network, strict, requests, new int[] {0, 2}, SMALL);
        assertClean(two);
        assertEquals(List.of(1L, 2L), two.served());
        assertEquals(2, two.routes().size(), two::summary);
        assertEquals(2 * d(SIDEWALK, 32, 21) + d(SIDEWALK, 21, 13) + d(SIDEWALK, 21, 1), two.totalDistanceM(), 1e-6);

        // one shuttle: it serves one of them, the shorter ride (less distance for the same penalty)
        final JspritOffline.Result one = JspritOffline.solve(network, strict, requests, new int[] {0, 1}, SMALL);
        assertClean(one);
        assertEquals(List.of(2L), one.served());
        assertEquals(List.of(1L), one.unassigned());
        assertEquals(List.of(), one.unreachable());
        assertEquals(d(SIDEWALK, 32, 21) + d(SIDEWALK, 21, 1), one.totalDistanceM(), 1e-6);

        // and with the config's generous promise the same two share again
        final JspritOffline.Result shared = JspritOffline.solve(network, service, requests, new int[] {0, 1}, SMALL);
        assertClean(shared);
        assertEquals(List.of(1L, 2L), shared.served());
        assertEquals(d(SIDEWALK, 32, 21) + d(SIDEWALK, 21, 13), shared.totalDistanceM(), 1e-6);
    }

    @Test
    void aRideLimitAlsoProtectsRidersAlreadyOnBoard()
    {
        // rider 1 boards first at 21 for 13; rider 2 boards later at 1, on rider 1's way. Stopping at 1 costs rider 1
        // a 30 s dwell: forbidden with 15 s of slack, allowed with 45 s (against the sidewalk's own direct time)
        final double pickup2 = 300 + service.dwellS() + t(SIDEWALK, 21, 1);
        final List<OfflineRequest> requests = List.of(
            new OfflineRequest(1, 21, 13, 300, 1, 0),
            new OfflineRequest(2, 1, 13, (long)Math.floor(pickup2), 1, 0));
        final Mobility.Service tight = new Mobility.Service(60, 1.0, 45 + sidewalkSlack2113(), service.dwellS(), 6, 24, service.maxWalkM());
        final Mobility.Service loose = new Mobility.Service(60, 1.0, 75 + sidewalkSlack2113(), service.dwellS(), 6, 24, service.maxWalkM());

        final JspritOffline.Result apart = JspritOffline.solve(network, tight, requests, new int[] {0, 2}, SMALL);
        assertClean(apart);
        assertEquals(2, apart.routes().size(), apart::summary);
        assertEquals(d(SIDEWALK, 32, 21) + d(SIDEWALK, 21, 13) + d(SIDEWALK, 32, 1) + d(SIDEWALK, 1, 13), apart.totalDistanceM(), 1e-6);

        final JspritOffline.Result together = JspritOffline.solve(network, loose, requests, new int[] {0, 2}, SMALL);
        assertClean(together);
        assertEquals(1, together.routes().size(), together::summary);
        assertEquals(d(SIDEWALK, 32, 21) + d(SIDEWALK, 21, 13), together.totalDistanceM(), 1e-6);
    }

    @Test
    void aSlowerGroupKeepsThePromiseOfTheFastestOne()
    {
        // the loop promises a ride of at most factor x the fastest direct ride any type offers + offset, whichever
        // shuttle serves it; jsprit must keep the same promise. 21 to 13 takes the sidewalk shuttles longer than the
        // road shuttles: with 45 s over the road's direct time, a sidewalk shuttle's direct ride (its 30 s boarding
        // dwell and its slower drive) is too long, though it would keep 45 s over its own direct time
        assertTrue(sidewalkSlack2113() > 15, () -> "slack " + sidewalkSlack2113());
        final Mobility.Service strict = new Mobility.Service(600, 1.0, 45, service.dwellS(), 6, 24, service.maxWalkM());
        final List<OfflineRequest> requests = List.of(new OfflineRequest(1, 21, 13, 300, 1, 0));

        final JspritOffline.Result sidewalkOnly = JspritOffline.solve(network, strict, requests, new int[] {0, 2}, SMALL);
        assertClean(sidewalkOnly);
        assertEquals(List.of(1L), sidewalkOnly.unassigned(), sidewalkOnly::summary);
        assertEquals(List.of(), sidewalkOnly.unreachable());

        final JspritOffline.Result withRoad = JspritOffline.solve(network, strict, requests, new int[] {1, 2}, SMALL);
        assertClean(withRoad);
        assertEquals(List.of(1L), withRoad.served());
        assertEquals(ROAD, withRoad.routes().get(0).group());
    }

    @Test
    void oneWheelchairPlaceKeepsTwoWheelchairRidersApart()
    {
        final List<OfflineRequest> requests = List.of(
            new OfflineRequest(1, 21, 13, 300, 1, 1),
            new OfflineRequest(2, 21, 13, 300, 1, 1));

        final JspritOffline.Result result = JspritOffline.solve(network, service, requests, new int[] {0, 2}, SMALL);

        assertClean(result);
        assertEquals(List.of(1L, 2L), result.served());
        // one shuttle after the other would drive 21-13-21-13 (more than a second shuttle from the depot)
        assertEquals(2, result.routes().size(), result::summary);
        assertEquals(2 * (d(SIDEWALK, 32, 21) + d(SIDEWALK, 21, 13)), result.totalDistanceM(), 1e-6);
    }

    @Test
    void aRequestGoesOnlyToAGroupThatReachesIt()
    {
        final int sidewalkDepot = network.stopIndex(32);
        assertTrue(!network.reachable(SIDEWALK, sidewalkDepot, network.stopIndex(27)));
        final List<OfflineRequest> requests = List.of(new OfflineRequest(7, 27, 13, 600, 1, 0));

        final JspritOffline.Result sidewalkOnly = JspritOffline.solve(network, service, requests, new int[] {0, 3}, SMALL);
        assertClean(sidewalkOnly);
        assertEquals(List.of(7L), sidewalkOnly.unassigned());
        assertEquals(List.of(7L), sidewalkOnly.unreachable());
        assertEquals(0.0, sidewalkOnly.totalDistanceM());

        final JspritOffline.Result fleet = JspritOffline.solve(config, requests, SMALL);
        assertClean(fleet);
        assertEquals(List.of(7L), fleet.served());
        assertEquals(ROAD, fleet.routes().get(0).group());
        assertEquals(d(ROAD, 31, 27) + d(ROAD, 27, 13), fleet.totalDistanceM(), 1e-6);
    }

    @Test
    void sameSeedSameSolution()
    {
        final List<OfflineRequest> requests = MorningPeak.generate(network, 60, 7, 0, 3600);
        final JspritOffline.Settings settings = JspritOffline.Settings.defaults().withIterations(100).withSeed(42);

        final JspritOffline.Result a = JspritOffline.solve(config, requests, settings);
        final JspritOffline.Result b = JspritOffline.solve(config, requests, settings);

        assertClean(a);
        assertEquals(a.totalDistanceM(), b.totalDistanceM());
        assertEquals(a.served(), b.served());
        assertEquals(a.routes(), b.routes());
    }

    @Test
    void fiftyMorningRequestsOnTheDefaultCity()
    {
        final List<OfflineRequest> requests = MorningPeak.generate(network, 50, 1, 0, 3600);
        // how long it takes is for the bench command to report (1.6 to 6.6 s on the 2-core VM), not for a test to assert
        final JspritOffline.Result result = JspritOffline.solve(config, requests, JspritOffline.Settings.defaults().withIterations(500));
        assertClean(result);
        assertEquals(50, result.served().size() + result.unassigned().size());
        assertTrue(result.served().size() >= 45, result::summary);
    }
}
