package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A signalised intersection.
 *
 * @param id         numeric id used on the wire.
 * @param name       human name.
 * @param kind       where it sits in the road network.
 * @param eastM      position of its centre, local frame.
 * @param northM     position of its centre, local frame.
 * @param approaches the legs traffic enters by; their ids are unique within this intersection.
 */
public record Intersection(
    int id,
    String name,
    Kind kind,
    double eastM,
    double northM,
    List<Approach> approaches)
{
    public Intersection
    {
        approaches = Lists.copy(approaches);
    }

    public enum Kind
    {
        /** On the Circulation Ring (or a city's main ring road). */
        @JsonProperty("ring") RING,
        /** On the BRT trunk road. */
        @JsonProperty("brt") BRT,
        @JsonProperty("local") LOCAL
    }

    /**
     * The approach with this id, or null.
     */
    public Approach approach(final int approachId)
    {
        for (final Approach approach : approaches)
        {
            if (approach.id() == approachId)
            {
                return approach;
            }
        }
        return null;
    }

    /**
     * One leg of an intersection, as traffic arrives on it.
     *
     * @param id             numeric id, unique within the intersection (uint16 on the wire).
     * @param fromBearingDeg compass bearing, from the intersection's centre, of where the approach's
     *                       traffic comes from: 0 = from the north (southbound traffic), 90 = from
     *                       the east. In [0, 360).
     * @param lanes          lanes at the stop line, indexed 0 (innermost, next to the centre line)
     *                       to lanes - 1 (kerb).
     * @param busLane        whether lane 0 is reserved for buses (the BRT median lane).
     */
    public record Approach(int id, double fromBearingDeg, int lanes, boolean busLane)
    {
    }
}
