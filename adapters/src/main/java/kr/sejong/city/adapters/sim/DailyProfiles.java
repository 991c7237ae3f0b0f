package kr.sejong.city.adapters.sim;

/**
 * Shapes of a working day, local time, as piecewise-linear curves through hourly values (the value at
 * h:00, linear in between, 24:00 = 0:00). Each is a fraction of the configured peak figure, at most 1.
 * The numbers are chosen: typical shapes of urban weekday demand, not measurements of the 5-1 zone.
 */
public final class DailyProfiles
{
    /**
     * Vehicles per lane: a sharp morning peak at 08:00, a broader evening peak at 18:00, a midday
     * plateau at about 60 %, and 5 % at 03:00.
     */
    static final double[] TRAFFIC = {
        0.15, 0.09, 0.06, 0.05, 0.06, 0.12, 0.35, 0.80, 1.00, 0.75, 0.60, 0.62,
        0.65, 0.62, 0.62, 0.68, 0.80, 0.95, 1.00, 0.80, 0.60, 0.48, 0.36, 0.24 };

    /** Shuttle ride requests: commuters to the BRT at 08:00 and back at 18:00; service hours cut it further. */
    static final double[] RIDE_REQUESTS = {
        0.05, 0.02, 0.01, 0.01, 0.02, 0.10, 0.30, 0.85, 1.00, 0.65, 0.45, 0.50,
        0.55, 0.50, 0.45, 0.50, 0.65, 0.90, 0.95, 0.70, 0.50, 0.40, 0.30, 0.20 };

    /** Share of ride requests from a residential (feeder) stop towards the BRT and hotspots. */
    static final double[] OUTBOUND_SHARE = {
        0.30, 0.30, 0.30, 0.50, 0.70, 0.85, 0.90, 0.90, 0.85, 0.75, 0.60, 0.55,
        0.50, 0.50, 0.45, 0.40, 0.30, 0.25, 0.25, 0.25, 0.30, 0.30, 0.30, 0.30 };

    /**
     * Residential load between the night base (0) and the evening peak (1): a morning bump, a midday
     * plateau, the peak at 20:00 and the minimum at 04:00.
     */
    static final double[] RESIDENTIAL_LOAD = {
        0.35, 0.20, 0.10, 0.03, 0.00, 0.05, 0.20, 0.40, 0.45, 0.40, 0.38, 0.40,
        0.42, 0.42, 0.45, 0.50, 0.55, 0.65, 0.80, 0.95, 1.00, 0.95, 0.80, 0.60 };

    /** Electric vehicles plugging in: commuters at the park-and-ride in the morning, residents in the evening. */
    static final double[] EV_ARRIVALS = {
        0.10, 0.05, 0.05, 0.05, 0.05, 0.10, 0.30, 0.70, 1.00, 0.90, 0.75, 0.70,
        0.70, 0.70, 0.70, 0.75, 0.85, 0.95, 1.00, 0.90, 0.60, 0.40, 0.30, 0.20 };

    private DailyProfiles()
    {
    }

    /** Vehicles per lane as a fraction of the peak hour. */
    public static double traffic(final double hourOfDay)
    {
        return interpolate(TRAFFIC, hourOfDay);
    }

    /** Ride requests as a fraction of the peak hour (service hours not applied). */
    public static double rideRequests(final double hourOfDay)
    {
        return interpolate(RIDE_REQUESTS, hourOfDay);
    }

    /** Share of ride requests going out from home (feeder stop) rather than back to it. */
    public static double outboundShare(final double hourOfDay)
    {
        return interpolate(OUTBOUND_SHARE, hourOfDay);
    }

    /** Residential load: 0 = the base load, 1 = the peak load. */
    public static double residentialLoad(final double hourOfDay)
    {
        return interpolate(RESIDENTIAL_LOAD, hourOfDay);
    }

    /** EV arrivals as a fraction of the daytime rate. */
    public static double evArrivals(final double hourOfDay)
    {
        return interpolate(EV_ARRIVALS, hourOfDay);
    }

    /** Linear interpolation in a table of 24 hourly values, wrapping at midnight. */
    public static double interpolate(final double[] hourly, final double hourOfDay)
    {
        if (hourly.length != 24)
        {
            throw new IllegalArgumentException("a daily profile has 24 hourly values, this one " + hourly.length);
        }
        final double hour = wrapHour(hourOfDay);
        final int index = (int)hour;
        final double fraction = hour - index;
        final double from = hourly[index];
        final double to = hourly[(index + 1) % 24];
        return from + (to - from) * fraction;
    }

    /** Hour of day in [0, 24). */
    static double wrapHour(final double hourOfDay)
    {
        double hour = hourOfDay % 24.0;
        if (hour < 0)
        {
            hour += 24.0;
        }
        return hour >= 24.0 ? 0.0 : hour;
    }
}
