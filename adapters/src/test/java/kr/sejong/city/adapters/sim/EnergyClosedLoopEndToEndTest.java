package kr.sejong.city.adapters.sim;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The energy field closed through the real node (simulated mode, Aeron, journal, {@link Loops#create}):
 * twenty minutes of the default city at 100 ms with an EV peak, a frequency dip, a demand-response event
 * and measurement faults. Run twice: the node's egress is the same, byte for byte; and the run meets the
 * loop's promises (PCC and SoC limits hold, the droop is fully active within 0.5 s, the faults fall back
 * and are counted, demand response is delivered).
 */
class EnergyClosedLoopEndToEndTest
{
    private static final CityConfig CITY = ConfigLoader.loadDefault().config();
    private static final EnergyScenario SCENARIO = EnergyScenario.parse("test", String.join("\n",
        "kind: energy",
        "date: 2026-06-22",
        "hours: 0.34",
        "seed: 7",
        "ev: { arrivalsPerHour: 200 }",
        "frequencyDips:",
        "  - { at: \"00:06\", depthMilliHz: 250, fallS: 3, recoveryS: 20 }",
        "demandResponse:",
        "  - { id: 9, announceAt: \"00:02\", start: \"00:10\", end: \"00:16\", reduceKw: 1200 }",
        "faults:",
        "  - { at: \"00:03\", device: pcc, kind: silent, seconds: 4 }",
        "  - { at: \"00:04\", device: frequency, kind: nan, seconds: 1 }",
        "  - { at: \"00:05\", device: \"ess:302\", kind: out-of-range, seconds: 1 }").getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path first;
    @TempDir
    Path second;

    private record Run(List<byte[]> egress, Map<String, Object> figures)
    {
    }

    @Test
    void theSameScenarioTwiceGivesTheSameEgressAndKeepsTheLimits()
    {
        final Run a = run(first);
        final Run b = run(second);
        assertTrue(a.egress().size() > 12_000, "a BalancingStatus per Tick at least: " + a.egress().size());
        assertEquals(a.egress().size(), b.egress().size());
        for (int i = 0; i < a.egress().size(); i++)
        {
            assertArrayEquals(a.egress().get(i), b.egress().get(i), "egress frame " + i);
        }
        assertEquals(a.figures().toString(), b.figures().toString());

        final Map<String, Object> f = a.figures();
        assertEquals(0L, ((Map<?, ?>)f.get("pcc")).get("violationSteps"));
        assertEquals(0L, f.get("socViolationSteps"));
        final Object worst = ((Map<?, ?>)f.get("frequencyResponse")).get("worstResponseTimeMs");
        assertNotNull(worst, "the dip was answered");
        assertTrue(worst instanceof Double && (Double)worst <= 500.0, "droop fully active within 0.5 s: " + worst);
        final Map<?, ?> bad = (Map<?, ?>)f.get("badData");
        assertTrue((Long)bad.get("fallbackTicks") >= 20, "4 s without the PCC meter: stale after 2 s: " + bad);
        assertTrue((Long)bad.get("staleMeasurements") >= 1, bad.toString());
        assertTrue((Long)bad.get("invalidMeasurements") >= 20, "1 s of NaN frequency and of impossible SoC: " + bad);
        final Map<?, ?> dr = (Map<?, ?>)((List<?>)f.get("demandResponse")).get(0);
        assertTrue((Double)dr.get("deliveredPercent") > 95.0, "demand response delivered: " + dr);
        assertEquals(0L, ((Map<?, ?>)f.get("ev")).get("feasibleDeadlinesMissed"));
    }

    private static Run run(final Path dataDir)
    {
        final ControlNode.Context ctx = new ControlNode.Context()
            .dataDir(dataDir)
            .mode(NodeMode.SIMULATED)
            .loops(Loops.create(CITY));
        final List<byte[]> egressFrames = new ArrayList<>();
        final EnergyField field = new EnergyField(CITY, SCENARIO);
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
            final AeronEnergyController node2 = new AeronEnergyController(ingress, egress, 20_000);
            field.run(new EnergyController()
            {
                @Override
                public void onFrame(final DirectBuffer buffer, final int offset, final int length)
                {
                    node2.onFrame(buffer, offset, length);
                }

                @Override
                public void tick(final long timeNs, final long periodNs, final long tickNumber, final FrameSink answers)
                {
                    node2.tick(timeNs, periodNs, tickNumber, (buffer, offset, length) ->
                    {
                        final byte[] frame = new byte[length];
                        buffer.getBytes(offset, frame);
                        egressFrames.add(frame);
                        answers.onFrame(buffer, offset, length);
                    });
                }
            }, null);
        }
        return new Run(egressFrames, field.figures());
    }
}
