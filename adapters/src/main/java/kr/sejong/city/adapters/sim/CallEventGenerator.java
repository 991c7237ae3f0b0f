package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.CallEventEncoder;
import kr.sejong.city.codecs.EmergencyLine;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.config.City;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Intersection;
import kr.sejong.city.config.Place;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * CallEvent: 112 and 119 calls, Poisson with {@code callsPerHour}. The category decides the line
 * (fire, smoke, medical and falls go to 119, the rest to 112); the caller stands somewhere inside a
 * place of the configuration (or near an intersection when there are no places).
 */
final class CallEventGenerator implements Generator
{
    static final long SALT = 0x43414C4C53313132L; // "CALLS112"

    static final EventClass[] CATEGORIES = {
        EventClass.MEDICAL, EventClass.CRIME, EventClass.COLLISION, EventClass.FALL, EventClass.FIRE,
        EventClass.SMOKE, EventClass.INTRUSION, EventClass.OTHER };
    /** Chosen: medical calls lead, as in Korean 119 statistics; crimes and collisions lead 112's. */
    static final double[] CATEGORY_SHARES = { 30, 20, 15, 10, 5, 3, 5, 12 };
    /** Radius around an intersection a caller stands in when the city lists no places. */
    static final double INTERSECTION_RADIUS_M = 100;

    private final SplittableRandom random;
    private final City.Boundary boundary;
    private final double callsPerHour;
    private final double[] areaEastM;
    private final double[] areaNorthM;
    private final double[] areaRadiusM;
    private final Arrivals arrivals = new Arrivals();
    private final double[] point = new double[2];
    private long nextCallId = 1;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final CallEventEncoder encoder = new CallEventEncoder();

    CallEventGenerator(final CityConfig config, final long seed)
    {
        random = RandomDraws.stream(seed, SALT);
        boundary = config.city().boundary();
        callsPerHour = config.simulator().callsPerHour();
        final boolean places = !config.emergency().places().isEmpty();
        final int n = places ? config.emergency().places().size() : config.traffic().intersections().size();
        areaEastM = new double[n];
        areaNorthM = new double[n];
        areaRadiusM = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (places)
            {
                final Place place = config.emergency().places().get(i);
                areaEastM[i] = place.eastM();
                areaNorthM[i] = place.northM();
                areaRadiusM[i] = place.radiusM();
            }
            else
            {
                final Intersection intersection = config.traffic().intersections().get(i);
                areaEastM[i] = intersection.eastM();
                areaNorthM[i] = intersection.northM();
                areaRadiusM[i] = INTERSECTION_RADIUS_M;
            }
        }
    }

    @Override
    public void step(final long fromNs, final long toNs, final FrameSink sink)
    {
        final int count = arrivals.draw(random, callsPerHour, fromNs, toNs);
        for (int i = 0; i < count; i++)
        {
            final EventClass category = CATEGORIES[RandomDraws.weightedIndex(random, CATEGORY_SHARES)];
            final int area = random.nextInt(areaEastM.length);
            LocalFrame.pointInDisc(random, boundary, areaEastM[area], areaNorthM[area], areaRadiusM[area], point);
            encoder.wrapAndApplyHeader(buffer, 0, header)
                .callId(nextCallId++)
                .line(line(category))
                .category(category)
                .receivedAtNs(arrivals.timeNs(i));
            encoder.position().eastMm(LocalFrame.mm(point[0])).northMm(LocalFrame.mm(point[1]));
            sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        }
    }

    /** The number a caller dials for a category: fire and medical emergencies on 119, the rest on 112. */
    static EmergencyLine line(final EventClass category)
    {
        switch (category)
        {
            case FIRE:
            case SMOKE:
            case MEDICAL:
            case FALL:
                return EmergencyLine.FIRE_119;
            default:
                return EmergencyLine.POLICE_112;
        }
    }
}
