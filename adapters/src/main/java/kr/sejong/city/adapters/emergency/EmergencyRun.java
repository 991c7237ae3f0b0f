package kr.sejong.city.adapters.emergency;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import kr.sejong.city.adapters.sim.LockstepIngress;
import kr.sejong.city.adapters.sim.SignalizedField;
import kr.sejong.city.codecs.Center;
import kr.sejong.city.codecs.DispatchDecoder;
import kr.sejong.city.codecs.IncidentDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.NotificationDecoder;
import kr.sejong.city.codecs.NotificationKind;
import kr.sejong.city.codecs.OperatorActionEncoder;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.PriorityStatusDecoder;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.codecs.SubjectKind;
import kr.sejong.city.config.CityConfig;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;

import static kr.sejong.city.adapters.sim.ReportMaps.ordered;

/**
 * Runs an {@link EmergencyScenario} through a node over Aeron, in logical time, and scores what triage
 * made of it.
 * <ul>
 *   <li>First the city's signalised intersections ({@code IntersectionTopology}, from {@link SignalizedField}),
 *   so the signal loop can answer the corridor's PriorityRequests, then a Tick every second of logical time.
 *   Before each Tick: the frames of the second before it (events, calls, bad inputs) and the operator
 *   actions due, so every input is stamped with the logical time of its second.</li>
 *   <li>Each Tick ends when its last {@code SignalCommand} is read (one per intersection per Tick): egress is
 *   read exactly up to that frame, then the {@link CorridorBridge} forwards the PriorityRequests read so
 *   far. The ingress order is the same in every run, so the node's egress is too.</li>
 *   <li>Operator actions name a situation: they go to the incident that first listed one of its sources,
 *   {@code afterS} after the Tick at which the runner read that incident.</li>
 * </ul>
 * Not thread-safe; one run per instance.
 */
public final class EmergencyRun
{
    private static final long SECOND_NS = 1_000_000_000L;

    private final CityConfig config;
    private final EmergencyScenario scenario;
    private final StormGenerator storm;
    private final long timeoutNs;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final IncidentDecoder incident = new IncidentDecoder();
    private final NotificationDecoder notification = new NotificationDecoder();
    private final DispatchDecoder dispatch = new DispatchDecoder();
    private final RejectDecoder reject = new RejectDecoder();
    private final PriorityStatusDecoder status = new PriorityStatusDecoder();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final OperatorActionEncoder action = new OperatorActionEncoder();

    private LockstepIngress lockstep;
    private CorridorBridge bridge;
    private long currentTickNs;

    private final Map<Long, List<String>> incidentSources = new LinkedHashMap<>();
    private final Map<Long, String> incidentFinal = new LinkedHashMap<>();
    private final Map<Long, Long> incidentFirstSeenNs = new HashMap<>();
    private final Map<String, Long> incidentOfSource = new HashMap<>();
    private final Map<String, Long> incidentOfSituation = new LinkedHashMap<>();
    private final Map<String, Long> offeredWallNs = new HashMap<>();
    private final Histogram roundTrip = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private long incidentFrames;
    private final Map<String, Long> notifications = new TreeMap<>();
    private final Map<String, Long> notificationsByAgency = new TreeMap<>();
    private final List<Map<String, Object>> dispatches = new ArrayList<>();
    private final Map<String, Long> rejects = new TreeMap<>();
    private final List<String> rejectDetails = new ArrayList<>();
    private final Map<String, Long> statuses = new TreeMap<>();
    private final List<Map<String, Object>> actionsSent = new ArrayList<>();
    private long nextActionId = 1;
    private long ticks;
    private long inputsSent;
    private long badSent;

    public EmergencyRun(final CityConfig config, final EmergencyScenario scenario, final long timeoutMs)
    {
        this.config = config;
        this.scenario = scenario;
        this.storm = new StormGenerator(config, scenario);
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    public StormGenerator storm()
    {
        return storm;
    }

    /** The scenario's first instant, ns since the epoch. */
    public long startNs()
    {
        return scenario.startNs(ZoneId.of(config.city().timeZone()));
    }

    /**
     * Run the whole scenario against the node behind {@code ingress} and {@code egress} (connected).
     *
     * @param progress called with the simulated hours done, every simulated quarter hour.
     */
    public void run(final ExclusivePublication ingress, final Subscription egress, final DoubleConsumer progress)
    {
        lockstep = new LockstepIngress(ingress, timeoutNs);
        this.bridge = new CorridorBridge(ingress, null, TimeUnit.NANOSECONDS.toMillis(timeoutNs));
        final ZoneId zone = ZoneId.of(config.city().timeZone());
        final long startNs = scenario.startNs(zone);
        final long steps = scenario.durationNs() / SECOND_NS;
        final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this::onEgress);
        final SignalizedField signals = new SignalizedField(config, scenario.seed());
        lockstep.topologies(signals);
        final List<StormGenerator.Timed> frames = storm.frames();
        final List<PendingAction> pendingActions = new ArrayList<>();
        for (final EmergencyScenario.Action a : scenario.actions())
        {
            pendingActions.add(new PendingAction(a));
        }
        final List<Long> unknownIncidentActionsNs = new ArrayList<>();
        for (final EmergencyScenario.BadInput bad : scenario.badInputs())
        {
            if (bad.kind() == EmergencyScenario.BadKind.UNKNOWN_INCIDENT)
            {
                unknownIncidentActionsNs.add(scenario.atNs(zone, bad.at()));
            }
        }
        int next = 0;
        for (long k = 0; k <= steps; k++)
        {
            final long tickNs = startNs + k * SECOND_NS;
            while (next < frames.size() && frames.get(next).timeNs() < tickNs)
            {
                final StormGenerator.Timed timed = frames.get(next++);
                scratch.putBytes(0, timed.frame());
                if (timed.source() != null && !offeredWallNs.containsKey(timed.source()))
                {
                    offeredWallNs.put(timed.source(), System.nanoTime());
                }
                lockstep.offer(scratch, 0, timed.frame().length);
                inputsSent++;
                if (timed.badInput())
                {
                    badSent++;
                }
            }
            for (final PendingAction p : pendingActions)
            {
                if (!p.sent && p.incidentId > 0 && p.dueNs < tickNs)
                {
                    sendAction(p.action.situation(), p.incidentId, p.action.kind(), p.action.role());
                    if (p.action.role() == OperatorRole.VIEW)
                    {
                        badSent++;
                    }
                    p.sent = true;
                }
            }
            for (int i = 0; i < unknownIncidentActionsNs.size(); i++)
            {
                if (unknownIncidentActionsNs.get(i) < tickNs)
                {
                    sendAction("(bad input)", StormGenerator.UNKNOWN_INCIDENT_ID, OperatorActionKind.ACKNOWLEDGE, OperatorRole.OPERATE);
                    badSent++;
                    unknownIncidentActionsNs.remove(i--);
                }
            }
            currentTickNs = tickNs;
            lockstep.tickAndRead(tickNs, SECOND_NS, k, egress, assembler);
            ticks++;
            bridge.flush();
            for (final PendingAction p : pendingActions)
            {
                if (p.incidentId == 0)
                {
                    final Long id = incidentOfSituation.get(p.action.situation());
                    if (id != null)
                    {
                        p.incidentId = id;
                        p.dueNs = incidentFirstSeenNs.get(id) + p.action.afterS() * SECOND_NS;
                    }
                }
            }
            if (progress != null && k > 0 && k % 900 == 0)
            {
                progress.accept(k / 3600.0);
            }
        }
        // what the last Tick's loops said after its SignalCommands: read until egress is quiet
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(300))
        {
            if (egress.controlledPoll(assembler, 64) > 0)
            {
                quietSince = System.nanoTime();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        for (final PendingAction p : pendingActions)
        {
            if (!p.sent)
            {
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("situation", p.action.situation());
                m.put("action", p.action.kind().name());
                m.put("sent", false);
                m.put("why", p.incidentId == 0 ? "no incident listed a source of the situation" : "due after the run's end");
                actionsSent.add(m);
            }
        }
    }

    private Action onEgress(final DirectBuffer buffer, final int offset, final int length, final Header fragmentHeader)
    {
        header.wrap(buffer, offset);
        if (header.schemaId() != IncidentDecoder.SCHEMA_ID)
        {
            return Action.CONTINUE;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId())
        {
            case SignalCommandDecoder.TEMPLATE_ID:
                return lockstep.signalCommand();
            case IncidentDecoder.TEMPLATE_ID:
                onIncident(buffer, body);
                break;
            case NotificationDecoder.TEMPLATE_ID:
                notification.wrap(buffer, body, header.blockLength(), header.version());
                notifications.merge(String.valueOf(notification.kind()), 1L, Long::sum);
                notificationsByAgency.merge(notification.kind() + " " + notification.agency(), 1L, Long::sum);
                break;
            case DispatchDecoder.TEMPLATE_ID:
                onDispatch(buffer, body);
                break;
            case RejectDecoder.TEMPLATE_ID:
                reject.wrap(buffer, body, header.blockLength(), header.version());
                final String reason = String.valueOf(reject.reason());
                final int template = reject.templateId();
                rejects.merge(reason, 1L, Long::sum);
                final String detail = reject.detail();
                if (rejectDetails.size() < 50)
                {
                    rejectDetails.add(reason + " (template " + template + "): " + detail);
                }
                break;
            case PriorityStatusDecoder.TEMPLATE_ID:
                status.wrap(buffer, body, header.blockLength(), header.version());
                statuses.merge(status.status() + (status.reason() == kr.sejong.city.codecs.PriorityReason.NONE ? "" : " " + status.reason()),
                    1L, Long::sum);
                break;
            default:
                bridge.onEgressFrame(buffer, offset, length);
                break;
        }
        return Action.CONTINUE;
    }

    private void onIncident(final DirectBuffer buffer, final int body)
    {
        incidentFrames++;
        incident.wrap(buffer, body, header.blockLength(), header.version());
        final long id = incident.incidentId();
        final String state = String.valueOf(incident.state());
        final String priority = String.valueOf(incident.priority());
        final String eventClass = String.valueOf(incident.eventClass());
        final List<String> sources = new ArrayList<>();
        final long nowWall = System.nanoTime();
        for (final IncidentDecoder.SourcesDecoder s : incident.sources())
        {
            final String source = StormGenerator.source(s.sourceKind(), s.sourceId());
            sources.add(source);
            if (incidentOfSource.putIfAbsent(source, id) == null)
            {
                final Long offered = offeredWallNs.get(source);
                if (offered != null)
                {
                    roundTrip.recordValue(Math.min(roundTrip.getHighestTrackableValue(), nowWall - offered));
                }
                final String situation = storm.labels().get(source);
                if (situation != null)
                {
                    incidentOfSituation.putIfAbsent(situation, id);
                }
            }
        }
        incidentSources.put(id, sources);
        incidentFinal.put(id, state + " " + priority + " " + eventClass);
        incidentFirstSeenNs.putIfAbsent(id, currentTickNs);
    }

    private void onDispatch(final DirectBuffer buffer, final int body)
    {
        dispatch.wrap(buffer, body, header.blockLength(), header.version());
        final Map<String, Object> d = new LinkedHashMap<>();
        d.put("dispatchId", dispatch.dispatchId());
        d.put("incidentId", dispatch.incidentId());
        d.put("unitId", dispatch.unitId());
        d.put("agency", String.valueOf(dispatch.agency()));
        final long hospital = dispatch.hospitalId();
        d.put("hospitalId", hospital == DispatchDecoder.hospitalIdNullValue() ? null : hospital);
        d.put("etaS", dispatch.etaMs() / 1000.0);
        final List<Long> route = new ArrayList<>();
        for (final DispatchDecoder.RouteDecoder r : dispatch.route())
        {
            route.add(r.intersectionId());
        }
        d.put("route", route);
        dispatches.add(d);
    }

    private void sendAction(final String situation, final long incidentId, final OperatorActionKind kind, final OperatorRole role)
    {
        final long id = nextActionId++;
        action.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .actionId(id)
            .center(Center.EMERGENCY)
            .role(role)
            .actionKind(kind)
            .subjectKind(SubjectKind.INCIDENT)
            .subjectId(incidentId)
            .operatorName("simulated operator")
            .what(kind.name().toLowerCase(Locale.ROOT) + " incident " + incidentId + " (scenario: " + situation + ")")
            .before("")
            .after("");
        lockstep.offer(scratch, 0, MessageHeaderEncoder.ENCODED_LENGTH + action.encodedLength());
        inputsSent++;
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("actionId", id);
        m.put("situation", situation);
        m.put("incidentId", incidentId);
        m.put("action", kind.name());
        m.put("role", role.name());
        m.put("atS", (currentTickNs - startNs()) / SECOND_NS);
        m.put("sent", true);
        actionsSent.add(m);
    }



    /** Offered to its Incident read, ns: one value per source that an Incident listed. */
    public Histogram roundTrip()
    {
        return roundTrip;
    }

    /** The scores and counts of the run (the node's own latency is the caller's to add). */
    public Map<String, Object> figures()
    {
        final Map<String, Object> f = new LinkedHashMap<>();
        final Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("videoEvents", storm.videoEvents());
        inputs.put("videoMessages", storm.videoMessages());
        inputs.put("calls", storm.calls());
        inputs.put("badInputsSent", badSent);
        inputs.put("situations", storm.situations().size());
        inputs.put("falseAlarmSituations", storm.situations().values().stream().filter(StormGenerator.Truth::falseAlarm).count());
        inputs.put("framesSent", inputsSent);
        inputs.put("ticks", ticks);
        f.put("inputs", inputs);

        final Map<String, Object> inc = new LinkedHashMap<>();
        inc.put("count", incidentSources.size());
        inc.put("incidentFrames", incidentFrames);
        final Map<String, Long> byFinal = new TreeMap<>();
        incidentFinal.values().forEach(v -> byFinal.merge(v, 1L, Long::sum));
        inc.put("byLastStatePriorityClass", byFinal);
        long labelledInIncidents = 0;
        for (final List<String> sources : incidentSources.values())
        {
            labelledInIncidents += sources.stream().filter(storm.labels()::containsKey).count();
        }
        inc.put("sourcesInIncidents", labelledInIncidents);
        inc.put("sourcesWithoutIncident", storm.labels().size() - incidentOfSource.keySet().stream().filter(storm.labels()::containsKey).count());
        f.put("incidents", inc);

        final Map<String, Object> dedup = new LinkedHashMap<>();
        dedup.put("eventsPerIncident", incidentSources.isEmpty() ? null : round2((double)labelledInIncidents / incidentSources.size()));
        dedup.put("allSourcesPerIncident", incidentSources.isEmpty() ? null
            : round2((double)(storm.videoEvents() + storm.calls()) / incidentSources.size()));
        dedup.put("measured", "eventsPerIncident: camera events and calls that incidents list / incidents; allSourcesPerIncident: all generated / incidents");
        f.put("deduplication", dedup);

        f.put("correlation", CorrelationScorer.score(storm.labels(), incidentSources.values()).toMap());

        final Map<String, Object> scripted = new LinkedHashMap<>();
        for (final StormGenerator.Truth t : storm.situations().values())
        {
            if (!t.scripted())
            {
                continue;
            }
            final Map<String, Object> s = new LinkedHashMap<>();
            final List<String> sources = new ArrayList<>();
            final java.util.Set<Long> incidents = new java.util.TreeSet<>();
            storm.labels().forEach((source, label) ->
            {
                if (label.equals(t.id()))
                {
                    sources.add(source);
                    final Long i = incidentOfSource.get(source);
                    if (i != null)
                    {
                        incidents.add(i);
                    }
                }
            });
            s.put("class", t.eventClass().name());
            s.put("falseAlarm", t.falseAlarm());
            s.put("sources", sources.size());
            s.put("incidents", new ArrayList<>(incidents));
            final List<String> finals = new ArrayList<>();
            incidents.forEach(i -> finals.add(incidentFinal.get(i)));
            s.put("lastIncidentStates", finals);
            scripted.put(t.id(), s);
        }
        f.put("scriptedSituations", scripted);

        f.put("notifications", notifications);
        f.put("notificationsByAgency", notificationsByAgency);
        f.put("escalations", notifications.getOrDefault(String.valueOf(NotificationKind.ESCALATION), 0L));
        final Map<String, Object> d = new LinkedHashMap<>();
        d.put("count", dispatches.size());
        final double[] etas = dispatches.stream().mapToDouble(m -> (Double)m.get("etaS")).sorted().toArray();
        d.put("etaS", etas.length == 0 ? null : ordered("min", etas[0], "median", etas[etas.length / 2], "max", etas[etas.length - 1]));
        d.put("list", dispatches);
        f.put("dispatches", d);
        final Map<String, Object> corridor = new LinkedHashMap<>();
        corridor.put("priorityRequestsForwarded", bridge == null ? 0 : bridge.forwarded());
        corridor.put("priorityStatusByCode", statuses);
        f.put("corridor", corridor);
        final long rejectCount = rejects.values().stream().mapToLong(Long::longValue).sum();
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("count", rejectCount);
        r.put("byReason", rejects);
        r.put("expected", badSent);
        r.put("unexpected", Math.max(0, rejectCount - badSent));
        r.put("measured", "expected: the bad inputs sent and the actions by a role that may not act");
        r.put("details", rejectDetails);
        f.put("rejects", r);
        f.put("operatorActions", actionsSent);
        return f;
    }

    private static double round2(final double v)
    {
        return Math.round(v * 100) / 100.0;
    }

    private static final class PendingAction
    {
        final EmergencyScenario.Action action;
        long incidentId;
        long dueNs;
        boolean sent;

        PendingAction(final EmergencyScenario.Action action)
        {
            this.action = action;
        }
    }
}
