package kr.sejong.city.adapters.twin.traci;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static kr.sejong.city.adapters.twin.traci.TraciConstants.*;

/**
 * A small TraCI client over TCP, written here because no Java client is published (see adapters/TWIN.md).
 * <p>
 * One request, one response, in order: a request message may carry several commands (a batch, e.g.
 * the signal states of every light), and SUMO answers each command in turn with a status (and, for a
 * get or subscribe, its value). An error status becomes a {@link TraciException} that names the command,
 * the object and SUMO's own message. Messages are built in and read from reused buffers.
 * <p>
 * Variable subscriptions ({@link #subscribe}) cut round trips: SUMO sends the subscribed values with the
 * answer to every {@link #simulationStep}, and the client writes them into the
 * {@link VariableSubscription} objects in place.
 * <p>
 * Not thread-safe: one thread talks to SUMO.
 */
public final class TraciClient implements AutoCloseable
{
    /** How long a read waits for SUMO before the client gives up. */
    public static final int READ_TIMEOUT_MS_DEFAULT = 120_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final TraciWriter writer = new TraciWriter();
    private final TraciReader reader = new TraciReader();
    private byte[] inBytes = new byte[64 * 1024];

    /** Commands of the message being built: id and the object they are about (for error messages). */
    private final IntArrayList queuedCommands = new IntArrayList();
    private final List<String> queuedObjects = new ArrayList<>();

    /** Subscriptions by response id, then object id. */
    private final Int2ObjectHashMap<Map<String, VariableSubscription>> subscriptions = new Int2ObjectHashMap<>();
    private long step;
    private boolean closed;

    private TraciClient(final Socket socket, final int readTimeoutMs) throws IOException
    {
        this.socket = socket;
        socket.setTcpNoDelay(true); // small request, small answer, many times a second: never wait for Nagle
        socket.setSoTimeout(readTimeoutMs);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = socket.getOutputStream();
    }

    /**
     * Connect to a SUMO listening on {@code host:port} (started with {@code --remote-port port}).
     *
     * @throws IOException when nothing listens there (yet).
     */
    public static TraciClient connect(final String host, final int port, final int connectTimeoutMs, final int readTimeoutMs)
        throws IOException
    {
        final Socket socket = new Socket();
        try
        {
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            return new TraciClient(socket, readTimeoutMs);
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    public static TraciClient connect(final String host, final int port) throws IOException
    {
        return connect(host, port, 5_000, READ_TIMEOUT_MS_DEFAULT);
    }

    /** How many {@link #simulationStep} calls have been answered. */
    public long step()
    {
        return step;
    }

    public boolean isClosed()
    {
        return closed;
    }

    // ------------------------------------------------------------------------------------------ control

    public TraciVersion getVersion()
    {
        begin();
        command(CMD_GETVERSION, "");
        writer.endCommand();
        exchange();
        status(0);
        reader.readLength();
        final int id = reader.readUbyte();
        if (id != CMD_GETVERSION)
        {
            throw new TraciException("answer 0x" + Integer.toHexString(id) + " to getVersion");
        }
        final int api = reader.readInt();
        return new TraciVersion(api, reader.readString());
    }

    /** Tell SUMO this client's place among several clients (needed only with {@code --num-clients} > 1). */
    public void setOrder(final int order)
    {
        begin();
        command(CMD_SETORDER, "").putInt(order);
        writer.endCommand();
        exchange();
        status(0);
    }

    /** Perform exactly one simulation step. */
    public void simulationStep()
    {
        simulationStep(0.0);
    }

    /**
     * Simulate up to {@code targetTimeS} (0: exactly one step). The subscribed values arrive with the
     * answer and are written into their {@link VariableSubscription}s.
     */
    public void simulationStep(final double targetTimeS)
    {
        begin();
        command(CMD_SIMSTEP, "").putDouble(targetTimeS);
        writer.endCommand();
        exchange();
        status(0);
        step++;
        final int results = reader.readInt();
        for (int i = 0; i < results; i++)
        {
            readSubscriptionResult();
        }
    }

    /** Ask SUMO to end the simulation and close the connection; idempotent. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        try
        {
            begin();
            command(CMD_CLOSE, "");
            writer.endCommand();
            exchange();
            status(0);
        }
        catch (final TraciException ignore)
        {
            // SUMO already gone: nothing to close on its side
        }
        finally
        {
            closed = true;
            try
            {
                socket.close();
            }
            catch (final IOException ignore)
            {
                // closing anyway
            }
        }
    }

    // ------------------------------------------------------------------------------------------ generic get

    /** Send one get command and position the reader at the value's type code. */
    private TraciReader get(final int domain, final int variable, final String objectId)
    {
        begin();
        command(domain, objectId).putUbyte(variable).putString(objectId);
        writer.endCommand();
        exchange();
        status(0);
        reader.readLength();
        final int response = reader.readUbyte();
        final int answeredVariable = reader.readUbyte();
        final String answeredObject = reader.readString();
        if (response != domain + RESPONSE_OFFSET || answeredVariable != variable || !answeredObject.equals(objectId))
        {
            throw new TraciException("answer 0x" + Integer.toHexString(response) + "/0x" + Integer.toHexString(answeredVariable)
                + " for '" + answeredObject + "' to " + commandName(domain) + " variable 0x" + Integer.toHexString(variable)
                + " of '" + objectId + "'");
        }
        return reader;
    }

    private static String what(final int domain, final int variable, final String objectId)
    {
        return commandName(domain) + " variable 0x" + Integer.toHexString(variable) + " of '" + objectId + "'";
    }

    public double getDouble(final int domain, final int variable, final String objectId)
    {
        return get(domain, variable, objectId).readTypedDouble(what(domain, variable, objectId));
    }

    public int getInt(final int domain, final int variable, final String objectId)
    {
        return get(domain, variable, objectId).readTypedInt(what(domain, variable, objectId));
    }

    public String getString(final int domain, final int variable, final String objectId)
    {
        return get(domain, variable, objectId).readTypedString(what(domain, variable, objectId));
    }

    public List<String> getStringList(final int domain, final int variable, final String objectId)
    {
        return get(domain, variable, objectId).readTypedStringList(what(domain, variable, objectId));
    }

    /**
     * The same string variable of many objects in one request (one round trip), in the order of
     * {@code objectIds}; e.g. the class of every vehicle that departed in a step.
     */
    public List<String> getStrings(final int domain, final int variable, final List<String> objectIds)
    {
        final List<String> result = new ArrayList<>(objectIds.size());
        if (objectIds.isEmpty())
        {
            return result;
        }
        begin();
        for (final String objectId : objectIds)
        {
            command(domain, objectId).putUbyte(variable).putString(objectId);
            writer.endCommand();
        }
        exchange();
        for (int i = 0; i < objectIds.size(); i++)
        {
            final String objectId = objectIds.get(i);
            status(i);
            reader.readLength();
            final int response = reader.readUbyte();
            final int answeredVariable = reader.readUbyte();
            final String answeredObject = reader.readString();
            if (response != domain + RESPONSE_OFFSET || answeredVariable != variable || !answeredObject.equals(objectId))
            {
                throw new TraciException("answer 0x" + Integer.toHexString(response) + "/0x" + Integer.toHexString(answeredVariable)
                    + " for '" + answeredObject + "' to " + what(domain, variable, objectId));
            }
            result.add(reader.readTypedString(what(domain, variable, objectId)));
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------ traffic lights

    public List<String> trafficLightIds()
    {
        return getStringList(CMD_GET_TL_VARIABLE, ID_LIST, "");
    }

    /** The signal state shown now: one letter per controlled link. */
    public String trafficLightState(final String tlsId)
    {
        return getString(CMD_GET_TL_VARIABLE, TL_RED_YELLOW_GREEN_STATE, tlsId);
    }

    public int trafficLightPhase(final String tlsId)
    {
        return getInt(CMD_GET_TL_VARIABLE, TL_CURRENT_PHASE, tlsId);
    }

    /** The id of the program that runs. */
    public String trafficLightProgram(final String tlsId)
    {
        return getString(CMD_GET_TL_VARIABLE, TL_CURRENT_PROGRAM, tlsId);
    }

    /**
     * The controlled links, indexed by link index (character i of a state): the connections each signal
     * controls (usually one; none for an unused index).
     */
    public List<List<ControlledLink>> trafficLightControlledLinks(final String tlsId)
    {
        final TraciReader r = get(CMD_GET_TL_VARIABLE, TL_CONTROLLED_LINKS, tlsId);
        final String what = what(CMD_GET_TL_VARIABLE, TL_CONTROLLED_LINKS, tlsId);
        r.readCompoundSize(what);
        final int signals = r.readTypedInt(what);
        final List<List<ControlledLink>> result = new ArrayList<>(signals);
        for (int i = 0; i < signals; i++)
        {
            final int links = r.readTypedInt(what);
            final List<ControlledLink> signal = new ArrayList<>(links);
            for (int j = 0; j < links; j++)
            {
                final List<String> link = r.readTypedStringList(what);
                if (link.size() != 3)
                {
                    throw new TraciException(what + ": a link of " + link.size() + " lanes, expected 3");
                }
                signal.add(new ControlledLink(link.get(0), link.get(1), link.get(2)));
            }
            result.add(List.copyOf(signal));
        }
        return List.copyOf(result);
    }

    /** Every program SUMO knows for the light (the complete red-yellow-green definition). */
    public List<TrafficLightProgram> trafficLightPrograms(final String tlsId)
    {
        final TraciReader r = get(CMD_GET_TL_VARIABLE, TL_COMPLETE_DEFINITION_RYG, tlsId);
        final String what = what(CMD_GET_TL_VARIABLE, TL_COMPLETE_DEFINITION_RYG, tlsId);
        r.expectType(TYPE_COMPOUND, what);
        final int logics = r.readInt();
        final List<TrafficLightProgram> result = new ArrayList<>(logics);
        for (int i = 0; i < logics; i++)
        {
            r.readCompoundSize(what);
            final String programId = r.readTypedString(what);
            final int type = r.readTypedInt(what);
            final int currentPhase = r.readTypedInt(what);
            final int phaseCount = r.readCompoundSize(what);
            final List<TrafficLightProgram.Phase> phases = new ArrayList<>(phaseCount);
            for (int p = 0; p < phaseCount; p++)
            {
                r.readCompoundSize(what);
                final double duration = r.readTypedDouble(what);
                final String state = r.readTypedString(what);
                final double minDur = r.readTypedDouble(what);
                final double maxDur = r.readTypedDouble(what);
                final int next = r.readCompoundSize(what);
                for (int n = 0; n < next; n++)
                {
                    r.readTypedInt(what);
                }
                r.readTypedString(what); // phase name
                phases.add(new TrafficLightProgram.Phase(duration, state, minDur, maxDur));
            }
            final int parameters = r.readCompoundSize(what);
            for (int n = 0; n < parameters; n++)
            {
                r.readTypedStringList(what);
            }
            result.add(new TrafficLightProgram(programId, type, currentPhase, phases));
        }
        return List.copyOf(result);
    }

    /** The program that runs now, from the complete definition. */
    public TrafficLightProgram trafficLightCurrentProgram(final String tlsId)
    {
        final String programId = trafficLightProgram(tlsId);
        for (final TrafficLightProgram program : trafficLightPrograms(tlsId))
        {
            if (program.programId().equals(programId))
            {
                return program;
            }
        }
        throw new TraciException("traffic light '" + tlsId + "' runs program '" + programId + "' but SUMO does not list it");
    }

    /** Show this state from now on (SUMO then holds it until told otherwise). */
    public void setTrafficLightState(final String tlsId, final String state)
    {
        begin();
        putSetTrafficLightState(tlsId, state);
        exchange();
        status(0);
    }

    /** Set several lights' states in one request (one round trip). */
    public void setTrafficLightStates(final String[] tlsIds, final String[] states, final int count)
    {
        begin();
        for (int i = 0; i < count; i++)
        {
            putSetTrafficLightState(tlsIds[i], states[i]);
        }
        exchange();
        TraciException first = null;
        for (int i = 0; i < count; i++)
        {
            try
            {
                status(i);
            }
            catch (final TraciException ex)
            {
                first = first == null ? ex : first;
            }
        }
        if (first != null)
        {
            throw first;
        }
    }

    private void putSetTrafficLightState(final String tlsId, final String state)
    {
        command(CMD_SET_TL_VARIABLE, tlsId).putUbyte(TL_RED_YELLOW_GREEN_STATE).putString(tlsId).putTypedString(state);
        writer.endCommand();
    }

    public void setTrafficLightPhase(final String tlsId, final int phaseIndex)
    {
        begin();
        command(CMD_SET_TL_VARIABLE, tlsId).putUbyte(TL_PHASE_INDEX).putString(tlsId).putTypedInt(phaseIndex);
        writer.endCommand();
        exchange();
        status(0);
    }

    public void setTrafficLightProgram(final String tlsId, final String programId)
    {
        begin();
        command(CMD_SET_TL_VARIABLE, tlsId).putUbyte(TL_PROGRAM).putString(tlsId).putTypedString(programId);
        writer.endCommand();
        exchange();
        status(0);
    }

    // ------------------------------------------------------------------------------------------ lanes

    public List<String> laneIds()
    {
        return getStringList(CMD_GET_LANE_VARIABLE, ID_LIST, "");
    }

    public int laneVehicleNumber(final String laneId)
    {
        return getInt(CMD_GET_LANE_VARIABLE, LAST_STEP_VEHICLE_NUMBER, laneId);
    }

    public int laneHaltingNumber(final String laneId)
    {
        return getInt(CMD_GET_LANE_VARIABLE, LAST_STEP_VEHICLE_HALTING_NUMBER, laneId);
    }

    /** Occupancy of the last step as a fraction 0..1 (vehicle lengths over lane length). */
    public double laneOccupancy(final String laneId)
    {
        return getDouble(CMD_GET_LANE_VARIABLE, LAST_STEP_OCCUPANCY, laneId);
    }

    /** Mean speed of the last step, m/s (the lane's speed limit when it was empty). */
    public double laneMeanSpeed(final String laneId)
    {
        return getDouble(CMD_GET_LANE_VARIABLE, LAST_STEP_MEAN_SPEED, laneId);
    }

    /** Length, m. */
    public double laneLength(final String laneId)
    {
        return getDouble(CMD_GET_LANE_VARIABLE, VAR_LENGTH, laneId);
    }

    /** Speed limit, m/s. */
    public double laneMaxSpeed(final String laneId)
    {
        return getDouble(CMD_GET_LANE_VARIABLE, VAR_MAXSPEED, laneId);
    }

    // ------------------------------------------------------------------------------------------ induction loops

    public List<String> inductionLoopIds()
    {
        return getStringList(CMD_GET_INDUCTIONLOOP_VARIABLE, ID_LIST, "");
    }

    public int inductionLoopVehicleNumber(final String loopId)
    {
        return getInt(CMD_GET_INDUCTIONLOOP_VARIABLE, LAST_STEP_VEHICLE_NUMBER, loopId);
    }

    /** Occupancy of the last step in percent 0..100. */
    public double inductionLoopOccupancy(final String loopId)
    {
        return getDouble(CMD_GET_INDUCTIONLOOP_VARIABLE, LAST_STEP_OCCUPANCY, loopId);
    }

    /** Mean speed of the last step, m/s (-1 when no vehicle passed). */
    public double inductionLoopMeanSpeed(final String loopId)
    {
        return getDouble(CMD_GET_INDUCTIONLOOP_VARIABLE, LAST_STEP_MEAN_SPEED, loopId);
    }

    // ------------------------------------------------------------------------------------------ vehicles

    /** Vehicles in the network now. */
    public List<String> vehicleIds()
    {
        return getStringList(CMD_GET_VEHICLE_VARIABLE, ID_LIST, "");
    }

    /** SUMO's vehicle class, e.g. "passenger", "bus", "emergency". */
    public String vehicleClass(final String vehicleId)
    {
        return getString(CMD_GET_VEHICLE_VARIABLE, VAR_VEHICLECLASS, vehicleId);
    }

    public String vehicleType(final String vehicleId)
    {
        return getString(CMD_GET_VEHICLE_VARIABLE, VAR_TYPE, vehicleId);
    }

    /** The edge it is on (an internal edge ":..." inside a junction). */
    public String vehicleRoad(final String vehicleId)
    {
        return getString(CMD_GET_VEHICLE_VARIABLE, VAR_ROAD_ID, vehicleId);
    }

    /** The index of its current edge in its route (inside a junction: of the edge before it). */
    public int vehicleRouteIndex(final String vehicleId)
    {
        return getInt(CMD_GET_VEHICLE_VARIABLE, VAR_ROUTE_INDEX, vehicleId);
    }

    public String vehicleLane(final String vehicleId)
    {
        return getString(CMD_GET_VEHICLE_VARIABLE, VAR_LANE_ID, vehicleId);
    }

    /** Distance from the start of its lane, m. */
    public double vehicleLanePosition(final String vehicleId)
    {
        return getDouble(CMD_GET_VEHICLE_VARIABLE, VAR_LANEPOSITION, vehicleId);
    }

    /** Position in network coordinates, m. */
    public Position2D vehiclePosition(final String vehicleId)
    {
        final TraciReader r = get(CMD_GET_VEHICLE_VARIABLE, VAR_POSITION, vehicleId);
        r.expectType(POSITION_2D, what(CMD_GET_VEHICLE_VARIABLE, VAR_POSITION, vehicleId));
        return new Position2D(r.readDouble(), r.readDouble());
    }

    /** m/s. */
    public double vehicleSpeed(final String vehicleId)
    {
        return getDouble(CMD_GET_VEHICLE_VARIABLE, VAR_SPEED, vehicleId);
    }

    public String vehicleRouteId(final String vehicleId)
    {
        return getString(CMD_GET_VEHICLE_VARIABLE, VAR_ROUTE_ID, vehicleId);
    }

    /** The edges of its route. */
    public List<String> vehicleRoute(final String vehicleId)
    {
        return getStringList(CMD_GET_VEHICLE_VARIABLE, VAR_EDGES, vehicleId);
    }

    /** Time lost since departure against driving at the desired speed, s. */
    public double vehicleTimeLoss(final String vehicleId)
    {
        return getDouble(CMD_GET_VEHICLE_VARIABLE, VAR_TIMELOSS, vehicleId);
    }

    /** Time since it last stood still (speed <= 0.1 m/s), s: 0 while moving. */
    public double vehicleWaitingTime(final String vehicleId)
    {
        return getDouble(CMD_GET_VEHICLE_VARIABLE, VAR_WAITING_TIME, vehicleId);
    }

    /** Waiting time accumulated within SUMO's {@code --waiting-time-memory} window (default 100 s), s. */
    public double vehicleAccumulatedWaitingTime(final String vehicleId)
    {
        return getDouble(CMD_GET_VEHICLE_VARIABLE, VAR_ACCUMULATED_WAITING_TIME, vehicleId);
    }

    // ------------------------------------------------------------------------------------------ simulation

    /** Current simulation time, s. */
    public double simulationTime()
    {
        return getDouble(CMD_GET_SIM_VARIABLE, VAR_TIME, "");
    }

    /** Step length, s. */
    public double simulationDeltaT()
    {
        return getDouble(CMD_GET_SIM_VARIABLE, VAR_DELTA_T, "");
    }

    /** Vehicles in the network plus those still to be inserted: 0 when the demand is exhausted. */
    public int minExpectedNumber()
    {
        return getInt(CMD_GET_SIM_VARIABLE, VAR_MIN_EXPECTED_VEHICLES, "");
    }

    /** Vehicles inserted in the last step. */
    public List<String> departedIds()
    {
        return getStringList(CMD_GET_SIM_VARIABLE, VAR_DEPARTED_VEHICLES_IDS, "");
    }

    /** Vehicles that reached their destination in the last step. */
    public List<String> arrivedIds()
    {
        return getStringList(CMD_GET_SIM_VARIABLE, VAR_ARRIVED_VEHICLES_IDS, "");
    }

    /** Vehicles whose depart time has come but that could not be inserted yet. */
    public List<String> pendingIds()
    {
        return getStringList(CMD_GET_SIM_VARIABLE, VAR_PENDING_VEHICLES, "");
    }

    public int loadedNumber()
    {
        return getInt(CMD_GET_SIM_VARIABLE, VAR_LOADED_VEHICLES_NUMBER, "");
    }

    public int departedNumber()
    {
        return getInt(CMD_GET_SIM_VARIABLE, VAR_DEPARTED_VEHICLES_NUMBER, "");
    }

    public int arrivedNumber()
    {
        return getInt(CMD_GET_SIM_VARIABLE, VAR_ARRIVED_VEHICLES_NUMBER, "");
    }

    // ------------------------------------------------------------------------------------------ subscriptions

    /**
     * Subscribe to variables of one object of a domain (given by its get command, e.g.
     * {@link TraciConstants#CMD_GET_LANE_VARIABLE}); the answer already carries the current values.
     * Subscribing again to the same object replaces the earlier subscription.
     */
    public VariableSubscription subscribe(final int domain, final String objectId, final int... variables)
    {
        return subscribeAll(domain, List.of(objectId), variables).get(0);
    }

    /** Subscribe to the same variables of many objects in one request (one round trip). */
    public List<VariableSubscription> subscribeAll(final int domain, final List<String> objectIds, final int... variables)
    {
        if (variables.length == 0 || variables.length > 255)
        {
            throw new IllegalArgumentException("a subscription needs 1 to 255 variables, got " + variables.length);
        }
        final int subscribe = domain + SUBSCRIBE_OFFSET;
        final Map<String, VariableSubscription> byObject = subscriptions.computeIfAbsent(subscribe + RESPONSE_OFFSET, k -> new HashMap<>());
        final List<VariableSubscription> result = new ArrayList<>(objectIds.size());
        begin();
        for (final String objectId : objectIds)
        {
            command(subscribe, objectId)
                .putDouble(INVALID_DOUBLE_VALUE)
                .putDouble(INVALID_DOUBLE_VALUE)
                .putString(objectId)
                .putUbyte(variables.length);
            for (final int variable : variables)
            {
                writer.putUbyte(variable);
            }
            writer.endCommand();
            final VariableSubscription subscription = new VariableSubscription(domain, objectId, variables);
            byObject.put(objectId, subscription);
            result.add(subscription);
        }
        exchange();
        TraciException first = null;
        for (int i = 0; i < objectIds.size(); i++)
        {
            try
            {
                status(i);
                readSubscriptionResult();
            }
            catch (final TraciException ex)
            {
                byObject.remove(objectIds.get(i));
                first = first == null ? ex : first;
            }
        }
        if (first != null)
        {
            throw first;
        }
        return result;
    }

    public VariableSubscription subscribeLane(final String laneId, final int... variables)
    {
        return subscribe(CMD_GET_LANE_VARIABLE, laneId, variables);
    }

    public VariableSubscription subscribeSimulation(final int... variables)
    {
        return subscribe(CMD_GET_SIM_VARIABLE, "", variables);
    }

    public VariableSubscription subscribeTrafficLight(final String tlsId, final int... variables)
    {
        return subscribe(CMD_GET_TL_VARIABLE, tlsId, variables);
    }

    public VariableSubscription subscribeVehicle(final String vehicleId, final int... variables)
    {
        return subscribe(CMD_GET_VEHICLE_VARIABLE, vehicleId, variables);
    }

    public VariableSubscription subscribeInductionLoop(final String loopId, final int... variables)
    {
        return subscribe(CMD_GET_INDUCTIONLOOP_VARIABLE, loopId, variables);
    }

    /** Ask SUMO to stop sending this subscription's values (a subscription to no variables). */
    public void unsubscribe(final VariableSubscription subscription)
    {
        final int subscribe = subscription.domain() + SUBSCRIBE_OFFSET;
        begin();
        command(subscribe, subscription.objectId())
            .putDouble(INVALID_DOUBLE_VALUE)
            .putDouble(INVALID_DOUBLE_VALUE)
            .putString(subscription.objectId())
            .putUbyte(0);
        writer.endCommand();
        exchange();
        forget(subscription);
        status(0);
    }

    /**
     * Drop a subscription on this side only: for an object SUMO no longer has (an arrived vehicle),
     * whose subscription SUMO ended by itself.
     */
    public void forget(final VariableSubscription subscription)
    {
        final Map<String, VariableSubscription> byObject =
            subscriptions.get(subscription.domain() + SUBSCRIBE_OFFSET + RESPONSE_OFFSET);
        if (byObject != null && byObject.get(subscription.objectId()) == subscription)
        {
            byObject.remove(subscription.objectId());
        }
    }

    private void readSubscriptionResult()
    {
        final int start = reader.position();
        final int length = reader.readLength();
        final int response = reader.readUbyte();
        final String objectId = reader.readString();
        final int count = reader.readUbyte();
        final Map<String, VariableSubscription> byObject = subscriptions.get(response);
        final VariableSubscription subscription = byObject == null ? null : byObject.get(objectId);
        if (subscription == null)
        {
            reader.position(start + length); // not ours (any more): skip it whole
            return;
        }
        for (int i = 0; i < count; i++)
        {
            final int variable = reader.readUbyte();
            final int status = reader.readUbyte();
            if (status != RTYPE_OK)
            {
                final String message = reader.readTypedString("subscription error");
                throw new TraciException("subscribed variable 0x" + Integer.toHexString(variable) + " of '" + objectId
                    + "' failed: " + message, response - RESPONSE_OFFSET, message, null);
            }
            final int slot = subscription.slot(variable);
            if (slot < 0)
            {
                throw new TraciException("subscription result for '" + objectId + "' carries variable 0x"
                    + Integer.toHexString(variable) + " that was not asked for");
            }
            readValue(subscription, slot, objectId);
        }
        subscription.updatedAtStep(step);
    }

    private void readValue(final VariableSubscription subscription, final int slot, final String objectId)
    {
        final int type = reader.readUbyte();
        switch (type)
        {
            case TYPE_INTEGER -> subscription.setNumber(slot, reader.readInt());
            case TYPE_DOUBLE -> subscription.setNumber(slot, reader.readDouble());
            case TYPE_UBYTE -> subscription.setNumber(slot, reader.readUbyte());
            case TYPE_BYTE -> subscription.setNumber(slot, reader.readByte());
            case TYPE_STRING -> subscription.setString(slot, reader.readString());
            case TYPE_STRINGLIST -> reader.readStringList(subscription.clearedList(slot));
            case POSITION_2D -> subscription.setPosition(slot, reader.readDouble(), reader.readDouble());
            default -> throw new TraciException("subscription of '" + objectId + "': value type 0x" + Integer.toHexString(type)
                + " is not supported by this client");
        }
    }

    // ------------------------------------------------------------------------------------------ framing

    private void begin()
    {
        if (closed)
        {
            throw new TraciException("TraCI connection already closed");
        }
        writer.beginMessage();
        queuedCommands.clear();
        queuedObjects.clear();
    }

    private TraciWriter command(final int commandId, final String objectId)
    {
        queuedCommands.addInt(commandId);
        queuedObjects.add(objectId);
        return writer.beginCommand(commandId);
    }

    /** Send the message built so far and read the whole answer into the reader. */
    private void exchange()
    {
        final int length = writer.endMessage();
        try
        {
            out.write(writer.array(), 0, length);
            out.flush();
            final int total = in.readInt();
            if (total < Integer.BYTES)
            {
                throw new TraciException("TraCI answer with length " + total);
            }
            final int body = total - Integer.BYTES;
            if (body > inBytes.length)
            {
                inBytes = new byte[Math.max(body, inBytes.length * 2)];
            }
            in.readFully(inBytes, 0, body);
            reader.wrap(inBytes, body);
        }
        catch (final SocketTimeoutException ex)
        {
            throw new TraciException("SUMO did not answer " + commandName(queuedCommands.getInt(0)) + " within "
                + readTimeoutMs() + " ms", ex);
        }
        catch (final EOFException ex)
        {
            closed = true;
            throw new TraciException("connection closed by SUMO during " + commandName(queuedCommands.getInt(0)), ex);
        }
        catch (final IOException ex)
        {
            closed = true;
            throw new TraciException("TraCI connection failed during " + commandName(queuedCommands.getInt(0)) + ": "
                + ex.getMessage(), ex);
        }
    }

    private int readTimeoutMs()
    {
        try
        {
            return socket.getSoTimeout();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /** Read the status of queued command {@code index}; an error status throws with SUMO's message. */
    private void status(final int index)
    {
        final int expected = queuedCommands.getInt(index);
        final int start = reader.position();
        final int length = reader.readLength();
        final int commandId = reader.readUbyte();
        final int result = reader.readUbyte();
        final String description = reader.readString();
        reader.position(start + length);
        if (commandId != expected)
        {
            throw new TraciException("status for 0x" + Integer.toHexString(commandId) + " where " + commandName(expected)
                + " was expected");
        }
        if (result != RTYPE_OK)
        {
            final String object = queuedObjects.get(index);
            final String kind = result == RTYPE_NOTIMPLEMENTED ? "not implemented" : "error";
            throw new TraciException("SUMO answered " + commandName(expected) + (object.isEmpty() ? "" : " for '" + object + "'")
                + " with " + kind + ": " + description, expected, description, null);
        }
    }
}
