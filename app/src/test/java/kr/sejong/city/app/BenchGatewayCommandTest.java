package kr.sejong.city.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kr.sejong.city.bench.gateway.GatewayReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench gateway}: a tiny run (the load generator in its own JVM, the baseline and the gateway with the node)
 * answers every request and leaves its files; bad options exit with 2 naming the option. A smoke run: no time is
 * asserted.
 */
class BenchGatewayCommandTest
{
    @TempDir
    Path tmp;

    @Test
    void aTinyRunAnswersEveryRequestAndWritesTheDistributionsAndThePlot() throws Exception
    {
        final Path report = tmp.resolve("gw.json");
        final Cli cli = Cli.run("bench", "gateway", "--rate", "40", "--seconds", "1", "--warmup", "1", "--report", report.toString());
        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        assertTrue(cli.out().contains("baseline, bare HTTP server: 40 requests due, 40 answered 202"), cli.out());
        assertTrue(cli.out().contains("gateway + node: 40 requests due, 40 answered 202"), cli.out());
        assertTrue(cli.out().contains("0 answered otherwise or failed, 0 unanswered"), cli.out());
        assertTrue(cli.out().contains("command: bin/city bench gateway --rate 40 --seconds 1 --warmup 1 --report " + report), cli.out());
        final String hgrm = Files.readString(tmp.resolve("gw-gateway-rides-40rps.hgrm"));
        assertTrue(hgrm.matches("(?s).*Total count\\s+=\\s+40\\].*"), hgrm);
        assertTrue(Files.readString(tmp.resolve("gw-bare-http-40rps.hgrm")).matches("(?s).*Total count\\s+=\\s+40\\].*"));
        assertTrue(Files.size(tmp.resolve("gw-gateway-rides-40rps.png")) > 10_000);

        final JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(40, json.get("gateway").get("answered202").asInt(), json.toString());
        assertEquals(40, json.get("bareHttp").get("answered202").asInt(), json.toString());
        assertTrue(json.get("targetMet").isNull(), "the target is stated for 1,000/s: " + json.get("targetMet"));
        assertEquals("gw-gateway-rides-40rps.png", json.get("files").get("plot").asText());
        final String md = GatewayReport.markdown(json, "results");
        assertTrue(md.contains("| gateway + node | "), md);
        assertTrue(md.contains("| bare HTTP server (baseline) | "), md);
        assertTrue(md.contains("40 of 40 answered 202"), md);
        assertTrue(md.contains("not measured at this rate"), md);
        assertTrue(md.contains("](results/gw-gateway-rides-40rps.png)"), md);
    }

    @Test
    void badOptionsExitWith2NamingTheOption()
    {
        for (final String[] bad : new String[][] {
            { "--rate", "0" }, { "--rate", "100001" }, { "--seconds", "0" }, { "--warmup", "-1" }, { "--rate", "many" }, { "--connections", "0" } })
        {
            final Cli cli = Cli.run("bench", "gateway", bad[0], bad[1], "--out", tmp.toString());
            assertEquals(2, cli.exitCode(), cli.out() + cli.err());
            assertTrue(cli.err().contains(bad[0]), bad[0] + " named: " + cli.err());
        }
        assertTrue(!Files.exists(tmp.resolve("gateway-rides-0rps.hgrm")));
    }
}
