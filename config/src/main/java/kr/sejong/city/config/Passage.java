package kr.sejong.city.config;

/**
 * An edge of the shuttles' graph between two nodes (stops or waypoints), usable both ways, with a speed
 * limit per shuttle type. A type whose limit is 0 may not use it: roads carry road shuttles, pedestrian
 * passages sidewalk shuttles. A shuttle drives at the lower of the edge's limit for its type and its own
 * top speed.
 *
 * @param from        id of one end (stop or waypoint).
 * @param to          id of the other end.
 * @param lengthM     length along the way; at least the straight line between the ends.
 * @param roadKmh     speed limit for road shuttles, 0 when they may not use it.
 * @param sidewalkKmh speed limit for sidewalk shuttles, 0 when they may not use it.
 */
public record Passage(int from, int to, double lengthM, double roadKmh, double sidewalkKmh)
{
    /** The speed limit for a shuttle type, 0 when the type may not use this edge. */
    public double limitKmh(final FleetGroup.Type type)
    {
        return type == FleetGroup.Type.ROAD ? roadKmh : sidewalkKmh;
    }
}
