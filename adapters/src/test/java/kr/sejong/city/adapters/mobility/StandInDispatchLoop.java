package kr.sejong.city.adapters.mobility;

import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.PlanReason;
import kr.sejong.city.codecs.PositionDecoder;
import kr.sejong.city.codecs.RideAssignmentEncoder;
import kr.sejong.city.codecs.RideCancelDecoder;
import kr.sejong.city.codecs.RideRejectReason;
import kr.sejong.city.codecs.RideRejectionEncoder;
import kr.sejong.city.codecs.RideRequestDecoder;
import kr.sejong.city.codecs.ShuttleMode;
import kr.sejong.city.codecs.ShuttlePlanEncoder;
import kr.sejong.city.codecs.ShuttleStateDecoder;
import kr.sejong.city.codecs.StopAction;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A deliberately simple stand-in for the dispatch loop, for testing the simulation side (runner, fleet, node)
 * before and independently of the real {@code DispatchLoop}: one ride per shuttle, the first free shuttle (by id)
 * that can reach both stops and seat the party; validation of the request as docs/shuttle-dispatch.md lists the
 * reasons; the plan re-sent without a visit's entries once the shuttle reports leaving the stop. No pooling, no charging, no
 * rebalancing, no state in its snapshot (never restored). Not a dispatch strategy.
 */
final class StandInDispatchLoop implements ControlLoop
{
    private static final long SECOND_NS = 1_000_000_000L;

    private final ShuttleNetwork network;
    private final int maxWalkM;
    private final int largestParty;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final RideRequestDecoder request = new RideRequestDecoder();
    private final RideCancelDecoder cancel = new RideCancelDecoder();
    private final ShuttleStateDecoder state = new ShuttleStateDecoder();
    private final RideAssignmentEncoder assignment = new RideAssignmentEncoder();
    private final RideRejectionEncoder rejection = new RideRejectionEncoder();
    private final ShuttlePlanEncoder plan = new ShuttlePlanEncoder();

    /** Shuttle id to its plan entries; a shuttle is free when its plan is empty. TreeMap: id order. */
    private final TreeMap<Integer, List<long[]>> plans = new TreeMap<>();
    /** Shuttle id to the node it last reported at. */
    private final TreeMap<Integer, Integer> at = new TreeMap<>();
    /** Request id to its shuttle, -1 once ended or cancelled. */
    private final TreeMap<Long, Integer> requests = new TreeMap<>();

    StandInDispatchLoop(final CityConfig config)
    {
        network = ShuttleNetwork.from(config);
        maxWalkM = config.mobility().service().maxWalkM();
        largestParty = config.mobility().fleet().stream().mapToInt(g -> g.capacity()).max().orElse(0);
    }

    @Override
    public String name()
    {
        return "stand-in-dispatch";
    }

    @Override
    public int[] templateIds()
    {
        return new int[] { RideRequestDecoder.TEMPLATE_ID, RideCancelDecoder.TEMPLATE_ID, ShuttleStateDecoder.TEMPLATE_ID };
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        switch (input.templateId())
        {
            case RideRequestDecoder.TEMPLATE_ID ->
            {
                request.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onRequest(input.timeNs(), egress);
            }
            case RideCancelDecoder.TEMPLATE_ID ->
            {
                cancel.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onCancel(input.timeNs(), egress);
            }
            default ->
            {
                state.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onState(input.timeNs(), egress);
            }
        }
    }

    private void onRequest(final long nowNs, final Egress egress)
    {
        final long id = request.requestId();
        if (requests.containsKey(id))
        {
            reject(egress, id, RideRejectReason.DUPLICATE_REQUEST, "request " + id + " was made before");
            return;
        }
        final int from = stop(request.originStopId(), request.origin());
        final int to = stop(request.destinationStopId(), request.destination());
        if (from < 0 || to < 0)
        {
            reject(egress, id, RideRejectReason.UNKNOWN_STOP, "no such stop");
            return;
        }
        if (request.earliestPickupTimeNs() < nowNs)
        {
            reject(egress, id, RideRejectReason.PICKUP_IN_PAST, "earliest pickup before now");
            return;
        }
        if (request.partySize() > largestParty)
        {
            reject(egress, id, RideRejectReason.PARTY_TOO_LARGE, "party of " + request.partySize());
            return;
        }
        for (final var entry : plans.entrySet())
        {
            final int shuttle = entry.getKey();
            final int g = network.groupOf(shuttle);
            final Integer node = at.get(shuttle);
            if (!entry.getValue().isEmpty() || node == null || network.group(g).capacity() < request.partySize()
                || !network.reachable(g, node, from) || !network.reachable(g, from, to))
            {
                continue;
            }
            final long pickupNs = Math.max(request.earliestPickupTimeNs(), nowNs + Math.round(network.timeS(g, node, from) * 1e9));
            final long dropoffNs = pickupNs + Math.round(network.timeS(g, from, to) * 1e9) + 30 * SECOND_NS;
            entry.getValue().add(new long[] { network.nodeId(from), StopAction.PICKUP.value(), id, pickupNs });
            entry.getValue().add(new long[] { network.nodeId(to), StopAction.DROPOFF.value(), id, dropoffNs });
            requests.put(id, shuttle);
            final int offset = egress.claim(128);
            assignment.wrapAndApplyHeader(egress.buffer(), offset, header).requestId(id).shuttleId(shuttle)
                .pickupStopId(network.nodeId(from)).dropoffStopId(network.nodeId(to)).pickupEtaNs(pickupNs).dropoffEtaNs(dropoffNs);
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + assignment.encodedLength());
            sendPlan(egress, shuttle, PlanReason.ASSIGNMENT);
            return;
        }
        requests.put(id, -1);
        reject(egress, id, RideRejectReason.NO_FEASIBLE_SHUTTLE, "every shuttle is busy");
    }

    private void onCancel(final long nowNs, final Egress egress)
    {
        final long id = cancel.requestId();
        final Integer shuttle = requests.get(id);
        if (shuttle == null)
        {
            reject(egress, id, RideRejectReason.UNKNOWN_REQUEST, "no request " + id);
            return;
        }
        requests.put(id, -1);
        if (shuttle >= 0 && plans.get(shuttle).removeIf(e -> e[2] == id))
        {
            sendPlan(egress, shuttle, PlanReason.CANCELLATION);
        }
    }

    private void onState(final long nowNs, final Egress egress)
    {
        final int shuttle = (int)state.shuttleId();
        plans.putIfAbsent(shuttle, new ArrayList<>());
        final long stopId = state.lastStopId();
        if (stopId != ShuttleStateDecoder.lastStopIdNullValue() && state.mode() != ShuttleMode.EN_ROUTE)
        {
            at.put(shuttle, network.index((int)stopId));
        }
        if (state.mode() != ShuttleMode.DWELLING && state.mode() != ShuttleMode.CHARGING && stopId != ShuttleStateDecoder.lastStopIdNullValue())
        {
            // left the stop: the visit's entries are done
            final List<long[]> entries = plans.get(shuttle);
            int done = 0;
            while (done < entries.size() && entries.get(done)[0] == stopId)
            {
                done++;
            }
            if (done > 0)
            {
                entries.subList(0, done).clear();
                sendPlan(egress, shuttle, PlanReason.IMPROVEMENT);
            }
        }
    }

    /** The node index of a stop id, or of the nearest stop to a position; -1 when unknown or too far. */
    private int stop(final long stopId, final PositionDecoder position)
    {
        if (stopId != RideRequestDecoder.originStopIdNullValue())
        {
            return network.stopIndex((int)stopId);
        }
        return network.nearestRiderStop(position.eastMm() / 1000.0, position.northMm() / 1000.0, maxWalkM);
    }

    private void sendPlan(final Egress egress, final int shuttle, final PlanReason reason)
    {
        final List<long[]> entries = plans.get(shuttle);
        final int offset = egress.claim(64 + 32 * entries.size());
        plan.wrapAndApplyHeader(egress.buffer(), offset, header).shuttleId(shuttle).reason(reason);
        final ShuttlePlanEncoder.StopsEncoder stops = plan.stopsCount(entries.size());
        for (final long[] e : entries)
        {
            stops.next().stopId(e[0]).action(StopAction.get((short)e[1])).requestId(e[2]).etaNs(e[3]);
        }
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + plan.encodedLength());
    }

    private void reject(final Egress egress, final long id, final RideRejectReason reason, final String detail)
    {
        final int offset = egress.claim(256);
        rejection.wrapAndApplyHeader(egress.buffer(), offset, header).requestId(id).reason(reason).detail(detail);
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + rejection.encodedLength());
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putInt(0); // a clean stop snapshots every loop; the stand-in's state is never restored
    }

    @Override
    public void restore(final StateReader in)
    {
        throw new UnsupportedOperationException("the stand-in keeps no snapshot");
    }
}
