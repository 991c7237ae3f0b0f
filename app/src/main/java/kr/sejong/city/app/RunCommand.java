package kr.sejong.city.app;

import io.aeron.Aeron;
import kr.sejong.city.adapters.gateway.DeliveryStateException;
import kr.sejong.city.adapters.gateway.GatewayServer;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Gateway;
import kr.sejong.city.config.LoadedConfig;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeContexts;
import kr.sejong.city.core.runtime.NodeMode;
import kr.sejong.city.core.runtime.NodeStatus;
import kr.sejong.city.core.runtime.NodeThreading;
import kr.sejong.city.core.runtime.StatusFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    header = "Start the control node with the field simulator; live status; Ctrl-C stops it.",
    description = {
        "Start the control node: embedded Aeron media driver, every loop that exists, and the field simulator feeding the city, with a live status line. Stops cleanly after --duration or on Ctrl-C / SIGTERM (drains the ring, flushes the journal) and prints a summary. Everything the node sees and says is journaled in DATA/journal; `city status --data DATA` reads its counters from another terminal." })
final class RunCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "City configuration (default: config/sejong-5-1.yaml).")
    Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory for the journal and status (default: data/ in the project).")
    Path dataDir;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (default: run until Ctrl-C).")
    Double durationS;

    @Option(names = "--mode", paramLabel = "MODE", description = "live (time from the clock) or simulated (time from the simulator's Ticks); default: the configuration's (${COMPLETION-CANDIDATES}).")
    NodeMode mode;

    @Option(names = "--threading", paramLabel = "MODE", description = "LOW_RESOURCE (at most two threads) or DEDICATED (a thread per agent); default: the configuration's.")
    NodeThreading threading;

    @Option(names = "--no-simulator", description = "Do not start the field simulator (input then comes only from adapters).")
    boolean noSimulator;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the field simulator (default: the configuration's).")
    Long seed;

    @Option(names = "--quiet", description = "No live status line; only the summary.")
    boolean quiet;

    @Option(names = "--gateway", description = "Also start the business-systems gateway and the operators' console (HTTP/JSON, the configuration's gateway section; docs/gateway.md).")
    boolean gateway;

    @Option(names = "--gateway-port", paramLabel = "PORT", description = "Port of the gateway instead of the configuration's (0: any free port).")
    Integer gatewayPort;

    /** How the field devices reach the node. */
    enum FieldPath
    {
        direct, opcua
    }

    @Option(names = "--field", paramLabel = "PATH", defaultValue = "direct",
        description = "How field devices reach the node: direct (the simulator publishes SBE on the node's ingress) or opcua "
            + "(the simulated devices live on OPC UA field servers and the OPC UA field adapter reads and commands them; "
            + "with --no-simulator the adapter connects to the configuration's field.opcua servers). Live mode only. "
            + "Default: ${DEFAULT-VALUE}; docs/opcua.md.")
    FieldPath field;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final LoadedConfig loaded = CityHome.loadCity(configFile);
        final Path dir = (dataDir != null ? dataDir : CityHome.defaultDataDir()).toAbsolutePath().normalize();
        checkDataDir(dir);
        final CityConfig gatewayCity = gateway ? gatewayCity(loaded) : null;
        if (durationS != null && !(durationS > 0))
        {
            throw new BadInputException("--duration must be a positive number of seconds, was " + durationS);
        }

        final ControlNode.Context ctx = NodeContexts.fromConfig(loaded.config().node(), dir)
            .loops(Loops.create(loaded.config()))
            .configSnapshot(loaded.source().toString(), loaded.yamlBytes())
            .errorHandler(error -> System.err.println("city: node error: " + error));
        if (mode != null)
        {
            ctx.mode(mode);
        }
        if (threading != null)
        {
            ctx.threading(threading);
        }
        try
        {
            ctx.conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadInputException(loaded.source() + ": " + ex.getMessage(), ex);
        }
        if (field == FieldPath.opcua && ctx.mode() != NodeMode.LIVE)
        {
            throw new BadInputException("--field opcua needs --mode live: OPC UA values carry the devices' wall-clock times");
        }

        final Thread hook = new Thread(this::onSignal, "city-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        final long startMs = System.currentTimeMillis();
        try
        {
            try (ControlNode node = ControlNode.launch(ctx);
                SimulatorRunner simulator = noSimulator ? null : SimulatorRunner.start(loaded.config(), node, seed,
                    field == FieldPath.opcua ? new SimulatorRunner.OpcUaField(dir, FieldAdapterRunner.pkiDir(loaded.config(), dir)) : null);
                FieldAdapterRunner fieldAdapter = field != FieldPath.opcua ? null : FieldAdapterRunner.start(loaded.config(), node, dir,
                    simulator != null ? simulator.field().adapterServers() : null);
                Aeron gatewayAeron = gatewayCity == null ? null
                    : Aeron.connect(new Aeron.Context().aeronDirectoryName(node.context().aeronDirectoryName()));
                GatewayServer gatewayServer = gatewayCity == null ? null : GatewayServer.start(gatewayCity, dir, gatewayAeron,
                    node.context().ingressChannel(), node.context().ingressStreamId(), node.context().egressChannel(),
                    node.context().egressStreamId()))
            {
                out.printf(Locale.ROOT, "Sejong City Control: node running on %s in %s mode (%s), data in %s%n",
                    loaded.config().city().name(), ctx.mode().name().toLowerCase(Locale.ROOT),
                    ctx.threading().name().toLowerCase(Locale.ROOT).replace('_', '-'), dir);
                out.printf(Locale.ROOT, "  config %s (sha256 %s), %d loop(s)%s%n", loaded.source(),
                    loaded.sha256Hex().substring(0, 12), ctx.loops().size(),
                    simulator != null ? ", field simulator on (seed " + simulator.seed() + ")" : ", no simulator");
                if (fieldAdapter != null)
                {
                    out.printf(Locale.ROOT, "  OPC UA field adapter on (docs/opcua.md)%s%n", simulator != null
                        ? ": simulated field servers, their certificates and the adapter's trusted by each other at start" : "");
                    if (simulator != null)
                    {
                        for (final String line : simulator.field().describe())
                        {
                            out.println("    " + line);
                        }
                    }
                }
                if (gatewayServer != null)
                {
                    out.printf(Locale.ROOT, "  gateway on http://%s:%d/ (console; API /api, OpenAPI /openapi.json), %d client(s)%n",
                        gatewayCity.gateway().host(), gatewayServer.port(), gatewayCity.gateway().clients().size());
                }
                out.println(durationS != null
                    ? String.format(Locale.ROOT, "  stopping after %.1f s (Ctrl-C stops earlier)", durationS)
                    : "  Ctrl-C stops it");
                out.flush();
                liveStatus(out, dir, startMs, fieldAdapter);
                if (fieldAdapter != null)
                {
                    out.println("  OPC UA: " + fieldAdapter.adapter().statusLine());
                    out.println("  OPC UA counters: " + fieldAdapter.adapter().counters());
                }
            }
            summary(out, dir, System.currentTimeMillis() - startMs);
        }
        catch (final DeliveryStateException ex)
        {
            throw new BadInputException(ex.getMessage());
        }
        finally
        {
            // a signal's shutdown hook waits for this: the summary is out and the node closed
            stopped.countDown();
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // already shutting down: the hook is returning
        }
        return ExitCodes.OK;
    }

    private CityConfig gatewayCity(final LoadedConfig loaded)
    {
        final CityConfig city = loaded.config();
        final Gateway section = city.gateway();
        if (section == null)
        {
            throw new BadInputException(loaded.source() + " has no gateway section; --gateway needs one (docs/gateway.md)");
        }
        if (gatewayPort == null)
        {
            return city;
        }
        if (gatewayPort < 0 || gatewayPort > 65535)
        {
            throw new BadInputException("--gateway-port must be in [0, 65535], was " + gatewayPort);
        }
        final Gateway moved = new Gateway(section.host(), gatewayPort, section.maxBodyBytes(), section.rateLimit(), section.clients(),
            section.notifications());
        return new CityConfig(city.city(), city.node(), city.traffic(), city.mobility(), city.energy(), city.emergency(),
            city.simulator(), moved, city.field());
    }

    private static void checkDataDir(final Path dir)
    {
        if (Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw new BadInputException("--data " + dir + " is a file, not a directory");
        }
        if (Files.isRegularFile(dir.resolve(StatusFile.FILE_NAME)))
        {
            try
            {
                final NodeStatus status = NodeStatus.read(dir);
                if (status.isRunning(System.currentTimeMillis()))
                {
                    throw new BadInputException("a node is already running on " + dir + " (pid " + status.pid()
                        + "); stop it first or use another --data directory");
                }
            }
            catch (final IllegalArgumentException ex)
            {
                throw new BadInputException(dir + " holds a status file this node cannot read: " + ex.getMessage(), ex);
            }
        }
    }

    private void liveStatus(final PrintWriter out, final Path dir, final long startMs, final FieldAdapterRunner fieldAdapter)
        throws InterruptedException
    {
        final boolean tty = System.console() != null;
        final long endMs = durationS != null ? startMs + (long)(durationS * 1000) : Long.MAX_VALUE;
        long previousInputs = 0;
        long previousMs = startMs;
        long lastPrintMs = startMs;
        while (true)
        {
            final long nowMs = System.currentTimeMillis();
            final long waitMs = Math.min(1000, endMs - nowMs);
            if (waitMs <= 0 || stopRequested.await(waitMs, TimeUnit.MILLISECONDS))
            {
                break;
            }
            if (quiet)
            {
                continue;
            }
            final long now = System.currentTimeMillis();
            final NodeStatus status = NodeStatus.read(dir);
            // on a terminal the line is redrawn every second; in a log, one line every 5 s
            if (tty || now - lastPrintMs >= 5000)
            {
                final String line = StatusReport.line(status, now - startMs, previousInputs, now - previousMs)
                    + (fieldAdapter != null ? " | OPC UA " + fieldAdapter.adapter().statusLine() : "");
                out.print(tty ? "\r" + line + "   " : line + System.lineSeparator());
                out.flush();
                lastPrintMs = now;
                previousInputs = status.value(kr.sejong.city.core.runtime.NodeCounters.INPUTS, 0);
                previousMs = now;
            }
        }
        if (tty && !quiet)
        {
            out.println();
        }
    }

    private void summary(final PrintWriter out, final Path dir, final long elapsedMs)
    {
        final NodeStatus status = NodeStatus.read(dir);
        final long inputs = status.value(kr.sejong.city.core.runtime.NodeCounters.INPUTS, 0);
        out.printf(Locale.ROOT, "Sejong City Control: stopped cleanly after %s; %s inputs journaled (%,.0f/s).%n",
            StatusReport.duration(elapsedMs), StatusReport.count(inputs), inputs * 1000.0 / Math.max(1, elapsedMs));
        out.print(StatusReport.full(status, dir, System.currentTimeMillis()));
        out.println("  journal: " + dir.resolve("journal") + " (bin/city journal --data " + dir + " prints it)");
        out.flush();
    }

    /** SIGINT/SIGTERM: ask the main thread to stop, and wait while it drains and closes. */
    private void onSignal()
    {
        stopRequested.countDown();
        try
        {
            stopped.await(20, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
