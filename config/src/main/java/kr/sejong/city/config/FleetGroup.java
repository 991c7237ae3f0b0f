package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A group of identical shuttles with consecutive ids {@code firstId .. firstId + count - 1}.
 *
 * @param type                   road (on the ring) or sidewalk (on pedestrian passages).
 * @param count                  number of shuttles.
 * @param firstId                id of the first shuttle.
 * @param maxSpeedKmh            top speed.
 * @param capacity               passengers, wheelchair users included.
 * @param wheelchairPlaces       of the capacity, places for a wheelchair.
 * @param batteryKwh             usable battery energy.
 * @param consumptionKwhPerKm    energy per km driven.
 * @param reservePercent         state of charge never planned below.
 * @param chargeThresholdPercent state of charge at which a shuttle is sent to charge.
 * @param depotStop              id of the stop (a depot) where the group parks.
 */
public record FleetGroup(
    Type type,
    int count,
    int firstId,
    double maxSpeedKmh,
    int capacity,
    int wheelchairPlaces,
    double batteryKwh,
    double consumptionKwhPerKm,
    double reservePercent,
    double chargeThresholdPercent,
    int depotStop)
{
    public enum Type
    {
        @JsonProperty("road") ROAD,
        @JsonProperty("sidewalk") SIDEWALK
    }

    /** Id of the last shuttle of the group. */
    public int lastId()
    {
        return firstId + count - 1;
    }

    public boolean contains(final int shuttleId)
    {
        return shuttleId >= firstId && shuttleId <= lastId();
    }
}
