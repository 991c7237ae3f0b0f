package kr.sejong.city.app;

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
        final Cli cli = Cli.run("bench", "gateway", "--rate", "40", "--seconds", "1", "--warmup", "1", "--out", tmp.toString());
        assertEquals(0, cli.exitCode(), cli.out() + cli.err());
        assertTrue(cli.out().contains("baseline, bare HTTP server: 40 requests due, 40 answered 202"), cli.out());
        assertTrue(cli.out().contains("gateway + node: 40 requests due, 40 answered 202"), cli.out());
        assertTrue(cli.out().contains("0 answered otherwise or failed, 0 unanswered"), cli.out());
        assertTrue(cli.out().contains("command: bin/city bench gateway --rate 40 --seconds 1 --warmup 1"), cli.out());
        final String hgrm = Files.readString(tmp.resolve("gateway-rides-40rps.hgrm"));
        assertTrue(hgrm.matches("(?s).*Total count\\s+=\\s+40\\].*"), hgrm);
        assertTrue(Files.readString(tmp.resolve("bare-http-40rps.hgrm")).matches("(?s).*Total count\\s+=\\s+40\\].*"));
        assertTrue(Files.size(tmp.resolve("gateway-rides-40rps.png")) > 10_000);
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
