package kr.sejong.city.config;

/**
 * A road between two intersections, used both ways.
 *
 * @param id       numeric id.
 * @param from     id of one end's intersection.
 * @param to       id of the other end's intersection.
 * @param lengthM  length along the road (at least the straight line between the ends).
 * @param speedKmh speed limit.
 * @param major    whether signals coordinate along it (green wave).
 * @param brt      whether the BRT runs on it.
 */
public record Link(int id, int from, int to, double lengthM, double speedKmh, boolean major, boolean brt)
{
}
