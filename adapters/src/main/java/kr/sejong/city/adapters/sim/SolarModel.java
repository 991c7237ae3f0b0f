package kr.sejong.city.adapters.sim;

/**
 * Where the sun is and how much a PV array makes under a clear sky. Textbook approximations, good to
 * a degree or so: Cooper's declination, the usual equation-of-time fit, and the Haurwitz clear-sky
 * irradiance. {@link StrictMath} only, so the numbers are the same on every machine.
 */
public final class SolarModel
{
    /** Irradiance at which a PV array gives its peak (kWp) rating, W/m2. */
    public static final double STC_IRRADIANCE_W_PER_M2 = 1000.0;

    private SolarModel()
    {
    }

    /** Solar declination, degrees, for day of year 1 to 366 (Cooper 1969). */
    public static double declinationDeg(final int dayOfYear)
    {
        return 23.44 * StrictMath.sin(StrictMath.toRadians(360.0 * (284 + dayOfYear) / 365.0));
    }

    /** Equation of time, minutes: apparent solar time minus mean solar time. */
    public static double equationOfTimeMin(final int dayOfYear)
    {
        final double b = StrictMath.toRadians(360.0 * (dayOfYear - 81) / 364.0);
        return 9.87 * StrictMath.sin(2 * b) - 7.53 * StrictMath.cos(b) - 1.5 * StrictMath.sin(b);
    }

    /** Apparent solar time, hours [0, 24), at a longitude (degrees east) for a UTC time of day. */
    public static double solarHour(final double utcHourOfDay, final double longitudeDeg, final int dayOfYear)
    {
        return DailyProfiles.wrapHour(utcHourOfDay + longitudeDeg / 15.0 + equationOfTimeMin(dayOfYear) / 60.0);
    }

    /** Sun elevation above the horizon, degrees (negative at night). */
    public static double elevationDeg(final double latitudeDeg, final double declinationDeg, final double solarHour)
    {
        final double latitude = StrictMath.toRadians(latitudeDeg);
        final double declination = StrictMath.toRadians(declinationDeg);
        final double hourAngle = StrictMath.toRadians(15.0 * (solarHour - 12.0));
        final double sinElevation = StrictMath.sin(latitude) * StrictMath.sin(declination)
            + StrictMath.cos(latitude) * StrictMath.cos(declination) * StrictMath.cos(hourAngle);
        return StrictMath.toDegrees(StrictMath.asin(Math.max(-1.0, Math.min(1.0, sinElevation))));
    }

    /** Sun elevation, degrees, at a place and an instant. */
    public static double elevationDeg(final double latitudeDeg, final double longitudeDeg, final long epochNs)
    {
        final int dayOfYear = CityClock.utcDayOfYear(epochNs);
        final double solarHour = solarHour(CityClock.utcHourOfDay(epochNs), longitudeDeg, dayOfYear);
        return elevationDeg(latitudeDeg, declinationDeg(dayOfYear), solarHour);
    }

    /**
     * Clear-sky global horizontal irradiance as a fraction of {@value #STC_IRRADIANCE_W_PER_M2} W/m2
     * (Haurwitz: 1098 x sin(e) x exp(-0.057 / sin(e))); 0 with the sun below the horizon.
     */
    public static double clearSkyFraction(final double elevationDeg)
    {
        if (elevationDeg <= 0)
        {
            return 0.0;
        }
        final double sinElevation = StrictMath.sin(StrictMath.toRadians(elevationDeg));
        return 1098.0 * sinElevation * StrictMath.exp(-0.057 / sinElevation) / STC_IRRADIANCE_W_PER_M2;
    }
}
