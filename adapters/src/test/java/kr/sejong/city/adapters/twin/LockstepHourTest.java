package kr.sejong.city.adapters.twin;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeMode;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whole scenarios in lockstep through a real node, the decisions from {@link ProgramReplayLoop} playing
 * the network's own program: how long a simulated hour takes, and that the lockstep gives exactly the
 * figures of SUMO running the same program alone. Slow, so only on request:
 * {@code ./mvnw -B install -pl adapters -Dtest=LockstepHourTest -Dtwin.hour=true}.
 */
@EnabledIfSystemProperty(named = "twin.hour", matches = "true")
class LockstepHourTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"single-intersection", "grid2x2", "grid4x4-lucas"})
    void aWholeScenarioInLockstep(final String scenario)
    {
        TwinTesting.requireSumo();
        final TwinReport lockstep;
        try (ControlNode node = ControlNode.launch(new ControlNode.Context().dataDir(dir.resolve("data")).mode(NodeMode.SIMULATED)
            .loops(List.of(new ProgramReplayLoop(false, false))));
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName())))
        {
            final ExclusivePublication ingress = aeron.addExclusivePublication(node.context().ingressChannel(), node.context().ingressStreamId());
            final Subscription egress = aeron.addSubscription(node.context().egressChannel(), node.context().egressStreamId());
            lockstep = new TwinAdapter(new TwinAdapter.Context().sumoConfig(TwinTesting.scenarioConfig(scenario)).seed(42)
                .control(ControlMode.FIXED).ingress(ingress).egress(egress).logDir(dir.resolve("sumo"))).run();
        }
        final TwinReport alone = new TwinAdapter(new TwinAdapter.Context().sumoConfig(TwinTesting.scenarioConfig(scenario)).seed(42)
            .mode(TwinMode.FIXED_TIME_REFERENCE).logDir(dir.resolve("alone"))).run();
        System.out.printf(Locale.ROOT, "%s lockstep: %s%n  %.1f s per simulated hour in lockstep, %.1f s alone%n", scenario,
            lockstep.summary(), lockstep.wallSPerSimHour(), alone.wallSPerSimHour());
        assertEquals(alone.meanDelayS(), lockstep.meanDelayS(), 1e-9);
        assertEquals(alone.vehicles(), lockstep.vehicles());
        assertEquals(alone.safetyViolations(), lockstep.safetyViolations());
    }
}
