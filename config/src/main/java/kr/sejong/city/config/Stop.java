package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A shuttle stop.
 *
 * @param id     numeric id used on the wire.
 * @param name   human name.
 * @param kind   what the stop serves.
 * @param eastM  position, local frame.
 * @param northM position, local frame.
 */
public record Stop(int id, String name, Kind kind, double eastM, double northM)
{
    public enum Kind
    {
        /** A residential stop feeding the hotspots and the BRT. */
        @JsonProperty("feeder") FEEDER,
        /** A busy destination: community center, shopping, medical. */
        @JsonProperty("hotspot") HOTSPOT,
        /** A BRT station: transfer to the trunk line. */
        @JsonProperty("brt") BRT,
        /** Where shuttles park and charge. */
        @JsonProperty("depot") DEPOT
    }
}
