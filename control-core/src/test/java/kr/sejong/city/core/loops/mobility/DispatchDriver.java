package kr.sejong.city.core.loops.mobility;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.PositionEncoder;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.RideAssignmentDecoder;
import kr.sejong.city.codecs.RideCancelEncoder;
import kr.sejong.city.codecs.RideRejectionDecoder;
import kr.sejong.city.codecs.RideRequestEncoder;
import kr.sejong.city.codecs.ShuttleMode;
import kr.sejong.city.codecs.ShuttlePlanDecoder;
import kr.sejong.city.codecs.ShuttleStateEncoder;
import kr.sejong.city.codecs.ShuttleType;
import kr.sejong.city.codecs.StopAction;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.testing.RecordingEgress;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Feeds frames to a {@link DispatchLoop} the way the node does, decodes what comes out, and can play a perfect
 * fleet: each shuttle drives its latest plan exactly at the network's times (no traffic), waits at a pickup for
 * its ETA, dwells, and reports what the protocol says (docs/shuttle-dispatch.md). What the fleet saw (pickups,
 * drop-offs, loads, energy) is recorded independently of the loop, for the tests to check.
 */
final class DispatchDriver
{
    static final long S = 1_000_000_000L;

    final CityConfig config;
    final ShuttleNetwork network;
    final DispatchLoop loop;
    final List<byte[]> out = new ArrayList<>();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final Input input = new Input();
    private final RecordingEgress egress = new RecordingEgress();
    private long sequence;
    long nowNs;

    /** The fleet, when {@link #startFleet} was called. */
    final TreeMap<Integer, Vehicle> fleet = new TreeMap<>();
    /** Latest answer per request id. */
    final TreeMap<Long, byte[]> answers = new TreeMap<>();
    final List<String> violations = new ArrayList<>();
    final TreeMap<Long, long[]> served = new TreeMap<>(); // request -> {pickupNs, dropoffNs}

    static long at(final int hour, final int minute)
    {
        return LocalDateTime.of(2026, 11, 25, hour, minute).atZone(ZoneId.of("Asia/Seoul")).toEpochSecond() * S;
    }

    DispatchDriver(final CityConfig config, final long startNs)
    {
        this(config, startNs, new DispatchLoop(config));
    }

    /** Drives a given loop (one restored from a snapshot, say). */
    DispatchDriver(final CityConfig config, final long startNs, final DispatchLoop loop)
    {
        this.config = config;
        this.network = ShuttleNetwork.from(config);
        this.loop = loop;
        this.nowNs = startNs;
    }

    List<byte[]> send(final int length)
    {
        final byte[] frame = Arrays.copyOf(buffer.byteArray(), length);
        final UnsafeBuffer copy = new UnsafeBuffer(frame);
        headerDecoder.wrap(copy, 0);
        input.wrap(sequence++, nowNs, headerDecoder.templateId(), headerDecoder.version(), headerDecoder.blockLength(), copy, 0, frame.length);
        egress.frames.clear();
        loop.onInput(input, egress);
        final List<byte[]> frames = new ArrayList<>(egress.frames);
        out.addAll(frames);
        for (final byte[] f : frames)
        {
            onOutput(f);
        }
        return frames;
    }

    List<byte[]> request(final long id, final int origin, final int destination, final long earliestNs, final int party, final int wheelchairs)
    {
        final RideRequestEncoder e = new RideRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .requestId(id).riderId(id + 100_000).originStopId(origin).destinationStopId(destination)
            .earliestPickupTimeNs(earliestNs).partySize((short)party).wheelchairs((short)wheelchairs);
        e.origin().eastMm(PositionEncoder.eastMmNullValue()).northMm(PositionEncoder.northMmNullValue());
        e.destination().eastMm(PositionEncoder.eastMmNullValue()).northMm(PositionEncoder.northMmNullValue());
        return send(MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    List<byte[]> requestAt(final long id, final double eastM, final double northM, final int destination, final long earliestNs)
    {
        final RideRequestEncoder e = new RideRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .requestId(id).riderId(id + 100_000).originStopId(RideRequestEncoder.originStopIdNullValue()).destinationStopId(destination)
            .earliestPickupTimeNs(earliestNs).partySize((short)1).wheelchairs((short)0);
        e.origin().eastMm((int)(eastM * 1000)).northMm((int)(northM * 1000));
        e.destination().eastMm(PositionEncoder.eastMmNullValue()).northMm(PositionEncoder.northMmNullValue());
        return send(MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    List<byte[]> cancel(final long id, final long rider)
    {
        final RideCancelEncoder e = new RideCancelEncoder().wrapAndApplyHeader(buffer, 0, header).requestId(id).riderId(rider);
        return send(MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    /** Violations name times relative to this. */
    long traceBase;

    /** A ShuttleState as the fleet's shuttle sends it: under the last plan it received (none for a shuttle not in the fleet). */
    List<byte[]> state(final int shuttleId, final ShuttleMode mode, final int lastStop, final int socPermille, final int passengers)
    {
        final Vehicle v = fleet.get(shuttleId);
        return state(shuttleId, mode, lastStop, socPermille, passengers, v == null ? ShuttleStateEncoder.planSeqNullValue() : v.planSeq);
    }

    /** A ShuttleState made under plan {@code planSeq} (ShuttlePlan.planSeq; null: a fleet that does not say). */
    List<byte[]> state(final int shuttleId, final ShuttleMode mode, final int lastStop, final int socPermille, final int passengers,
        final long planSeq)
    {
        final ShuttleStateEncoder e = new ShuttleStateEncoder().wrapAndApplyHeader(buffer, 0, header)
            .shuttleId(shuttleId).shuttleType(shuttleId >= 2000 ? ShuttleType.SIDEWALK : ShuttleType.ROAD).mode(mode)
            .lastStopId(lastStop < 0 ? ShuttleStateEncoder.lastStopIdNullValue() : lastStop)
            .speedCmPerS(0).socPermille(socPermille).passengers((short)passengers).wheelchairs((short)0).planSeq(planSeq);
        e.position().eastMm(0).northMm(0);
        return send(MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    List<byte[]> tick()
    {
        final TickEncoder e = new TickEncoder().wrapAndApplyHeader(buffer, 0, header).timeNs(nowNs).source(TickSource.SIMULATION);
        return send(MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength());
    }

    // ------------------------------------------------------------------------------------------ decoding

    static int templateOf(final byte[] frame)
    {
        return new MessageHeaderDecoder().wrap(new UnsafeBuffer(frame), 0).templateId();
    }

    static RideAssignmentDecoder assignment(final byte[] frame)
    {
        return new RideAssignmentDecoder().wrapAndApplyHeader(new UnsafeBuffer(frame), 0, new MessageHeaderDecoder());
    }

    static RideRejectionDecoder rejection(final byte[] frame)
    {
        return new RideRejectionDecoder().wrapAndApplyHeader(new UnsafeBuffer(frame), 0, new MessageHeaderDecoder());
    }

    static ShuttlePlanDecoder plan(final byte[] frame)
    {
        return new ShuttlePlanDecoder().wrapAndApplyHeader(new UnsafeBuffer(frame), 0, new MessageHeaderDecoder());
    }

    static RejectDecoder reject(final byte[] frame)
    {
        return new RejectDecoder().wrapAndApplyHeader(new UnsafeBuffer(frame), 0, new MessageHeaderDecoder());
    }

    static List<byte[]> only(final List<byte[]> frames, final int templateId)
    {
        final List<byte[]> result = new ArrayList<>();
        for (final byte[] f : frames)
        {
            if (templateOf(f) == templateId)
            {
                result.add(f);
            }
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------ fleet

    /** One planned stop as the fleet holds it. */
    record Entry(int stopId, StopAction action, long ref, long etaNs, long notBeforeNs)
    {
    }

    /** A shuttle of the perfect fleet. */
    final class Vehicle
    {
        final int id;
        final int group;
        final FleetGroup spec;
        int node;             // node index where it is or last was
        List<Entry> plan = new ArrayList<>();
        long departedNs;      // left node at (exact: the fleet moves in continuous time, reports on whole seconds)
        int target = -1;      // node index driving to, -1 when standing
        long arriveNs;
        boolean dwelling;
        long stopArrivedNs;
        long dwellEndNs;
        double socKwh;
        int riders;
        int wheelchairs;
        long lastReportNs;
        boolean charging;
        long planSeq = ShuttleStateEncoder.planSeqNullValue(); // of the last plan received
        double km;
        final TreeMap<Long, int[]> onBoard = new TreeMap<>(); // request -> {party, wheelchairs}

        Vehicle(final int id, final int group, final double socPercent)
        {
            this.id = id;
            this.group = group;
            this.spec = network.group(group);
            this.node = network.stopIndex(spec.depotStop());
            this.socKwh = spec.batteryKwh() * socPercent / 100;
        }

        int permille()
        {
            return (int)Math.round(socKwh / spec.batteryKwh() * 1000);
        }
    }

    /** Every shuttle of the configuration reports IDLE at its depot with the given state of charge. */
    void startFleet(final double socPercent)
    {
        for (int g = 0; g < network.groupCount(); g++)
        {
            final FleetGroup group = network.group(g);
            for (int k = 0; k < group.count(); k++)
            {
                final Vehicle v = new Vehicle(group.firstId() + k, g, socPercent);
                fleet.put(v.id, v);
                state(v.id, ShuttleMode.IDLE, network.nodeId(v.node), v.permille(), 0);
                v.lastReportNs = nowNs;
            }
        }
    }

    /** The pickup and drop-off ETAs of each request in the last RideAssignment. */
    final TreeMap<Long, long[]> promised = new TreeMap<>();
    final TreeMap<Long, long[]> asked = new TreeMap<>(); // request -> {origin, destination, earliestNs, party, wheelchairs}

    private void onOutput(final byte[] frame)
    {
        final int template = templateOf(frame);
        if (template == ShuttlePlanDecoder.TEMPLATE_ID)
        {
            final ShuttlePlanDecoder p = plan(frame);
            final Vehicle v = fleet.get((int)p.shuttleId());
            if (v == null)
            {
                return;
            }
            final List<Entry> entries = new ArrayList<>();
            for (final ShuttlePlanDecoder.StopsDecoder stop : p.stops())
            {
                entries.add(new Entry((int)stop.stopId(), stop.action(), stop.requestId(), stop.etaNs(), stop.notBeforeNs()));
            }
            if (v.target >= 0 && !entries.isEmpty() && network.stopIndex(entries.get(0).stopId()) != v.target)
            {
                violations.add("shuttle " + v.id + " driving to " + network.nodeId(v.target) + " got a plan starting at " + entries.get(0).stopId());
            }
            if (v.charging && (entries.isEmpty() || entries.get(0).action() != StopAction.CHARGE))
            {
                v.charging = false;
            }
            v.plan = entries;
            v.planSeq = p.planSeq();
        }
        else if (template == RideAssignmentDecoder.TEMPLATE_ID)
        {
            final RideAssignmentDecoder a = assignment(frame);
            answers.put(a.requestId(), frame);
            promised.put(a.requestId(), new long[] { a.pickupEtaNs(), a.dropoffEtaNs(), a.shuttleId() });
        }
        else if (template == RideRejectionDecoder.TEMPLATE_ID)
        {
            answers.put(rejection(frame).requestId(), frame);
        }
    }

    /** Advances the fleet and the loop one second: the fleet's reports first, then the Tick. */
    void step()
    {
        nowNs += S;
        for (final Vehicle v : fleet.values())
        {
            move(v);
        }
        tick();
    }

    void run(final long untilNs)
    {
        while (nowNs < untilNs)
        {
            step();
        }
    }

    private void move(final Vehicle v)
    {
        if (v.charging)
        {
            final double kw = config.mobility().chargers().stream().filter(c -> c.id() == v.plan.get(0).ref()).findFirst().orElseThrow().powerKw();
            v.socKwh = Math.min(v.spec.batteryKwh(), v.socKwh + kw / 3600);
            if (nowNs - v.lastReportNs >= 60 * S)
            {
                v.lastReportNs = nowNs;
                state(v.id, ShuttleMode.CHARGING, network.nodeId(v.node), v.permille(), v.riders);
            }
            return;
        }
        if (v.dwelling)
        {
            // the dwell ends dwellS after the later of the arrival and every pickup of this visit in the current plan
            // (a plan changed during the dwell may add one, or move some to a later visit)
            long waitUntil = v.stopArrivedNs;
            for (final Entry e : v.plan)
            {
                if (network.stopIndex(e.stopId()) != v.node)
                {
                    break;
                }
                if (e.action() == StopAction.PICKUP)
                {
                    waitUntil = Math.max(waitUntil, e.notBeforeNs());
                }
            }
            v.dwellEndNs = waitUntil + config.mobility().service().dwellS() * S;
            if (nowNs >= v.dwellEndNs)
            {
                v.dwelling = false;
                // board and alight every leading entry at this stop
                while (!v.plan.isEmpty() && network.stopIndex(v.plan.get(0).stopId()) == v.node && v.plan.get(0).action() != StopAction.CHARGE)
                {
                    final Entry e = v.plan.remove(0);
                    if (e.action() == StopAction.PICKUP || e.action() == StopAction.DROPOFF)
                    {
                        serve(v, e);
                    }
                }
                state(v.id, v.plan.isEmpty() ? ShuttleMode.IDLE : ShuttleMode.EN_ROUTE, network.nodeId(v.node), v.permille(), v.riders);
                v.lastReportNs = nowNs;
                if (!v.plan.isEmpty())
                {
                    // on to the next stop of the plan as it stands after the report, from the exact end of the dwell, unless
                    // DepartureRule holds it here (then it leaves from the standing branch below)
                    final long leaveNs = leaveNs(v);
                    if (leaveNs <= nowNs)
                    {
                        v.target = network.stopIndex(v.plan.get(0).stopId());
                        v.departedNs = Math.max(Math.max(v.dwellEndNs, nowNs - S), leaveNs); // a plan that shortened the dwell came last second at the latest
                        v.arriveNs = v.departedNs + (long)(network.timeS(v.group, v.node, v.target) * S);
                    }
                }
            }
            return;
        }
        if (v.target < 0)
        {
            if (v.plan.isEmpty())
            {
                if (nowNs - v.lastReportNs >= 60 * S)
                {
                    v.lastReportNs = nowNs;
                    state(v.id, ShuttleMode.IDLE, network.nodeId(v.node), v.permille(), v.riders);
                }
                return;
            }
            final long leaveNs = leaveNs(v);
            if (leaveNs > nowNs)
            {
                return; // DepartureRule: a first visit of pickups far ahead; the plan may still change
            }
            v.target = network.stopIndex(v.plan.get(0).stopId());
            v.departedNs = Math.max(nowNs - S, leaveNs); // the plan came in the previous second (or the rule let it go since)
            v.arriveNs = v.departedNs + (long)(network.timeS(v.group, v.node, v.target) * S);
        }
        if (nowNs >= v.arriveNs)
        {
            final double m = network.distanceM(v.group, v.node, v.target);
            v.km += m / 1000;
            v.socKwh -= m / 1000 * v.spec.consumptionKwhPerKm();
            if (v.socKwh < v.spec.batteryKwh() * v.spec.reservePercent() / 100 - 1e-6)
            {
                violations.add("shuttle " + v.id + " below its reserve: " + v.socKwh + " kWh");
            }
            v.node = v.target;
            v.target = -1;
            final Entry head = v.plan.get(0);
            if (head.action() == StopAction.CHARGE)
            {
                v.charging = true;
                v.lastReportNs = nowNs;
                state(v.id, ShuttleMode.CHARGING, head.stopId(), v.permille(), v.riders);
                return;
            }
            final boolean servesHere = v.plan.stream().takeWhile(e -> network.stopIndex(e.stopId()) == v.node)
                .anyMatch(e -> e.action() == StopAction.PICKUP || e.action() == StopAction.DROPOFF);
            if (head.action() == StopAction.REBALANCE && !servesHere)
            {
                v.plan.remove(0);
                state(v.id, v.plan.isEmpty() ? ShuttleMode.IDLE : ShuttleMode.EN_ROUTE, head.stopId(), v.permille(), v.riders);
                v.lastReportNs = nowNs;
                return;
            }
            state(v.id, ShuttleMode.DWELLING, head.stopId(), v.permille(), v.riders);
            long waitUntil = v.arriveNs;
            for (final Entry e : v.plan)
            {
                if (network.stopIndex(e.stopId()) != v.node)
                {
                    break;
                }
                if (e.action() == StopAction.PICKUP)
                {
                    waitUntil = Math.max(waitUntil, e.notBeforeNs());
                }
            }
            v.dwelling = true;
            v.stopArrivedNs = v.arriveNs;
            v.dwellEndNs = waitUntil + config.mobility().service().dwellS() * S;
        }
    }

    /** When a standing shuttle leaves for its plan's first stop: {@link DepartureRule} on the plan it holds. */
    private long leaveNs(final Vehicle v)
    {
        final int target = network.stopIndex(v.plan.get(0).stopId());
        if (target == v.node)
        {
            return DepartureRule.AT_ONCE;
        }
        long earliest = DepartureRule.AT_ONCE;
        for (final Entry e : v.plan)
        {
            if (network.stopIndex(e.stopId()) != target)
            {
                break;
            }
            if (e.action() == StopAction.PICKUP)
            {
                earliest = earliest == DepartureRule.AT_ONCE ? e.notBeforeNs() : Math.min(earliest, e.notBeforeNs());
            }
            else if (e.action() != StopAction.REBALANCE)
            {
                return DepartureRule.AT_ONCE;
            }
        }
        return DepartureRule.leaveNs(earliest, network.timeS(v.group, v.node, target));
    }

    private void serve(final Vehicle v, final Entry e)
    {
        final long[] ask = asked.get(e.ref());
        if (ask == null)
        {
            violations.add("shuttle " + v.id + " serves request " + e.ref() + ", which was never asked or was cancelled");
            return;
        }
        if (e.action() == StopAction.PICKUP)
        {
            // boards when the shuttle is there and the plan lets the rider on (the earliest pickup asked, or later
            // when the loop holds the boarding)
            final long pickupNs = Math.max(v.stopArrivedNs, Math.max(ask[2], e.notBeforeNs()));
            served.put(e.ref(), new long[] { pickupNs, 0 });
            v.riders += (int)ask[3];
            v.wheelchairs += (int)ask[4];
            v.onBoard.put(e.ref(), new int[] { (int)ask[3], (int)ask[4] });
            if (v.riders > v.spec.capacity() || v.wheelchairs > v.spec.wheelchairPlaces())
            {
                violations.add("shuttle " + v.id + " over capacity: " + v.riders + " riders, " + v.wheelchairs + " wheelchairs");
            }
            // within a second: the fleet reports on whole seconds, and the loop times the plan from those reports
            if (pickupNs > ask[2] + config.mobility().service().maxWaitS() * S + S)
            {
                violations.add("request " + e.ref() + " picked up " + (pickupNs - ask[2]) / S + " s after its earliest pickup");
            }
        }
        else if (e.action() == StopAction.DROPOFF)
        {
            final long[] times = served.get(e.ref());
            if (times == null || v.onBoard.remove(e.ref()) == null)
            {
                violations.add("request " + e.ref() + " dropped off by " + v.id + " without being on board");
                return;
            }
            final long arrivedNs = v.stopArrivedNs; // alights on arrival
            times[1] = arrivedNs;
            v.riders -= (int)ask[3];
            v.wheelchairs -= (int)ask[4];
            double directS = Double.POSITIVE_INFINITY;
            for (int g = 0; g < network.groupCount(); g++)
            {
                directS = Math.min(directS, network.timeS(g, network.stopIndex((int)ask[0]), network.stopIndex((int)ask[1])));
            }
            final double maxRideS = config.mobility().service().maxRideS(directS);
            // within two seconds: a ride time is the difference of two instants the loop knows only to the whole second
            // (the pickup from the DWELLING report after the arrival, the drop-off timed from later reports), each off by
            // up to a second. Seed -7032196188259 of DispatchPropertiesTest: the shuttle arrived for the pickup at
            // 1741.04 s, which the loop learned at 1742; at the drop-off's previous stop a re-plan at 2296 held a boarding
            // to 2296.0 though the shuttle had stood there since 2295.1: 648.86 s against 647.60 promised
            if ((arrivedNs - times[0]) / (double)S > maxRideS + 2)
            {
                violations.add("request " + e.ref() + " rode " + (arrivedNs - times[0]) / S + " s, more than " + maxRideS +
                    " (shuttle " + v.id + ", picked up t=" + (times[0] - traceBase) / S + ", off t=" + (arrivedNs - traceBase) / S + ")");
            }
        }
    }

    /** A request the fleet will be able to check (its origin, destination, earliest pickup, party). */
    List<byte[]> ask(final long id, final int origin, final int destination, final long earliestNs, final int party, final int wheelchairs)
    {
        asked.put(id, new long[] { origin, destination, Math.max(earliestNs, nowNs), party, wheelchairs });
        return request(id, origin, destination, earliestNs, party, wheelchairs);
    }
}
