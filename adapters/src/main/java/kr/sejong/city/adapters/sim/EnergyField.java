package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.BalancingStatusDecoder;
import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.ChargerSessionEncoder;
import kr.sejong.city.codecs.ChargerSessionState;
import kr.sejong.city.codecs.DemandResponseEventEncoder;
import kr.sejong.city.codecs.DemandResponseState;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.FrequencyMeasurementEncoder;
import kr.sejong.city.codecs.GridMeasurementEncoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.OperatorSetpointEncoder;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.SetpointDecoder;
import kr.sejong.city.codecs.SetpointReason;
import kr.sejong.city.codecs.SettlementDecoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ControllableLoad;
import kr.sejong.city.config.Energy;
import kr.sejong.city.config.Ess;
import kr.sejong.city.config.EvCharger;
import kr.sejong.city.config.PvArray;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The microgrid of the configuration as simple physics, closed through an {@link EnergyController}.
 * Each step ({@code stepMs}, 100 ms by default) in logical time:
 * <ol>
 *   <li>vehicles leave (a {@code ChargerSession} DISCONNECTED; what they still needed is the shortfall);</li>
 *   <li>the devices follow the set-points in force: ESS within its rating and 0-100 % (charge and
 *   discharge efficiency {@value #ESS_EFFICIENCY} each), chargers within the vehicle's limits and need
 *   (a charger without a set-point for its session charges at full power: uncontrolled), PV at the clear-sky
 *   output x cloudiness (a mean-reverting wander) up to its limit, the district load
 *   ({@link DailyProfiles#residentialLoad} between base and peak, with a wander of
 *   {@value #LOAD_NOISE_STDDEV} of itself) less the reductions asked of the controllable loads;</li>
 *   <li>PCC = load - PV + ESS charging - ESS discharging + EV charging (bus convention: PV and
 *   discharging are negative), and the figures of the step;</li>
 *   <li>vehicles arrive (Poisson at {@code arrivalsPerHour} x {@link DailyProfiles#evArrivals}, a free
 *   charger of the wanted class, as {@link EvChargingGenerator} draws them: CONNECTED with need and
 *   departure), drawing from the next step on; demand-response events are announced;</li>
 *   <li>measurements at the step's end: the PCC meter, the frequency and every ESS each step; PV, the
 *   district load and every charger once a second; a session update each minute; faults and demand-response
 *   announcements as the scenario says; an operator's set-points ({@code OperatorSetpoint}) at their times;</li>
 *   <li>a Tick; the answer's {@code Setpoint}s are in force from the next step.</li>
 * </ol>
 * One random stream, seeded by the scenario: the same scenario gives the same field, whatever controls it.
 */
public final class EnergyField
{
    public static final double ESS_EFFICIENCY = 0.95;
    public static final double PV_PERFORMANCE_RATIO = GridGenerator.PV_PERFORMANCE_RATIO;
    public static final double LOAD_NOISE_STDDEV = 0.015;
    static final double LOAD_NOISE_CORRELATION_S = 30;
    static final double CLOUD_CORRELATION_S = 1800;
    static final double FREQUENCY_NOISE_STDDEV_MILLI_HZ = 6;
    static final double FREQUENCY_NOISE_CORRELATION_S = 10;
    static final double FREQUENCY_NOISE_LIMIT_MILLI_HZ = 20;
    static final long SALT = 0x454E4552474946L; // "ENERGIF"
    /** A response counts as fully active at this share of the droop the frequency asks for. */
    static final double FULL_ACTIVATION = 0.99;

    private final EnergyScenario scenario;
    private final CityConfig config;
    private final ZoneRules zone;
    private final ZoneId zoneId;
    private final SplittableRandom random;
    private final long startNs;
    private final long stepNs;
    private final long steps;

    // devices
    private final int pccId;
    private final double importLimitW;
    private final double exportLimitW;
    private final int nominalMilliHz;
    private final int deadBandMilliHz;
    private final double droopPercent;
    private final int[] essIds;
    private final double[] essCapacityWh;
    private final double[] essMaxChargeW;
    private final double[] essMaxDischargeW;
    private final double[] essMinSoc;
    private final double[] essMaxSoc;
    private final double[] essEnergyWh;
    private final double[] essSetW;
    private final double[] essPowerW;
    private final int[] pvIds;
    private final double[] pvPeakW;
    private final double[] pvLimitW;
    private final double[] pvPowerW;
    private final int[] loadIds;
    private final double[] loadMaxReductionW;
    private final double[] loadReductionW;
    private final double baseLoadW;
    private final double peakLoadW;
    private final double latitudeDeg;
    private final double longitudeDeg;
    private final double[] importPricePerKwh = new double[24];
    private final double[] exportPricePerKwh = new double[24];

    // chargers and their sessions
    private final int[] chargerIds;
    private final int[] chargerClass;
    private final double[] chargerW;
    private final boolean[] chargerV2g;
    private final boolean[] busy;
    private final long[] sessionIds;
    private final long[] departureNs;
    private final double[] batteryWh;
    private final double[] energyWh;
    private final double[] neededWh;
    private final double[] vehicleMaxChargeW;
    private final double[] vehicleMaxDischargeW;
    private final boolean[] v2gAllowed;
    private final boolean[] hasSetpoint;
    private final double[] chargerSetW;
    private final double[] chargerPowerW;
    private final boolean[] feasible;
    private long nextSessionId = 1;

    // weather, load, frequency
    private double cloudiness;
    private double loadNoise;
    private double frequencyNoiseMilliHz;
    private double loadW;
    private double pccW;
    private int frequencyMilliHz;

    // figures
    private long stepsRun;
    private long violationSteps;
    private long longestViolationSteps;
    private long currentViolationSteps;
    private double beyondLimitWh;
    private double peakImportW = Double.NEGATIVE_INFINITY;
    private long peakImportAtNs;
    private double peakExportW;
    private double importWh;
    private double exportWh;
    private double consumptionWh;
    private double pvWh;
    private double pvCurtailedWh;
    private double costKrw;
    private double evDeliveredWh;
    private double evNeededWh;
    private double evShortfallWh;
    private double evFeasibleShortfallWh;
    private long evSessions;
    private long evSessionsDeparted;
    private long evFeasibleMissed;
    private long evTurnedAway;
    private final long[] socViolationSteps;
    private final double[] socMinSeen;
    private final double[] socMaxSeen;
    private long fallbackTicks;
    private long staleMeasurements;
    private long invalidMeasurements;
    private long settlements;
    private double settledSoldWh;
    private double settledProducedWh;
    private long setpointsApplied;
    private long setpointsIgnored;

    // frequency response: per dip, the first measurement beyond the dead band and the first full activation
    private final long[] dipStartNs;
    private final long[] dipFirstBeyondNs;
    private final long[] dipActivatedNs;
    private long lastMeasuredFrequencyAtNs;
    private int lastMeasuredFrequencyMilliHz;
    private long latestBeyondAtNs = Long.MIN_VALUE;
    private long worstResponseNs = -1;
    private long responsesChecked;

    // demand response
    private final long[] drAnnounceNs;
    private final long[] drStartNs;
    private final long[] drEndNs;
    private final double[] drReduceW;
    private final double[] drBaselineW;
    private final double[] drDeliveredWh;
    private final double[] drRequestedWh;
    private final long[] drStepsMet;
    private final long[] drSteps;
    private final boolean[] drAnnounced;
    private final double[] baselineMinuteWh = new double[15];
    private final long[] baselineMinuteIndex = new long[15];

    // hour by hour, for the report's profile
    private final List<Map<String, Object>> hourly = new ArrayList<>();
    private double hourPccWh;
    private double hourPccMaxW = Double.NEGATIVE_INFINITY;
    private double hourEssWh;
    private double hourEvWh;
    private double hourPvWh;
    private double hourLoadWh;
    private double essW;
    private double evW;
    private double pvW;

    // operators' set-points: when each is sent, whether it was, and what came back
    private final long[] operatorAtNs;
    private final boolean[] operatorSent;
    private long operatorSetpointsSent;
    private long operatorReasonSetpoints;
    private long operatorClampedSetpoints;
    private long rejects;

    // faults
    private final long[] faultFromNs;
    private final long[] faultToNs;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final GridMeasurementEncoder gridEncoder = new GridMeasurementEncoder();
    private final FrequencyMeasurementEncoder frequencyEncoder = new FrequencyMeasurementEncoder();
    private final ChargerSessionEncoder sessionEncoder = new ChargerSessionEncoder();
    private final DemandResponseEventEncoder drEncoder = new DemandResponseEventEncoder();
    private final OperatorSetpointEncoder operatorEncoder = new OperatorSetpointEncoder();
    private final SetpointDecoder setpointDecoder = new SetpointDecoder();
    private final BalancingStatusDecoder statusDecoder = new BalancingStatusDecoder();
    private final SettlementDecoder settlementDecoder = new SettlementDecoder();
    private final FrameSink answers = this::onAnswer;

    public EnergyField(final CityConfig config, final EnergyScenario scenario)
    {
        this.config = config;
        this.scenario = scenario;
        final Energy energy = config.energy();
        zoneId = ZoneId.of(config.city().timeZone());
        zone = zoneId.getRules();
        random = RandomDraws.stream(scenario.seed(), SALT);
        startNs = scenario.startNs(zoneId);
        stepNs = scenario.stepNs();
        steps = scenario.durationNs() / stepNs;
        latitudeDeg = config.city().origin().latitudeDeg();
        longitudeDeg = config.city().origin().longitudeDeg();

        pccId = energy.pcc().id();
        importLimitW = energy.pcc().importLimitKw() * 1000;
        exportLimitW = energy.pcc().exportLimitKw() * 1000;
        nominalMilliHz = (int)Math.round(energy.pcc().nominalFrequencyHz() * 1000);
        deadBandMilliHz = energy.pcc().deadBandMilliHz();
        droopPercent = energy.pcc().droopPercent();

        final List<Ess> ess = energy.ess();
        final int e = ess.size();
        essIds = new int[e];
        essCapacityWh = new double[e];
        essMaxChargeW = new double[e];
        essMaxDischargeW = new double[e];
        essMinSoc = new double[e];
        essMaxSoc = new double[e];
        essEnergyWh = new double[e];
        essSetW = new double[e];
        essPowerW = new double[e];
        socViolationSteps = new long[e];
        socMinSeen = new double[e];
        socMaxSeen = new double[e];
        for (int i = 0; i < e; i++)
        {
            final Ess unit = ess.get(i);
            essIds[i] = unit.id();
            essCapacityWh[i] = unit.capacityKwh() * 1000;
            essMaxChargeW[i] = unit.maxChargeKw() * 1000;
            essMaxDischargeW[i] = unit.maxDischargeKw() * 1000;
            essMinSoc[i] = unit.minSocPercent() / 100;
            essMaxSoc[i] = unit.maxSocPercent() / 100;
            essEnergyWh[i] = essCapacityWh[i] * unit.initialSocPercent() / 100;
            socMinSeen[i] = unit.initialSocPercent() / 100;
            socMaxSeen[i] = socMinSeen[i];
        }

        final List<PvArray> pv = energy.pv();
        pvIds = new int[pv.size()];
        pvPeakW = new double[pv.size()];
        pvLimitW = new double[pv.size()];
        pvPowerW = new double[pv.size()];
        for (int i = 0; i < pvIds.length; i++)
        {
            pvIds[i] = pv.get(i).id();
            pvPeakW[i] = pv.get(i).peakKw() * 1000;
            pvLimitW[i] = pvPeakW[i];
        }
        final List<ControllableLoad> loads = energy.loads().controllable();
        loadIds = new int[loads.size()];
        loadMaxReductionW = new double[loads.size()];
        loadReductionW = new double[loads.size()];
        for (int i = 0; i < loadIds.length; i++)
        {
            loadIds[i] = loads.get(i).id();
            loadMaxReductionW[i] = loads.get(i).maxReductionKw() * 1000;
        }
        baseLoadW = energy.loads().baseLoadKw() * 1000;
        peakLoadW = energy.loads().peakLoadKw() * 1000;
        for (final Energy.TariffSlot slot : energy.tariff())
        {
            for (int h = slot.fromHour(); h < slot.toHour() && h < 24; h++)
            {
                importPricePerKwh[h] = slot.importKrwPerKwh();
                exportPricePerKwh[h] = slot.exportKrwPerKwh();
            }
        }

        final List<EvCharger> chargers = energy.evChargers();
        final int n = chargers.size();
        chargerIds = new int[n];
        chargerClass = new int[n];
        chargerW = new double[n];
        chargerV2g = new boolean[n];
        for (int i = 0; i < n; i++)
        {
            chargerIds[i] = chargers.get(i).id();
            chargerW[i] = chargers.get(i).powerKw() * 1000;
            chargerClass[i] = EvChargingGenerator.chargerClass(chargers.get(i).powerKw());
            chargerV2g[i] = chargers.get(i).v2g();
        }
        busy = new boolean[n];
        sessionIds = new long[n];
        departureNs = new long[n];
        batteryWh = new double[n];
        energyWh = new double[n];
        neededWh = new double[n];
        vehicleMaxChargeW = new double[n];
        vehicleMaxDischargeW = new double[n];
        v2gAllowed = new boolean[n];
        hasSetpoint = new boolean[n];
        chargerSetW = new double[n];
        chargerPowerW = new double[n];
        feasible = new boolean[n];

        final List<EnergyScenario.FrequencyDip> dips = scenario.frequencyDips();
        dipStartNs = new long[dips.size()];
        dipFirstBeyondNs = new long[dips.size()];
        dipActivatedNs = new long[dips.size()];
        for (int i = 0; i < dips.size(); i++)
        {
            dipStartNs[i] = scenario.atNs(zoneId, dips.get(i).at());
            dipFirstBeyondNs[i] = Long.MIN_VALUE;
            dipActivatedNs[i] = Long.MIN_VALUE;
        }
        final List<EnergyScenario.DemandResponse> events = scenario.demandResponse();
        final int d = events.size();
        drAnnounceNs = new long[d];
        drStartNs = new long[d];
        drEndNs = new long[d];
        drReduceW = new double[d];
        drBaselineW = new double[d];
        drDeliveredWh = new double[d];
        drRequestedWh = new double[d];
        drStepsMet = new long[d];
        drSteps = new long[d];
        drAnnounced = new boolean[d];
        for (int i = 0; i < d; i++)
        {
            final EnergyScenario.DemandResponse event = events.get(i);
            drAnnounceNs[i] = scenario.atNs(zoneId, event.announceAt());
            drStartNs[i] = scenario.atNs(zoneId, event.start());
            drEndNs[i] = scenario.atNs(zoneId, event.end());
            drReduceW[i] = event.reduceKw() * 1000;
            drBaselineW[i] = Double.NaN;
            drRequestedWh[i] = drReduceW[i] * (drEndNs[i] - drStartNs[i]) / CityClock.HOUR_NS;
        }
        java.util.Arrays.fill(baselineMinuteIndex, Long.MIN_VALUE);
        final List<EnergyScenario.Fault> faults = scenario.faults();
        faultFromNs = new long[faults.size()];
        faultToNs = new long[faults.size()];
        for (int i = 0; i < faults.size(); i++)
        {
            faultFromNs[i] = scenario.atNs(zoneId, faults.get(i).at());
            faultToNs[i] = faultFromNs[i] + Math.round(faults.get(i).seconds() * 1e9);
        }

        final List<EnergyScenario.OperatorSetpoint> setpoints = scenario.operatorSetpoints();
        operatorAtNs = new long[setpoints.size()];
        operatorSent = new boolean[setpoints.size()];
        for (int i = 0; i < setpoints.size(); i++)
        {
            operatorAtNs[i] = scenario.atNs(zoneId, setpoints.get(i).at());
        }

        cloudiness = scenario.cloudinessMean();
        frequencyMilliHz = nominalMilliHz;
    }

    /** Steps the whole scenario takes. */
    public long steps()
    {
        return steps;
    }

    public long startNs()
    {
        return startNs;
    }

    /**
     * Run the scenario through a controller.
     *
     * @param progress called about once per simulated hour with the simulated hours done (may be null).
     */
    public void run(final EnergyController controller, final java.util.function.DoubleConsumer progress)
    {
        final FrameSink toController = controller::onFrame;
        physics(startNs, 0);
        measure(startNs, toController, true);
        controller.tick(startNs, stepNs, 0, answers);
        final long stepsPerHour = Math.max(1, CityClock.HOUR_NS / stepNs);
        for (long k = 1; k <= steps; k++)
        {
            final long fromNs = startNs + (k - 1) * stepNs;
            final long toNs = fromNs + stepNs;
            departures(toNs, toController);
            physics(toNs, stepNs);
            figures(fromNs, toNs);
            // a vehicle that plugged in during the step draws from the next one on: the charger's handshake
            arrivals(toNs, toController);
            announcements(toNs, toController);
            operatorSetpoints(toNs, toController);
            final boolean wholeSecond = Math.floorMod(toNs - startNs, CityClock.SECOND_NS) == 0;
            measure(toNs, toController, wholeSecond);
            controller.tick(toNs, stepNs, k, answers);
            if (progress != null && k % stepsPerHour == 0)
            {
                progress.accept(k / (double)stepsPerHour);
            }
        }
    }

    // ------------------------------------------------------------------ physics

    private void physics(final long atNs, final long dtNs)
    {
        final double hours = dtNs / (double)CityClock.HOUR_NS;
        final double seconds = dtNs / 1e9;
        // weather: one sky over the district
        final double cloudStdDev = scenario.cloudinessStdDev();
        cloudiness = Math.max(0.05, Math.min(1.0, GridGenerator.meanReverting(cloudiness, scenario.cloudinessMean(), cloudStdDev,
            CLOUD_CORRELATION_S, dtNs, RandomDraws.gaussian(random))));
        final double clearSky = SolarModel.clearSkyFraction(SolarModel.elevationDeg(latitudeDeg, longitudeDeg, atNs));
        double pvAvailableW = 0;
        double pvW = 0;
        for (int i = 0; i < pvIds.length; i++)
        {
            final double availableW = pvPeakW[i] * PV_PERFORMANCE_RATIO * clearSky * cloudiness;
            pvPowerW[i] = -Math.min(availableW, pvLimitW[i]);
            pvAvailableW += availableW;
            pvW += pvPowerW[i];
        }
        pvWh += -pvW * hours;
        pvCurtailedWh += (pvAvailableW + pvW) * hours;

        loadNoise = GridGenerator.meanReverting(loadNoise, 0.0, LOAD_NOISE_STDDEV, LOAD_NOISE_CORRELATION_S, dtNs, RandomDraws.gaussian(random));
        final double hour = CityClock.localHourOfDay(zone, atNs);
        double reductionW = 0;
        for (int i = 0; i < loadIds.length; i++)
        {
            reductionW += loadReductionW[i];
        }
        final double demandW = (baseLoadW + (peakLoadW - baseLoadW) * DailyProfiles.residentialLoad(hour)) * (1.0 + loadNoise);
        loadW = Math.max(0, demandW - Math.min(reductionW, demandW * 0.5));

        double essW = 0;
        for (int i = 0; i < essIds.length; i++)
        {
            double powerW = Math.max(-essMaxDischargeW[i], Math.min(essMaxChargeW[i], essSetW[i]));
            if (hours > 0)
            {
                // the cells' own protection: never beyond empty or full
                if (powerW > 0)
                {
                    powerW = Math.min(powerW, (essCapacityWh[i] - essEnergyWh[i]) / (hours * ESS_EFFICIENCY));
                    essEnergyWh[i] += powerW * hours * ESS_EFFICIENCY;
                }
                else
                {
                    powerW = Math.max(powerW, -essEnergyWh[i] * ESS_EFFICIENCY / hours);
                    essEnergyWh[i] += powerW * hours / ESS_EFFICIENCY;
                }
            }
            essPowerW[i] = powerW;
            essW += powerW;
            final double soc = essEnergyWh[i] / essCapacityWh[i];
            socMinSeen[i] = Math.min(socMinSeen[i], soc);
            socMaxSeen[i] = Math.max(socMaxSeen[i], soc);
            if (soc < essMinSoc[i] - 1e-9 || soc > essMaxSoc[i] + 1e-9)
            {
                socViolationSteps[i]++;
            }
        }

        double evW = 0;
        for (int i = 0; i < chargerIds.length; i++)
        {
            double powerW = 0;
            if (busy[i] && hours > 0)
            {
                powerW = hasSetpoint[i] ? chargerSetW[i] : vehicleMaxChargeW[i];
                powerW = Math.max(-vehicleMaxDischargeW[i], Math.min(vehicleMaxChargeW[i], powerW));
                if (powerW > 0)
                {
                    powerW = Math.min(powerW, Math.max(0, neededWh[i] - energyWh[i]) / hours);
                }
                else if (powerW < 0)
                {
                    powerW = Math.max(powerW, -Math.max(0, energyWh[i] - 0.1 * batteryWh[i]) / hours);
                }
                energyWh[i] += powerW * hours;
                if (powerW > 0)
                {
                    evDeliveredWh += powerW * hours;
                }
            }
            chargerPowerW[i] = powerW;
            evW += powerW;
        }
        pccW = loadW + pvW + essW + evW;
        this.essW = essW;
        this.evW = evW;
        this.pvW = pvW;
        consumptionWh += (loadW + Math.max(0, evW)) * hours;

        frequencyNoiseMilliHz = Math.max(-FREQUENCY_NOISE_LIMIT_MILLI_HZ, Math.min(FREQUENCY_NOISE_LIMIT_MILLI_HZ,
            GridGenerator.meanReverting(frequencyNoiseMilliHz, 0.0, FREQUENCY_NOISE_STDDEV_MILLI_HZ, FREQUENCY_NOISE_CORRELATION_S,
                Math.max(dtNs, 1), RandomDraws.gaussian(random))));
        double dipMilliHz = 0;
        for (int i = 0; i < dipStartNs.length; i++)
        {
            final EnergyScenario.FrequencyDip dip = scenario.frequencyDips().get(i);
            dipMilliHz += dipMilliHz(dip.depthMilliHz(), dip.fallS(), dip.recoveryS(), (atNs - dipStartNs[i]) / 1e9);
        }
        frequencyMilliHz = (int)Math.round(nominalMilliHz + frequencyNoiseMilliHz + dipMilliHz);
        if (seconds > 0)
        {
            stepsRun++;
        }
    }

    /** Deviation of a dip {@code sinceS} after its start, mHz: linear fall to -depth, exponential recovery. */
    public static double dipMilliHz(final double depthMilliHz, final double fallS, final double recoveryS, final double sinceS)
    {
        if (sinceS < 0)
        {
            return 0.0;
        }
        if (sinceS < fallS)
        {
            return -depthMilliHz * sinceS / fallS;
        }
        final double recovered = -depthMilliHz * StrictMath.exp(-(sinceS - fallS) / recoveryS);
        return Math.abs(recovered) < 0.5 ? 0.0 : recovered;
    }

    private void figures(final long fromNs, final long toNs)
    {
        final double hours = (toNs - fromNs) / (double)CityClock.HOUR_NS;
        if (pccW > importLimitW || pccW < -exportLimitW)
        {
            violationSteps++;
            currentViolationSteps++;
            longestViolationSteps = Math.max(longestViolationSteps, currentViolationSteps);
            beyondLimitWh += (pccW > importLimitW ? pccW - importLimitW : -exportLimitW - pccW) * hours;
        }
        else
        {
            currentViolationSteps = 0;
        }
        if (pccW > peakImportW)
        {
            peakImportW = pccW;
            peakImportAtNs = toNs;
        }
        hourPccWh += pccW * hours;
        hourPccMaxW = Math.max(hourPccMaxW, pccW);
        hourEssWh += essW * hours;
        hourEvWh += evW * hours;
        hourPvWh += pvW * hours;
        hourLoadWh += loadW * hours;
        if (Math.floorMod(toNs - startNs, CityClock.HOUR_NS) == 0)
        {
            final Map<String, Object> h = new LinkedHashMap<>();
            h.put("hour", (toNs - startNs) / CityClock.HOUR_NS - 1);
            h.put("pccMeanKw", Math.round(hourPccWh / 1000));
            h.put("pccMaxKw", Math.round(hourPccMaxW / 1000));
            h.put("loadMeanKw", Math.round(hourLoadWh / 1000));
            h.put("pvMeanKw", Math.round(hourPvWh / 1000));
            h.put("essMeanKw", Math.round(hourEssWh / 1000));
            h.put("evMeanKw", Math.round(hourEvWh / 1000));
            double storedWh = 0;
            double capacityWh = 0;
            for (int i = 0; i < essIds.length; i++)
            {
                storedWh += essEnergyWh[i];
                capacityWh += essCapacityWh[i];
            }
            h.put("essSocPercent", Math.round(1000 * storedWh / capacityWh) / 10.0);
            hourly.add(h);
            hourPccWh = 0;
            hourPccMaxW = Double.NEGATIVE_INFINITY;
            hourEssWh = 0;
            hourEvWh = 0;
            hourPvWh = 0;
            hourLoadWh = 0;
        }
        peakExportW = Math.max(peakExportW, -pccW);
        final int hour = (int)Math.floor(CityClock.localHourOfDay(zone, fromNs));
        if (pccW > 0)
        {
            importWh += pccW * hours;
            costKrw += pccW / 1000 * hours * importPricePerKwh[hour];
        }
        else
        {
            exportWh += -pccW * hours;
            costKrw -= -pccW / 1000 * hours * exportPricePerKwh[hour];
        }
        // demand response: baseline = mean PCC over the quarter hour before the start
        final long minute = Math.floorDiv(fromNs, CityClock.MINUTE_NS);
        final int bucket = (int)Math.floorMod(minute, 15);
        if (baselineMinuteIndex[bucket] != minute)
        {
            baselineMinuteIndex[bucket] = minute;
            baselineMinuteWh[bucket] = 0;
        }
        baselineMinuteWh[bucket] += pccW * hours;
        for (int i = 0; i < drStartNs.length; i++)
        {
            if (fromNs < drStartNs[i] || fromNs >= drEndNs[i])
            {
                continue;
            }
            if (Double.isNaN(drBaselineW[i]))
            {
                double wh = 0;
                int minutes = 0;
                for (int b = 0; b < 15; b++)
                {
                    if (baselineMinuteIndex[b] < minute && baselineMinuteIndex[b] >= minute - 15)
                    {
                        wh += baselineMinuteWh[b];
                        minutes++;
                    }
                }
                drBaselineW[i] = minutes == 0 ? pccW : wh * 60 / minutes;
            }
            final double reducedW = drBaselineW[i] - pccW;
            drDeliveredWh[i] += Math.max(0, Math.min(drReduceW[i], reducedW)) * hours;
            drSteps[i]++;
            if (reducedW >= drReduceW[i] * 0.98)
            {
                drStepsMet[i]++;
            }
        }
    }

    // ------------------------------------------------------------------ vehicles and events

    private void departures(final long atNs, final FrameSink sink)
    {
        for (int i = 0; i < chargerIds.length; i++)
        {
            if (busy[i] && departureNs[i] <= atNs)
            {
                final double shortfallWh = Math.max(0, neededWh[i] - energyWh[i]);
                evShortfallWh += shortfallWh;
                if (feasible[i])
                {
                    evFeasibleShortfallWh += shortfallWh;
                    if (shortfallWh > 1.0)
                    {
                        evFeasibleMissed++;
                    }
                }
                evSessionsDeparted++;
                session(sink, i, ChargerSessionState.DISCONNECTED);
                busy[i] = false;
                hasSetpoint[i] = false;
            }
        }
    }

    private void arrivals(final long atNs, final FrameSink sink)
    {
        final double hour = CityClock.localHourOfDay(zone, atNs);
        final double mean = scenario.evArrivalsPerHour() * DailyProfiles.evArrivals(hour) * stepNs / CityClock.HOUR_NS;
        final int count = RandomDraws.poisson(random, mean);
        for (int c = 0; c < count; c++)
        {
            final int wanted = RandomDraws.weightedIndex(random, EvChargingGenerator.CLASS_SHARES);
            final double battery = RandomDraws.uniform(random, EvChargingGenerator.BATTERY_MIN_KWH, EvChargingGenerator.BATTERY_MAX_KWH) * 1000.0;
            final double arrivalSoc = RandomDraws.uniform(random, EvChargingGenerator.ARRIVAL_SOC_MIN_PERCENT[wanted], EvChargingGenerator.ARRIVAL_SOC_MAX_PERCENT[wanted]);
            final double targetSoc = RandomDraws.uniform(random, EvChargingGenerator.TARGET_SOC_MIN_PERCENT[wanted], EvChargingGenerator.TARGET_SOC_MAX_PERCENT[wanted]);
            final double dwellMinutes = RandomDraws.uniform(random, EvChargingGenerator.DWELL_MIN_MINUTES[wanted], EvChargingGenerator.DWELL_MAX_MINUTES[wanted]);
            final double vehicleDcKw = RandomDraws.uniform(random, EvChargingGenerator.VEHICLE_DC_MIN_KW, EvChargingGenerator.VEHICLE_DC_MAX_KW);
            final boolean v2gCapable = RandomDraws.chance(random, EvChargingGenerator.V2G_CAPABLE_SHARE);
            int index = -1;
            for (int i = 0; i < busy.length; i++)
            {
                if (!busy[i] && chargerClass[i] == wanted)
                {
                    index = i;
                    break;
                }
            }
            if (index < 0)
            {
                evTurnedAway++;
                continue;
            }
            busy[index] = true;
            hasSetpoint[index] = false;
            sessionIds[index] = nextSessionId++;
            departureNs[index] = atNs + Math.round(dwellMinutes * 60.0) * CityClock.SECOND_NS;
            batteryWh[index] = battery;
            energyWh[index] = battery * arrivalSoc / 100.0;
            neededWh[index] = battery * Math.max(targetSoc, arrivalSoc) / 100.0;
            final double vehicleKw = chargerClass[index] == EvChargingGenerator.STANDARD ? EvChargingGenerator.VEHICLE_AC_MAX_KW : vehicleDcKw;
            vehicleMaxChargeW[index] = Math.round(Math.min(chargerW[index] / 1000, vehicleKw) * 1000.0);
            v2gAllowed[index] = chargerV2g[index] && v2gCapable;
            vehicleMaxDischargeW[index] = v2gAllowed[index] ? vehicleMaxChargeW[index] : 0;
            final double needWh = neededWh[index] - energyWh[index];
            feasible[index] = needWh <= vehicleMaxChargeW[index] * dwellMinutes / 60.0;
            evSessions++;
            evNeededWh += needWh;
            session(sink, index, ChargerSessionState.CONNECTED);
        }
    }

    private void session(final FrameSink sink, final int index, final ChargerSessionState state)
    {
        sessionEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .chargerId(chargerIds[index])
            .sessionId(sessionIds[index])
            .state(state)
            .vehicleSocPermille((int)Math.min(1000, Math.round(energyWh[index] * 1000.0 / batteryWh[index])))
            .energyNeededWh((int)Math.round(Math.max(0.0, neededWh[index] - energyWh[index])))
            .departureTimeNs(departureNs[index])
            .maxChargePowerW((int)vehicleMaxChargeW[index])
            .maxDischargePowerW((int)vehicleMaxDischargeW[index])
            .v2gAllowed(v2gAllowed[index] ? BooleanType.TRUE : BooleanType.FALSE);
        sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + sessionEncoder.encodedLength());
    }

    private void announcements(final long atNs, final FrameSink sink)
    {
        for (int i = 0; i < drAnnounceNs.length; i++)
        {
            if (!drAnnounced[i] && drAnnounceNs[i] <= atNs)
            {
                drAnnounced[i] = true;
                drEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
                    .eventId(scenario.demandResponse().get(i).id())
                    .state(DemandResponseState.ANNOUNCED)
                    .reduceImportW((int)Math.round(drReduceW[i]))
                    .startTimeNs(drStartNs[i])
                    .endTimeNs(drEndNs[i]);
                sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + drEncoder.encodedLength());
            }
        }
    }

    /** The scenario's operator set-points due by {@code atNs}, as the gateway sends them (role operate; the action id is the list index + 1). */
    private void operatorSetpoints(final long atNs, final FrameSink sink)
    {
        for (int i = 0; i < operatorAtNs.length; i++)
        {
            if (!operatorSent[i] && operatorAtNs[i] <= atNs)
            {
                operatorSent[i] = true;
                final EnergyScenario.OperatorSetpoint setpoint = scenario.operatorSetpoints().get(i);
                final int id = (int)Math.min(Integer.MAX_VALUE, setpoint.device());
                // a charger is named as one; anything else goes as an ESS (and the loop refuses an unknown one)
                final DeviceKind kind = indexOf(chargerIds, id) >= 0 ? DeviceKind.EV_CHARGER : DeviceKind.ESS;
                operatorEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
                    .actionId(i + 1)
                    .deviceId(setpoint.device())
                    .deviceKind(kind)
                    .role(OperatorRole.OPERATE)
                    .activePowerW((int)Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, Math.round(setpoint.kw() * 1000))))
                    .holdMs(Math.max(1, Math.round(setpoint.holdS() * 1000)))
                    .release(setpoint.release() ? BooleanType.TRUE : BooleanType.FALSE);
                sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + operatorEncoder.encodedLength());
                operatorSetpointsSent++;
            }
        }
    }

    // ------------------------------------------------------------------ measurements

    private void measure(final long atNs, final FrameSink sink, final boolean wholeSecond)
    {
        final EnergyScenario.FaultKind pccFault = fault("pcc", atNs);
        if (pccFault != EnergyScenario.FaultKind.SILENT)
        {
            final int powerW = pccFault == EnergyScenario.FaultKind.OUT_OF_RANGE ? (int)Math.min(Integer.MAX_VALUE, 10 * importLimitW)
                : pccFault == EnergyScenario.FaultKind.NULL_VALUE ? GridMeasurementEncoder.activePowerWNullValue() : (int)Math.round(pccW);
            grid(sink, pccId, DeviceKind.PCC_METER, powerW, -1, atNs);
        }
        final EnergyScenario.FaultKind frequencyFault = fault("frequency", atNs);
        if (frequencyFault != EnergyScenario.FaultKind.SILENT)
        {
            final int milliHz = frequencyFault == EnergyScenario.FaultKind.OUT_OF_RANGE ? 0
                : frequencyFault == EnergyScenario.FaultKind.NULL_VALUE ? FrequencyMeasurementEncoder.frequencyMilliHzNullValue() : frequencyMilliHz;
            frequencyEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).meterId(pccId).frequencyMilliHz(milliHz).measuredAtNs(atNs);
            sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + frequencyEncoder.encodedLength());
            if (frequencyFault == null)
            {
                onFrequencyMeasured(atNs, milliHz);
            }
        }
        for (int i = 0; i < essIds.length; i++)
        {
            final EnergyScenario.FaultKind essFault = fault("ess:" + essIds[i], atNs);
            if (essFault == EnergyScenario.FaultKind.SILENT)
            {
                continue;
            }
            final int soc = essFault == EnergyScenario.FaultKind.OUT_OF_RANGE ? 1500
                : essFault == EnergyScenario.FaultKind.NULL_VALUE ? -1 : (int)Math.round(essEnergyWh[i] * 1000 / essCapacityWh[i]);
            grid(sink, essIds[i], DeviceKind.ESS, (int)Math.round(essPowerW[i]), soc, atNs);
        }
        if (!wholeSecond)
        {
            return;
        }
        for (int i = 0; i < pvIds.length; i++)
        {
            grid(sink, pvIds[i], DeviceKind.PV_INVERTER, (int)Math.round(pvPowerW[i]), -1, atNs);
        }
        grid(sink, pccId, DeviceKind.LOAD, (int)Math.round(loadW), -1, atNs);
        for (int i = 0; i < chargerIds.length; i++)
        {
            grid(sink, chargerIds[i], DeviceKind.EV_CHARGER, (int)Math.round(chargerPowerW[i]),
                busy[i] ? (int)Math.min(1000, Math.round(energyWh[i] * 1000.0 / batteryWh[i])) : -1, atNs);
        }
        if (Math.floorMod(atNs - startNs, CityClock.MINUTE_NS) == 0)
        {
            for (int i = 0; i < chargerIds.length; i++)
            {
                if (busy[i])
                {
                    session(sink, i, ChargerSessionState.CHARGING);
                }
            }
        }
    }

    private EnergyScenario.FaultKind fault(final String device, final long atNs)
    {
        for (int i = 0; i < faultFromNs.length; i++)
        {
            if (atNs >= faultFromNs[i] && atNs < faultToNs[i] && scenario.faults().get(i).device().equals(device))
            {
                return scenario.faults().get(i).kind();
            }
        }
        return null;
    }

    private void grid(final FrameSink sink, final int deviceId, final DeviceKind kind, final int powerW, final int socPermille, final long atNs)
    {
        gridEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .deviceId(deviceId)
            .deviceKind(kind)
            .activePowerW(powerW)
            .reactivePowerVar(0)
            .socPermille(socPermille < 0 ? GridMeasurementEncoder.socPermilleNullValue() : socPermille)
            .measuredAtNs(atNs);
        sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + gridEncoder.encodedLength());
    }

    private void onFrequencyMeasured(final long atNs, final int milliHz)
    {
        lastMeasuredFrequencyAtNs = atNs;
        lastMeasuredFrequencyMilliHz = milliHz;
        final boolean beyond = Math.abs(milliHz - nominalMilliHz) > deadBandMilliHz;
        if (beyond && latestBeyondAtNs == Long.MIN_VALUE)
        {
            latestBeyondAtNs = atNs;
        }
        for (int i = 0; i < dipStartNs.length; i++)
        {
            if (beyond && atNs >= dipStartNs[i] && dipFirstBeyondNs[i] == Long.MIN_VALUE)
            {
                dipFirstBeyondNs[i] = atNs;
            }
        }
    }

    // ------------------------------------------------------------------ the controller's answers

    private void onAnswer(final DirectBuffer frame, final int offset, final int length)
    {
        headerDecoder.wrap(frame, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (headerDecoder.templateId())
        {
            case SetpointDecoder.TEMPLATE_ID:
                setpointDecoder.wrap(frame, body, headerDecoder.blockLength(), headerDecoder.version());
                applySetpoint(setpointDecoder.deviceKind(), (int)setpointDecoder.deviceId(), setpointDecoder.activePowerW());
                final SetpointReason reason = setpointDecoder.reason();
                operatorReasonSetpoints += reason == SetpointReason.OPERATOR ? 1 : 0;
                operatorClampedSetpoints += reason == SetpointReason.DEVICE_LIMIT ? 1 : 0;
                break;
            case RejectDecoder.TEMPLATE_ID:
                rejects++;
                break;
            case BalancingStatusDecoder.TEMPLATE_ID:
                statusDecoder.wrap(frame, body, headerDecoder.blockLength(), headerDecoder.version());
                onStatus();
                break;
            case SettlementDecoder.TEMPLATE_ID:
                settlementDecoder.wrap(frame, body, headerDecoder.blockLength(), headerDecoder.version());
                settlements++;
                settledSoldWh += settlementDecoder.soldToNeighboursWh();
                settledProducedWh += settlementDecoder.producedWh();
                break;
            default:
                break;
        }
    }

    /** Put a set-point in force from the next step (the controllers' egress, or a strategy's). */
    public void applySetpoint(final DeviceKind kind, final int deviceId, final int powerW)
    {
        if (kind == DeviceKind.ESS)
        {
            final int i = indexOf(essIds, deviceId);
            if (i >= 0)
            {
                essSetW[i] = powerW;
                setpointsApplied++;
                return;
            }
        }
        else if (kind == DeviceKind.EV_CHARGER)
        {
            final int i = indexOf(chargerIds, deviceId);
            if (i >= 0)
            {
                chargerSetW[i] = powerW;
                hasSetpoint[i] = busy[i];
                setpointsApplied++;
                return;
            }
        }
        else if (kind == DeviceKind.PV_INVERTER)
        {
            final int i = indexOf(pvIds, deviceId);
            if (i >= 0)
            {
                pvLimitW[i] = Math.max(0, Math.min(pvPeakW[i], -(double)powerW));
                setpointsApplied++;
                return;
            }
        }
        else if (kind == DeviceKind.CONTROLLABLE_LOAD)
        {
            final int i = indexOf(loadIds, deviceId);
            if (i >= 0)
            {
                loadReductionW[i] = Math.max(0, Math.min(loadMaxReductionW[i], -(double)powerW));
                setpointsApplied++;
                return;
            }
        }
        setpointsIgnored++;
    }

    private void onStatus()
    {
        final long tickNs = statusDecoder.timeNs();
        if (statusDecoder.fallback() == BooleanType.TRUE)
        {
            fallbackTicks++;
        }
        staleMeasurements = statusDecoder.staleMeasurements();
        invalidMeasurements = statusDecoder.invalidMeasurements();
        // frequency response: a Tick answers the measurements stamped at or before it; the set-points act
        // from the next step, so the response counts as active one step after the Tick
        final int targetW = statusDecoder.frequencyResponseTargetW();
        final int responseW = statusDecoder.frequencyResponseW();
        final boolean full = targetW != 0 && Math.abs((long)responseW) >= FULL_ACTIVATION * Math.abs((long)targetW)
            && Long.signum(responseW) == Long.signum(targetW);
        final boolean beyond = Math.abs(lastMeasuredFrequencyMilliHz - nominalMilliHz) > deadBandMilliHz;
        if (beyond && lastMeasuredFrequencyAtNs <= tickNs)
        {
            responsesChecked++;
            final long responseNs = full ? tickNs + stepNs - lastMeasuredFrequencyAtNs : Long.MAX_VALUE;
            worstResponseNs = Math.max(worstResponseNs, responseNs);
        }
        for (int i = 0; i < dipStartNs.length; i++)
        {
            if (full && dipFirstBeyondNs[i] != Long.MIN_VALUE && dipActivatedNs[i] == Long.MIN_VALUE && tickNs >= dipFirstBeyondNs[i])
            {
                dipActivatedNs[i] = tickNs + stepNs;
            }
        }
    }

    private static int indexOf(final int[] ids, final int id)
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

    // ------------------------------------------------------------------ the figures

    /** The run's figures, for the JSON report (kW, kWh, KRW, %, ms). */
    public Map<String, Object> figures()
    {
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("simulatedHours", stepsRun * stepNs / 3600e9);
        f.put("steps", stepsRun);
        final Map<String, Object> pcc = new LinkedHashMap<>();
        pcc.put("importLimitKw", importLimitW / 1000);
        pcc.put("exportLimitKw", exportLimitW / 1000);
        pcc.put("violationSteps", violationSteps);
        pcc.put("longestViolationSteps", longestViolationSteps);
        pcc.put("kWhBeyondLimits", round3(beyondLimitWh / 1000));
        pcc.put("peakImportKw", round3(peakImportW / 1000));
        pcc.put("peakImportAt", java.time.Instant.ofEpochSecond(0, peakImportAtNs).atZone(zoneId).toLocalTime().toString());
        pcc.put("peakExportKw", round3(peakExportW / 1000));
        f.put("pcc", pcc);
        final Map<String, Object> energy = new LinkedHashMap<>();
        energy.put("importKwh", round3(importWh / 1000));
        energy.put("exportKwh", round3(exportWh / 1000));
        energy.put("consumptionKwh", round3(consumptionWh / 1000));
        energy.put("pvKwh", round3(pvWh / 1000));
        energy.put("pvCurtailedKwh", round3(pvCurtailedWh / 1000));
        energy.put("selfSufficiencyPercent", round3(selfSufficiencyPercent()));
        energy.put("selfSufficiencyDefinition", "PV energy used in the district (produced minus exported) over consumption (load and EV charging)");
        energy.put("gridIndependencePercent", round3(consumptionWh > 0 ? 100.0 * (1.0 - importWh / consumptionWh) : 0.0));
        energy.put("gridIndependenceDefinition", "1 - import / consumption (OpenEMS 'autarchy'): negative when the ESS is charged from the grid");
        energy.put("selfSufficiencyCeilingPercent", round3(consumptionWh > 0 ? 100.0 * Math.min(1.0, (pvWh + pvCurtailedWh) / consumptionWh) : 0.0));
        energy.put("costKrw", Math.round(costKrw));
        f.put("energy", energy);
        final Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("sessions", evSessions);
        ev.put("departed", evSessionsDeparted);
        ev.put("turnedAway", evTurnedAway);
        ev.put("neededKwh", round3(evNeededWh / 1000));
        ev.put("deliveredKwh", round3(evDeliveredWh / 1000));
        ev.put("shortfallKwh", round3(evShortfallWh / 1000));
        ev.put("feasibleShortfallKwh", round3(evFeasibleShortfallWh / 1000));
        ev.put("feasibleDeadlinesMissed", evFeasibleMissed);
        ev.put("note", "shortfall counted at departure; feasible = the need fits the vehicle's power over its stay");
        f.put("ev", ev);
        final List<Map<String, Object>> soc = new ArrayList<>();
        long socViolations = 0;
        for (int i = 0; i < essIds.length; i++)
        {
            final Map<String, Object> unit = new LinkedHashMap<>();
            unit.put("essId", essIds[i]);
            unit.put("violationSteps", socViolationSteps[i]);
            unit.put("minSocPercent", round3(socMinSeen[i] * 100));
            unit.put("maxSocPercent", round3(socMaxSeen[i] * 100));
            unit.put("endSocPercent", round3(essEnergyWh[i] / essCapacityWh[i] * 100));
            unit.put("limitsPercent", List.of(essMinSoc[i] * 100, essMaxSoc[i] * 100));
            soc.add(unit);
            socViolations += socViolationSteps[i];
        }
        f.put("socViolationSteps", socViolations);
        f.put("ess", soc);
        final List<Map<String, Object>> dips = new ArrayList<>();
        for (int i = 0; i < dipStartNs.length; i++)
        {
            final Map<String, Object> dip = new LinkedHashMap<>();
            dip.put("at", scenario.frequencyDips().get(i).at().toString());
            dip.put("depthMilliHz", scenario.frequencyDips().get(i).depthMilliHz());
            dip.put("firstBeyondDeadBandAtS", dipFirstBeyondNs[i] == Long.MIN_VALUE ? null : (dipFirstBeyondNs[i] - startNs) / 1e9);
            dip.put("responseTimeMs", dipActivatedNs[i] == Long.MIN_VALUE || dipFirstBeyondNs[i] == Long.MIN_VALUE ? null
                : (dipActivatedNs[i] - dipFirstBeyondNs[i]) / 1e6);
            dips.add(dip);
        }
        final Map<String, Object> frequency = new LinkedHashMap<>();
        frequency.put("dips", dips);
        frequency.put("measurementsBeyondDeadBandAnswered", responsesChecked);
        frequency.put("worstResponseTimeMs", worstResponseNs < 0 ? null : worstResponseNs == Long.MAX_VALUE ? "not fully active" : worstResponseNs / 1e6);
        frequency.put("measured", "from a frequency measurement beyond the dead band to the end of the step after the Tick whose "
            + "BalancingStatus carries at least " + (int)(FULL_ACTIVATION * 100) + " % of the droop response it asks for");
        f.put("frequencyResponse", frequency);
        final List<Map<String, Object>> drs = new ArrayList<>();
        for (int i = 0; i < drStartNs.length; i++)
        {
            final Map<String, Object> dr = new LinkedHashMap<>();
            dr.put("id", scenario.demandResponse().get(i).id());
            dr.put("window", scenario.demandResponse().get(i).start() + "-" + scenario.demandResponse().get(i).end());
            dr.put("baselineKw", Double.isNaN(drBaselineW[i]) ? null : round3(drBaselineW[i] / 1000));
            dr.put("requestedKwh", round3(drRequestedWh[i] / 1000));
            dr.put("deliveredKwh", round3(drDeliveredWh[i] / 1000));
            dr.put("deliveredPercent", drRequestedWh[i] > 0 ? round3(100 * drDeliveredWh[i] / drRequestedWh[i]) : null);
            dr.put("stepsAtFullReductionPercent", drSteps[i] > 0 ? round3(100.0 * drStepsMet[i] / drSteps[i]) : null);
            drs.add(dr);
        }
        f.put("demandResponse", drs);
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("fallbackTicks", fallbackTicks);
        data.put("staleMeasurements", staleMeasurements);
        data.put("invalidMeasurements", invalidMeasurements);
        data.put("faultsInjected", scenario.faults().size());
        f.put("badData", data);
        final Map<String, Object> settlement = new LinkedHashMap<>();
        settlement.put("records", settlements);
        settlement.put("producedKwh", round3(settledProducedWh / 1000));
        settlement.put("soldToNeighboursKwh", round3(settledSoldWh / 1000));
        f.put("settlement", settlement);
        f.put("hourly", hourly);
        f.put("setpointsApplied", setpointsApplied);
        f.put("setpointsIgnored", setpointsIgnored);
        if (operatorAtNs.length > 0) // only scenarios that have them: the others' reports stay as they were
        {
            final Map<String, Object> operator = new LinkedHashMap<>();
            operator.put("sent", operatorSetpointsSent);
            operator.put("setpointsWithReasonOperator", operatorReasonSetpoints);
            operator.put("setpointsWithReasonDeviceLimit", operatorClampedSetpoints);
            operator.put("rejects", rejects);
            operator.put("note", "the scenario's OperatorSetpoint inputs; Setpoints the controller sent with reason OPERATOR or DEVICE_LIMIT; "
                + "Rejects it answered (a value outside the device's range, an unknown device). The reference strategies ignore operators");
            f.put("operatorSetpoints", operator);
        }
        return f;
    }

    public double selfSufficiencyPercent()
    {
        return consumptionWh > 0 ? 100.0 * Math.min(1.0, Math.max(0.0, pvWh - exportWh) / consumptionWh) : 0.0;
    }

    public double peakImportKw()
    {
        return peakImportW / 1000;
    }

    public double costKrw()
    {
        return costKrw;
    }

    private static double round3(final double value)
    {
        return Math.round(value * 1000) / 1000.0;
    }

    // ------------------------------------------------------------------ what strategies may read directly

    public CityConfig config()
    {
        return config;
    }

    public EnergyScenario scenario()
    {
        return scenario;
    }
}
