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
        return run(control, "600", "0");
    }

    private JsonNode run(final String control, final String endS, final String warmUpS) throws IOException
    {
        final String name = control + "-" + endS + "-" + warmUpS;
        final Path report = tmp.resolve(name + ".json");
        final Cli cli = Cli.run("twin", "--sumo-config", SCENARIO.toString(), "--control", control, "--end", endS, "--max-drain", "0",
            "--seed", "42", "--quiet", "--warm-up", warmUpS, "--report", report.toString(), "--data", tmp.resolve(name).toString());
        assertEquals(0, cli.exitCode(), control + ": " + cli.out() + cli.err());
        return new ObjectMapper().readTree(report.toFile());
    }

    @Test
    void aWarmUpRunComesFirstAndChangesNothingTheMeasuredRunDecides() throws IOException
    {
        final Path tmpRoot = Path.of(System.getProperty("java.io.tmpdir"));
        final long leftBefore = warmUpDirs(tmpRoot);
        final JsonNode cold = run("adaptive", "180", "0");
        final JsonNode warm = run("adaptive", "180", "120");
        assertEquals(0.0, cold.get("warmUpRunSimS").asDouble());
        assertEquals(120.0, warm.get("warmUpRunSimS").asDouble());
        assertTrue(warm.get("decisionLatencyUs").get("measured").asText().contains("warm-up run"), warm.toString());
        // the measured run is the same run: the same vehicles, delays, commands and decisions counted
        for (final String field : new String[] {"vehicles", "arrived", "meanDelayS", "meanWaitingS", "commands", "safetyViolations"})
        {
            assertEquals(cold.get(field), warm.get(field), field);
        }
        assertEquals(cold.get("decisionLatencyUsWithWarmUp").get("count"), warm.get("decisionLatencyUsWithWarmUp").get("count"),
            "the warm-up run's decisions are not in the measured run's figures");
        assertEquals(leftBefore, warmUpDirs(tmpRoot), "the warm-up run's data directory is deleted");
    }

    private static long warmUpDirs(final Path dir) throws IOException
    {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().startsWith("city-twin-warm-up-")).count();
        }
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
    void sumosOwnActuatedControllersRunAloneHeldToOurSafetyFloor() throws IOException
    {
        // SUMO's own program: 2 s yellows, no all-red, so what SUMO showed breaks our floor
        final JsonNode own = run("native");
        assertTrue(own.get("safetyViolations").asLong() > 0, own.toString());
        for (final String control : new String[] {"sumo-actuated", "sumo-delay-based"})
        {
            final JsonNode reference = run(control);
            assertEquals(control, reference.get("control").asText());
            // the programs SUMO ran are the ones written for the run: their 3 s yellows and 2 s all-reds, checked on what SUMO showed
            assertEquals(0, reference.get("safetyViolations").asLong(), control + ": " + reference);
            assertEquals(own.get("vehicles").asLong(), reference.get("vehicles").asLong(), "the same demand");
            assertEquals(0.0, reference.get("warmUpRunSimS").asDouble(), "no node, no warm-up run");
            assertTrue(reference.get("meanDelayS").asDouble() < own.get("meanDelayS").asDouble(),
                control + " answers the demand; the own fixed-time program does not: " + reference.get("meanDelayS") + " against " + own.get("meanDelayS"));
            final String programs = java.nio.file.Files.readString(tmp.resolve(control + "-600-0").resolve("reference-programs.add.xml"));
            assertTrue(programs.contains("type=\"" + (control.equals("sumo-actuated") ? "actuated" : "delay_based") + "\""), programs);
        }
        final Cli opcua = Cli.run("twin", "--sumo-config", SCENARIO.toString(), "--control", "sumo-delay-based", "--via", "opcua");
        assertEquals(2, opcua.exitCode());
        assertTrue(opcua.err().contains("--via opcua needs the node: not with --control sumo-delay-based"), opcua.err());
    }

    @Test
    void badInputGetsExitCode2()
    {
        final Cli missing = Cli.run("twin", "--sumo-config", tmp.resolve("nope.sumocfg").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("not found"), missing.err());
        final Cli control = Cli.run("twin", "--sumo-config", SCENARIO.toString(), "--control", "clever");
        assertEquals(2, control.exitCode());
        assertTrue(control.err().contains("--control must be adaptive, fixed, maxpressure, native, sumo-actuated or sumo-delay-based, was 'clever'"),
            control.err());
        final Cli warmUp = Cli.run("twin", "--sumo-config", SCENARIO.toString(), "--warm-up", "-5");
        assertEquals(2, warmUp.exitCode());
        assertTrue(warmUp.err().contains("--warm-up must be a number of simulated seconds >= 0, was -5.0"), warmUp.err());
    }
}
