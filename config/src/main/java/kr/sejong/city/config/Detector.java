package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A vehicle detector on one lane of one approach.
 *
 * @param id           numeric id used on the wire.
 * @param intersection id of the intersection.
 * @param approach     id of the approach, within that intersection.
 * @param lane         lane index within the approach, 0 = innermost.
 * @param kind         where along the lane it sits.
 */
public record Detector(int id, int intersection, int approach, int lane, Kind kind)
{
    public enum Kind
    {
        /** At the stop line: counts discharge and occupancy. */
        @JsonProperty("stop-line") STOP_LINE,
        /** Upstream of the stop line: sees arrivals before they queue. */
        @JsonProperty("advance") ADVANCE
    }
}
