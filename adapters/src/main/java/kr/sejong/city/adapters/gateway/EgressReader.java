package kr.sejong.city.adapters.gateway;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import kr.sejong.city.codecs.AgencyKind;
import kr.sejong.city.codecs.BalancingStatusDecoder;
import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.DispatchDecoder;
import kr.sejong.city.codecs.IncidentDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.PositionDecoder;
import kr.sejong.city.codecs.PriorityStatusDecoder;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.RideAssignmentDecoder;
import kr.sejong.city.codecs.RideRejectionDecoder;
import kr.sejong.city.codecs.SetpointDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;

import java.util.List;

/**
 * Reads the node's live egress for the screens: keeps {@link LiveState}. One thread (an Agrona agent).
 * What is delivered to the business systems is not taken from here: the {@link Notifier} reads it from the
 * egress journal, where every frame has its egress sequence.
 */
public final class EgressReader implements Agent
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final long NS_PER_MS = 1_000_000L;

    private final Subscription egress;
    private final LiveState state;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final IncidentDecoder incident = new IncidentDecoder();
    private final DispatchDecoder dispatch = new DispatchDecoder();
    private final SignalCommandDecoder signal = new SignalCommandDecoder();
    private final PriorityStatusDecoder priority = new PriorityStatusDecoder();
    private final BalancingStatusDecoder balancing = new BalancingStatusDecoder();
    private final SetpointDecoder setpoint = new SetpointDecoder();
    private final RideAssignmentDecoder assignment = new RideAssignmentDecoder();
    private final RideRejectionDecoder rejection = new RideRejectionDecoder();
    private final RejectDecoder reject = new RejectDecoder();
    private long frames;

    public EgressReader(final Subscription egress, final LiveState state)
    {
        this.egress = egress;
        this.state = state;
    }

    @Override
    public int doWork()
    {
        return egress.poll(assembler, FRAGMENT_LIMIT);
    }

    @Override
    public String roleName()
    {
        return "gateway-egress";
    }

    /** Egress frames read so far. */
    public long frames()
    {
        return frames;
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header fragmentHeader)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != IncidentDecoder.SCHEMA_ID)
        {
            return;
        }
        frames++;
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case IncidentDecoder.TEMPLATE_ID -> onIncident(incident.wrap(buffer, body, blockLength, version));
            case DispatchDecoder.TEMPLATE_ID -> onDispatch(dispatch.wrap(buffer, body, blockLength, version));
            case SignalCommandDecoder.TEMPLATE_ID ->
            {
                signal.wrap(buffer, body, blockLength, version);
                state.signal(new LiveState.SignalView(signal.intersectionId(), signal.mode().name(), signal.phaseIndex(),
                    signal.durationMs(), signal.reason().name(), signal.signalState()));
            }
            case PriorityStatusDecoder.TEMPLATE_ID ->
            {
                priority.wrap(buffer, body, blockLength, version);
                state.priority(new LiveState.PriorityView(priority.requestId(), priority.vehicleId(), priority.intersectionId(),
                    priority.status().name(), priority.reason().name()));
            }
            case BalancingStatusDecoder.TEMPLATE_ID ->
            {
                balancing.wrap(buffer, body, blockLength, version);
                state.balancing(new LiveState.BalancingView(balancing.timeNs() / NS_PER_MS, balancing.plannedPccW(),
                    balancing.importLimitW(), balancing.exportLimitW(), balancing.essPowerW(), balancing.evPowerW(),
                    balancing.pvCurtailmentW(), balancing.demandResponseW(), balancing.binding().name(),
                    balancing.fallback() == BooleanType.TRUE));
            }
            case SetpointDecoder.TEMPLATE_ID ->
            {
                setpoint.wrap(buffer, body, blockLength, version);
                state.setpoint(new LiveState.SetpointView(setpoint.deviceId(), setpoint.deviceKind().name(), setpoint.activePowerW(),
                    setpoint.reason().name()));
            }
            case RideAssignmentDecoder.TEMPLATE_ID ->
            {
                assignment.wrap(buffer, body, blockLength, version);
                state.rideOutcome(assignment.requestId(), "ASSIGNED", assignment.shuttleId(), assignment.pickupEtaNs() / NS_PER_MS, "");
            }
            case RideRejectionDecoder.TEMPLATE_ID ->
            {
                rejection.wrap(buffer, body, blockLength, version);
                final long requestId = rejection.requestId();
                final String reason = rejection.reason().name();
                state.rideOutcome(requestId, "REJECTED", 0, 0, reason + ": " + rejection.detail());
            }
            case RejectDecoder.TEMPLATE_ID ->
            {
                reject.wrap(buffer, body, blockLength, version);
                final long sequence = reject.rejectedSequence();
                final String reason = reject.reason().name();
                state.reject(new LiveState.RejectView(sequence, reason, reject.detail()));
            }
            default ->
            {
                // other egress (shuttle plans, priority requests for corridors, ...) is not shown yet
            }
        }
    }

    private void onIncident(final IncidentDecoder m)
    {
        final long id = m.incidentId();
        final String incidentState = m.state().name();
        final String priorityName = m.priority().name();
        final String eventClass = m.eventClass().name();
        final PositionDecoder position = m.position();
        final double eastM = position.eastMm() / 1000.0;
        final double northM = position.northMm() / 1000.0;
        final List<String> agencies = Deliveries.agencies(m.agencies());
        final long deadlineNs = m.ackDeadlineNs();
        final long deadlineMs = deadlineNs == IncidentDecoder.ackDeadlineNsNullValue() ? 0 : deadlineNs / NS_PER_MS;
        int sources = 0;
        for (final IncidentDecoder.SourcesDecoder source : m.sources())
        {
            source.sourceId();
            sources++;
        }
        final String owner = m.owner();
        state.incident(new LiveState.IncidentView(id, incidentState, priorityName, eventClass, eastM, northM, agencies, deadlineMs,
            sources, owner, System.currentTimeMillis()));
    }

    private void onDispatch(final DispatchDecoder m)
    {
        final long dispatchId = m.dispatchId();
        final long incidentId = m.incidentId();
        final long unitId = m.unitId();
        final AgencyKind agency = m.agency();
        final long hospitalId = m.hospitalId();
        final boolean toHospital = hospitalId != DispatchDecoder.hospitalIdNullValue();
        final int etaMs = m.etaMs();
        final List<Long> route = Deliveries.route(m);
        state.dispatch(new LiveState.DispatchView(dispatchId, incidentId, unitId, agency.name(), toHospital ? hospitalId : 0, etaMs,
            route, System.currentTimeMillis()));
    }
}
