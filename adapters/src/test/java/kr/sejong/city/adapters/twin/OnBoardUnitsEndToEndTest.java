package kr.sejong.city.adapters.twin;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.PriorityRequestDecoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.testing.JournalContents;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The on-board units in lockstep with a real node (embedded media driver, journal) on the sejong-ring
 * scenario: the signals from {@link ProgramReplayLoop} (the network's own program, so the requests change
 * nothing on the street), the answers from {@link PriorityAnsweringLoop}. What the twin sent is read back
 * from the node's ingress journal.
 * <p>
 * ambulance_1 (departing at 300 s) is meant to go round the north of the ring through 7 signalised
 * junctions (201, 107, 108, 101, 102, 103, 204: sejong-ring.flows.xml, kept by regenerate.sh in
 * sejong-ring.rou.xml although duarouter would take the faster BRT road).
 */
class OnBoardUnitsEndToEndTest
{
    private static final List<String> AMBULANCE_1_JUNCTIONS = List.of("J201", "J107", "J108", "J101", "J102", "J103", "J204");
    private static final int BRT_WE_BASE = 7000;
    private static final int BRT_EW_BASE = 7100;

    @TempDir
    Path dir;

    @BeforeAll
    static void sumoInstalled()
    {
        TwinTesting.requireSumo();
    }

    /** A decoded PriorityRequest and where it stood in the ingress journal. */
    private record Sent(int journalIndex, long requestId, long vehicleId, VehicleRole role, PriorityRequestType type, long intersectionId,
        int approachId, int laneIndex, int etaMs, List<long[]> route)
    {
    }

    /** The designed route of ambulance_1 (from sejong-ring.flows.xml) and a scenario that drives it. */
    private record Scenario(Path config, List<String> ambulanceRoute)
    {
    }

    private Scenario ringWithDesignedAmbulanceRoute() throws IOException
    {
        final Path ring = TwinTesting.scenarios().resolve("sejong-ring");
        final Pattern ambulance = Pattern.compile("<vehicle id=\"ambulance_1\"[^>]*>\\s*<route edges=\"([^\"]*)\"");
        final Matcher designed = ambulance.matcher(Files.readString(ring.resolve("sejong-ring.flows.xml")));
        assertTrue(designed.find(), "ambulance_1 in sejong-ring.flows.xml");
        final Matcher routed = ambulance.matcher(Files.readString(ring.resolve("sejong-ring.rou.xml")));
        assertTrue(routed.find(), "ambulance_1 in sejong-ring.rou.xml");
        assertEquals(designed.group(1), routed.group(1), "regenerate.sh keeps the designed route of ambulance_1");
        return new Scenario(ring.resolve("sejong-ring.sumocfg"), List.of(designed.group(1).split(" ")));
    }

    private TwinReport run(final Path config, final Path dataDir, final boolean answer, final double endS, final Consumer<TwinAdapter.Context> twin)
    {
        final ControlNode.Context nodeCtx = new ControlNode.Context().dataDir(dataDir).mode(NodeMode.SIMULATED)
            .loops(List.of(new ProgramReplayLoop(true, false), new PriorityAnsweringLoop(answer)));
        try (ControlNode node = ControlNode.launch(nodeCtx);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName())))
        {
            final ExclusivePublication ingress = aeron.addExclusivePublication(node.context().ingressChannel(), node.context().ingressStreamId());
            final Subscription egress = aeron.addSubscription(node.context().egressChannel(), node.context().egressStreamId());
            final TwinAdapter.Context ctx = new TwinAdapter.Context()
                .sumoConfig(config)
                .seed(42)
                .control(ControlMode.FIXED)
                .endTimeS(endS)
                .maxDrainS(0)
                .obuIdBases(Map.of("brt_WE", BRT_WE_BASE, "brt_EW", BRT_EW_BASE))
                .ingress(ingress)
                .egress(egress)
                .logDir(dir.resolve("sumo"));
            twin.accept(ctx);
            return new TwinAdapter(ctx).run();
        }
    }

    private static List<Sent> sent(final List<JournalContents.In> ingress)
    {
        final List<Sent> sent = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final PriorityRequestDecoder decoder = new PriorityRequestDecoder();
        for (int i = 0; i < ingress.size(); i++)
        {
            if (ingress.get(i).templateId() != PriorityRequestDecoder.TEMPLATE_ID)
            {
                continue;
            }
            decoder.wrapAndApplyHeader(new UnsafeBuffer(ingress.get(i).frame()), 0, header);
            final long requestId = decoder.requestId();
            final long vehicleId = decoder.vehicleId();
            final VehicleRole role = decoder.role();
            final PriorityRequestType type = decoder.requestType();
            final long intersectionId = decoder.intersectionId();
            final int approachId = decoder.approachId();
            final int laneIndex = decoder.laneIndex();
            final int etaMs = decoder.etaMs();
            final List<long[]> route = new ArrayList<>();
            for (final PriorityRequestDecoder.RouteDecoder point : decoder.route())
            {
                route.add(new long[]{point.intersectionId(), point.approachId(), point.etaMs()});
            }
            sent.add(new Sent(i, requestId, vehicleId, role, type, intersectionId, approachId, laneIndex, etaMs, route));
        }
        return sent;
    }

    /** The requests of one vehicle grouped by request id, in the order they were opened. */
    private static List<List<Sent>> byRequest(final List<Sent> sent, final long vehicleId)
    {
        final Map<Long, List<Sent>> groups = new LinkedHashMap<>();
        for (final Sent request : sent)
        {
            if (request.vehicleId() == vehicleId)
            {
                groups.computeIfAbsent(request.requestId(), id -> new ArrayList<>()).add(request);
            }
        }
        return new ArrayList<>(groups.values());
    }

    /** REQUEST, then at least one UPDATE, then exactly one CANCEL, all for one intersection. */
    private static void assertLifecycle(final List<Sent> group, final String what)
    {
        assertTrue(group.size() >= 3, what + ": " + group.size() + " frames");
        assertEquals(PriorityRequestType.REQUEST, group.get(0).type(), what);
        for (int i = 1; i < group.size() - 1; i++)
        {
            assertEquals(PriorityRequestType.UPDATE, group.get(i).type(), what + " frame " + i);
        }
        assertEquals(PriorityRequestType.CANCEL, group.get(group.size() - 1).type(), what);
        for (final Sent request : group)
        {
            assertEquals(group.get(0).intersectionId(), request.intersectionId(), what);
            assertEquals(group.get(0).approachId(), request.approachId(), what);
        }
    }

    @Test
    void anAmbulanceAsksEachJunctionOfItsRouteInTurnAndEveryRequestIsAnswered() throws IOException
    {
        final Scenario scenario = ringWithDesignedAmbulanceRoute();
        final Path data = dir.resolve("answered");
        final TwinReport report = run(scenario.config(), data, true, 900, t -> { });
        System.out.println("on-board units, answered: " + report.summary() + "\n  " + report.prioritySummary());

        final NetworkModel network = NetworkModel.load(scenario.config());
        final List<TrafficLight> lights = network.trafficLights();
        final List<JournalContents.In> ingress = JournalContents.ingress(data);
        final List<Sent> sent = sent(ingress);

        // the contract's order: a step's requests come after its LaneObservations, right before its Tick
        for (final Sent request : sent)
        {
            int next = request.journalIndex() + 1;
            while (ingress.get(next).templateId() == PriorityRequestDecoder.TEMPLATE_ID)
            {
                next++;
            }
            assertEquals(TickDecoder.TEMPLATE_ID, ingress.get(next).templateId(), "after the requests at journal index " + request.journalIndex());
        }

        // ambulance_1: the first followed vehicle that runs no transit line gets the first sequential id
        final long ambulanceId = OnBoardUnits.SEQUENTIAL_ID_FIRST;
        final List<List<Sent>> junctions = byRequest(sent, ambulanceId);
        final List<String> asked = new ArrayList<>();
        for (final List<Sent> group : junctions)
        {
            asked.add(lights.get((int)group.get(0).intersectionId() - 1).id());
        }
        assertEquals(AMBULANCE_1_JUNCTIONS, asked, "ambulance_1 asks the junctions of its route, in route order, one request each");
        for (int k = 0; k < junctions.size(); k++)
        {
            final List<Sent> group = junctions.get(k);
            final String junction = AMBULANCE_1_JUNCTIONS.get(k);
            final TrafficLight light = network.trafficLight(junction);
            final String incoming = scenario.ambulanceRoute().get(k); // the route edge that ends at junction k
            assertLifecycle(group, "ambulance_1 at " + junction);
            assertEquals(VehicleRole.AMBULANCE, group.get(0).role());
            assertEquals(light.incomingEdges().indexOf(incoming), group.get(0).approachId(), "approach of " + incoming + " at " + junction);

            final List<Sent> open = group.subList(0, group.size() - 1);
            assertTrue(open.get(0).etaMs() > open.get(open.size() - 1).etaMs(), junction + ": the ETA comes down as it approaches, "
                + open.get(0).etaMs() + " ms at the REQUEST, " + open.get(open.size() - 1).etaMs() + " ms at the last UPDATE");
            assertTrue(open.get(open.size() - 1).etaMs() < 10_000, junction + ": last ETA " + open.get(open.size() - 1).etaMs());
            boolean onTheEdge = false;
            for (final Sent request : open)
            {
                if (request.laneIndex() != PriorityRequestDecoder.laneIndexNullValue())
                {
                    assertEquals(incoming, light.lanes().get(request.laneIndex()).edgeId(), junction + ": its lane is on " + incoming);
                    onTheEdge = true;
                }
                // the route group: the junctions after this one, at most 4, with their approaches and later ETAs
                final List<String> expectedAhead = AMBULANCE_1_JUNCTIONS.subList(k + 1, Math.min(k + 5, AMBULANCE_1_JUNCTIONS.size()));
                final List<String> ahead = new ArrayList<>();
                long previousEta = request.etaMs();
                for (int a = 0; a < request.route().size(); a++)
                {
                    final long[] point = request.route().get(a);
                    final TrafficLight next = lights.get((int)point[0] - 1);
                    ahead.add(next.id());
                    assertEquals(next.incomingEdges().indexOf(scenario.ambulanceRoute().get(k + 1 + a)), (int)point[1],
                        junction + ": approach at " + next.id());
                    assertTrue(point[2] > previousEta, junction + ": ETAs along the route grow");
                    previousEta = point[2];
                }
                assertEquals(expectedAhead, ahead, junction + ": the route group");
            }
            assertTrue(onTheEdge, junction + ": some UPDATE was sent from the incoming edge, with its lane");
            assertEquals(0, group.get(group.size() - 1).route().size(), "a CANCEL lists no route");
        }

        // BRT buses: ids from their line, one request per junction, no route group
        final List<List<Sent>> bus = byRequest(sent, BRT_WE_BASE + 1); // brt_WE.1
        assertFalse(bus.isEmpty(), "brt_WE.1 asked for priority as unit " + (BRT_WE_BASE + 1));
        assertEquals("J201", lights.get((int)bus.get(0).get(0).intersectionId() - 1).id(), "brt_WE.1 starts at 201");
        for (final List<Sent> group : bus.subList(0, bus.size() - 1))
        {
            assertLifecycle(group, "brt_WE.1");
            group.forEach(request -> assertEquals(VehicleRole.BRT_BUS, request.role()));
            group.forEach(request -> assertEquals(0, request.route().size(), "a bus lists no route"));
        }
        assertFalse(byRequest(sent, BRT_EW_BASE).isEmpty(), "brt_EW.0 is unit " + BRT_EW_BASE);
        for (final Sent request : sent)
        {
            assertTrue(request.role() == VehicleRole.BRT_BUS
                ? request.vehicleId() >= BRT_WE_BASE && request.vehicleId() < BRT_EW_BASE + 100 : request.vehicleId() == ambulanceId,
                "only buses and ambulance_1 drove before 900 s: " + request);
        }

        // request ids: from 1, one per vehicle and junction, never reused
        final Set<Long> opened = new HashSet<>();
        for (final Sent request : sent)
        {
            if (request.type() == PriorityRequestType.REQUEST)
            {
                assertTrue(opened.add(request.requestId()), "request id " + request.requestId() + " opened twice");
            }
            else
            {
                assertTrue(opened.contains(request.requestId()), request.type() + " of a request never opened: " + request.requestId());
            }
        }
        assertEquals(1L, opened.stream().mapToLong(Long::longValue).min().orElseThrow());
        assertEquals(opened.size(), opened.stream().mapToLong(Long::longValue).max().orElseThrow());

        // the report: everything answered before its tick's commands
        final TwinReport.Priority priority = report.priority();
        assertTrue(priority.enabled());
        assertEquals(sent.size(), priority.requestsSent());
        final long cancels = sent.stream().filter(r -> r.type() == PriorityRequestType.CANCEL).count();
        assertEquals(opened.size(), priority.requestsByType().get("REQUEST"));
        assertEquals(cancels, priority.requestsByType().get("CANCEL"));
        assertEquals(sent.size() - cancels, priority.statusesByCode().get("GRANTED"));
        assertEquals(cancels, priority.statusesByCode().get("CANCELLED"));
        assertEquals(0, priority.statusesByCode().get("REJECTED"));
        assertEquals(0, priority.missingStatuses());
        assertEquals(1, report.emergency().vehicles(), "ambulance_1 alone departs before 900 s");
        assertEquals(1, report.emergency().arrived());
        assertTrue(report.emergency().meanTravelTimeS() > 200 && report.emergency().meanTravelTimeS() < 600, report.emergency().toString());
        assertTrue(report.transit().buses() >= 6, report.transit().toString());
        assertEquals(report.vehicles(), report.emergency().vehicles() + report.transit().buses() + report.background().vehicles()
            + report.notInserted());
    }

    @Test
    void unansweredRequestsAreCountedAndOffSendsNone() throws IOException
    {
        final Scenario scenario = ringWithDesignedAmbulanceRoute();
        final TwinReport silent = run(scenario.config(), dir.resolve("silent"), false, 420, t -> { });
        System.out.println("on-board units, unanswered: " + silent.prioritySummary());
        assertTrue(silent.priority().requestsSent() > 0);
        assertEquals(0, silent.priority().statuses());
        assertEquals(silent.priority().requestsSent(), silent.priority().missingStatuses(), "every request missed its status");

        final Path offData = dir.resolve("off");
        final TwinReport off = run(scenario.config(), offData, true, 420, t -> t.priorityRequests(false));
        System.out.println("on-board units off: " + off.prioritySummary());
        assertFalse(off.priority().enabled());
        assertEquals(0, off.priority().requestsSent());
        assertEquals(0, off.priority().statuses());
        assertEquals(0, off.priority().missingStatuses());
        for (final JournalContents.In in : JournalContents.ingress(offData))
        {
            assertNotEquals(PriorityRequestDecoder.TEMPLATE_ID, in.templateId(), "no PriorityRequest with priority requests off");
        }
        // nothing acted on the requests: the same traffic either way, and the same split
        assertEquals(silent.meanDelayS(), off.meanDelayS(), 1e-9);
        assertEquals(silent.emergency(), off.emergency());
        assertEquals(silent.transit(), off.transit());
        assertEquals(silent.background(), off.background());
        assertEquals(1, off.emergency().vehicles(), "ambulance_1 departs at 300 s");
    }
}
