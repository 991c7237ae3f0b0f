package kr.sejong.city.adapters.opcua.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.adapters.opcua.FieldNodes.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static kr.sejong.city.adapters.opcua.server.FieldServerTesting.T0_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Interoperability with an OPC UA stack written independently of Milo: node-opcua 2.186.4 (installed by bin/test
 * into {@code .tools/node-opcua}) runs {@code adapters/src/test/js/opcua-field-client.cjs} against a field server,
 * SignAndEncrypt with Basic256Sha256 and a user name. Its first attempt is refused, as an unknown client must be;
 * the test then moves the refused certificate from rejected/ to trusted/certs as an operator would, and the second
 * attempt reads the namespace index and the intersection, sees a fed value arrive with its SourceTimestamp, calls
 * SetSignalState and writes the ESS set-point.
 */
class FieldServerNodeOpcuaTest
{
    private static final long INTERSECTION = 3;
    private static final long ESS = 5;
    private static final int RUN_TIMEOUT_S = 90;

    @TempDir
    Path temp;

    @Test
    void nodeOpcuaReadsSubscribesCallsAndWritesUnderSignAndEncrypt() throws Exception
    {
        final Path root = Path.of(System.getProperty("user.dir")).getParent();
        final Path nodeModules = root.resolve(".tools/node-opcua/node_modules");
        if (!Files.isRegularFile(nodeModules.resolve("node-opcua/package.json")))
        {
            fail("node-opcua is missing from " + nodeModules + ": run bin/test, which installs node-opcua 2.186.4 there " +
                "(or: mkdir -p .tools/node-opcua && npm install --prefix .tools/node-opcua --no-audit --no-fund node-opcua@2.186.4)");
        }
        final Path script = root.resolve("adapters/src/test/js/opcua-field-client.cjs");
        final Path clientPki = temp.resolve("node-client-pki");
        final long fedAtNs = T0_NS - 2_345_000_000L; // whole milliseconds: JavaScript dates have no finer grain

        try (FieldServer server = FieldServer.start(new FieldServer.Context()
            .bindAddress("127.0.0.1")
            .hostname("localhost")
            .port(FieldServerTesting.freePort())
            .pkiDirectory(temp.resolve("server-pki"))
            .user(FieldServerTesting.USER, FieldServerTesting.PASSWORD_HASH)
            .epochNanoClock(new FieldServerTesting.ManualClock(T0_NS))
            .tickIntervalMs(0)
            .device(FieldDevice.intersection(INTERSECTION, FieldServerTesting.crossing()))
            .device(FieldDevice.ess(ESS, 100_000, 100_000, 100, 900))))
        {
            final Path serverCert = temp.resolve("server.der");
            Files.write(serverCert, server.certificate().getEncoded());
            final Map<String, String> env = new LinkedHashMap<>();
            env.put("NODE_PATH", nodeModules.toString());
            env.put("ENDPOINT", server.endpointUrl());
            env.put("PKI", clientPki.toString());
            env.put("SERVER_CERT", serverCert.toString());
            env.put("USER", FieldServerTesting.USER);
            env.put("PASSWORD", FieldServerTesting.PASSWORD);
            env.put("INTERSECTION", Long.toString(INTERSECTION));
            env.put("ESS", Long.toString(ESS));
            env.put("SUBSCRIBE_NODE", FieldNodes.node(Kind.ESS, ESS, FieldNodes.SOC_PERMILLE));
            env.put("GOOD_STATE", "yyrr");
            env.put("CONFLICTING_STATE", "GGGr");

            // first attempt: an unknown client certificate is refused, and kept in rejected/
            final Run refused = run(script, env, line -> { });
            assertEquals(3, refused.exitCode, refused.transcript());
            assertTrue(refused.step("connect").has("error"), refused.transcript());
            final List<Path> rejected = server.pki().rejectedFiles();
            assertEquals(1, rejected.size(), "rejected/: " + rejected + "\n" + refused.transcript());
            final String message = server.pki().lastRefusal();
            assertTrue(message.contains(rejected.get(0).toString()) && message.contains("trusted"), message);

            // the operator trusts it: the file moves from rejected/ to trusted/certs
            assertTrue(server.pki().trustRejected(rejected.get(0).getFileName().toString()));
            assertTrue(Files.exists(server.pki().trustedCertsDirectory().resolve(rejected.get(0).getFileName())));

            final Run run = run(script, env, line ->
            {
                if (line.contains("\"step\":\"subscribed\""))
                {
                    server.variable(Kind.ESS, ESS, FieldNodes.SOC_PERMILLE).set(777, fedAtNs);
                }
            });
            assertEquals(0, run.exitCode, run.transcript());
            assertNotNull(run.step("done"), run.transcript());
            assertEquals(server.namespaceIndex(), run.step("namespace").get("index").asInt(), run.transcript());

            final JsonNode read = run.step("read").get("values");
            assertEquals("crossing-3", read.get("Name").get("value").asText());
            assertEquals("String", read.get("Name").get("dataType").asText());
            assertEquals("Int32", read.get("Mode").get("dataType").asText());
            assertEquals(2, read.get("Mode").get("value").asInt(), "FIXED_TIME: no command yet");
            assertEquals("GGrr", read.get("SignalState").get("value").asText());
            assertEquals(List.of("GGrr", "yyrr", "rrGG", "rryy"), strings(read.get("ProgramStates").get("value")));
            assertEquals(HexFormat.of().formatHex(FieldServerTesting.crossing().conflicts()), read.get("Conflicts").get("value").asText());
            assertEquals("UInt16", read.get("LaneApproaches").get("dataType").asText());
            assertEquals(List.of("0", "1", "2", "3"), strings(read.get("LaneApproaches").get("value")));
            read.fields().forEachRemaining(entry ->
                assertEquals(T0_NS / 1_000_000L, entry.getValue().get("sourceTimestamp").asLong(), entry.getKey() + " SourceTimestamp"));

            final JsonNode changed = run.step("changed");
            assertEquals(777, changed.get("value").asInt(), run.transcript());
            assertEquals(fedAtNs / 1_000_000L, changed.get("sourceTimestamp").asLong(), "the fed value's SourceTimestamp");

            final JsonNode calls = run.step("call");
            assertEquals("Good", calls.get("results").get(0).get("status").asText(), run.transcript());
            assertEquals("BadInvalidArgument", calls.get("results").get(1).get("status").asText(), "conflicting greens");
            assertEquals("BadInvalidArgument", calls.get("results").get(1).get("inputs").get(0).asText());
            assertEquals("BadInvalidArgument", calls.get("results").get(2).get("status").asText(), "the wrong length");
            // the plan shows GGrr: the first central command may end its green through yellow (docs/opcua.md, hand-over)
            assertEquals("yyrr", calls.get("shown").asText());
            assertEquals("yyrr", server.intersection(INTERSECTION).signalState());

            final JsonNode writes = run.step("write").get("results");
            assertEquals("Good", writes.get(0).get("status").asText(), run.transcript());
            assertEquals("BadOutOfRange", writes.get(1).get("status").asText());
            assertEquals("BadNotWritable", writes.get(2).get("status").asText());
            assertEquals(-50_000L, server.variable(Kind.ESS, ESS, FieldNodes.ACTIVE_POWER_SETPOINT_W).longValue(0));
        }
    }

    private static List<String> strings(final JsonNode array)
    {
        final List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** What one run of the script printed. */
    private record Run(int exitCode, List<String> lines, Map<String, JsonNode> steps)
    {
        JsonNode step(final String name)
        {
            final JsonNode step = steps.get(name);
            if (step == null)
            {
                throw new AssertionError("no step " + name + " in:\n" + transcript());
            }
            return step;
        }

        String transcript()
        {
            return String.join("\n", lines);
        }
    }

    private static Run run(final Path script, final Map<String, String> env, final Consumer<String> onLine)
        throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
        builder.environment().putAll(env);
        final Process node = builder.start();
        // a watchdog: a client that hangs must not hang the build (the script's own waits are shorter)
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                if (!node.waitFor(RUN_TIMEOUT_S, TimeUnit.SECONDS))
                {
                    node.descendants().forEach(ProcessHandle::destroyForcibly);
                    node.destroyForcibly();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "node-opcua-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        final ObjectMapper json = new ObjectMapper();
        final List<String> lines = new ArrayList<>();
        final Map<String, JsonNode> steps = new LinkedHashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = out.readLine()) != null)
            {
                lines.add(line);
                if (line.startsWith("{"))
                {
                    final JsonNode step = json.readTree(line);
                    if (step.has("step"))
                    {
                        steps.put(step.get("step").asText(), step);
                    }
                }
                onLine.accept(line);
            }
        }
        finally
        {
            if (!node.waitFor(30, TimeUnit.SECONDS))
            {
                node.destroyForcibly();
            }
        }
        return new Run(node.waitFor(), lines, steps);
    }
}
