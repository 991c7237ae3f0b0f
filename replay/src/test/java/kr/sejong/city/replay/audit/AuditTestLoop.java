package kr.sejong.city.replay.audit;

import kr.sejong.city.codecs.CallEventDecoder;
import kr.sejong.city.codecs.DetectorObservationDecoder;
import kr.sejong.city.codecs.IncidentState;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.PlanReason;
import kr.sejong.city.codecs.PriorityReason;
import kr.sejong.city.codecs.PriorityRequestDecoder;
import kr.sejong.city.codecs.PriorityStatusCode;
import kr.sejong.city.codecs.PriorityStatusEncoder;
import kr.sejong.city.codecs.RideAssignmentEncoder;
import kr.sejong.city.codecs.RideCancelDecoder;
import kr.sejong.city.codecs.RideRequestDecoder;
import kr.sejong.city.codecs.ShuttlePlanEncoder;
import kr.sejong.city.codecs.SignalCommandEncoder;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.SourceKind;
import kr.sejong.city.codecs.StopAction;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.codecs.VideoEventDecoder;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import kr.sejong.city.replay.Frames;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for the city's loops in audit tests, deterministic like them: detector observations get
 * a SignalCommand, priority requests a PriorityStatus (and a preemption command for an emergency
 * vehicle), ride requests a RideAssignment and a ShuttlePlan (shuttle 30 + requestId % 10), a cancel
 * a new plan, a video event a new Incident and a Dispatch along a route (incident 8001, 8002, ...; unit
 * 600 + n), a call the current incident again with the call among its sources.
 */
final class AuditTestLoop implements ControlLoop
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final DetectorObservationDecoder detector = new DetectorObservationDecoder();
    private final PriorityRequestDecoder priority = new PriorityRequestDecoder();
    private final RideRequestDecoder ride = new RideRequestDecoder();
    private final RideCancelDecoder cancel = new RideCancelDecoder();
    private final VideoEventDecoder video = new VideoEventDecoder();
    private final CallEventDecoder call = new CallEventDecoder();
    private final SignalCommandEncoder command = new SignalCommandEncoder();
    private final PriorityStatusEncoder status = new PriorityStatusEncoder();
    private final RideAssignmentEncoder assignment = new RideAssignmentEncoder();
    private final ShuttlePlanEncoder plan = new ShuttlePlanEncoder();

    private long incidents;
    private final List<SourceKind> sourceKinds = new ArrayList<>();
    private final List<Long> sourceIds = new ArrayList<>();

    @Override
    public String name()
    {
        return "audit-test";
    }

    @Override
    public int[] templateIds()
    {
        return new int[]{ DetectorObservationDecoder.TEMPLATE_ID, PriorityRequestDecoder.TEMPLATE_ID, RideRequestDecoder.TEMPLATE_ID,
            RideCancelDecoder.TEMPLATE_ID, VideoEventDecoder.TEMPLATE_ID, CallEventDecoder.TEMPLATE_ID };
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        final int templateId = input.templateId();
        if (templateId == DetectorObservationDecoder.TEMPLATE_ID)
        {
            detector.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            signalCommand(egress, detector.intersectionId(), SignalMode.ADAPTIVE, detector.vehicleCount() * 1000L, SignalReason.EXTEND_DEMAND);
        }
        else if (templateId == PriorityRequestDecoder.TEMPLATE_ID)
        {
            priority.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            final long intersectionId = priority.intersectionId();
            final VehicleRole role = priority.role();
            final int offset = egress.claim(128);
            status.wrapAndApplyHeader(egress.buffer(), offset, header)
                .requestId(priority.requestId()).vehicleId(priority.vehicleId()).intersectionId(intersectionId)
                .status(PriorityStatusCode.GRANTED).reason(PriorityReason.NONE).queuePosition(0);
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength());
            if (role == VehicleRole.AMBULANCE || role == VehicleRole.FIRE || role == VehicleRole.POLICE)
            {
                signalCommand(egress, intersectionId, SignalMode.PREEMPTION, 5000, SignalReason.PREEMPTION_ENTRY);
            }
        }
        else if (templateId == RideRequestDecoder.TEMPLATE_ID)
        {
            ride.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            final long requestId = ride.requestId();
            final long shuttleId = 30 + requestId % 10;
            final long origin = ride.originStopId();
            final long destination = ride.destinationStopId();
            final long pickupNs = ride.earliestPickupTimeNs();
            final int assignmentOffset = egress.claim(128);
            assignment.wrapAndApplyHeader(egress.buffer(), assignmentOffset, header)
                .requestId(requestId).shuttleId(shuttleId).pickupStopId(origin).dropoffStopId(destination)
                .pickupEtaNs(pickupNs + 60_000_000_000L).dropoffEtaNs(pickupNs + 600_000_000_000L);
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + assignment.encodedLength());
            final int planOffset = egress.claim(256);
            final ShuttlePlanEncoder.StopsEncoder stops = plan.wrapAndApplyHeader(egress.buffer(), planOffset, header)
                .shuttleId(shuttleId).reason(PlanReason.ASSIGNMENT).stopsCount(2);
            stops.next().stopId(origin).action(StopAction.PICKUP).requestId(requestId).etaNs(pickupNs + 60_000_000_000L);
            stops.next().stopId(destination).action(StopAction.DROPOFF).requestId(requestId).etaNs(pickupNs + 600_000_000_000L);
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + plan.encodedLength());
        }
        else if (templateId == RideCancelDecoder.TEMPLATE_ID)
        {
            cancel.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            final int offset = egress.claim(128);
            plan.wrapAndApplyHeader(egress.buffer(), offset, header)
                .shuttleId(30 + cancel.requestId() % 10).reason(PlanReason.CANCELLATION).stopsCount(0);
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + plan.encodedLength());
        }
        else if (templateId == VideoEventDecoder.TEMPLATE_ID)
        {
            video.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            incidents++;
            sourceKinds.clear();
            sourceIds.clear();
            sourceKinds.add(SourceKind.VIDEO);
            sourceIds.add(video.eventId());
            incident(egress, IncidentState.NEW);
            final int offset = egress.claim(256);
            final int length = incidents == 1
                ? Frames.dispatch(egress.buffer(), offset, incidents, incidentId(), 600 + (int)incidents, 101, 103)
                : Frames.dispatch(egress.buffer(), offset, incidents, incidentId(), 600 + (int)incidents, 104);
            egress.commit(length);
        }
        else if (templateId == CallEventDecoder.TEMPLATE_ID)
        {
            call.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            sourceKinds.add(SourceKind.CALL);
            sourceIds.add(call.callId());
            incident(egress, IncidentState.IN_PROGRESS);
        }
    }

    private long incidentId()
    {
        return 8000 + incidents;
    }

    private void incident(final Egress egress, final IncidentState state)
    {
        final int offset = egress.claim(256);
        final long[] ids = sourceIds.stream().mapToLong(Long::longValue).toArray();
        egress.commit(Frames.incident(egress.buffer(), offset, incidentId(), state, sourceKinds.toArray(new SourceKind[0]), ids));
    }

    private void signalCommand(final Egress egress, final long intersectionId, final SignalMode mode, final long durationMs,
        final SignalReason reason)
    {
        final int offset = egress.claim(128);
        command.wrapAndApplyHeader(egress.buffer(), offset, header)
            .intersectionId(intersectionId).mode(mode).phaseIndex(0).durationMs(durationMs).reason(reason).signalState("GGrr");
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + command.encodedLength());
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putLong(incidents);
    }

    @Override
    public void restore(final StateReader in)
    {
        incidents = in.getLong();
    }
}
