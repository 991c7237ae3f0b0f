package kr.sejong.city.adapters.opcua.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The node-opcua field server of adapters/src/test/resources/opcua/node-field-server.js as a child process: started,
 * killed and restarted on the same port with the same PKI; what it prints (calls, writes) collected over all its runs.
 * node-opcua comes from {@code .tools/node-opcua}, which bin/test installs; without it the test fails saying so.
 */
final class NodeFieldServer implements AutoCloseable
{
    static final String USER = "city-adapter";
    static final String PASSWORD = "s3cret-field-password";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root = Path.of(System.getProperty("user.dir")).getParent();
    private final Path script = root.resolve("adapters/src/test/resources/opcua/node-field-server.js");
    private final Path modules = root.resolve(".tools/node-opcua/node_modules");
    private final Path pkiDir;
    private final String spec;
    private final int port;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> transcript = new CopyOnWriteArrayList<>();
    private Process process;
    private OutputStream stdin;

    NodeFieldServer(final Path pkiDir, final String spec)
    {
        if (!Files.isDirectory(modules.resolve("node-opcua")))
        {
            fail("node-opcua is missing from " + modules + ": run bin/test, which installs it (npm install --prefix .tools/node-opcua " +
                "node-opcua@2.186.4)");
        }
        this.pkiDir = pkiDir;
        this.spec = spec;
        this.port = freePort();
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The endpoint the adapter is configured with (the server's resource path, on localhost). */
    String endpoint()
    {
        return "opc.tcp://localhost:" + port + "/UA/Field";
    }

    /** Starts the server and waits until it listens. */
    void start() throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder("node", script.toString());
        builder.environment().put("NODE_PATH", modules.toString());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("PKI_DIR", pkiDir.toString());
        builder.environment().put("FIELD_USER", USER);
        builder.environment().put("FIELD_PASSWORD", PASSWORD);
        builder.environment().put("SPEC", spec);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        final long runsBefore = count(e -> e.path("event").asText().equals("listening"));
        process = builder.start();
        stdin = process.getOutputStream();
        final Process started = process;
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = out.readLine()) != null)
                {
                    transcript.add(line);
                    if (line.startsWith("{"))
                    {
                        events.add(JSON.readTree(line));
                    }
                }
            }
            catch (final IOException ex)
            {
                // the process was killed
            }
        }, "node-field-server-out");
        reader.setDaemon(true);
        reader.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count(e -> e.path("event").asText().equals("listening")) == runsBefore)
        {
            if (!process.isAlive() || System.nanoTime() > deadline)
            {
                fail("node-field-server did not start (port " + port + "):\n" + String.join("\n", transcript));
            }
            Thread.sleep(20);
        }
    }

    /** Kills the server process outright, as a power cut would. */
    void kill() throws InterruptedException
    {
        if (process != null)
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** Sends a command line (JSON) to the server's stdin. */
    void command(final String json) throws IOException
    {
        stdin.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    long count(final Predicate<JsonNode> filter)
    {
        return events.stream().filter(filter).count();
    }

    List<JsonNode> events(final Predicate<JsonNode> filter)
    {
        final List<JsonNode> matching = new ArrayList<>();
        events.stream().filter(filter).forEach(matching::add);
        return matching;
    }

    /** SetSignalState calls received, over all runs. */
    List<JsonNode> calls()
    {
        return events(e -> e.path("event").asText().equals("call"));
    }

    /** Writes to the node with this identifier, over all runs. */
    List<JsonNode> writes(final String node)
    {
        return events(e -> e.path("event").asText().equals("write") && e.path("node").asText().equals(node));
    }

    String transcript()
    {
        final List<String> lines = new ArrayList<>(transcript);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws Exception
    {
        kill();
    }
}
