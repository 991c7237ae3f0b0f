package kr.sejong.city.core.loops.emergency;

import kr.sejong.city.codecs.AgencyKind;
import kr.sejong.city.codecs.AgenciesEncoder;
import kr.sejong.city.codecs.CallEventDecoder;
import kr.sejong.city.codecs.Center;
import kr.sejong.city.codecs.DispatchEncoder;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.IncidentEncoder;
import kr.sejong.city.codecs.IncidentPriority;
import kr.sejong.city.codecs.IncidentState;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.NotificationEncoder;
import kr.sejong.city.codecs.NotificationKind;
import kr.sejong.city.codecs.OnvifState;
import kr.sejong.city.codecs.OperatorActionDecoder;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.PositionDecoder;
import kr.sejong.city.codecs.PriorityRequestEncoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.codecs.SensorEventDecoder;
import kr.sejong.city.codecs.SourceKind;
import kr.sejong.city.codecs.SubjectKind;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.codecs.VideoEventDecoder;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.InputReject;
import kr.sejong.city.core.loop.LocalClock;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import org.agrona.collections.Long2LongHashMap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * CCTV event triage and emergency dispatch ("triage"): one incident per real situation, with its priority,
 * its agencies, an acknowledgement deadline and, when it needs one, a unit on its way with a green corridor.
 * <ul>
 *   <li><b>De-duplication</b>: a video event of a camera and class that an open incident already has joins it,
 *   within the correlation window of its last source (ONVIF: INITIALIZED opens an event, CHANGED updates it,
 *   DELETED ends it; the incident stays).</li>
 *   <li><b>Correlation</b>: an event, call or sensor alarm of a compatible class ({@link Triage#family}) within
 *   {@code emergency.correlation.radiusM} of an open incident and {@code windowS} of its last source joins it;
 *   the incident lists every source.</li>
 *   <li><b>Priority</b> P1-P3 from the class and context ({@link Triage#priority}): low confidence, a camera
 *   prone to false alarms (its configured history, or three marked in this run) lower it; a school, hospital
 *   or tunnel, the night for some classes, a corroborating 112/119 call and escalations raise it.</li>
 *   <li><b>Routing</b> to agencies by class, with the first step of the class's procedure from the
 *   configuration; a Notification per agency.</li>
 *   <li><b>Deadlines</b>: a NEW incident not acknowledged within its priority's deadline is escalated
 *   (ESCALATION notification, one level up, a new deadline twice as long), on the Tick that finds it late; after
 *   {@value #MAX_MISSED_DEADLINES} missed deadlines it stops escalating by itself.</li>
 *   <li><b>Operator actions</b> (center EMERGENCY, subject INCIDENT): acknowledge, assign, escalate, hold,
 *   close, mark false alarm; a VIEW role may not act. Every change goes out as an Incident.</li>
 *   <li><b>Dispatch</b>: a P1/P2 incident gets, per vehicle agency, the available unit that arrives first by
 *   the road graph; EMS also the hospital with free emergency beds that is quickest counting its expected
 *   wait. The unit's predicted path then asks the signals for a green corridor: every Tick, from half a minute
 *   before the unit is due there, a PriorityRequest for the next intersection on the route (with the ones
 *   after it) goes out on egress, to re-enter through ingress and the journal (adapters' CorridorBridge);
 *   CANCEL once the unit is predicted past it, or when the incident is closed.</li>
 *   <li><b>Bad input</b> (unknown camera, confidence above 1000, a position outside the city, an unknown or
 *   closed incident, a role that may not act) is answered by a Reject naming what is wrong; nothing changes.</li>
 * </ul>
 * Only event metadata is kept: ids, classes, positions, times. Time is the input's logical time.
 */
public final class TriageLoop implements ControlLoop
{
    public static final String NAME = "triage";
    public static final int STATE_VERSION = 1;
    /** Bytes of an owner's name kept (UTF-8); a longer name is cut. */
    public static final int MAX_OWNER_BYTES = 128;
    /** Sources listed per incident: the latest ones; older ones still count but are no longer listed. */
    public static final int MAX_SOURCES = 64;
    /** Route points listed after the next one in a corridor request (as the twin's on-board units). */
    public static final int CORRIDOR_AHEAD = 4;
    /** A unit asks an intersection for its green from this long before its predicted time there. */
    static final long REQUEST_AHEAD_NS = 30 * TriageSettings.S;
    /** A unit counts as past a route point this long after its predicted time there. */
    static final long PASS_MARGIN_NS = 5 * TriageSettings.S;
    /** Deadlines an incident may miss before it stops escalating by itself (it stays NEW and listed). */
    public static final int MAX_MISSED_DEADLINES = 3;
    /** Expected wait added per patient already sent to a hospital, per emergency bed (chosen: 30 min). */
    static final double WAIT_S_PER_OCCUPANCY = 1800;

    private static final int UNIT_FREE = 0;

    private final TriageSettings settings;
    private final LocalClock clock;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final VideoEventDecoder video = new VideoEventDecoder();
    private final CallEventDecoder call = new CallEventDecoder();
    private final SensorEventDecoder sensor = new SensorEventDecoder();
    private final OperatorActionDecoder action = new OperatorActionDecoder();
    private final TickDecoder tick = new TickDecoder();
    private final IncidentEncoder incidentEncoder = new IncidentEncoder();
    private final NotificationEncoder notificationEncoder = new NotificationEncoder();
    private final DispatchEncoder dispatchEncoder = new DispatchEncoder();
    private final PriorityRequestEncoder requestEncoder = new PriorityRequestEncoder();
    private final InputReject inputReject = new InputReject();
    private final byte[] text = new byte[512];

    /** Open incidents in order of creation (closed ones leave the list). */
    private final List<Incident> open = new ArrayList<>();
    /**
     * Incidents closed as false alarms, kept while their camera might repeat itself: a repeat of the same camera
     * and class within the correlation window joins the closed incident (listed, still CLOSED, nobody notified)
     * instead of raising the same false alarm again.
     */
    private final List<Incident> suppressing = new ArrayList<>();
    /** Ended incidents and corridors, reused so that a storm of new situations allocates nothing once warm. */
    private final List<Incident> freeIncidents = new ArrayList<>();
    private final List<Corridor> freeCorridors = new ArrayList<>();
    private final byte[] operatorName = new byte[MAX_OWNER_BYTES];
    private final byte[] what = new byte[MAX_OWNER_BYTES];
    /** Video event id to the incident it joined, while the event is live. */
    private final Long2LongHashMap liveEvents = new Long2LongHashMap(0);
    private final long[] unitIncident;           // per unit: the incident it serves, 0 when free
    private final int[] hospitalPatients;
    private final int[] cameraMarkedFalse;
    private final List<Corridor> corridors = new ArrayList<>();

    private long nextIncidentId = 1;
    private long nextNotificationId = 1;
    private long nextDispatchId = 1;
    private long events;
    private long rejected;
    private long escalations;
    private long dispatches;

    /** One incident; primitive fields, written whole by the snapshot. */
    static final class Incident
    {
        long id;
        int state = IncidentState.NEW.value();
        EventClass eventClass;
        double eastM;
        double northM;
        int agencies;
        long createdNs;
        long lastSourceNs;
        long ackDeadlineNs;
        int priority;
        int escalations;
        int missedDeadlines;
        int maxConfidence;
        boolean corroborated;
        boolean anyReliableCamera;
        boolean anyCamera;
        int dispatchedAgencies;
        final byte[] ownerBytes = new byte[MAX_OWNER_BYTES];
        int ownerLength;
        int sourceCount;
        final int[] sourceKind = new int[MAX_SOURCES];
        final long[] sourceId = new long[MAX_SOURCES];
        final EventClass[] sourceClass = new EventClass[MAX_SOURCES];
        final int[] sourceCamera = new int[MAX_SOURCES]; // camera index, -1 for others

        /** As new (incidents are reused: one that has ended is the next one created). */
        void reset()
        {
            id = 0;
            state = IncidentState.NEW.value();
            eventClass = null;
            eastM = 0;
            northM = 0;
            agencies = 0;
            createdNs = 0;
            lastSourceNs = 0;
            ackDeadlineNs = 0;
            priority = 0;
            escalations = 0;
            missedDeadlines = 0;
            maxConfidence = 0;
            corroborated = false;
            anyReliableCamera = false;
            anyCamera = false;
            dispatchedAgencies = 0;
            ownerLength = 0;
            sourceCount = 0;
        }
    }

    /** A dispatched unit's predicted path, for its corridor requests. */
    static final class Corridor
    {
        long dispatchId;
        long incidentId;
        int unitId;
        VehicleRole role;
        int length;         // route points
        int[] nodes;        // node indexes along the route (capacity: every intersection)
        int[] approaches;   // approach index at each
        long[] atNs;        // predicted time at each
        int current = -1;   // route point asked for now, -1 before the first request
    }

    public TriageLoop(final TriageSettings settings)
    {
        this.settings = settings;
        this.clock = new LocalClock(settings.zone);
        this.unitIncident = new long[settings.unitId.length];
        this.hospitalPatients = new int[settings.hospitalId.length];
        this.cameraMarkedFalse = new int[settings.cameraId.length];
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int[] templateIds()
    {
        return new int[]{ VideoEventDecoder.TEMPLATE_ID, CallEventDecoder.TEMPLATE_ID, SensorEventDecoder.TEMPLATE_ID,
            OperatorActionDecoder.TEMPLATE_ID, TickDecoder.TEMPLATE_ID };
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        switch (input.templateId())
        {
            case VideoEventDecoder.TEMPLATE_ID -> onVideo(input, egress);
            case CallEventDecoder.TEMPLATE_ID -> onCall(input, egress);
            case SensorEventDecoder.TEMPLATE_ID -> onSensor(input, egress);
            case OperatorActionDecoder.TEMPLATE_ID -> onAction(input, egress);
            case TickDecoder.TEMPLATE_ID -> onTick(input.timeNs(), egress);
            default ->
            {
            }
        }
    }

    // ------------------------------------------------------------------------------------------ events

    private void onVideo(final Input input, final Egress egress)
    {
        video.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        final long eventId = video.eventId();
        final long cameraId = video.cameraId();
        final EventClass eventClass = video.eventClass();
        final OnvifState state = video.state();
        final int confidence = video.confidencePermille();
        final int camera = settings.cameraIndex(cameraId);
        if (camera < 0)
        {
            reject(input, egress, RejectReason.UNKNOWN_ID, "VideoEvent " + eventId + ": unknown camera " + cameraId);
            return;
        }
        if (eventClass == EventClass.NULL_VAL || eventClass == EventClass.SBE_UNKNOWN || state == OnvifState.NULL_VAL
            || state == OnvifState.SBE_UNKNOWN)
        {
            reject(input, egress, RejectReason.INVALID_VALUE, "VideoEvent " + eventId + ": eventClass or state missing or unknown");
            return;
        }
        if (confidence > 1000)
        {
            reject(input, egress, RejectReason.INVALID_VALUE,
                "VideoEvent " + eventId + ": confidencePermille " + confidence + " is outside 0..1000");
            return;
        }
        final PositionDecoder position = video.position();
        double eastM = settings.cameraEastM[camera];
        double northM = settings.cameraNorthM[camera];
        if (position.eastMm() != PositionDecoder.eastMmNullValue() && position.northMm() != PositionDecoder.northMmNullValue())
        {
            eastM = position.eastMm() / 1000.0;
            northM = position.northMm() / 1000.0;
            if (!settings.inCity(eastM, northM))
            {
                reject(input, egress, RejectReason.INVALID_VALUE,
                    "VideoEvent " + eventId + ": position (" + eastM + ", " + northM + ") m is outside the city");
                return;
            }
        }
        events++;
        final long nowNs = input.timeNs();
        final long known = liveEvents.get(eventId);
        Incident live = known == 0 ? null : find(known);
        if (live == null && known != 0)
        {
            live = findIn(suppressing, known);
        }
        if (live != null)
        {
            live.lastSourceNs = nowNs; // still seen: the situation goes on
        }
        if (state == OnvifState.DELETED)
        {
            liveEvents.remove(eventId); // the event ended; its incident stays until an operator closes it
            return;
        }
        if (known != 0)
        {
            if (live != null && live.state != IncidentState.CLOSED.value() && confidence > live.maxConfidence)
            {
                live.maxConfidence = confidence;
                reprioritise(live, nowNs, egress);
            }
            return;
        }
        final Incident falseAlarm = sameCameraAndClass(suppressing, camera, eventClass, nowNs);
        if (falseAlarm != null)
        {
            liveEvents.put(eventId, falseAlarm.id);
            join(falseAlarm, SourceKind.VIDEO, eventId, eventClass, camera, nowNs);
            emitIncident(falseAlarm, egress);
            return;
        }
        Incident incident = sameCameraAndClass(open, camera, eventClass, nowNs);
        if (incident == null)
        {
            incident = correlated(eventClass, eastM, northM, nowNs);
        }
        final boolean created = incident == null;
        if (created)
        {
            incident = create(eventClass, eastM, northM, nowNs);
        }
        liveEvents.put(eventId, incident.id);
        incident.anyCamera = true;
        incident.anyReliableCamera |= !falseAlarmProne(camera);
        incident.maxConfidence = Math.max(incident.maxConfidence, confidence);
        join(incident, SourceKind.VIDEO, eventId, eventClass, camera, nowNs);
        settle(incident, created, nowNs, egress);
    }

    private void onCall(final Input input, final Egress egress)
    {
        call.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        final long callId = call.callId();
        final EventClass eventClass = call.category();
        if (eventClass == EventClass.NULL_VAL || eventClass == EventClass.SBE_UNKNOWN)
        {
            reject(input, egress, RejectReason.INVALID_VALUE, "CallEvent " + callId + ": category missing or unknown");
            return;
        }
        final PositionDecoder position = call.position();
        if (position.eastMm() == PositionDecoder.eastMmNullValue() || position.northMm() == PositionDecoder.northMmNullValue())
        {
            reject(input, egress, RejectReason.INVALID_VALUE, "CallEvent " + callId + ": no position");
            return;
        }
        final double eastM = position.eastMm() / 1000.0;
        final double northM = position.northMm() / 1000.0;
        if (!settings.inCity(eastM, northM))
        {
            reject(input, egress, RejectReason.INVALID_VALUE, "CallEvent " + callId + ": position (" + eastM + ", " + northM
                + ") m is outside the city");
            return;
        }
        events++;
        final long nowNs = input.timeNs();
        Incident incident = correlated(eventClass, eastM, northM, nowNs);
        final boolean created = incident == null;
        if (created)
        {
            incident = create(eventClass, eastM, northM, nowNs);
        }
        incident.corroborated = true;
        incident.maxConfidence = 1000;
        join(incident, SourceKind.CALL, callId, eventClass, -1, nowNs);
        settle(incident, created, nowNs, egress);
    }

    private void onSensor(final Input input, final Egress egress)
    {
        sensor.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        final long sensorId = sensor.sensorId();
        if (sensor.sensorKind() == kr.sejong.city.codecs.SensorKind.NULL_VAL || sensor.sensorKind() == kr.sejong.city.codecs.SensorKind.SBE_UNKNOWN)
        {
            reject(input, egress, RejectReason.INVALID_VALUE, "SensorEvent " + sensorId + ": sensorKind missing or unknown");
            return;
        }
        final PositionDecoder position = sensor.position();
        if (position.eastMm() == PositionDecoder.eastMmNullValue() || position.northMm() == PositionDecoder.northMmNullValue())
        {
            reject(input, egress, RejectReason.INVALID_VALUE, "SensorEvent " + sensorId + ": no position");
            return;
        }
        final double eastM = position.eastMm() / 1000.0;
        final double northM = position.northMm() / 1000.0;
        if (!settings.inCity(eastM, northM))
        {
            reject(input, egress, RejectReason.INVALID_VALUE, "SensorEvent " + sensorId + ": position (" + eastM + ", " + northM
                + ") m is outside the city");
            return;
        }
        if (sensor.alarm() != kr.sejong.city.codecs.BooleanType.TRUE)
        {
            return; // a reading, not an alarm
        }
        events++;
        final long nowNs = input.timeNs();
        final EventClass eventClass = Triage.sensorClass(sensor.sensorKind());
        Incident incident = correlated(eventClass, eastM, northM, nowNs);
        final boolean created = incident == null;
        if (created)
        {
            incident = create(eventClass, eastM, northM, nowNs);
        }
        incident.maxConfidence = Math.max(incident.maxConfidence, 800); // a detector in alarm: fairly sure
        join(incident, SourceKind.SENSOR, sensorId, eventClass, -1, nowNs);
        settle(incident, created, nowNs, egress);
    }

    private Incident sameCameraAndClass(final List<Incident> incidents, final int camera, final EventClass eventClass, final long nowNs)
    {
        for (int i = 0; i < incidents.size(); i++)
        {
            final Incident incident = incidents.get(i);
            if (nowNs - incident.lastSourceNs > settings.correlationWindowNs)
            {
                continue; // a repeat is a repeat while the situation is live; much later it is news
            }
            for (int s = 0; s < Math.min(incident.sourceCount, MAX_SOURCES); s++)
            {
                if (incident.sourceCamera[s] == camera && incident.sourceClass[s] == eventClass)
                {
                    return incident;
                }
            }
        }
        return null;
    }

    private Incident correlated(final EventClass eventClass, final double eastM, final double northM, final long nowNs)
    {
        Incident best = null;
        double bestM = Double.POSITIVE_INFINITY;
        for (int i = 0; i < open.size(); i++)
        {
            final Incident incident = open.get(i);
            if (!Triage.compatible(incident.eventClass, eventClass) || nowNs - incident.lastSourceNs > settings.correlationWindowNs)
            {
                continue;
            }
            final double radiusM = Math.max(Triage.correlationRadiusM(eventClass, settings.correlationRadiusM),
                Triage.correlationRadiusM(incident.eventClass, settings.correlationRadiusM));
            final double m = Math.hypot(eastM - incident.eastM, northM - incident.northM);
            if (m <= radiusM && m < bestM)
            {
                bestM = m;
                best = incident;
            }
        }
        return best;
    }

    private Incident create(final EventClass eventClass, final double eastM, final double northM, final long nowNs)
    {
        final Incident incident = freeIncidents.isEmpty() ? new Incident() : freeIncidents.remove(freeIncidents.size() - 1);
        incident.reset();
        incident.id = nextIncidentId++;
        incident.eventClass = eventClass;
        incident.eastM = eastM;
        incident.northM = northM;
        incident.createdNs = nowNs;
        incident.lastSourceNs = nowNs;
        open.add(incident);
        return incident;
    }

    private static void join(final Incident incident, final SourceKind kind, final long id, final EventClass eventClass, final int camera,
        final long nowNs)
    {
        final int s = incident.sourceCount % MAX_SOURCES; // a ring: the latest MAX_SOURCES stay listed
        incident.sourceKind[s] = kind.value();
        incident.sourceId[s] = id;
        incident.sourceClass[s] = eventClass;
        incident.sourceCamera[s] = camera;
        incident.sourceCount++;
        incident.lastSourceNs = nowNs;
        incident.eventClass = Triage.leading(incident.eventClass, eventClass);
    }

    /** After a source joined: priority, agencies, notifications, dispatch, and the Incident itself. */
    private void settle(final Incident incident, final boolean created, final long nowNs, final Egress egress)
    {
        final int before = incident.priority;
        final int agenciesBefore = incident.agencies;
        incident.priority = computePriority(incident, nowNs);
        incident.agencies = Triage.agencies(incident.eventClass);
        if (created)
        {
            incident.ackDeadlineNs = nowNs + settings.ackDeadlineNs[incident.priority];
        }
        else if (incident.state == IncidentState.NEW.value() && incident.priority < before)
        {
            // more urgent now: the sooner deadline of its new priority
            incident.ackDeadlineNs = Math.min(incident.ackDeadlineNs, nowNs + settings.ackDeadlineNs[incident.priority]);
        }
        emitIncident(incident, egress);
        final int newAgencies = created ? incident.agencies : incident.agencies & ~agenciesBefore;
        notifyAgencies(incident, newAgencies, NotificationKind.NEW_INCIDENT, egress);
        dispatchIfNeeded(incident, nowNs, egress);
    }

    private void reprioritise(final Incident incident, final long nowNs, final Egress egress)
    {
        final int priority = computePriority(incident, nowNs);
        if (priority != incident.priority)
        {
            incident.priority = priority;
            emitIncident(incident, egress);
            dispatchIfNeeded(incident, nowNs, egress);
        }
    }

    private int computePriority(final Incident incident, final long nowNs)
    {
        final int hour = (int)(clock.nsOfDay(nowNs) / (3600 * TriageSettings.S));
        final boolean falseAlarmProne = incident.anyCamera && !incident.anyReliableCamera;
        return Triage.priority(incident.eventClass, incident.maxConfidence, settings.sensitivePlace(incident.eastM, incident.northM),
            Triage.night(hour), incident.corroborated, falseAlarmProne, incident.escalations);
    }

    private boolean falseAlarmProne(final int camera)
    {
        return settings.cameraFalseAlarmPercent[camera] >= Triage.FALSE_ALARM_PRONE_PERCENT ||
            cameraMarkedFalse[camera] >= Triage.FALSE_ALARMS_MARKED_PRONE;
    }

    // ------------------------------------------------------------------------------------------ time

    private void onTick(final long nowNs, final Egress egress)
    {
        for (int i = 0; i < open.size(); i++)
        {
            final Incident incident = open.get(i);
            if (incident.state == IncidentState.NEW.value() && incident.missedDeadlines < MAX_MISSED_DEADLINES &&
                nowNs >= incident.ackDeadlineNs)
            {
                incident.missedDeadlines++;
                escalate(incident, nowNs, egress);
            }
        }
        for (int i = suppressing.size() - 1; i >= 0; i--)
        {
            if (nowNs - suppressing.get(i).lastSourceNs > settings.correlationWindowNs)
            {
                freeIncidents.add(suppressing.remove(i));
            }
        }
        for (int c = corridors.size() - 1; c >= 0; c--)
        {
            if (!advance(corridors.get(c), nowNs, egress))
            {
                freeCorridors.add(corridors.remove(c));
            }
        }
    }

    private void escalate(final Incident incident, final long nowNs, final Egress egress)
    {
        escalations++;
        incident.escalations++;
        incident.priority = computePriority(incident, nowNs);
        // the next reminder waits twice as long each time: a flood of escalations helps nobody
        incident.ackDeadlineNs = nowNs + (settings.ackDeadlineNs[incident.priority] << Math.min(incident.missedDeadlines, 10));
        emitIncident(incident, egress);
        notifyAgencies(incident, incident.agencies, NotificationKind.ESCALATION, egress);
        dispatchIfNeeded(incident, nowNs, egress);
    }

    // ------------------------------------------------------------------------------------------ operators

    private void onAction(final Input input, final Egress egress)
    {
        action.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        if (action.subjectKind() != SubjectKind.INCIDENT)
        {
            return; // for another loop
        }
        final long actionId = action.actionId();
        final OperatorActionKind kind = action.actionKind();
        final long incidentId = action.subjectId();
        final Center center = action.center();
        final OperatorRole role = action.role();
        final int operatorLength = Math.min(MAX_OWNER_BYTES, action.operatorNameLength());
        action.getOperatorName(operatorName, 0, operatorLength);
        final int whatLength = Math.min(MAX_OWNER_BYTES, action.whatLength());
        action.getWhat(what, 0, whatLength);
        if (center != Center.EMERGENCY && center != Center.SYSTEM)
        {
            reject(input, egress, RejectReason.NOT_PERMITTED, "OperatorAction " + actionId + ": the " + center
                + " center may not act on incidents");
            return;
        }
        if (role != OperatorRole.OPERATE && role != OperatorRole.MANAGE && role != OperatorRole.CONFIGURE)
        {
            reject(input, egress, RejectReason.NOT_PERMITTED, "OperatorAction " + actionId + ": role " + role + " may not " + kind);
            return;
        }
        final Incident incident = find(incidentId);
        if (incident == null)
        {
            reject(input, egress, RejectReason.UNKNOWN_ID, "OperatorAction " + actionId + ": no open incident " + incidentId);
            return;
        }
        final long nowNs = input.timeNs();
        switch (kind)
        {
            case ACKNOWLEDGE ->
            {
                if (incident.state == IncidentState.NEW.value())
                {
                    incident.state = IncidentState.IN_PROGRESS.value();
                }
                owner(incident, operatorName, operatorLength);
                emitIncident(incident, egress);
            }
            case ASSIGN ->
            {
                if (whatLength == 0)
                {
                    reject(input, egress, RejectReason.INVALID_VALUE, "OperatorAction " + actionId + ": ASSIGN names nobody (what is empty)");
                    return;
                }
                owner(incident, what, whatLength);
                if (incident.state == IncidentState.NEW.value())
                {
                    incident.state = IncidentState.IN_PROGRESS.value();
                }
                emitIncident(incident, egress);
            }
            case ESCALATE -> escalate(incident, nowNs, egress);
            case HOLD ->
            {
                incident.state = IncidentState.ON_HOLD.value();
                emitIncident(incident, egress);
            }
            case CLOSE ->
            {
                close(incident, egress);
                freeIncidents.add(incident);
            }
            case MARK_FALSE_ALARM ->
            {
                for (int s = 0; s < Math.min(incident.sourceCount, MAX_SOURCES); s++)
                {
                    if (incident.sourceCamera[s] >= 0)
                    {
                        cameraMarkedFalse[incident.sourceCamera[s]]++;
                    }
                }
                close(incident, egress);
                suppressing.add(incident);
            }
            default -> reject(input, egress, RejectReason.INVALID_VALUE, "OperatorAction " + actionId + ": " + kind
                + " is not an incident action");
        }
    }

    private static void owner(final Incident incident, final byte[] name, final int length)
    {
        System.arraycopy(name, 0, incident.ownerBytes, 0, length);
        incident.ownerLength = length;
    }

    private void close(final Incident incident, final Egress egress)
    {
        for (int c = corridors.size() - 1; c >= 0; c--)
        {
            final Corridor corridor = corridors.get(c);
            if (corridor.incidentId == incident.id)
            {
                // the incident is over: its units need no more green ahead of them
                if (corridor.current >= 0)
                {
                    emitRequest(corridor, corridor.current, PriorityRequestType.CANCEL, 0, egress);
                }
                freeCorridors.add(corridors.remove(c));
            }
        }
        incident.state = IncidentState.CLOSED.value();
        emitIncident(incident, egress);
        notifyAgencies(incident, incident.agencies, NotificationKind.CLOSED, egress);
        for (int u = 0; u < unitIncident.length; u++)
        {
            if (unitIncident[u] == incident.id)
            {
                unitIncident[u] = UNIT_FREE;
            }
        }
        open.remove(incident);
        final Long2LongHashMap.KeyIterator keys = liveEvents.keySet().iterator();
        while (keys.hasNext())
        {
            final long eventId = keys.nextValue();
            if (liveEvents.get(eventId) == incident.id)
            {
                keys.remove();
            }
        }
    }

    private Incident find(final long incidentId)
    {
        return findIn(open, incidentId);
    }

    private static Incident findIn(final List<Incident> incidents, final long incidentId)
    {
        for (int i = 0; i < incidents.size(); i++)
        {
            if (incidents.get(i).id == incidentId)
            {
                return incidents.get(i);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ dispatch

    private void dispatchIfNeeded(final Incident incident, final long nowNs, final Egress egress)
    {
        if (incident.priority > 2)
        {
            return;
        }
        final int needed = incident.agencies & Triage.VEHICLE_AGENCIES & ~incident.dispatchedAgencies;
        for (int bit = 1; bit <= Triage.EMS; bit <<= 1)
        {
            if ((needed & bit) != 0)
            {
                dispatch(incident, bit, nowNs, egress);
            }
        }
    }

    private void dispatch(final Incident incident, final int agency, final long nowNs, final Egress egress)
    {
        int best = -1;
        double bestS = Double.POSITIVE_INFINITY;
        for (int u = 0; u < settings.unitId.length; u++)
        {
            if (settings.unitAgency[u] != agency || unitIncident[u] != UNIT_FREE)
            {
                continue;
            }
            final double s = settings.travelS(settings.unitEastM[u], settings.unitNorthM[u], incident.eastM, incident.northM);
            if (s < bestS)
            {
                bestS = s;
                best = u;
            }
        }
        if (best < 0)
        {
            return; // every unit of the agency is out: the next change of the incident tries again
        }
        incident.dispatchedAgencies |= agency;
        unitIncident[best] = incident.id;
        int hospital = -1;
        if (agency == Triage.EMS)
        {
            hospital = chooseHospital(incident);
            if (hospital >= 0)
            {
                hospitalPatients[hospital]++;
            }
        }
        dispatches++;
        final long dispatchId = nextDispatchId++;
        final Corridor corridor = route(dispatchId, settings.unitId[best], agency, settings.unitEastM[best], settings.unitNorthM[best],
            incident, nowNs);
        emitDispatch(dispatchId, incident, settings.unitId[best], agency, hospital, (int)Math.min(Integer.MAX_VALUE, Math.round(bestS * 1000)),
            corridor, nowNs, egress);
        notify(incident, agencyKind(agency), NotificationKind.DISPATCH, 0, egress);
        if (corridor.length > 0)
        {
            corridors.add(corridor);
            advance(corridor, nowNs, egress);
        }
        else
        {
            freeCorridors.add(corridor);
        }
    }

    /** The hospital with free emergency beds reached soonest counting its expected wait; -1 when all are full. */
    private int chooseHospital(final Incident incident)
    {
        int best = -1;
        double bestS = Double.POSITIVE_INFINITY;
        for (int h = 0; h < settings.hospitalId.length; h++)
        {
            final int beds = settings.hospitalEmergencyBeds[h];
            if (beds <= 0 || hospitalPatients[h] >= beds)
            {
                continue;
            }
            final double s = settings.travelS(incident.eastM, incident.northM, settings.hospitalEastM[h], settings.hospitalNorthM[h])
                + WAIT_S_PER_OCCUPANCY * hospitalPatients[h] / beds;
            if (s < bestS)
            {
                bestS = s;
                best = h;
            }
        }
        return best;
    }

    /** The unit's path over the road graph with the predicted time at each intersection. */
    private Corridor route(final long dispatchId, final int unitId, final int agency, final double fromEastM, final double fromNorthM,
        final Incident incident, final long nowNs)
    {
        final Corridor corridor = corridor();
        corridor.dispatchId = dispatchId;
        corridor.incidentId = incident.id;
        corridor.unitId = unitId;
        corridor.role = agency == Triage.FIRE ? VehicleRole.FIRE : agency == Triage.EMS ? VehicleRole.AMBULANCE : VehicleRole.POLICE;
        final int a = settings.nearestNode(fromEastM, fromNorthM);
        final int b = settings.nearestNode(incident.eastM, incident.northM);
        if (a < 0 || b < 0 || settings.nextHop[a][b] < 0)
        {
            corridor.length = 0;
            return corridor;
        }
        int count = 1;
        for (int n = a; n != b; n = settings.nextHop[n][b])
        {
            count++;
        }
        corridor.length = count;
        final double streetMps = settings.streetSpeedMps * TriageSettings.EMERGENCY_SPEED_FACTOR;
        double s = Math.hypot(settings.nodeEastM[a] - fromEastM, settings.nodeNorthM[a] - fromNorthM) / streetMps;
        double prevEastM = fromEastM;
        double prevNorthM = fromNorthM;
        int n = a;
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                s += settings.travelS[corridor.nodes[i - 1]][n];
            }
            corridor.nodes[i] = n;
            corridor.approaches[i] = settings.approachFrom(n, prevEastM, prevNorthM);
            corridor.atNs[i] = nowNs + Math.round(s * TriageSettings.S);
            prevEastM = settings.nodeEastM[n];
            prevNorthM = settings.nodeNorthM[n];
            if (n != b)
            {
                n = settings.nextHop[n][b];
            }
        }
        return corridor;
    }

    /** A corridor from the pool (or a new one), its arrays big enough for any route. */
    private Corridor corridor()
    {
        final Corridor corridor = freeCorridors.isEmpty() ? new Corridor() : freeCorridors.remove(freeCorridors.size() - 1);
        if (corridor.nodes == null)
        {
            final int capacity = Math.max(1, settings.nodeId.length);
            corridor.nodes = new int[capacity];
            corridor.approaches = new int[capacity];
            corridor.atNs = new long[capacity];
        }
        corridor.current = -1;
        corridor.length = 0;
        return corridor;
    }

    /** Ask for the next intersection on the unit's predicted path; false when the path is done. */
    private boolean advance(final Corridor corridor, final long nowNs, final Egress egress)
    {
        int next = corridor.current < 0 ? 0 : corridor.current;
        while (next < corridor.length && nowNs > corridor.atNs[next] + PASS_MARGIN_NS)
        {
            next++;
        }
        if (corridor.current >= 0 && next != corridor.current)
        {
            emitRequest(corridor, corridor.current, PriorityRequestType.CANCEL, nowNs, egress);
        }
        if (next >= corridor.length)
        {
            return false;
        }
        if (corridor.atNs[next] - nowNs > REQUEST_AHEAD_NS)
        {
            corridor.current = -1;
            return true; // not yet: an on-board unit asks from about 300 m, half a minute out
        }
        emitRequest(corridor, next, next == corridor.current ? PriorityRequestType.UPDATE : PriorityRequestType.REQUEST, nowNs, egress);
        corridor.current = next;
        return true;
    }

    // ------------------------------------------------------------------------------------------ egress

    private void emitIncident(final Incident incident, final Egress egress)
    {
        final byte[] owner = incident.ownerBytes;
        final int ownerLength = incident.ownerLength;
        final int listed = Math.min(incident.sourceCount, MAX_SOURCES);
        final int maxLength = MessageHeaderEncoder.ENCODED_LENGTH + IncidentEncoder.BLOCK_LENGTH + 4 +
            listed * IncidentEncoder.SourcesEncoder.sbeBlockLength() + IncidentEncoder.ownerHeaderLength() + ownerLength;
        final int offset = egress.claim(maxLength);
        incidentEncoder.wrapAndApplyHeader(egress.buffer(), offset, header)
            .incidentId(incident.id)
            .state(IncidentState.get((short)incident.state))
            .priority(priorityCode(incident.priority))
            .eventClass(incident.eventClass);
        incidentEncoder.position().eastMm((int)Math.round(incident.eastM * 1000)).northMm((int)Math.round(incident.northM * 1000));
        final AgenciesEncoder agencies = incidentEncoder.agencies().clear();
        agencies.police((incident.agencies & Triage.POLICE) != 0).fire((incident.agencies & Triage.FIRE) != 0)
            .ems((incident.agencies & Triage.EMS) != 0).cityFacilities((incident.agencies & Triage.CITY) != 0);
        incidentEncoder.ackDeadlineNs(incident.state == IncidentState.NEW.value() ? incident.ackDeadlineNs : IncidentEncoder.ackDeadlineNsNullValue());
        final IncidentEncoder.SourcesEncoder sources = incidentEncoder.sourcesCount(listed);
        final int oldest = incident.sourceCount > MAX_SOURCES ? incident.sourceCount % MAX_SOURCES : 0;
        for (int i = 0; i < listed; i++)
        {
            final int s = (oldest + i) % MAX_SOURCES;
            sources.next().sourceKind(SourceKind.get((short)incident.sourceKind[s])).sourceId(incident.sourceId[s]);
        }
        incidentEncoder.putOwner(owner, 0, ownerLength);
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + incidentEncoder.encodedLength());
    }

    private void notifyAgencies(final Incident incident, final int agencies, final NotificationKind kind, final Egress egress)
    {
        for (int bit = 1; bit <= Triage.CITY; bit <<= 1)
        {
            if ((agencies & bit) != 0)
            {
                notify(incident, agencyKind(bit), kind, kind == NotificationKind.NEW_INCIDENT ? 1 : 0, egress);
            }
        }
    }

    private void notify(final Incident incident, final AgencyKind agency, final NotificationKind kind, final int sopStep, final Egress egress)
    {
        int length = 0;
        final byte[][] steps = settings.procedures[incident.eventClass.ordinal()];
        if (sopStep > 0 && sopStep <= steps.length)
        {
            length = Math.min(text.length, steps[sopStep - 1].length);
            System.arraycopy(steps[sopStep - 1], 0, text, 0, length);
        }
        final int maxLength = MessageHeaderEncoder.ENCODED_LENGTH + NotificationEncoder.BLOCK_LENGTH + NotificationEncoder.textHeaderLength() + length;
        final int offset = egress.claim(maxLength);
        notificationEncoder.wrapAndApplyHeader(egress.buffer(), offset, header)
            .notificationId(nextNotificationId++)
            .incidentId(incident.id)
            .kind(kind)
            .agency(agency)
            .priority(priorityCode(incident.priority))
            .sopStep(sopStep > 0 && sopStep <= steps.length ? sopStep : 0)
            .putText(text, 0, length);
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + notificationEncoder.encodedLength());
    }

    private void emitDispatch(final long dispatchId, final Incident incident, final int unitId, final int agency, final int hospital,
        final int etaMs, final Corridor corridor, final long nowNs, final Egress egress)
    {
        final int points = corridor.length;
        final int maxLength = MessageHeaderEncoder.ENCODED_LENGTH + DispatchEncoder.BLOCK_LENGTH + 4 +
            points * DispatchEncoder.RouteEncoder.sbeBlockLength();
        final int offset = egress.claim(maxLength);
        dispatchEncoder.wrapAndApplyHeader(egress.buffer(), offset, header)
            .dispatchId(dispatchId)
            .incidentId(incident.id)
            .unitId(unitId)
            .agency(agencyKind(agency))
            .hospitalId(hospital < 0 ? DispatchEncoder.hospitalIdNullValue() : settings.hospitalId[hospital])
            .etaMs(etaMs);
        final DispatchEncoder.RouteEncoder route = dispatchEncoder.routeCount(points);
        for (int i = 0; i < points; i++)
        {
            route.next().intersectionId(settings.nodeId[corridor.nodes[i]])
                .etaMs((int)Math.min(Integer.MAX_VALUE, (corridor.atNs[i] - nowNs) / 1_000_000L));
        }
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + dispatchEncoder.encodedLength());
    }

    private void emitRequest(final Corridor corridor, final int point, final PriorityRequestType type, final long nowNs, final Egress egress)
    {
        final int ahead = type == PriorityRequestType.CANCEL ? 0 : Math.min(CORRIDOR_AHEAD, corridor.length - point - 1);
        final int maxLength = MessageHeaderEncoder.ENCODED_LENGTH + PriorityRequestEncoder.BLOCK_LENGTH + 4 +
            ahead * PriorityRequestEncoder.RouteEncoder.sbeBlockLength();
        final int offset = egress.claim(maxLength);
        requestEncoder.wrapAndApplyHeader(egress.buffer(), offset, header)
            .requestId(corridor.dispatchId * 1000 + point)
            .vehicleId(corridor.unitId)
            .role(corridor.role)
            .requestType(type)
            .intersectionId(settings.nodeId[corridor.nodes[point]])
            .approachId(corridor.approaches[point])
            .laneIndex(PriorityRequestEncoder.laneIndexNullValue())
            .etaMs(type == PriorityRequestType.CANCEL ? 0 : (int)Math.max(0, Math.min(Integer.MAX_VALUE, (corridor.atNs[point] - nowNs) / 1_000_000L)));
        final PriorityRequestEncoder.RouteEncoder route = requestEncoder.routeCount(ahead);
        for (int i = 1; i <= ahead; i++)
        {
            route.next().intersectionId(settings.nodeId[corridor.nodes[point + i]]).approachId(corridor.approaches[point + i])
                .etaMs((int)Math.max(0, Math.min(Integer.MAX_VALUE, (corridor.atNs[point + i] - nowNs) / 1_000_000L)));
        }
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + requestEncoder.encodedLength());
    }

    private void reject(final Input input, final Egress egress, final RejectReason reason, final String detail)
    {
        rejected++;
        inputReject.write(input, egress, reason, detail);
    }

    private static IncidentPriority priorityCode(final int priority)
    {
        return priority <= 1 ? IncidentPriority.P1 : priority == 2 ? IncidentPriority.P2 : IncidentPriority.P3;
    }

    private static AgencyKind agencyKind(final int bit)
    {
        return switch (bit)
        {
            case Triage.POLICE -> AgencyKind.POLICE;
            case Triage.FIRE -> AgencyKind.FIRE;
            case Triage.EMS -> AgencyKind.EMS;
            default -> AgencyKind.CITY_FACILITIES;
        };
    }

    // ------------------------------------------------------------------------------------------ state

    @Override
    public int stateVersion()
    {
        return STATE_VERSION;
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putLong(nextIncidentId);
        out.putLong(nextNotificationId);
        out.putLong(nextDispatchId);
        out.putLong(events);
        out.putLong(rejected);
        out.putLong(escalations);
        out.putLong(dispatches);
        for (final long incident : unitIncident)
        {
            out.putLong(incident);
        }
        for (final int patients : hospitalPatients)
        {
            out.putInt(patients);
        }
        for (final int marked : cameraMarkedFalse)
        {
            out.putInt(marked);
        }
        writeIncidents(out, open);
        writeIncidents(out, suppressing);
        writeLiveEventsAndCorridors(out);
    }

    private static void writeIncidents(final StateWriter out, final List<Incident> incidents)
    {
        out.putInt(incidents.size());
        for (final Incident incident : incidents)
        {
            out.putLong(incident.id);
            out.putInt(incident.state);
            out.putInt(incident.eventClass.ordinal());
            out.putDouble(incident.eastM);
            out.putDouble(incident.northM);
            out.putInt(incident.agencies);
            out.putLong(incident.createdNs);
            out.putLong(incident.lastSourceNs);
            out.putLong(incident.ackDeadlineNs);
            out.putInt(incident.priority);
            out.putInt(incident.escalations);
            out.putInt(incident.missedDeadlines);
            out.putInt(incident.maxConfidence);
            out.putBoolean(incident.corroborated);
            out.putBoolean(incident.anyReliableCamera);
            out.putBoolean(incident.anyCamera);
            out.putInt(incident.dispatchedAgencies);
            out.putString(new String(incident.ownerBytes, 0, incident.ownerLength, StandardCharsets.UTF_8));
            out.putInt(incident.sourceCount);
            for (int s = 0; s < Math.min(incident.sourceCount, MAX_SOURCES); s++)
            {
                out.putInt(incident.sourceKind[s]);
                out.putLong(incident.sourceId[s]);
                out.putInt(incident.sourceClass[s].ordinal());
                out.putInt(incident.sourceCamera[s]);
            }
        }
    }

    private void writeLiveEventsAndCorridors(final StateWriter out)
    {
        // live events in ascending id, so that the same state gives the same bytes
        final long[] ids = new long[liveEvents.size()];
        final Long2LongHashMap.KeyIterator keys = liveEvents.keySet().iterator();
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = keys.nextValue();
        }
        java.util.Arrays.sort(ids);
        out.putInt(ids.length);
        for (final long id : ids)
        {
            out.putLong(id);
            out.putLong(liveEvents.get(id));
        }
        out.putInt(corridors.size());
        for (final Corridor corridor : corridors)
        {
            out.putLong(corridor.dispatchId);
            out.putLong(corridor.incidentId);
            out.putInt(corridor.unitId);
            out.putInt(corridor.role.ordinal());
            out.putInt(corridor.current);
            out.putInt(corridor.length);
            for (int i = 0; i < corridor.length; i++)
            {
                out.putInt(corridor.nodes[i]);
                out.putInt(corridor.approaches[i]);
                out.putLong(corridor.atNs[i]);
            }
        }
    }

    @Override
    public void restore(final StateReader in)
    {
        final EventClass[] classes = EventClass.values();
        nextIncidentId = in.getLong();
        nextNotificationId = in.getLong();
        nextDispatchId = in.getLong();
        events = in.getLong();
        rejected = in.getLong();
        escalations = in.getLong();
        dispatches = in.getLong();
        for (int u = 0; u < unitIncident.length; u++)
        {
            unitIncident[u] = in.getLong();
        }
        for (int h = 0; h < hospitalPatients.length; h++)
        {
            hospitalPatients[h] = in.getInt();
        }
        for (int c = 0; c < cameraMarkedFalse.length; c++)
        {
            cameraMarkedFalse[c] = in.getInt();
        }
        readIncidents(in, open);
        readIncidents(in, suppressing);
        readLiveEventsAndCorridors(in);
    }

    private static void readIncidents(final StateReader in, final List<Incident> into)
    {
        final EventClass[] classes = EventClass.values();
        into.clear();
        final int incidents = in.getInt();
        for (int i = 0; i < incidents; i++)
        {
            final Incident incident = new Incident();
            incident.id = in.getLong();
            incident.state = in.getInt();
            incident.eventClass = classes[in.getInt()];
            incident.eastM = in.getDouble();
            incident.northM = in.getDouble();
            incident.agencies = in.getInt();
            incident.createdNs = in.getLong();
            incident.lastSourceNs = in.getLong();
            incident.ackDeadlineNs = in.getLong();
            incident.priority = in.getInt();
            incident.escalations = in.getInt();
            incident.missedDeadlines = in.getInt();
            incident.maxConfidence = in.getInt();
            incident.corroborated = in.getBoolean();
            incident.anyReliableCamera = in.getBoolean();
            incident.anyCamera = in.getBoolean();
            incident.dispatchedAgencies = in.getInt();
            final byte[] owner = in.getString().getBytes(StandardCharsets.UTF_8);
            incident.ownerLength = Math.min(MAX_OWNER_BYTES, owner.length);
            System.arraycopy(owner, 0, incident.ownerBytes, 0, incident.ownerLength);
            incident.sourceCount = in.getInt();
            for (int s = 0; s < Math.min(incident.sourceCount, MAX_SOURCES); s++)
            {
                incident.sourceKind[s] = in.getInt();
                incident.sourceId[s] = in.getLong();
                incident.sourceClass[s] = classes[in.getInt()];
                incident.sourceCamera[s] = in.getInt();
            }
            into.add(incident);
        }
    }

    private void readLiveEventsAndCorridors(final StateReader in)
    {
        liveEvents.clear();
        final int live = in.getInt();
        for (int i = 0; i < live; i++)
        {
            final long id = in.getLong();
            liveEvents.put(id, in.getLong());
        }
        corridors.clear();
        final int count = in.getInt();
        final VehicleRole[] roles = VehicleRole.values();
        for (int c = 0; c < count; c++)
        {
            final Corridor corridor = corridor();
            corridor.dispatchId = in.getLong();
            corridor.incidentId = in.getLong();
            corridor.unitId = in.getInt();
            corridor.role = roles[in.getInt()];
            corridor.current = in.getInt();
            final int points = in.getInt();
            corridor.length = points;
            for (int i = 0; i < points; i++)
            {
                corridor.nodes[i] = in.getInt();
                corridor.approaches[i] = in.getInt();
                corridor.atNs[i] = in.getLong();
            }
            corridors.add(corridor);
        }
    }

    // ------------------------------------------------------------------------------------------ counters

    /** Events, calls and sensor alarms taken in (not the rejected ones). */
    public long events()
    {
        return events;
    }

    public long rejected()
    {
        return rejected;
    }

    public long escalations()
    {
        return escalations;
    }

    public long dispatches()
    {
        return dispatches;
    }

    /** Incidents open now. */
    public int openIncidents()
    {
        return open.size();
    }

    /** Incidents created since the start. */
    public long incidentsCreated()
    {
        return nextIncidentId - 1;
    }
}
