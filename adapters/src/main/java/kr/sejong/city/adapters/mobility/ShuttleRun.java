package kr.sejong.city.adapters.mobility;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import kr.sejong.city.adapters.sim.CityClock;
import kr.sejong.city.adapters.sim.LocalFrame;
import kr.sejong.city.adapters.sim.LockstepIngress;
import kr.sejong.city.adapters.sim.SignalizedField;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.PositionEncoder;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.RideAssignmentDecoder;
import kr.sejong.city.codecs.RideCancelEncoder;
import kr.sejong.city.codecs.RideRejectReason;
import kr.sejong.city.codecs.RideRejectionDecoder;
import kr.sejong.city.codecs.RideRequestEncoder;
import kr.sejong.city.codecs.ShuttlePlanDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.config.Stop;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;

import static kr.sejong.city.adapters.sim.ReportMaps.ordered;

/**
 * Runs a {@link ShuttleScenario} through a node over Aeron, in logical time: the {@link RideDemand}'s requests
 * and cancels at their times, the {@link SimulatedFleet}'s ShuttleStates, a Tick every simulated second; the
 * node's ShuttlePlans go to the fleet, its RideAssignments and RideRejections are scored.
 * <ul>
 *   <li>First the city's signalised intersections ({@code IntersectionTopology}, from {@link SignalizedField}):
 *   the signal loop's SignalCommands, one per intersection per Tick, mark where each Tick's answers end. Step
 *   {@code k}: the fleet's reports of the second before (and of the plans applied at its start), the requests,
 *   cancels and bad inputs made in it, then Tick {@code k}; egress is read exactly up to Tick {@code k}'s last
 *   SignalCommand. Loops see an input in registration order, so what the dispatch loop says on a Tick after
 *   the signal loop is read at the next step: the fleet acts on it a second later, the same second in every
 *   run. The ingress order is the same in every run, so the node's egress is too.</li>
 *   <li>Plans read at step {@code k} are applied at Tick {@code k}'s time; the fleet then runs to the next Tick.</li>
 *   <li>After the scenario's hours no request is made; the run goes on (at most {@code drainMinutes}) until
 *   every ride assigned has ended.</li>
 * </ul>
 * Not thread-safe; one run per instance.
 */
public final class ShuttleRun
{
    private static final long SECOND_NS = CityClock.SECOND_NS;
    /** Ids of bad requests and cancels: far above any scenario's rides. */
    static final long BAD_ID_BASE = 900_000_000L;
    /** A duplicate's answer is a rejection read within this long; else what was read for its id. */
    static final long DUPLICATE_WATCH_NS = 5 * SECOND_NS;
    /** An assignment is re-sent when an ETA changes by a minute: later than the promise by more is late. */
    static final long PROMISE_SLACK_NS = 60 * SECOND_NS;

    private final CityConfig config;
    private final ShuttleScenario scenario;
    private final RideDemand demand;
    private final ShuttleNetwork network;
    private final SimulatedFleet fleet;
    private final long timeoutNs;
    private Subscription egressSubscription;
    private final ControlledFragmentAssembler readAheadAssembler = new ControlledFragmentAssembler(this::keepForLater);
    private final List<byte[]> readAhead = new ArrayList<>();
    private long awaitedRequest = -1;
    private boolean awaitedAnswered;
    private final ZoneId zoneId;
    private final ZoneRules zone;
    private final long startNs;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final RideAssignmentDecoder assignment = new RideAssignmentDecoder();
    private final RideRejectionDecoder rejection = new RideRejectionDecoder();
    private final ShuttlePlanDecoder plan = new ShuttlePlanDecoder();
    private final RejectDecoder reject = new RejectDecoder();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final RideRequestEncoder request = new RideRequestEncoder();
    private final RideCancelEncoder cancel = new RideCancelEncoder();

    private LockstepIngress lockstep;
    private final List<byte[]> pendingStates = new ArrayList<>();
    private final SimulatedFleet.StateSink stateSink = (timeNs, buffer, offset, length) ->
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        pendingStates.add(frame);
    };
    private long currentTickNs;

    /** Per ride, index {@code requestId - 1}. */
    private final Ride[] rides;
    private final Histogram roundTrip = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    private final Map<String, Long> cancelAnswers = new TreeMap<>();
    private final Map<String, Long> nodeRejects = new TreeMap<>();
    private final List<String> nodeRejectDetails = new ArrayList<>();
    private final Map<String, Long> rejectedAfterAssignment = new TreeMap<>();
    private final List<Bad> bad = new ArrayList<>();
    private final Long2ObjectHashMap<Bad> badById = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Bad> duplicateWatch = new Long2ObjectHashMap<>();
    private long assignmentsRead;
    private long rejectionsRead;
    private long plansRead;
    private long unknownAnswers;
    private long ticks;
    private long requestsSent;
    private long cancelsSent;
    private long statesSent;
    private long lastTickNs;
    private boolean drainedEarly;

    public ShuttleRun(final CityConfig config, final ShuttleScenario scenario, final long timeoutMs)
    {
        this.config = config;
        this.scenario = scenario;
        this.demand = new RideDemand(config, scenario);
        this.network = ShuttleNetwork.from(config);
        this.fleet = new SimulatedFleet(config, network, scenario.seed(), scenario.initialSocPercent(), scenario.travelTimeNoise());
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.zoneId = ZoneId.of(config.city().timeZone());
        this.zone = zoneId.getRules();
        this.startNs = scenario.startNs(zoneId);
        this.rides = new Ride[demand.rides().size()];
        for (final RideDemand.Ride r : demand.rides())
        {
            rides[(int)r.requestId() - 1] = new Ride(r);
        }
        int i = 0;
        for (final ShuttleScenario.BadInput b : scenario.badInputs())
        {
            final Bad entry = new Bad(b, scenario.atNs(zoneId, b.at()), BAD_ID_BASE + ++i);
            bad.add(entry);
        }
        bad.sort(Comparator.comparingLong(b -> b.atNs));
    }

    public RideDemand demand()
    {
        return demand;
    }

    public SimulatedFleet fleet()
    {
        return fleet;
    }

    /** The scenario's first instant, ns since the epoch. */
    public long startNs()
    {
        return startNs;
    }

    /** RideRequest offered to its first RideAssignment or RideRejection read, ns, one value per request answered. */
    public Histogram roundTrip()
    {
        return roundTrip;
    }

    /**
     * Run the whole scenario against the node behind {@code ingress} and {@code egress} (connected).
     *
     * @param progress called with the simulated hours done, every simulated quarter hour.
     */
    public void run(final ExclusivePublication ingress, final Subscription egress, final DoubleConsumer progress)
    {
        lockstep = new LockstepIngress(ingress, timeoutNs);
        egressSubscription = egress;
        final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this::onEgress);
        final SignalizedField signals = new SignalizedField(config, scenario.seed());
        lockstep.topologies(signals);
        final List<RideDemand.Ride> requests = demand.rides();
        final List<RideDemand.Ride> cancels = new ArrayList<>(requests.stream().filter(RideDemand.Ride::cancelled).toList());
        cancels.sort(Comparator.comparingLong(RideDemand.Ride::cancelNs).thenComparingLong(RideDemand.Ride::requestId));
        final long steps = scenario.durationNs() / SECOND_NS;
        final long lastStep = steps + scenario.drainMinutes() * 60L;
        int nextRequest = 0;
        int nextCancel = 0;
        int nextBad = 0;
        for (long k = 0; k <= lastStep; k++)
        {
            final long tickNs = startNs + k * SECOND_NS;
            if (k == 1)
            {
                fleet.start(startNs, stateSink);
            }
            if (k >= 1)
            {
                fleet.advanceTo(tickNs, stateSink);
            }
            flushStates();
            while (nextRequest < requests.size() && requests.get(nextRequest).requestNs() < tickNs)
            {
                sendRequest(requests.get(nextRequest++));
            }
            while (nextCancel < cancels.size() && cancels.get(nextCancel).cancelNs() < tickNs)
            {
                final RideDemand.Ride r = cancels.get(nextCancel++);
                sendCancel(r.requestId(), r.riderId());
                cancelsSent++;
                rides[(int)r.requestId() - 1].cancelSent = true;
            }
            while (nextBad < bad.size() && bad.get(nextBad).atNs < tickNs)
            {
                sendBad(bad.get(nextBad++), tickNs);
            }
            currentTickNs = tickNs;
            readAhead();
            lockstep.tickAndRead(tickNs, SECOND_NS, k, egress, assembler);
            ticks++;
            closeDuplicateWatches(tickNs);
            lastTickNs = tickNs;
            if (progress != null && k > 0 && k % 900 == 0)
            {
                progress.accept(k / 3600.0);
            }
            if (k >= steps && nothingUnderWay())
            {
                drainedEarly = k < lastStep;
                break;
            }
        }
        closeDuplicateWatches(Long.MAX_VALUE);
    }

    /** Every ride answered, and every ride assigned and not cancelled, rejected later or ended. */
    private boolean nothingUnderWay()
    {
        if (fleet.ridersOnBoard() > 0)
        {
            return false;
        }
        for (final Ride r : rides)
        {
            if (r.answer == Answer.NONE)
            {
                return false;
            }
            if (r.answer == Answer.ASSIGNED && !r.cancelledForGood() && r.laterRejection == null && fleet.riderLog(r.ride.requestId()).dropoffNs() < 0)
            {
                return false;
            }
        }
        return true;
    }

    private Action onEgress(final DirectBuffer buffer, final int offset, final int length, final Header fragmentHeader)
    {
        header.wrap(buffer, offset);
        if (header.schemaId() != SignalCommandDecoder.SCHEMA_ID)
        {
            return Action.CONTINUE;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (header.templateId())
        {
            case SignalCommandDecoder.TEMPLATE_ID:
                return lockstep.signalCommand();
            case RideAssignmentDecoder.TEMPLATE_ID:
                assignment.wrap(buffer, body, header.blockLength(), header.version());
                onAssignment();
                break;
            case RideRejectionDecoder.TEMPLATE_ID:
                rejection.wrap(buffer, body, header.blockLength(), header.version());
                onRejection();
                break;
            case ShuttlePlanDecoder.TEMPLATE_ID:
                plan.wrap(buffer, body, header.blockLength(), header.version());
                onPlan();
                break;
            case RejectDecoder.TEMPLATE_ID:
                reject.wrap(buffer, body, header.blockLength(), header.version());
                final String rejectReason = String.valueOf(reject.reason());
                nodeRejects.merge(rejectReason, 1L, Long::sum);
                final int template = reject.templateId();
                final String rejectDetail = reject.detail();
                if (nodeRejectDetails.size() < 10)
                {
                    nodeRejectDetails.add(rejectReason + " (template " + template + "): " + rejectDetail);
                }
                break;
            default:
                break;
        }
        return Action.CONTINUE;
    }

    private void onAssignment()
    {
        assignmentsRead++;
        final long id = assignment.requestId();
        final Bad b = id >= BAD_ID_BASE ? badById.get(id) : duplicateWatch.get(id);
        if (b != null)
        {
            if (b.input.kind() != ShuttleScenario.BadKind.DUPLICATE_REQUEST)
            {
                settle(b, "assigned");
                return;
            }
            b.assignmentSeen = true;
        }
        final Ride r = ride(id);
        if (r == null)
        {
            if (b == null)
            {
                unknownAnswers++;
            }
            return;
        }
        if (r.answer == Answer.NONE)
        {
            answered(r, Answer.ASSIGNED);
            r.firstPromisedPickupNs = assignment.pickupEtaNs();
        }
        else if (r.answer == Answer.REJECTED)
        {
            r.assignedAfterRejection = true;
        }
        r.assignments++;
        r.shuttleId = (int)assignment.shuttleId();
        r.pickupStopId = (int)assignment.pickupStopId();
        r.dropoffStopId = (int)assignment.dropoffStopId();
        r.lastPromisedPickupNs = assignment.pickupEtaNs();
        r.lastPromisedDropoffNs = assignment.dropoffEtaNs();
    }

    private void onRejection()
    {
        rejectionsRead++;
        final long id = rejection.requestId();
        final RideRejectReason reason = rejection.reason();
        final String detail = rejection.detail();
        final Bad b = id >= BAD_ID_BASE ? badById.get(id) : duplicateWatch.get(id);
        if (b != null)
        {
            final Ride original = b.input.kind() == ShuttleScenario.BadKind.DUPLICATE_REQUEST ? ride(id) : null;
            final boolean repeated = original != null && original.answer == Answer.REJECTED && original.rejection == reason;
            settle(b, repeated ? ShuttleScenario.SAME_ANSWER : ShuttleScenario.reasonText(reason));
            b.detail = detail;
            duplicateWatch.remove(id);
            return;
        }
        final Ride r = ride(id);
        if (r == null)
        {
            unknownAnswers++;
            return;
        }
        if (r.answer == Answer.NONE)
        {
            answered(r, Answer.REJECTED);
            r.rejection = reason;
            r.rejectionDetail = detail;
        }
        else if (r.cancelSent)
        {
            cancelAnswers.merge(ShuttleScenario.reasonText(reason), 1L, Long::sum);
            if (reason == RideRejectReason.ALREADY_PICKED_UP)
            {
                r.cancelRefused = true;
                fleet.cancelRefused(id);
            }
        }
        else
        {
            rejectedAfterAssignment.merge(ShuttleScenario.reasonText(reason), 1L, Long::sum);
            r.laterRejection = reason;
        }
    }

    private void onPlan()
    {
        plansRead++;
        final int shuttleId = (int)plan.shuttleId();
        final List<SimulatedFleet.PlanStop> stops = SimulatedFleet.PlanStop.of(plan);
        fleet.plan(shuttleId, plan.planSeq(), stops, currentTickNs, stateSink);
    }

    private void answered(final Ride r, final Answer answer)
    {
        r.answer = answer;
        final long readNs = r.answeredWallNs != 0 ? r.answeredWallNs : System.nanoTime();
        roundTrip.recordValue(Math.min(roundTrip.getHighestTrackableValue(), Math.max(0, readNs - r.offeredWallNs)));
    }

    private Ride ride(final long requestId)
    {
        return requestId >= 1 && requestId <= rides.length ? rides[(int)requestId - 1] : null;
    }

    private void sendRequest(final RideDemand.Ride r)
    {
        encodeRequest(r.requestId(), r.riderId(), r.origin(), r.destination(), r.earliestPickupNs(), r.partySize(), r.wheelchairs());
        fleet.rider(r.requestId(), r.earliestPickupNs(), r.partySize(), r.wheelchairs(), r.cancelNs());
        rides[(int)r.requestId() - 1].offeredWallNs = System.nanoTime();
        lockstep.offer(scratch, 0, MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
        requestsSent++;
        awaitAnswer(r.requestId());
    }

    /**
     * Each request is offered alone: the runner reads egress until the node has answered it before it sends the next
     * input, as requests spread over a second would arrive, instead of all of a second's requests at once (then each
     * would wait for the decisions on those before it, which measures the simulation's batching, not the node). The
     * frames read are kept in order and handled with the Tick's, at the same simulated moment as before: pacing changes
     * no decision and no figure but the latencies.
     */
    private void awaitAnswer(final long requestId)
    {
        awaitedRequest = requestId;
        awaitedAnswered = false;
        lockstep.readUntil(egressSubscription, readAheadAssembler, () -> awaitedAnswered, timeoutMs -> "no answer to RideRequest "
            + requestId + " within " + timeoutMs + " ms: is the node running the dispatch loop?");
        awaitedRequest = -1;
    }

    private Action keepForLater(final DirectBuffer buffer, final int offset, final int length, final Header fragmentHeader)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        readAhead.add(frame);
        header.wrap(buffer, offset);
        if (header.schemaId() == SignalCommandDecoder.SCHEMA_ID)
        {
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            final long answerTo = switch (header.templateId())
            {
                case RideAssignmentDecoder.TEMPLATE_ID -> assignment.wrap(buffer, body, header.blockLength(), header.version()).requestId();
                case RideRejectionDecoder.TEMPLATE_ID -> rejection.wrap(buffer, body, header.blockLength(), header.version()).requestId();
                default -> -1;
            };
            if (answerTo == awaitedRequest)
            {
                awaitedAnswered = true;
                final Ride r = ride(answerTo);
                if (r != null && r.answeredWallNs == 0)
                {
                    r.answeredWallNs = System.nanoTime(); // the round trip ends when the answer is read, not handled
                }
                return Action.BREAK; // the rest of the decision's frames stay on the subscription, in order
            }
        }
        return Action.CONTINUE;
    }

    /** The frames read while awaiting answers, handled in order before anything still on the subscription. */
    private void readAhead()
    {
        for (final byte[] frame : readAhead)
        {
            onEgress(new UnsafeBuffer(frame), 0, frame.length, null);
        }
        readAhead.clear();
    }

    private void encodeRequest(final long requestId, final long riderId, final RideDemand.Place origin, final RideDemand.Place destination,
        final long earliestPickupNs, final int partySize, final int wheelchairs)
    {
        encodeRequest(request, scratch, headerEncoder, requestId, riderId, origin, destination, earliestPickupNs, partySize, wheelchairs);
    }

    /** A RideRequest into {@code buffer} at 0, places as stops or positions; its length. */
    public static int encodeRequest(final RideRequestEncoder request, final MutableDirectBuffer buffer, final MessageHeaderEncoder header,
        final long requestId, final long riderId, final RideDemand.Place origin, final RideDemand.Place destination,
        final long earliestPickupNs, final int partySize, final int wheelchairs)
    {
        request.wrapAndApplyHeader(buffer, 0, header)
            .requestId(requestId)
            .riderId(riderId)
            .originStopId(origin.isStop() ? origin.stopId() : RideRequestEncoder.originStopIdNullValue())
            .destinationStopId(destination.isStop() ? destination.stopId() : RideRequestEncoder.destinationStopIdNullValue())
            .earliestPickupTimeNs(earliestPickupNs)
            .partySize((short)partySize)
            .wheelchairs((short)wheelchairs);
        position(request.origin(), origin);
        position(request.destination(), destination);
        return MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength();
    }

    private static void position(final PositionEncoder encoder, final RideDemand.Place place)
    {
        if (place.isStop())
        {
            encoder.eastMm(PositionEncoder.eastMmNullValue()).northMm(PositionEncoder.northMmNullValue());
        }
        else
        {
            encoder.eastMm(LocalFrame.mm(place.eastM())).northMm(LocalFrame.mm(place.northM()));
        }
    }

    private void sendCancel(final long requestId, final long riderId)
    {
        cancel.wrapAndApplyHeader(scratch, 0, headerEncoder).requestId(requestId).riderId(riderId);
        lockstep.offer(scratch, 0, MessageHeaderEncoder.ENCODED_LENGTH + cancel.encodedLength());
    }

    /** A deliberately bad input, otherwise a plain ride from a home stop to a BRT station. */
    private void sendBad(final Bad b, final long tickNs)
    {
        final RideDemand.Place home = place(Stop.Kind.FEEDER);
        final RideDemand.Place brt = place(Stop.Kind.BRT);
        final long nowNs = tickNs - SECOND_NS; // the node stamps it with the Tick before
        switch (b.input.kind())
        {
            case UNKNOWN_STOP ->
            {
                final RideDemand.Place unknown = new RideDemand.Place(unknownStopId(), home.eastM(), home.northM());
                sendBadRequest(b, unknown, brt, nowNs + 300 * SECOND_NS, 1);
            }
            case PICKUP_IN_PAST -> sendBadRequest(b, home, brt, nowNs - 600 * SECOND_NS, 1);
            case PARTY_TOO_LARGE ->
            {
                final int largest = config.mobility().fleet().stream().mapToInt(FleetGroup::capacity).max().orElse(0);
                sendBadRequest(b, home, brt, nowNs + 300 * SECOND_NS, largest + 1);
            }
            case DUPLICATE_REQUEST ->
            {
                Ride last = null;
                for (final Ride r : rides)
                {
                    if (r.answer != Answer.NONE)
                    {
                        last = r;
                    }
                }
                if (last == null)
                {
                    settle(b, "not sent: no request answered before it");
                    return;
                }
                final RideDemand.Ride r = last.ride;
                b.requestId = r.requestId();
                b.watchUntilNs = tickNs + DUPLICATE_WATCH_NS;
                duplicateWatch.put(r.requestId(), b);
                encodeRequest(r.requestId(), r.riderId(), r.origin(), r.destination(), r.earliestPickupNs(), r.partySize(), r.wheelchairs());
                lockstep.offer(scratch, 0, MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
            }
            case CANCEL_UNKNOWN ->
            {
                badById.put(b.requestId, b);
                sendCancel(b.requestId, 1);
            }
        }
        b.sent = true;
    }

    private void sendBadRequest(final Bad b, final RideDemand.Place origin, final RideDemand.Place destination, final long earliestPickupNs,
        final int partySize)
    {
        badById.put(b.requestId, b);
        encodeRequest(b.requestId, 1, origin, destination, earliestPickupNs, partySize, 0);
        lockstep.offer(scratch, 0, MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
    }

    private void closeDuplicateWatches(final long nowNs)
    {
        for (final Bad b : bad)
        {
            if (b.got == null && b.watchUntilNs > 0 && b.watchUntilNs <= nowNs)
            {
                duplicateWatch.remove(b.requestId);
                settle(b, b.assignmentSeen ? ShuttleScenario.SAME_ANSWER : "no answer");
            }
        }
    }

    private void settle(final Bad b, final String got)
    {
        if (b.got == null)
        {
            b.got = got;
        }
    }

    /** The first stop of a kind (the first stop when the city has none of that kind), for the bad inputs. */
    private RideDemand.Place place(final Stop.Kind kind)
    {
        final List<Stop> stops = config.mobility().stops();
        final Stop found = stops.stream().filter(stop -> stop.kind() == kind).findFirst().orElse(stops.get(0));
        return new RideDemand.Place(found.id(), found.eastM(), found.northM());
    }

    private int unknownStopId()
    {
        int id = 999_999;
        while (network.index(id) >= 0)
        {
            id++;
        }
        return id;
    }

    private void flushStates()
    {
        for (final byte[] frame : pendingStates)
        {
            scratch.putBytes(0, frame);
            lockstep.offer(scratch, 0, frame.length);
        }
        statesSent += pendingStates.size();
        pendingStates.clear();
    }



    /** The scores and counts of the run (the node's own latency is the caller's to add). */
    public Map<String, Object> figures()
    {
        final Mobility.Service service = config.mobility().service();
        final Map<String, Object> f = new LinkedHashMap<>();
        final Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("requests", requestsSent);
        inputs.put("cancels", cancelsSent);
        inputs.put("badInputs", bad.stream().filter(b -> b.sent).count());
        inputs.put("shuttleStates", statesSent);
        inputs.put("ticks", ticks);
        inputs.put("simulatedUntil", localTime(lastTickNs));
        inputs.put("endedBeforeTheDrainLimit", drainedEarly);
        f.put("inputs", inputs);

        long answered = 0;
        long assigned = 0;
        long rejected = 0;
        long cancelled = 0;
        long served = 0;
        long assignedNotPickedUp = 0;
        final List<String> notPickedUpExamples = new ArrayList<>();
        long assignedThenCancelled = 0;
        long onBoardAtEnd = 0;
        long assignedAfterRejection = 0;
        long assignmentMessages = 0;
        final Map<String, Long> byReason = new TreeMap<>();
        final List<Long> unanswered = new ArrayList<>();
        final List<Double> waits = new ArrayList<>();
        final List<Double> peakWaits = new ArrayList<>();
        final List<Double> rideTimes = new ArrayList<>();
        final List<Double> detours = new ArrayList<>();
        final List<Double> lateness = new ArrayList<>();
        long lateVsLast = 0;
        long lateDropoffs = 0;
        long elsewhereThanAssigned = 0;
        long lateVsFirst = 0;
        long beyondMaxWait = 0;
        long beyondMaxRide = 0;
        long withoutAssignedStops = 0;
        final List<String> rejectionExamples = new ArrayList<>();
        for (final Ride r : rides)
        {
            if (r.cancelledForGood())
            {
                cancelled++;
            }
            assignmentMessages += r.assignments;
            assignedAfterRejection += r.assignedAfterRejection ? 1 : 0;
            switch (r.answer)
            {
                case NONE ->
                {
                    if (unanswered.size() < 20)
                    {
                        unanswered.add(r.ride.requestId());
                    }
                    continue;
                }
                case REJECTED ->
                {
                    answered++;
                    rejected++;
                    byReason.merge(ShuttleScenario.reasonText(r.rejection), 1L, Long::sum);
                    if (rejectionExamples.size() < 10)
                    {
                        rejectionExamples.add("request " + r.ride.requestId() + ": " + r.rejection + " " + r.rejectionDetail);
                    }
                    continue;
                }
                case ASSIGNED ->
                {
                    answered++;
                    assigned++;
                }
            }
            if (r.cancelledForGood())
            {
                assignedThenCancelled++;
            }
            final SimulatedFleet.RiderLog log = fleet.riderLog(r.ride.requestId());
            if (log.pickupNs() < 0)
            {
                if (!r.cancelledForGood() && r.laterRejection == null)
                {
                    assignedNotPickedUp++;
                    if (notPickedUpExamples.size() < 10)
                    {
                        notPickedUpExamples.add("request " + r.ride.requestId() + ": shuttle " + r.shuttleId + " at stop " + r.pickupStopId
                            + ", promised " + localTime(r.lastPromisedPickupNs) + ", earliest " + localTime(r.ride.earliestPickupNs()));
                    }
                }
                continue;
            }
            final double waitS = (log.pickupNs() - r.ride.earliestPickupNs()) / 1e9;
            waits.add(waitS);
            final double pickupHour = CityClock.localHourOfDay(zone, r.ride.earliestPickupNs());
            if (pickupHour >= 7 && pickupHour < 9)
            {
                peakWaits.add(waitS);
            }
            if (waitS > service.maxWaitS())
            {
                beyondMaxWait++;
            }
            if (log.pickupNs() > r.lastPromisedPickupNs + PROMISE_SLACK_NS)
            {
                lateVsLast++;
            }
            if (log.pickupNs() > r.firstPromisedPickupNs + PROMISE_SLACK_NS)
            {
                lateVsFirst++;
            }
            lateness.add(Math.max(0, log.pickupNs() - r.firstPromisedPickupNs) / 1e9);
            if (log.pickupStopId() != r.pickupStopId)
            {
                elsewhereThanAssigned++;
            }
            if (log.dropoffNs() < 0)
            {
                onBoardAtEnd++;
                continue;
            }
            served++;
            if (log.dropoffNs() > r.lastPromisedDropoffNs + PROMISE_SLACK_NS)
            {
                lateDropoffs++;
            }
            if (log.dropoffStopId() != r.dropoffStopId)
            {
                elsewhereThanAssigned++;
            }
            final double rideS = (log.dropoffNs() - log.pickupNs()) / 1e9;
            rideTimes.add(rideS);
            final int g = network.groupOf(log.shuttleId());
            final int from = network.index(log.pickupStopId());
            final int to = network.index(log.dropoffStopId());
            if (g < 0 || from < 0 || to < 0)
            {
                withoutAssignedStops++;
                continue;
            }
            final double directS = network.timeS(g, from, to);
            if (directS > 0 && directS != ShuttleNetwork.UNREACHABLE)
            {
                detours.add(rideS / directS);
                if (rideS > service.maxRideS(directS))
                {
                    beyondMaxRide++;
                }
            }
        }
        final Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("answered", answered);
        answers.put("unanswered", rides.length - answered);
        answers.put("unansweredExamples", unanswered);
        answers.put("assigned", assigned);
        answers.put("rejected", rejected);
        answers.put("rejectedByReason", byReason);
        answers.put("rejectionExamples", rejectionExamples);
        answers.put("assignmentMessages", assignmentMessages);
        answers.put("rejectedAfterAssignment", rejectedAfterAssignment);
        answers.put("assignedAfterRejection", assignedAfterRejection);
        answers.put("cancelsAnsweredWithRejection", cancelAnswers);
        answers.put("answersForUnknownRequests", unknownAnswers);
        answers.put("nodeRejects", nodeRejects);
        answers.put("nodeRejectExamples", nodeRejectDetails);
        answers.put("messagesRead", ordered("RideAssignment", assignmentsRead, "RideRejection", rejectionsRead, "ShuttlePlan", plansRead));
        f.put("answers", answers);

        final Map<String, Object> ridesFig = new LinkedHashMap<>();
        ridesFig.put("requests", rides.length);
        ridesFig.put("cancelled", cancelled);
        ridesFig.put("cancelsRefusedRiddenAfterAll", Arrays.stream(rides).filter(r -> r.cancelRefused).count());
        ridesFig.put("served", served);
        ridesFig.put("servedShare", rides.length - cancelled > 0 ? round(served / (double)(rides.length - cancelled)) : null);
        ridesFig.put("measured", "servedShare: dropped off / requests not cancelled; served: dropped off; a cancel the loop refused (ALREADY_PICKED_UP) is ridden after all");
        ridesFig.put("assignedThenCancelled", assignedThenCancelled);
        ridesFig.put("assignedNeverPickedUp", assignedNotPickedUp);
        ridesFig.put("assignedNeverPickedUpExamples", notPickedUpExamples);
        ridesFig.put("onBoardAtEnd", onBoardAtEnd);
        ridesFig.put("servedWithoutKnownStops", withoutAssignedStops);
        ridesFig.put("pickupsOrDropoffsElsewhereThanAssigned", elsewhereThanAssigned);
        f.put("rides", ridesFig);

        f.put("waitS", stats(waits, "actual pickup - earliest pickup time, rides picked up"));
        f.put("peakHourMeanWaitS", peakWaits.isEmpty() ? null : round(peakWaits.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        f.put("rideTimeS", stats(rideTimes, "drop-off - pickup, rides served"));
        f.put("detour", stats(detours, "ride time / the serving group's direct time between the two stops (no noise, no dwell)"));
        final Map<String, Object> promises = new LinkedHashMap<>();
        promises.put("latePickupsVsLastPromise", lateVsLast);
        promises.put("latePickupsVsFirstPromise", lateVsFirst);
        promises.put("pickupLatenessVsFirstPromiseS", stats(lateness, "actual pickup - first promised pickup ETA, 0 when on time or early"));
        promises.put("lateDropoffsVsLastPromise", lateDropoffs);
        promises.put("pickupsBeyondMaxWait", beyondMaxWait);
        promises.put("ridesBeyondMaxRideTime", beyondMaxRide);
        promises.put("measured", "late: picked up more than 60 s after the promised pickup ETA (RideAssignment); maxWait: service.maxWaitS after the "
            + "earliest pickup; max ride time: service.rideTimeFactor x direct + rideTimeOffsetS");
        f.put("promises", promises);
        f.put("fleet", fleet.figures(lastTickNs));

        final List<Map<String, Object>> badList = new ArrayList<>();
        long asExpected = 0;
        for (final Bad b : bad)
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", b.input.at().toString());
            m.put("kind", b.input.kind().yaml());
            m.put("requestId", b.requestId);
            m.put("expected", b.input.expectedText());
            m.put("got", b.got != null ? b.got : (b.sent ? "no answer" : "not sent (after the run's end)"));
            m.put("detail", b.detail);
            final boolean ok = b.input.expectedText().equals(b.got);
            m.put("asExpected", ok);
            asExpected += ok ? 1 : 0;
            badList.add(m);
        }
        final Map<String, Object> badFig = new LinkedHashMap<>();
        badFig.put("sent", bad.stream().filter(b -> b.sent).count());
        badFig.put("answeredAsExpected", asExpected);
        badFig.put("list", badList);
        f.put("badInputs", badFig);
        return f;
    }

    private String localTime(final long epochNs)
    {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(epochNs, SECOND_NS)).atZone(zoneId).toLocalTime().toString();
    }

    /** p50, p95, mean, max and count of the values (nearest rank), nulls when there are none. */
    static Map<String, Object> stats(final List<Double> values, final String measured)
    {
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", percentile(sorted, 50));
        m.put("p95", percentile(sorted, 95));
        m.put("mean", sorted.length == 0 ? null : round(Arrays.stream(sorted).average().orElse(0)));
        m.put("max", sorted.length == 0 ? null : round(sorted[sorted.length - 1]));
        m.put("count", sorted.length);
        m.put("measured", measured);
        return m;
    }

    static Double percentile(final double[] sorted, final double percent)
    {
        if (sorted.length == 0)
        {
            return null;
        }
        final int rank = (int)Math.ceil(percent / 100.0 * sorted.length);
        return round(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
    }

    private static double round(final double v)
    {
        return Math.round(v * 100) / 100.0;
    }

    private enum Answer
    {
        NONE, ASSIGNED, REJECTED
    }

    /** What the runner learnt about one ride. */
    private static final class Ride
    {
        final RideDemand.Ride ride;
        long offeredWallNs;
        long answeredWallNs;
        Answer answer = Answer.NONE;
        RideRejectReason rejection;
        String rejectionDetail;
        RideRejectReason laterRejection;
        boolean assignedAfterRejection;
        boolean cancelSent;
        /** The loop refused the cancel (the shuttle was at the stop): the rider rides after all. */
        boolean cancelRefused;

        boolean cancelledForGood()
        {
            return ride.cancelled() && !cancelRefused;
        }
        int assignments;
        int shuttleId = -1;
        int pickupStopId = -1;
        int dropoffStopId = -1;
        long firstPromisedPickupNs;
        long lastPromisedPickupNs;
        long lastPromisedDropoffNs;

        Ride(final RideDemand.Ride ride)
        {
            this.ride = ride;
        }
    }

    /** A deliberately bad input, and what it got. */
    private static final class Bad
    {
        final ShuttleScenario.BadInput input;
        final long atNs;
        long requestId;
        boolean sent;
        long watchUntilNs;
        boolean assignmentSeen;
        String got;
        String detail;

        Bad(final ShuttleScenario.BadInput input, final long atNs, final long requestId)
        {
            this.input = input;
            this.atNs = atNs;
            this.requestId = requestId;
        }
    }
}
