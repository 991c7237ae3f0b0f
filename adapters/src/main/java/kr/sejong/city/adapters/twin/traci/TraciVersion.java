package kr.sejong.city.adapters.twin.traci;

/**
 * What {@code getVersion} answers.
 *
 * @param apiVersion TraCI API version (20 for SUMO 1.15).
 * @param sumoVersion SUMO's own version text, e.g. "SUMO 1.15.0".
 */
public record TraciVersion(int apiVersion, String sumoVersion)
{
}
