package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A police or fire/EMS station and the units based there.
 *
 * @param id     numeric id.
 * @param name   human name.
 * @param agency the agency that runs it.
 * @param eastM  position, local frame.
 * @param northM position, local frame.
 * @param units  units based there; unit ids are unique across all stations.
 */
public record Station(int id, String name, Agency.Kind agency, double eastM, double northM, List<Unit> units)
{
    public Station
    {
        units = Lists.copy(units);
    }

    /**
     * A vehicle that can be dispatched.
     *
     * @param id   numeric id used on the wire.
     * @param kind what it is.
     */
    public record Unit(int id, UnitKind kind)
    {
    }

    public enum UnitKind
    {
        @JsonProperty("patrol-car") PATROL_CAR(Agency.Kind.POLICE),
        @JsonProperty("fire-engine") FIRE_ENGINE(Agency.Kind.FIRE),
        @JsonProperty("ladder-truck") LADDER_TRUCK(Agency.Kind.FIRE),
        @JsonProperty("rescue") RESCUE(Agency.Kind.FIRE),
        @JsonProperty("ambulance") AMBULANCE(Agency.Kind.EMS);

        private final Agency.Kind agency;

        UnitKind(final Agency.Kind agency)
        {
            this.agency = agency;
        }

        /** The agency whose unit this is. */
        public Agency.Kind agency()
        {
            return agency;
        }

        /**
         * Whether a unit of this kind may be based at a station of that agency. Ambulances may sit
         * at fire stations: Korean 119 safety centres house both.
         */
        public boolean basedAt(final Agency.Kind stationAgency)
        {
            return agency == stationAgency || (agency == Agency.Kind.EMS && stationAgency == Agency.Kind.FIRE);
        }
    }
}
