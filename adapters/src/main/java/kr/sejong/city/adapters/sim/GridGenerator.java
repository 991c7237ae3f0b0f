package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.GridMeasurementEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Energy;
import kr.sejong.city.config.Ess;
import kr.sejong.city.config.PvArray;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One measurement set of the microgrid every {@code simulator.gridMeasurementIntervalMs}, all stamped
 * with the same instant, in this order: every PV array, the district's aggregate load, every ESS, every
 * EV charger, then the PCC. Signs follow the schema: drawn from the bus positive, delivered negative;
 * the PCC is the sum of the others (load - PV + ESS + EV charging), so each set balances exactly.
 * <ul>
 *   <li>PV: peakKw x performance ratio x clear-sky irradiance for the sun's elevation x a cloudiness
 *   that wanders slowly (one sky over the whole district).</li>
 *   <li>Load: baseLoadKw to peakLoadKw along {@link DailyProfiles#residentialLoad}, with the noise of
 *   {@code households} independent homes. The configuration gives the aggregate load no id of its own:
 *   it is measured at the PCC, so it carries the PCC's id with the kind LOAD.</li>
 *   <li>ESS: 0 W at initialSocPercent, since nothing controls them yet.</li>
 *   <li>EV chargers: what {@link EvChargingGenerator} draws; with the vehicle's state of charge.</li>
 * </ul>
 */
final class GridGenerator implements Generator
{
    static final long SALT = 0x475249444D454153L; // "GRIDMEAS"

    /** Inverter, wiring, temperature and soiling losses of a well-kept array, chosen. */
    static final double PV_PERFORMANCE_RATIO = 0.85;
    /** Cloudiness (share of clear-sky output) drifts back to its mean over about half an hour. */
    static final double CLOUD_MEAN = 0.8;
    static final double CLOUD_STDDEV = 0.15;
    static final double CLOUD_CORRELATION_S = 1800;
    static final double CLOUD_MIN = 0.2;
    static final double CLOUD_MAX = 1.0;
    /** Residential power factor 0.95 (lagging): Q = P x tan(acos 0.95). */
    static final double LOAD_Q_PER_P = 0.3287;

    private final SplittableRandom random;
    private final ZoneRules zone;
    private final long intervalNs;
    private final double latitudeDeg;
    private final double longitudeDeg;
    private final int pccId;
    private final int[] pvIds;
    private final double[] pvPeakKw;
    private final double baseLoadKw;
    private final double peakLoadKw;
    private final double loadNoise;
    private final int[] essIds;
    private final int[] essSocPermille;
    private final int[] evChargerIds;
    private final EvChargingGenerator ev;
    private double cloudiness;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final GridMeasurementEncoder encoder = new GridMeasurementEncoder();

    GridGenerator(final CityConfig config, final long seed, final EvChargingGenerator ev)
    {
        random = RandomDraws.stream(seed, SALT);
        zone = ZoneId.of(config.city().timeZone()).getRules();
        intervalNs = config.simulator().gridMeasurementIntervalMs() * 1_000_000L;
        latitudeDeg = config.city().origin().latitudeDeg();
        longitudeDeg = config.city().origin().longitudeDeg();
        final Energy energy = config.energy();
        pccId = energy.pcc().id();
        final List<PvArray> pv = energy.pv();
        pvIds = new int[pv.size()];
        pvPeakKw = new double[pv.size()];
        for (int i = 0; i < pvIds.length; i++)
        {
            pvIds[i] = pv.get(i).id();
            pvPeakKw[i] = pv.get(i).peakKw();
        }
        baseLoadKw = energy.loads().baseLoadKw();
        peakLoadKw = energy.loads().peakLoadKw();
        loadNoise = energy.loads().households() > 0 ? 1.0 / Math.sqrt(energy.loads().households()) : 0.0;
        final List<Ess> ess = energy.ess();
        essIds = new int[ess.size()];
        essSocPermille = new int[ess.size()];
        for (int i = 0; i < essIds.length; i++)
        {
            essIds[i] = ess.get(i).id();
            essSocPermille[i] = (int)Math.round(ess.get(i).initialSocPercent() * 10.0);
        }
        evChargerIds = new int[energy.evChargers().size()];
        for (int i = 0; i < evChargerIds.length; i++)
        {
            evChargerIds[i] = energy.evChargers().get(i).id();
        }
        this.ev = ev;
        cloudiness = RandomDraws.uniform(random, 0.5, CLOUD_MAX);
    }

    @Override
    public void step(final long fromNs, final long toNs, final FrameSink sink)
    {
        for (long timeNs = CityClock.firstBoundaryAtOrAfter(fromNs, intervalNs); timeNs < toNs; timeNs += intervalNs)
        {
            measurementSet(timeNs, sink);
        }
    }

    private void measurementSet(final long timeNs, final FrameSink sink)
    {
        cloudiness = nextCloudiness(cloudiness, intervalNs, RandomDraws.gaussian(random));
        final double clearSky = SolarModel.clearSkyFraction(SolarModel.elevationDeg(latitudeDeg, longitudeDeg, timeNs));
        long pccW = 0;
        long pccVar = 0;
        for (int i = 0; i < pvIds.length; i++)
        {
            final int pvW = pvPowerW(pvPeakKw[i], clearSky, cloudiness);
            pccW += pvW;
            emit(sink, pvIds[i], DeviceKind.PV_INVERTER, pvW, 0, -1, timeNs);
        }

        final double hour = CityClock.localHourOfDay(zone, timeNs);
        final double loadKw = loadKw(baseLoadKw, peakLoadKw, DailyProfiles.residentialLoad(hour))
            * (1.0 + loadNoise * RandomDraws.gaussian(random));
        final int loadW = (int)Math.round(Math.max(0.0, loadKw) * 1000.0);
        final int loadVar = (int)Math.round(loadW * LOAD_Q_PER_P);
        pccW += loadW;
        pccVar += loadVar;
        emit(sink, pccId, DeviceKind.LOAD, loadW, loadVar, -1, timeNs);

        for (int i = 0; i < essIds.length; i++)
        {
            emit(sink, essIds[i], DeviceKind.ESS, 0, 0, essSocPermille[i], timeNs);
        }

        for (int i = 0; i < evChargerIds.length; i++)
        {
            final int chargingW = ev.powerW(i);
            pccW += chargingW;
            emit(sink, evChargerIds[i], DeviceKind.EV_CHARGER, chargingW, 0, ev.vehicleSocPermille(i), timeNs);
        }

        emit(sink, pccId, DeviceKind.PCC_METER, Math.toIntExact(pccW), Math.toIntExact(pccVar), -1, timeNs);
    }

    /** PV output, W, negative (delivered to the bus); 0 at night. */
    static int pvPowerW(final double peakKw, final double clearSkyFraction, final double cloudiness)
    {
        return -(int)Math.round(peakKw * 1000.0 * PV_PERFORMANCE_RATIO * clearSkyFraction * cloudiness);
    }

    /** District load, kW, between the base and the peak by the daily profile (0 = base, 1 = peak). */
    static double loadKw(final double baseLoadKw, final double peakLoadKw, final double profile)
    {
        return baseLoadKw + (peakLoadKw - baseLoadKw) * profile;
    }

    /**
     * The cloudiness after {@code elapsedNs}: an Ornstein-Uhlenbeck process around {@value #CLOUD_MEAN}
     * with a stationary spread of {@value #CLOUD_STDDEV} (exact for any step), kept within
     * [{@value #CLOUD_MIN}, {@value #CLOUD_MAX}].
     */
    static double nextCloudiness(final double cloudiness, final long elapsedNs, final double gaussian)
    {
        return Math.max(CLOUD_MIN, Math.min(CLOUD_MAX,
            meanReverting(cloudiness, CLOUD_MEAN, CLOUD_STDDEV, CLOUD_CORRELATION_S, elapsedNs, gaussian)));
    }

    /**
     * One exact step of an Ornstein-Uhlenbeck process: x drifts back to {@code mean} with time constant
     * {@code correlationS} and wanders with a stationary standard deviation of {@code stddev}.
     */
    static double meanReverting(
        final double x,
        final double mean,
        final double stddev,
        final double correlationS,
        final long elapsedNs,
        final double gaussian)
    {
        final double keep = StrictMath.exp(-((double)elapsedNs / CityClock.SECOND_NS) / correlationS);
        return mean + keep * (x - mean) + stddev * StrictMath.sqrt(1.0 - keep * keep) * gaussian;
    }

    private void emit(
        final FrameSink sink,
        final int deviceId,
        final DeviceKind kind,
        final int activePowerW,
        final int reactivePowerVar,
        final int socPermille,
        final long timeNs)
    {
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .deviceId(deviceId)
            .deviceKind(kind)
            .activePowerW(activePowerW)
            .reactivePowerVar(reactivePowerVar)
            .socPermille(socPermille < 0 ? GridMeasurementEncoder.socPermilleNullValue() : socPermille)
            .measuredAtNs(timeNs);
        sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
