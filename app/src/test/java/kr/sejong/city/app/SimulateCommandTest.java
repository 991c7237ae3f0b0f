package kr.sejong.city.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code city simulate}: a bad scenario is exit code 2 and one message naming the problem; a good one runs and reports. */
class SimulateCommandTest
{
    private static final Path SUNNY = CityHome.home().resolve("config/scenarios/energy-sunny-day.yaml");

    @TempDir
    Path tmp;

    static Stream<Arguments> badScenarios()
    {
        return Stream.of(
            Arguments.of("another kind", "kind: energy", "kind: parking", "kind 'parking'"),
            Arguments.of("no kind", "kind: energy", "", "has no kind"),
            Arguments.of("unknown key", "stepMs: 100", "stepMs: 100\nstepsMs: 100", "stepsMs is not a scenario setting"),
            Arguments.of("out of range", "stepMs: 100", "stepMs: 5000", "stepMs must be between 10 and 1000"),
            Arguments.of("step not dividing a second", "stepMs: 100", "stepMs: 300", "stepMs must divide 1000"),
            Arguments.of("bad time of day", "at: \"18:30\"", "at: \"25:30\"", "frequencyDips[0].at must be a time of day"),
            Arguments.of("bad date", "date: 2026-06-22", "date: 2026-13-40", "date must be a date"),
            Arguments.of("demand response ending before it starts", "end: \"15:00\"", "end: \"13:30\"", "demandResponse[0]. needs announceAt <= start < end"),
            Arguments.of("unknown fault device", "device: pcc, kind: silent", "device: inverter, kind: silent", "faults[0].device must be pcc, frequency or ess:ID"),
            Arguments.of("operator release with a value", "faults:", "operatorSetpoints:\n  - { at: \"10:00\", device: 302, release: true, kw: 5 }\nfaults:",
                "operatorSetpoints[0].release is true: give no kw or holdS"),
            Arguments.of("operator hold beyond a day", "faults:", "operatorSetpoints:\n  - { at: \"10:00\", device: 302, kw: 5, holdS: 90000 }\nfaults:",
                "operatorSetpoints[0].holdS"),
            Arguments.of("not YAML", "kind: energy", "kind: [energy", "not valid YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badScenarios")
    void aBadScenarioExitsWithCode2AndNamesTheProblem(final String name, final String find, final String replace, final String expected)
        throws IOException
    {
        final String text = Files.readString(SUNNY, StandardCharsets.UTF_8);
        assertTrue(text.contains(find), "the sunny-day scenario has " + find);
        final Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, text.replaceFirst(java.util.regex.Pattern.quote(find), java.util.regex.Matcher.quoteReplacement(replace)));
        final Cli cli = Cli.run("simulate", "--scenario", bad.toString(), "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains(expected), "message names the problem: " + cli.err());
        assertEquals(1, cli.err().strip().lines().count(), "one message: " + cli.err());
    }

    @Test
    void aMissingScenarioFileExitsWithCode2()
    {
        final Cli cli = Cli.run("simulate", "--scenario", tmp.resolve("nowhere.yaml").toString());
        assertEquals(ExitCodes.BAD_INPUT, cli.exitCode());
        assertTrue(cli.err().contains("nowhere.yaml not found"), cli.err());
    }

    @Test
    void badOptionsExitWithCode2()
    {
        assertEquals(ExitCodes.BAD_INPUT, Cli.run("simulate", "--scenario", SUNNY.toString(), "--hours", "0").exitCode());
        final Cli cli = Cli.run("simulate", "--scenario", SUNNY.toString(), "--strategies", "balancing,magic");
        assertEquals(ExitCodes.BAD_INPUT, cli.exitCode());
        assertTrue(cli.err().contains("unknown strategy 'magic'"), cli.err());
    }

    /** The operator-set-point scenario through the node: its set-points come back with reason OPERATOR, the bad ones as Rejects. */
    @Test
    void anOperatorsSetPointsDriveTheRealNode() throws IOException
    {
        final Path report = tmp.resolve("operator.json");
        final Cli cli = Cli.run("simulate", "--scenario", CityHome.home().resolve("config/scenarios/energy-operator-setpoint.yaml").toString(),
            "--hours", "0.8", "--strategies", "balancing", "--report", report.toString(), "--quiet");
        assertEquals(ExitCodes.OK, cli.exitCode(), cli.err());
        final JsonNode operator = new ObjectMapper().readTree(report.toFile()).path("strategies").path("balancing").path("operatorSetpoints");
        assertEquals(4, operator.path("sent").asLong(), operator.toString()); // 00:30, 00:40, 00:45, 00:46
        assertTrue(operator.path("setpointsWithReasonOperator").asLong() >= 2, "ESS 302 and charger 425: " + operator);
        assertEquals(2, operator.path("rejects").asLong(), "900 kW on a 500 kW ESS, and device 999: " + operator);
    }

    @Test
    void aShortRunThroughTheNodeWritesTheReportAndTheTable() throws IOException
    {
        final Path report = tmp.resolve("report.json");
        final Path table = tmp.resolve("table.md");
        final Cli cli = Cli.run("simulate", "--scenario", SUNNY.toString(), "--hours", "0.1", "--report", report.toString(),
            "--table", table.toString(), "--quiet");
        assertEquals(ExitCodes.OK, cli.exitCode(), cli.err());
        final JsonNode json = new ObjectMapper().readTree(report.toFile());
        for (final String strategy : new String[]{ "balancing", "rule-based", "no-control" })
        {
            final JsonNode figures = json.path("strategies").path(strategy);
            assertFalse(figures.isMissingNode(), strategy);
            assertEquals(3_600, figures.path("steps").asLong(), strategy + ": 6 minutes at 100 ms");
            assertTrue(figures.path("pcc").has("peakImportKw"));
            assertTrue(figures.path("decisionLatencyUs").has("p99"));
            assertTrue(figures.path("operatorSetpoints").isMissingNode(), "no operator figures in a scenario without operators");
        }
        assertTrue(json.path("strategies").path("balancing").path("roundTripUs").path("count").asLong() >= 3_600);
        final String markdown = Files.readString(table);
        assertTrue(markdown.contains("| peak import kW |"), markdown);
        assertTrue(markdown.contains("command: `bin/city simulate --scenario"), markdown);
        assertTrue(markdown.contains("machine: "), markdown);
    }
}
