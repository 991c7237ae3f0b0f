package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A place that matters to triage: an event inside it may get a higher priority.
 *
 * @param id      numeric id.
 * @param name    human name.
 * @param kind    what the place is.
 * @param eastM   centre, local frame.
 * @param northM  centre, local frame.
 * @param radiusM the place is the disc of this radius around its centre.
 */
public record Place(int id, String name, Kind kind, double eastM, double northM, double radiusM)
{
    public enum Kind
    {
        @JsonProperty("school") SCHOOL,
        @JsonProperty("hospital") HOSPITAL,
        @JsonProperty("tunnel") TUNNEL,
        @JsonProperty("park") PARK,
        @JsonProperty("market") MARKET,
        @JsonProperty("residential") RESIDENTIAL
    }

    public boolean contains(final double pointEastM, final double pointNorthM)
    {
        return Math.hypot(pointEastM - eastM, pointNorthM - northM) <= radiusM;
    }
}
