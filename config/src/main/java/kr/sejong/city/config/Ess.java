package kr.sejong.city.config;

/**
 * A battery energy storage system.
 *
 * @param id                device id.
 * @param name              human name.
 * @param capacityKwh       usable energy at 100 % state of charge.
 * @param maxChargeKw       largest charging power.
 * @param maxDischargeKw    largest discharging power.
 * @param minSocPercent     state of charge never gone below.
 * @param maxSocPercent     state of charge never gone above.
 * @param initialSocPercent state of charge the simulator starts from.
 */
public record Ess(
    int id,
    String name,
    double capacityKwh,
    double maxChargeKw,
    double maxDischargeKw,
    double minSocPercent,
    double maxSocPercent,
    double initialSocPercent)
{
}
