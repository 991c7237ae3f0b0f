package kr.sejong.city.core.loops.energy;

import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ControllableLoad;
import kr.sejong.city.config.Energy;
import kr.sejong.city.config.Ess;
import kr.sejong.city.config.EvCharger;
import kr.sejong.city.config.Prosumer;
import kr.sejong.city.config.PvArray;

import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The microgrid as the balancing loop sees it: the configuration's energy section in W, Wh, permille
 * and ns, in arrays indexed like the configuration lists, plus the loop's own tuning. Immutable.
 * {@link Context} holds the tuning with defaults; {@link Context#conclude()} checks it.
 */
public final class EnergySettings
{
    final int pccId;
    final long importLimitW;
    final long exportLimitW;
    final int nominalMilliHz;
    final int deadBandMilliHz;
    final double droopPercent;

    final int[] essIds;
    final long[] essCapacityWh;
    final long[] essMaxChargeW;
    final long[] essMaxDischargeW;
    final int[] essMinSocPermille;
    final int[] essMaxSocPermille;

    final int[] pvIds;
    final long[] pvPeakW;

    final int[] chargerIds;
    final long[] chargerRatedW;
    final boolean[] chargerV2g;

    final int[] loadIds;
    final long[] loadMaxReductionW;
    final long baseLoadW;
    final long peakLoadW;

    final int[] prosumerIds;
    final int[] prosumerPvIndex;
    final int[] prosumerHouseholds;
    final int households;
    final double neighbourSaleCapPercent;

    /** Tariff by 15-minute slot of the local day. */
    final long[] tariffImportKrwPerMwh = new long[TouPlan.SLOTS];
    final long[] tariffExportKrwPerMwh = new long[TouPlan.SLOTS];
    final ZoneRules zone;

    final Context tuning;

    private EnergySettings(final Energy energy, final String timeZone, final Context tuning)
    {
        this.tuning = tuning;
        final Energy.Pcc pcc = energy.pcc();
        pccId = pcc.id();
        importLimitW = Math.round(pcc.importLimitKw() * 1000);
        exportLimitW = Math.round(pcc.exportLimitKw() * 1000);
        nominalMilliHz = (int)Math.round(pcc.nominalFrequencyHz() * 1000);
        deadBandMilliHz = pcc.deadBandMilliHz();
        droopPercent = pcc.droopPercent();

        final List<Ess> ess = energy.ess();
        essIds = new int[ess.size()];
        essCapacityWh = new long[ess.size()];
        essMaxChargeW = new long[ess.size()];
        essMaxDischargeW = new long[ess.size()];
        essMinSocPermille = new int[ess.size()];
        essMaxSocPermille = new int[ess.size()];
        for (int i = 0; i < essIds.length; i++)
        {
            final Ess unit = ess.get(i);
            essIds[i] = unit.id();
            essCapacityWh[i] = Math.round(unit.capacityKwh() * 1000);
            essMaxChargeW[i] = Math.round(unit.maxChargeKw() * 1000);
            essMaxDischargeW[i] = Math.round(unit.maxDischargeKw() * 1000);
            essMinSocPermille[i] = (int)Math.round(unit.minSocPercent() * 10);
            essMaxSocPermille[i] = (int)Math.round(unit.maxSocPercent() * 10);
        }

        final List<PvArray> pv = energy.pv();
        pvIds = new int[pv.size()];
        pvPeakW = new long[pv.size()];
        for (int i = 0; i < pvIds.length; i++)
        {
            pvIds[i] = pv.get(i).id();
            pvPeakW[i] = Math.round(pv.get(i).peakKw() * 1000);
        }

        final List<EvCharger> chargers = energy.evChargers();
        chargerIds = new int[chargers.size()];
        chargerRatedW = new long[chargers.size()];
        chargerV2g = new boolean[chargers.size()];
        for (int i = 0; i < chargerIds.length; i++)
        {
            chargerIds[i] = chargers.get(i).id();
            chargerRatedW[i] = Math.round(chargers.get(i).powerKw() * 1000);
            chargerV2g[i] = chargers.get(i).v2g();
        }

        final List<ControllableLoad> loads = energy.loads().controllable();
        loadIds = new int[loads.size()];
        loadMaxReductionW = new long[loads.size()];
        for (int i = 0; i < loadIds.length; i++)
        {
            loadIds[i] = loads.get(i).id();
            loadMaxReductionW[i] = Math.round(loads.get(i).maxReductionKw() * 1000);
        }
        baseLoadW = Math.round(energy.loads().baseLoadKw() * 1000);
        peakLoadW = Math.round(energy.loads().peakLoadKw() * 1000);

        final List<Prosumer> prosumers = energy.prosumers();
        prosumerIds = new int[prosumers.size()];
        prosumerPvIndex = new int[prosumers.size()];
        prosumerHouseholds = new int[prosumers.size()];
        for (int i = 0; i < prosumerIds.length; i++)
        {
            prosumerIds[i] = prosumers.get(i).id();
            prosumerPvIndex[i] = indexOf(pvIds, prosumers.get(i).pv());
            prosumerHouseholds[i] = prosumers.get(i).households();
        }
        households = energy.loads().households();
        neighbourSaleCapPercent = energy.neighbourSaleCapPercent();

        java.util.Arrays.fill(tariffImportKrwPerMwh, -1);
        for (final Energy.TariffSlot slot : energy.tariff())
        {
            for (int s = slot.fromHour() * 4; s < slot.toHour() * 4 && s < TouPlan.SLOTS; s++)
            {
                tariffImportKrwPerMwh[s] = Math.round(slot.importKrwPerKwh() * 1000);
                tariffExportKrwPerMwh[s] = Math.round(slot.exportKrwPerKwh() * 1000);
            }
        }
        for (int s = 0; s < TouPlan.SLOTS; s++)
        {
            if (tariffImportKrwPerMwh[s] < 0)
            {
                throw new IllegalArgumentException("energy.tariff leaves " + (s / 4) + ":" + (s % 4 * 15) + " without a price");
            }
        }
        zone = ZoneId.of(timeZone).getRules();
    }

    /** Settings of the city's energy section with the default tuning. */
    public static EnergySettings from(final CityConfig config)
    {
        return from(config, new Context());
    }

    public static EnergySettings from(final CityConfig config, final Context tuning)
    {
        if (config.energy() == null)
        {
            throw new IllegalArgumentException("the configuration has no energy section");
        }
        return new EnergySettings(config.energy(), config.city().timeZone(), tuning.conclude());
    }

    static int indexOf(final int[] ids, final int id)
    {
        for (int i = 0; i < ids.length; i++)
        {
            if (ids[i] == id)
            {
                return i;
            }
        }
        return -1;
    }

    public long importLimitW()
    {
        return importLimitW;
    }

    public long exportLimitW()
    {
        return exportLimitW;
    }

    public int essCount()
    {
        return essIds.length;
    }

    public int chargerCount()
    {
        return chargerIds.length;
    }

    public Context tuning()
    {
        return tuning;
    }

    /** The loop's tuning, with defaults. Fluent setters; {@link #conclude()} checks every value. */
    public static final class Context
    {
        private int pccMarginPermille = 20;
        private long staleAfterNs = TimeUnit.SECONDS.toNanos(2);
        private long futureToleranceNs = TimeUnit.SECONDS.toNanos(1);
        private long evDeadlineMarginNs = TimeUnit.MINUTES.toNanos(10);
        private int peakReservePermille = 550;
        private int peakTargetPermille = 850;
        private double roundTripEfficiency = 0.9;
        private long essDeadBandW = 1_000;
        private long chargerDeadBandW = 100;
        private long pvDeadBandW = 1_000;
        private long settlementPeriodNs = TimeUnit.MINUTES.toNanos(15);
        private long maxIntegrationStepNs = TimeUnit.SECONDS.toNanos(1);
        private boolean frozen;

        /** Planning margin below each PCC limit, permille of the limit (default 20: 2 %). */
        public Context pccMarginPermille(final int value) { check(); pccMarginPermille = value; return this; }
        public int pccMarginPermille() { return pccMarginPermille; }
        /** A measurement older than this is stale (default 2 s). */
        public Context staleAfterNs(final long value) { check(); staleAfterNs = value; return this; }
        public long staleAfterNs() { return staleAfterNs; }
        /** A measurement stamped further ahead of the loop's time than this is impossible (default 1 s). */
        public Context futureToleranceNs(final long value) { check(); futureToleranceNs = value; return this; }
        public long futureToleranceNs() { return futureToleranceNs; }
        /** EVs are planned to be full this long before they leave (default 10 min). */
        public Context evDeadlineMarginNs(final long value) { check(); evDeadlineMarginNs = value; return this; }
        public long evDeadlineMarginNs() { return evDeadlineMarginNs; }
        /** Share of the ESS's usable energy kept for peak shaving, permille (default 550). */
        public Context peakReservePermille(final int value) { check(); peakReservePermille = value; return this; }
        public int peakReservePermille() { return peakReservePermille; }
        /** Import above which the reserve shaves peaks, permille of the import limit (default 850). */
        public Context peakTargetPermille(final int value) { check(); peakTargetPermille = value; return this; }
        public int peakTargetPermille() { return peakTargetPermille; }
        /** ESS energy out per energy in (default 0.9). */
        public Context roundTripEfficiency(final double value) { check(); roundTripEfficiency = value; return this; }
        public double roundTripEfficiency() { return roundTripEfficiency; }
        /** A set-point is sent again only when it moves by more than this (ESS default 1 kW). */
        public Context essDeadBandW(final long value) { check(); essDeadBandW = value; return this; }
        public long essDeadBandW() { return essDeadBandW; }
        public Context chargerDeadBandW(final long value) { check(); chargerDeadBandW = value; return this; }
        public long chargerDeadBandW() { return chargerDeadBandW; }
        public Context pvDeadBandW(final long value) { check(); pvDeadBandW = value; return this; }
        public long pvDeadBandW() { return pvDeadBandW; }
        /** Settlement period (default 15 min). */
        public Context settlementPeriodNs(final long value) { check(); settlementPeriodNs = value; return this; }
        public long settlementPeriodNs() { return settlementPeriodNs; }
        /** Longest gap between Ticks integrated as energy; a longer gap (the node was down) counts this much. */
        public Context maxIntegrationStepNs(final long value) { check(); maxIntegrationStepNs = value; return this; }
        public long maxIntegrationStepNs() { return maxIntegrationStepNs; }

        private void check()
        {
            if (frozen)
            {
                throw new IllegalStateException("settings are concluded");
            }
        }

        public Context conclude()
        {
            if (frozen)
            {
                return this;
            }
            require(pccMarginPermille >= 0 && pccMarginPermille < 500, "pccMarginPermille", pccMarginPermille);
            require(staleAfterNs > 0, "staleAfterNs", staleAfterNs);
            require(futureToleranceNs >= 0, "futureToleranceNs", futureToleranceNs);
            require(evDeadlineMarginNs >= 0, "evDeadlineMarginNs", evDeadlineMarginNs);
            require(peakReservePermille >= 0 && peakReservePermille <= 1000, "peakReservePermille", peakReservePermille);
            require(peakTargetPermille > 0 && peakTargetPermille <= 1000, "peakTargetPermille", peakTargetPermille);
            require(roundTripEfficiency > 0 && roundTripEfficiency <= 1, "roundTripEfficiency", roundTripEfficiency);
            require(essDeadBandW >= 0 && chargerDeadBandW >= 0 && pvDeadBandW >= 0, "dead bands", essDeadBandW);
            require(settlementPeriodNs >= TimeUnit.MINUTES.toNanos(1), "settlementPeriodNs", settlementPeriodNs);
            require(maxIntegrationStepNs > 0, "maxIntegrationStepNs", maxIntegrationStepNs);
            frozen = true;
            return this;
        }

        private static void require(final boolean ok, final String name, final Object value)
        {
            if (!ok)
            {
                throw new IllegalArgumentException("energy loop setting " + name + " out of range: " + value);
            }
        }
    }
}
