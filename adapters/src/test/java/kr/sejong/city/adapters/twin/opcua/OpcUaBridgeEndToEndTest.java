package kr.sejong.city.adapters.twin.opcua;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import kr.sejong.city.adapters.twin.ControlMode;
import kr.sejong.city.adapters.twin.TwinAdapter;
import kr.sejong.city.adapters.twin.TwinReport;
import kr.sejong.city.adapters.twin.TwinTesting;
import kr.sejong.city.codecs.DeviceState;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.loops.signal.SignalLoop;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.testing.JournalContents;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The twin through OPC UA (SUMO -> field server -> client adapter -> node -> adapter -> SetSignalState -> SUMO) against
 * the same scenario straight over Aeron, with the real signal loop (adaptive): the node gets the same inputs in the
 * same order, so it decides the same, frame for frame, and SUMO's figures are the same.
 */
class OpcUaBridgeEndToEndTest
{
    private static final double RUN_S = 300;
    private static final CityConfig CITY = ConfigLoader.loadDefault().config();

    @TempDir
    Path dir;

    @BeforeAll
    static void sumoInstalled()
    {
        TwinTesting.requireSumo();
    }

    private record Run(TwinReport report, String bridgeSummary, long held, long refused, long watchdog)
    {
    }

    private Run run(final Path dataDir, final boolean viaOpcUa)
    {
        final List<ControlLoop> loops = Loops.create(CITY).stream().filter(SignalLoop.class::isInstance).toList();
        try (ControlNode node = ControlNode.launch(new ControlNode.Context().dataDir(dataDir).mode(NodeMode.SIMULATED).loops(loops));
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName())))
        {
            final var nodeCtx = node.context();
            final Publication ingress = viaOpcUa ? aeron.addPublication(nodeCtx.ingressChannel(), nodeCtx.ingressStreamId())
                : aeron.addExclusivePublication(nodeCtx.ingressChannel(), nodeCtx.ingressStreamId());
            final Subscription egress = aeron.addSubscription(nodeCtx.egressChannel(), nodeCtx.egressStreamId());
            final TwinAdapter.Context twin = new TwinAdapter.Context()
                .sumoConfig(TwinTesting.scenarioConfig("single-intersection"))
                .seed(42)
                .control(ControlMode.ADAPTIVE)
                .endTimeS(RUN_S)
                .maxDrainS(0)
                .ingress(ingress)
                .egress(egress)
                .logDir(dataDir.resolve("sumo"));
            if (!viaOpcUa)
            {
                return new Run(new TwinAdapter(twin).run(), "", 0, 0, 0);
            }
            try (OpcUaBridge bridge = new OpcUaBridge(new OpcUaBridge.Context()
                .aeron(aeron)
                .ingress(ingress)
                .ingress(nodeCtx.ingressChannel(), nodeCtx.ingressStreamId())
                .egress(nodeCtx.egressChannel(), nodeCtx.egressStreamId())
                .cityConfig(CITY)
                .pkiDir(dataDir.resolve("opcua"))
                .log(System.out::println)))
            {
                final TwinReport report = new TwinAdapter(twin.fieldBridge(bridge)).run();
                return new Run(report, bridge.summary(), bridge.commandsHeld(), bridge.commandsRefused(), bridge.watchdogExpiries());
            }
        }
    }

    /** Per Tick, the last LaneObservations frame before it (null when there was none). */
    private static List<byte[]> lastObservationBeforeEachTick(final List<JournalContents.In> in)
    {
        final List<byte[]> out = new java.util.ArrayList<>();
        byte[] last = null;
        for (final JournalContents.In input : in)
        {
            if (input.templateId() == LaneObservationsDecoder.TEMPLATE_ID)
            {
                last = input.frame();
            }
            else if (input.templateId() == TickDecoder.TEMPLATE_ID)
            {
                out.add(last);
                last = null;
            }
        }
        return out;
    }

    @Test
    void throughOpcUaTheNodeDecidesExactlyAsStraightOverAeron()
    {
        final Path direct = dir.resolve("direct");
        final Path opcua = dir.resolve("opcua");
        final Run a = run(direct, false);
        final Run b = run(opcua, true);
        System.out.println("direct: " + a.report().summary() + "\nopcua:  " + b.report().summary() + "\n" + b.bridgeSummary());

        final int steps = (int)RUN_S;
        final TwinReport r = b.report();
        assertEquals(steps, r.steps());
        assertEquals(steps, r.commands(), "one command per tick");
        assertEquals(0, r.safetyViolations(), r.firstViolation());
        assertEquals(0, b.held(), "steps where a controller showed other than commanded (a clearance inserted at a hand-over)");
        assertEquals(0, b.refused(), "commands the controller's own conflict check refused");
        assertEquals(0, b.watchdog(), "watchdog expiries: the controllers must stay under central control in simulated time");

        // the journal of the OPC UA run: the adapter's observations; before each Tick, the last one carries exactly what
        // the direct run sent before that Tick (a repeated notification may add an equal one)
        final List<byte[]> directObservations = lastObservationBeforeEachTick(JournalContents.ingress(direct));
        final List<byte[]> opcuaObservations = lastObservationBeforeEachTick(JournalContents.ingress(opcua));
        assertEquals(steps, directObservations.size());
        assertEquals(steps, opcuaObservations.size());
        for (int k = 0; k < steps; k++)
        {
            assertArrayEquals(directObservations.get(k), opcuaObservations.get(k), "the last LaneObservations before Tick " + k);
        }
        final List<JournalContents.In> in = JournalContents.ingress(opcua);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        int ticks = 0;
        int online = 0;
        int speeds = 0;
        final LaneObservationsDecoder observations = new LaneObservationsDecoder();
        final DeviceStatusDecoder status = new DeviceStatusDecoder();
        for (final JournalContents.In input : in)
        {
            switch (input.templateId())
            {
                case LaneObservationsDecoder.TEMPLATE_ID ->
                {
                    observations.wrapAndApplyHeader(new UnsafeBuffer(input.frame()), 0, header);
                    for (final LaneObservationsDecoder.LanesDecoder lane : observations.lanes())
                    {
                        speeds += lane.meanSpeedCmPerS() != LaneObservationsDecoder.LanesDecoder.meanSpeedCmPerSNullValue() ? 1 : 0;
                    }
                }
                case TickDecoder.TEMPLATE_ID -> ticks++;
                case DeviceStatusDecoder.TEMPLATE_ID ->
                {
                    status.wrapAndApplyHeader(new UnsafeBuffer(input.frame()), 0, header);
                    assertEquals(DeviceState.ONLINE, status.state(), status.toString());
                    online++;
                }
                default ->
                {
                }
            }
        }
        assertEquals(steps, ticks);
        assertEquals(1, online, "DeviceStatus ONLINE once, from the adapter");
        assertTrue(speeds > 0, "mean speeds came through OPC UA");

        // the node decided the same: its egress, frame for frame (bytes and logical time; the OPC UA run has more inputs,
        // the controllers' SignalStatus and the DeviceStatus, so input sequence numbers differ)
        final List<JournalContents.Out> outA = JournalContents.egress(direct);
        final List<JournalContents.Out> outB = JournalContents.egress(opcua);
        assertEquals(outA.size(), outB.size(), "egress frames");
        long commands = 0;
        for (int i = 0; i < outA.size(); i++)
        {
            assertEquals(outA.get(i).timeNs(), outB.get(i).timeNs(), "egress " + i + ": logical time");
            assertArrayEquals(outA.get(i).frame(), outB.get(i).frame(), "egress " + i + ": frame");
            header.wrap(new UnsafeBuffer(outA.get(i).frame()), 0);
            commands += header.templateId() == SignalCommandDecoder.TEMPLATE_ID ? 1 : 0;
        }
        assertEquals(steps, commands);

        // and SUMO saw the same: the report's figures
        final TwinReport d = a.report();
        assertEquals(d.vehicles(), r.vehicles());
        assertEquals(d.departed(), r.departed());
        assertEquals(d.arrived(), r.arrived());
        assertEquals(d.unfinished(), r.unfinished());
        assertEquals(d.notInserted(), r.notInserted());
        assertEquals(d.meanDelayS(), r.meanDelayS(), 0.0);
        assertEquals(d.meanTimeLossS(), r.meanTimeLossS(), 0.0);
        assertEquals(d.meanWaitingS(), r.meanWaitingS(), 0.0);
        assertEquals(d.commands(), r.commands());
        assertEquals(d.safetyOverrides(), r.safetyOverrides());
        assertEquals(d.fallbackCommands(), r.fallbackCommands());
        assertEquals(d.emergency(), r.emergency());
        assertEquals(d.transit(), r.transit());
        assertEquals(d.priority(), r.priority());
    }
}
