package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A photovoltaic array behind one inverter (or a group of them controlled together).
 *
 * @param id     device id.
 * @param name   human name.
 * @param kind   where it is mounted.
 * @param peakKw peak power (kWp).
 */
public record PvArray(int id, String name, Kind kind, double peakKw)
{
    public enum Kind
    {
        @JsonProperty("rooftop") ROOFTOP,
        /** Over pedestrian passages and stops. */
        @JsonProperty("canopy") CANOPY,
        /** Over car parks. */
        @JsonProperty("parking") PARKING
    }
}
