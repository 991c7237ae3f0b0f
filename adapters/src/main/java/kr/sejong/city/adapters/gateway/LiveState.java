package kr.sejong.city.adapters.gateway;

import kr.sejong.city.config.Gateway.Center;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the screens show, as the node's egress told it: incidents and their dispatches, the signals'
 * current phases and active priority requests, the grid balance over time, rides; and, beside it, what the
 * field measures ({@link FieldMeasurements}, read from ingress): lane queues in {@link #traffic()}, PV, ESS,
 * chargers and the measured PCC power in {@link #energy()}, so they are scoped by center like the rest.
 * Written by the egress reader's thread, read by request threads; every method is synchronized (the state is
 * small). Changes are passed to listeners (the server-sent events) as {@link Change}s.
 */
public final class LiveState
{
    static final int BALANCING_HISTORY = 600;
    static final int RIDES_KEPT = 100_000;
    static final int CLOSED_INCIDENTS_KEPT = 50;
    static final int REJECTS_KEPT = 20;

    /** A change for the screens: an event type, the center it belongs to, and its data (JSON-able). */
    public record Change(String type, Center center, Object data)
    {
    }

    public record IncidentView(long incidentId, String state, String priority, String eventClass, double eastM, double northM,
        List<String> agencies, long ackDeadlineMs, int sources, String owner, long updatedAtMs)
    {
    }

    public record DispatchView(long dispatchId, long incidentId, long unitId, String agency, long hospitalId, int etaMs,
        List<Long> route, long sentAtMs)
    {
    }

    public record SignalView(long intersectionId, String mode, int phaseIndex, long durationMs, String reason, String signalState)
    {
    }

    public record PriorityView(long requestId, long vehicleId, long intersectionId, String status, String reason)
    {
    }

    public record BalancingView(long timeMs, int plannedPccW, int importLimitW, int exportLimitW, int essPowerW, int evPowerW,
        int pvCurtailmentW, int demandResponseW, String binding, boolean fallback)
    {
    }

    public record SetpointView(long deviceId, String deviceKind, int activePowerW, String reason)
    {
    }

    public record RideView(long requestId, long riderId, String client, String status, long shuttleId, long pickupEtaMs, String detail)
    {
    }

    public record RejectView(long rejectedSequence, String reason, String detail)
    {
    }

    private final TreeMap<Long, IncidentView> incidents = new TreeMap<>();
    private final ArrayDeque<Long> closed = new ArrayDeque<>();
    private final TreeMap<Long, List<DispatchView>> dispatches = new TreeMap<>();
    private final TreeMap<Long, SignalView> signals = new TreeMap<>();
    private final TreeMap<Long, PriorityView> priorities = new TreeMap<>();
    private final ArrayDeque<BalancingView> balancing = new ArrayDeque<>();
    private final TreeMap<Long, SetpointView> setpoints = new TreeMap<>();
    private final LinkedHashMap<Long, RideView> rides = new LinkedHashMap<>(1024, 0.75f, false)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<Long, RideView> eldest)
        {
            return size() > RIDES_KEPT;
        }
    };
    private final ArrayDeque<RejectView> rejects = new ArrayDeque<>();
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final FieldMeasurements field;

    /** Without field measurements (a configuration without intersections or devices). */
    public LiveState()
    {
        this(null);
    }

    /** @param field the field's measurements to show beside egress, or null. */
    public LiveState(final FieldMeasurements field)
    {
        this.field = field;
    }

    /** The field's measurements, or null. */
    public FieldMeasurements field()
    {
        return field;
    }

    public void addListener(final Consumer<Change> listener)
    {
        listeners.add(listener);
    }

    // ----------------------------------------------------------------------------- written from egress

    public void incident(final IncidentView view)
    {
        synchronized (this)
        {
            incidents.put(view.incidentId(), view);
            if ("CLOSED".equals(view.state()))
            {
                closed.addLast(view.incidentId());
                while (closed.size() > CLOSED_INCIDENTS_KEPT)
                {
                    final Long gone = closed.removeFirst();
                    incidents.remove(gone);
                    dispatches.remove(gone);
                }
            }
        }
        publish(new Change("incident", Center.EMERGENCY, view));
    }

    public void dispatch(final DispatchView view)
    {
        synchronized (this)
        {
            dispatches.computeIfAbsent(view.incidentId(), id -> new ArrayList<>()).add(view);
        }
        publish(new Change("dispatch", Center.EMERGENCY, view));
    }

    public synchronized void signal(final SignalView view)
    {
        signals.put(view.intersectionId(), view);
    }

    public void priority(final PriorityView view)
    {
        synchronized (this)
        {
            if ("CANCELLED".equals(view.status()) || "REJECTED".equals(view.status()))
            {
                priorities.remove(view.requestId());
            }
            else
            {
                priorities.put(view.requestId(), view);
            }
        }
        publish(new Change("priority", Center.TRAFFIC, view));
    }

    public synchronized void balancing(final BalancingView view)
    {
        balancing.addLast(view);
        while (balancing.size() > BALANCING_HISTORY)
        {
            balancing.removeFirst();
        }
    }

    public synchronized void setpoint(final SetpointView view)
    {
        setpoints.put(view.deviceId(), view);
    }

    public void reject(final RejectView view)
    {
        synchronized (this)
        {
            rejects.addLast(view);
            while (rejects.size() > REJECTS_KEPT)
            {
                rejects.removeFirst();
            }
        }
        publish(new Change("reject", null, view));
    }

    /** A ride's outcome from the dispatch loop; ignored for requests this gateway did not send. */
    public synchronized void rideOutcome(final long requestId, final String status, final long shuttleId, final long pickupEtaMs,
        final String detail)
    {
        final RideView ride = rides.get(requestId);
        // a cancelled ride stays cancelled: the loop's answer to the request may arrive after the cancellation
        if (ride != null && !"CANCELLED".equals(ride.status()))
        {
            rides.put(requestId, new RideView(requestId, ride.riderId(), ride.client(), status, shuttleId, pickupEtaMs, detail));
        }
    }

    // ----------------------------------------------------------------------------- written by requests

    public synchronized void rideRequested(final long requestId, final long riderId, final String client)
    {
        rides.put(requestId, new RideView(requestId, riderId, client, "REQUESTED", 0, 0, ""));
    }

    // ----------------------------------------------------------------------------- read

    public synchronized RideView ride(final long requestId)
    {
        return rides.get(requestId);
    }

    public synchronized IncidentView incident(final long incidentId)
    {
        return incidents.get(incidentId);
    }

    public synchronized SignalView signal(final long intersectionId)
    {
        return signals.get(intersectionId);
    }

    public synchronized SetpointView setpoint(final long deviceId)
    {
        return setpoints.get(deviceId);
    }

    /** Open incidents first, by priority then acknowledgement deadline; closed ones after. */
    public synchronized List<IncidentView> incidents()
    {
        final List<IncidentView> list = new ArrayList<>(incidents.values());
        list.sort(Comparator.comparing((IncidentView i) -> "CLOSED".equals(i.state()))
            .thenComparing(IncidentView::priority)
            .thenComparingLong(i -> i.ackDeadlineMs() == 0 ? Long.MAX_VALUE : i.ackDeadlineMs())
            .thenComparingLong(IncidentView::incidentId));
        return list;
    }

    public synchronized Map<String, Object> traffic()
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("signals", new ArrayList<>(signals.values()));
        out.put("priorities", new ArrayList<>(priorities.values()));
        final List<DispatchView> corridors = new ArrayList<>();
        for (final Map.Entry<Long, List<DispatchView>> entry : dispatches.entrySet())
        {
            final IncidentView incident = incidents.get(entry.getKey());
            if (incident != null && !"CLOSED".equals(incident.state()))
            {
                corridors.addAll(entry.getValue());
            }
        }
        out.put("corridors", corridors);
        out.put("queues", field != null ? field.queues() : List.of());
        out.put("intersections", field != null ? field.intersectionNames() : List.of());
        return out;
    }

    public synchronized Map<String, Object> energy()
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("balancing", new ArrayList<>(balancing));
        out.put("setpoints", new ArrayList<>(setpoints.values()));
        out.put("measured", field != null ? field.energy() : Map.of());
        return out;
    }

    public synchronized Map<String, Object> emergency()
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("incidents", incidents());
        final List<DispatchView> all = new ArrayList<>();
        dispatches.values().forEach(all::addAll);
        out.put("dispatches", all);
        return out;
    }

    public synchronized List<RejectView> rejects()
    {
        return new ArrayList<>(rejects);
    }

    private void publish(final Change change)
    {
        for (final Consumer<Change> listener : listeners)
        {
            listener.accept(change);
        }
    }
}
