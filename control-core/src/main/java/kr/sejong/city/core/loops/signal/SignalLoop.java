package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.DeviceState;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OperatorActionDecoder;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.PriorityReason;
import kr.sejong.city.codecs.PriorityRequestDecoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.PriorityStatusCode;
import kr.sejong.city.codecs.PriorityStatusEncoder;
import kr.sejong.city.codecs.SignalCommandEncoder;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Adaptive signal control ("signal"), as the signal/twin contract (docs/signal-twin-protocol.md) describes:
 * <ul>
 *   <li>{@code IntersectionTopology}: builds (or replaces) an intersection's model;</li>
 *   <li>{@code LaneObservations}: keeps the last observation of each intersection's lanes;</li>
 *   <li>{@code DeviceStatus} of an INTERSECTION_CONTROLLER (from its field adapter): OFFLINE puts the
 *       intersection in fallback at once (the controller runs its own program while the link is down), without
 *       waiting for the observation timeout; ONLINE lifts that, and the intersection rejoins adaptive control
 *       through a safe transition once its observations are fresh again;</li>
 *   <li>{@code OperatorAction} MODE_CHANGE {@code control=adaptive|maxpressure|fixed}: the controller of one
 *       intersection ({@code subjectId}) or of all ({@code 0}, also the mode of intersections to come);</li>
 *   <li>{@code PriorityRequest} (emergency vehicles, BRT buses): answered at once by a {@code PriorityStatus};
 *       the intersection's {@link PriorityControl} preempts or favours the bus from the next Tick; the route's
 *       next intersections are pre-cleared (corridor);</li>
 *   <li>{@code Tick}: the priority statuses that changed, then one {@code SignalCommand} per intersection, in
 *       ascending {@code intersectionId}, each checked by that intersection's conflict monitor.</li>
 * </ul>
 * Input it cannot use (an unknown intersection, an inconsistent topology, observations that do not match
 * the topology's lanes, a mode it does not know) is ignored and counted; the loop keeps going.
 */
public final class SignalLoop implements ControlLoop
{
    public static final String NAME = "signal";
    /** Layout of {@link #snapshot}: 2 added the arrival trackers, 4 whether each controller is reachable. */
    public static final int STATE_VERSION = 4;
    /** Route entries of one request taken for the corridor; more are ignored. */
    public static final int MAX_ROUTE_ENTRIES = 16;

    private static final byte[] CONTROL_PREFIX = "control=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int MAX_WHAT_LENGTH = 64;

    private final SignalTiming timing;
    private final PrioritySettings prioritySettings;
    private final AdaptiveController.Settings adaptiveSettings;
    private final PhaseController[] controllers;
    private final PhaseController fixed;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final IntersectionTopologyDecoder topologyDecoder = new IntersectionTopologyDecoder();
    private final LaneObservationsDecoder observationsDecoder = new LaneObservationsDecoder();
    private final DeviceStatusDecoder deviceStatusDecoder = new DeviceStatusDecoder();
    private final OperatorActionDecoder actionDecoder = new OperatorActionDecoder();
    private final TickDecoder tickDecoder = new TickDecoder();
    private final PriorityRequestDecoder requestDecoder = new PriorityRequestDecoder();
    private final PriorityStatusEncoder statusEncoder = new PriorityStatusEncoder();
    private final Statuses statuses = new Statuses();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SignalCommandEncoder commandEncoder = new SignalCommandEncoder();
    private final byte[] what = new byte[MAX_WHAT_LENGTH];

    // intersections in ascending id; topology frames kept for snapshots
    private long[] ids = new long[0];
    private ControlledIntersection[] intersections = new ControlledIntersection[0];
    private byte[][] topologyFrames = new byte[0][];

    private ControlMode defaultMode;
    private long refusedCommands;
    private long fallbacks;
    private long unknownIntersections;
    private long invalidInputs;
    private long priorityRequests;
    private long priorityStatuses;
    private long rejectedRequests;

    public SignalLoop(final SignalTiming timing)
    {
        this(timing, ControlMode.ADAPTIVE, AdaptiveController.Settings.defaults());
    }

    /**
     * @param timing           safety limits and the fallback timeout.
     * @param initialMode      the control mode until an operator changes it.
     * @param adaptiveSettings settings of the adaptive controller.
     */
    public SignalLoop(final SignalTiming timing, final ControlMode initialMode, final AdaptiveController.Settings adaptiveSettings)
    {
        this(timing, initialMode, adaptiveSettings, PrioritySettings.defaults(timing));
    }

    /**
     * @param prioritySettings preemption and transit priority settings.
     */
    public SignalLoop(final SignalTiming timing, final ControlMode initialMode, final AdaptiveController.Settings adaptiveSettings,
        final PrioritySettings prioritySettings)
    {
        this.timing = timing;
        this.prioritySettings = prioritySettings;
        this.defaultMode = initialMode;
        this.adaptiveSettings = adaptiveSettings;
        this.fixed = new FixedTimeController();
        this.controllers = new PhaseController[ControlMode.values().length];
        controllers[ControlMode.ADAPTIVE.ordinal()] = new AdaptiveController(adaptiveSettings);
        controllers[ControlMode.MAX_PRESSURE.ordinal()] = new MaxPressureController();
        controllers[ControlMode.FIXED.ordinal()] = fixed;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int[] templateIds()
    {
        return new int[]{
            IntersectionTopologyDecoder.TEMPLATE_ID,
            LaneObservationsDecoder.TEMPLATE_ID,
            TickDecoder.TEMPLATE_ID,
            OperatorActionDecoder.TEMPLATE_ID,
            PriorityRequestDecoder.TEMPLATE_ID,
            DeviceStatusDecoder.TEMPLATE_ID };
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        switch (input.templateId())
        {
            case TickDecoder.TEMPLATE_ID:
                onTick(input.timeNs(), egress);
                break;
            case LaneObservationsDecoder.TEMPLATE_ID:
                onObservations(input);
                break;
            case IntersectionTopologyDecoder.TEMPLATE_ID:
                onTopology(input);
                break;
            case OperatorActionDecoder.TEMPLATE_ID:
                onOperatorAction(input);
                break;
            case PriorityRequestDecoder.TEMPLATE_ID:
                onPriorityRequest(input, egress);
                break;
            case DeviceStatusDecoder.TEMPLATE_ID:
                onDeviceStatus(input);
                break;
            default:
                break;
        }
    }

    private void onTick(final long nowNs, final Egress egress)
    {
        for (int i = 0; i < intersections.length; i++)
        {
            final ControlledIntersection intersection = intersections[i];
            final long fallbacksBefore = intersection.fallbacks();
            statuses.to(egress, ids[i]);
            intersection.tick(nowNs, controllers, fixed, statuses);
            fallbacks += intersection.fallbacks() - fallbacksBefore;
            if (intersection.refused())
            {
                refusedCommands++;
            }
            encodeCommand(ids[i], intersection, egress);
        }
    }

    private void onDeviceStatus(final Input input)
    {
        final DeviceStatusDecoder status = deviceStatusDecoder;
        status.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        if (status.deviceKind() != DeviceKind.INTERSECTION_CONTROLLER)
        {
            return; // not a device this loop controls
        }
        final DeviceState state = status.state();
        if (state != DeviceState.OFFLINE && state != DeviceState.ONLINE)
        {
            return; // DEGRADED / INVALID_VALUE: the adapter kept the bad values from us; the link is up
        }
        final int index = Arrays.binarySearch(ids, status.deviceId());
        if (index < 0)
        {
            unknownIntersections++;
            return;
        }
        intersections[index].controllerReachable(state == DeviceState.ONLINE);
    }

    private void encodeCommand(final long intersectionId, final ControlledIntersection intersection, final Egress egress)
    {
        final byte[] state = intersection.shown();
        final int maxLength = MessageHeaderEncoder.ENCODED_LENGTH + SignalCommandEncoder.BLOCK_LENGTH +
            SignalCommandEncoder.signalStateHeaderLength() + state.length;
        final int offset = egress.claim(maxLength);
        commandEncoder.wrapAndApplyHeader(egress.buffer(), offset, headerEncoder)
            .intersectionId(intersectionId)
            .mode(intersection.signalMode())
            .phaseIndex(intersection.phaseIndex())
            .durationMs(Math.max(0, intersection.durationMs()))
            .reason(intersection.reason())
            .putSignalState(state, 0, state.length);
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength());
    }

    private void onPriorityRequest(final Input input, final Egress egress)
    {
        priorityRequests++;
        final PriorityRequestDecoder request = requestDecoder;
        request.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        final long requestId = request.requestId();
        final long vehicleId = request.vehicleId();
        final long intersectionId = request.intersectionId();
        final int rank = PriorityControl.rankOf(request.role());
        final PriorityRequestType type = request.requestType();
        final int approach = request.approachId();
        final int laneRaw = request.laneIndex();
        final int lane = laneRaw == PriorityRequestDecoder.laneIndexNullValue() ? -1 : laneRaw;
        final int etaMs = request.etaMs();
        statuses.to(egress, intersectionId);
        if (rank < 0 || type == PriorityRequestType.NULL_VAL)
        {
            invalidInputs++;
            rejectedRequests++;
            statuses.status(requestId, vehicleId, PriorityStatusCode.REJECTED, PriorityReason.NONE, 0);
            return;
        }
        final int index = indexOf(intersectionId);
        if (index < 0)
        {
            unknownIntersections++;
            rejectedRequests++;
            statuses.status(requestId, vehicleId, PriorityStatusCode.REJECTED, PriorityReason.UNKNOWN_INTERSECTION, 0);
            return;
        }
        final ControlledIntersection intersection = intersections[index];
        final IntersectionModel model = intersection.model();
        if (model.preemptionPhase(approach) < 0 || lane >= model.laneCount() || lane >= 0 && model.laneApproach(lane) != approach)
        {
            rejectedRequests++;
            statuses.status(requestId, vehicleId, PriorityStatusCode.REJECTED, PriorityReason.UNKNOWN_APPROACH, 0);
            return;
        }
        final long nowNs = input.timeNs();
        intersection.priority().onRequest(nowNs, requestId, vehicleId, rank, type, approach, lane, etaMs, intersection, statuses);
        final PriorityRequestDecoder.RouteDecoder route = request.route();
        if (type == PriorityRequestType.CANCEL || rank >= PriorityControl.rankOf(kr.sejong.city.codecs.VehicleRole.BRT_BUS))
        {
            return; // the corridor is for emergency vehicles on their way
        }
        int taken = 0;
        while (route.hasNext() && taken < MAX_ROUTE_ENTRIES)
        {
            route.next();
            taken++;
            final long nextId = route.intersectionId();
            final int nextApproach = route.approachId();
            final int nextEtaMs = route.etaMs();
            statuses.to(egress, nextId);
            final int next = indexOf(nextId);
            if (next < 0)
            {
                statuses.status(requestId, vehicleId, PriorityStatusCode.REJECTED, PriorityReason.UNKNOWN_INTERSECTION, 0);
                continue;
            }
            final ControlledIntersection onRoute = intersections[next];
            if (onRoute.model().preemptionPhase(nextApproach) < 0)
            {
                statuses.status(requestId, vehicleId, PriorityStatusCode.REJECTED, PriorityReason.UNKNOWN_APPROACH, 0);
                continue;
            }
            onRoute.priority().onCorridor(nowNs, requestId, vehicleId, rank, nextApproach, nextEtaMs, onRoute, statuses);
        }
    }

    /** Encodes PriorityStatus frames onto the egress of the input being handled, for one intersection at a time. */
    private final class Statuses implements PriorityControl.StatusSink
    {
        private Egress egress;
        private long intersectionId;

        void to(final Egress egress, final long intersectionId)
        {
            this.egress = egress;
            this.intersectionId = intersectionId;
        }

        @Override
        public void status(final long requestId, final long vehicleId, final PriorityStatusCode status, final PriorityReason reason,
            final int queuePosition)
        {
            priorityStatuses++;
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + PriorityStatusEncoder.BLOCK_LENGTH;
            final int offset = egress.claim(length);
            statusEncoder.wrapAndApplyHeader(egress.buffer(), offset, headerEncoder)
                .requestId(requestId)
                .vehicleId(vehicleId)
                .intersectionId(intersectionId)
                .status(status)
                .reason(reason)
                .queuePosition(Math.min(queuePosition, 65534));
            egress.commit(length);
        }
    }

    private void onObservations(final Input input)
    {
        observationsDecoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        final int index = indexOf(observationsDecoder.intersectionId());
        if (index < 0)
        {
            unknownIntersections++;
            return;
        }
        if (!intersections[index].traffic().update(observationsDecoder, input.timeNs()))
        {
            invalidInputs++;
        }
    }

    private void onTopology(final Input input)
    {
        final byte[] frame = new byte[input.length()];
        input.buffer().getBytes(input.offset(), frame);
        final IntersectionModel model;
        try
        {
            model = decodeTopology(new UnsafeBuffer(frame));
        }
        catch (final RuntimeException ex)
        {
            invalidInputs++; // inconsistent or out of range: the message says what in ex.getMessage()
            return;
        }
        final int index = indexOf(model.intersectionId());
        if (index >= 0 && Arrays.equals(topologyFrames[index], frame))
        {
            return; // the same topology again
        }
        final ControlMode mode = index >= 0 ? intersections[index].mode() : defaultMode;
        final ControlledIntersection intersection = new ControlledIntersection(model, timing, prioritySettings, mode, input.timeNs());
        if (index >= 0)
        {
            // a new description of an intersection under control: the field still shows what it showed
            intersection.monitor().takeOver(intersections[index].monitor(), input.timeNs());
        }
        put(model.intersectionId(), intersection, frame);
    }

    private IntersectionModel decodeTopology(final DirectBuffer frame)
    {
        headerDecoder.wrap(frame, 0);
        topologyDecoder.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        return IntersectionModel.decode(topologyDecoder);
    }

    private void onOperatorAction(final Input input)
    {
        actionDecoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        if (actionDecoder.actionKind() != OperatorActionKind.MODE_CHANGE)
        {
            return;
        }
        final long subjectId = actionDecoder.subjectId();
        actionDecoder.skipOperatorName();
        final int length = actionDecoder.whatLength();
        if (length > MAX_WHAT_LENGTH || length < CONTROL_PREFIX.length)
        {
            return; // not a control mode change
        }
        actionDecoder.getWhat(what, 0, length);
        if (!Arrays.equals(what, 0, CONTROL_PREFIX.length, CONTROL_PREFIX, 0, CONTROL_PREFIX.length))
        {
            return;
        }
        final ControlMode mode = ControlMode.parse(what, CONTROL_PREFIX.length, length - CONTROL_PREFIX.length);
        if (mode == null)
        {
            invalidInputs++;
            return;
        }
        if (subjectId == 0)
        {
            defaultMode = mode;
            for (final ControlledIntersection intersection : intersections)
            {
                intersection.mode(mode);
            }
            return;
        }
        final int index = indexOf(subjectId);
        if (index < 0)
        {
            unknownIntersections++;
            return;
        }
        intersections[index].mode(mode);
    }

    private int indexOf(final long intersectionId)
    {
        return Arrays.binarySearch(ids, intersectionId);
    }

    private void put(final long intersectionId, final ControlledIntersection intersection, final byte[] frame)
    {
        final int index = indexOf(intersectionId);
        if (index >= 0)
        {
            intersections[index] = intersection;
            topologyFrames[index] = frame;
            return;
        }
        final int at = -index - 1;
        ids = insert(ids, at, intersectionId);
        final ControlledIntersection[] grownIntersections = new ControlledIntersection[intersections.length + 1];
        final byte[][] grownFrames = new byte[topologyFrames.length + 1][];
        for (int i = 0, j = 0; i < grownIntersections.length; i++)
        {
            if (i == at)
            {
                grownIntersections[i] = intersection;
                grownFrames[i] = frame;
            }
            else
            {
                grownIntersections[i] = intersections[j];
                grownFrames[i] = topologyFrames[j];
                j++;
            }
        }
        intersections = grownIntersections;
        topologyFrames = grownFrames;
    }

    private static long[] insert(final long[] values, final int at, final long value)
    {
        final long[] grown = new long[values.length + 1];
        System.arraycopy(values, 0, grown, 0, at);
        grown[at] = value;
        System.arraycopy(values, at, grown, at + 1, values.length - at);
        return grown;
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putInt(defaultMode.ordinal());
        out.putLong(refusedCommands);
        out.putLong(fallbacks);
        out.putLong(unknownIntersections);
        out.putLong(invalidInputs);
        out.putLong(priorityRequests);
        out.putLong(priorityStatuses);
        out.putLong(rejectedRequests);
        out.putInt(intersections.length);
        for (int i = 0; i < intersections.length; i++)
        {
            out.putBytes(new UnsafeBuffer(topologyFrames[i]), 0, topologyFrames[i].length);
            intersections[i].snapshot(out);
        }
    }

    @Override
    public int stateVersion()
    {
        return STATE_VERSION;
    }

    @Override
    public void restore(final StateReader in)
    {
        defaultMode = ControlMode.fromOrdinal(in.getInt());
        refusedCommands = in.getLong();
        fallbacks = in.getLong();
        unknownIntersections = in.getLong();
        invalidInputs = in.getLong();
        priorityRequests = in.getLong();
        priorityStatuses = in.getLong();
        rejectedRequests = in.getLong();
        final int count = in.getInt();
        ids = new long[0];
        intersections = new ControlledIntersection[0];
        topologyFrames = new byte[0][];
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(1024);
        for (int i = 0; i < count; i++)
        {
            final int length = in.getBytes(scratch, 0);
            final byte[] frame = new byte[length];
            scratch.getBytes(0, frame);
            final IntersectionModel model = decodeTopology(new UnsafeBuffer(frame));
            final ControlledIntersection intersection = new ControlledIntersection(model, timing, prioritySettings, defaultMode, 0);
            intersection.restore(in);
            put(model.intersectionId(), intersection, frame);
        }
    }

    /** Commands the conflict monitors refused and replaced (each sent with reason SAFETY_OVERRIDE). */
    public long refusedCommands()
    {
        return refusedCommands;
    }

    /** Times an intersection fell back to its own program because its observations stopped. */
    public long fallbacks()
    {
        return fallbacks;
    }

    /** Inputs naming an intersection without a topology. */
    public long unknownIntersections()
    {
        return unknownIntersections;
    }

    /** Inputs ignored as invalid: inconsistent topologies, mismatched observations, unknown control modes. */
    public long invalidInputs()
    {
        return invalidInputs;
    }

    /** PriorityRequest messages received. */
    public long priorityRequests()
    {
        return priorityRequests;
    }

    /** PriorityStatus messages sent. */
    public long priorityStatuses()
    {
        return priorityStatuses;
    }

    /** Requests refused outright: unknown intersection or approach, or a role or type not known. */
    public long rejectedRequests()
    {
        return rejectedRequests;
    }

    /** Preemptions started, over all intersections (corridor pre-clearings included). */
    public long preemptions()
    {
        long sum = 0;
        for (final ControlledIntersection intersection : intersections)
        {
            sum += intersection.priority().preemptions();
        }
        return sum;
    }

    /** Bus priority actions (extensions and early greens), over all intersections. */
    public long transitActions()
    {
        long sum = 0;
        for (final ControlledIntersection intersection : intersections)
        {
            sum += intersection.priority().transitActions();
        }
        return sum;
    }

    /** Dwells ended by max presence, over all intersections. */
    public long maxPresenceDrops()
    {
        long sum = 0;
        for (final ControlledIntersection intersection : intersections)
        {
            sum += intersection.priority().maxPresenceDrops();
        }
        return sum;
    }

    /** The longest time from the end of a dwell to the exit green at any intersection, ns; -1 when none. */
    public long longestRecoveryNs()
    {
        long longest = -1;
        for (final ControlledIntersection intersection : intersections)
        {
            longest = Math.max(longest, intersection.priority().longestRecoveryNs());
        }
        return longest;
    }

    /** Intersections under control. */
    public int intersectionCount()
    {
        return intersections.length;
    }

    /** The control mode of an intersection, or null when it is unknown. */
    public ControlMode mode(final long intersectionId)
    {
        final int index = indexOf(intersectionId);
        return index < 0 ? null : intersections[index].mode();
    }

    /** The intersection with this id, or null (tests and status). */
    public ControlledIntersection intersection(final long intersectionId)
    {
        final int index = indexOf(intersectionId);
        return index < 0 ? null : intersections[index];
    }

    public SignalTiming timing()
    {
        return timing;
    }

    public AdaptiveController.Settings adaptiveSettings()
    {
        return adaptiveSettings;
    }
}
