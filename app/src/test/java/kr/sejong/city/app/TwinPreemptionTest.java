package kr.sejong.city.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closed loop against a real SUMO, through the real node and signal loop: the first 600 simulated seconds
 * of sejong-ring (and 250 s after, before fire_1 leaves at 900 s) hold one emergency run, ambulance_1 (departs at 300 s, 7 signalised junctions), among the
 * background traffic and buses. The same seed with preemption off and on, in the same test, compared as a
 * ratio: the ambulance's delay, what happened to everybody else, and the contract (a status for every
 * request in its tick, no safety violation).
 */
class TwinPreemptionTest
{
    private static final Path SCENARIO = CityHome.home().resolve("config/twin/sejong-ring/sejong-ring.sumocfg");

    @TempDir
    Path tmp;

    private JsonNode run(final String preemption) throws IOException
    {
        final Path report = tmp.resolve(preemption + ".json");
        final Cli cli = Cli.run("twin", "--sumo-config", SCENARIO.toString(), "--control", "adaptive", "--preemption", preemption,
            "--end", "600", "--max-drain", "250", "--seed", "42", "--quiet", "--warm-up", "0", "--report", report.toString(),
            "--data", tmp.resolve(preemption).toString());
        assertEquals(0, cli.exitCode(), preemption + ": " + cli.out() + cli.err());
        return new ObjectMapper().readTree(report.toFile());
    }

    @Test
    void oneAmbulanceIsDelayedLessWithPreemptionThanWithoutAsARatio() throws IOException
    {
        final JsonNode off = run("off");
        final JsonNode on = run("on");

        assertEquals(1, on.get("emergency").get("vehicles").asLong(), "ambulance_1 alone in the first 600 s");
        assertEquals(1, on.get("emergency").get("arrived").asLong());
        final double ratio = on.get("emergency").get("meanDelayS").asDouble() / off.get("emergency").get("meanDelayS").asDouble();
        final double background = on.get("background").get("meanDelayS").asDouble() / off.get("background").get("meanDelayS").asDouble();
        System.out.printf("sejong-ring, 600 s, ambulance_1: delay without preemption %.1f s, with %.1f s, ratio %.2f; background x %.3f%n",
            off.get("emergency").get("meanDelayS").asDouble(), on.get("emergency").get("meanDelayS").asDouble(), ratio, background);
        assertTrue(ratio <= 0.5, "ambulance delay with / without preemption = " + ratio);
        assertTrue(background <= 1.10, "background delay with / without = " + background);
        assertTrue(on.get("emergency").get("stopsAtSignals").asLong() < off.get("emergency").get("stopsAtSignals").asLong()
            || off.get("emergency").get("stopsAtSignals").asLong() == 0, "fewer stops at signals");

        final JsonNode priority = on.get("priority");
        assertTrue(priority.get("requestsSent").asLong() > 0);
        assertEquals(0, priority.get("missingStatuses").asLong(), "every request answered in the tick it arrived");
        assertTrue(priority.get("statusesByCode").get("GRANTED").asLong() > 0);
        assertTrue(priority.get("preemptions").asLong() >= 7, "each of the 7 junctions on its route preempted");
        assertEquals(0, off.get("priority").get("requestsSent").asLong(), "off: no on-board unit speaks");
        assertEquals(0, on.get("safetyViolations").asLong(), "what SUMO showed, checked independently");
        assertEquals(0, on.get("refusedCommands").asLong(), "the loop never needed its monitor to step in");
        assertEquals(off.get("vehicles").asLong(), on.get("vehicles").asLong(), "the same demand");
    }

    @Test
    void aBadPreemptionOptionGetsExitCode2()
    {
        final Cli bad = Cli.run("twin", "--sumo-config", SCENARIO.toString(), "--preemption", "maybe");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--preemption must be on or off, was 'maybe'"), bad.err());
        final Cli bus = Cli.run("twin", "--sumo-config", SCENARIO.toString(), "--bus-priority", "yes");
        assertEquals(2, bus.exitCode());
        assertTrue(bus.err().contains("--bus-priority"), bus.err());
        final Cli scale = Cli.run("twin", "--sumo-config", SCENARIO.toString(), "--scale", "0");
        assertEquals(2, scale.exitCode());
        assertTrue(scale.err().contains("--scale must be a positive factor, was 0.0"), scale.err());
    }
}
