package kr.sejong.city.bench.mobility;

import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;

import java.util.List;

import static kr.sejong.city.bench.mobility.OfflineCheck.Action.DROPOFF;
import static kr.sejong.city.bench.mobility.OfflineCheck.Action.PICKUP;

/** One sidewalk shuttle's route on the default city, for the tests of {@link OfflineCheck} and {@link OfflineFigures}. */
final class SidewalkRoutes
{
    static final int SIDEWALK = 1;
    static final int[] FLEET = {12, 8};
    static final int SHUTTLE = 2001;
    static final ShuttleNetwork network;
    static final Mobility.Service service;

    static
    {
        final CityConfig config = ConfigLoader.loadDefault().config();
        network = ShuttleNetwork.from(config);
        service = config.mobility().service();
    }

    private SidewalkRoutes()
    {
    }

    static OfflineCheck.PlannedStop p(final int stop, final long request)
    {
        return new OfflineCheck.PlannedStop(stop, PICKUP, request);
    }

    static OfflineCheck.PlannedStop x(final int stop, final long request)
    {
        return new OfflineCheck.PlannedStop(stop, DROPOFF, request);
    }

    /** The stops as shuttle {@link #SHUTTLE}'s route, checked under service promises {@code s}. */
    static OfflineCheck.Report check(final Mobility.Service s, final List<OfflineRequest> requests, final OfflineCheck.PlannedStop... stops)
    {
        return OfflineCheck.check(network, s, FLEET, 0, requests, List.of(new OfflineCheck.PlannedRoute(SHUTTLE, SIDEWALK, List.of(stops))));
    }

    /** Metres along the sidewalk group's fastest path between two stops. */
    static double d(final int a, final int b)
    {
        return network.distanceM(SIDEWALK, network.stopIndex(a), network.stopIndex(b));
    }

    /** Seconds along the sidewalk group's fastest path between two stops. */
    static double t(final int a, final int b)
    {
        return network.timeS(SIDEWALK, network.stopIndex(a), network.stopIndex(b));
    }
}
