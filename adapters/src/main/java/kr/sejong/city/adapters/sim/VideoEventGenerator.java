package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OnvifState;
import kr.sejong.city.codecs.VideoEventEncoder;
import kr.sejong.city.config.City;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Camera;
import kr.sejong.city.config.Place;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * VideoEvent (metadata only): Poisson with {@code cameraEventsPerHour} over all cameras, each event at
 * a camera drawn uniformly. The class follows what the camera watches ({@link #classWeights}); a share
 * of {@code falseAlarmPercent}, spread over the cameras by their false-alarm history, are false alarms
 * with lower confidence. Each event lives as ONVIF does it: INITIALIZED, often CHANGED a few seconds
 * later, then DELETED.
 */
final class VideoEventGenerator implements Generator
{
    static final long SALT = 0x564944454F455654L; // "VIDEOEVT"

    /** Event classes in the order of the weight rows below. */
    static final EventClass[] CLASSES = {
        EventClass.FIRE, EventClass.SMOKE, EventClass.FALL, EventClass.CLIMB_OVER, EventClass.INTRUSION,
        EventClass.VEHICLE_STOPPED_IN_TUNNEL, EventClass.WRONG_WAY, EventClass.JAYWALKING, EventClass.CROWDING,
        EventClass.COLLISION, EventClass.MEDICAL, EventClass.CRIME, EventClass.OTHER };
    // chosen: fire and smoke are rare everywhere; stopped vehicles only in tunnels; medical is a call, not video
    //                                        FIRE SMOKE FALL CLIMB INTR TUNNEL WRONG JAYW CROWD COLL MED CRIME OTHER
    private static final double[] SCHOOL =      { 1,  2,   12,  18,   12,  0,     0,    25,  15,   2,   0,  5,    8 };
    private static final double[] HOSPITAL =    { 1,  2,   25,  2,    5,   0,     2,    15,  20,   5,   0,  5,    8 };
    private static final double[] TUNNEL =      { 2,  5,   0,   0,    3,   40,    15,   5,   0,    15,  0,  0,    8 };
    private static final double[] PARK =        { 1,  3,   15,  6,    5,   0,     0,    8,   25,   0,   0,  5,    10 };
    private static final double[] MARKET =      { 1,  3,   10,  0,    3,   0,     0,    25,  30,   3,   0,  7,    8 };
    private static final double[] RESIDENTIAL = { 1,  3,   10,  5,    12,  0,     0,    20,  8,    2,   0,  5,    10 };
    /** Cameras at junctions and drones: traffic. */
    private static final double[] STREET =      { 1,  2,   4,   0,    0,   0,     20,   30,  8,    15,  0,  3,    10 };
    /** Between these hours the streets are empty: fewer crowds and jaywalkers, more intruders. */
    static final int NIGHT_FROM_HOUR = 22;
    static final int NIGHT_TO_HOUR = 6;

    /** The analytics places an event within a few metres of the camera's position. */
    static final double POSITION_JITTER_M = 5;
    static final double CHANGED_SHARE_REAL = 0.6;
    static final double CHANGED_SHARE_FALSE = 0.3;
    static final int CHANGED_AFTER_MIN_S = 2;
    static final int CHANGED_AFTER_MAX_S = 8;
    static final int DELETED_AFTER_MIN_S = 10;
    static final int DELETED_AFTER_MAX_S = 60;
    static final int FALSE_DELETED_AFTER_MAX_S = 15;

    private final SplittableRandom random;
    private final ZoneRules zone;
    private final City.Boundary boundary;
    private final double eventsPerHour;
    private final int[] cameraIds;
    private final double[] cameraEastM;
    private final double[] cameraNorthM;
    private final Place.Kind[] cameraPlaceKinds;
    private final double[] falseAlarmShares;
    private final Arrivals arrivals = new Arrivals();
    private final double[] weights = new double[CLASSES.length];
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
        Comparator.comparingLong((Pending p) -> p.timeNs).thenComparingLong(p -> p.order));
    private final LongHashSet falseAlarms = new LongHashSet();
    private long nextEventId = 1;
    private long nextOrder;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final VideoEventEncoder encoder = new VideoEventEncoder();

    VideoEventGenerator(final CityConfig config, final long seed)
    {
        random = RandomDraws.stream(seed, SALT);
        zone = ZoneId.of(config.city().timeZone()).getRules();
        boundary = config.city().boundary();
        eventsPerHour = config.simulator().cameraEventsPerHour();
        final List<Camera> cameras = config.emergency().cameras();
        final int n = cameras.size();
        cameraIds = new int[n];
        cameraEastM = new double[n];
        cameraNorthM = new double[n];
        cameraPlaceKinds = new Place.Kind[n];
        final double[] history = new double[n];
        for (int i = 0; i < n; i++)
        {
            final Camera camera = cameras.get(i);
            cameraIds[i] = camera.id();
            cameraEastM[i] = camera.eastM();
            cameraNorthM[i] = camera.northM();
            cameraPlaceKinds[i] = camera.hasPlace() ? placeKind(config, camera.place()) : null;
            history[i] = camera.falseAlarmHistoryPercent();
        }
        falseAlarmShares = falseAlarmShares(config.simulator().falseAlarmPercent(), history);
    }

    @Override
    public void step(final long fromNs, final long toNs, final FrameSink sink)
    {
        if (cameraIds.length > 0)
        {
            final int count = arrivals.draw(random, eventsPerHour, fromNs, toNs);
            for (int i = 0; i < count; i++)
            {
                detect(arrivals.timeNs(i));
            }
        }
        // new events and the follow-ups of earlier ones, in time order
        while (!pending.isEmpty() && pending.peek().timeNs < toNs)
        {
            final Pending event = pending.poll();
            emit(sink, event);
            next(event);
        }
    }

    /** Whether the event with this id is a false alarm: the ground truth triage is scored against. */
    boolean isFalseAlarm(final long eventId)
    {
        return falseAlarms.contains(eventId);
    }

    private void detect(final long timeNs)
    {
        final int camera = random.nextInt(cameraIds.length);
        final boolean night = isNight(CityClock.localHourOfDay(zone, timeNs));
        final EventClass eventClass = CLASSES[RandomDraws.weightedIndex(random, classWeights(cameraPlaceKinds[camera], night, weights))];
        final boolean falseAlarm = RandomDraws.chance(random, falseAlarmShares[camera]);
        final Pending event = new Pending();
        event.eventId = nextEventId++;
        event.camera = camera;
        event.eventClass = eventClass;
        event.falseAlarm = falseAlarm;
        event.state = OnvifState.INITIALIZED;
        event.timeNs = timeNs;
        event.confidencePermille = initialConfidence(random, falseAlarm);
        event.objectCount = objectCount(random, eventClass);
        event.eastMm = LocalFrame.mm(LocalFrame.clampEastM(boundary,
            cameraEastM[camera] + RandomDraws.uniform(random, -POSITION_JITTER_M, POSITION_JITTER_M)));
        event.northMm = LocalFrame.mm(LocalFrame.clampNorthM(boundary,
            cameraNorthM[camera] + RandomDraws.uniform(random, -POSITION_JITTER_M, POSITION_JITTER_M)));
        if (falseAlarm)
        {
            falseAlarms.add(event.eventId);
        }
        schedule(event);
    }

    /** After INITIALIZED: CHANGED a few seconds later (often), then DELETED; after DELETED, nothing. */
    private void next(final Pending event)
    {
        if (event.state == OnvifState.DELETED)
        {
            return;
        }
        final boolean change = event.state == OnvifState.INITIALIZED &&
            RandomDraws.chance(random, event.falseAlarm ? CHANGED_SHARE_FALSE : CHANGED_SHARE_REAL);
        if (change)
        {
            event.state = OnvifState.CHANGED;
            event.timeNs += seconds(CHANGED_AFTER_MIN_S, CHANGED_AFTER_MAX_S);
            // a real event firms up as the analytics sees more of it; a shadow fades
            event.confidencePermille = event.falseAlarm
                ? Math.max(100, event.confidencePermille - random.nextInt(201))
                : Math.min(990, event.confidencePermille + random.nextInt(101));
            event.objectCount = Math.max(1, event.objectCount + (event.eventClass == EventClass.CROWDING ? random.nextInt(21) - 5 : 0));
        }
        else
        {
            event.state = OnvifState.DELETED;
            event.timeNs += seconds(DELETED_AFTER_MIN_S, event.falseAlarm ? FALSE_DELETED_AFTER_MAX_S : DELETED_AFTER_MAX_S);
        }
        schedule(event);
    }

    private long seconds(final int minS, final int maxS)
    {
        return (minS + random.nextInt(maxS - minS + 1)) * CityClock.SECOND_NS;
    }

    private void schedule(final Pending event)
    {
        event.order = nextOrder++;
        pending.add(event);
    }

    /**
     * Relative weights of the event classes ({@link #CLASSES} order) for a camera watching a place of
     * {@code kind} (null: a street or a drone), by day or by night; written into {@code out}.
     */
    static double[] classWeights(final Place.Kind kind, final boolean night, final double[] out)
    {
        final double[] row;
        if (kind == null)
        {
            row = STREET;
        }
        else
        {
            switch (kind)
            {
                case SCHOOL: row = SCHOOL; break;
                case HOSPITAL: row = HOSPITAL; break;
                case TUNNEL: row = TUNNEL; break;
                case PARK: row = PARK; break;
                case MARKET: row = MARKET; break;
                default: row = RESIDENTIAL; break;
            }
        }
        System.arraycopy(row, 0, out, 0, row.length);
        if (night)
        {
            out[7] *= 0.3;  // jaywalking
            out[8] *= 0.2;  // crowding
            out[4] *= 3.0;  // intrusion
            out[3] *= 2.0;  // climb-over
        }
        return out;
    }

    static boolean isNight(final double hourOfDay)
    {
        return hourOfDay >= NIGHT_FROM_HOUR || hourOfDay < NIGHT_TO_HOUR;
    }

    /**
     * Each camera's chance that an event is a false alarm: the configured overall share, spread in
     * proportion to the cameras' false-alarm histories, at most 95 %.
     */
    static double[] falseAlarmShares(final double falseAlarmPercent, final double[] historyPercent)
    {
        double sum = 0;
        for (final double h : historyPercent)
        {
            sum += h;
        }
        final double mean = historyPercent.length > 0 ? sum / historyPercent.length : 0;
        final double[] shares = new double[historyPercent.length];
        for (int i = 0; i < shares.length; i++)
        {
            final double relative = mean > 0 ? historyPercent[i] / mean : 1.0;
            shares[i] = Math.min(0.95, falseAlarmPercent / 100.0 * relative);
        }
        return shares;
    }

    /** Confidence of the first report: real events 600-990 permille, false alarms 300-750 (overlapping). */
    static int initialConfidence(final SplittableRandom random, final boolean falseAlarm)
    {
        final double spread = (random.nextDouble() + random.nextDouble()) / 2; // peaked in the middle
        return falseAlarm ? (int)Math.round(300 + 450 * spread) : (int)Math.round(600 + 390 * spread);
    }

    private static int objectCount(final SplittableRandom random, final EventClass eventClass)
    {
        switch (eventClass)
        {
            case CROWDING: return 15 + random.nextInt(46);
            case JAYWALKING: return 1 + random.nextInt(3);
            case COLLISION: return 2;
            default: return 1;
        }
    }

    private static Place.Kind placeKind(final CityConfig config, final int placeId)
    {
        for (final Place place : config.emergency().places())
        {
            if (place.id() == placeId)
            {
                return place.kind();
            }
        }
        return null;
    }

    private void emit(final FrameSink sink, final Pending event)
    {
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .eventId(event.eventId)
            .cameraId(cameraIds[event.camera])
            .eventClass(event.eventClass)
            .state(event.state)
            .confidencePermille(event.confidencePermille)
            .objectCount(event.objectCount)
            .observedAtNs(event.timeNs);
        encoder.position().eastMm(event.eastMm).northMm(event.northMm);
        sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /** An event between two of its ONVIF messages. */
    private static final class Pending
    {
        long eventId;
        int camera;
        EventClass eventClass;
        boolean falseAlarm;
        OnvifState state;
        long timeNs;
        long order;
        int confidencePermille;
        int objectCount;
        int eastMm;
        int northMm;
    }
}
