package kr.sejong.city.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import kr.sejong.city.adapters.opcua.client.OpcUaCounters;
import kr.sejong.city.adapters.twin.ControlMode;
import kr.sejong.city.adapters.twin.NetworkModel;
import kr.sejong.city.adapters.twin.SumoConfigFile;
import kr.sejong.city.adapters.twin.SumoReferencePrograms;
import kr.sejong.city.adapters.twin.TwinAdapter;
import kr.sejong.city.adapters.twin.TwinInputException;
import kr.sejong.city.adapters.twin.TwinMode;
import kr.sejong.city.adapters.twin.TwinReport;
import kr.sejong.city.adapters.twin.opcua.OpcUaBridge;
import kr.sejong.city.adapters.twin.traci.SumoException;
import kr.sejong.city.adapters.twin.traci.SumoNotInstalledException;
import kr.sejong.city.config.LoadedConfig;
import kr.sejong.city.config.Traffic;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.loops.signal.SignalLoop;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.NodeContexts;
import kr.sejong.city.core.runtime.NodeMode;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static kr.sejong.city.adapters.sim.ReportMaps.ordered;

@Command(
    name = "twin",
    mixinStandardHelpOptions = true,
    header = "Run signal control closed-loop against a SUMO digital twin and report delay and safety.",
    description = {
        "Starts SUMO on the scenario, derives every signalised intersection from its network, and drives it in lockstep through the real node (Aeron, journal, signal loop): each step the twin sends lane observations and a Tick, the loop answers with one checked SignalCommand per intersection, the twin applies them and steps. The run goes to the scenario's end and on until every vehicle has arrived (at most 1800 s more). Prints progress once a second and a summary; --report writes the JSON report.",
        "",
        "--control native runs SUMO's own fixed-time programs without the node, to compare with published figures (their yellows are shorter than our safety floor, so they count as safety violations). --control sumo-actuated and sumo-delay-based run SUMO's own actuated controllers (gap-based, delay-based) without the node, on each network's own green phases held to the city's signal timing (min and max green, yellow, all-red): references for the adaptive loop under the same safety floor.",
        "",
        "With --preemption on (the default) the twin plays the on-board units of SUMO's emergency vehicles and buses: each step they send PriorityRequests for the signalised junction ahead (docs/signal-twin-protocol.md), and the report counts the node's PriorityStatus answers. The report splits delay into emergency vehicles, buses and the background traffic." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = { "0:the run completed", "1:SUMO died or the run failed", "2:bad input (SUMO missing, config missing or invalid, no traffic lights)" })
final class TwinCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--sumo-config", paramLabel = "FILE", required = true, description = "The scenario's .sumocfg.")
    Path sumoConfig;

    @Option(names = "--control", paramLabel = "MODE", defaultValue = "adaptive",
        description = "adaptive (the product, default), fixed (the network's own program, played by the loop), maxpressure (the plain baseline), "
            + "native (SUMO alone, its own program), sumo-actuated or sumo-delay-based (SUMO alone, its own actuated controller held to our safety floor).")
    String control;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "SUMO's seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report as JSON to FILE.")
    Path report;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory for the node's journal (default: data/twin/<scenario>-<control>-<time>).")
    Path dataDir;

    @Option(names = "--end", paramLabel = "SECONDS", description = "End the scenario at this simulated time instead of its own end (the drain after it still applies).")
    Double endS;

    @Option(names = "--max-drain", paramLabel = "SECONDS", defaultValue = "1800", description = "After the end, keep stepping until every vehicle has arrived, at most this long (default: ${DEFAULT-VALUE}).")
    double maxDrainS;

    @Option(names = "--scale", paramLabel = "FACTOR", description = "Multiply the scenario's demand (SUMO's --scale), e.g. 1.3 for a heavier peak; default 1.")
    Double scale;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Option(names = "--preemption", paramLabel = "on|off", defaultValue = "on",
        description = "on (default): emergency vehicles and buses send PriorityRequests to the node; off: none are sent. Native runs have none.")
    String preemption;

    @Option(names = "--bus-priority", paramLabel = "on|off", defaultValue = "on",
        description = "With --preemption on: on (default) buses ask for priority too; off: only emergency vehicles do (to measure bus priority apart).")
    String busPriority;

    @Option(names = "--via", paramLabel = "aeron|opcua", defaultValue = "aeron",
        description = "aeron (default): the twin sends LaneObservations and applies SignalCommands itself, SBE over Aeron. opcua: bridge mode, "
            + "the lights become OPC UA intersection controllers on a field server of this run (SignAndEncrypt, user name; PKI under the "
            + "data directory's opcua/, trust set up both ways) read and commanded by the OPC UA client adapter; the Tick still goes "
            + "straight to the node (docs/opcua.md, \"The SUMO twin through OPC UA\").")
    String via;

    @Option(names = "--warm-up", paramLabel = "SECONDS", defaultValue = "600",
        description = "Before the measured run, run the scenario's first SECONDS simulated seconds through a node of its own (temporary data "
            + "directory, nothing reported), so that the measured run's decision latencies are those of compiled code, not of the JVM "
            + "still compiling it; 0: none (default: ${DEFAULT-VALUE}). Native runs have none. Delay figures do not depend on it.")
    double warmUpS;

    @Option(names = "--config", paramLabel = "FILE", description = "City configuration (default: config/sejong-5-1.yaml): signal timing, priority settings, the BRT timetable.")
    Path configFile;

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(sumoConfig))
        {
            throw new BadInputException("SUMO config " + sumoConfig + " not found");
        }
        final SumoReferencePrograms.Type reference = switch (control)
        {
            case "sumo-actuated" -> SumoReferencePrograms.Type.ACTUATED;
            case "sumo-delay-based" -> SumoReferencePrograms.Type.DELAY_BASED;
            default -> null;
        };
        final boolean nativeRun = "native".equals(control) || reference != null;
        final ControlMode mode;
        try
        {
            mode = nativeRun ? ControlMode.FIXED : ControlMode.parse(control);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadInputException("--control must be adaptive, fixed, maxpressure, native, sumo-actuated or sumo-delay-based, was '"
                + control + "'");
        }
        if (!"on".equals(preemption) && !"off".equals(preemption))
        {
            throw new BadInputException("--preemption must be on or off, was '" + preemption + "'");
        }
        if (!"aeron".equals(via) && !"opcua".equals(via))
        {
            throw new BadInputException("--via must be aeron or opcua, was '" + via + "'");
        }
        if (nativeRun && "opcua".equals(via))
        {
            throw new BadInputException("--via opcua needs the node: not with --control " + control);
        }
        if (!"on".equals(busPriority) && !"off".equals(busPriority))
        {
            throw new BadInputException("--bus-priority must be on or off, was '" + busPriority + "'");
        }
        final String scenario = sumoConfig.getFileName().toString().replaceFirst("\\.sumocfg$", "");
        if (!(warmUpS >= 0) || Double.isInfinite(warmUpS))
        {
            throw new BadInputException("--warm-up must be a number of simulated seconds >= 0, was " + warmUpS);
        }
        final LoadedConfig city = CityHome.loadCity(configFile);
        final TwinAdapter.Context twin = twinContext(city, mode, nativeRun);
        twin.progress(quiet ? (sim, vehicles, delay) -> { } : (sim, vehicles, delay) ->
            {
                out.printf(Locale.ROOT, "  sim %6.0f s  vehicles in network %5d  mean delay so far %6.1f s%n", sim, vehicles, delay);
                out.flush();
            });

        try
        {
            if (nativeRun)
            {
                twin.mode(TwinMode.FIXED_TIME_REFERENCE);
                if (reference != null)
                {
                    referencePrograms(out, twin, scenario, city, reference);
                }
                final TwinReport result = new TwinAdapter(twin).run();
                return finish(out, scenario, control, result, null, null, null);
            }
            if (warmUpS > 0)
            {
                warmUp(scenario, city, mode);
            }
            return runThroughNode(out, scenario, twin, city, null);
        }
        catch (final TwinInputException | SumoNotInstalledException ex)
        {
            throw new BadInputException(ex.getMessage(), ex);
        }
        catch (final SumoException ex)
        {
            spec.commandLine().getErr().println("city: " + ex.getMessage());
            return ExitCodes.FAILURE;
        }
    }

    /**
     * SUMO's own actuated controller of the given type on every light (--control sumo-actuated|sumo-delay-based): the programs
     * are written to the run's directory and added to SUMO's command line after the scenario's own additional files, which a
     * command-line {@code --additional-files} would otherwise replace.
     */
    private void referencePrograms(final PrintWriter out, final TwinAdapter.Context twin, final String scenario, final LoadedConfig city,
        final SumoReferencePrograms.Type type) throws IOException
    {
        final SumoConfigFile config = SumoConfigFile.read(sumoConfig);
        final Traffic.SignalTiming timing = city.config().traffic().signalTiming();
        final String programs = SumoReferencePrograms.additionalFile(NetworkModel.load(config.netFile()).trafficLights(), type,
            timing.minGreenMs(), timing.yellowMs(), timing.allRedMs(), timing.maxGreenMs());
        final Path dir = runDir(scenario);
        Files.createDirectories(dir);
        final Path file = dir.resolve("reference-programs.add.xml");
        Files.writeString(file, programs);
        final List<String> additional = new ArrayList<>();
        for (final Path own : config.additionalFiles())
        {
            additional.add(own.toAbsolutePath().toString());
        }
        additional.add(file.toAbsolutePath().toString());
        twin.addSumoArguments("--additional-files", String.join(",", additional)).referenceName(control);
        out.printf(Locale.ROOT, "twin %s, control %s (SUMO alone), seed %d; programs in %s%n", scenario, control, seed, file);
        out.flush();
    }

    /**
     * The warm-up run (--warm-up): the scenario's first simulated seconds through a node of its own, in a temporary data
     * directory deleted afterwards, so that the measured run starts with the JVM's code compiled. Nothing of it is reported.
     */
    private void warmUp(final String scenario, final LoadedConfig city, final ControlMode mode) throws IOException
    {
        final TwinAdapter.Context twin = twinContext(city, mode, false)
            .endTimeS(endS == null ? warmUpS : Math.min(endS, warmUpS))
            .maxDrainS(0)
            .progress((sim, vehicles, delay) -> { });
        final Path dir = Files.createTempDirectory("city-twin-warm-up-");
        try
        {
            runThroughNode(null, scenario, twin, city, dir);
        }
        finally
        {
            IoUtil.delete(dir.toFile(), true);
        }
    }

    /** The measured run's directory: --data, else data/twin/<scenario>-<control>-<time>. */
    private Path runDir(final String scenario)
    {
        return dataDir != null ? dataDir : CityHome.defaultDataDir().resolve("twin").resolve(
            scenario + "-" + control + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** A run through a node; {@code warmUpDir} non-null: the warm-up run there, nothing printed or reported. */
    private int runThroughNode(final PrintWriter out, final String scenario, final TwinAdapter.Context twin, final LoadedConfig city,
        final Path warmUpDir) throws IOException
    {
        final boolean measured = warmUpDir == null;
        final Path dir = !measured ? warmUpDir : runDir(scenario);
        final List<ControlLoop> loops = Loops.create(city.config());
        final SignalLoop signal = loops.stream().filter(SignalLoop.class::isInstance).map(SignalLoop.class::cast).findFirst()
            .orElseThrow(() -> new IllegalStateException("no signal loop registered"));
        final ControlNode.Context ctx = NodeContexts.fromConfig(city.config().node(), dir)
            .mode(NodeMode.SIMULATED)
            .loops(loops)
            .configSnapshot(city.source().toString(), city.yamlBytes())
            .errorHandler(error -> System.err.println("city: node error: " + error));
        final boolean viaOpcUa = "opcua".equals(via);
        if (measured)
        {
            out.printf(Locale.ROOT, "twin %s, control %s, seed %d, preemption %s, via %s%s; journal in %s%n", scenario, control, seed,
                preemption, via, warmUpS > 0 ? String.format(Locale.ROOT, ", after a warm-up run of %.0f simulated s", warmUpS) : "", dir);
            out.flush();
        }
        try (ControlNode node = ControlNode.launch(ctx);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName()));
            // via OPC UA the client adapter offers on this publication too: one log, so the node reads a step's observations
            // before its Tick (a concurrent publication; the direct path keeps its exclusive one)
            Publication ingress = viaOpcUa ? aeron.addPublication(ctx.ingressChannel(), ctx.ingressStreamId())
                : aeron.addExclusivePublication(ctx.ingressChannel(), ctx.ingressStreamId());
            Subscription egress = aeron.addSubscription(ctx.egressChannel(), ctx.egressStreamId());
            OpcUaBridge opcua = viaOpcUa ? new OpcUaBridge(new OpcUaBridge.Context()
                .aeron(aeron)
                .ingress(ingress)
                .ingress(ctx.ingressChannel(), ctx.ingressStreamId())
                .egress(ctx.egressChannel(), ctx.egressStreamId())
                .cityConfig(city.config())
                .pkiDir(dir.resolve("opcua"))
                .log(line ->
                {
                    if (measured)
                    {
                        out.println(line);
                        out.flush();
                    }
                })) : null)
        {
            if (measured)
            {
                bridge = opcua;
            }
            if (opcua != null)
            {
                twin.fieldBridge(opcua);
            }
            // a continued journal may not go back in time: start the twin's clock after it, at a midnight
            if (node.recoveredTimeNs() >= twin.epochOffsetNs())
            {
                final ZoneId seoul = ZoneId.of("Asia/Seoul");
                final long nextDay = java.time.Instant.ofEpochSecond(node.recoveredTimeNs() / 1_000_000_000L).atZone(seoul)
                    .toLocalDate().plusDays(1).atStartOfDay(seoul).toEpochSecond();
                twin.epochOffsetNs(TimeUnit.SECONDS.toNanos(nextDay));
            }
            twin.ingress(ingress).egress(egress).logDir(dir.resolve("sumo"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(ingress.isConnected() && egress.isConnected()) && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            // the first simulated minutes are the JVM's warm-up (interpreted code, first page faults of the
            // journal): reported apart from the steady state
            final Histogram warmUp = new Histogram(3);
            // split by simulated time, step by step, so the split does not depend on how fast the machine is
            twin.stepListener(sim ->
            {
                if (sim >= WARM_UP_SIM_S && warmUp.getTotalCount() == 0)
                {
                    warmUp.add(node.egressLatency().getIntervalHistogram());
                }
            });
            final TwinReport result = new TwinAdapter(twin).run();
            if (!measured)
            {
                return ExitCodes.OK;
            }
            final Histogram steady = node.egressLatency().getIntervalHistogram();
            final Histogram all = steady.copy();
            all.add(warmUp);
            return finish(out, scenario, control, result, warmUp.getTotalCount() > 0 && steady.getTotalCount() > 0 ? steady : all, all, signal);
        }
    }


    /** The twin's settings from the options (not its progress line). */
    private TwinAdapter.Context twinContext(final LoadedConfig city, final ControlMode mode, final boolean nativeRun)
    {
        final TwinAdapter.Context twin = new TwinAdapter.Context()
            .sumoConfig(sumoConfig)
            .seed(seed)
            .control(mode)
            .priorityRequests(!nativeRun && "on".equals(preemption))
            .busPriorityRequests("on".equals(busPriority));
        final Traffic.Priority priority = city.config().traffic().priority();
        if (priority != null)
        {
            // a transit line's SUMO flow runs its trips: vehicle <line>.<k> is on-board unit firstVehicleId + k
            final Map<String, Integer> obuIdBases = new LinkedHashMap<>();
            for (final Traffic.TransitLine line : priority.transitLines())
            {
                obuIdBases.put(line.name(), line.firstVehicleId());
            }
            twin.obuIdBases(obuIdBases).busLateThresholdS(priority.busLateThresholdS());
        }
        if (endS != null)
        {
            if (!(endS > 0))
            {
                throw new BadInputException("--end must be a positive number of seconds, was " + endS);
            }
            twin.endTimeS(endS);
        }
        if (maxDrainS < 0)
        {
            throw new BadInputException("--max-drain must be >= 0, was " + maxDrainS);
        }
        twin.maxDrainS(maxDrainS);
        if (scale != null)
        {
            if (!(scale > 0) || scale.isInfinite())
            {
                throw new BadInputException("--scale must be a positive factor, was " + scale);
            }
            twin.addSumoArguments("--scale", Double.toString(scale));
        }
        return twin;
    }

    /** The OPC UA bridge of this run (--via opcua), for the report. */
    private OpcUaBridge bridge;

    /** Simulated seconds at the start of a run whose decision latencies count as warm-up. */
    static final double WARM_UP_SIM_S = 300;

    private int finish(final PrintWriter out, final String scenario, final String controlName, final TwinReport result,
        final Histogram nodeLatency, final Histogram nodeLatencyAll, final SignalLoop signal) throws IOException
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario);
        json.put("control", controlName);
        json.put("preemption", result.priority().enabled() ? "on" : "off");
        json.put("busPriority", result.priority().enabled() && "on".equals(busPriority) ? "on" : "off");
        json.put("seed", seed);
        json.put("warmUpRunSimS", nodeLatency == null ? 0.0 : warmUpS);
        json.put("intersections", result.intersections());
        json.put("vehicles", result.vehicles());
        json.put("arrived", result.arrived());
        json.put("unfinished", result.unfinished());
        json.put("notInserted", result.notInserted());
        json.put("meanDelayS", result.meanDelayS());
        json.put("meanTimeLossS", result.meanTimeLossS());
        json.put("meanDepartDelayS", result.meanDepartDelayS());
        json.put("meanWaitingS", result.meanWaitingS());
        json.put("safetyViolations", result.safetyViolations());
        json.put("safetyDetail", ordered("conflictingGreenSteps", result.conflictingGreenSteps(), "shortYellows", result.shortYellows(),
            "shortAllReds", result.shortAllReds(), "first", result.firstViolation()));
        json.put("collisions", result.collisions());
        json.put("teleports", result.teleports());
        json.put("refusedCommands", signal == null ? 0 : signal.refusedCommands());
        json.put("fallbacks", signal == null ? 0 : signal.fallbacks());
        json.put("commands", result.commands());
        json.put("via", bridge != null ? "opcua" : "aeron");
        if (bridge != null)
        {
            final OpcUaCounters counters = bridge.adapterCounters();
            final Map<String, Object> opcua = new LinkedHashMap<>();
            opcua.put("readingsWritten", bridge.observationsWritten());
            opcua.put("laneObservationsOnIngress", bridge.observationsOnIngress());
            opcua.put("commandsTakenByControllers", bridge.commandsTaken());
            opcua.put("commandsRefusedByControllers", bridge.commandsRefused());
            opcua.put("stepsShowingOtherThanCommanded", bridge.commandsHeld());
            opcua.put("watchdogExpiries", bridge.watchdogExpiries());
            opcua.put("observationWaitS", bridge.observationWaitS());
            opcua.put("commandWaitS", bridge.commandWaitS());
            if (counters != null)
            {
                final Map<String, Object> adapter = new LinkedHashMap<>();
                adapter.put("notifications", counters.notifications());
                adapter.put("published", counters.published());
                adapter.put("rejectedValues", counters.rejectedValues());
                adapter.put("dropped", counters.dropped());
                adapter.put("connects", counters.connects());
                adapter.put("reconnects", counters.reconnects());
                adapter.put("sessionsLost", counters.sessionsLost());
                adapter.put("commandsSent", counters.commandsSent());
                adapter.put("commandsFailed", counters.commandsFailed());
                adapter.put("commandsDropped", counters.commandsDropped());
                adapter.put("heartbeatsWritten", counters.heartbeatsWritten());
                opcua.put("adapter", adapter);
            }
            json.put("opcua", opcua);
        }
        final Map<String, Object> emergency = new LinkedHashMap<>();
        emergency.put("vehicles", result.emergency().vehicles());
        emergency.put("arrived", result.emergency().arrived());
        emergency.put("meanTravelTimeS", result.emergency().meanTravelTimeS());
        emergency.put("meanDelayS", result.emergency().meanDelayS());
        emergency.put("stopsAtSignals", result.emergency().stopsAtSignals());
        json.put("emergency", emergency);
        final Map<String, Object> transit = new LinkedHashMap<>();
        transit.put("buses", result.transit().buses());
        transit.put("arrived", result.transit().arrived());
        transit.put("meanDelayS", result.transit().meanDelayS());
        transit.put("lateArrivals", result.transit().lateArrivals());
        json.put("transit", transit);
        final Map<String, Object> background = new LinkedHashMap<>();
        background.put("vehicles", result.background().vehicles());
        background.put("meanDelayS", result.background().meanDelayS());
        json.put("background", background);
        final Map<String, Object> priorityJson = new LinkedHashMap<>();
        priorityJson.put("requestsSent", result.priority().requestsSent());
        priorityJson.put("requestsByType", result.priority().requestsByType());
        priorityJson.put("statusesByCode", result.priority().statusesByCode());
        priorityJson.put("missingStatuses", result.priority().missingStatuses());
        if (signal != null)
        {
            priorityJson.put("preemptions", signal.preemptions());
            priorityJson.put("transitActions", signal.transitActions());
            priorityJson.put("maxPresenceDrops", signal.maxPresenceDrops());
            priorityJson.put("longestRecoveryS", signal.longestRecoveryNs() < 0 ? 0.0 : signal.longestRecoveryNs() / 1e9);
        }
        json.put("priority", priorityJson);
        if (nodeLatency != null && nodeLatency.getTotalCount() > 0)
        {
            json.put("decisionLatencyUs", ordered(
                "p50", nodeLatency.getValueAtPercentile(50) / 1000.0,
                "p99", nodeLatency.getValueAtPercentile(99) / 1000.0,
                "p999", nodeLatency.getValueAtPercentile(99.9) / 1000.0,
                "max", nodeLatency.getMaxValue() / 1000.0,
                "count", nodeLatency.getTotalCount(),
                "measured", "input stamped at ingress to command published on egress, in the node, "
                    + (nodeLatency == nodeLatencyAll ? "the whole run (it was no longer than the warm-up)"
                    : "after the first " + (int)WARM_UP_SIM_S + " simulated seconds (JVM warm-up)")
                    + (warmUpS > 0 ? String.format(Locale.ROOT, ", in a run that followed a warm-up run of the scenario's first %.0f simulated "
                    + "seconds in the same JVM (--warm-up)", warmUpS) : "")));
            json.put("decisionLatencyUsWithWarmUp", ordered(
                "p50", nodeLatencyAll.getValueAtPercentile(50) / 1000.0,
                "p99", nodeLatencyAll.getValueAtPercentile(99) / 1000.0,
                "p999", nodeLatencyAll.getValueAtPercentile(99.9) / 1000.0,
                "max", nodeLatencyAll.getMaxValue() / 1000.0,
                "count", nodeLatencyAll.getTotalCount()));
        }
        json.put("roundTripLatencyUs", ordered(
            "p50", result.decisionLatency().p50Us(), "p99", result.decisionLatency().p99Us(),
            "p999", result.decisionLatency().p999Us(), "max", result.decisionLatency().maxUs(),
            "measured", "Tick sent by the twin to SignalCommand received by the twin, over Aeron"));
        json.put("wallS", result.wallS());
        json.put("simS", result.simS());
        json.put("sumoVersion", result.sumoVersion());
        json.put("machine", Machine.describe());

        out.println(result.summary());
        out.println(result.prioritySummary());
        if (bridge != null)
        {
            out.println(bridge.summary());
        }
        out.printf(Locale.ROOT, "meanDelayS %.2f  vehicles %d  unfinished %d  notInserted %d  safetyViolations %d  refusedCommands %s  fallbacks %s%n",
            result.meanDelayS(), result.vehicles(), result.unfinished(), result.notInserted(), result.safetyViolations(),
            json.get("refusedCommands"), json.get("fallbacks"));
        if (nodeLatency != null && nodeLatency.getTotalCount() > 0)
        {
            out.printf(Locale.ROOT, "decision latency in the node (input stamp to egress) p50 %.0f us  p99 %.0f us  max %.0f us"
                    + " (with the warm-up: p99 %.0f us, max %.0f us)%n",
                nodeLatency.getValueAtPercentile(50) / 1000.0, nodeLatency.getValueAtPercentile(99) / 1000.0, nodeLatency.getMaxValue() / 1000.0,
                nodeLatencyAll.getValueAtPercentile(99) / 1000.0, nodeLatencyAll.getMaxValue() / 1000.0);
        }
        out.flush();
        if (report != null)
        {
            if (report.getParent() != null)
            {
                Files.createDirectories(report.getParent());
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), json);
        }
        return ExitCodes.OK;
    }
}
