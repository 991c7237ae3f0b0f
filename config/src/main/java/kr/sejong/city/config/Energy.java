package kr.sejong.city.config;

import java.util.List;

/**
 * The microgrid that grid balancing controls. Device ids are unique within each kind of device
 * (messages carry the device kind next to the id).
 *
 * @param pcc                          the point of common coupling with the utility grid.
 * @param pv                           photovoltaic arrays.
 * @param ess                          battery energy storage systems.
 * @param evChargers                   electric-vehicle chargers for residents and visitors.
 * @param loads                        the district's demand and its controllable part.
 * @param prosumers                    households that own PV and trade with neighbours.
 * @param tariff                       time-of-use slots covering the day, in order.
 * @param selfSufficiencyTargetPercent share of consumption to cover from local generation.
 * @param neighbourSaleCapPercent      most of a prosumer's surplus in a settlement period that may
 *                                     go to neighbours; the rest is exported.
 */
public record Energy(
    Pcc pcc,
    List<PvArray> pv,
    List<Ess> ess,
    List<EvCharger> evChargers,
    Loads loads,
    List<Prosumer> prosumers,
    List<TariffSlot> tariff,
    double selfSufficiencyTargetPercent,
    double neighbourSaleCapPercent)
{
    public Energy
    {
        pv = Lists.copy(pv);
        ess = Lists.copy(ess);
        evChargers = Lists.copy(evChargers);
        prosumers = Lists.copy(prosumers);
        tariff = Lists.copy(tariff);
    }

    /**
     * The point of common coupling and its contract.
     *
     * @param id                 id of the PCC meter (also the frequency meter).
     * @param importLimitKw      contracted import limit.
     * @param exportLimitKw      export limit of the feeder.
     * @param nominalFrequencyHz 50 or 60.
     * @param deadBandMilliHz    deviation from nominal that gets no frequency response.
     * @param droopPercent       frequency droop of the response: full power at this deviation, in
     *                           percent of nominal.
     * @param responseDeadlineMs time from a frequency measurement to the set-points that answer it.
     */
    public record Pcc(
        int id,
        double importLimitKw,
        double exportLimitKw,
        double nominalFrequencyHz,
        int deadBandMilliHz,
        double droopPercent,
        int responseDeadlineMs)
    {
    }

    /**
     * The district's demand.
     *
     * @param households   households behind the PCC.
     * @param baseLoadKw   night-time minimum.
     * @param peakLoadKw   expected peak, EV charging excluded.
     * @param controllable loads that demand response may reduce.
     */
    public record Loads(int households, double baseLoadKw, double peakLoadKw, List<ControllableLoad> controllable)
    {
        public Loads
        {
            controllable = Lists.copy(controllable);
        }
    }

    /**
     * One time-of-use slot, local time, {@code fromHour} inclusive to {@code toHour} exclusive.
     *
     * @param fromHour        start hour, 0 to 23.
     * @param toHour          end hour, 1 to 24.
     * @param importKrwPerKwh price of imported energy.
     * @param exportKrwPerKwh price paid for exported energy.
     */
    public record TariffSlot(int fromHour, int toHour, double importKrwPerKwh, double exportKrwPerKwh)
    {
    }
}
