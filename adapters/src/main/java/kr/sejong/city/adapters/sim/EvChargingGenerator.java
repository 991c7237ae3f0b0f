package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.ChargerSessionEncoder;
import kr.sejong.city.codecs.ChargerSessionState;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.EvCharger;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Electric vehicles plugging in and leaving: arrivals are Poisson with {@code evArrivalsPerHour} x
 * {@link DailyProfiles#evArrivals}. A vehicle wants a class of charger (standard, fast or super-fast)
 * and takes the first free one of that class in configuration order; when all are busy it drives on.
 * ChargerSession CONNECTED on arrival (state of charge, energy needed, departure time), DISCONNECTED on
 * departure. Nothing controls the chargers yet: a vehicle charges at its full power until it has what
 * it needs; {@link #powerW(int)} is that power, for the grid measurements.
 */
final class EvChargingGenerator implements Generator
{
    static final long SALT = 0x4556434841524745L; // "EVCHARGE"

    /** Charger classes by rated power: AC standard up to 22 kW, DC fast up to 100 kW, super-fast above. */
    static final int STANDARD = 0;
    static final int FAST = 1;
    static final int SUPER_FAST = 2;
    static final double STANDARD_MAX_KW = 22;
    static final double FAST_MAX_KW = 100;
    /** Share of arriving vehicles that want each class, chosen. */
    static final double[] CLASS_SHARES = { 0.60, 0.25, 0.15 };
    /** Plug-in time per class, minutes: commuters park for the day, fast charging is a stop on the way. */
    static final double[] DWELL_MIN_MINUTES = { 180, 25, 15 };
    static final double[] DWELL_MAX_MINUTES = { 540, 60, 35 };
    /** Arrival state of charge per class, percent; AC users top up, DC users arrive low. */
    static final double[] ARRIVAL_SOC_MIN_PERCENT = { 30, 10, 10 };
    static final double[] ARRIVAL_SOC_MAX_PERCENT = { 70, 40, 40 };
    static final double[] TARGET_SOC_MIN_PERCENT = { 90, 80, 80 };
    static final double[] TARGET_SOC_MAX_PERCENT = { 100, 80, 80 };
    static final double BATTERY_MIN_KWH = 40;
    static final double BATTERY_MAX_KWH = 90;
    /** On-board AC charger limit, and the range of what vehicles accept on DC. */
    static final double VEHICLE_AC_MAX_KW = 11;
    static final double VEHICLE_DC_MIN_KW = 100;
    static final double VEHICLE_DC_MAX_KW = 250;
    /** Share of vehicles able to discharge to the grid (V2G), chosen. */
    static final double V2G_CAPABLE_SHARE = 0.6;

    private final SplittableRandom random;
    private final ZoneRules zone;
    private final double arrivalsPerHour;
    private final Arrivals arrivals = new Arrivals();
    private final int[] chargerIds;
    private final int[] chargerClass;
    private final double[] chargerKw;
    private final boolean[] chargerV2g;

    // the session at each charger
    private final boolean[] busy;
    private final long[] sessionIds;
    private final long[] departureNs;
    private final long[] chargedToNs;
    private final double[] batteryWh;
    private final double[] energyWh;
    private final double[] neededWh;
    private final int[] maxChargeW;
    private final int[] maxDischargeW;
    private final boolean[] v2gAllowed;
    private long nextSessionId = 1;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ChargerSessionEncoder encoder = new ChargerSessionEncoder();

    EvChargingGenerator(final CityConfig config, final long seed)
    {
        random = RandomDraws.stream(seed, SALT);
        zone = ZoneId.of(config.city().timeZone()).getRules();
        arrivalsPerHour = config.simulator().evArrivalsPerHour();
        final List<EvCharger> chargers = config.energy().evChargers();
        final int n = chargers.size();
        chargerIds = new int[n];
        chargerClass = new int[n];
        chargerKw = new double[n];
        chargerV2g = new boolean[n];
        for (int i = 0; i < n; i++)
        {
            final EvCharger charger = chargers.get(i);
            chargerIds[i] = charger.id();
            chargerKw[i] = charger.powerKw();
            chargerClass[i] = chargerClass(charger.powerKw());
            chargerV2g[i] = charger.v2g();
        }
        busy = new boolean[n];
        sessionIds = new long[n];
        departureNs = new long[n];
        chargedToNs = new long[n];
        batteryWh = new double[n];
        energyWh = new double[n];
        neededWh = new double[n];
        maxChargeW = new int[n];
        maxDischargeW = new int[n];
        v2gAllowed = new boolean[n];
    }

    @Override
    public void step(final long fromNs, final long toNs, final FrameSink sink)
    {
        final double hour = CityClock.localHourOfDay(zone, fromNs + (toNs - fromNs) / 2);
        final int count = arrivals.draw(random, arrivalsPerHour * DailyProfiles.evArrivals(hour), fromNs, toNs);
        int next = 0;
        while (true)
        {
            // departures and arrivals in time order; a departure first at the same instant frees its charger
            final int leaving = nextDeparture(toNs);
            final long arrivalNs = next < count ? arrivals.timeNs(next) : Long.MAX_VALUE;
            if (leaving >= 0 && departureNs[leaving] <= arrivalNs)
            {
                charge(leaving, departureNs[leaving]);
                busy[leaving] = false;
                emit(sink, leaving, ChargerSessionState.DISCONNECTED);
            }
            else if (next < count)
            {
                arrive(sink, arrivalNs);
                next++;
            }
            else
            {
                break;
            }
        }
        for (int i = 0; i < busy.length; i++)
        {
            if (busy[i])
            {
                charge(i, toNs);
            }
        }
    }

    /** Power drawn at charger {@code index} now, W: the vehicle's full power until it has what it needs. */
    int powerW(final int index)
    {
        return busy[index] && energyWh[index] < neededWh[index] ? maxChargeW[index] : 0;
    }

    /** State of charge of the vehicle at charger {@code index}, permille, or -1 when none is plugged in. */
    int vehicleSocPermille(final int index)
    {
        return busy[index] ? socPermille(index) : -1;
    }

    int chargerCount()
    {
        return chargerIds.length;
    }

    private void arrive(final FrameSink sink, final long arrivalNs)
    {
        final int wanted = RandomDraws.weightedIndex(random, CLASS_SHARES);
        final double battery = RandomDraws.uniform(random, BATTERY_MIN_KWH, BATTERY_MAX_KWH) * 1000.0;
        final double arrivalSoc = RandomDraws.uniform(random, ARRIVAL_SOC_MIN_PERCENT[wanted], ARRIVAL_SOC_MAX_PERCENT[wanted]);
        final double targetSoc = RandomDraws.uniform(random, TARGET_SOC_MIN_PERCENT[wanted], TARGET_SOC_MAX_PERCENT[wanted]);
        final double dwellMinutes = RandomDraws.uniform(random, DWELL_MIN_MINUTES[wanted], DWELL_MAX_MINUTES[wanted]);
        final double vehicleDcKw = RandomDraws.uniform(random, VEHICLE_DC_MIN_KW, VEHICLE_DC_MAX_KW);
        final boolean v2gCapable = RandomDraws.chance(random, V2G_CAPABLE_SHARE);

        final int index = firstFree(wanted);
        if (index < 0)
        {
            return; // every charger of that class is taken: the driver goes elsewhere
        }
        busy[index] = true;
        sessionIds[index] = nextSessionId++;
        departureNs[index] = arrivalNs + Math.round(dwellMinutes * 60.0) * CityClock.SECOND_NS;
        chargedToNs[index] = arrivalNs;
        batteryWh[index] = battery;
        energyWh[index] = battery * arrivalSoc / 100.0;
        neededWh[index] = battery * Math.max(targetSoc, arrivalSoc) / 100.0;
        final double vehicleKw = chargerClass[index] == STANDARD ? VEHICLE_AC_MAX_KW : vehicleDcKw;
        maxChargeW[index] = (int)Math.round(Math.min(chargerKw[index], vehicleKw) * 1000.0);
        v2gAllowed[index] = chargerV2g[index] && v2gCapable;
        maxDischargeW[index] = v2gAllowed[index] ? maxChargeW[index] : 0;
        emit(sink, index, ChargerSessionState.CONNECTED);
    }

    /** Uncontrolled charging from the last time charged to {@code untilNs}, at full power until full. */
    private void charge(final int index, final long untilNs)
    {
        final long fromNs = chargedToNs[index];
        if (untilNs <= fromNs)
        {
            return;
        }
        energyWh[index] = chargedEnergyWh(energyWh[index], neededWh[index], maxChargeW[index], untilNs - fromNs);
        chargedToNs[index] = untilNs;
    }

    /** Energy in the battery after charging at {@code powerW} for {@code durationNs}, stopping at {@code neededWh}. */
    static double chargedEnergyWh(final double energyWh, final double neededWh, final double powerW, final long durationNs)
    {
        return Math.min(neededWh, energyWh + powerW * durationNs / CityClock.HOUR_NS);
    }

    /** Class of a charger by its rated power. */
    static int chargerClass(final double powerKw)
    {
        return powerKw <= STANDARD_MAX_KW ? STANDARD : powerKw <= FAST_MAX_KW ? FAST : SUPER_FAST;
    }

    private int firstFree(final int wantedClass)
    {
        for (int i = 0; i < busy.length; i++)
        {
            if (!busy[i] && chargerClass[i] == wantedClass)
            {
                return i;
            }
        }
        return -1;
    }

    /** The busy charger whose vehicle leaves first before {@code toNs} (lowest index on a tie), or -1. */
    private int nextDeparture(final long toNs)
    {
        int first = -1;
        for (int i = 0; i < busy.length; i++)
        {
            if (busy[i] && departureNs[i] < toNs && (first < 0 || departureNs[i] < departureNs[first]))
            {
                first = i;
            }
        }
        return first;
    }

    private int socPermille(final int index)
    {
        return (int)Math.min(1000, Math.round(energyWh[index] * 1000.0 / batteryWh[index]));
    }

    private void emit(final FrameSink sink, final int index, final ChargerSessionState state)
    {
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .chargerId(chargerIds[index])
            .sessionId(sessionIds[index])
            .state(state)
            .vehicleSocPermille(socPermille(index))
            .energyNeededWh((int)Math.round(Math.max(0.0, neededWh[index] - energyWh[index])))
            .departureTimeNs(departureNs[index])
            .maxChargePowerW(maxChargeW[index])
            .maxDischargePowerW(maxDischargeW[index])
            .v2gAllowed(v2gAllowed[index] ? BooleanType.TRUE : BooleanType.FALSE);
        sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
