package kr.sejong.city.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench opcua}: a tiny run leaves its files; bad options exit with 2 and a message naming the option. */
class BenchOpcUaCommandTest
{
    @TempDir
    Path tmp;

    @Test
    void aTinyRunWritesTheReportTheDistributionsThePlotAndThePage() throws Exception
    {
        final Path report = tmp.resolve("opcua.json");
        final Cli cli = Cli.run("bench", "opcua", "--items", "20", "--update-ms", "200", "--duration", "1", "--warmup", "0.5",
            "--restarts", "0", "--baseline", "off", "--report", report.toString());
        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        assertTrue(cli.out().contains("| no lost notifications |"), cli.out());
        final JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("bin/city bench opcua --items 20 --update-ms 200 --duration 1 --warmup 0.5 --restarts 0 --baseline off --report " + report,
            json.get("command").asText());
        assertEquals(0, json.get("delivery").get("lost").asLong(), json.toString());
        assertTrue(Files.exists(tmp.resolve(json.get("plot").asText())));
        assertTrue(Files.exists(tmp.resolve(json.get("markdown").asText())));
        assertEquals(5, json.get("hgrm").size(), "no baseline histogram without the baseline: " + json.get("hgrm"));
    }

    private static void assertBad(final String option, final String... args)
    {
        final Cli cli = Cli.run(args);
        assertEquals(2, cli.exitCode(), cli.out() + cli.err());
        assertTrue(cli.err().contains(option), option + " named: " + cli.err());
    }

    @Test
    void badOptionsExitWith2NamingTheOption()
    {
        assertBad("--items", "bench", "opcua", "--items", "0");
        assertBad("--items", "bench", "opcua", "--items", "many");
        assertBad("--sampling-ms", "bench", "opcua", "--sampling-ms", "0");
        assertBad("--update-ms", "bench", "opcua", "--update-ms", "50");
        assertBad("--duration", "bench", "opcua", "--duration", "-1");
        assertBad("--warmup", "bench", "opcua", "--warmup", "-1");
        assertBad("--restarts", "bench", "opcua", "--restarts", "-2");
        assertBad("--down-ms", "bench", "opcua", "--down-ms", "-1");
        assertBad("--baseline", "bench", "opcua", "--baseline", "maybe");
        assertFalse(Files.exists(CityHome.home().resolve("bench/results/opcua/opcua-0-1000ms.json")));
    }
}
