package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.adapters.opcua.FieldNodes.Kind;
import kr.sejong.city.adapters.sim.FieldModel;
import kr.sejong.city.codecs.FrequencyMeasurementDecoder;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static kr.sejong.city.adapters.opcua.server.FieldServerTesting.T0_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The field simulator fed into field servers: the values land in the right variables with the frames' own times,
 * the frames of devices no server hosts go the direct way, and what a controller shows reaches the simulated
 * traffic. A twin model with the same seed says what the frames were.
 */
class FieldServerFeedTest
{
    private static final long STEP_NS = 1_000_000_000L;

    @TempDir
    static Path pki;

    private static CityConfig config;
    private static FieldServer server;

    @BeforeAll
    static void start()
    {
        config = ConfigLoader.loadDefault().config();
        server = FieldServer.start(new FieldServer.Context()
            .bindAddress("127.0.0.1")
            .hostname("localhost")
            .port(FieldServerTesting.freePort())
            .pkiDirectory(pki)
            .user(FieldServerTesting.USER, FieldServerTesting.PASSWORD_HASH)
            .epochNanoClock(new FieldServerTesting.ManualClock(T0_NS))
            .tickIntervalMs(0)
            .devices(FieldDevice.of(config, 1)));
    }

    @AfterAll
    static void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void framesLandInTheirVariablesWithTheirOwnTimesAndTheRestGoesTheDirectWay()
    {
        final FieldModel model = new FieldModel(config);
        final FieldModel twin = new FieldModel(config);
        final List<Integer> fallback = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final OpcUaFieldFeed feed = new OpcUaFieldFeed(model, List.of(server), (buffer, offset, length) ->
            fallback.add(header.wrap(buffer, offset).templateId()));

        final long[] lastFrequency = {0, Long.MIN_VALUE};
        final long[] lastPccPower = {0, Long.MIN_VALUE};
        final int pccId = config.energy().pcc().id();
        final GridMeasurementDecoder grid = new GridMeasurementDecoder();
        final FrequencyMeasurementDecoder frequency = new FrequencyMeasurementDecoder();
        final MessageHeaderDecoder twinHeader = new MessageHeaderDecoder();
        feed.announceTopologies(T0_NS);
        twin.topologies((buffer, offset, length) -> { });
        for (long t = T0_NS; t < T0_NS + 30 * STEP_NS; t += STEP_NS)
        {
            feed.step(t, t + STEP_NS);
            twin.step(t, t + STEP_NS, (buffer, offset, length) ->
            {
                twinHeader.wrap(buffer, offset);
                if (twinHeader.templateId() == FrequencyMeasurementDecoder.TEMPLATE_ID)
                {
                    frequency.wrapAndApplyHeader(buffer, offset, twinHeader);
                    lastFrequency[0] = frequency.frequencyMilliHz();
                    lastFrequency[1] = frequency.measuredAtNs();
                }
                else if (twinHeader.templateId() == GridMeasurementDecoder.TEMPLATE_ID)
                {
                    grid.wrapAndApplyHeader(buffer, offset, twinHeader);
                    if (grid.deviceKind() == kr.sejong.city.codecs.DeviceKind.PCC_METER)
                    {
                        lastPccPower[0] = grid.activePowerW();
                        lastPccPower[1] = grid.measuredAtNs();
                    }
                }
            });
        }
        assertTrue(feed.framesToServers() > 0);
        assertFalse(fallback.contains(IntersectionTopologyDecoder.TEMPLATE_ID), "every intersection is hosted");
        assertFalse(fallback.contains(LaneObservationsDecoder.TEMPLATE_ID));
        assertFalse(fallback.contains(GridMeasurementDecoder.TEMPLATE_ID));
        assertFalse(fallback.contains(FrequencyMeasurementDecoder.TEMPLATE_ID));
        assertEquals(feed.framesToFallback(), fallback.size());

        assertTrue(lastFrequency[1] != Long.MIN_VALUE, "the model measured the frequency");
        final DataValue hz = server.variable(Kind.PCC, pccId, FieldNodes.FREQUENCY_MILLI_HZ).dataValue();
        assertEquals((int)lastFrequency[0], hz.getValue().getValue());
        assertEquals(lastFrequency[1], FieldVariable.epochNs(hz.getSourceTime()), "the measurement's own time");
        final DataValue pccW = server.variable(Kind.PCC, pccId, FieldNodes.ACTIVE_POWER_W).dataValue();
        assertEquals((int)lastPccPower[0], pccW.getValue().getValue());
        assertEquals(lastPccPower[1], FieldVariable.epochNs(pccW.getSourceTime()));

        final long intersection = model.signals().intersectionId(0);
        final DataValue lanes = server.variable(Kind.INTERSECTION, intersection, FieldNodes.LANE_OBSERVATIONS).dataValue();
        assertEquals(server.intersection(intersection).topology().laneCount() * FieldNodes.LANE_OBSERVATION_WIDTH,
            ((UShort[])lanes.getValue().getValue()).length);
        assertEquals(T0_NS + 30 * STEP_NS, FieldVariable.epochNs(lanes.getSourceTime()), "observed at the step's end");
    }

    @Test
    void whatAControllerShowsIsWhatTheSimulatedTrafficSees()
    {
        final FieldModel model = new FieldModel(config);
        final OpcUaFieldFeed feed = new OpcUaFieldFeed(model, List.of(server), (buffer, offset, length) -> { });
        final long id = model.signals().intersectionId(0);
        final IntersectionController controller = server.intersection(id);
        feed.step(T0_NS, T0_NS + STEP_NS);
        assertEquals(controller.signalState(), model.signals().shown(id), "the local plan, from the start");

        final String[] program = controller.topology().programStates();
        final String other = program[(controller.phaseIndex() + 1) % program.length];
        final String problem = controller.setSignalState(other, 1000, SignalMode.ADAPTIVE.value(), 5, T0_NS + STEP_NS);
        assertEquals(null, problem);
        feed.step(T0_NS + STEP_NS, T0_NS + 2 * STEP_NS);
        assertEquals(other, model.signals().shown(id), "the central command reached the traffic");
        assertTrue(feed.signalStatesApplied() >= 2);
    }
}
