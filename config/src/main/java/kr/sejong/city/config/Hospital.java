package kr.sejong.city.config;

/**
 * A hospital patients may be taken to.
 *
 * @param id            numeric id used on the wire.
 * @param name          human name.
 * @param eastM         position of the emergency entrance, local frame.
 * @param northM        position of the emergency entrance, local frame.
 * @param beds          inpatient beds.
 * @param emergencyBeds emergency-department beds, at most {@code beds}.
 */
public record Hospital(int id, String name, double eastM, double northM, int beds, int emergencyBeds)
{
}
