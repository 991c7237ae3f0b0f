package kr.sejong.city.config;

/**
 * The city (or district) one node serves, and its local metric frame.
 * <p>
 * Every position in the configuration is in the local frame: metres east ({@code eastM}) and north
 * ({@code northM}) of {@link Origin}. Messages carry positions as int32 millimetres of the same frame.
 *
 * @param name       human name.
 * @param timeZone   IANA time zone id, e.g. {@code Asia/Seoul}; tariff and service hours are local time.
 * @param origin     where the local frame's (0, 0) is on the globe.
 * @param areaKm2    area of the city or district.
 * @param residents  number of residents.
 * @param households number of households.
 * @param boundary   rectangle every configured position must lie in.
 */
public record City(
    String name,
    String timeZone,
    Origin origin,
    double areaKm2,
    int residents,
    int households,
    Boundary boundary)
{
    /**
     * WGS 84 position of the local frame's origin.
     *
     * @param latitudeDeg  degrees north.
     * @param longitudeDeg degrees east.
     */
    public record Origin(double latitudeDeg, double longitudeDeg)
    {
    }

    /**
     * Rectangle in the local frame that holds every configured position: the city and the stations
     * and hospitals that serve it.
     *
     * @param minEastM  west edge.
     * @param maxEastM  east edge.
     * @param minNorthM south edge.
     * @param maxNorthM north edge.
     */
    public record Boundary(double minEastM, double maxEastM, double minNorthM, double maxNorthM)
    {
        public boolean contains(final double eastM, final double northM)
        {
            return eastM >= minEastM && eastM <= maxEastM && northM >= minNorthM && northM <= maxNorthM;
        }
    }
}
