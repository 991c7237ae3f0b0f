package kr.sejong.city.adapters.mobility;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.testing.JournalContents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulation side through a real node (Aeron, journal, every loop of {@link Loops#create} but the dispatch
 * loop, replaced by the {@link StandInDispatchLoop}): requests and bad inputs reach the loop, its plans reach
 * the fleet, every request is answered, the rides assigned are driven to the end, and the same scenario twice
 * gives the same egress byte for byte. What the real dispatch loop achieves is SimulateShuttleTest's (app).
 */
class ShuttleRunStandInTest
{
    static final CityConfig CITY = ConfigLoader.loadDefault().config();
    static final String SCENARIO = """
        kind: shuttle
        name: stand-in
        date: 2026-03-11
        start: "07:30"
        hours: 0.25
        seed: 5
        drainMinutes: 30
        demand: { peakPerHour: 120 }
        travelTimeNoise: { min: 1.0, max: 1.0 }
        badInputs:
          - { at: "07:31", kind: unknown-stop }
          - { at: "07:32", kind: pickup-in-past }
          - { at: "07:33", kind: party-too-large }
          - { at: "07:36", kind: duplicate-request, expect: duplicate-request }   # the stand-in refuses a repeated id
          - { at: "07:37", kind: cancel-unknown }
        """;

    @TempDir
    Path tmp;

    static Map<String, Object> run(final Path dataDir)
    {
        final ShuttleScenario scenario = ShuttleScenario.parse("stand-in.yaml", SCENARIO.getBytes(StandardCharsets.UTF_8));
        final List<ControlLoop> loops = new ArrayList<>(Loops.create(CITY).stream().filter(l -> !"dispatch".equals(l.name())).toList());
        loops.add(new StandInDispatchLoop(CITY));
        final ControlNode.Context ctx = new ControlNode.Context().dataDir(dataDir).mode(NodeMode.SIMULATED).loops(loops);
        final ShuttleRun run = new ShuttleRun(CITY, scenario, 10_000);
        try (ControlNode node = ControlNode.launch(ctx);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName()));
            ExclusivePublication ingress = aeron.addExclusivePublication(node.context().ingressChannel(), node.context().ingressStreamId());
            Subscription egress = aeron.addSubscription(node.context().egressChannel(), node.context().egressStreamId()))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(ingress.isConnected() && egress.isConnected()) && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            run.run(ingress, egress, null);
        }
        return run.figures();
    }

    @Test
    void everyRequestIsAnsweredTheAssignedRidesAreDrivenAndTheEgressIsTheSameTwice()
    {
        final Map<String, Object> f = run(tmp.resolve("first"));
        final Map<?, ?> answers = (Map<?, ?>)f.get("answers");
        final Map<?, ?> rides = (Map<?, ?>)f.get("rides");
        final Map<?, ?> bad = (Map<?, ?>)f.get("badInputs");
        final Map<?, ?> plans = (Map<?, ?>)((Map<?, ?>)f.get("fleet")).get("plans");
        final int requests = (Integer)rides.get("requests");
        assertTrue(requests > 10, "a quarter hour of the morning peak: " + requests);
        assertEquals(0L, answers.get("unanswered"), answers.toString());
        assertEquals(5L, bad.get("answeredAsExpected"), bad.toString());
        assertEquals(0L, answers.get("answersForUnknownRequests"));
        assertTrue((Long)rides.get("served") > 0, rides.toString());
        assertEquals(0L, rides.get("assignedNeverPickedUp"), rides.toString());
        assertEquals(0L, rides.get("onBoardAtEnd"), rides.toString());
        assertEquals(0L, rides.get("pickupsOrDropoffsElsewhereThanAssigned"), rides.toString());
        assertEquals((Long)answers.get("assigned"), (Long)rides.get("served") + (Long)rides.get("assignedThenCancelled"),
            "every ride assigned and not cancelled is served");
        assertEquals(0L, ((Map<?, ?>)f.get("promises")).get("latePickupsVsLastPromise"), "no noise: on time but for the second of lockstep");
        assertEquals(0L, plans.get("unknownStops"));
        assertEquals(0L, plans.get("dropoffsOfRidersNotOnBoard"));
        assertEquals(0L, plans.get("boardingsBeyondCapacity"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>)f.get("inputs")).get("endedBeforeTheDrainLimit"));

        run(tmp.resolve("second"));
        JournalContents.assertSameEgress(tmp.resolve("first"), tmp.resolve("second"), 1000); // SignalCommands every Tick at least
    }
}
