package kr.sejong.city.core.loops.emergency;

import kr.sejong.city.codecs.AgencyKind;
import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.CallEventEncoder;
import kr.sejong.city.codecs.Center;
import kr.sejong.city.codecs.DispatchDecoder;
import kr.sejong.city.codecs.EmergencyLine;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.IncidentDecoder;
import kr.sejong.city.codecs.IncidentPriority;
import kr.sejong.city.codecs.IncidentState;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.NotificationDecoder;
import kr.sejong.city.codecs.NotificationKind;
import kr.sejong.city.codecs.OnvifState;
import kr.sejong.city.codecs.OperatorActionEncoder;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.PriorityRequestDecoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.codecs.SensorEventEncoder;
import kr.sejong.city.codecs.SensorKind;
import kr.sejong.city.codecs.SourceKind;
import kr.sejong.city.codecs.SubjectKind;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import kr.sejong.city.codecs.VideoEventEncoder;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import kr.sejong.city.core.testing.RecordingEgress;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The triage loop on the default city (config/sejong-5-1.yaml), clock in the test's hands: de-duplication,
 * correlation, priority in context, routing and procedures, deadlines and escalation, operator actions,
 * dispatch with hospital and green corridor, bad input, determinism and snapshots.
 */
class TriageLoopTest
{
    private static final TriageSettings SETTINGS = TriageSettings.from(ConfigLoader.loadDefault().config());
    /** 14:00 in Sejong: daytime. */
    private static final long DAY_NS = at(14);
    /** 02:00 in Sejong: night. */
    private static final long NIGHT_NS = at(2);

    private static long at(final int hour)
    {
        return LocalDateTime.of(2026, 11, 25, hour, 0).atZone(ZoneId.of("Asia/Seoul")).toEpochSecond() * 1_000_000_000L;
    }

    /** Feeds frames to a loop the way the node does and decodes what comes out. */
    static final class Driver
    {
        final TriageLoop loop = new TriageLoop(SETTINGS);
        final List<byte[]> out = new ArrayList<>();
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        private final Input input = new Input();
        private final RecordingEgress egress = new RecordingEgress();
        private long sequence;
        long nowNs;

        Driver(final long startNs)
        {
            nowNs = startNs;
        }

        List<byte[]> send(final int length)
        {
            final byte[] frame = Arrays.copyOf(buffer.byteArray(), length);
            final UnsafeBuffer copy = new UnsafeBuffer(frame);
            headerDecoder.wrap(copy, 0);
            input.wrap(sequence++, nowNs, headerDecoder.templateId(), headerDecoder.version(), headerDecoder.blockLength(), copy, 0,
                frame.length);
            egress.frames.clear();
            loop.onInput(input, egress);
            out.addAll(egress.frames);
            return new ArrayList<>(egress.frames);
        }

        List<byte[]> video(final long eventId, final int camera, final EventClass eventClass, final OnvifState state, final int confidence)
        {
            final VideoEventEncoder e = new VideoEventEncoder().wrapAndApplyHeader(buffer, 0, header)
                .eventId(eventId).cameraId(camera).eventClass(eventClass).state(state).confidencePermille(confidence).objectCount(1)
                .observedAtNs(nowNs);
            e.position().eastMm(kr.sejong.city.codecs.PositionEncoder.eastMmNullValue()).northMm(kr.sejong.city.codecs.PositionEncoder.northMmNullValue());
            return send(MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
        }

        List<byte[]> videoAt(final long eventId, final int camera, final EventClass eventClass, final double eastM, final double northM)
        {
            final VideoEventEncoder e = new VideoEventEncoder().wrapAndApplyHeader(buffer, 0, header)
                .eventId(eventId).cameraId(camera).eventClass(eventClass).state(OnvifState.INITIALIZED).confidencePermille(900).objectCount(1)
                .observedAtNs(nowNs);
            e.position().eastMm((int)(eastM * 1000)).northMm((int)(northM * 1000));
            return send(MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
        }

        List<byte[]> call(final long callId, final EventClass category, final double eastM, final double northM)
        {
            final CallEventEncoder e = new CallEventEncoder().wrapAndApplyHeader(buffer, 0, header)
                .callId(callId).line(EmergencyLine.FIRE_119).category(category).receivedAtNs(nowNs);
            e.position().eastMm((int)(eastM * 1000)).northMm((int)(northM * 1000));
            return send(MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
        }

        List<byte[]> sensor(final long sensorId, final SensorKind kind, final boolean alarm, final double eastM, final double northM)
        {
            final SensorEventEncoder e = new SensorEventEncoder().wrapAndApplyHeader(buffer, 0, header)
                .sensorId(sensorId).sensorKind(kind).value(1).alarm(alarm ? BooleanType.TRUE : BooleanType.FALSE);
            e.position().eastMm((int)(eastM * 1000)).northMm((int)(northM * 1000));
            return send(MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
        }

        List<byte[]> action(final long incidentId, final OperatorActionKind kind, final OperatorRole role, final String what)
        {
            final OperatorActionEncoder e = new OperatorActionEncoder().wrapAndApplyHeader(buffer, 0, header)
                .actionId(sequence).center(Center.EMERGENCY).role(role).actionKind(kind).subjectKind(SubjectKind.INCIDENT)
                .subjectId(incidentId);
            e.operatorName("kim").what(what).before("").after("");
            return send(MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
        }

        List<byte[]> tick(final long seconds)
        {
            nowNs += seconds * 1_000_000_000L;
            final TickEncoder e = new TickEncoder().wrapAndApplyHeader(buffer, 0, header)
                .timeNs(nowNs).periodNs(1_000_000_000L).source(TickSource.SIMULATION).tickNumber(sequence);
            return send(MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
        }
    }

    record IncidentView(long id, IncidentState state, IncidentPriority priority, EventClass eventClass, boolean police, boolean fire,
        boolean ems, boolean city, List<String> sources, String owner)
    {
    }

    static List<IncidentView> incidents(final List<byte[]> frames)
    {
        final List<IncidentView> views = new ArrayList<>();
        final MessageHeaderDecoder h = new MessageHeaderDecoder();
        final IncidentDecoder d = new IncidentDecoder();
        for (final byte[] frame : frames)
        {
            final UnsafeBuffer b = new UnsafeBuffer(frame);
            h.wrap(b, 0);
            if (h.templateId() != IncidentDecoder.TEMPLATE_ID)
            {
                continue;
            }
            d.wrap(b, MessageHeaderDecoder.ENCODED_LENGTH, h.blockLength(), h.version());
            final long id = d.incidentId();
            final IncidentState state = d.state();
            final IncidentPriority priority = d.priority();
            final EventClass eventClass = d.eventClass();
            final boolean police = d.agencies().police();
            final boolean fire = d.agencies().fire();
            final boolean ems = d.agencies().ems();
            final boolean city = d.agencies().cityFacilities();
            final List<String> sources = new ArrayList<>();
            for (final IncidentDecoder.SourcesDecoder s : d.sources())
            {
                sources.add(s.sourceKind() + ":" + s.sourceId());
            }
            views.add(new IncidentView(id, state, priority, eventClass, police, fire, ems, city, sources, d.owner()));
        }
        return views;
    }

    static <T> T last(final List<T> list)
    {
        return list.get(list.size() - 1);
    }

    static List<String> notifications(final List<byte[]> frames)
    {
        final List<String> list = new ArrayList<>();
        final MessageHeaderDecoder h = new MessageHeaderDecoder();
        final NotificationDecoder d = new NotificationDecoder();
        for (final byte[] frame : frames)
        {
            final UnsafeBuffer b = new UnsafeBuffer(frame);
            h.wrap(b, 0);
            if (h.templateId() == NotificationDecoder.TEMPLATE_ID)
            {
                d.wrap(b, MessageHeaderDecoder.ENCODED_LENGTH, h.blockLength(), h.version());
                list.add(d.incidentId() + " " + d.kind() + " " + d.agency() + " " + d.priority() + " " + d.sopStep() + " " + d.text());
            }
        }
        return list;
    }

    static List<String> rejects(final List<byte[]> frames)
    {
        final List<String> list = new ArrayList<>();
        final MessageHeaderDecoder h = new MessageHeaderDecoder();
        final RejectDecoder d = new RejectDecoder();
        for (final byte[] frame : frames)
        {
            final UnsafeBuffer b = new UnsafeBuffer(frame);
            h.wrap(b, 0);
            if (h.templateId() == RejectDecoder.TEMPLATE_ID)
            {
                d.wrap(b, MessageHeaderDecoder.ENCODED_LENGTH, h.blockLength(), h.version());
                final RejectReason reason = d.reason();
                list.add(reason + " " + d.detail());
            }
        }
        return list;
    }

    @Test
    void repeatsOfOneCameraAndClassFoldIntoOneIncident()
    {
        final Driver driver = new Driver(DAY_NS);
        driver.video(100, 18, EventClass.CRIME, OnvifState.INITIALIZED, 800);
        driver.tick(5);
        driver.video(100, 18, EventClass.CRIME, OnvifState.CHANGED, 850);
        driver.video(100, 18, EventClass.CRIME, OnvifState.DELETED, 850);
        driver.tick(30);
        driver.video(101, 18, EventClass.CRIME, OnvifState.INITIALIZED, 700); // the camera fires again
        driver.tick(600);
        driver.video(102, 18, EventClass.CRIME, OnvifState.INITIALIZED, 700); // ten minutes later: news
        final List<IncidentView> incidents = incidents(driver.out);
        assertEquals(2, incidents.stream().map(IncidentView::id).distinct().count());
        assertEquals(List.of("VIDEO:100", "VIDEO:101"), incidents.stream().filter(i -> i.id() == 1).reduce((a, b) -> b).orElseThrow().sources());
        assertEquals(2, driver.loop.incidentsCreated(), "the repeat within the window folds, the one ten minutes later does not");
    }

    @Test
    void anIncidentListsItsLatestSixtyFourSourcesInOrder()
    {
        final Driver driver = new Driver(DAY_NS);
        for (int e = 1; e <= 70; e++)
        {
            driver.video(e, 13, EventClass.CROWDING, OnvifState.INITIALIZED, 800);
            driver.tick(1);
        }
        final IncidentView incident = last(incidents(driver.out));
        assertEquals(TriageLoop.MAX_SOURCES, incident.sources().size());
        assertEquals("VIDEO:7", incident.sources().get(0), "the six oldest are no longer listed");
        assertEquals("VIDEO:70", last(incident.sources()), "the one that just came is last");
        assertEquals(1, driver.loop.incidentsCreated());
    }

    @Test
    void aFireSeenByThreeCamerasAndReportedBy119IsOneIncidentWithEverySource()
    {
        final Driver driver = new Driver(DAY_NS);
        // the shopping street: cameras 18, 19, 20 around (-280, 200); a 119 call from there
        driver.video(1, 18, EventClass.SMOKE, OnvifState.INITIALIZED, 700);
        driver.tick(10);
        driver.video(2, 19, EventClass.FIRE, OnvifState.INITIALIZED, 900);
        driver.tick(10);
        driver.video(3, 20, EventClass.FIRE, OnvifState.INITIALIZED, 850);
        driver.call(77, EventClass.FIRE, -290, 210);
        final IncidentView fire = last(incidents(driver.out));
        assertEquals(1, driver.loop.incidentsCreated(), "one incident for one fire");
        assertEquals(List.of("VIDEO:1", "VIDEO:2", "VIDEO:3", "CALL:77"), fire.sources());
        assertEquals(EventClass.FIRE, fire.eventClass(), "the fire, not the smoke, speaks for it");
        assertEquals(IncidentPriority.P1, fire.priority());
        assertTrue(fire.fire() && fire.ems() && !fire.police());
        final List<String> notes = notifications(driver.out);
        assertTrue(notes.stream().anyMatch(n -> n.contains("NEW_INCIDENT FIRE") && n.contains(" 1 Confirm on the nearest cameras")),
            "smoke's procedure step 1 to the fire service: " + notes);
        assertTrue(notes.stream().anyMatch(n -> n.contains("NEW_INCIDENT EMS")), "EMS told when the fire joined: " + notes);

        // dispatch: a fire unit and an ambulance, the ambulance with a hospital; a corridor request for the unit's route
        final List<String> dispatches = new ArrayList<>();
        final MessageHeaderDecoder h = new MessageHeaderDecoder();
        final DispatchDecoder d = new DispatchDecoder();
        final PriorityRequestDecoder r = new PriorityRequestDecoder();
        int requests = 0;
        for (final byte[] frame : driver.out)
        {
            final UnsafeBuffer b = new UnsafeBuffer(frame);
            h.wrap(b, 0);
            if (h.templateId() == DispatchDecoder.TEMPLATE_ID)
            {
                d.wrap(b, MessageHeaderDecoder.ENCODED_LENGTH, h.blockLength(), h.version());
                dispatches.add(d.agency() + " unit " + d.unitId() + " hospital " + d.hospitalId() + " eta " + d.etaMs() + " route " + d.route().count());
            }
            else if (h.templateId() == PriorityRequestDecoder.TEMPLATE_ID)
            {
                r.wrap(b, MessageHeaderDecoder.ENCODED_LENGTH, h.blockLength(), h.version());
                assertTrue(r.intersectionId() >= 101, "a config intersection");
                requests++;
            }
        }
        assertTrue(dispatches.stream().anyMatch(s -> s.startsWith("FIRE unit")), dispatches.toString());
        assertTrue(dispatches.stream().anyMatch(s -> s.startsWith("EMS unit") && !s.contains("hospital " + DispatchDecoder.hospitalIdNullValue())),
            dispatches.toString());
        assertTrue(requests > 0, "the dispatched units ask for a green corridor");
        assertEquals(2, driver.loop.dispatches());
    }

    @Test
    void closingAnIncidentCancelsTheGreenItsUnitsAskedFor()
    {
        final Driver driver = new Driver(DAY_NS);
        driver.video(1, 19, EventClass.FIRE, OnvifState.INITIALIZED, 900);
        final MessageHeaderDecoder h = new MessageHeaderDecoder();
        final PriorityRequestDecoder r = new PriorityRequestDecoder();
        long asked = -1;
        for (int s = 0; s < 300 && asked < 0; s++)
        {
            for (final byte[] frame : driver.tick(1))
            {
                final UnsafeBuffer b = new UnsafeBuffer(frame);
                h.wrap(b, 0);
                if (h.templateId() == PriorityRequestDecoder.TEMPLATE_ID)
                {
                    r.wrap(b, MessageHeaderDecoder.ENCODED_LENGTH, h.blockLength(), h.version());
                    asked = r.requestType() == PriorityRequestType.CANCEL ? asked : r.requestId();
                }
            }
        }
        assertTrue(asked >= 0, "a unit asked an intersection for green");
        final List<PriorityRequestType> onClose = new ArrayList<>();
        for (final byte[] frame : driver.action(1, OperatorActionKind.CLOSE, OperatorRole.OPERATE, ""))
        {
            final UnsafeBuffer b = new UnsafeBuffer(frame);
            h.wrap(b, 0);
            if (h.templateId() == PriorityRequestDecoder.TEMPLATE_ID)
            {
                r.wrap(b, MessageHeaderDecoder.ENCODED_LENGTH, h.blockLength(), h.version());
                onClose.add(r.requestType());
            }
        }
        assertTrue(onClose.contains(PriorityRequestType.CANCEL), "the open request cancelled: " + onClose);
        boolean more = false;
        for (int s = 0; s < 60; s++)
        {
            for (final byte[] frame : driver.tick(1))
            {
                h.wrap(new UnsafeBuffer(frame), 0);
                more |= h.templateId() == PriorityRequestDecoder.TEMPLATE_ID;
            }
        }
        assertFalse(more, "no more corridor requests for a closed incident");
    }

    @Test
    void eventsFarApartOrOutsideTheWindowAreSeparateIncidents()
    {
        final Driver driver = new Driver(DAY_NS);
        driver.video(1, 1, EventClass.FALL, OnvifState.INITIALIZED, 900);      // elementary school
        driver.video(2, 5, EventClass.FALL, OnvifState.INITIALIZED, 900);      // high school, far away
        driver.tick(200);                                                       // past the 120 s window
        driver.video(3, 2, EventClass.FALL, OnvifState.INITIALIZED, 900);      // near the first, but too late
        driver.video(4, 2, EventClass.CROWDING, OnvifState.INITIALIZED, 900);  // same place, another family
        assertEquals(4, driver.loop.incidentsCreated());
    }

    @Test
    void priorityFollowsContext()
    {
        // a fall at night near the elementary school: base P2, night and school raise it
        final Driver night = new Driver(NIGHT_NS);
        night.video(1, 1, EventClass.FALL, OnvifState.INITIALIZED, 900);
        assertEquals(IncidentPriority.P1, last(incidents(night.out)).priority());
        // the same fall by day on a park path: P2
        final Driver day = new Driver(DAY_NS);
        day.video(1, 13, EventClass.FALL, OnvifState.INITIALIZED, 900); // Central Park South, history 20 %
        assertEquals(IncidentPriority.P2, last(incidents(day.out)).priority());
        // an unsure street light (history 30 %) seeing an intrusion: P2 - 1 - 1 = P3, and a 112 call raises it again
        final Driver light = new Driver(DAY_NS);
        light.video(1, 29, EventClass.INTRUSION, OnvifState.INITIALIZED, 400);
        assertEquals(IncidentPriority.P3, last(incidents(light.out)).priority());
        light.call(9, EventClass.CRIME, 650, 250);
        assertEquals(IncidentPriority.P1, last(incidents(light.out)).priority(), "corroborated: the camera's doubt no longer counts");
        assertEquals(1, light.loop.incidentsCreated());
        // a smoke detector alarm joins a smoke event nearby; a reading without alarm is no event
        final Driver smoke = new Driver(DAY_NS);
        smoke.sensor(7, SensorKind.SMOKE_DETECTOR, false, 380, -300);
        assertEquals(0, smoke.loop.incidentsCreated());
        smoke.sensor(7, SensorKind.SMOKE_DETECTOR, true, 380, -300);
        smoke.video(1, 7, EventClass.SMOKE, OnvifState.INITIALIZED, 800);
        assertEquals(List.of("SENSOR:7", "VIDEO:1"), last(incidents(smoke.out)).sources());
    }

    @Test
    void anUnacknowledgedIncidentIsEscalatedAtItsDeadlineAndAnAcknowledgedOneIsNot()
    {
        final Driver driver = new Driver(DAY_NS);
        driver.video(1, 13, EventClass.FALL, OnvifState.INITIALIZED, 900); // park camera (history 20 %): P2, 60 s
        driver.video(2, 3, EventClass.CLIMB_OVER, OnvifState.INITIALIZED, 900); // middle school gate: P3 - 1 = P2
        driver.tick(30);
        driver.action(2, OperatorActionKind.ACKNOWLEDGE, OperatorRole.OPERATE, "");
        driver.tick(29);
        assertEquals(0, driver.loop.escalations(), "not yet");
        driver.tick(1);
        assertEquals(1, driver.loop.escalations(), "incident 1 at 60 s; incident 2 was acknowledged");
        final List<String> notes = notifications(driver.out);
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("1 ESCALATION EMS P1")), notes.toString());
        final IncidentView acknowledged = incidents(driver.out).stream().filter(i -> i.id() == 2).reduce((a, b) -> b).orElseThrow();
        assertEquals(IncidentState.IN_PROGRESS, acknowledged.state());
        assertEquals("kim", acknowledged.owner());
        // P1 now: its next deadline is 10 s x 2; after three missed deadlines it stops reminding
        driver.tick(19);
        assertEquals(1, driver.loop.escalations());
        driver.tick(1);
        assertEquals(2, driver.loop.escalations());
        driver.tick(40);
        assertEquals(3, driver.loop.escalations());
        driver.tick(3600);
        assertEquals(3, driver.loop.escalations(), "no flood");
    }

    @Test
    void operatorActionsChangeStateAndTheWrongOnesAreRefusedNamingWhy()
    {
        final Driver driver = new Driver(DAY_NS);
        driver.video(1, 13, EventClass.CROWDING, OnvifState.INITIALIZED, 900);
        assertEquals(List.of("NOT_PERMITTED OperatorAction 1: role VIEW may not ACKNOWLEDGE"),
            rejects(driver.action(1, OperatorActionKind.ACKNOWLEDGE, OperatorRole.VIEW, "")));
        assertEquals(List.of("UNKNOWN_ID OperatorAction 2: no open incident 42"),
            rejects(driver.action(42, OperatorActionKind.CLOSE, OperatorRole.MANAGE, "")));
        driver.action(1, OperatorActionKind.ASSIGN, OperatorRole.MANAGE, "park-team");
        assertEquals("park-team", last(incidents(driver.out)).owner());
        driver.action(1, OperatorActionKind.HOLD, OperatorRole.OPERATE, "");
        assertEquals(IncidentState.ON_HOLD, last(incidents(driver.out)).state());
        driver.action(1, OperatorActionKind.CLOSE, OperatorRole.OPERATE, "");
        assertEquals(IncidentState.CLOSED, last(incidents(driver.out)).state());
        assertEquals(0, driver.loop.openIncidents());
        assertEquals(1, rejects(driver.action(1, OperatorActionKind.ACKNOWLEDGE, OperatorRole.OPERATE, "")).size(), "closed is gone");
    }

    @Test
    void falseAlarmsMarkedThreeTimesMakeACameraDoubtful()
    {
        final Driver driver = new Driver(DAY_NS);
        for (int i = 1; i <= 3; i++)
        {
            driver.video(i, 21, EventClass.WRONG_WAY, OnvifState.INITIALIZED, 900);
            assertEquals(IncidentPriority.P1, last(incidents(driver.out)).priority());
            driver.action(i, OperatorActionKind.MARK_FALSE_ALARM, OperatorRole.OPERATE, "");
            driver.tick(200);
        }
        driver.video(4, 21, EventClass.WRONG_WAY, OnvifState.INITIALIZED, 900);
        assertEquals(IncidentPriority.P2, last(incidents(driver.out)).priority(), "one level lower after three false alarms");
    }

    @Test
    void aFalseAlarmAbsorbsItsRepeatsForTheWindowInsteadOfRaisingThemAgain()
    {
        final Driver driver = new Driver(NIGHT_NS);
        driver.video(1, 29, EventClass.INTRUSION, OnvifState.INITIALIZED, 300);
        driver.action(1, OperatorActionKind.MARK_FALSE_ALARM, OperatorRole.OPERATE, "");
        driver.tick(40);
        driver.video(2, 29, EventClass.INTRUSION, OnvifState.INITIALIZED, 300); // the same shadow again
        final IncidentView absorbed = last(incidents(driver.out));
        assertEquals(1, absorbed.id());
        assertEquals(IncidentState.CLOSED, absorbed.state(), "still closed");
        assertEquals(List.of("VIDEO:1", "VIDEO:2"), absorbed.sources());
        assertEquals(1, driver.loop.incidentsCreated());
        assertFalse(notifications(driver.out).stream().anyMatch(n -> n.contains("NEW_INCIDENT") && !n.startsWith("1 ")), "nobody told again");
        driver.tick(600);
        driver.video(3, 29, EventClass.INTRUSION, OnvifState.INITIALIZED, 300); // ten minutes later: looked at afresh
        assertEquals(2, driver.loop.incidentsCreated());
    }

    @Test
    void badInputIsRejectedWithAReasonAndChangesNothing()
    {
        final Driver driver = new Driver(DAY_NS);
        assertEquals(List.of("UNKNOWN_ID VideoEvent 1: unknown camera 999"),
            rejects(driver.video(1, 999, EventClass.FIRE, OnvifState.INITIALIZED, 900)));
        assertEquals(List.of("INVALID_VALUE VideoEvent 2: confidencePermille 1500 is outside 0..1000"),
            rejects(driver.video(2, 1, EventClass.FIRE, OnvifState.INITIALIZED, 1500)));
        assertEquals(List.of("INVALID_VALUE VideoEvent 3: position (9000.0, 0.0) m is outside the city"),
            rejects(driver.videoAt(3, 1, EventClass.FIRE, 9000, 0)));
        assertEquals(List.of("INVALID_VALUE CallEvent 4: position (0.0, -5000.0) m is outside the city"),
            rejects(driver.call(4, EventClass.MEDICAL, 0, -5000)));
        assertEquals(0, driver.loop.incidentsCreated());
        assertEquals(0, driver.loop.events());
        assertEquals(4, driver.loop.rejected());
        // what is good still goes through afterwards
        driver.video(5, 1, EventClass.FIRE, OnvifState.INITIALIZED, 900);
        assertEquals(1, driver.loop.incidentsCreated());
    }

    @Test
    void theSameInputGivesTheSameEgressAndASnapshotContinuesExactly()
    {
        final List<byte[]> first = storm(null);
        final List<byte[]> second = storm(null);
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++)
        {
            assertArrayEquals(first.get(i), second.get(i), "frame " + i);
        }
        final List<byte[]> restored = storm(40);
        final List<byte[]> tail = first.subList(first.size() - restored.size(), first.size());
        assertFalse(restored.isEmpty());
        for (int i = 0; i < restored.size(); i++)
        {
            assertArrayEquals(tail.get(i), restored.get(i), "frame " + i + " after the restore");
        }
    }

    /** A scripted mix; with {@code snapshotAt}, the loop is snapshotted and replaced at that step, and only later output is returned. */
    private static List<byte[]> storm(final Integer snapshotAt)
    {
        Driver driver = new Driver(NIGHT_NS);
        final java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        final EventClass[] classes = EventClass.values();
        for (int step = 0; step < 120; step++)
        {
            if (snapshotAt != null && step == snapshotAt)
            {
                final StateWriter writer = new StateWriter();
                driver.loop.snapshot(writer);
                final Driver next = new Driver(driver.nowNs);
                next.loop.restore(new StateReader().wrap(writer.buffer(), 0, writer.length()));
                final StateWriter again = new StateWriter();
                next.loop.snapshot(again);
                assertArrayEquals(Arrays.copyOf(writer.buffer().byteArray(), writer.length()),
                    Arrays.copyOf(again.buffer().byteArray(), again.length()), "same state, same bytes");
                driver = next;
                driver.out.clear();
            }
            final int camera = 1 + random.nextInt(34);
            final EventClass eventClass = classes[random.nextInt(13)];
            driver.video(step % 17 + 1000L * (step % 3), camera, eventClass, OnvifState.values()[random.nextInt(3)], random.nextInt(1001));
            if (random.nextInt(10) == 0)
            {
                driver.call(step, eventClass, random.nextInt(2000) - 1000, random.nextInt(2000) - 1000);
            }
            if (random.nextInt(8) == 0)
            {
                driver.action(1 + random.nextInt(20), OperatorActionKind.values()[random.nextInt(6)], OperatorRole.OPERATE, "x");
            }
            driver.tick(1 + random.nextInt(20));
        }
        assertNotNull(driver.loop);
        return driver.out;
    }
}
