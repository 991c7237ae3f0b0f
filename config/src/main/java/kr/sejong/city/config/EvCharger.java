package kr.sejong.city.config;

/**
 * An electric-vehicle charger on the microgrid.
 *
 * @param id      device id.
 * @param name    human name.
 * @param powerKw rated power (standard about 7, fast 50 to 100, super-fast up to 300).
 * @param v2g     whether it can discharge the vehicle into the grid (vehicle-to-grid), at up to
 *                the same power.
 */
public record EvCharger(int id, String name, double powerKw, boolean v2g)
{
}
