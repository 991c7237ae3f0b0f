package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A charger for shuttles, at a stop.
 *
 * @param id      numeric id used on the wire.
 * @param name    human name.
 * @param stop    id of the stop it stands at.
 * @param powerKw rated power.
 * @param kind    fast (about 30 minutes for a shuttle) or standard (about 6 hours).
 */
public record ShuttleCharger(int id, String name, int stop, double powerKw, Kind kind)
{
    public enum Kind
    {
        @JsonProperty("fast") FAST,
        @JsonProperty("standard") STANDARD
    }
}
