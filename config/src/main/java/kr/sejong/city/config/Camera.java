package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A camera whose video analytics sends events.
 *
 * @param id                        numeric id used on the wire.
 * @param name                      human name.
 * @param kind                      what carries it.
 * @param eastM                     position (a drone's: its base), local frame.
 * @param northM                    position, local frame.
 * @param place                     id of the place it watches and stands in, or null.
 * @param falseAlarmHistoryPercent  share of its past events operators marked as false alarms.
 */
public record Camera(
    int id,
    String name,
    Kind kind,
    double eastM,
    double northM,
    Integer place,
    double falseAlarmHistoryPercent)
{
    public enum Kind
    {
        @JsonProperty("cctv") CCTV,
        /** A camera in a smart street light. */
        @JsonProperty("streetlight") STREETLIGHT,
        @JsonProperty("drone") DRONE
    }

    public boolean hasPlace()
    {
        return place != null;
    }
}
