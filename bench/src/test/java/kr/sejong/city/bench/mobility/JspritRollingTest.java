package kr.sejong.city.bench.mobility;

import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jsprit online (rolling horizon): a ride is used only from its request on, and what the shuttles drive is what was
 * decided with what was known then. Stops as in {@link JspritOfflineTest}: the sidewalk fleet (group 1, depot 32)
 * on the path 21 - 1 - 22 - 13.
 */
class JspritRollingTest
{
    private static final int SIDEWALK = 1;
    private static final JspritRolling.Settings SETTINGS = new JspritRolling.Settings(100, 1, 60);
    private static final int[] ONE_SIDEWALK_SHUTTLE = {0, 1};

    private static CityConfig config;
    private static ShuttleNetwork network;
    private static Mobility.Service service;

    @BeforeAll
    static void load()
    {
        config = ConfigLoader.loadDefault().config();
        network = ShuttleNetwork.from(config);
        service = config.mobility().service();
        assertEquals(32, network.group(SIDEWALK).depotStop());
    }

    private static double d(final int fromStop, final int toStop)
    {
        return network.distanceM(SIDEWALK, network.stopIndex(fromStop), network.stopIndex(toStop));
    }

    private static Map<Long, JspritRolling.Trip> trips(final JspritRolling.Result result)
    {
        final Map<Long, JspritRolling.Trip> byId = new HashMap<>();
        result.trips().forEach(trip -> byId.put(trip.requestId(), trip));
        return byId;
    }

    @Test
    void twoRidersKnownInTimeShareTheShuttleAsOffline()
    {
        // stop 1 lies on the sidewalk path from 21 to 13: riding together costs nothing more than the longer ride
        assertEquals(d(21, 13), d(21, 1) + d(1, 13), 1e-9);
        final List<JspritRolling.Request> requests = List.of(
            new JspritRolling.Request(new OfflineRequest(1, 21, 13, 300, 1, 0), 0),
            new JspritRolling.Request(new OfflineRequest(2, 21, 1, 400, 1, 0), 0));

        final JspritRolling.Result result = JspritRolling.solve(network, service, requests, ONE_SIDEWALK_SHUTTLE, SETTINGS);

        assertEquals(0, result.violations(), () -> String.join("\n", result.details()));
        assertEquals(2, result.served());
        assertEquals(d(32, 21) + d(21, 13), result.totalDistanceM(), 1e-6);
        final Map<Long, JspritRolling.Trip> trips = trips(result);
        // both on board between the second boarding and the first drop-off
        assertTrue(trips.get(2L).boardS() < trips.get(1L).dropS() && trips.get(1L).boardS() < trips.get(2L).dropS(), trips::toString);
    }

    @Test
    void aRiderWhoAsksAfterTheShuttleLeftIsFetchedOnASecondTrip()
    {
        // the same rides, the second asked for only after the first boarded at 300 and the shuttle left with her
        final List<JspritRolling.Request> requests = List.of(
            new JspritRolling.Request(new OfflineRequest(1, 21, 13, 300, 1, 0), 0),
            new JspritRolling.Request(new OfflineRequest(2, 21, 1, 400, 1, 0), 370));

        final JspritRolling.Result result = JspritRolling.solve(network, service, requests, ONE_SIDEWALK_SHUTTLE, SETTINGS);

        assertEquals(0, result.violations(), () -> String.join("\n", result.details()));
        assertEquals(2, result.served());
        assertEquals(d(32, 21) + d(21, 13) + d(13, 21) + d(21, 1), result.totalDistanceM(), 1e-6);
        final Map<Long, JspritRolling.Trip> trips = trips(result);
        assertTrue(trips.get(2L).boardS() > trips.get(1L).dropS(), trips::toString);
        assertTrue(trips.get(2L).boardS() >= 400 && trips.get(1L).boardS() >= 300, trips::toString);

        // offline, knowing both from the start, the shuttle waits at 21 for the second rider
        final JspritOffline.Result offline = JspritOffline.solve(network, service,
            List.of(requests.get(0).ride(), requests.get(1).ride()), ONE_SIDEWALK_SHUTTLE, JspritOffline.Settings.defaults().withIterations(100));
        assertEquals(d(32, 21) + d(21, 13), offline.totalDistanceM(), 1e-6);
    }

    @Test
    void aMorningServedOnlineKeepsEveryPromise()
    {
        final List<OfflineRequest> rides = MorningPeak.generate(network, 40, 3, 0, 3600);
        final List<JspritRolling.Request> requests = new ArrayList<>();
        for (int k = 0; k < rides.size(); k++)
        {
            // asked 2 to 15 minutes ahead, as on the morning scenarios
            final OfflineRequest ride = rides.get(k);
            requests.add(new JspritRolling.Request(ride, Math.max(0, ride.earliestPickupS() - 120 - (k * 97) % 780)));
        }
        final JspritRolling.Result result = JspritRolling.solve(network, service, requests, null, SETTINGS);

        assertEquals(0, result.violations(), () -> String.join("\n", result.details()));
        assertEquals(rides.size(), result.served() + result.unserved().size());
        assertTrue(result.served() >= rides.size() - 3, () -> result.unserved().toString());
        // checked here again, on the trips alone: nobody boards before asking or before the earliest pickup, nor rides too long
        final Map<Long, JspritRolling.Trip> trips = trips(result);
        for (final JspritRolling.Request request : requests)
        {
            final JspritRolling.Trip trip = trips.get(request.ride().id());
            if (trip == null)
            {
                continue;
            }
            final OfflineRequest ride = request.ride();
            final int o = network.stopIndex(ride.originStopId());
            final int dest = network.stopIndex(ride.destinationStopId());
            assertTrue(trip.boardS() >= request.requestS() && trip.boardS() >= ride.earliestPickupS(), trip::toString);
            assertTrue(trip.boardS() <= ride.earliestPickupS() + service.maxWaitS() + 1e-6, trip::toString);
            assertTrue(trip.dropS() - trip.boardS() <= service.maxRideS(JspritOffline.fastestDirectS(network, o, dest)) + 1e-6, trip::toString);
        }
        final JspritRolling.Result again = JspritRolling.solve(network, service, requests, null, SETTINGS);
        assertEquals(result.totalDistanceM(), again.totalDistanceM());
        assertEquals(result.trips(), again.trips());
    }

    @Test
    void badRequestsAreNamed()
    {
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> JspritRolling.solve(network, service,
            List.of(new JspritRolling.Request(new OfflineRequest(5, 21, 999, 300, 1, 0), 0)), null, SETTINGS));
        assertEquals("request 5: stop 999 is not a stop of the network", unknown.getMessage());
        final IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> JspritRolling.solve(network, service,
            List.of(new JspritRolling.Request(new OfflineRequest(5, 21, 13, 300, 1, 0), 0),
                new JspritRolling.Request(new OfflineRequest(5, 21, 1, 300, 1, 0), 0)), null, SETTINGS));
        assertEquals("request id 5 given twice", twice.getMessage());
        final IllegalArgumentException early = assertThrows(IllegalArgumentException.class, () -> JspritRolling.solve(network, service,
            List.of(new JspritRolling.Request(new OfflineRequest(5, 21, 13, 300, 1, 0), -1)), null, SETTINGS));
        assertEquals("request 5: requested at -1.0 s, before the scenario start", early.getMessage());
    }
}
