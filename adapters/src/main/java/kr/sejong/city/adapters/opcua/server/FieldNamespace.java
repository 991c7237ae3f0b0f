package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.adapters.opcua.FieldNodes.Kind;
import org.agrona.concurrent.EpochNanoClock;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilter;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilterContext;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The field information model of docs/opcua.md in one Milo namespace ({@link FieldNodes#NAMESPACE_URI}):
 * {@code Objects/Field/<Folder>} folders, one object per hosted device, its variables with their DataTypes,
 * access levels and Descriptions, and an intersection's methods.
 * <h2>Monitored items</h2>
 * A monitored Value of a field variable is told of every change as it happens (the variable's value observer
 * hands each new DataValue to the item), not sampled: so an item with a queue keeps every reading between two
 * publishes, as the analytics gateway's Event needs. Anything else (other attributes, other nodes) goes to
 * Milo's sampling {@link SubscriptionModel}, which this namespace starts and stops with itself.
 * <h2>Writes</h2>
 * R variables have AccessLevel CurrentRead only, so Milo refuses a write with Bad_NotWritable (UserAccessLevel
 * is CurrentRead and CurrentWrite for every variable: any user may do what the device allows). RW variables
 * pass a filter: a set-point out of the device's present limits is refused with Bad_OutOfRange; one that
 * passes is stored with the server's time as its SourceTimestamp and given to the {@link SetpointListener}.
 */
final class FieldNamespace extends ManagedNamespaceWithLifecycle
{
    private static final Logger LOG = LoggerFactory.getLogger(FieldNamespace.class);
    /** A measured value nobody has fed yet. */
    private static final StatusCode WAITING = new StatusCode(StatusCodes.Bad_WaitingForInitialData);

    private final SubscriptionModel subscriptionModel;
    private final EpochNanoClock clock;
    private final List<FieldDevice> devices;
    private final int watchdogMs;
    private final long planOriginNs;
    private final SetpointListener setpointListener;
    private final IntersectionController.ShownStateListener shownStateListener;
    private final Map<String, FieldVariable> variables = new ConcurrentHashMap<>();
    private final Map<Long, IntersectionController> controllers = new TreeMap<>();
    private final Map<NodeId, Set<DataItem>> pushedItems = new ConcurrentHashMap<>();
    private final Set<DataItem> sampledItems = ConcurrentHashMap.newKeySet();
    private volatile boolean built;

    FieldNamespace(final OpcUaServer server, final EpochNanoClock clock, final List<FieldDevice> devices, final int watchdogMs,
        final long planOriginNs, final SetpointListener setpointListener,
        final IntersectionController.ShownStateListener shownStateListener)
    {
        super(server, FieldNodes.NAMESPACE_URI);
        this.clock = clock;
        this.devices = List.copyOf(devices);
        this.watchdogMs = watchdogMs;
        this.planOriginNs = planOriginNs;
        this.setpointListener = setpointListener;
        this.shownStateListener = shownStateListener;
        subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addStartupTask(this::build);
    }

    // ------------------------------------------------------------------------------------------------ model

    private void build()
    {
        final long nowNs = clock.nanoTime();
        final UaFolderNode root = folder(FieldNodes.ROOT_FOLDER, FieldNodes.ROOT_FOLDER);
        root.addReference(new Reference(root.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));
        final Map<Kind, UaFolderNode> folders = new ConcurrentHashMap<>();
        for (final Kind kind : Kind.values())
        {
            final UaFolderNode folder = folder(FieldNodes.ROOT_FOLDER + "/" + kind.folder(), kind.folder());
            root.addOrganizes(folder);
            folders.put(kind, folder);
        }
        for (final FieldDevice device : devices)
        {
            final String identifier = FieldNodes.device(device.kind(), device.id());
            final UaObjectNode object = object(identifier, identifier, device.kind().deviceKind().name() + " " + device.id());
            folders.get(device.kind()).addOrganizes(object);
            switch (device.kind())
            {
                case INTERSECTION -> intersection(object, device, nowNs);
                case ESS -> ess(object, device, nowNs);
                case CHARGER -> charger(object, device, nowNs);
                case PV -> pv(object, device, nowNs);
                case PCC -> pcc(object, device);
                case ANALYTICS -> analytics(object, device);
                default -> throw new IllegalStateException(device.kind().name());
            }
        }
        built = true;
        LOG.info("field namespace {} (index {}): {} devices", FieldNodes.NAMESPACE_URI, getNamespaceIndex(), devices.size());
    }

    private void intersection(final UaObjectNode object, final FieldDevice device, final long nowNs)
    {
        final Kind kind = Kind.INTERSECTION;
        final long id = device.id();
        final ControllerTopology t = device.topology();
        final IntersectionController controller = new IntersectionController(id, t, watchdogMs, nowNs, planOriginNs, shownStateListener);
        synchronized (controllers)
        {
            controllers.put(id, controller);
        }
        final String lanes = "per incoming lane, in topology lane order";
        final String movements = "per movement, in signal-state order";
        scalar(object, kind, id, FieldNodes.NAME, NodeIds.String, "the controller's own id", t.name(), nowNs);
        scalar(object, kind, id, FieldNodes.MODE, NodeIds.Int32,
            "what it runs, a SignalMode value: ADAPTIVE 1 central commands, FIXED_TIME 2 local plan, PREEMPTION 4, FLASH 6",
            controller.mode(), nowNs);
        scalar(object, kind, id, FieldNodes.PHASE_INDEX, NodeIds.UInt16,
            "phase of the local program shown, or the program phase equal to the central state (65535: none)",
            Long.valueOf(controller.phaseIndex()), nowNs);
        scalar(object, kind, id, FieldNodes.PHASE_ELAPSED_MS, NodeIds.UInt32, "time in that phase, ms",
            controller.phaseElapsedMs(), nowNs);
        scalar(object, kind, id, FieldNodes.SIGNAL_STATE, NodeIds.String, "one letter per movement (SUMO rRgGyYuoOs)",
            controller.signalState(), nowNs);
        scalar(object, kind, id, FieldNodes.HEARTBEAT, NodeIds.UInt32, "the controller's own counter, +1 every second",
            controller.heartbeat(), nowNs);
        final FieldVariable central = variable(object, kind, id, FieldNodes.CENTRAL_HEARTBEAT, NodeIds.UInt32, false, true,
            "written by the central system every second; unchanged for WatchdogMs: back to the local plan",
            value(new Variant(scalarOf(NodeIds.UInt32, 0)), nowNs));
        central.node().getFilterChain().addLast(new CentralHeartbeatFilter(controller, this));
        scalar(object, kind, id, FieldNodes.WATCHDOG_MS, NodeIds.UInt32, "the controller's watchdog, ms", controller.watchdogMs(),
            nowNs);
        array(object, kind, id, FieldNodes.LANE_OBSERVATIONS, NodeIds.UInt16,
            lanes + ", three values: vehicles, halting vehicles, occupancy permille (length = 3 x lanes)", null, nowNs);
        array(object, kind, id, FieldNodes.LANE_APPROACHES, NodeIds.UInt16, lanes + ": the incoming road (approach index)",
            longs(t.laneApproaches()), nowNs);
        array(object, kind, id, FieldNodes.LANE_LENGTHS_MM, NodeIds.Int32, lanes + ": length, mm", longs(t.laneLengthsMm()), nowNs);
        array(object, kind, id, FieldNodes.LANE_SPEED_LIMITS_CM_PER_S, NodeIds.UInt16, lanes + ": speed limit, cm/s",
            longs(t.laneSpeedLimitsCmPerS()), nowNs);
        array(object, kind, id, FieldNodes.MOVEMENT_FROM_LANES, NodeIds.UInt16, movements + ": its incoming lane",
            longs(t.movementFromLanes()), nowNs);
        array(object, kind, id, FieldNodes.MOVEMENT_TO_APPROACHES, NodeIds.Int32,
            movements + ": outgoing road numbered after the incoming ones, -1 unknown", longs(t.movementToApproaches()), nowNs);
        scalar(object, kind, id, FieldNodes.MOVEMENT_TURNS, NodeIds.String,
            movements + ", one SUMO direction letter: s straight, l left, r right, t U-turn, L partial left, R partial right",
            t.movementTurns(), nowNs);
        scalar(object, kind, id, FieldNodes.CONFLICTS, NodeIds.ByteString,
            "movement x movement conflict matrix, row-major, one bit each: bit j of row i (byte (i*n+j)/8, bit (i*n+j)%8, " +
                "least significant first) set when i and j may not be green together", new ByteString(t.conflicts()), nowNs);
        variable(object, kind, id, FieldNodes.PROGRAM_STATES, NodeIds.String, true, false,
            "the controller's local fixed-time program, one state per phase", value(new Variant(t.programStates()), nowNs));
        array(object, kind, id, FieldNodes.PROGRAM_DURATIONS_MS, NodeIds.UInt32, "per phase of the program: duration, ms",
            t.programDurationsMs(), nowNs);
        array(object, kind, id, FieldNodes.PROGRAM_MIN_DURATIONS_MS, NodeIds.UInt32, "per phase of the program: minimum, ms",
            t.programMinDurationsMs(), nowNs);
        array(object, kind, id, FieldNodes.PROGRAM_MAX_DURATIONS_MS, NodeIds.UInt32, "per phase of the program: maximum, ms",
            t.programMaxDurationsMs(), nowNs);
        for (final long detectorId : device.detectorIds())
        {
            final String detectorIdentifier = FieldNodes.detector(id, detectorId);
            final UaObjectNode detector = object(detectorIdentifier, FieldNodes.DETECTOR + "/" + detectorId, "detector " + detectorId);
            object.addComponent(detector);
            final String counts = FieldNodes.detectorCounts(id, detectorId);
            variable(detector, counts, FieldNodes.COUNTS, NodeIds.UInt32, true, false,
                "interval ms, vehicle count, occupancy permille, presence (0/1); one update per detector interval",
                waiting(nowNs), FieldNodes.COUNTS_WIDTH);
        }
        for (final String method : List.of(FieldNodes.SET_SIGNAL_STATE, FieldNodes.REQUEST_PHASE, FieldNodes.HOLD, FieldNodes.FORCE_OFF,
            FieldNodes.PREEMPT))
        {
            method(object, controller, method);
        }
    }

    private void ess(final UaObjectNode object, final FieldDevice device, final long nowNs)
    {
        final Kind kind = Kind.ESS;
        final long id = device.id();
        measured(object, kind, id, FieldNodes.ACTIVE_POWER_W, NodeIds.Int32, "measured active power, W (+ charging)", nowNs);
        measured(object, kind, id, FieldNodes.REACTIVE_POWER_VAR, NodeIds.Int32, "measured reactive power, var", nowNs);
        measured(object, kind, id, FieldNodes.SOC_PERMILLE, NodeIds.UInt16, "state of charge, permille", nowNs);
        final FieldVariable maxCharge = scalar(object, kind, id, FieldNodes.MAX_CHARGE_POWER_W, NodeIds.Int32,
            "present charge limit, W (a positive number)", device.maxChargePowerW(), nowNs);
        final FieldVariable maxDischarge = scalar(object, kind, id, FieldNodes.MAX_DISCHARGE_POWER_W, NodeIds.Int32,
            "present discharge limit, W (a positive number)", device.maxDischargePowerW(), nowNs);
        scalar(object, kind, id, FieldNodes.SOC_MIN_PERMILLE, NodeIds.UInt16, "state of charge limit, permille",
            device.socMinPermille(), nowNs);
        scalar(object, kind, id, FieldNodes.SOC_MAX_PERMILLE, NodeIds.UInt16, "state of charge limit, permille",
            device.socMaxPermille(), nowNs);
        scalar(object, kind, id, FieldNodes.ALARMS, NodeIds.UInt32,
            "bit set: 1 over-temperature, 2 insulation fault, 4 inverter fault, 8 communication fault", 0, nowNs);
        setpoint(object, kind, id, FieldNodes.ACTIVE_POWER_SETPOINT_W, "active power set-point, W (+ charging, - discharging)",
            nowNs, () -> -maxDischarge.longValue(0), () -> maxCharge.longValue(0));
        setpoint(object, kind, id, FieldNodes.REACTIVE_POWER_SETPOINT_VAR, "reactive power set-point, var", nowNs,
            () -> -Math.max(maxCharge.longValue(0), maxDischarge.longValue(0)),
            () -> Math.max(maxCharge.longValue(0), maxDischarge.longValue(0)));
    }

    private void charger(final UaObjectNode object, final FieldDevice device, final long nowNs)
    {
        final Kind kind = Kind.CHARGER;
        final long id = device.id();
        measured(object, kind, id, FieldNodes.ACTIVE_POWER_W, NodeIds.Int32, "measured power, W (+ charging, - V2G)", nowNs);
        final FieldVariable maxPower = scalar(object, kind, id, FieldNodes.MAX_POWER_W, NodeIds.Int32, "the charger's rating, W",
            device.ratedPowerW(), nowNs);
        final FieldVariable v2g = scalar(object, kind, id, FieldNodes.V2G_CAPABLE, NodeIds.Boolean, "the charger can discharge",
            device.v2gCapable() ? 1 : 0, nowNs);
        setpoint(object, kind, id, FieldNodes.POWER_LIMIT_W, "power limit, W (negative: discharge, only where V2G is allowed)",
            nowNs, () -> v2g.longValue(0) == 1 ? -maxPower.longValue(0) : 0, () -> maxPower.longValue(0));
        variable(object, kind, id, FieldNodes.SESSION, NodeIds.Int64, true, false,
            "session id, state (ChargerSessionState), vehicle state of charge permille, energy needed Wh, departure time " +
                "(ns since the Unix epoch, or logical time in simulated mode), max charge W, max discharge W, V2G allowed (0/1)",
            waiting(nowNs), FieldNodes.SESSION_WIDTH);
    }

    private void pv(final UaObjectNode object, final FieldDevice device, final long nowNs)
    {
        final Kind kind = Kind.PV;
        final long id = device.id();
        measured(object, kind, id, FieldNodes.ACTIVE_POWER_W, NodeIds.Int32, "measured power, W (negative: generation)", nowNs);
        final long peakW = device.ratedPowerW();
        setpoint(object, kind, id, FieldNodes.CURTAILMENT_LIMIT_W,
            "curtailment limit as the SBE Setpoint carries it: -limit W (from -peak, no curtailment, to 0)", nowNs, () -> -peakW,
            () -> 0);
    }

    private void pcc(final UaObjectNode object, final FieldDevice device)
    {
        final long nowNs = clock.nanoTime();
        final Kind kind = Kind.PCC;
        final long id = device.id();
        measured(object, kind, id, FieldNodes.ACTIVE_POWER_W, NodeIds.Int32, "measured active power, W (+ import)", nowNs);
        measured(object, kind, id, FieldNodes.REACTIVE_POWER_VAR, NodeIds.Int32, "measured reactive power, var", nowNs);
        measured(object, kind, id, FieldNodes.FREQUENCY_MILLI_HZ, NodeIds.Int32, "grid frequency, mHz", nowNs);
        measured(object, kind, id, FieldNodes.LOAD_W, NodeIds.Int32, "the district load behind the meter, W", nowNs);
    }

    private void analytics(final UaObjectNode object, final FieldDevice device)
    {
        final long nowNs = clock.nanoTime();
        final Kind kind = Kind.ANALYTICS;
        final long id = device.id();
        variable(object, kind, id, FieldNodes.EVENT, NodeIds.Int64, true, false,
            "the latest event: event id, camera id, EventClass, OnvifState, confidence permille, east mm, north mm, object " +
                "count, observed at (ns)", waiting(nowNs), FieldNodes.EVENT_WIDTH);
        scalar(object, kind, id, FieldNodes.EVENT_COUNT, NodeIds.UInt64, "events published since start", 0, nowNs);
    }

    // ------------------------------------------------------------------------------------------------ building blocks

    private NodeId nodeId(final String identifier)
    {
        return new NodeId(getNamespaceIndex(), identifier);
    }

    private QualifiedName browseName(final String name)
    {
        return new QualifiedName(getNamespaceIndex(), name);
    }

    private UaFolderNode folder(final String identifier, final String name)
    {
        final UaFolderNode folder = new UaFolderNode(getNodeContext(), nodeId(identifier), browseName(name),
            LocalizedText.english(name));
        getNodeManager().addNode(folder);
        return folder;
    }

    private UaObjectNode object(final String identifier, final String name, final String description)
    {
        final UaObjectNode object = UaObjectNode.builder(getNodeContext())
            .setNodeId(nodeId(identifier))
            .setBrowseName(browseName(name))
            .setDisplayName(LocalizedText.english(name))
            .setDescription(LocalizedText.english(description))
            .build();
        object.addReference(new Reference(object.getNodeId(), NodeIds.HasTypeDefinition, NodeIds.BaseObjectType.expanded(), true));
        getNodeManager().addNode(object);
        return object;
    }

    private void method(final UaObjectNode object, final IntersectionController controller, final String name)
    {
        final String identifier = FieldNodes.node(Kind.INTERSECTION, controller.id(), name);
        final UaMethodNode method = UaMethodNode.builder(getNodeContext())
            .setNodeId(nodeId(identifier))
            .setBrowseName(browseName(name))
            .setDisplayName(LocalizedText.english(name))
            .setDescription(LocalizedText.english(describe(name)))
            .build();
        final var handler = IntersectionMethods.handler(method, name, controller, clock, () -> publish(controller));
        method.setInputArguments(handler.getInputArguments());
        method.setOutputArguments(handler.getOutputArguments());
        method.setInvocationHandler(handler);
        getNodeManager().addNode(method);
        object.addReference(new Reference(object.getNodeId(), NodeIds.HasComponent, method.getNodeId().expanded(), true));
    }

    private static String describe(final String method)
    {
        return switch (method)
        {
            case FieldNodes.SET_SIGNAL_STATE -> "show this state now (central control); the controller's conflict monitor refuses " +
                "a state that greens two conflicting movements, has the wrong length or unknown letters";
            case FieldNodes.REQUEST_PHASE -> "local plan: go to this phase next (after the current phase's minimum)";
            case FieldNodes.HOLD -> "local plan: stay in the current phase (up to its maximum) while active";
            case FieldNodes.FORCE_OFF -> "local plan: end the current phase as soon as its minimum has run";
            case FieldNodes.PREEMPT -> "preemption input (an approach index): while active, the local plan serves the first " +
                "phase that greens a movement from that approach and holds it";
            default -> method;
        };
    }

    private FieldVariable scalar(final UaObjectNode object, final Kind kind, final long id, final String name,
        final NodeId dataType, final String description, final Object initial, final long nowNs)
    {
        final Object value = initial instanceof Number number && !NodeIds.String.equals(dataType) ?
            scalarOf(dataType, number.longValue()) : initial;
        return variable(object, kind, id, name, dataType, false, false, description, value(new Variant(value), nowNs));
    }

    private void measured(final UaObjectNode object, final Kind kind, final long id, final String name, final NodeId dataType,
        final String description, final long nowNs)
    {
        variable(object, kind, id, name, dataType, false, false, description, waiting(nowNs));
    }

    private void array(final UaObjectNode object, final Kind kind, final long id, final String name, final NodeId dataType,
        final String description, final long[] initial, final long nowNs)
    {
        final FieldVariable variable = variable(object, kind, id, name, dataType, true, false, description, waiting(nowNs));
        if (initial != null)
        {
            variable.set(initial, initial.length, nowNs);
        }
    }

    private interface Bound
    {
        long value();
    }

    private void setpoint(final UaObjectNode object, final Kind kind, final long id, final String name, final String description,
        final long nowNs, final Bound min, final Bound max)
    {
        final long initial = Math.max(min.value(), Math.min(max.value(), kind == Kind.PV ? min.value() : kind == Kind.CHARGER ?
            max.value() : 0));
        final FieldVariable variable = variable(object, kind, id, name, NodeIds.Int32, false, true, description,
            value(new Variant((int)initial), nowNs));
        variable.node().getFilterChain().addLast(new SetpointFilter(kind, id, name, min, max));
    }

    private FieldVariable variable(final UaObjectNode object, final Kind kind, final long id, final String name,
        final NodeId dataType, final boolean array, final boolean writable, final String description, final DataValue initial)
    {
        return variable(object, FieldNodes.node(kind, id, name), name, dataType, array, writable, description, initial,
            array ? 0 : -1);
    }

    private FieldVariable variable(final UaObjectNode object, final Kind kind, final long id, final String name,
        final NodeId dataType, final boolean array, final boolean writable, final String description, final DataValue initial,
        final int length)
    {
        return variable(object, FieldNodes.node(kind, id, name), name, dataType, array, writable, description, initial, length);
    }

    private FieldVariable variable(final UaObjectNode object, final String identifier, final String name, final NodeId dataType,
        final boolean array, final boolean writable, final String description, final DataValue initial, final int length)
    {
        final Set<AccessLevel> access = writable ? AccessLevel.READ_WRITE : AccessLevel.READ_ONLY;
        final UaVariableNode node = UaVariableNode.builder(getNodeContext())
            .setNodeId(nodeId(identifier))
            .setBrowseName(browseName(name))
            .setDisplayName(LocalizedText.english(name))
            .setDescription(LocalizedText.english(description))
            .setDataType(dataType)
            .setValueRank(array ? ValueRanks.OneDimension : ValueRanks.Scalar)
            .setArrayDimensions(array ? new org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger[] {
                org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(Math.max(0, length))} : null)
            .setAccessLevel(access)
            // Milo's access controller checks UserAccessLevel before AccessLevel and would answer a write to a read-only
            // variable with Bad_UserAccessDenied; every user may write what the device allows, so AccessLevel decides and
            // the answer is the right one, Bad_NotWritable
            .setUserAccessLevel(AccessLevel.READ_WRITE)
            .setMinimumSamplingInterval(0.0)
            .setValue(initial)
            .setTypeDefinition(NodeIds.BaseDataVariableType)
            .build();
        node.addAttributeObserver(this::onAttributeChanged);
        getNodeManager().addNode(node);
        object.addComponent(node);
        final FieldVariable variable = new FieldVariable(node, identifier, dataType, array, clock);
        variables.put(identifier, variable);
        return variable;
    }

    private DataValue value(final Variant variant, final long nowNs)
    {
        return new DataValue(variant, StatusCode.GOOD, FieldVariable.dateTime(nowNs), FieldVariable.dateTime(clock.nanoTime()));
    }

    private DataValue waiting(final long nowNs)
    {
        return new DataValue(Variant.NULL_VALUE, WAITING, FieldVariable.dateTime(nowNs), FieldVariable.dateTime(nowNs));
    }

    static Object scalarOf(final NodeId dataType, final long value)
    {
        if (NodeIds.Int32.equals(dataType))
        {
            return (int)value;
        }
        if (NodeIds.UInt16.equals(dataType))
        {
            return org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort((int)value);
        }
        if (NodeIds.UInt32.equals(dataType))
        {
            return org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(value);
        }
        if (NodeIds.UInt64.equals(dataType))
        {
            return org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong(value);
        }
        if (NodeIds.Boolean.equals(dataType))
        {
            return value != 0;
        }
        if (NodeIds.Int64.equals(dataType))
        {
            return value;
        }
        throw new IllegalArgumentException(dataType.toString());
    }

    private static long[] longs(final int[] values)
    {
        final long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = values[i];
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ controller values

    /** Writes a controller's state into its variables (those that changed), stamped with the controller's time. */
    void publish(final IntersectionController controller)
    {
        if (!built)
        {
            return;
        }
        final long id = controller.id();
        final long nowNs;
        final int mode;
        final int phase;
        final long elapsedMs;
        final String state;
        final long heartbeat;
        synchronized (controller)
        {
            nowNs = controller.nowNs();
            mode = controller.mode();
            phase = controller.phaseIndex();
            elapsedMs = controller.phaseElapsedMs();
            state = controller.signalState();
            heartbeat = controller.heartbeat();
        }
        setIfChanged(variable(Kind.INTERSECTION, id, FieldNodes.MODE), mode, nowNs);
        setIfChanged(variable(Kind.INTERSECTION, id, FieldNodes.PHASE_INDEX), phase, nowNs);
        setIfChanged(variable(Kind.INTERSECTION, id, FieldNodes.PHASE_ELAPSED_MS), elapsedMs, nowNs);
        final FieldVariable signalState = variable(Kind.INTERSECTION, id, FieldNodes.SIGNAL_STATE);
        if (!state.equals(signalState.value()))
        {
            signalState.set(state, nowNs);
        }
        setIfChanged(variable(Kind.INTERSECTION, id, FieldNodes.HEARTBEAT), heartbeat, nowNs);
    }

    private static void setIfChanged(final FieldVariable variable, final long value, final long nowNs)
    {
        if (variable.longValue(Long.MIN_VALUE) != value)
        {
            variable.set(value, nowNs);
        }
    }

    /** Moves every controller on to the clock's time and publishes what changed. */
    void tick()
    {
        final long nowNs = clock.nanoTime();
        for (final IntersectionController controller : controllers())
        {
            controller.tick(nowNs);
            publish(controller);
        }
    }

    List<IntersectionController> controllers()
    {
        synchronized (controllers)
        {
            return new ArrayList<>(controllers.values());
        }
    }

    IntersectionController controller(final long id)
    {
        synchronized (controllers)
        {
            return controllers.get(id);
        }
    }

    FieldVariable variable(final String identifier)
    {
        return variables.get(identifier);
    }

    FieldVariable variable(final Kind kind, final long id, final String name)
    {
        return variables.get(FieldNodes.node(kind, id, name));
    }

    /** A topology came from the field (the feed): the controller takes it, the topology variables show it. */
    void topology(final long id, final ControllerTopology topology, final long sourceTimeNs)
    {
        final IntersectionController controller = controller(id);
        if (controller == null)
        {
            return;
        }
        if (controller.topology().equals(topology))
        {
            return;
        }
        if (controller.topology().movementCount() != topology.movementCount() ||
            controller.topology().laneCount() != topology.laneCount())
        {
            LOG.warn("Intersection/{}: a topology of {} lanes and {} movements does not fit the controller's {} and {}: ignored", id,
                topology.laneCount(), topology.movementCount(), controller.topology().laneCount(),
                controller.topology().movementCount());
            return;
        }
        controller.topology(topology, clock.nanoTime());
        final Kind kind = Kind.INTERSECTION;
        variable(kind, id, FieldNodes.NAME).set(topology.name(), sourceTimeNs);
        variable(kind, id, FieldNodes.LANE_APPROACHES).set(longs(topology.laneApproaches()), topology.laneCount(), sourceTimeNs);
        variable(kind, id, FieldNodes.LANE_LENGTHS_MM).set(longs(topology.laneLengthsMm()), topology.laneCount(), sourceTimeNs);
        variable(kind, id, FieldNodes.LANE_SPEED_LIMITS_CM_PER_S).set(longs(topology.laneSpeedLimitsCmPerS()), topology.laneCount(),
            sourceTimeNs);
        variable(kind, id, FieldNodes.MOVEMENT_FROM_LANES).set(longs(topology.movementFromLanes()), topology.movementCount(),
            sourceTimeNs);
        variable(kind, id, FieldNodes.MOVEMENT_TO_APPROACHES).set(longs(topology.movementToApproaches()), topology.movementCount(),
            sourceTimeNs);
        variable(kind, id, FieldNodes.MOVEMENT_TURNS).set(topology.movementTurns(), sourceTimeNs);
        variable(kind, id, FieldNodes.CONFLICTS).set(new ByteString(topology.conflicts()), sourceTimeNs);
        variable(kind, id, FieldNodes.PROGRAM_STATES).set(topology.programStates(), sourceTimeNs);
        variable(kind, id, FieldNodes.PROGRAM_DURATIONS_MS).set(topology.programDurationsMs(), topology.phaseCount(), sourceTimeNs);
        variable(kind, id, FieldNodes.PROGRAM_MIN_DURATIONS_MS).set(topology.programMinDurationsMs(), topology.phaseCount(),
            sourceTimeNs);
        variable(kind, id, FieldNodes.PROGRAM_MAX_DURATIONS_MS).set(topology.programMaxDurationsMs(), topology.phaseCount(),
            sourceTimeNs);
        publish(controller);
    }

    EpochNanoClock clock()
    {
        return clock;
    }

    // ------------------------------------------------------------------------------------------------ writes

    /** CentralHeartbeat: the controller's watchdog learns of each write. */
    private static final class CentralHeartbeatFilter implements AttributeFilter
    {
        private final IntersectionController controller;
        private final FieldNamespace namespace;

        CentralHeartbeatFilter(final IntersectionController controller, final FieldNamespace namespace)
        {
            this.controller = controller;
            this.namespace = namespace;
        }

        @Override
        public void writeAttribute(final AttributeFilterContext ctx, final AttributeId attributeId, final Object value)
            throws UaException
        {
            if (attributeId != AttributeId.Value)
            {
                ctx.writeAttribute(attributeId, value);
                return;
            }
            final DataValue written = (DataValue)value;
            final Object heartbeat = written.getValue().getValue();
            if (!(heartbeat instanceof Number number))
            {
                throw new UaException(StatusCodes.Bad_TypeMismatch, "CentralHeartbeat is a UInt32");
            }
            final long nowNs = namespace.clock().nanoTime();
            ctx.writeAttribute(attributeId, new DataValue(written.getValue(), StatusCode.GOOD, FieldVariable.dateTime(nowNs),
                FieldVariable.dateTime(nowNs)));
            controller.centralHeartbeat(number.longValue(), nowNs);
            namespace.publish(controller);
        }
    }

    /** A set-point: refused beyond the device's present limits, else stored, stamped and passed on. */
    private final class SetpointFilter implements AttributeFilter
    {
        private final Kind kind;
        private final long id;
        private final String name;
        private final Bound min;
        private final Bound max;

        SetpointFilter(final Kind kind, final long id, final String name, final Bound min, final Bound max)
        {
            this.kind = kind;
            this.id = id;
            this.name = name;
            this.min = min;
            this.max = max;
        }

        @Override
        public void writeAttribute(final AttributeFilterContext ctx, final AttributeId attributeId, final Object value)
            throws UaException
        {
            if (attributeId != AttributeId.Value)
            {
                ctx.writeAttribute(attributeId, value);
                return;
            }
            final DataValue written = (DataValue)value;
            if (!(written.getValue().getValue() instanceof Integer setpoint))
            {
                throw new UaException(StatusCodes.Bad_TypeMismatch, FieldNodes.node(kind, id, name) + " is an Int32");
            }
            final long low = min.value();
            final long high = max.value();
            if (setpoint < low || setpoint > high)
            {
                final String problem = FieldNodes.node(kind, id, name) + ": " + setpoint + " is beyond the device's limits [" + low +
                    ", " + high + "]";
                LOG.warn("refused: {}", problem);
                throw new UaException(StatusCodes.Bad_OutOfRange, problem);
            }
            final long nowNs = clock.nanoTime();
            ctx.writeAttribute(attributeId, new DataValue(written.getValue(), StatusCode.GOOD, FieldVariable.dateTime(nowNs),
                FieldVariable.dateTime(nowNs)));
            if (setpointListener != null)
            {
                setpointListener.onSetpoint(kind, id, name, setpoint, nowNs);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ monitored items

    private void onAttributeChanged(final UaNode node, final AttributeId attributeId, final Object value)
    {
        if (attributeId != AttributeId.Value)
        {
            return;
        }
        final Set<DataItem> items = pushedItems.get(node.getNodeId());
        if (items != null && value instanceof DataValue dataValue)
        {
            for (final DataItem item : items)
            {
                if (item.isSamplingEnabled())
                {
                    item.setValue(dataValue);
                }
            }
        }
    }

    private boolean pushed(final DataItem item)
    {
        return item.getReadValueId().getAttributeId().equals(AttributeId.Value.uid()) &&
            getNodeManager().getNode(item.getReadValueId().getNodeId()).orElse(null) instanceof UaVariableNode;
    }

    @Override
    public void onDataItemsCreated(final List<DataItem> items)
    {
        final List<DataItem> sampled = new ArrayList<>();
        for (final DataItem item : items)
        {
            if (pushed(item))
            {
                final NodeId nodeId = item.getReadValueId().getNodeId();
                pushedItems.computeIfAbsent(nodeId, k -> new CopyOnWriteArraySet<>()).add(item);
                if (item.isSamplingEnabled())
                {
                    getNodeManager().getNode(nodeId).ifPresent(node -> item.setValue(((UaVariableNode)node).getValue()));
                }
            }
            else
            {
                sampled.add(item);
                sampledItems.add(item);
            }
        }
        if (!sampled.isEmpty())
        {
            subscriptionModel.onDataItemsCreated(sampled);
        }
    }

    @Override
    public void onDataItemsModified(final List<DataItem> items)
    {
        final List<DataItem> sampled = items.stream().filter(sampledItems::contains).toList();
        if (!sampled.isEmpty())
        {
            subscriptionModel.onDataItemsModified(sampled);
        }
    }

    @Override
    public void onDataItemsDeleted(final List<DataItem> items)
    {
        final List<DataItem> sampled = new ArrayList<>();
        for (final DataItem item : items)
        {
            if (sampledItems.remove(item))
            {
                sampled.add(item);
            }
            else
            {
                final Set<DataItem> set = pushedItems.get(item.getReadValueId().getNodeId());
                if (set != null)
                {
                    set.remove(item);
                }
            }
        }
        if (!sampled.isEmpty())
        {
            subscriptionModel.onDataItemsDeleted(sampled);
        }
    }

    @Override
    public void onMonitoringModeChanged(final List<MonitoredItem> items)
    {
        final List<MonitoredItem> sampled = new ArrayList<>();
        for (final MonitoredItem item : items)
        {
            if (item instanceof DataItem dataItem && sampledItems.contains(dataItem))
            {
                sampled.add(item);
            }
            else if (item instanceof DataItem dataItem && dataItem.isSamplingEnabled())
            {
                // sampling again: the value as it stands now
                getNodeManager().getNode(item.getReadValueId().getNodeId())
                    .ifPresent(node -> dataItem.setValue(((UaVariableNode)node).getValue()));
            }
        }
        if (!sampled.isEmpty())
        {
            subscriptionModel.onMonitoringModeChanged(sampled);
        }
    }
}
