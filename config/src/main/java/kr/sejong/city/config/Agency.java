package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An agency incidents are routed to.
 *
 * @param kind       which agency; at most one entry per kind.
 * @param name       human name.
 * @param callNumber the emergency number the public calls it on (112, 119), as text.
 */
public record Agency(Kind kind, String name, String callNumber)
{
    public enum Kind
    {
        @JsonProperty("police") POLICE,
        @JsonProperty("fire") FIRE,
        @JsonProperty("ems") EMS
    }
}
