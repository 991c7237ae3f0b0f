package kr.sejong.city.adapters.twin;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import kr.sejong.city.adapters.twin.traci.SumoException;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.OperatorActionDecoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.codecs.SignalStatusDecoder;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.testing.JournalContents;
import kr.sejong.city.core.testing.TestClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The twin in lockstep with a real node in simulated mode (embedded media driver, Chronicle journal), the
 * signal decisions coming from {@link ProgramReplayLoop}: 300 simulated seconds of single-intersection.
 */
class TwinAdapterEndToEndTest
{
    private static final double RUN_S = 300;

    @TempDir
    Path dir;

    @BeforeAll
    static void sumoInstalled()
    {
        TwinTesting.requireSumo();
    }

    private TwinReport run(final Path dataDir, final List<ControlLoop> loops, final Consumer<ControlNode.Context> node,
        final Consumer<TwinAdapter.Context> twin)
    {
        final ControlNode.Context nodeCtx = new ControlNode.Context().dataDir(dataDir).mode(NodeMode.SIMULATED).loops(loops);
        node.accept(nodeCtx);
        try (ControlNode controlNode = ControlNode.launch(nodeCtx);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(controlNode.context().aeronDirectoryName())))
        {
            final ExclusivePublication ingress = aeron.addExclusivePublication(
                controlNode.context().ingressChannel(), controlNode.context().ingressStreamId());
            final Subscription egress = aeron.addSubscription(controlNode.context().egressChannel(), controlNode.context().egressStreamId());
            final TwinAdapter.Context ctx = new TwinAdapter.Context()
                .sumoConfig(TwinTesting.scenarioConfig("single-intersection"))
                .seed(42)
                .control(ControlMode.FIXED)
                .endTimeS(RUN_S)
                .maxDrainS(0)
                .ingress(ingress)
                .egress(egress)
                .logDir(dir.resolve("sumo"));
            twin.accept(ctx);
            return new TwinAdapter(ctx).run();
        }
    }

    private TwinReport safeRun(final Path dataDir)
    {
        return run(dataDir, List.of(new ProgramReplayLoop(true, true)), n -> { }, t -> { });
    }

    @Test
    void aShortRunCompletesIsJournaledAndRepeatsExactly()
    {
        final Path first = dir.resolve("first");
        final TwinReport report = safeRun(first);
        System.out.println("lockstep: " + report.summary());

        final int steps = (int)RUN_S;
        assertEquals(steps, report.steps());
        assertEquals(RUN_S, report.simS());
        assertEquals(1, report.intersections());
        assertEquals(steps, report.commands(), "one command per intersection per tick");
        assertEquals(steps, report.decisionLatency().count());
        assertTrue(report.decisionLatency().p50Us() > 0 && report.decisionLatency().maxUs() < 10_000_000, report.decisionLatency().toString());
        assertEquals(0, report.safetyViolations(), report.firstViolation());
        assertEquals(0, report.collisions());
        // about 0.2 + 0.5 vehicles a second arrive: some 210 in 300 s, most of them through by the end
        assertTrue(report.vehicles() > 150 && report.vehicles() < 270, "vehicles " + report.vehicles());
        assertEquals(report.vehicles(), report.departed() + report.notInserted());
        assertEquals(report.departed(), report.arrived() + report.unfinished());
        assertTrue(report.arrived() > 100, "arrived " + report.arrived());
        assertTrue(report.meanDelayS() > 5 && report.meanDelayS() < 120, "mean delay " + report.meanDelayS());
        assertTrue(report.meanWaitingS() > 1 && report.meanWaitingS() < report.meanDelayS(), "mean waiting " + report.meanWaitingS());

        // the journal: topology, the control mode, then per step observations and a Tick
        final List<JournalContents.In> ingress = JournalContents.ingress(first);
        assertEquals(List.of(IntersectionTopologyDecoder.TEMPLATE_ID, OperatorActionDecoder.TEMPLATE_ID),
            List.of(ingress.get(0).templateId(), ingress.get(1).templateId()));
        assertEquals(2 + 2 * steps, ingress.size());
        for (int s = 0; s < steps; s++)
        {
            assertEquals(LaneObservationsDecoder.TEMPLATE_ID, ingress.get(2 + 2 * s).templateId());
            assertEquals(TickDecoder.TEMPLATE_ID, ingress.get(3 + 2 * s).templateId());
        }
        final IntersectionTopologyDecoder topology = new IntersectionTopologyDecoder();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        topology.wrapAndApplyHeader(new UnsafeBuffer(ingress.get(0).frame()), 0, header);
        assertEquals(1, topology.intersectionId());
        // a group's elements must be read through before the next group can be (SBE)
        final IntersectionTopologyDecoder.LanesDecoder lanes = topology.lanes();
        assertEquals(4, lanes.count());
        lanes.forEach(lane -> { });
        final IntersectionTopologyDecoder.MovementsDecoder movements = topology.movements();
        assertEquals(4, movements.count());
        movements.forEach(movement -> { });
        final IntersectionTopologyDecoder.PhasesDecoder phases = topology.phases();
        assertEquals(4, phases.count());
        phases.forEach(phase -> { });
        assertEquals("t", topology.name());
        assertEquals("GGrr;yyrr;rrGG;rryy", topology.programStates());

        final OperatorActionDecoder action = new OperatorActionDecoder();
        action.wrapAndApplyHeader(new UnsafeBuffer(ingress.get(1).frame()), 0, header);
        assertEquals(0, action.subjectId());
        assertEquals("twin", action.operatorName());
        assertEquals("control=fixed", action.what());

        final TickDecoder tick = new TickDecoder();
        tick.wrapAndApplyHeader(new UnsafeBuffer(ingress.get(3 + 2 * 100).frame()), 0, header);
        assertEquals(100, tick.tickNumber());
        assertEquals(TwinAdapter.Context.EPOCH_OFFSET_NS_DEFAULT + 100_000_000_000L, tick.timeNs());
        assertEquals(1_000_000_000L, tick.periodNs());
        assertEquals(tick.timeNs(), ingress.get(3 + 2 * 100).timeNs(), "the node stamps the Tick with its time");

        int queued = 0;
        final LaneObservationsDecoder observations = new LaneObservationsDecoder();
        for (int s = 0; s < steps; s++)
        {
            observations.wrapAndApplyHeader(new UnsafeBuffer(ingress.get(2 + 2 * s).frame()), 0, header);
            assertEquals(1, observations.intersectionId());
            for (final LaneObservationsDecoder.LanesDecoder lane : observations.lanes())
            {
                queued += lane.haltingVehicles();
                assertTrue(lane.haltingVehicles() <= lane.vehicles() && lane.occupancyPermille() <= 1000);
            }
        }
        assertTrue(queued > 100, "queues were observed: " + queued);

        // egress: the loop's commands (and its SignalStatus, which the twin ignored)
        final List<JournalContents.Out> egress = JournalContents.egress(first);
        assertEquals(steps, egress.stream().filter(o -> TestClient.templateId(o.frame()) == SignalCommandDecoder.TEMPLATE_ID).count());
        assertEquals(steps, egress.stream().filter(o -> TestClient.templateId(o.frame()) == SignalStatusDecoder.TEMPLATE_ID).count());

        // the same seed again: the same metrics and byte-identical input to the node
        final Path second = dir.resolve("second");
        final TwinReport again = safeRun(second);
        assertEquals(withoutTiming(report), withoutTiming(again));
        final List<JournalContents.In> ingressAgain = JournalContents.ingress(second);
        assertEquals(ingress.size(), ingressAgain.size());
        for (int i = 0; i < ingress.size(); i++)
        {
            assertArrayEquals(ingress.get(i).frame(), ingressAgain.get(i).frame(), "ingress frame " + i);
        }
    }

    private static List<Object> withoutTiming(final TwinReport r)
    {
        return List.of(r.vehicles(), r.departed(), r.arrived(), r.unfinished(), r.notInserted(), r.meanDelayS(), r.meanTimeLossS(),
            r.meanDepartDelayS(), r.meanWaitingS(), r.safetyViolations(), r.collisions(), r.teleports(), r.commands(), r.simS(), r.steps());
    }

    @Test
    void theSafetyCheckSeesTheNetworksOwnTwoSecondYellowsAndMissingAllRed()
    {
        final TwinReport report = run(dir.resolve("raw"), List.of(new ProgramReplayLoop(false, false)), n -> { }, t -> { });
        System.out.println("lockstep, own program as is: " + report.summary() + "; first: " + report.firstViolation());
        assertEquals(0, report.conflictingGreenSteps());
        // 300 s = 3.4 cycles of 88 s, each with two 2 s yellows of two movements each, then a green onset without all-red
        assertTrue(report.shortYellows() >= 12, "short yellows " + report.shortYellows());
        assertTrue(report.shortAllReds() >= 6, "short all-reds " + report.shortAllReds());
        assertTrue(report.firstViolation().contains("yellow"), report.firstViolation());

        // the loop played SUMO's own program step for step: the same traffic as SUMO running it alone
        final TwinReport alone = new TwinAdapter(new TwinAdapter.Context()
            .sumoConfig(TwinTesting.scenarioConfig("single-intersection"))
            .mode(TwinMode.FIXED_TIME_REFERENCE)
            .seed(42)
            .endTimeS(RUN_S)
            .maxDrainS(0)
            .logDir(dir.resolve("alone")))
            .run();
        System.out.println("SUMO alone: " + alone.summary());
        assertEquals(withoutTimingAndCommands(alone), withoutTimingAndCommands(report));
        assertEquals(alone.shortYellows(), report.shortYellows());
        assertEquals(alone.shortAllReds(), report.shortAllReds());
    }

    private static List<Object> withoutTimingAndCommands(final TwinReport r)
    {
        return List.of(r.vehicles(), r.departed(), r.arrived(), r.unfinished(), r.notInserted(), r.meanDelayS(), r.meanTimeLossS(),
            r.meanDepartDelayS(), r.meanWaitingS(), r.simS(), r.steps());
    }

    @Test
    void aRejectStopsTheRunNamingIt()
    {
        // a node whose frames may be at most 64 bytes refuses the topology (TOO_LARGE)
        final TwinException stopped = assertThrows(TwinException.class,
            () -> run(dir.resolve("reject"), List.of(new ProgramReplayLoop(true, false)), n -> n.maxFrameLength(64), t -> { }));
        assertTrue(stopped.getMessage().contains("rejected") && stopped.getMessage().contains("TOO_LARGE"), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("template " + IntersectionTopologyDecoder.TEMPLATE_ID), stopped.getMessage());
    }

    @Test
    void noCommandWithinTheTimeoutStopsTheRun()
    {
        final TwinException stopped = assertThrows(TwinException.class,
            () -> run(dir.resolve("silent"), List.of(), n -> { }, t -> t.commandTimeoutMs(500)));
        assertTrue(stopped.getMessage().contains("no SignalCommand for intersection(s) 1 (t) within 500 ms"), stopped.getMessage());
    }

    @Test
    void sumoDyingMidRunIsReportedWithItsStderr()
    {
        final List<Long> killed = new ArrayList<>();
        final SumoException died = assertThrows(SumoException.class,
            () -> run(dir.resolve("killed"), List.of(new ProgramReplayLoop(true, false)), n -> { }, t -> t.progress((time, vehicles, delay) ->
            {
                if (killed.isEmpty())
                {
                    ProcessHandle.current().children().filter(p -> p.info().command().orElse("").endsWith("sumo")).forEach(p ->
                    {
                        killed.add(p.pid());
                        p.destroyForcibly();
                    });
                }
            })));
        assertEquals(1, killed.size(), "one SUMO was running");
        System.out.println("killed: " + died.getMessage());
        assertTrue(died.getMessage().startsWith("SUMO died"), died.getMessage());
        // what was journaled so far stays readable
        assertTrue(JournalContents.ingress(dir.resolve("killed")).size() >= 4);
    }
}
