package kr.sejong.city.app;

import kr.sejong.city.config.ApiKeyHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code city run --gateway}: the node with the default city, its field simulator and the gateway, reached
 * over HTTP with the default city's demo keys (docs/gateway.md); and {@code city gateway-key}.
 */
class GatewayCommandTest
{
    /** The default city's demo key for the mobility app (docs/gateway.md lists them; replace them in a deployment). */
    static final String MOBILITY_KEY = "mobility-app.c2a6cb2fcb56513edc653b6ebe65b944ff33a921968380e068922b226c9c55a0";
    static final String VIEWER_KEY = "city-viewer.71bf9c3ae1e758fce18d1bef6e85e01783847e7a5d0aa444c7685f5ba8d77a8f";

    @TempDir
    Path tmp;

    @Test
    void runWithTheGatewayServesTheApiAndTheConsoleBesideTheNode() throws Exception
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> CityCli.execute(new PrintWriter(out, true),
            new PrintWriter(err, true), "run", "--gateway", "--gateway-port", "0", "--data", tmp.resolve("data").toString(),
            "--duration", "8", "--quiet"));
        final Pattern listening = Pattern.compile("gateway on http://127\\.0\\.0\\.1:(\\d+)/");
        int port = -1;
        final long deadline = System.currentTimeMillis() + 30_000;
        while (port < 0 && System.currentTimeMillis() < deadline && !run.isDone())
        {
            final Matcher matcher = listening.matcher(out.toString());
            if (matcher.find())
            {
                port = Integer.parseInt(matcher.group(1));
            }
            Thread.sleep(50);
        }
        assertTrue(port > 0, "no gateway line in:\n" + out + err);
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final String base = "http://127.0.0.1:" + port;

        final HttpResponse<String> openapi = http.send(HttpRequest.newBuilder(URI.create(base + "/openapi.json")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, openapi.statusCode());
        final HttpResponse<String> ride = http.send(HttpRequest.newBuilder(URI.create(base + "/api/rides"))
            .header("Authorization", "Bearer " + MOBILITY_KEY).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"riderId\": 5, \"origin\": {\"stopId\": 1}, \"destination\": {\"stopId\": 2}, \"partySize\": 1}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, ride.statusCode(), ride.body());
        final HttpResponse<String> forbidden = http.send(HttpRequest.newBuilder(URI.create(base + "/api/rides"))
            .header("Authorization", "Bearer " + VIEWER_KEY).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forbidden.statusCode(), forbidden.body());

        assertEquals(ExitCodes.OK, run.get(60, TimeUnit.SECONDS), out + "\n" + err);
        assertTrue(out.toString().contains("stopped cleanly"), out.toString());
    }

    @Test
    void runWithTheGatewayNeedsAGatewaySectionAndAValidPort()
    {
        final Cli cli = Cli.run("run", "--gateway", "--gateway-port", "70000", "--data", tmp.resolve("d").toString(), "--duration", "1");
        assertEquals(ExitCodes.BAD_INPUT, cli.exitCode(), cli.out() + cli.err());
        assertTrue(cli.err().contains("--gateway-port must be in [0, 65535], was 70000"), cli.err());
    }

    @Test
    void aCorruptDeliveryStateStopsTheStartWithExitCode2NamingTheFile() throws Exception
    {
        final Path data = tmp.resolve("corrupt");
        final Path state = data.resolve("gateway/deliveries/endpoint-fire-119.state");
        java.nio.file.Files.createDirectories(state.getParent());
        java.nio.file.Files.writeString(state, "not a delivery state\n");
        final Cli cli = Cli.run("run", "--gateway", "--gateway-port", "0", "--data", data.toString(), "--duration", "1", "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, cli.exitCode(), cli.out() + cli.err());
        assertTrue(cli.err().contains(state.toString()), cli.err());
        assertTrue(!cli.err().contains("\tat "), "a message, not a stack trace: " + cli.err());
        assertEquals("not a delivery state\n", java.nio.file.Files.readString(state), "the file is left as it was");
    }

    @Test
    void gatewayKeyPrintsAKeyAndTheHashThatMatchesIt()
    {
        final Cli cli = Cli.run("gateway-key", "--client", "hospital-2", "--iterations", "10000");
        assertEquals(ExitCodes.OK, cli.exitCode(), cli.err());
        final Matcher key = Pattern.compile("key: +(hospital-2\\.[0-9a-f]{64})").matcher(cli.out());
        final Matcher hash = Pattern.compile("keyHash: \"([^\"]+)\"").matcher(cli.out());
        assertTrue(key.find() && hash.find(), cli.out());
        assertTrue(ApiKeyHash.parse(hash.group(1)).matches(key.group(1)));
        assertEquals(ExitCodes.BAD_INPUT, Cli.run("gateway-key", "--client", "Hospital 2").exitCode());
    }
}
