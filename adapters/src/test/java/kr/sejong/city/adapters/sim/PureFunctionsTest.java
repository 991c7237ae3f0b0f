package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.EmergencyLine;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.config.Place;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arithmetic of the model, without any model: profiles, the sun, random draws, the clock. */
class PureFunctionsTest
{
    private static final double SEJONG_LATITUDE_DEG = 36.529;
    private static final double SEJONG_LONGITUDE_DEG = 127.309;

    @Test
    void dailyProfilesHaveTheirPeaksAndTroughsAtTheDocumentedHours()
    {
        assertEquals(1.0, DailyProfiles.traffic(8), 1e-12);
        assertEquals(1.0, DailyProfiles.traffic(18), 1e-12);
        assertEquals(0.05, DailyProfiles.traffic(3), 1e-12);
        assertTrue(DailyProfiles.traffic(8) > 10 * DailyProfiles.traffic(3), "morning peak many times the night");
        assertEquals((1.00 + 0.75) / 2, DailyProfiles.traffic(8.5), 1e-12, "linear between hours");
        assertEquals(DailyProfiles.traffic(0), DailyProfiles.traffic(24), 1e-12, "wraps at midnight");
        assertEquals(DailyProfiles.traffic(23), DailyProfiles.traffic(-1), 1e-12);
        assertEquals((0.24 + 0.15) / 2, DailyProfiles.traffic(23.5), 1e-12, "23:30 is between 23:00 and 0:00");

        assertEquals(1.0, DailyProfiles.residentialLoad(20), 1e-12);
        assertEquals(0.0, DailyProfiles.residentialLoad(4), 1e-12);
        assertEquals(1.0, DailyProfiles.rideRequests(8), 1e-12);
        assertTrue(DailyProfiles.outboundShare(7.5) > 0.8 && DailyProfiles.outboundShare(18) < 0.3,
            "out to the BRT in the morning, back in the evening");
        assertEquals(1.0, DailyProfiles.evArrivals(8), 1e-12);

        for (final double[] table : new double[][] { DailyProfiles.TRAFFIC, DailyProfiles.RIDE_REQUESTS,
            DailyProfiles.OUTBOUND_SHARE, DailyProfiles.RESIDENTIAL_LOAD, DailyProfiles.EV_ARRIVALS })
        {
            for (double hour = 0; hour < 24; hour += 0.25)
            {
                final double value = DailyProfiles.interpolate(table, hour);
                assertTrue(value >= 0 && value <= 1, "profile value " + value + " at " + hour);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> DailyProfiles.interpolate(new double[12], 1));
    }

    @Test
    void theSunIsHighAtNoonInJuneAndBelowTheHorizonAtMidnight()
    {
        assertEquals(23.44, SolarModel.declinationDeg(172), 0.1, "June solstice");
        assertEquals(-23.44, SolarModel.declinationDeg(355), 0.1, "December solstice");
        assertEquals(0.0, SolarModel.declinationDeg(81), 1.0, "March equinox");

        final double declination = SolarModel.declinationDeg(172);
        assertEquals(90 - SEJONG_LATITUDE_DEG + 23.44, SolarModel.elevationDeg(SEJONG_LATITUDE_DEG, declination, 12.0), 0.1);
        assertEquals(-(90 - SEJONG_LATITUDE_DEG - 23.44), SolarModel.elevationDeg(SEJONG_LATITUDE_DEG, declination, 0.0), 0.1);

        // Sejong is 7.7 degrees west of its zone's meridian (135 E): solar noon is about 12:30 KST
        final long noonNs = Recording.localNs(2025, 6, 21, 12, 30);
        final long midnightNs = Recording.localNs(2025, 6, 21, 0, 30);
        assertTrue(SolarModel.elevationDeg(SEJONG_LATITUDE_DEG, SEJONG_LONGITUDE_DEG, noonNs) > 75);
        assertTrue(SolarModel.elevationDeg(SEJONG_LATITUDE_DEG, SEJONG_LONGITUDE_DEG, midnightNs) < -25);
        final double solarHour = SolarModel.solarHour(3.5, SEJONG_LONGITUDE_DEG, 172);
        assertEquals(12.0, solarHour, 0.1, "12:30 KST is 03:30 UTC, close to solar noon");

        assertEquals(0.0, SolarModel.clearSkyFraction(-5), 0.0);
        assertEquals(0.0, SolarModel.clearSkyFraction(0), 0.0);
        assertEquals(1.098 * StrictMath.exp(-0.057), SolarModel.clearSkyFraction(90), 1e-12);
        double previous = 0;
        for (double elevation = 1; elevation <= 90; elevation += 1)
        {
            final double fraction = SolarModel.clearSkyFraction(elevation);
            assertTrue(fraction > previous, "more light as the sun climbs");
            previous = fraction;
        }
    }

    @Test
    void poissonDrawsHaveTheirMeanAndVariance()
    {
        for (final double mean : new double[] { 0.0, 600.0 / 3600, 3.0, 29.9, 45.0, 600.0 })
        {
            final SplittableRandom random = new SplittableRandom(42);
            final int n = mean > 100 ? 20_000 : 200_000;
            double sum = 0;
            double sumSquares = 0;
            for (int i = 0; i < n; i++)
            {
                final int k = RandomDraws.poisson(random, mean);
                assertTrue(k >= 0);
                sum += k;
                sumSquares += (double)k * k;
            }
            final double sampleMean = sum / n;
            final double sampleVariance = sumSquares / n - sampleMean * sampleMean;
            final double tolerance = 5 * Math.sqrt(Math.max(mean, 1e-9) / n);
            assertEquals(mean, sampleMean, tolerance, "mean of Poisson(" + mean + ")");
            assertEquals(mean, sampleVariance, Math.max(0.05 * mean, 1e-9), "variance of Poisson(" + mean + ")");
        }
        assertThrows(IllegalArgumentException.class, () -> RandomDraws.poisson(new SplittableRandom(1), -1));
        assertThrows(IllegalArgumentException.class, () -> RandomDraws.poisson(new SplittableRandom(1), Double.NaN));
    }

    @Test
    void otherDrawsAreWhatTheySay()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final int n = 200_000;
        double sum = 0;
        double sumSquares = 0;
        final int[] picked = new int[3];
        for (int i = 0; i < n; i++)
        {
            final double g = RandomDraws.gaussian(random);
            sum += g;
            sumSquares += g * g;
            picked[RandomDraws.weightedIndex(random, new double[] { 1, 0, 3 })]++;
        }
        assertEquals(0.0, sum / n, 0.01);
        assertEquals(1.0, sumSquares / n, 0.01);
        assertEquals(0, picked[1], "a zero weight is never drawn");
        assertEquals(0.25, picked[0] / (double)n, 0.005);
        assertEquals(-1, RandomDraws.weightedIndex(random, new double[] { 0, 0 }));

        // sub-streams: the same salt repeats, another salt differs
        assertEquals(RandomDraws.stream(1, 99).nextLong(), RandomDraws.stream(1, 99).nextLong());
        assertNotEquals(RandomDraws.stream(1, 99).nextLong(), RandomDraws.stream(1, 98).nextLong());
    }

    @Test
    void theCityClockKnowsSeoulTimeAndStepBoundaries()
    {
        final var seoul = ZoneId.of("Asia/Seoul").getRules();
        final long utcMidnight = 1_750_464_000L * CityClock.SECOND_NS; // 2025-06-21T00:00Z
        assertEquals(9 * 3600, CityClock.utcOffsetSeconds(seoul, utcMidnight));
        assertEquals(9.0, CityClock.localHourOfDay(seoul, utcMidnight), 1e-12);
        assertEquals(0.0, CityClock.utcHourOfDay(utcMidnight), 1e-12);
        assertEquals(172, CityClock.utcDayOfYear(utcMidnight));
        assertEquals(8.0, CityClock.localHourOfDay(seoul, Recording.localNs(2025, 6, 21, 8, 0)), 1e-12);

        assertEquals(2000, CityClock.firstBoundaryAtOrAfter(2000, 1000));
        assertEquals(3000, CityClock.firstBoundaryAtOrAfter(2001, 1000));
        assertEquals(0, CityClock.firstBoundaryAtOrAfter(-999, 1000));
        assertEquals(-1000, CityClock.firstBoundaryAtOrAfter(-1000, 1000));
    }

    @Test
    void detectorArithmetic()
    {
        assertEquals(600.0 / 3600, DetectorGenerator.meanVehicles(600, 1000), 1e-12);
        assertEquals(0, DetectorGenerator.occupancyPermille(0, 1000));
        assertEquals(300, DetectorGenerator.occupancyPermille(1, 1000));
        assertEquals(1000, DetectorGenerator.occupancyPermille(5, 1000), "capped");
        assertEquals(30, DetectorGenerator.occupancyPermille(1, 10_000));
        assertEquals(833.3, DetectorGenerator.kmhToCmPerS(30), 0.1);
        assertEquals(1000.0, DetectorGenerator.meanSpeedCmPerS(1000, 0), 1e-9);
        assertEquals(200.0, DetectorGenerator.meanSpeedCmPerS(1000, 1000), 1e-9, "a covered loop: crawling");
    }

    @Test
    void gridArithmetic()
    {
        assertEquals(-595_000, GridGenerator.pvPowerW(700, 1.0, 1.0), "700 kWp at 85 %");
        assertEquals(0, GridGenerator.pvPowerW(700, 0.0, 0.9));
        assertEquals(3500, GridGenerator.loadKw(3500, 11000, 0), 1e-9);
        assertEquals(11000, GridGenerator.loadKw(3500, 11000, 1), 1e-9);
        assertEquals(0.2, GridGenerator.nextCloudiness(0.0, CityClock.SECOND_NS, 0), 1e-12, "floor");
        assertEquals(1.0, GridGenerator.nextCloudiness(5.0, CityClock.SECOND_NS, 0), 1e-12, "ceiling");

        // the wander has its stationary spread, for any step length
        for (final long stepNs : new long[] { CityClock.SECOND_NS, CityClock.HOUR_NS })
        {
            final SplittableRandom random = new SplittableRandom(3);
            double x = 0;
            double sumSquares = 0;
            final int n = 200_000;
            for (int i = 0; i < n; i++)
            {
                x = GridGenerator.meanReverting(x, 0, 6, 10, stepNs, RandomDraws.gaussian(random));
                sumSquares += x * x;
            }
            assertEquals(6.0, Math.sqrt(sumSquares / n), 0.5);
        }

        assertEquals(0.0, FrequencyGenerator.dipMilliHz(200, -1), 0.0);
        assertEquals(-100.0, FrequencyGenerator.dipMilliHz(200, 3), 1e-9, "halfway down");
        assertEquals(-200.0, FrequencyGenerator.dipMilliHz(200, 6), 1e-9, "nadir");
        assertEquals(-200.0 * Math.exp(-1), FrequencyGenerator.dipMilliHz(200, 46), 1e-6, "one time constant later");
        assertEquals(0.0, FrequencyGenerator.dipMilliHz(200, 301), 0.0);
    }

    @Test
    void evAndShuttleArithmetic()
    {
        assertEquals(EvChargingGenerator.STANDARD, EvChargingGenerator.chargerClass(7));
        assertEquals(EvChargingGenerator.FAST, EvChargingGenerator.chargerClass(50));
        assertEquals(EvChargingGenerator.FAST, EvChargingGenerator.chargerClass(100));
        assertEquals(EvChargingGenerator.SUPER_FAST, EvChargingGenerator.chargerClass(300));
        assertEquals(10_000 + 7000.0 / 3600, EvChargingGenerator.chargedEnergyWh(10_000, 50_000, 7000, CityClock.SECOND_NS), 1e-9);
        assertEquals(50_000, EvChargingGenerator.chargedEnergyWh(49_999, 50_000, 300_000, CityClock.HOUR_NS), 1e-9, "stops when full");

        assertEquals(90.0 - 0.4, ShuttleGenerator.standbySocPercent(90, 15, CityClock.HOUR_NS), 1e-9);
        assertEquals(15.0, ShuttleGenerator.standbySocPercent(15.1, 15, 10 * CityClock.HOUR_NS), 1e-9, "never below the reserve");
    }

    @Test
    void emergencyArithmetic()
    {
        final double[] shares = VideoEventGenerator.falseAlarmShares(30, new double[] { 10, 20, 30 });
        assertEquals(0.15, shares[0], 1e-12);
        assertEquals(0.30, shares[1], 1e-12);
        assertEquals(0.45, shares[2], 1e-12);
        assertEquals(0.95, VideoEventGenerator.falseAlarmShares(90, new double[] { 10, 30 })[1], 1e-12, "capped");

        final double[] weights = new double[VideoEventGenerator.CLASSES.length];
        final int tunnelStop = indexOf(EventClass.VEHICLE_STOPPED_IN_TUNNEL);
        for (final Place.Kind kind : Place.Kind.values())
        {
            VideoEventGenerator.classWeights(kind, false, weights);
            assertEquals(kind == Place.Kind.TUNNEL, weights[tunnelStop] > 0, "stopped vehicles only in tunnels: " + kind);
            assertEquals(0.0, weights[indexOf(EventClass.MEDICAL)], 0.0);
            assertTrue(weights[indexOf(EventClass.FIRE)] < weights[indexOf(EventClass.OTHER)], "fire is rare: " + kind);
        }
        final double dayCrowds = VideoEventGenerator.classWeights(Place.Kind.MARKET, false, weights)[indexOf(EventClass.CROWDING)];
        final double nightCrowds = VideoEventGenerator.classWeights(Place.Kind.MARKET, true, weights)[indexOf(EventClass.CROWDING)];
        assertTrue(nightCrowds < dayCrowds);
        assertTrue(VideoEventGenerator.isNight(23) && VideoEventGenerator.isNight(3) && !VideoEventGenerator.isNight(12));

        final SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++)
        {
            final int real = VideoEventGenerator.initialConfidence(random, false);
            final int fake = VideoEventGenerator.initialConfidence(random, true);
            assertTrue(real >= 600 && real <= 990 && fake >= 300 && fake <= 750);
        }

        assertEquals(EmergencyLine.FIRE_119, CallEventGenerator.line(EventClass.FIRE));
        assertEquals(EmergencyLine.FIRE_119, CallEventGenerator.line(EventClass.MEDICAL));
        assertEquals(EmergencyLine.POLICE_112, CallEventGenerator.line(EventClass.CRIME));
        assertEquals(EmergencyLine.POLICE_112, CallEventGenerator.line(EventClass.COLLISION));
    }

    private static int indexOf(final EventClass eventClass)
    {
        for (int i = 0; i < VideoEventGenerator.CLASSES.length; i++)
        {
            if (VideoEventGenerator.CLASSES[i] == eventClass)
            {
                return i;
            }
        }
        throw new AssertionError(eventClass);
    }
}
