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
 * Closed loop against a real SUMO: 600 simulated seconds of the single-intersection scenario, the
 * network's own fixed-time program (run by SUMO) against adaptive control through the real node, in the
 * same test, compared as a ratio. Both runs are deterministic (SUMO's seed, the loop's logical time).
 */
class TwinClosedLoopTest
{
    private static final Path SCENARIO = CityHome.home().resolve("config/twin/single-intersection/single-intersection.sumocfg");

    @TempDir
    Path tmp;

    private JsonNode run(final String control) throws IOException
    {
        final Path report = tmp.resolve(control + ".json");
        final Cli cli = Cli.run("twin", "--sumo-config", SCENARIO.toString(), "--control", control, "--end", "600", "--max-drain", "0",
            "--seed", "42", "--quiet", "--report", report.toString(), "--data", tmp.resolve(control).toString());
        assertEquals(0, cli.exitCode(), control + ": " + cli.out() + cli.err());
        return new ObjectMapper().readTree(report.toFile());
    }

    @Test
    void adaptiveControlBeatsTheFixedTimeProgramAsARatio() throws IOException
    {
        final JsonNode fixed = run("native");
        final JsonNode adaptive = run("adaptive");

        final double ratio = adaptive.get("meanDelayS").asDouble() / fixed.get("meanDelayS").asDouble();
        System.out.printf("single-intersection, 600 s: fixed-time %.2f s, adaptive %.2f s, ratio %.2f%n",
            fixed.get("meanDelayS").asDouble(), adaptive.get("meanDelayS").asDouble(), ratio);
        assertTrue(ratio <= 0.8, "adaptive mean delay / fixed-time mean delay = " + ratio);
        assertEquals(0, adaptive.get("safetyViolations").asLong(), "what SUMO showed, checked independently");
        assertEquals(0, adaptive.get("notInserted").asLong());
        assertEquals(fixed.get("vehicles").asLong(), adaptive.get("vehicles").asLong(), "the same demand");
        assertTrue(adaptive.get("decisionLatencyUsWithWarmUp").get("count").asLong() >= 600, "a decision per intersection per step");
    }

    @Test
    void badInputGetsExitCode2()
    {
        final Cli missing = Cli.run("twin", "--sumo-config", tmp.resolve("nope.sumocfg").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("not found"), missing.err());
        final Cli control = Cli.run("twin", "--sumo-config", SCENARIO.toString(), "--control", "clever");
        assertEquals(2, control.exitCode());
        assertTrue(control.err().contains("--control"), control.err());
    }
}
