package kr.sejong.city.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kr.sejong.city.core.testing.JournalContents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code city simulate} with {@code kind: emergency}: the storm (its first 36 minutes: the tunnel, the
 * street-light shadow, the fire, the bad inputs) through the node twice. The report scores triage; the two
 * runs' egress journals are the same, byte for byte.
 */
class SimulateEmergencyTest
{
    private static final Path STORM = CityHome.home().resolve("config/scenarios/emergency-storm.yaml");

    @TempDir
    Path tmp;

    @Test
    void theStormRunsThroughTheNodeScoresTriageAndGivesTheSameEgressTwice() throws IOException
    {
        final Path firstData = tmp.resolve("first");
        final Path secondData = tmp.resolve("second");
        final Path report = tmp.resolve("storm.json");
        final Path table = tmp.resolve("storm.md");
        final Cli first = Cli.run("simulate", "--scenario", STORM.toString(), "--hours", "0.6", "--report", report.toString(),
            "--table", table.toString(), "--data", firstData.toString(), "--quiet");
        assertEquals(ExitCodes.OK, first.exitCode(), first.err());
        final Cli second = Cli.run("simulate", "--scenario", STORM.toString(), "--hours", "0.6", "--data", secondData.toString(), "--quiet");
        assertEquals(ExitCodes.OK, second.exitCode(), second.err());

        final JsonNode f = new ObjectMapper().readTree(report.toFile()).path("figures");
        assertEquals("emergency", new ObjectMapper().readTree(report.toFile()).path("kind").asText());
        final JsonNode correlation = f.path("correlation");
        assertTrue(correlation.path("precision").isNumber() && correlation.path("recall").isNumber(), correlation.toString());
        assertTrue(correlation.path("truePairs").asLong() > 0, correlation.toString());
        assertTrue(f.path("incidents").path("count").asLong() > 0, f.path("incidents").toString());
        assertTrue(f.path("deduplication").path("eventsPerIncident").isNumber(), f.path("deduplication").toString());
        assertTrue(f.path("incidentRoutedUs").path("count").asLong() > 0, f.path("incidentRoutedUs").toString());
        assertEquals(4, f.path("rejects").path("expected").asLong(), "four bad inputs in the first 36 minutes");
        assertEquals(0, f.path("rejects").path("unexpected").asLong(), f.path("rejects").toString());
        assertEquals(f.path("rejects").path("expected").asLong(), f.path("rejects").path("count").asLong(), f.path("rejects").toString());
        assertTrue(f.path("scriptedSituations").path("fire-shopping-street").path("incidents").size() > 0, "the fire is an incident");
        assertTrue(Files.readString(table).contains("| correlation precision / recall (pairwise) |"));

        JournalContents.assertSameEgress(firstData, secondData, 1000); // SignalCommands every Tick at least
    }

    @Test
    void anotherKindNamesTheKnownKindsAndABadStormNamesTheField() throws IOException
    {
        final Path other = tmp.resolve("other.yaml");
        Files.writeString(other, "kind: parking\n");
        final Cli cli = Cli.run("simulate", "--scenario", other.toString());
        assertEquals(ExitCodes.BAD_INPUT, cli.exitCode());
        assertTrue(cli.err().contains("known: energy, emergency, shuttle"), cli.err());

        final Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(STORM).replace("cameras: [18, 19, 20]", "cameras: [18, 99, 20]"));
        final Cli badRun = Cli.run("simulate", "--scenario", bad.toString(), "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, badRun.exitCode(), badRun.err());
        assertTrue(badRun.err().contains("situations[2].cameras names camera 99"), badRun.err());
        assertEquals(1, badRun.err().strip().lines().count(), badRun.err());
    }
}
