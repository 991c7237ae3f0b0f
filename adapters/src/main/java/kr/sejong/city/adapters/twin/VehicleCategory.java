package kr.sejong.city.adapters.twin;

/**
 * How the twin's report splits the vehicles of a run, from SUMO's vehicle class (vClass), read once when
 * a vehicle departs: emergency vehicles (preempted by the loop), buses (given transit priority) and
 * the background traffic that pays for both.
 */
public enum VehicleCategory
{
    /** vClass {@code emergency}: ambulances, fire engines, police. */
    EMERGENCY,
    /** vClass {@code bus}: the BRT buses. */
    TRANSIT,
    /** Every other vehicle. */
    BACKGROUND;

    /** The category of a SUMO vClass ("emergency", "bus", "passenger", ...). */
    public static VehicleCategory of(final String vClass)
    {
        return switch (vClass)
        {
            case "emergency" -> EMERGENCY;
            case "bus" -> TRANSIT;
            default -> BACKGROUND;
        };
    }
}
