package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.DetectorObservationEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Detector;
import kr.sejong.city.config.Intersection;
import kr.sejong.city.config.Link;
import kr.sejong.city.config.Mobility;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DetectorObservation for every detector at the end of every {@code simulator.detectorIntervalMs}
 * (intervals aligned to the epoch). Cars arrive as a Poisson process of {@code
 * peakVehiclesPerHourPerLane} x {@link DailyProfiles#traffic}; a bus lane sees only the BRT buses,
 * one every {@code brtHeadwayS} during service hours.
 */
final class DetectorGenerator implements Generator
{
    static final long SALT = 0x4445544543544F52L; // "DETECTOR"

    /** Time a passing vehicle covers a loop at urban speed (car plus loop length over speed), chosen. */
    static final double OCCUPIED_MS_PER_VEHICLE = 300.0;
    /** Vehicles decelerate to and start from a stop line; at an advance loop they are near free flow. */
    static final double STOP_LINE_SPEED_FACTOR = 0.6;
    static final double ADVANCE_SPEED_FACTOR = 0.9;
    /** Relative spread of a measured mean speed. */
    static final double SPEED_NOISE = 0.08;

    private final SplittableRandom random;
    private final ZoneRules zone;
    private final long intervalNs;
    private final int intervalMs;
    private final double peakVehiclesPerHourPerLane;
    private final double busesPerHour;
    private final int serviceStartHour;
    private final int serviceEndHour;
    private final int[] detectorIds;
    private final int[] intersectionIds;
    private final boolean[] busLanes;
    private final double[] speedCmPerS;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final DetectorObservationEncoder encoder = new DetectorObservationEncoder();

    DetectorGenerator(final CityConfig config, final long seed)
    {
        random = RandomDraws.stream(seed, SALT);
        zone = ZoneId.of(config.city().timeZone()).getRules();
        intervalMs = config.simulator().detectorIntervalMs();
        intervalNs = intervalMs * 1_000_000L;
        peakVehiclesPerHourPerLane = config.simulator().peakVehiclesPerHourPerLane();
        busesPerHour = 3600.0 / config.simulator().brtHeadwayS();
        final Mobility.Service service = config.mobility().service();
        serviceStartHour = service.serviceStartHour();
        serviceEndHour = service.serviceEndHour();

        final List<Detector> detectors = config.traffic().detectors();
        final int n = detectors.size();
        detectorIds = new int[n];
        intersectionIds = new int[n];
        busLanes = new boolean[n];
        speedCmPerS = new double[n];
        for (int i = 0; i < n; i++)
        {
            final Detector detector = detectors.get(i);
            final Intersection intersection = intersection(config, detector.intersection());
            final Intersection.Approach approach = intersection.approach(detector.approach());
            detectorIds[i] = detector.id();
            intersectionIds[i] = detector.intersection();
            busLanes[i] = approach.busLane() && detector.lane() == 0;
            final double roadKmh = approach.busLane()
                ? brtSpeedKmh(config, intersection.id(), config.traffic().speedLimitKmh())
                : config.traffic().speedLimitKmh();
            speedCmPerS[i] = kmhToCmPerS(roadKmh) *
                (detector.kind() == Detector.Kind.STOP_LINE ? STOP_LINE_SPEED_FACTOR : ADVANCE_SPEED_FACTOR);
        }
    }

    @Override
    public void step(final long fromNs, final long toNs, final FrameSink sink)
    {
        for (long endNs = CityClock.firstBoundaryAtOrAfter(fromNs, intervalNs); endNs < toNs; endNs += intervalNs)
        {
            // the observation covers [endNs - interval, endNs): demand of its middle
            final double hour = CityClock.localHourOfDay(zone, endNs - intervalNs / 2);
            final double carMean = meanVehicles(peakVehiclesPerHourPerLane * DailyProfiles.traffic(hour), intervalMs);
            final boolean inService = hour >= serviceStartHour && hour < serviceEndHour;
            final double busMean = inService ? meanVehicles(busesPerHour, intervalMs) : 0.0;
            for (int i = 0; i < detectorIds.length; i++)
            {
                final int count = Math.min(0xFFFE, RandomDraws.poisson(random, busLanes[i] ? busMean : carMean));
                final int occupancy = occupancyPermille(count, intervalMs);
                int speed = DetectorObservationEncoder.meanSpeedCmPerSNullValue();
                if (count > 0)
                {
                    final double noisy = meanSpeedCmPerS(speedCmPerS[i], occupancy) * (1.0 + SPEED_NOISE * RandomDraws.gaussian(random));
                    speed = (int)Math.round(Math.max(100.0, Math.min(60_000.0, noisy)));
                }
                encoder.wrapAndApplyHeader(buffer, 0, header)
                    .detectorId(detectorIds[i])
                    .intersectionId(intersectionIds[i])
                    .intervalMs(intervalMs)
                    .vehicleCount(count)
                    .occupancyPermille(occupancy)
                    .meanSpeedCmPerS(speed)
                    .presence(count > 0 ? BooleanType.TRUE : BooleanType.FALSE);
                sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
            }
        }
    }

    /** Expected vehicles in an interval at a flow of {@code vehiclesPerHour}. */
    static double meanVehicles(final double vehiclesPerHour, final int intervalMs)
    {
        return vehiclesPerHour * intervalMs / 3_600_000.0;
    }

    /** Share of the interval the loop was covered, permille, capped at 1000. */
    static int occupancyPermille(final int vehicleCount, final int intervalMs)
    {
        return (int)Math.min(1000, Math.round(vehicleCount * OCCUPIED_MS_PER_VEHICLE * 1000.0 / intervalMs));
    }

    /** Traffic slows as the loop fills: free-flow speed at zero occupancy, a fifth of it when covered. */
    static double meanSpeedCmPerS(final double freeFlowCmPerS, final int occupancyPermille)
    {
        return freeFlowCmPerS * (1.0 - 0.8 * occupancyPermille / 1000.0);
    }

    static double kmhToCmPerS(final double kmh)
    {
        return kmh * 100_000.0 / 3600.0;
    }

    private static Intersection intersection(final CityConfig config, final int id)
    {
        for (final Intersection intersection : config.traffic().intersections())
        {
            if (intersection.id() == id)
            {
                return intersection;
            }
        }
        throw new IllegalArgumentException("unknown intersection " + id); // the config validator rules this out
    }

    /** Speed of the fastest BRT link at an intersection, or the default limit when none is a BRT link. */
    private static double brtSpeedKmh(final CityConfig config, final int intersectionId, final double defaultKmh)
    {
        double kmh = -1;
        for (final Link link : config.traffic().links())
        {
            if (link.brt() && (link.from() == intersectionId || link.to() == intersectionId))
            {
                kmh = Math.max(kmh, link.speedKmh());
            }
        }
        return kmh > 0 ? kmh : defaultKmh;
    }
}
