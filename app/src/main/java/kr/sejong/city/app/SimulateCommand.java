package kr.sejong.city.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import kr.sejong.city.adapters.sim.AeronEnergyController;
import kr.sejong.city.adapters.sim.EnergyField;
import kr.sejong.city.adapters.sim.EnergyScenario;
import kr.sejong.city.adapters.sim.EnergyScenarioException;
import kr.sejong.city.bench.energy.InProcessController;
import kr.sejong.city.bench.energy.NoControlStrategy;
import kr.sejong.city.bench.energy.RuleBasedStrategy;
import kr.sejong.city.config.LoadedConfig;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.loops.energy.EnergyLoop;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import static kr.sejong.city.adapters.sim.ReportMaps.ordered;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    header = "Run a scenario closed-loop and report what control achieved (kind: energy, emergency or shuttle).",
    description = {
        "Reads a scenario file and runs it in logical time. kind: energy drives the default city's microgrid (simple physics at the scenario's step, 100 ms by default) through the real node (simulated mode: Aeron, journal, the energy loop) and then, in this process, through the reference strategies kept in bench: rule-based (OpenEMS-style self-consumption with peak shaving) and no control. Prints a table; --report writes the JSON report, --table the markdown table.",
        "",
        "A day at 100 ms is 864,000 Ticks and about a million inputs: about 20 s through the node on a 2-core VM; --hours runs less of the scenario.",
        "",
        "kind: emergency runs an event storm with labelled ground truth (camera events, 112/119 calls, operator actions, bad inputs) through the real node with every loop, a Tick each second of logical time, and the corridor bridge re-publishing the dispatches' PriorityRequests on ingress; the report scores triage (de-duplication, pairwise correlation precision and recall against the labels, time to incident, escalations, dispatches, corridor answers, rejects). --strategies does not apply.",
        "",
        "kind: shuttle runs a day of demand-responsive shuttle rides through the real node with every loop (the dispatch loop answers), a Tick each second of logical time: the scenario's ride requests, cancellations and bad inputs at their times, and a simulated fleet that drives the ShuttlePlans on the loop's own shuttle graph (travel-time noise, dwell, battery, charging) and reports ShuttleStates. The report scores the service (answers, rejections by reason, waits from the earliest pickup time, peak-hour wait, ride times, detours, promised ETAs kept), the fleet (vehicle-km, empty km, energy, charging sessions, what the plans got wrong) and latency (request to answer over Aeron, and in the node). The scenario's fleet: overrides the configuration's counts (scale runs). --strategies does not apply." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = { "0:the run completed", "1:the run failed", "2:bad input (scenario missing or invalid, configuration invalid, bad option)" })
final class SimulateCommand implements Callable<Integer>
{
    static final String BALANCING = "balancing";
    /** The energy loop in this process, without the node: for quick looks, not for the latency figures. */
    static final String BALANCING_IN_PROCESS = "balancing-in-process";
    static final List<String> STRATEGIES = List.of(BALANCING, BALANCING_IN_PROCESS, RuleBasedStrategy.NAME, NoControlStrategy.NAME);
    static final List<String> DEFAULT_STRATEGIES = List.of(BALANCING, RuleBasedStrategy.NAME, NoControlStrategy.NAME);

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "FILE", required = true, description = "The scenario (YAML with kind: energy, emergency or shuttle).")
    Path scenarioFile;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report to FILE.")
    Path report;

    @Option(names = "--table", paramLabel = "FILE", description = "Write the side-by-side table as markdown to FILE.")
    Path table;

    @Option(names = "--hours", paramLabel = "H", description = "Simulate only the first H hours of the scenario.")
    Double hours;

    @Option(names = "--strategies", paramLabel = "LIST", split = ",", defaultValue = "balancing,rule-based,no-control",
        description = "Which to run, comma-separated: balancing (the energy loop through the node), rule-based, no-control (default: these three), balancing-in-process (the energy loop without the node: a quick look, no node latency).")
    List<String> strategies;

    @Option(names = "--data", paramLabel = "DIR", description = "Keep the node's journal in DIR (default: a temporary directory, deleted afterwards).")
    Path dataDir;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(scenarioFile))
        {
            throw new BadInputException("scenario " + scenarioFile + " not found");
        }
        final String kind = kindOf(scenarioFile);
        if (kr.sejong.city.adapters.emergency.EmergencyScenario.KIND.equals(kind))
        {
            return SimulateEmergency.run(out, scenarioFile, hours, report, table, dataDir, quiet);
        }
        if (kr.sejong.city.adapters.mobility.ShuttleScenario.KIND.equals(kind))
        {
            return SimulateShuttle.run(out, spec.commandLine().getErr(), scenarioFile, hours, report, table, dataDir, quiet);
        }
        if (!EnergyScenario.KIND.equals(kind))
        {
            throw new BadInputException("scenario " + scenarioFile + ": kind '" + kind + "' is not one this command runs (known: "
                + String.join(", ", SimulateEmergency.KINDS) + ")");
        }
        EnergyScenario scenario;
        try
        {
            scenario = EnergyScenario.load(scenarioFile);
        }
        catch (final EnergyScenarioException ex)
        {
            throw new BadInputException(ex.getMessage(), ex);
        }
        ScenarioNode.checkHours(hours, scenario.hours());
        if (hours != null)
        {
            scenario = scenario.withHours(hours);
        }
        for (final String strategy : strategies)
        {
            if (!STRATEGIES.contains(strategy))
            {
                throw new BadInputException("--strategies: unknown strategy '" + strategy + "' (known: " + String.join(", ", STRATEGIES) + ")");
            }
        }
        ScenarioNode.checkDataDir(dataDir);
        final LoadedConfig city = CityHome.loadCity(null);
        if (city.config().energy() == null)
        {
            throw new BadInputException("configuration " + city.source() + " has no energy section");
        }

        final String command = "bin/city simulate --scenario " + scenarioFile + (hours != null ? " --hours " + hours : "")
            + (strategies.equals(DEFAULT_STRATEGIES) ? "" : " --strategies " + String.join(",", strategies));
        out.printf(Locale.ROOT, "simulate %s: %s from %s, %.1f h at %d ms (%,d steps)%n", scenario.name(), EnergyScenario.KIND,
            scenario.date(), scenario.hours(), scenario.stepMs(), scenario.durationNs() / scenario.stepNs());
        out.flush();
        final Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        for (final String strategy : STRATEGIES)
        {
            if (!strategies.contains(strategy))
            {
                continue;
            }
            final long wallStartNs = System.nanoTime();
            final Map<String, Object> figures = BALANCING.equals(strategy)
                ? throughNode(out, city, scenario)
                : inProcess(out, city, scenario, strategy);
            figures.put("wallS", Math.round((System.nanoTime() - wallStartNs) / 1e7) / 100.0);
            results.put(strategy, figures);
            out.printf(Locale.ROOT, "  %-11s done in %.1f s%n", strategy, (double)figures.get("wallS"));
            out.flush();
        }

        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario.name());
        json.put("scenarioFile", scenarioFile.toString());
        json.put("kind", EnergyScenario.KIND);
        json.put("date", scenario.date().toString());
        json.put("hours", scenario.hours());
        json.put("stepMs", scenario.stepMs());
        json.put("seed", scenario.seed());
        json.put("command", command);
        json.put("machine", Machine.describe());
        json.put("finishedAt", Instant.now().toString());
        json.put("strategies", results);
        return writeOutputs(out, json, table(scenario, command, results), report, table);
    }

    /** Print the markdown table; write the JSON report and the table where asked. Shared by every scenario kind. */
    /** The JSON report of a scenario run: what ran, with which command, on which machine, and its figures. */
    static Map<String, Object> scenarioReport(final String name, final Path scenarioFile, final String kind, final java.time.LocalDate date,
        final java.time.LocalTime start, final double hours, final long seed, final String command, final Map<String, Object> figures)
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", name);
        json.put("scenarioFile", scenarioFile.toString());
        json.put("kind", kind);
        json.put("date", date.toString());
        json.put("start", start.toString());
        json.put("hours", hours);
        json.put("seed", seed);
        json.put("command", command);
        json.put("machine", Machine.describe());
        json.put("finishedAt", Instant.now().toString());
        json.put("figures", figures);
        return json;
    }

    static int writeOutputs(final PrintWriter out, final Map<String, Object> json, final String markdown, final Path report, final Path table)
        throws IOException
    {
        out.println();
        out.print(markdown);
        out.flush();
        if (report != null)
        {
            createParent(report);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), json);
        }
        if (table != null)
        {
            createParent(table);
            Files.writeString(table, markdown, StandardCharsets.UTF_8);
        }
        return ExitCodes.OK;
    }

    /** The scenario's kind, read before the kind's own strict reader so another kind gets a clear message. */
    static String kindOf(final Path file)
    {
        try
        {
            final com.fasterxml.jackson.databind.JsonNode root = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(file.toFile());
            if (root == null || !root.isObject() || root.get("kind") == null)
            {
                throw new BadInputException("scenario " + file + " has no kind (kind: " + String.join(", ", SimulateEmergency.KINDS) + ")");
            }
            return root.get("kind").asText();
        }
        catch (final IOException ex)
        {
            throw new BadInputException("scenario " + file + " is not valid YAML: " + ex.getMessage().lines().findFirst().orElse(""), ex);
        }
    }

    private Map<String, Object> throughNode(final PrintWriter out, final LoadedConfig city, final EnergyScenario scenario) throws IOException
    {
        final List<ControlLoop> loops = Loops.create(city.config());
        final EnergyLoop energy = loops.stream().filter(EnergyLoop.class::isInstance).map(EnergyLoop.class::cast).findFirst()
            .orElseThrow(() -> new BadInputException("the configuration gives no energy loop (energy.pcc missing)"));
        final EnergyField field = new EnergyField(city.config(), scenario);
        final ScenarioNode node = new ScenarioNode(city, loops, dataDir);
        final AeronEnergyController[] controller = new AeronEnergyController[1];
        node.run(field.startNs(), (ingress, egress) ->
        {
            controller[0] = new AeronEnergyController(ingress, egress, 20_000);
            final long startNs = System.nanoTime();
            field.run(controller[0], h ->
            {
                node.progressed();
                progress(out, BALANCING, h, scenario.hours(), startNs);
            });
        });
        final Map<String, Object> figures = field.figures();
        figures.put("nodeCounters", ordered("unknownDevices", energy.unknownDevices(), "refusedInputs", energy.refusedInputs(),
            "ticks", energy.ticks()));
        figures.put("decisionLatencyUs", latency(node.afterWarmUp(),
            "input stamped at ingress to its last output published on egress, in the node, "
                + (node.split() ? "after the first simulated hour (JVM warm-up)" : "the whole run")));
        figures.put("decisionLatencyUsWithWarmUp", latency(node.all(), "the same, the whole run"));
        figures.put("roundTripUs", latency(controller[0].roundTrip(), "Tick offered by the simulator to its BalancingStatus read back, over Aeron"));
        figures.put("journal", node.journal());
        return figures;
    }

    private Map<String, Object> inProcess(final PrintWriter out, final LoadedConfig city, final EnergyScenario scenario, final String strategy)
    {
        final ControlLoop loop = RuleBasedStrategy.NAME.equals(strategy) ? new RuleBasedStrategy(city.config())
            : BALANCING_IN_PROCESS.equals(strategy) ? new EnergyLoop(kr.sejong.city.core.loops.energy.EnergySettings.from(city.config()))
            : new NoControlStrategy();
        final InProcessController controller = new InProcessController(loop);
        final EnergyField field = new EnergyField(city.config(), scenario);
        final long startNs = System.nanoTime();
        field.run(controller, h -> progress(out, strategy, h, scenario.hours(), startNs));
        final Map<String, Object> figures = field.figures();
        figures.put("decisionLatencyUs", latency(controller.tickTime(), "the strategy's time per Tick in this process (no node, no journal)"));
        return figures;
    }

    private void progress(final PrintWriter out, final String strategy, final double doneHours, final double allHours, final long startNs)
    {
        if (!quiet)
        {
            out.printf(Locale.ROOT, "  %-11s %5.1f / %.1f simulated h, %6.1f s%n", strategy, doneHours, allHours, (System.nanoTime() - startNs) / 1e9);
            out.flush();
        }
    }

    /** Percentiles of a latency histogram in ns, as microseconds, with what it measured. Shared by every scenario kind. */
    static Map<String, Object> latency(final Histogram histogram, final String measured)
    {
        final Map<String, Object> l = new LinkedHashMap<>();
        l.put("p50", histogram.getValueAtPercentile(50) / 1000.0);
        l.put("p99", histogram.getValueAtPercentile(99) / 1000.0);
        l.put("p999", histogram.getValueAtPercentile(99.9) / 1000.0);
        l.put("max", histogram.getMaxValue() / 1000.0);
        l.put("count", histogram.getTotalCount());
        l.put("measured", measured);
        return l;
    }

    @SuppressWarnings("unchecked")
    static String table(final EnergyScenario scenario, final String command, final Map<String, Map<String, Object>> results)
    {
        final StringBuilder md = new StringBuilder();
        md.append("### ").append(scenario.name()).append(" (").append(scenario.date()).append(", ")
            .append(String.format(Locale.ROOT, "%.1f", scenario.hours())).append(" h at ").append(scenario.stepMs()).append(" ms)\n\n");
        md.append("| figure |");
        for (final String name : results.keySet())
        {
            md.append(' ').append(name).append(" |");
        }
        md.append("\n| --- |");
        results.keySet().forEach(name -> md.append(" ---: |"));
        md.append('\n');
        row(md, results, "peak import kW", f -> fmt(path(f, "pcc", "peakImportKw"), 0));
        row(md, results, "PCC limit violations: steps (longest run)", f -> path(f, "pcc", "violationSteps") + " (" + path(f, "pcc", "longestViolationSteps") + ")");
        row(md, results, "kWh beyond the PCC limits", f -> fmt(path(f, "pcc", "kWhBeyondLimits"), 1));
        row(md, results, "self-sufficiency % (ceiling: all PV used)", f -> fmt(path(f, "energy", "selfSufficiencyPercent"), 2)
            + " (" + fmt(path(f, "energy", "selfSufficiencyCeilingPercent"), 2) + ")");
        row(md, results, "grid independence % (1 - import/consumption)", f -> fmt(path(f, "energy", "gridIndependencePercent"), 2));
        row(md, results, "energy cost KRW", f -> String.format(Locale.ROOT, "%,d", ((Number)path(f, "energy", "costKrw")).longValue()));
        row(md, results, "EV shortfall kWh (feasible sessions missed)", f -> fmt(path(f, "ev", "shortfallKwh"), 1)
            + " (" + path(f, "ev", "feasibleDeadlinesMissed") + " of " + path(f, "ev", "departed") + ")");
        row(md, results, "SoC violation steps", f -> String.valueOf(f.get("socViolationSteps")));
        row(md, results, "frequency response, worst ms", f -> String.valueOf(path(f, "frequencyResponse", "worstResponseTimeMs")));
        row(md, results, "DR delivered / requested kWh", f ->
        {
            final List<Map<String, Object>> drs = (List<Map<String, Object>>)f.get("demandResponse");
            final List<String> parts = new ArrayList<>();
            for (final Map<String, Object> dr : drs)
            {
                parts.add(fmt(dr.get("deliveredKwh"), 0) + " / " + fmt(dr.get("requestedKwh"), 0));
            }
            return parts.isEmpty() ? "-" : String.join(", ", parts);
        });
        row(md, results, "fallback Ticks (stale + invalid measurements)", f -> path(f, "badData", "fallbackTicks")
            + " (" + path(f, "badData", "staleMeasurements") + " + " + path(f, "badData", "invalidMeasurements") + ")");
        row(md, results, "decision latency p50 / p99 / max us", f -> fmt(path(f, "decisionLatencyUs", "p50"), 1) + " / "
            + fmt(path(f, "decisionLatencyUs", "p99"), 1) + " / " + fmt(path(f, "decisionLatencyUs", "max"), 0));
        row(md, results, "wall time s", f -> fmt(f.get("wallS"), 1));
        md.append("\nbalancing: the energy loop through the real node (Aeron, journal), latency from ingress stamp to egress;"
            + " rule-based and no-control: in this process, latency = the strategy's own time per Tick.\n");
        md.append("\ncommand: `").append(command).append("`  \nmachine: ").append(Machine.describe()).append('\n');
        return md.toString();
    }

    private static void row(final StringBuilder md, final Map<String, Map<String, Object>> results, final String label,
        final java.util.function.Function<Map<String, Object>, String> cell)
    {
        md.append("| ").append(label).append(" |");
        for (final Map<String, Object> figures : results.values())
        {
            String text;
            try
            {
                text = cell.apply(figures);
            }
            catch (final RuntimeException ex)
            {
                text = "-";
            }
            md.append(' ').append(text).append(" |");
        }
        md.append('\n');
    }

    @SuppressWarnings("unchecked")
    private static Object path(final Map<String, Object> figures, final String... keys)
    {
        Object at = figures;
        for (final String key : keys)
        {
            at = ((Map<String, Object>)at).get(key);
        }
        return at;
    }

    /** A row of a two-column table (figure, value). Shared by the scenario kinds with one result each. */
    static void row(final StringBuilder md, final String label, final String value)
    {
        md.append("| ").append(label).append(" | ").append(value).append(" |\n");
    }

    /** A number with one decimal and thousands separators; anything else as it is. */
    static String fmt(final Object value)
    {
        return fmt(value, 1);
    }

    private static String fmt(final Object value, final int decimals)
    {
        if (!(value instanceof Number))
        {
            return String.valueOf(value);
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", ((Number)value).doubleValue());
    }

    static void createParent(final Path file) throws IOException
    {
        if (file.toAbsolutePath().getParent() != null)
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
    }

}
