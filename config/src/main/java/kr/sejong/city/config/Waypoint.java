package kr.sejong.city.config;

/**
 * A node of the shuttles' road graph that is not a stop: a junction where roads or passages meet.
 * Waypoint ids share one id space with stop ids.
 *
 * @param id     numeric id, unique among stops and waypoints.
 * @param name   human name.
 * @param eastM  position, local frame.
 * @param northM position, local frame.
 */
public record Waypoint(int id, String name, double eastM, double northM)
{
}
