package kr.sejong.city.adapters.sim;

import kr.sejong.city.config.City;

import java.util.SplittableRandom;

/**
 * Positions in the city's local frame: metres in the configuration, int32 millimetres on the wire.
 * A simulated position near a configured one is kept inside the city's boundary.
 */
public final class LocalFrame
{
    private LocalFrame()
    {
    }

    /** Metres to the wire's millimetres, rounded. */
    public static int mm(final double metres)
    {
        return (int)Math.round(metres * 1000.0);
    }

    public static double clampEastM(final City.Boundary boundary, final double eastM)
    {
        return Math.max(boundary.minEastM(), Math.min(boundary.maxEastM(), eastM));
    }

    public static double clampNorthM(final City.Boundary boundary, final double northM)
    {
        return Math.max(boundary.minNorthM(), Math.min(boundary.maxNorthM(), northM));
    }

    /**
     * A point drawn uniformly in the disc of {@code radiusM} around a centre, as {east, north} metres,
     * clamped to the boundary. Always takes two draws.
     */
    public static void pointInDisc(
        final SplittableRandom random,
        final City.Boundary boundary,
        final double centreEastM,
        final double centreNorthM,
        final double radiusM,
        final double[] eastNorthM)
    {
        final double distanceM = radiusM * StrictMath.sqrt(random.nextDouble());
        final double angle = 2.0 * StrictMath.PI * random.nextDouble();
        eastNorthM[0] = clampEastM(boundary, centreEastM + distanceM * StrictMath.cos(angle));
        eastNorthM[1] = clampNorthM(boundary, centreNorthM + distanceM * StrictMath.sin(angle));
    }
}
