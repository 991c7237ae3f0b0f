package kr.sejong.city.adapters.twin;

import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import kr.sejong.city.adapters.twin.traci.ControlledLink;
import kr.sejong.city.adapters.twin.traci.SumoException;
import kr.sejong.city.adapters.twin.traci.SumoProcess;
import kr.sejong.city.adapters.twin.traci.TraciClient;
import kr.sejong.city.adapters.twin.traci.TraciException;
import kr.sejong.city.adapters.twin.traci.TrafficLightProgram;
import kr.sejong.city.adapters.twin.traci.VariableSubscription;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.PriorityStatusCode;
import kr.sejong.city.codecs.PriorityStatusDecoder;
import kr.sejong.city.codecs.RejectDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static kr.sejong.city.adapters.twin.traci.TraciConstants.*;

/**
 * The SUMO digital twin: starts SUMO on a scenario, and runs it in lockstep with the control node as the
 * contract says (docs/signal-twin-protocol.md), or, in {@link TwinMode#FIXED_TIME_REFERENCE}, lets SUMO
 * run its own programs without the node. Either way it keeps the run's metrics ({@link TwinReport}).
 * <h2>Lockstep</h2>
 * <ol>
 *   <li>One IntersectionTopology per traffic light, intersection ids 1, 2, 3 ... in ascending order of the
 *   SUMO id; then the OperatorAction with the control mode.</li>
 *   <li>Every step: one LaneObservations per intersection (the state after the last step), then a Tick
 *   (source SIMULATION, timeNs = epoch offset + simulation time, periodNs = step length, tickNumber = step
 *   index). Then exactly one SignalCommand per intersection is awaited on egress (other egress messages
 *   are ignored; a Reject stops the run naming it; so does a missing command after
 *   {@link Context#commandTimeoutMs}); the states are set with setRedYellowGreenState and SUMO steps.</li>
 *   <li>With {@link Context#priorityRequests} (the default), the {@link OnBoardUnits} of the emergency vehicles
 *   and buses send their PriorityRequests after the LaneObservations and before the Tick, so the node answers
 *   them within that tick: each must be answered by a PriorityStatus (same requestId and intersectionId)
 *   before the tick's SignalCommands. Statuses are counted per code; a request still unanswered when the
 *   commands are all in counts as a missing status (the run goes on).</li>
 * </ol>
 * The run goes to the scenario's end, then on until every vehicle has arrived, at most
 * {@link Context#maxDrainS} more. What SUMO actually shows is read back every step and checked by a
 * {@link SafetyCheck} per light.
 * <p>
 * Not an Agrona agent: SUMO and the node take turns, so one thread drives both, blocking on each.
 */
public final class TwinAdapter
{
    private final Context ctx;

    public TwinAdapter(final Context ctx)
    {
        ctx.conclude();
        this.ctx = ctx;
    }

    public Context context()
    {
        return ctx;
    }

    /**
     * Run the scenario to its end and return what was measured.
     *
     * @throws TwinInputException          bad config or network (including no traffic lights).
     * @throws kr.sejong.city.adapters.twin.traci.SumoNotInstalledException no sumo to run.
     * @throws SumoException               SUMO died or would not start (with the end of its stderr).
     * @throws TwinException               the node rejected a frame, the loop did not answer in time or answered wrongly,
     *                                     or SUMO refused a command (while still running).
     */
    public TwinReport run()
    {
        final long wallStartNs = System.nanoTime();
        final SumoConfigFile config = SumoConfigFile.read(ctx.sumoConfig());
        final NetworkModel network = NetworkModel.load(config.netFile());
        final double endS = Double.isNaN(ctx.endTimeS()) ? config.endS() : ctx.endTimeS();
        if (Double.isNaN(endS))
        {
            throw new TwinInputException("SUMO config " + ctx.sumoConfig() + " gives no end time (<time><end value=\"...\"/>): "
                + "set the twin's endTimeS");
        }
        final SumoProcess.Context sumoCtx = new SumoProcess.Context()
            .binary(ctx.sumoBinary())
            .configFile(ctx.sumoConfig())
            .seed(ctx.seed())
            .logName(config.scenarioName())
            .addArguments("--end", Double.toString(endS + ctx.maxDrainS() + 60.0));
        if (ctx.logDir() != null)
        {
            sumoCtx.logDir(ctx.logDir());
        }
        sumoCtx.arguments().addAll(ctx.sumoArguments());
        try (SumoProcess sumo = SumoProcess.start(sumoCtx))
        {
            try
            {
                return new Run(ctx, config, network, sumo, endS, wallStartNs).execute();
            }
            catch (final TraciException ex)
            {
                final SumoException failure = sumo.failure(ex.getMessage(), ex);
                if (!sumo.isAlive())
                {
                    throw failure; // "SUMO died: <stderr>"
                }
                throw new TwinException("SUMO refused a command: " + ex.getMessage(), ex);
            }
        }
    }

    /** One run: SUMO, the node's streams, the checks and the counters. */
    private static final class Run implements FragmentHandler
    {
        private final Context ctx;
        private final SumoConfigFile config;
        private final SumoProcess sumo;
        private final TraciClient traci;
        private final double endS;
        private final long wallStartNs;
        private NetworkModel network;
        private TrafficLight[] lights;
        private SafetyCheck[] safety;
        private VariableSubscription[] lightStates;
        private VariableSubscription[][] laneValues;
        /** Per light and controlled lane, where its detection zone's upstream lanes are in {@link #laneValues}. */
        private int[][][] zoneLanes;
        private VariableSubscription simulation;
        private VehicleLedger ledger;
        private OnBoardUnits onBoardUnits;
        private String sumoVersion;
        private double stepLengthS;

        // lockstep
        private final TwinFrames frames = new TwinFrames();
        private final FragmentAssembler assembler = new FragmentAssembler(this);
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final SignalCommandDecoder command = new SignalCommandDecoder();
        private final RejectDecoder reject = new RejectDecoder();
        private final PriorityStatusDecoder priorityStatus = new PriorityStatusDecoder();
        /** Requests of this step still waiting for their PriorityStatus: requestId to intersectionId. */
        private final Long2LongHashMap unanswered = new Long2LongHashMap(-1L);
        private final long[] requestsByType = new long[PriorityRequestType.values().length];
        private final long[] statusesByCode = new long[PriorityStatusCode.values().length];
        private long requestsSent;
        private long missingStatuses;
        private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        private String[] lightIds;
        private String[] commandStates;
        private int commandsReceived;
        private long tickOfferNs;
        private long tickNumber;
        private TwinException egressError;
        private long commands;
        private long safetyOverrides;
        private long fallbackCommands;
        private int[] vehicles = new int[0];
        private int[] halting = new int[0];
        private int[] occupancy = new int[0];
        private int[] speed = new int[0];

        private long collisions;
        private long teleports;
        private long lastProgressNs;
        /** The lights reached through field devices ({@link Context#fieldBridge}), or null: straight over Aeron. */
        private final FieldBridge bridge;
        private boolean controlModeSent;

        Run(final Context ctx, final SumoConfigFile config, final NetworkModel network, final SumoProcess sumo, final double endS,
            final long wallStartNs)
        {
            this.ctx = ctx;
            this.config = config;
            this.network = network;
            this.sumo = sumo;
            this.traci = sumo.client();
            this.endS = endS;
            this.wallStartNs = wallStartNs;
            this.bridge = ctx.fieldBridge();
        }

        TwinReport execute()
        {
            sumoVersion = sumo.version().sumoVersion();
            crossCheckWithSumo();
            subscribe();
            final boolean lockstep = ctx.mode() == TwinMode.LOCKSTEP;
            if (lockstep)
            {
                awaitConnected();
                announce();
            }
            else
            {
                observeLights(timeMs(simulation.number(VAR_TIME)));
            }

            while (true)
            {
                final double timeS = simulation.number(VAR_TIME);
                if (timeS >= endS && (simulation.integer(VAR_MIN_EXPECTED_VEHICLES) == 0 || timeS >= endS + ctx.maxDrainS()))
                {
                    break;
                }
                if (lockstep)
                {
                    publishObservations(timeS);
                    publishPriorityRequests();
                    publishTick(timeS);
                    awaitCommands(timeS);
                    missingStatuses += unanswered.size(); // the contract: answered before the tick's commands
                    unanswered.clear();
                    if (bridge != null)
                    {
                        // what SUMO shows is what the controllers show: their answer to the commands
                        bridge.awaitShown(tickNumber, commandStates, commandStates);
                    }
                    traci.setTrafficLightStates(lightIds, commandStates, lightIds.length);
                }
                traci.simulationStep();
                tickNumber++;
                final double nowS = simulation.number(VAR_TIME);
                ledger.onStep(timeS, stepLengthS, simulation.list(VAR_PENDING_VEHICLES), simulation.list(VAR_DEPARTED_VEHICLES_IDS),
                    simulation.list(VAR_ARRIVED_VEHICLES_IDS));
                collisions += simulation.integer(VAR_COLLIDING_VEHICLES_NUMBER);
                teleports += simulation.integer(VAR_TELEPORT_STARTING_VEHICLES_NUMBER);
                // lockstep: the state read back is the one set before the step, shown from its start;
                // SUMO's own program: the state after the step, shown from its end
                observeLights(timeMs(lockstep ? timeS : nowS));
                if (ctx.stepListener() != null)
                {
                    ctx.stepListener().accept(nowS);
                }
                progress(nowS, false);
            }
            progress(simulation.number(VAR_TIME), true);
            return report();
        }

        private static long timeMs(final double timeS)
        {
            return Math.round(timeS * 1000.0);
        }

        /** The network file and SUMO must agree on every light's links; SUMO's running program is the own program. */
        private void crossCheckWithSumo()
        {
            final Set<String> sumoLights = new LinkedHashSet<>(traci.trafficLightIds());
            for (final TrafficLight light : network.trafficLights())
            {
                if (!sumoLights.contains(light.id()))
                {
                    throw new TwinException("traffic light " + light.id() + " of " + network.netFile() + " is unknown to SUMO");
                }
                final List<List<ControlledLink>> links = traci.trafficLightControlledLinks(light.id());
                if (links.size() != light.movementCount())
                {
                    throw new TwinException("traffic light " + light.id() + ": SUMO reports " + links.size()
                        + " controlled links, the network file " + light.movementCount());
                }
                for (int i = 0; i < links.size(); i++)
                {
                    final TrafficLight.Movement movement = light.movements().get(i);
                    final boolean agree = links.get(i).isEmpty() ? !movement.used()
                        : links.get(i).get(0).fromLane().equals(movement.fromLane()) && links.get(i).get(0).toLane().equals(movement.toLane());
                    if (!agree)
                    {
                        throw new TwinException("traffic light " + light.id() + " link " + i + ": SUMO controls " + links.get(i)
                            + ", the network file says " + movement.fromLane() + " -> " + movement.toLane());
                    }
                }
                final TrafficLightProgram running = traci.trafficLightCurrentProgram(light.id());
                if (!sameProgram(running, light.program()))
                {
                    // an additional file replaced the program: the one SUMO runs at start is the own program
                    final List<TrafficLight.Phase> phases = new ArrayList<>();
                    for (final TrafficLightProgram.Phase phase : running.phases())
                    {
                        final long durationMs = timeMs(phase.durationS());
                        phases.add(new TrafficLight.Phase(durationMs, phase.minDurS() < 0 ? durationMs : timeMs(phase.minDurS()),
                            phase.maxDurS() < 0 ? durationMs : timeMs(phase.maxDurS()), phase.state()));
                    }
                    network = network.with(light.withProgram(
                        new TrafficLight.Program(running.programId(), Integer.toString(running.type()), 0, phases)));
                }
            }
            lights = network.trafficLights().toArray(TrafficLight[]::new);
        }

        private static boolean sameProgram(final TrafficLightProgram running, final TrafficLight.Program own)
        {
            if (!running.programId().equals(own.programId()) || running.phases().size() != own.phases().size())
            {
                return false;
            }
            for (int p = 0; p < own.phases().size(); p++)
            {
                if (!running.phases().get(p).state().equals(own.phases().get(p).state())
                    || timeMs(running.phases().get(p).durationS()) != own.phases().get(p).durationMs())
                {
                    return false;
                }
            }
            return true;
        }

        private void subscribe()
        {
            stepLengthS = traci.simulationDeltaT();
            simulation = traci.subscribeSimulation(VAR_TIME, VAR_MIN_EXPECTED_VEHICLES, VAR_DEPARTED_VEHICLES_IDS,
                VAR_ARRIVED_VEHICLES_IDS, VAR_PENDING_VEHICLES, VAR_COLLIDING_VEHICLES_NUMBER, VAR_TELEPORT_STARTING_VEHICLES_NUMBER);
            final int n = lights.length;
            lightIds = new String[n];
            commandStates = new String[n];
            safety = new SafetyCheck[n];
            lightStates = new VariableSubscription[n];
            laneValues = new VariableSubscription[n][];
            zoneLanes = new int[n][][];
            int maxLanes = 0;
            final List<String> lightIdList = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                final TrafficLight light = lights[i];
                lightIds[i] = light.id();
                lightIdList.add(light.id());
                safety[i] = new SafetyCheck(light, ctx.yellowMinMs(), ctx.allRedMs());
                maxLanes = Math.max(maxLanes, light.lanes().size());
                // the controlled lanes first (laneValues[i][l] is lane l), then the lanes of their detection zones, once each
                final java.util.LinkedHashMap<String, Integer> observed = new java.util.LinkedHashMap<>();
                light.lanes().forEach(lane -> observed.put(lane.id(), observed.size()));
                zoneLanes[i] = new int[light.lanes().size()][];
                for (int l = 0; l < light.lanes().size(); l++)
                {
                    final List<String> upstream = light.lanes().get(l).upstream();
                    zoneLanes[i][l] = new int[upstream.size()];
                    for (int u = 0; u < upstream.size(); u++)
                    {
                        zoneLanes[i][l][u] = observed.computeIfAbsent(upstream.get(u), k -> observed.size());
                    }
                }
                final List<String> laneIds = new ArrayList<>(observed.keySet());
                // a lane seen by two lights gets one subscription: SUMO keeps one per object
                laneValues[i] = new VariableSubscription[laneIds.size()];
                final List<VariableSubscription> subscribed = traci.subscribeAll(CMD_GET_LANE_VARIABLE, laneIds,
                    LAST_STEP_VEHICLE_NUMBER, LAST_STEP_VEHICLE_HALTING_NUMBER, LAST_STEP_OCCUPANCY, LAST_STEP_MEAN_SPEED);
                for (int l = 0; l < laneIds.size(); l++)
                {
                    laneValues[i][l] = subscribed.get(l);
                }
            }
            final List<VariableSubscription> states = traci.subscribeAll(CMD_GET_TL_VARIABLE, lightIdList, TL_RED_YELLOW_GREEN_STATE);
            for (int i = 0; i < n; i++)
            {
                lightStates[i] = states.get(i);
            }
            fixSharedLaneSubscriptions();
            vehicles = new int[maxLanes];
            halting = new int[maxLanes];
            occupancy = new int[maxLanes];
            speed = new int[maxLanes];
            final Set<String> signalLanes = new HashSet<>();
            for (final TrafficLight light : lights)
            {
                for (final TrafficLight.Lane lane : light.lanes())
                {
                    if (!lane.pedestrian())
                    {
                        signalLanes.add(lane.id());
                    }
                }
            }
            if (ctx.mode() == TwinMode.LOCKSTEP && ctx.priorityRequests())
            {
                onBoardUnits = new OnBoardUnits(traci, List.of(lights), ctx.requestDistanceM(), ctx.obuIdBases(), ctx.busPriorityRequests());
            }
            ledger = new VehicleLedger(traci, signalLanes, ctx.busLateThresholdS(), onBoardUnits);
        }

        /** When two lights share a lane, the later subscription replaced the earlier one: point both at it. */
        private void fixSharedLaneSubscriptions()
        {
            final java.util.Map<String, VariableSubscription> latest = new java.util.HashMap<>();
            for (final VariableSubscription[] perLight : laneValues)
            {
                for (final VariableSubscription subscription : perLight)
                {
                    latest.put(subscription.objectId(), subscription);
                }
            }
            for (final VariableSubscription[] perLight : laneValues)
            {
                for (int l = 0; l < perLight.length; l++)
                {
                    perLight[l] = latest.get(perLight[l].objectId());
                }
            }
        }

        private void observeLights(final long timeMs)
        {
            for (int i = 0; i < lights.length; i++)
            {
                safety[i].observe(timeMs, lightStates[i].string(TL_RED_YELLOW_GREEN_STATE));
            }
        }

        private void progress(final double simTimeS, final boolean last)
        {
            if (ctx.progress() == null)
            {
                return;
            }
            final long nowNs = System.nanoTime();
            if (last || nowNs - lastProgressNs >= TimeUnit.SECONDS.toNanos(1))
            {
                lastProgressNs = nowNs;
                ctx.progress().onProgress(simTimeS, ledger.running(), ledger.meanDelaySoFarS());
            }
        }

        // ------------------------------------------------------------------------------------ lockstep

        private void awaitConnected()
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ctx.commandTimeoutMs());
            final IdleStrategy idle = ctx.idleStrategy();
            while (!ctx.ingress().isConnected() || !ctx.egress().isConnected())
            {
                if (System.nanoTime() > deadlineNs)
                {
                    throw new TwinException("the node's ingress (" + ctx.ingress().channel() + " stream " + ctx.ingress().streamId()
                        + ") or egress (" + ctx.egress().channel() + " stream " + ctx.egress().streamId() + ") is not connected after "
                        + ctx.commandTimeoutMs() + " ms: is the node running?");
                }
                idle.idle();
            }
            idle.reset();
        }

        private void announce()
        {
            if (bridge != null)
            {
                // the field adapter announces the topologies it reads from the controllers; the control mode follows them
                // with the first observations (publishObservations)
                bridge.start(List.of(lights), ctx.epochOffsetNs() + timeMs(simulation.number(VAR_TIME)) * 1_000_000L,
                    ctx.commandTimeoutMs());
                return;
            }
            for (int i = 0; i < lights.length; i++)
            {
                offer(frames.topology(i + 1, lights[i]), "IntersectionTopology of " + lights[i].id());
            }
            offer(frames.controlMode(1, ctx.control()), "OperatorAction control=" + ctx.control().wireName());
        }

        private void publishObservations(final double timeS)
        {
            if (bridge != null)
            {
                bridge.beginStep(ctx.epochOffsetNs() + timeMs(timeS) * 1_000_000L);
            }
            for (int i = 0; i < lights.length; i++)
            {
                final VariableSubscription[] lanes = laneValues[i];
                final int count = zoneLanes[i].length;
                for (int l = 0; l < count; l++)
                {
                    // the lane and its detection zone as one: vehicles and halting added up, the mean speed over all of
                    // their vehicles, the occupancy the stop-line lane's own
                    final VariableSubscription lane = lanes[l];
                    int n = lane.integer(LAST_STEP_VEHICLE_NUMBER);
                    int stopped = lane.integer(LAST_STEP_VEHICLE_HALTING_NUMBER);
                    double speedSum = n == 0 ? 0 : n * lane.number(LAST_STEP_MEAN_SPEED);
                    for (final int u : zoneLanes[i][l])
                    {
                        final int more = lanes[u].integer(LAST_STEP_VEHICLE_NUMBER);
                        n += more;
                        stopped += lanes[u].integer(LAST_STEP_VEHICLE_HALTING_NUMBER);
                        speedSum += more == 0 ? 0 : more * lanes[u].number(LAST_STEP_MEAN_SPEED);
                    }
                    vehicles[l] = n;
                    halting[l] = stopped;
                    occupancy[l] = (int)Math.round(lane.number(LAST_STEP_OCCUPANCY) * 1000.0);
                    speed[l] = n == 0 ? -1 : (int)Math.round(speedSum / n * 100.0);
                }
                if (bridge != null)
                {
                    bridge.observe(i, count, vehicles, halting, occupancy, speed);
                }
                else
                {
                    offer(frames.laneObservations(i + 1, count, vehicles, halting, occupancy, speed), "LaneObservations");
                }
            }
            if (bridge != null)
            {
                bridge.awaitObservations(tickNumber);
                if (!controlModeSent)
                {
                    // after the topologies, as on the direct path; the first observations came with them
                    offer(frames.controlMode(1, ctx.control()), "OperatorAction control=" + ctx.control().wireName());
                    controlModeSent = true;
                }
            }
        }

        /** The on-board units' requests for the state after the last step, each awaiting its status. */
        private void publishPriorityRequests()
        {
            if (onBoardUnits == null)
            {
                return;
            }
            for (final OnBoardUnits.Request request : onBoardUnits.step())
            {
                offer(frames.priorityRequest(request), "PriorityRequest " + request.requestId());
                unanswered.put(request.requestId(), request.intersectionId());
                requestsByType[request.type().ordinal()]++;
                requestsSent++;
            }
        }

        private void publishTick(final double timeS)
        {
            final long timeNs = ctx.epochOffsetNs() + timeMs(timeS) * 1_000_000L;
            final long periodNs = timeMs(stepLengthS) * 1_000_000L;
            final int length = frames.tick(timeNs, periodNs, tickNumber);
            tickOfferNs = ctx.nanoClock().nanoTime();
            offer(length, "Tick");
        }

        private void offer(final int length, final String what)
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ctx.commandTimeoutMs());
            final IdleStrategy idle = ctx.idleStrategy();
            final Publication ingress = ctx.ingress();
            while (true)
            {
                final long result = ingress.offer(frames.buffer(), 0, length);
                if (result > 0)
                {
                    idle.reset();
                    return;
                }
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
                {
                    throw new TwinException("the node's ingress publication is unusable (offer returned " + result + ") sending " + what);
                }
                if (System.nanoTime() > deadlineNs)
                {
                    throw new TwinException("the node's ingress did not take " + what + " within " + ctx.commandTimeoutMs() + " ms ("
                        + (result == Publication.NOT_CONNECTED ? "not connected" : "back-pressured") + ")");
                }
                idle.idle();
            }
        }

        private void awaitCommands(final double timeS)
        {
            commandsReceived = 0;
            java.util.Arrays.fill(commandStates, null);
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ctx.commandTimeoutMs());
            final IdleStrategy idle = ctx.idleStrategy();
            final Subscription egress = ctx.egress();
            while (commandsReceived < lights.length)
            {
                final int fragments = egress.poll(assembler, 64);
                if (egressError != null)
                {
                    throw egressError;
                }
                if (fragments > 0)
                {
                    idle.reset();
                    continue;
                }
                if (System.nanoTime() > deadlineNs)
                {
                    final List<String> missing = new ArrayList<>();
                    for (int i = 0; i < lights.length; i++)
                    {
                        if (commandStates[i] == null)
                        {
                            missing.add((i + 1) + " (" + lights[i].id() + ")");
                        }
                    }
                    throw new TwinException("no SignalCommand for intersection(s) " + String.join(", ", missing) + " within "
                        + ctx.commandTimeoutMs() + " ms after the Tick of step " + tickNumber + " (simulation time " + timeS
                        + " s): is the signal loop running?");
                }
                idle.idle();
            }
        }

        @Override
        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final io.aeron.logbuffer.Header aeronHeader)
        {
            if (egressError != null || length < MessageHeaderDecoder.ENCODED_LENGTH)
            {
                return;
            }
            header.wrap(buffer, offset);
            final int templateId = header.templateId();
            if (templateId == SignalCommandDecoder.TEMPLATE_ID)
            {
                onCommand(buffer, offset);
            }
            else if (templateId == PriorityStatusDecoder.TEMPLATE_ID)
            {
                priorityStatus.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                final long requestId = priorityStatus.requestId();
                final long intersectionId = priorityStatus.intersectionId();
                statusesByCode[priorityStatus.status().ordinal()]++;
                if (unanswered.get(requestId) == intersectionId)
                {
                    unanswered.remove(requestId);
                }
            }
            else if (templateId == RejectDecoder.TEMPLATE_ID)
            {
                reject.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                final long sequence = reject.rejectedSequence();
                final String reason = String.valueOf(reject.reason());
                final int rejectedTemplate = reject.templateId();
                final String detail = reject.detail();
                egressError = new TwinException("the node rejected input sequence " + sequence + " (template "
                    + (rejectedTemplate == RejectDecoder.templateIdNullValue() ? "?" : Integer.toString(rejectedTemplate)) + "): "
                    + reason + (detail.isEmpty() ? "" : " (" + detail + ")") + " at step " + tickNumber);
            }
            // anything else on egress is for someone else
        }

        private void onCommand(final DirectBuffer buffer, final int offset)
        {
            final long receivedNs = ctx.nanoClock().nanoTime();
            command.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            final long id = command.intersectionId();
            final SignalMode mode = command.mode();
            final SignalReason reason = command.reason();
            final String state = command.signalState();
            if (id < 1 || id > lights.length)
            {
                egressError = new TwinException("SignalCommand for intersection " + id + " at step " + tickNumber + ": there are only "
                    + lights.length + " intersections");
                return;
            }
            final int index = (int)id - 1;
            if (commandStates[index] != null)
            {
                egressError = new TwinException("two SignalCommands for intersection " + id + " (" + lights[index].id() + ") at step "
                    + tickNumber + ": the contract allows exactly one per Tick");
                return;
            }
            if (state.length() != lights[index].movementCount())
            {
                // SUMO quits on a state of the wrong length: refuse it here, naming it
                egressError = new TwinException("SignalCommand for intersection " + id + " (" + lights[index].id() + ") at step "
                    + tickNumber + " shows '" + state + "': " + state.length() + " letters for " + lights[index].movementCount()
                    + " movements");
                return;
            }
            commandStates[index] = state;
            commandsReceived++;
            commands++;
            if (reason == SignalReason.SAFETY_OVERRIDE)
            {
                safetyOverrides++;
            }
            if (mode == SignalMode.FALLBACK)
            {
                fallbackCommands++;
            }
            latency.recordValue(Math.max(0, Math.min(latency.getHighestTrackableValue(), receivedNs - tickOfferNs)));
        }

        // ------------------------------------------------------------------------------------ report

        private TwinReport report()
        {
            final double simEndS = simulation.number(VAR_TIME);
            final VehicleLedger.Totals totals = ledger.totals(simEndS);
            long conflicting = 0;
            long shortYellows = 0;
            long shortAllReds = 0;
            String first = "";
            for (final SafetyCheck check : safety)
            {
                conflicting += check.conflictingGreenSteps();
                shortYellows += check.shortYellows();
                shortAllReds += check.shortAllReds();
                if (first.isEmpty() && check.firstViolation() != null)
                {
                    first = check.firstViolation();
                }
            }
            final TwinReport.Latency latencyUs = latency.getTotalCount() == 0 ? TwinReport.Latency.NONE : new TwinReport.Latency(
                latency.getTotalCount(),
                latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0,
                latency.getValueAtPercentile(99.9) / 1000.0,
                latency.getMaxValue() / 1000.0);
            final String control = ctx.mode() == TwinMode.LOCKSTEP ? ctx.control().wireName() : ctx.referenceName();
            final VehicleLedger.CategoryTotals emergency = ledger.totals(VehicleCategory.EMERGENCY, simEndS);
            final VehicleLedger.CategoryTotals transit = ledger.totals(VehicleCategory.TRANSIT, simEndS);
            final VehicleLedger.CategoryTotals background = ledger.totals(VehicleCategory.BACKGROUND, simEndS);
            return new TwinReport(config.scenarioName(), ctx.mode(), control, ctx.seed(), lights.length, totals.vehicles(),
                totals.departed(), totals.arrived(), totals.unfinished(), totals.notInserted(), totals.meanDelayS(),
                totals.meanTimeLossS(), totals.meanDepartDelayS(), totals.meanWaitingS(), conflicting + shortYellows + shortAllReds,
                conflicting, shortYellows, shortAllReds, first, collisions, teleports, commands, safetyOverrides, fallbackCommands,
                latencyUs, simEndS - config.beginS(), tickNumber, stepLengthS, (System.nanoTime() - wallStartNs) / 1e9, sumoVersion,
                new TwinReport.Emergency(emergency.vehicles(), emergency.arrived(), emergency.meanTravelTimeS(), emergency.meanDelayS(),
                    emergency.stopsAtSignals()),
                new TwinReport.Transit(transit.vehicles(), transit.arrived(), transit.meanDelayS(), transit.lateArrivals()),
                new TwinReport.Background(background.vehicles(), background.meanDelayS()),
                priorityReport());
        }

        private TwinReport.Priority priorityReport()
        {
            final Map<String, Long> byType = new LinkedHashMap<>();
            for (final PriorityRequestType type : PriorityRequestType.values())
            {
                if (type != PriorityRequestType.NULL_VAL && type != PriorityRequestType.SBE_UNKNOWN)
                {
                    byType.put(type.name(), requestsByType[type.ordinal()]);
                }
            }
            // every code of the schema, zeros included; a code this build does not know only when one came
            final Map<String, Long> byCode = new LinkedHashMap<>();
            long unknown = 0;
            for (final PriorityStatusCode code : PriorityStatusCode.values())
            {
                if (code == PriorityStatusCode.NULL_VAL || code == PriorityStatusCode.SBE_UNKNOWN)
                {
                    unknown += statusesByCode[code.ordinal()];
                }
                else
                {
                    byCode.put(code.name(), statusesByCode[code.ordinal()]);
                }
            }
            if (unknown > 0)
            {
                byCode.put("UNKNOWN", unknown);
            }
            return new TwinReport.Priority(onBoardUnits != null, requestsSent, byType, byCode, missingStatuses);
        }
    }

    /**
     * Settings of a twin run; {@link #conclude()} fills in defaults and names a wrong setting.
     */
    public static final class Context
    {
        public static final long SEED_DEFAULT = 42;
        public static final int COMMAND_TIMEOUT_MS_DEFAULT = 10_000;
        public static final double MAX_DRAIN_S_DEFAULT = 1800.0;
        public static final long YELLOW_MIN_MS_DEFAULT = 3000;
        public static final long ALL_RED_MS_DEFAULT = 2000;
        public static final double REQUEST_DISTANCE_M_DEFAULT = 300.0;
        public static final double BUS_LATE_THRESHOLD_S_DEFAULT = 60.0;
        /**
         * Simulation time 0 is midnight of 2025-01-01 in Sejong (Asia/Seoul), so the time of day on
         * Ticks equals SUMO's time.
         */
        public static final long EPOCH_OFFSET_NS_DEFAULT = TimeUnit.SECONDS.toNanos(
            LocalDate.of(2025, 1, 1).atStartOfDay(ZoneId.of("Asia/Seoul")).toEpochSecond());

        private Path sumoConfig;
        private TwinMode mode = TwinMode.LOCKSTEP;
        private String referenceName = "fixed-time-reference";
        private ControlMode control = ControlMode.ADAPTIVE;
        private long seed = SEED_DEFAULT;
        private Publication ingress;
        private Subscription egress;
        private int commandTimeoutMs = COMMAND_TIMEOUT_MS_DEFAULT;
        private long epochOffsetNs = EPOCH_OFFSET_NS_DEFAULT;
        private double endTimeS = Double.NaN;
        private double maxDrainS = MAX_DRAIN_S_DEFAULT;
        private long yellowMinMs = YELLOW_MIN_MS_DEFAULT;
        private long allRedMs = ALL_RED_MS_DEFAULT;
        private boolean priorityRequests = true;
        private boolean busPriorityRequests = true;
        private double requestDistanceM = REQUEST_DISTANCE_M_DEFAULT;
        private Map<String, Integer> obuIdBases = Map.of();
        private double busLateThresholdS = BUS_LATE_THRESHOLD_S_DEFAULT;
        private String sumoBinary = SumoProcess.Context.BINARY_DEFAULT;
        private final List<String> sumoArguments = new ArrayList<>();
        private Path logDir;
        private TwinProgress progress;
        private java.util.function.DoubleConsumer stepListener;
        private IdleStrategy idleStrategy;
        private NanoClock nanoClock;
        private FieldBridge fieldBridge;
        private boolean concluded;

        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            require(sumoConfig != null, "sumoConfig", "is required (a .sumocfg)");
            require(mode != null, "mode", "is required");
            require(control != null, "control", "is required");
            if (mode == TwinMode.LOCKSTEP)
            {
                require(ingress != null, "ingress", "is required in LOCKSTEP mode (a publication to the node's ingress)");
                require(egress != null, "egress", "is required in LOCKSTEP mode (a subscription to the node's egress)");
            }
            require(fieldBridge == null || mode == TwinMode.LOCKSTEP, "fieldBridge", "needs LOCKSTEP mode (the node drives the lights)");
            require(commandTimeoutMs > 0, "commandTimeoutMs", "must be positive, was " + commandTimeoutMs);
            require(epochOffsetNs >= 0, "epochOffsetNs", "must not be negative, was " + epochOffsetNs);
            require(Double.isNaN(endTimeS) || endTimeS >= 0, "endTimeS", "must not be negative, was " + endTimeS);
            require(maxDrainS >= 0, "maxDrainS", "must not be negative, was " + maxDrainS);
            require(yellowMinMs >= 0, "yellowMinMs", "must not be negative");
            require(allRedMs >= 0, "allRedMs", "must not be negative");
            require(Double.isFinite(requestDistanceM) && requestDistanceM > 0, "requestDistanceM",
                "must be a positive number of metres, was " + requestDistanceM);
            require(Double.isFinite(busLateThresholdS) && busLateThresholdS >= 0, "busLateThresholdS",
                "must be a number of seconds >= 0, was " + busLateThresholdS);
            require(obuIdBases != null, "obuIdBases", "must not be null (an empty map for none)");
            for (final Map.Entry<String, Integer> base : obuIdBases.entrySet())
            {
                require(base.getKey() != null && !base.getKey().isEmpty() && base.getValue() != null && base.getValue() >= 0,
                    "obuIdBases", "needs a line name and a first vehicle id >= 0 per entry, was " + base.getKey() + " -> " + base.getValue());
            }
            if (idleStrategy == null)
            {
                idleStrategy = new YieldingIdleStrategy();
            }
            if (nanoClock == null)
            {
                nanoClock = new SystemNanoClock();
            }
            concluded = true;
            return this;
        }

        private static void require(final boolean condition, final String setting, final String problem)
        {
            if (!condition)
            {
                throw new IllegalArgumentException("twin setting '" + setting + "' " + problem);
            }
        }

        public Path sumoConfig() { return sumoConfig; }
        /** The scenario: a .sumocfg (its net-file gives the network, its end the scenario's end). */
        public Context sumoConfig(final Path sumoConfig) { this.sumoConfig = sumoConfig; return this; }
        public TwinMode mode() { return mode; }
        /** LOCKSTEP (default) through the node, or FIXED_TIME_REFERENCE without it. */
        public Context mode(final TwinMode mode) { this.mode = mode; return this; }
        public String referenceName() { return referenceName; }
        /** FIXED_TIME_REFERENCE: the name the report gives the programs SUMO runs; default "fixed-time-reference" (the own ones). */
        public Context referenceName(final String referenceName) { this.referenceName = referenceName; return this; }
        public ControlMode control() { return control; }
        /** The control mode announced to the loop; default adaptive. */
        public Context control(final ControlMode control) { this.control = control; return this; }
        public long seed() { return seed; }
        /** SUMO's seed; default 42. */
        public Context seed(final long seed) { this.seed = seed; return this; }
        public Publication ingress() { return ingress; }
        /** To the node's ingress channel and stream (LOCKSTEP); not closed by the twin. */
        public Context ingress(final Publication ingress) { this.ingress = ingress; return this; }
        public Subscription egress() { return egress; }
        /** From the node's egress channel and stream (LOCKSTEP); not closed by the twin. */
        public Context egress(final Subscription egress) { this.egress = egress; return this; }
        public int commandTimeoutMs() { return commandTimeoutMs; }
        /** How long to wait for a tick's commands (and for ingress to take a frame); default 10 s. */
        public Context commandTimeoutMs(final int commandTimeoutMs) { this.commandTimeoutMs = commandTimeoutMs; return this; }
        public long epochOffsetNs() { return epochOffsetNs; }
        /**
         * Added to the simulation time on every Tick; default {@link #EPOCH_OFFSET_NS_DEFAULT}. A node
         * continuing a journal refuses Ticks before its last time: start later then.
         */
        public Context epochOffsetNs(final long epochOffsetNs) { this.epochOffsetNs = epochOffsetNs; return this; }
        public double endTimeS() { return endTimeS; }
        /** The scenario's end, s; default the config's {@code <end>}. */
        public Context endTimeS(final double endTimeS) { this.endTimeS = endTimeS; return this; }
        public double maxDrainS() { return maxDrainS; }
        /** How long after the end the run may go on while vehicles are still driving; default 1800 s. */
        public Context maxDrainS(final double maxDrainS) { this.maxDrainS = maxDrainS; return this; }
        public long yellowMinMs() { return yellowMinMs; }
        /** The safety check's shortest yellow; default 3000 ms. */
        public Context yellowMinMs(final long yellowMinMs) { this.yellowMinMs = yellowMinMs; return this; }
        public long allRedMs() { return allRedMs; }
        /** The safety check's all-red before a conflicting green; default 2000 ms (the city's signalTiming.allRedMs). */
        public Context allRedMs(final long allRedMs) { this.allRedMs = allRedMs; return this; }
        public boolean priorityRequests() { return priorityRequests; }
        /**
         * Whether the emergency vehicles' and buses' on-board units send PriorityRequests (LOCKSTEP only);
         * default true. Off, nothing of them runs and no PriorityRequest is ever sent.
         */
        public Context priorityRequests(final boolean priorityRequests) { this.priorityRequests = priorityRequests; return this; }
        public boolean busPriorityRequests() { return busPriorityRequests; }
        /** With {@link #priorityRequests}: whether buses ask too (default); false leaves only the emergency vehicles'. */
        public Context busPriorityRequests(final boolean busPriorityRequests) { this.busPriorityRequests = busPriorityRequests; return this; }
        public double requestDistanceM() { return requestDistanceM; }
        /** How close to a junction's stop line an on-board unit starts asking for priority; default 300 m. */
        public Context requestDistanceM(final double requestDistanceM) { this.requestDistanceM = requestDistanceM; return this; }
        public Map<String, Integer> obuIdBases() { return obuIdBases; }
        /**
         * Transit lines: SUMO flow name to the on-board-unit id of its trip 0 (the city's
         * {@code traffic.priority.transitLines}, name to firstVehicleId); vehicle {@code <flow>.<k>} is then
         * unit base + k. Default none.
         */
        public Context obuIdBases(final Map<String, Integer> obuIdBases)
        {
            this.obuIdBases = obuIdBases == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(obuIdBases));
            return this;
        }
        public double busLateThresholdS() { return busLateThresholdS; }
        /** A bus whose delay at arrival exceeds this counts as a late arrival in the report; default 60 s. */
        public Context busLateThresholdS(final double busLateThresholdS) { this.busLateThresholdS = busLateThresholdS; return this; }
        public String sumoBinary() { return sumoBinary; }
        /** The SUMO executable; default "sumo" on the PATH. */
        public Context sumoBinary(final String sumoBinary) { this.sumoBinary = sumoBinary; return this; }
        public List<String> sumoArguments() { return sumoArguments; }
        /** More SUMO arguments (e.g. --tripinfo-output FILE). */
        public Context addSumoArguments(final String... arguments) { this.sumoArguments.addAll(List.of(arguments)); return this; }
        public Path logDir() { return logDir; }
        /** Where SUMO's stdout and stderr go; default a new temporary directory. */
        public Context logDir(final Path logDir) { this.logDir = logDir; return this; }
        public TwinProgress progress() { return progress; }
        /** Called at most once a second and at the end; optional. */
        public Context progress(final TwinProgress progress) { this.progress = progress; return this; }
        public java.util.function.DoubleConsumer stepListener() { return stepListener; }
        /** Called after every simulation step with the simulated time in seconds (on the twin's thread); optional. */
        public Context stepListener(final java.util.function.DoubleConsumer stepListener) { this.stepListener = stepListener; return this; }
        public IdleStrategy idleStrategy() { return idleStrategy; }
        /** How to wait for the node; default yielding. */
        public Context idleStrategy(final IdleStrategy idleStrategy) { this.idleStrategy = idleStrategy; return this; }
        public NanoClock nanoClock() { return nanoClock; }
        public FieldBridge fieldBridge() { return fieldBridge; }
        /**
         * Reach the lights through field devices (e.g. OPC UA intersection controllers,
         * {@code kr.sejong.city.adapters.twin.opcua.OpcUaBridge}) instead of sending LaneObservations and applying
         * SignalCommands directly; default none. Not closed by the twin. With it, {@link #ingress} must be the very
         * publication the field adapter offers on, so that the node reads a step's observations before its Tick.
         */
        public Context fieldBridge(final FieldBridge fieldBridge) { this.fieldBridge = fieldBridge; return this; }
        /** The clock of the decision latency; default System.nanoTime. */
        public Context nanoClock(final NanoClock nanoClock) { this.nanoClock = nanoClock; return this; }
    }
}
