package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.adapters.opcua.FieldNodes.Kind;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static kr.sejong.city.adapters.opcua.server.FieldServerTesting.T0_NS;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A field server seen through a plain Milo SDK client (Basic256Sha256, SignAndEncrypt, user name): the model of
 * docs/opcua.md as it browses and reads, fed values with their SourceTimestamps, the intersection's methods and
 * its own conflict monitor, set-point writes and their range checks, and the watchdog. One server for the class
 * (a Milo server takes a while to start); the clock is the test's, the server never ticks by itself.
 */
class FieldServerTest
{
    private static final long INTERSECTION = 3;
    private static final long DETECTOR = 31;
    private static final long ESS = 5;
    private static final long CHARGER = 6;
    private static final long PV = 8;
    private static final long PCC = 1;
    private static final long ANALYTICS = 9;

    @TempDir
    static Path pki;

    private static FieldServerTesting.ManualClock clock;
    private static FieldServer server;
    private static OpcUaClient client;
    private static int ns;
    private static final List<String> setpoints = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception
    {
        clock = new FieldServerTesting.ManualClock(T0_NS);
        server = FieldServer.start(new FieldServer.Context()
            .bindAddress("127.0.0.1")
            .hostname("localhost")
            .port(FieldServerTesting.freePort())
            .pkiDirectory(pki)
            .user(FieldServerTesting.USER, FieldServerTesting.PASSWORD_HASH)
            .epochNanoClock(clock)
            .tickIntervalMs(0)
            .device(FieldDevice.intersection(INTERSECTION, FieldServerTesting.crossing(), DETECTOR))
            .device(FieldDevice.ess(ESS, 100_000, 120_000, 100, 900))
            .device(FieldDevice.charger(CHARGER, 22_000, false))
            .device(FieldDevice.pv(PV, 50_000))
            .device(FieldDevice.pcc(PCC))
            .device(FieldDevice.analytics(ANALYTICS))
            .setpointListener((kind, id, name, value, atNs) -> setpoints.add(FieldNodes.node(kind, id, name) + "=" + value)));
        final FieldServerTesting.ClientIdentity identity = FieldServerTesting.ClientIdentity.create("urn:sejong-city:test:milo-client");
        server.trust(identity.certificate());
        client = identity.connect(server.endpointUrl(), SecurityPolicy.Basic256Sha256, FieldServerTesting.user(), server.certificate());
        ns = client.getNamespaceTable().getIndex(FieldNodes.NAMESPACE_URI).intValue();
    }

    @AfterAll
    static void stop() throws Exception
    {
        if (client != null)
        {
            client.disconnect();
        }
        if (server != null)
        {
            server.close();
        }
    }

    private static NodeId id(final String identifier)
    {
        return new NodeId(ns, identifier);
    }

    private static NodeId id(final Kind kind, final long device, final String name)
    {
        return id(FieldNodes.node(kind, device, name));
    }

    private static DataValue read(final NodeId node, final AttributeId attribute) throws Exception
    {
        return client.read(0.0, TimestampsToReturn.Both, List.of(new ReadValueId(node, attribute.uid(), null, QualifiedName.NULL_VALUE)))
            .getResults()[0];
    }

    private static DataValue read(final NodeId node) throws Exception
    {
        return read(node, AttributeId.Value);
    }

    private static List<ReferenceDescription> browse(final NodeId node) throws Exception
    {
        final BrowseResult result = client.browse(new BrowseDescription(node, BrowseDirection.Forward, NodeIds.HierarchicalReferences,
            true, uint(0), uint(BrowseResultMask.All.getValue())));
        return Arrays.asList(result.getReferences());
    }

    private static NodeId child(final NodeId parent, final String browseName) throws Exception
    {
        for (final ReferenceDescription reference : browse(parent))
        {
            if (reference.getBrowseName().getName().equals(browseName))
            {
                return reference.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
            }
        }
        throw new AssertionError(browseName + " not under " + parent + ": " + browse(parent));
    }

    private static CallMethodResult call(final String method, final Variant... arguments) throws Exception
    {
        final NodeId object = id(FieldNodes.device(Kind.INTERSECTION, INTERSECTION));
        return client.call(List.of(new CallMethodRequest(object, id(Kind.INTERSECTION, INTERSECTION, method), arguments)))
            .getResults()[0];
    }

    @Test
    void theModelBrowsesAsDocumented() throws Exception
    {
        final NodeId field = child(NodeIds.ObjectsFolder, FieldNodes.ROOT_FOLDER);
        final List<String> folders = browse(field).stream().map(r -> r.getBrowseName().getName()).sorted().toList();
        assertEquals(List.of("Analytics", "Chargers", "Ess", "Intersections", "Pcc", "Pv"), folders);
        final NodeId intersection = child(child(field, "Intersections"), "Intersection/3");
        assertEquals(id("Intersection/3"), intersection);
        final List<String> members = browse(intersection).stream().map(r -> r.getBrowseName().getName()).toList();
        for (final String name : List.of(FieldNodes.NAME, FieldNodes.MODE, FieldNodes.PHASE_INDEX, FieldNodes.PHASE_ELAPSED_MS,
            FieldNodes.SIGNAL_STATE, FieldNodes.HEARTBEAT, FieldNodes.CENTRAL_HEARTBEAT, FieldNodes.WATCHDOG_MS,
            FieldNodes.LANE_OBSERVATIONS, FieldNodes.LANE_APPROACHES, FieldNodes.LANE_LENGTHS_MM, FieldNodes.LANE_SPEED_LIMITS_CM_PER_S,
            FieldNodes.MOVEMENT_FROM_LANES, FieldNodes.MOVEMENT_TO_APPROACHES, FieldNodes.MOVEMENT_TURNS, FieldNodes.CONFLICTS,
            FieldNodes.PROGRAM_STATES, FieldNodes.PROGRAM_DURATIONS_MS, FieldNodes.PROGRAM_MIN_DURATIONS_MS,
            FieldNodes.PROGRAM_MAX_DURATIONS_MS, FieldNodes.SET_SIGNAL_STATE, FieldNodes.REQUEST_PHASE, FieldNodes.HOLD,
            FieldNodes.FORCE_OFF, FieldNodes.PREEMPT, "Detector/31"))
        {
            assertTrue(members.contains(name), name + " missing from " + members);
        }
        assertEquals(id("Ess/5"), child(child(field, "Ess"), "Ess/5"));
        assertEquals(id("Charger/6"), child(child(field, "Chargers"), "Charger/6"));
        assertEquals(id("Pv/8"), child(child(field, "Pv"), "Pv/8"));
        assertEquals(id("Pcc/1"), child(child(field, "Pcc"), "Pcc/1"));
        assertEquals(id("Analytics/9"), child(child(field, "Analytics"), "Analytics/9"));
        assertEquals(id("Intersection/3/Detector/31/Counts"), child(id("Intersection/3/Detector/31"), FieldNodes.COUNTS));
    }

    @Test
    void variablesHaveTheDocumentedDataTypesAccessLevelsAndDescriptions() throws Exception
    {
        final Object[][] expected = {
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.NAME, NodeIds.String, -1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.MODE, NodeIds.Int32, -1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.PHASE_INDEX, NodeIds.UInt16, -1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.PHASE_ELAPSED_MS, NodeIds.UInt32, -1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.SIGNAL_STATE, NodeIds.String, -1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.HEARTBEAT, NodeIds.UInt32, -1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.CENTRAL_HEARTBEAT, NodeIds.UInt32, -1, true},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.WATCHDOG_MS, NodeIds.UInt32, -1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.LANE_OBSERVATIONS, NodeIds.UInt16, 1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.LANE_APPROACHES, NodeIds.UInt16, 1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.LANE_LENGTHS_MM, NodeIds.Int32, 1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.LANE_SPEED_LIMITS_CM_PER_S, NodeIds.UInt16, 1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.MOVEMENT_FROM_LANES, NodeIds.UInt16, 1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.MOVEMENT_TO_APPROACHES, NodeIds.Int32, 1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.MOVEMENT_TURNS, NodeIds.String, -1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.CONFLICTS, NodeIds.ByteString, -1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.PROGRAM_STATES, NodeIds.String, 1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.PROGRAM_DURATIONS_MS, NodeIds.UInt32, 1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.PROGRAM_MIN_DURATIONS_MS, NodeIds.UInt32, 1, false},
            {Kind.INTERSECTION, INTERSECTION, FieldNodes.PROGRAM_MAX_DURATIONS_MS, NodeIds.UInt32, 1, false},
            {Kind.ESS, ESS, FieldNodes.ACTIVE_POWER_W, NodeIds.Int32, -1, false},
            {Kind.ESS, ESS, FieldNodes.REACTIVE_POWER_VAR, NodeIds.Int32, -1, false},
            {Kind.ESS, ESS, FieldNodes.SOC_PERMILLE, NodeIds.UInt16, -1, false},
            {Kind.ESS, ESS, FieldNodes.MAX_CHARGE_POWER_W, NodeIds.Int32, -1, false},
            {Kind.ESS, ESS, FieldNodes.MAX_DISCHARGE_POWER_W, NodeIds.Int32, -1, false},
            {Kind.ESS, ESS, FieldNodes.SOC_MIN_PERMILLE, NodeIds.UInt16, -1, false},
            {Kind.ESS, ESS, FieldNodes.SOC_MAX_PERMILLE, NodeIds.UInt16, -1, false},
            {Kind.ESS, ESS, FieldNodes.ALARMS, NodeIds.UInt32, -1, false},
            {Kind.ESS, ESS, FieldNodes.ACTIVE_POWER_SETPOINT_W, NodeIds.Int32, -1, true},
            {Kind.ESS, ESS, FieldNodes.REACTIVE_POWER_SETPOINT_VAR, NodeIds.Int32, -1, true},
            {Kind.CHARGER, CHARGER, FieldNodes.ACTIVE_POWER_W, NodeIds.Int32, -1, false},
            {Kind.CHARGER, CHARGER, FieldNodes.POWER_LIMIT_W, NodeIds.Int32, -1, true},
            {Kind.CHARGER, CHARGER, FieldNodes.MAX_POWER_W, NodeIds.Int32, -1, false},
            {Kind.CHARGER, CHARGER, FieldNodes.V2G_CAPABLE, NodeIds.Boolean, -1, false},
            {Kind.CHARGER, CHARGER, FieldNodes.SESSION, NodeIds.Int64, 1, false},
            {Kind.PV, PV, FieldNodes.ACTIVE_POWER_W, NodeIds.Int32, -1, false},
            {Kind.PV, PV, FieldNodes.CURTAILMENT_LIMIT_W, NodeIds.Int32, -1, true},
            {Kind.PCC, PCC, FieldNodes.ACTIVE_POWER_W, NodeIds.Int32, -1, false},
            {Kind.PCC, PCC, FieldNodes.REACTIVE_POWER_VAR, NodeIds.Int32, -1, false},
            {Kind.PCC, PCC, FieldNodes.FREQUENCY_MILLI_HZ, NodeIds.Int32, -1, false},
            {Kind.PCC, PCC, FieldNodes.LOAD_W, NodeIds.Int32, -1, false},
            {Kind.ANALYTICS, ANALYTICS, FieldNodes.EVENT, NodeIds.Int64, 1, false},
            {Kind.ANALYTICS, ANALYTICS, FieldNodes.EVENT_COUNT, NodeIds.UInt64, -1, false},
        };
        for (final Object[] row : expected)
        {
            final NodeId node = id((Kind)row[0], (Long)row[1], (String)row[2]);
            assertEquals(row[3], read(node, AttributeId.DataType).getValue().getValue(), node + " DataType");
            assertEquals(row[4], read(node, AttributeId.ValueRank).getValue().getValue(), node + " ValueRank");
            final int access = ((UByte)read(node, AttributeId.AccessLevel).getValue().getValue()).intValue();
            assertEquals((boolean)row[5], (access & 2) != 0, node + " writable");
            assertTrue((access & 1) != 0, node + " readable");
            final LocalizedText description = (LocalizedText)read(node, AttributeId.Description).getValue().getValue();
            assertFalse(description.getText().isBlank(), node + " Description");
        }
        final NodeId counts = id(FieldNodes.detectorCounts(INTERSECTION, DETECTOR));
        assertEquals(NodeIds.UInt32, read(counts, AttributeId.DataType).getValue().getValue());
        final String layout = ((LocalizedText)read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.LANE_OBSERVATIONS),
            AttributeId.Description).getValue().getValue()).getText();
        assertTrue(layout.contains("vehicles, halting vehicles, occupancy"), layout);
        final String session = ((LocalizedText)read(id(Kind.CHARGER, CHARGER, FieldNodes.SESSION), AttributeId.Description)
            .getValue().getValue()).getText();
        assertTrue(session.startsWith("session id, state"), session);
    }

    @Test
    void theTopologyAndTheControllerReadAsConfiguredWithSourceTimestamps() throws Exception
    {
        final ControllerTopology crossing = FieldServerTesting.crossing();
        assertEquals("crossing-3", read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.NAME)).getValue().getValue());
        assertArrayEquals(crossing.programStates(),
            (String[])read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.PROGRAM_STATES)).getValue().getValue());
        assertArrayEquals(crossing.conflicts(),
            ((ByteString)read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.CONFLICTS)).getValue().getValue()).bytesOrEmpty());
        assertArrayEquals(new Integer[] {5, 4, 7, 6},
            (Integer[])read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.MOVEMENT_TO_APPROACHES)).getValue().getValue());
        assertEquals(uint(3000), read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.WATCHDOG_MS)).getValue().getValue());
        for (final String name : List.of(FieldNodes.NAME, FieldNodes.MODE, FieldNodes.SIGNAL_STATE, FieldNodes.PHASE_INDEX,
            FieldNodes.PROGRAM_DURATIONS_MS, FieldNodes.HEARTBEAT))
        {
            final DataValue value = read(id(Kind.INTERSECTION, INTERSECTION, name));
            assertTrue(value.getStatusCode().isGood(), name + " " + value);
            assertNotNull(value.getSourceTime(), name);
            assertTrue(value.getSourceTime().isValid(), name);
        }
        assertEquals(120_000, read(id(Kind.ESS, ESS, FieldNodes.MAX_DISCHARGE_POWER_W)).getValue().getValue());
        assertEquals(Boolean.FALSE, read(id(Kind.CHARGER, CHARGER, FieldNodes.V2G_CAPABLE)).getValue().getValue());
    }

    @Test
    void aSubscriptionSeesAFedValueWithItsSourceTimestamp() throws Exception
    {
        final BlockingQueue<DataValue> values = new LinkedBlockingQueue<>();
        final OpcUaSubscription subscription = new OpcUaSubscription(client, 50.0);
        subscription.create();
        try
        {
            final OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(id(Kind.ESS, ESS, FieldNodes.SOC_PERMILLE));
            item.setDataValueListener((monitoredItem, value) -> values.add(value));
            subscription.addMonitoredItem(item);
            subscription.synchronizeMonitoredItems();
            final DataValue initial = values.poll(10, TimeUnit.SECONDS);
            assertNotNull(initial, "the initial value");
            assertEquals(StatusCodes.Bad_WaitingForInitialData, initial.getStatusCode().getValue(), "nothing measured yet");

            final long measuredAtNs = T0_NS - 1_500_000_000L;
            server.variable(Kind.ESS, ESS, FieldNodes.SOC_PERMILLE).set(640, measuredAtNs);
            final DataValue fed = values.poll(10, TimeUnit.SECONDS);
            assertNotNull(fed, "the fed value");
            assertEquals(ushort(640), fed.getValue().getValue());
            assertEquals(measuredAtNs, FieldVariable.epochNs(fed.getSourceTime()));
        }
        finally
        {
            subscription.delete();
        }
    }

    @Test
    void everyEventBetweenTwoPublishesReachesAQueuedItem() throws Exception
    {
        final BlockingQueue<DataValue> values = new LinkedBlockingQueue<>();
        final OpcUaSubscription subscription = new OpcUaSubscription(client, 500.0);
        subscription.create();
        try
        {
            final OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(id(Kind.ANALYTICS, ANALYTICS, FieldNodes.EVENT));
            item.setQueueSize(uint(FieldNodes.EVENT_QUEUE_SIZE));
            item.setDataValueListener((monitoredItem, value) -> values.add(value));
            subscription.addMonitoredItem(item);
            subscription.synchronizeMonitoredItems();
            assertNotNull(values.poll(10, TimeUnit.SECONDS), "the initial value");
            final FieldVariable event = server.variable(Kind.ANALYTICS, ANALYTICS, FieldNodes.EVENT);
            for (int e = 1; e <= 5; e++)
            {
                event.set(new long[] {e, 70, 1, 1, 900, 1000, 2000, 1, T0_NS + e}, FieldNodes.EVENT_WIDTH, T0_NS + e);
            }
            final List<Long> ids = new ArrayList<>();
            for (int e = 1; e <= 5; e++)
            {
                final DataValue value = values.poll(10, TimeUnit.SECONDS);
                assertNotNull(value, "event " + e);
                ids.add(((Long[])value.getValue().getValue())[0]);
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids);
        }
        finally
        {
            subscription.delete();
        }
    }

    @Test
    void setSignalStateShowsAGoodStateAndTheConflictMonitorRefusesBadOnes() throws Exception
    {
        final IntersectionController controller = server.intersection(INTERSECTION);
        // the local plan shows GGrr: a first command that ends that green through its yellow is shown as it is
        final CallMethodResult good = call(FieldNodes.SET_SIGNAL_STATE, new Variant("yyrr"), new Variant(uint(3000)),
            new Variant((int)SignalMode.ADAPTIVE.value()), new Variant((int)SignalReason.YELLOW_CLEARANCE.value()));
        assertEquals(StatusCode.GOOD, good.getStatusCode());
        assertEquals("yyrr", read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.SIGNAL_STATE)).getValue().getValue());
        assertEquals((int)SignalMode.ADAPTIVE.value(), read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.MODE)).getValue().getValue());
        assertEquals(ushort(1), read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.PHASE_INDEX)).getValue().getValue(),
            "yyrr is phase 1 of the own program");

        final CallMethodResult conflicting = call(FieldNodes.SET_SIGNAL_STATE, new Variant("GrGr"), new Variant(uint(5000)),
            new Variant(1), new Variant(5));
        assertEquals(StatusCodes.Bad_InvalidArgument, conflicting.getStatusCode().getValue());
        assertEquals(StatusCodes.Bad_InvalidArgument, conflicting.getInputArgumentResults()[0].getValue());
        assertTrue(controller.lastRefusal().contains("conflicting movements 0 and 2"), controller.lastRefusal());
        assertEquals("yyrr", read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.SIGNAL_STATE)).getValue().getValue(),
            "a refused state is not shown");

        final CallMethodResult tooShort = call(FieldNodes.SET_SIGNAL_STATE, new Variant("rrG"), new Variant(uint(5000)),
            new Variant(1), new Variant(5));
        assertEquals(StatusCodes.Bad_InvalidArgument, tooShort.getStatusCode().getValue());
        assertTrue(controller.lastRefusal().contains("has 3 letters"), controller.lastRefusal());

        final CallMethodResult unknownLetter = call(FieldNodes.SET_SIGNAL_STATE, new Variant("rrGX"), new Variant(uint(5000)),
            new Variant(1), new Variant(5));
        assertEquals(StatusCodes.Bad_InvalidArgument, unknownLetter.getStatusCode().getValue());
        assertTrue(controller.lastRefusal().contains("'X'"), controller.lastRefusal());

        final CallMethodResult badMode = call(FieldNodes.SET_SIGNAL_STATE, new Variant("rrGG"), new Variant(uint(5000)),
            new Variant(99), new Variant(5));
        assertEquals(StatusCodes.Bad_InvalidArgument, badMode.getStatusCode().getValue());
        assertEquals(StatusCodes.Bad_InvalidArgument, badMode.getInputArgumentResults()[2].getValue());
    }

    @Test
    void setPointsAreRangeCheckedAndRecordedAndMeasurementsCannotBeWritten() throws Exception
    {
        final List<StatusCode> results = client.writeValues(
            List.of(id(Kind.ESS, ESS, FieldNodes.ACTIVE_POWER_SETPOINT_W), id(Kind.ESS, ESS, FieldNodes.ACTIVE_POWER_SETPOINT_W),
                id(Kind.ESS, ESS, FieldNodes.ACTIVE_POWER_SETPOINT_W), id(Kind.ESS, ESS, FieldNodes.ACTIVE_POWER_W),
                id(Kind.CHARGER, CHARGER, FieldNodes.POWER_LIMIT_W), id(Kind.PV, PV, FieldNodes.CURTAILMENT_LIMIT_W),
                id(Kind.PV, PV, FieldNodes.CURTAILMENT_LIMIT_W)),
            List.of(DataValue.valueOnly(new Variant(-80_000)), DataValue.valueOnly(new Variant(100_001)),
                DataValue.valueOnly(new Variant(-120_001)), DataValue.valueOnly(new Variant(5)),
                DataValue.valueOnly(new Variant(-1000)), DataValue.valueOnly(new Variant(-20_000)),
                DataValue.valueOnly(new Variant(1000))));
        assertEquals(StatusCode.GOOD, results.get(0), "in range");
        assertEquals(StatusCodes.Bad_OutOfRange, results.get(1).getValue(), "above the charge limit");
        assertEquals(StatusCodes.Bad_OutOfRange, results.get(2).getValue(), "below the discharge limit");
        assertEquals(StatusCodes.Bad_NotWritable, results.get(3).getValue(), "a measurement");
        assertEquals(StatusCodes.Bad_OutOfRange, results.get(4).getValue(), "discharge on a charger without V2G");
        assertEquals(StatusCode.GOOD, results.get(5), "curtail to 20 kW");
        assertEquals(StatusCodes.Bad_OutOfRange, results.get(6).getValue(), "a positive curtailment limit");
        assertTrue(setpoints.contains("Ess/5/ActivePowerSetpointW=-80000"), setpoints.toString());
        assertTrue(setpoints.contains("Pv/8/CurtailmentLimitW=-20000"), setpoints.toString());
        assertEquals(2, setpoints.size(), setpoints.toString());
        final DataValue stored = read(id(Kind.ESS, ESS, FieldNodes.ACTIVE_POWER_SETPOINT_W));
        assertEquals(-80_000, stored.getValue().getValue());
        assertEquals(clock.nanoTime(), FieldVariable.epochNs(stored.getSourceTime()), "stamped when the device took it");
    }

    @Test
    void theWatchdogReturnsTheControllerToItsLocalPlan() throws Exception
    {
        final NodeId central = id(Kind.INTERSECTION, INTERSECTION, FieldNodes.CENTRAL_HEARTBEAT);
        assertEquals(StatusCode.GOOD, client.writeValues(List.of(central), List.of(DataValue.valueOnly(new Variant(uint(41))))).get(0));
        assertEquals(StatusCode.GOOD, call(FieldNodes.SET_SIGNAL_STATE, new Variant("GGrr"), new Variant(uint(5000)),
            new Variant(1), new Variant(5)).getStatusCode());
        assertEquals((int)SignalMode.ADAPTIVE.value(), read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.MODE)).getValue().getValue());

        clock.advanceMs(2000);
        assertEquals(StatusCode.GOOD, client.writeValues(List.of(central), List.of(DataValue.valueOnly(new Variant(uint(42))))).get(0));
        clock.advanceMs(2000);
        server.tick();
        assertEquals((int)SignalMode.ADAPTIVE.value(), read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.MODE)).getValue().getValue(),
            "the heartbeat changed 2 s ago: still central");

        clock.advanceMs(1000);
        server.tick();
        assertEquals((int)SignalMode.FIXED_TIME.value(), read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.MODE)).getValue().getValue(),
            "3 s without a new heartbeat: back to the local plan");
        final IntersectionController controller = server.intersection(INTERSECTION);
        assertFalse(controller.centralControl());
        assertEquals(read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.SIGNAL_STATE)).getValue().getValue(),
            FieldServerTesting.crossing().programStates()[controller.phaseIndex()]);
        final DataValue heartbeat = read(id(Kind.INTERSECTION, INTERSECTION, FieldNodes.HEARTBEAT));
        assertTrue(((Number)heartbeat.getValue().getValue()).longValue() >= 5, "+1 a second: " + heartbeat);
    }
}
