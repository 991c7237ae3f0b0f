package kr.sejong.city.adapters.twin.traci;

/**
 * One connection a traffic light controls, as {@code getControlledLinks} reports it.
 *
 * @param fromLane incoming lane.
 * @param toLane   outgoing lane.
 * @param viaLane  the internal lane across the junction ("" when the network has no internal lanes).
 */
public record ControlledLink(String fromLane, String toLane, String viaLane)
{
}
