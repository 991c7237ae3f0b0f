package kr.sejong.city.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench e2e} runs end to end, briefly, at a low rate: a smoke run, not a benchmark (no figure is
 * asserted). The load generator runs in its own JVM as in a real run.
 */
class BenchE2eCommandTest
{
    @TempDir
    Path tmp;

    @Test
    void bothStacksAnswerEveryRequestAndLeaveTheirFiles() throws IOException
    {
        final Path report = tmp.resolve("results").resolve("smoke.json");

        final Cli cli = Cli.run("bench", "e2e", "--rate", "1000", "--duration", "2", "--warmup", "0.5", "--drain", "20",
            "--stack", "both", "--report", report.toString(), "--data", tmp.resolve("data").toString());

        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        assertTrue(cli.out().contains("p99.99"), cli.out());
        final JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(2, json.get("runs").size(), json.toString());
        for (final JsonNode run : json.get("runs"))
        {
            final String stack = run.get("stack").asText();
            assertEquals(0, run.get("unanswered").asLong(), stack + ": " + run);
            assertEquals(0, run.get("wrongDecisions").asLong(), stack + ": " + run);
            assertEquals(0, run.get("unexpectedReplies").asLong(), stack + ": " + run);
            assertEquals(run.get("sent").asLong(), run.get("replies").asLong(), stack + ": every request got a reply");
            assertTrue(run.get("sent").asLong() >= 2500, stack + ": sent the whole schedule: " + run);
            assertEquals(run.get("measuredRequests").asLong(), run.get("measuredReplies").asLong(), stack + ": " + run);
            assertTrue(run.get("throughputPerS").asDouble() > 0, stack + ": " + run);
            final Path hgrm = report.resolveSibling(run.get("hgrm").asText());
            assertTrue(Files.size(hgrm) > 0, stack + ": " + hgrm);
            assertTrue(Files.readString(hgrm).contains("#[Max"), stack + ": an HdrHistogram percentile distribution");
        }
        assertEquals("node", json.get("runs").get(0).get("stack").asText());
        assertEquals("conventional", json.get("runs").get(1).get("stack").asText());
        final Path png = report.resolveSibling(json.get("plot").asText());
        final BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "the PNG decodes: " + png);
        assertTrue(image.getWidth() > 100 && image.getHeight() > 100);
        assertFalse(Files.exists(tmp.resolve("data")) && Files.list(tmp.resolve("data")).findAny().isPresent(),
            "the journals of the run are deleted");
    }

    @Test
    void theTriagePathFoldsEveryEventIntoItsIncidentAndAnswersEachOne() throws IOException
    {
        final Path report = tmp.resolve("triage.json");
        final Cli cli = Cli.run("bench", "e2e", "--path", "triage", "--stack", "node", "--rate", "2000", "--duration", "2", "--warmup", "0.5",
            "--drain", "20", "--report", report.toString(), "--data", tmp.resolve("data").toString());
        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        final JsonNode run = new ObjectMapper().readTree(report.toFile()).get("runs").get(0);
        assertEquals(0, run.get("unanswered").asLong(), run.toString());
        assertEquals(0, run.get("wrongDecisions").asLong(), "each Incident lists its event last: " + run);
        assertEquals(run.get("sent").asLong(), run.get("replies").asLong(), run.toString());
        assertTrue(run.get("sent").asLong() >= 5000, run.toString());
        assertEquals(2, Cli.run("bench", "e2e", "--path", "triage").exitCode(), "the triage path runs the node only");
        assertEquals(2, Cli.run("bench", "e2e", "--path", "shuttles", "--stack", "node").exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "-5" })
    void aRateThatIsNotPositiveExitsWith2(final String rate)
    {
        final Cli cli = Cli.run("bench", "e2e", "--rate", rate, "--report", tmp.resolve("r.json").toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains("--rate"), cli.err());
        assertFalse(Files.exists(tmp.resolve("r.json")));
    }

    @Test
    void anUnknownTransportExitsWith2()
    {
        final Cli cli = Cli.run("bench", "e2e", "--transport", "tcp", "--report", tmp.resolve("r.json").toString());
        assertEquals(2, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains("--transport"), cli.err());
    }

    @Test
    void otherBadOptionsExitWith2()
    {
        assertEquals(2, Cli.run("bench", "e2e", "--stack", "all").exitCode());
        assertEquals(2, Cli.run("bench", "e2e", "--journal", "maybe").exitCode());
        assertEquals(2, Cli.run("bench", "e2e", "--duration", "0").exitCode());
        assertEquals(2, Cli.run("bench", "e2e", "--threading", "many").exitCode());
        assertEquals(2, Cli.run("bench", "e2e", "--step", "--throughput").exitCode());
    }
}
