package kr.sejong.city.config;

/**
 * Households that own a PV array and settle with neighbours as one.
 *
 * @param id         numeric id used in settlements.
 * @param name       human name.
 * @param pv         id of the PV array they own.
 * @param households number of households.
 */
public record Prosumer(int id, String name, int pv, int households)
{
}
