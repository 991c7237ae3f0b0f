package kr.sejong.city.config;

import java.util.List;

/**
 * What shuttle dispatch needs.
 *
 * @param stops     where shuttles pick up, drop off, charge and park.
 * @param waypoints junctions of the shuttles' graph that are not stops.
 * @param passages  the graph's edges between stops and waypoints: roads and pedestrian passages, with a
 *                  speed limit per shuttle type.
 * @param fleet     groups of identical shuttles.
 * @param chargers  shuttle chargers at stops.
 * @param service   service promises and hours.
 */
public record Mobility(
    List<Stop> stops,
    List<Waypoint> waypoints,
    List<Passage> passages,
    List<FleetGroup> fleet,
    List<ShuttleCharger> chargers,
    Service service)
{
    public Mobility
    {
        stops = Lists.copy(stops);
        waypoints = Lists.copy(waypoints);
        passages = Lists.copy(passages);
        fleet = Lists.copy(fleet);
        chargers = Lists.copy(chargers);
    }

    /**
     * The promises dispatch keeps to every accepted ride.
     * A ride's longest in-vehicle time is {@code rideTimeFactor x direct time + rideTimeOffsetS}.
     *
     * @param maxWaitS         longest wait from the earliest pickup time.
     * @param rideTimeFactor   factor a on the direct ride time; at least 1.
     * @param rideTimeOffsetS  offset b added to it.
     * @param dwellS           time at a stop for boarding or alighting.
     * @param serviceStartHour first hour requests are served, local time.
     * @param serviceEndHour   hour service ends (exclusive), up to 24.
     * @param maxWalkM         a rider who gives a position instead of a stop is served at the nearest stop within
     *                         this straight-line distance.
     * @param waitCostMPerS    dispatch policy: what a second of a new rider's wait (past the earliest pickup) is worth
     *                         in metres driven, when the dispatch loop weighs where to insert a ride.
     * @param newShuttleCostM  dispatch policy: the metres an insertion into a shuttle with no ride on its plan is
     *                         charged on top, so a ride goes to a shuttle already on the road unless starting another
     *                         one saves more than this.
     * @param rebalancing      dispatch policy: whether idle shuttles are moved toward the stops where rides began.
     */
    public record Service(
        int maxWaitS,
        double rideTimeFactor,
        int rideTimeOffsetS,
        int dwellS,
        int serviceStartHour,
        int serviceEndHour,
        int maxWalkM,
        double waitCostMPerS,
        double newShuttleCostM,
        boolean rebalancing)
    {
        /** The promises with the default city's dispatch policy (0.5 m per second of wait, 1,500 m for a new shuttle, no rebalancing). */
        public Service(final int maxWaitS, final double rideTimeFactor, final int rideTimeOffsetS, final int dwellS,
            final int serviceStartHour, final int serviceEndHour, final int maxWalkM)
        {
            this(maxWaitS, rideTimeFactor, rideTimeOffsetS, dwellS, serviceStartHour, serviceEndHour, maxWalkM, 0.5, 1500, false);
        }

        /** The same promises with another dispatch policy. */
        public Service withPolicy(final double waitCostMPerS, final double newShuttleCostM, final boolean rebalancing)
        {
            return new Service(maxWaitS, rideTimeFactor, rideTimeOffsetS, dwellS, serviceStartHour, serviceEndHour, maxWalkM,
                waitCostMPerS, newShuttleCostM, rebalancing);
        }

        /** Longest in-vehicle time promised for a ride whose direct time is {@code directS}. */
        public double maxRideS(final double directS)
        {
            return rideTimeFactor * directS + rideTimeOffsetS;
        }
    }
}
