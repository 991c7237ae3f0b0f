package kr.sejong.city.adapters.emergency;

import kr.sejong.city.adapters.sim.LocalFrame;
import kr.sejong.city.codecs.CallEventEncoder;
import kr.sejong.city.codecs.EmergencyLine;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OnvifState;
import kr.sejong.city.codecs.VideoEventEncoder;
import kr.sejong.city.config.Camera;
import kr.sejong.city.config.City;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Place;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The inputs of an {@link EmergencyScenario}, drawn once and in full: every VideoEvent and CallEvent frame
 * with the logical time it is sent at, in time order, and the hidden ground truth: the situation each
 * source (camera event, call) belongs to. The labels stay here; the frames carry none. Deterministic:
 * the same scenario and city give the same frames, ids and labels.
 * <ul>
 *   <li>A camera event lives as ONVIF does it: INITIALIZED, {@code changes} CHANGED, DELETED; a re-trigger
 *   is a new eventId of the same camera and class.</li>
 *   <li>Positions: the situation's (or its first camera's), plus up to {@value #JITTER_M} m of the
 *   analytics' error; calls within {@value #CALLER_M} m of it.</li>
 *   <li>Ids: eventIds and callIds count from 1 in order of first message.</li>
 * </ul>
 */
public final class StormGenerator
{
    static final long SALT = 0x53544F524D454D47L; // "STORMEMG"
    static final double JITTER_M = 5;
    static final double CALLER_M = 20;
    /** A camera id no configuration uses (bad input). */
    public static final int UNKNOWN_CAMERA_ID = 999_999;
    /** An incident id no run reaches (bad input). */
    public static final long UNKNOWN_INCIDENT_ID = 999_999_999L;

    /** A frame to send at a logical time. */
    public record Timed(long timeNs, byte[] frame, String source, String situation, boolean badInput)
    {
    }

    /** What the generator knows about a situation: the label's truth. */
    public record Truth(String id, EventClass eventClass, boolean falseAlarm, boolean scripted)
    {
    }

    private final List<Timed> frames = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, Truth> situations = new LinkedHashMap<>();
    private final List<Timed> badInputs = new ArrayList<>();
    private long videoEvents;
    private long videoMessages;
    private long calls;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final VideoEventEncoder video = new VideoEventEncoder();
    private final CallEventEncoder call = new CallEventEncoder();

    /** A camera event's life before ids are given. */
    private record Life(long startNs, int order, int cameraId, EventClass eventClass, long[] timesNs, OnvifState[] states,
        int[] confidences, int eastMm, int northMm, String situation)
    {
    }

    /**
     * Where and when a situation was seen, so that an independent one drawn later is kept apart from it: two
     * situations that look alike ({@link #lookAlike}) within the correlation radius and window of each other are, to
     * anyone watching the cameras, one situation; a generator that labelled them two would score the triage
     * against labels no human would give. The drawing retries another camera, then gives the event up.
     */
    private record Seen(double eastM, double northM, int family, long fromNs, long untilNs)
    {
    }

    private final List<Seen> seen = new ArrayList<>();
    private double radiusM;
    private long windowNs;

    private boolean clash(final double eastM, final double northM, final EventClass eventClass, final long fromNs, final long toNs)
    {
        final int family = lookAlike(eventClass);
        final double radius = eventClass == EventClass.WRONG_WAY ? Math.max(radiusM, 1000) : radiusM;
        for (final Seen other : seen)
        {
            if (other.family() == family && fromNs <= other.untilNs() + windowNs && toNs + windowNs >= other.fromNs() &&
                Math.hypot(eastM - other.eastM(), northM - other.northM()) <= Math.max(radius, 2 * radiusM))
            {
                return true;
            }
        }
        return false;
    }

    private void see(final double eastM, final double northM, final EventClass eventClass, final long fromNs, final long toNs)
    {
        seen.add(new Seen(eastM, northM, lookAlike(eventClass), fromNs, toNs));
    }

    /**
     * Kinds of situation a person at the cameras could not tell apart when they happen at one place and time:
     * fire and smoke, a fall and a medical case, the traffic incidents, the security ones; the rest each alone.
     * Written here from the scenario's point of view, not taken from the triage loop, so that the labels stay
     * an independent truth (a moving wrong-way driver is one situation over 1 km).
     */
    private static int lookAlike(final EventClass eventClass)
    {
        return switch (eventClass)
        {
            case FIRE, SMOKE -> 1;
            case FALL, MEDICAL -> 2;
            case COLLISION, VEHICLE_STOPPED_IN_TUNNEL, WRONG_WAY -> 3;
            case CRIME, INTRUSION, CLIMB_OVER -> 4;
            default -> 10 + eventClass.ordinal();
        };
    }

    private record Call(long timeNs, int order, EmergencyLine line, EventClass category, int eastMm, int northMm, String situation)
    {
    }

    public StormGenerator(final CityConfig config, final EmergencyScenario scenario)
    {
        if (config.emergency() == null)
        {
            throw new EmergencyScenarioException("the configuration has no emergency section");
        }
        final ZoneId zone = ZoneId.of(config.city().timeZone());
        final City.Boundary boundary = config.city().boundary();
        final Map<Integer, Camera> cameras = new HashMap<>();
        config.emergency().cameras().forEach(c -> cameras.put(c.id(), c));
        final long startNs = scenario.startNs(zone);
        final long endNs = startNs + scenario.durationNs();
        final SplittableRandom random = new SplittableRandom(scenario.seed() ^ SALT);
        seen.clear();
        radiusM = config.emergency().correlation().radiusM();
        windowNs = config.emergency().correlation().windowS() * SECOND_NS;
        final List<Life> lives = new ArrayList<>();
        final List<Call> callList = new ArrayList<>();
        final int[] order = { 0 };

        // scripted situations
        int index = 0;
        for (final EmergencyScenario.Situation s : scenario.situations())
        {
            final String field = "situations[" + index++ + "].cameras";
            for (final int id : s.cameras())
            {
                if (!cameras.containsKey(id))
                {
                    throw new EmergencyScenarioException("scenario " + scenario.name() + ": " + field + " names camera " + id
                        + ", which the configuration does not know (known: " + cameras.keySet().stream().sorted().toList() + ")");
                }
            }
            situations.put(s.id(), new Truth(s.id(), s.eventClass(), s.falseAlarm(), true));
            final double east = s.eastM() != null ? s.eastM() : cameras.get(s.cameras().get(0)).eastM();
            final double north = s.northM() != null ? s.northM() : cameras.get(s.cameras().get(0)).northM();
            final long atNs = scenario.atNs(zone, s.at());
            for (int c = 0; c < s.cameras().size(); c++)
            {
                long t = atNs + c * s.staggerS() * SECOND_NS;
                for (int k = 0; k <= s.retriggers(); k++)
                {
                    lives.add(life(random, boundary, t, order[0]++, s.cameras().get(c), s.eventClass(), s.changes(), s.durationS(),
                        s.confidenceMin(), s.confidenceMax(), east, north, s.id()));
                    t += (s.durationS() + s.retriggerAfterS()) * SECOND_NS;
                }
            }
            see(east, north, s.eventClass(), atNs, atNs + (s.cameras().size() * s.staggerS() + (s.retriggers() + 1L)
                * (s.durationS() + s.retriggerAfterS()) + s.callAfterS() + 30L * s.calls()) * SECOND_NS);
            for (int k = 0; k < s.calls(); k++)
            {
                final double[] p = new double[2];
                LocalFrame.pointInDisc(random, boundary, east, north, CALLER_M, p);
                callList.add(new Call(atNs + (s.callAfterS() + 30L * k) * SECOND_NS, order[0]++,
                    s.line() != null ? s.line() : lineFor(s.eventClass()), s.eventClass(), LocalFrame.mm(p[0]), LocalFrame.mm(p[1]), s.id()));
            }
        }

        // background false alarms: low confidence, short, sometimes re-triggered by the same shadow
        final EmergencyScenario.Background bg = scenario.background();
        for (final int id : bg.cameras())
        {
            if (!cameras.containsKey(id))
            {
                throw new EmergencyScenarioException("scenario " + scenario.name() + ": background.cameras names camera " + id
                    + ", which the configuration does not know");
            }
        }
        // each part of the storm draws from its own stream, so that a shorter run (--hours) is the start of the longer one
        final SplittableRandom bgRandom = new SplittableRandom(scenario.seed() ^ SALT ^ 0x4247L);
        int n = 0;
        for (long t = nextArrival(bgRandom, startNs, bg.perHour()); t < endNs; t = nextArrival(bgRandom, t, bg.perHour()))
        {
            int cameraId = bg.cameras().get(bgRandom.nextInt(bg.cameras().size()));
            EventClass eventClass = BACKGROUND_CLASSES[bgRandom.nextInt(BACKGROUND_CLASSES.length)];
            final long spanNs = 3 * 75 * SECOND_NS; // up to two re-triggers
            for (int tries = 0; tries < 20 && clash(cameras.get(cameraId).eastM(), cameras.get(cameraId).northM(), eventClass, t, t + spanNs); tries++)
            {
                cameraId = bg.cameras().get(bgRandom.nextInt(bg.cameras().size()));
                eventClass = BACKGROUND_CLASSES[bgRandom.nextInt(BACKGROUND_CLASSES.length)];
            }
            final Camera camera = cameras.get(cameraId);
            if (clash(camera.eastM(), camera.northM(), eventClass, t, t + spanNs))
            {
                continue; // no light free of a look-alike just now: this shadow is not drawn
            }
            see(camera.eastM(), camera.northM(), eventClass, t, t + spanNs);
            final String label = "background-" + ++n;
            situations.put(label, new Truth(label, eventClass, true, false));
            final int retriggers = bgRandom.nextInt(100) < bg.retriggerPercent() ? 1 + bgRandom.nextInt(2) : 0;
            long at = t;
            for (int k = 0; k <= retriggers; k++)
            {
                final int duration = 5 + bgRandom.nextInt(11);
                lives.add(life(bgRandom, boundary, at, order[0]++, cameraId, eventClass, bgRandom.nextInt(2), duration,
                    bg.confidenceMin(), bg.confidenceMax(), camera.eastM(), camera.northM(), label));
                at += (duration + 20 + bgRandom.nextInt(60)) * SECOND_NS;
            }
        }

        // the random volume: each event or call its own situation
        final EmergencyScenario.RandomVolume rv = scenario.random();
        final List<Camera> all = config.emergency().cameras();
        final SplittableRandom videoRandom = new SplittableRandom(scenario.seed() ^ SALT ^ 0x5649L);
        n = 0;
        for (long t = nextArrival(videoRandom, startNs, rv.videoPerHour()); t < endNs; t = nextArrival(videoRandom, t, rv.videoPerHour()))
        {
            Camera camera = all.get(videoRandom.nextInt(all.size()));
            EventClass eventClass = randomClass(videoRandom, camera, config);
            final long spanNs = 60 * SECOND_NS;
            for (int tries = 0; tries < 20 && clash(camera.eastM(), camera.northM(), eventClass, t, t + spanNs); tries++)
            {
                camera = all.get(videoRandom.nextInt(all.size()));
                eventClass = randomClass(videoRandom, camera, config);
            }
            if (clash(camera.eastM(), camera.northM(), eventClass, t, t + spanNs))
            {
                continue;
            }
            see(camera.eastM(), camera.northM(), eventClass, t, t + spanNs);
            final boolean falseAlarm = videoRandom.nextDouble() * 100 < rv.falseAlarmPercent();
            final String label = "random-video-" + ++n;
            situations.put(label, new Truth(label, eventClass, falseAlarm, false));
            lives.add(life(videoRandom, boundary, t, order[0]++, camera.id(), eventClass, videoRandom.nextInt(3), 10 + videoRandom.nextInt(51),
                falseAlarm ? 250 : 600, falseAlarm ? 650 : 950, camera.eastM(), camera.northM(), label));
        }
        final List<Place> places = config.emergency().places();
        final SplittableRandom callRandom = new SplittableRandom(scenario.seed() ^ SALT ^ 0x4341L);
        n = 0;
        for (long t = nextArrival(callRandom, startNs, rv.callsPerHour()); t < endNs && !places.isEmpty(); t = nextArrival(callRandom, t, rv.callsPerHour()))
        {
            Place place = places.get(callRandom.nextInt(places.size()));
            EventClass category = CALL_CATEGORIES[callRandom.nextInt(CALL_CATEGORIES.length)];
            for (int tries = 0; tries < 20 && clash(place.eastM(), place.northM(), category, t, t); tries++)
            {
                place = places.get(callRandom.nextInt(places.size()));
                category = CALL_CATEGORIES[callRandom.nextInt(CALL_CATEGORIES.length)];
            }
            if (clash(place.eastM(), place.northM(), category, t, t))
            {
                continue;
            }
            see(place.eastM(), place.northM(), category, t, t);
            final String label = "random-call-" + ++n;
            situations.put(label, new Truth(label, category, false, false));
            final double[] p = new double[2];
            LocalFrame.pointInDisc(callRandom, boundary, place.eastM(), place.northM(), place.radiusM(), p);
            callList.add(new Call(t, order[0]++, lineFor(category), category, LocalFrame.mm(p[0]), LocalFrame.mm(p[1]), label));
        }

        // ids in order of first message; then every message in time order
        lives.sort(Comparator.comparingLong(Life::startNs).thenComparingInt(Life::order));
        callList.sort(Comparator.comparingLong(Call::timeNs).thenComparingInt(Call::order));
        final List<Object[]> messages = new ArrayList<>(); // {timeNs, order, Timed}
        long eventId = 1;
        int seq = 0;
        for (final Life life : lives)
        {
            final long id = eventId++;
            final String source = source(kr.sejong.city.codecs.SourceKind.VIDEO, id);
            if (life.startNs() >= startNs && life.startNs() < endNs)
            {
                labels.put(source, life.situation());
                videoEvents++;
            }
            for (int m = 0; m < life.timesNs().length; m++)
            {
                final int length = encodeVideo(id, life.cameraId(), life.eventClass(), life.states()[m], life.confidences()[m],
                    life.eastMm(), life.northMm(), life.timesNs()[m]);
                messages.add(new Object[]{ life.timesNs()[m], (long)seq++, new Timed(life.timesNs()[m], copy(length), source, life.situation(), false) });
                videoMessages++;
            }
        }
        long callId = 1;
        for (final Call c : callList)
        {
            final long id = callId++;
            final String source = source(kr.sejong.city.codecs.SourceKind.CALL, id);
            if (c.timeNs() >= startNs && c.timeNs() < endNs)
            {
                labels.put(source, c.situation());
                calls++;
            }
            final int length = encodeCall(id, c.line(), c.category(), c.eastMm(), c.northMm(), c.timeNs());
            messages.add(new Object[]{ c.timeNs(), (long)seq++, new Timed(c.timeNs(), copy(length), source, c.situation(), false) });
        }
        // deliberately bad inputs (operator actions on unknown incidents are the runner's: it owns action ids)
        for (final EmergencyScenario.BadInput bad : scenario.badInputs())
        {
            final long t = scenario.atNs(zone, bad.at());
            final Camera camera = all.get(0);
            final int length;
            switch (bad.kind())
            {
                case UNKNOWN_CAMERA:
                    length = encodeVideo(eventId++, UNKNOWN_CAMERA_ID, EventClass.FIRE, OnvifState.INITIALIZED, 900,
                        LocalFrame.mm(camera.eastM()), LocalFrame.mm(camera.northM()), t);
                    break;
                case CONFIDENCE_OVER_1000:
                    length = encodeVideo(eventId++, camera.id(), EventClass.FIRE, OnvifState.INITIALIZED, 1500,
                        LocalFrame.mm(camera.eastM()), LocalFrame.mm(camera.northM()), t);
                    break;
                case OUTSIDE_BOUNDARY:
                    length = encodeCall(callId++, EmergencyLine.POLICE_112, EventClass.CRIME,
                        LocalFrame.mm(boundary.maxEastM() + 5000), LocalFrame.mm(boundary.maxNorthM() + 5000), t);
                    break;
                default:
                    continue;
            }
            final Timed timed = new Timed(t, copy(length), null, null, true);
            badInputs.add(timed);
            messages.add(new Object[]{ t, (long)seq++, timed });
        }
        messages.sort(Comparator.<Object[]>comparingLong(m -> (Long)m[0]).thenComparingLong(m -> (Long)m[1]));
        for (final Object[] m : messages)
        {
            if ((Long)m[0] >= startNs && (Long)m[0] < endNs)
            {
                frames.add((Timed)m[2]);
            }
        }
    }

    static final long SECOND_NS = 1_000_000_000L;
    private static final EventClass[] BACKGROUND_CLASSES = { EventClass.INTRUSION, EventClass.CLIMB_OVER, EventClass.FALL, EventClass.OTHER };
    private static final EventClass[] CALL_CATEGORIES = {
        EventClass.MEDICAL, EventClass.MEDICAL, EventClass.MEDICAL, EventClass.CRIME, EventClass.CRIME, EventClass.COLLISION,
        EventClass.FALL, EventClass.FIRE, EventClass.INTRUSION, EventClass.OTHER };
    private static final EventClass[] TUNNEL_CLASSES = { EventClass.VEHICLE_STOPPED_IN_TUNNEL, EventClass.COLLISION, EventClass.SMOKE, EventClass.OTHER };
    private static final EventClass[] JUNCTION_CLASSES = { EventClass.WRONG_WAY, EventClass.COLLISION, EventClass.JAYWALKING, EventClass.OTHER };
    private static final EventClass[] PEOPLE_CLASSES = {
        EventClass.FALL, EventClass.INTRUSION, EventClass.CLIMB_OVER, EventClass.CROWDING, EventClass.JAYWALKING, EventClass.CRIME,
        EventClass.OTHER, EventClass.SMOKE };

    /** A source as the report names it: {@code VIDEO:12}, {@code CALL:3}, {@code SENSOR:7}. */
    public static String source(final kr.sejong.city.codecs.SourceKind kind, final long id)
    {
        return kind.name() + ":" + id;
    }

    /** The line a caller dials: fire, smoke, medical and falls on 119, the rest on 112. */
    public static EmergencyLine lineFor(final EventClass eventClass)
    {
        switch (eventClass)
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

    private static EventClass randomClass(final SplittableRandom random, final Camera camera, final CityConfig config)
    {
        Place.Kind kind = null;
        if (camera.hasPlace())
        {
            for (final Place p : config.emergency().places())
            {
                if (p.id() == camera.place())
                {
                    kind = p.kind();
                }
            }
        }
        final EventClass[] classes = kind == Place.Kind.TUNNEL ? TUNNEL_CLASSES : !camera.hasPlace() && camera.kind() == Camera.Kind.CCTV
            ? JUNCTION_CLASSES : PEOPLE_CLASSES;
        return classes[random.nextInt(classes.length)];
    }

    private static long nextArrival(final SplittableRandom random, final long fromNs, final double perHour)
    {
        if (!(perHour > 0))
        {
            return Long.MAX_VALUE;
        }
        final double gapS = -Math.log(1.0 - random.nextDouble()) * 3600.0 / perHour;
        return fromNs + Math.max(1_000_000L, Math.round(gapS * 1e9));
    }

    private static Life life(final SplittableRandom random, final City.Boundary boundary, final long startNs, final int order,
        final int cameraId, final EventClass eventClass, final int changes, final int durationS, final int confidenceMin,
        final int confidenceMax, final double eastM, final double northM, final String situation)
    {
        final int messages = changes + 2;
        final long[] times = new long[messages];
        final OnvifState[] states = new OnvifState[messages];
        final int[] confidences = new int[messages];
        final long durationNs = durationS * SECOND_NS;
        for (int m = 0; m < messages; m++)
        {
            // whole milliseconds, spread evenly over the event's life
            times[m] = startNs + durationNs * m / (messages - 1) / 1_000_000L * 1_000_000L;
            states[m] = m == 0 ? OnvifState.INITIALIZED : m == messages - 1 ? OnvifState.DELETED : OnvifState.CHANGED;
            confidences[m] = confidenceMin + random.nextInt(confidenceMax - confidenceMin + 1);
        }
        final int eastMm = LocalFrame.mm(LocalFrame.clampEastM(boundary, eastM + (random.nextDouble() * 2 - 1) * JITTER_M));
        final int northMm = LocalFrame.mm(LocalFrame.clampNorthM(boundary, northM + (random.nextDouble() * 2 - 1) * JITTER_M));
        return new Life(startNs, order, cameraId, eventClass, times, states, confidences, eastMm, northMm, situation);
    }

    private int encodeVideo(final long eventId, final int cameraId, final EventClass eventClass, final OnvifState state,
        final int confidence, final int eastMm, final int northMm, final long timeNs)
    {
        video.wrapAndApplyHeader(buffer, 0, header)
            .eventId(eventId)
            .cameraId(cameraId)
            .eventClass(eventClass)
            .state(state)
            .confidencePermille(confidence)
            .objectCount(eventClass == EventClass.CROWDING ? 30 : 1)
            .observedAtNs(timeNs);
        video.position().eastMm(eastMm).northMm(northMm);
        return MessageHeaderEncoder.ENCODED_LENGTH + video.encodedLength();
    }

    private int encodeCall(final long callId, final EmergencyLine line, final EventClass category, final int eastMm, final int northMm,
        final long timeNs)
    {
        call.wrapAndApplyHeader(buffer, 0, header)
            .callId(callId)
            .line(line)
            .category(category)
            .receivedAtNs(timeNs);
        call.position().eastMm(eastMm).northMm(northMm);
        return MessageHeaderEncoder.ENCODED_LENGTH + call.encodedLength();
    }

    private byte[] copy(final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    /** Every frame to send, in time order (time, then generation order). */
    public List<Timed> frames()
    {
        return frames;
    }

    /** The hidden ground truth: source ({@link #source}) to situation id. */
    public Map<String, String> labels()
    {
        return labels;
    }

    /** Every situation by id. */
    public Map<String, Truth> situations()
    {
        return situations;
    }

    public long videoEvents()
    {
        return videoEvents;
    }

    public long videoMessages()
    {
        return videoMessages;
    }

    public long calls()
    {
        return calls;
    }

    /** The deliberately bad frames (also in {@link #frames()}). */
    public List<Timed> badInputs()
    {
        return badInputs;
    }
}
