package kr.sejong.city.bench.mobility;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import kr.sejong.city.core.loops.mobility.ShuttleNetwork;

/**
 * What a set of routes timed by {@link OfflineCheck} does with its distance, in the terms the online simulation
 * reports its fleet in, so the two can be compared side by side (where the km go, not only how many there are).
 *
 * @param vehicleKm    every leg of every route, the drive from the depot included.
 * @param emptyKm      legs driven with nobody on board (the drive from the depot included).
 * @param depotKm      the first leg of each route, from its depot.
 * @param directKm     for every ride served, the fastest direct path of the serving shuttle's group from its origin to
 *                     its destination: what the rides would take one by one.
 * @param meanWaitS    pickup (the check's {@code startS}) less earliest pickup, over the rides served.
 * @param meanRideS    drop-off less pickup, over the rides served.
 * @param riderKmPerKm rider-kilometres (each ride's riders x its direct km) per loaded vehicle-kilometre: how much the
 *                     loaded legs are shared.
 */
public record OfflineFigures(
    double vehicleKm, double emptyKm, double depotKm, double directKm, double meanWaitS, double meanRideS, double riderKmPerKm)
{
    /**
     * @param served the requests the routes serve; a visit of a request not among them is an error.
     */
    public static OfflineFigures of(final ShuttleNetwork network, final List<OfflineCheck.CheckedRoute> routes,
        final List<OfflineRequest> served)
    {
        final Map<Long, OfflineRequest> requests = new HashMap<>();
        for (final OfflineRequest request : served)
        {
            requests.put(request.id(), request);
        }
        double vehicleM = 0;
        double emptyM = 0;
        double depotM = 0;
        double directM = 0;
        double riderM = 0;
        double waitS = 0;
        double rideS = 0;
        int rides = 0;
        for (final OfflineCheck.CheckedRoute route : routes)
        {
            final int g = route.group();
            int at = network.stopIndex(network.group(g).depotStop());
            int onBoard = 0;
            boolean first = true;
            final Map<Long, Double> pickedUpS = new HashMap<>();
            for (final OfflineCheck.Visit visit : route.visits())
            {
                final int stop = network.stopIndex(visit.stopId());
                final double legM = network.distanceM(g, at, stop);
                vehicleM += legM;
                if (onBoard == 0)
                {
                    emptyM += legM;
                }
                if (first)
                {
                    depotM += legM;
                    first = false;
                }
                at = stop;
                onBoard = visit.seatsAfter();
                final OfflineRequest request = requests.get(visit.requestId());
                if (request == null)
                {
                    throw new IllegalArgumentException("shuttle " + route.shuttleId() + " visits request " + visit.requestId()
                        + ", which is not among the " + requests.size() + " requests given");
                }
                if (visit.action() == OfflineCheck.Action.PICKUP)
                {
                    pickedUpS.put(visit.requestId(), visit.startS());
                    waitS += visit.startS() - request.earliestPickupS();
                }
                else
                {
                    final double direct = network.distanceM(g,
                        network.stopIndex(request.originStopId()), network.stopIndex(request.destinationStopId()));
                    directM += direct;
                    riderM += direct * request.party();
                    rideS += visit.startS() - pickedUpS.get(visit.requestId());
                    rides++;
                }
            }
        }
        final double loadedM = vehicleM - emptyM;
        return new OfflineFigures(vehicleM / 1000.0, emptyM / 1000.0, depotM / 1000.0, directM / 1000.0,
            rides == 0 ? 0 : waitS / rides, rides == 0 ? 0 : rideS / rides, loadedM > 0 ? riderM / loadedM : 0);
    }
}
