package kr.sejong.city.adapters.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import kr.sejong.city.codecs.AgenciesDecoder;
import kr.sejong.city.codecs.AgencyKind;
import kr.sejong.city.codecs.DispatchDecoder;
import kr.sejong.city.codecs.IncidentDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.NotificationDecoder;
import kr.sejong.city.codecs.PositionDecoder;
import kr.sejong.city.codecs.SettlementDecoder;
import kr.sejong.city.config.Agency;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What one receiver is sent for an egress frame: the POST's idempotency key, made from ids the node made
 * ({@code notification-<notificationId>}, {@code dispatch-<dispatchId>}, {@code settlement-<prosumerId>-<periodStartNs>}),
 * and its JSON body. Times in the body are the node's (the egress record's), so the same decision gives the
 * same body whenever it is read from the journal. One instance per receiver thread.
 */
final class Deliveries
{
    private static final long NS_PER_MS = 1_000_000L;
    /** Incidents remembered per receiver; an older one is looked up in the journal again if needed. */
    private static final int INCIDENTS_KEPT = 4096;

    /**
     * Which egress a receiver takes: an agency's Notifications and Dispatches, a hospital's Dispatches, or
     * the Settlements.
     */
    record Target(Agency.Kind agency, Integer hospitalId, boolean settlement)
    {
        boolean needsIncidents()
        {
            return !settlement;
        }
    }

    private final Target target;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final IncidentDecoder incident = new IncidentDecoder();
    private final NotificationDecoder notification = new NotificationDecoder();
    private final DispatchDecoder dispatch = new DispatchDecoder();
    private final SettlementDecoder settlement = new SettlementDecoder();
    private final Map<Long, Map<String, Object>> incidents = new LinkedHashMap<>(64, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<Long, Map<String, Object>> eldest)
        {
            return size() > INCIDENTS_KEPT;
        }
    };

    Deliveries(final Target target)
    {
        this.target = target;
    }

    /**
     * Reads one egress frame: remembers incidents, and returns the delivery it makes for this receiver.
     *
     * @param timeNs   the node's time of the frame (its egress record's).
     * @param lookBack finds an incident this receiver has not seen (decided before where it started reading),
     *                 as the journal last had it before this frame; may return null.
     * @return the delivery, or null when the frame is nothing for this receiver.
     */
    Notifier.Delivery onFrame(final DirectBuffer buffer, final int offset, final int length, final long timeNs,
        final LongFunction<Map<String, Object>> lookBack)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return null;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return null;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case IncidentDecoder.TEMPLATE_ID ->
            {
                if (target.needsIncidents())
                {
                    final Map<String, Object> view = incident(incident.wrap(buffer, body, blockLength, version), timeNs);
                    incidents.put((Long)view.get("incidentId"), view);
                }
                return null;
            }
            case NotificationDecoder.TEMPLATE_ID ->
            {
                return notification(notification.wrap(buffer, body, blockLength, version), lookBack);
            }
            case DispatchDecoder.TEMPLATE_ID ->
            {
                return dispatch(dispatch.wrap(buffer, body, blockLength, version), timeNs, lookBack);
            }
            case SettlementDecoder.TEMPLATE_ID ->
            {
                return target.settlement() ? settlement(settlement.wrap(buffer, body, blockLength, version)) : null;
            }
            default ->
            {
                return null;
            }
        }
    }

    /** Decodes an Incident frame into the view sent with notifications, or null when the frame is something else. */
    static Map<String, Object> incidentOf(final DirectBuffer buffer, final int offset, final int length, final long timeNs)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return null;
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || header.templateId() != IncidentDecoder.TEMPLATE_ID)
        {
            return null;
        }
        return incident(new IncidentDecoder().wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
            header.version()), timeNs);
    }

    private Notifier.Delivery notification(final NotificationDecoder m, final LongFunction<Map<String, Object>> lookBack)
    {
        final long notificationId = m.notificationId();
        final long incidentId = m.incidentId();
        final String kind = m.kind().name();
        final AgencyKind agency = m.agency();
        final String priority = m.priority().name();
        final int sopStep = m.sopStep();
        final String text = m.text();
        if (target.agency() == null || agencyKind(agency) != target.agency())
        {
            return null;
        }
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("notificationId", notificationId);
        json.put("incidentId", incidentId);
        json.put("kind", kind);
        json.put("agency", agency.name());
        json.put("priority", priority);
        json.put("sopStep", sopStep);
        json.put("text", text);
        putIncident(json, incidentId, lookBack);
        return new Notifier.Delivery("notification-" + notificationId, write(json));
    }

    private Notifier.Delivery dispatch(final DispatchDecoder m, final long timeNs, final LongFunction<Map<String, Object>> lookBack)
    {
        final long dispatchId = m.dispatchId();
        final long incidentId = m.incidentId();
        final long unitId = m.unitId();
        final AgencyKind agency = m.agency();
        final long hospitalId = m.hospitalId();
        final boolean toHospital = hospitalId != DispatchDecoder.hospitalIdNullValue();
        final int etaMs = m.etaMs();
        final List<Long> route = route(m);
        final boolean forAgency = target.agency() != null && agencyKind(agency) == target.agency();
        final boolean forHospital = target.hospitalId() != null && toHospital && hospitalId == target.hospitalId();
        if (!forAgency && !forHospital)
        {
            return null;
        }
        final Map<String, Object> view = new LinkedHashMap<>();
        view.put("dispatchId", dispatchId);
        view.put("incidentId", incidentId);
        view.put("unitId", unitId);
        view.put("agency", agency.name());
        view.put("hospitalId", toHospital ? hospitalId : 0);
        view.put("etaMs", etaMs);
        view.put("route", route);
        view.put("sentAtMs", timeNs / NS_PER_MS);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("dispatch", view);
        putIncident(json, incidentId, lookBack);
        return new Notifier.Delivery("dispatch-" + dispatchId, write(json));
    }

    private static Notifier.Delivery settlement(final SettlementDecoder m)
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        final long prosumerId = m.prosumerId();
        final long periodStartNs = m.periodStartNs();
        json.put("prosumerId", prosumerId);
        json.put("periodStartMs", periodStartNs / NS_PER_MS);
        json.put("periodEndMs", m.periodEndNs() / NS_PER_MS);
        json.put("producedWh", m.producedWh());
        json.put("selfConsumedWh", m.selfConsumedWh());
        json.put("soldToNeighboursWh", m.soldToNeighboursWh());
        json.put("exportedWh", m.exportedWh());
        json.put("importedWh", m.importedWh());
        return new Notifier.Delivery("settlement-" + prosumerId + "-" + periodStartNs, write(json));
    }

    private void putIncident(final Map<String, Object> json, final long incidentId, final LongFunction<Map<String, Object>> lookBack)
    {
        Map<String, Object> view = incidents.get(incidentId);
        if (view == null)
        {
            view = lookBack.apply(incidentId);
            incidents.put(incidentId, view != null ? view : Map.of()); // not found: not looked for again
        }
        if (view != null && !view.isEmpty())
        {
            json.put("incident", view);
        }
    }

    private static Map<String, Object> incident(final IncidentDecoder m, final long timeNs)
    {
        final Map<String, Object> view = new LinkedHashMap<>();
        view.put("incidentId", m.incidentId());
        view.put("state", m.state().name());
        view.put("priority", m.priority().name());
        view.put("eventClass", m.eventClass().name());
        final PositionDecoder position = m.position();
        view.put("eastM", position.eastMm() / 1000.0);
        view.put("northM", position.northMm() / 1000.0);
        view.put("agencies", agencies(m.agencies()));
        final long deadlineNs = m.ackDeadlineNs();
        view.put("ackDeadlineMs", deadlineNs == IncidentDecoder.ackDeadlineNsNullValue() ? 0 : deadlineNs / NS_PER_MS);
        int sources = 0;
        for (final IncidentDecoder.SourcesDecoder source : m.sources())
        {
            source.sourceId();
            sources++;
        }
        view.put("sources", sources);
        view.put("owner", m.owner());
        view.put("updatedAtMs", timeNs / NS_PER_MS);
        return view;
    }

    /** A dispatch's green-corridor route, its intersections in order (read last: the group follows the fixed fields). */
    static List<Long> route(final DispatchDecoder m)
    {
        final List<Long> route = new ArrayList<>();
        for (final DispatchDecoder.RouteDecoder point : m.route())
        {
            route.add(point.intersectionId());
        }
        return route;
    }

    static List<String> agencies(final AgenciesDecoder set)
    {
        final List<String> out = new ArrayList<>(4);
        if (set.police())
        {
            out.add("POLICE");
        }
        if (set.fire())
        {
            out.add("FIRE");
        }
        if (set.ems())
        {
            out.add("EMS");
        }
        if (set.cityFacilities())
        {
            out.add("CITY_FACILITIES");
        }
        return out;
    }

    private static Agency.Kind agencyKind(final AgencyKind agency)
    {
        return switch (agency)
        {
            case POLICE -> Agency.Kind.POLICE;
            case FIRE -> Agency.Kind.FIRE;
            case EMS -> Agency.Kind.EMS;
            default -> null;
        };
    }

    private static String write(final Object json)
    {
        try
        {
            return Body.MAPPER.writeValueAsString(json);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
