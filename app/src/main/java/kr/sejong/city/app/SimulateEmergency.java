package kr.sejong.city.app;

import kr.sejong.city.adapters.emergency.EmergencyRun;
import kr.sejong.city.adapters.emergency.EmergencyScenario;
import kr.sejong.city.adapters.emergency.EmergencyScenarioException;
import kr.sejong.city.config.LoadedConfig;
import kr.sejong.city.core.loops.Loops;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static kr.sejong.city.app.SimulateCommand.fmt;
import static kr.sejong.city.app.SimulateCommand.row;

/**
 * {@code bin/city simulate} for {@code kind: emergency}: the scenario's event storm through the real node
 * (simulated mode, Aeron, journal, every loop of {@link Loops#create}), with the corridor bridge in the
 * loop; the report scores triage against the scenario's labels.
 */
final class SimulateEmergency
{
    private SimulateEmergency()
    {
    }

    static int run(final PrintWriter out, final Path scenarioFile, final Double hours, final Path report, final Path table,
        final Path dataDir, final boolean quiet) throws IOException
    {
        EmergencyScenario scenario;
        try
        {
            scenario = EmergencyScenario.load(scenarioFile);
        }
        catch (final EmergencyScenarioException ex)
        {
            throw new BadInputException(ex.getMessage(), ex);
        }
        ScenarioNode.checkHours(hours, scenario.hours());
        if (hours != null)
        {
            scenario = scenario.withHours(hours);
        }
        ScenarioNode.checkDataDir(dataDir);
        final LoadedConfig city = CityHome.loadCity(null);
        if (city.config().emergency() == null)
        {
            throw new BadInputException("configuration " + city.source() + " has no emergency section");
        }
        final EmergencyRun run;
        try
        {
            run = new EmergencyRun(city.config(), scenario, 20_000);
        }
        catch (final EmergencyScenarioException ex)
        {
            throw new BadInputException(ex.getMessage(), ex);
        }
        final String command = "bin/city simulate --scenario " + scenarioFile + (hours != null ? " --hours " + hours : "");
        out.printf(Locale.ROOT, "simulate %s: %s from %s %s, %.1f h, %,d camera events, %,d calls%n", scenario.name(), EmergencyScenario.KIND,
            scenario.date(), scenario.start(), scenario.hours(), run.storm().videoEvents(), run.storm().calls());
        out.flush();

        final ScenarioNode node = new ScenarioNode(city, Loops.create(city.config()), dataDir);
        final long wallStart = System.nanoTime();
        final double allHours = scenario.hours();
        node.run(run.startNs(), (ingress, egress) -> run.run(ingress, egress, h ->
        {
            if (!quiet)
            {
                out.printf(Locale.ROOT, "  %5.2f / %.2f simulated h, %6.1f s%n", h, allHours, (System.nanoTime() - wallStart) / 1e9);
                out.flush();
            }
        }));
        final Histogram nodeLatency = node.all();
        final Map<String, Object> figures = run.figures();
        figures.put("incidentRoutedUs", latency(run.roundTrip(),
            "the runner's round trip: a camera event's or call's first frame offered on ingress to the first Incident listing it read on egress (Aeron both ways, the node, the journal)"));
        figures.put("nodeDecisionLatencyUs", latency(nodeLatency,
            "in the node: input stamped at ingress to its last output published on egress, every input with an output (Ticks' SignalCommands included)"));
        figures.put("journal", node.journal());
        figures.put("wallS", Math.round((System.nanoTime() - wallStart) / 1e7) / 100.0);

        final Map<String, Object> json = SimulateCommand.scenarioReport(scenario.name(), scenarioFile, EmergencyScenario.KIND, scenario.date(), scenario.start(),
            scenario.hours(), scenario.seed(), command, figures);
        return SimulateCommand.writeOutputs(out, json, table(scenario, command, figures), report, table);
    }

    @SuppressWarnings("unchecked")
    static String table(final EmergencyScenario scenario, final String command, final Map<String, Object> f)
    {
        final StringBuilder md = new StringBuilder();
        md.append("### ").append(scenario.name()).append(" (").append(scenario.date()).append(' ').append(scenario.start()).append(", ")
            .append(String.format(Locale.ROOT, "%.1f", scenario.hours())).append(" h)\n\n");
        md.append("| figure | value |\n| --- | ---: |\n");
        final Map<String, Object> in = (Map<String, Object>)f.get("inputs");
        final Map<String, Object> inc = (Map<String, Object>)f.get("incidents");
        final Map<String, Object> dedup = (Map<String, Object>)f.get("deduplication");
        final Map<String, Object> corr = (Map<String, Object>)f.get("correlation");
        final Map<String, Object> rt = (Map<String, Object>)f.get("incidentRoutedUs");
        final Map<String, Object> nl = (Map<String, Object>)f.get("nodeDecisionLatencyUs");
        final Map<String, Object> d = (Map<String, Object>)f.get("dispatches");
        final Map<String, Object> c = (Map<String, Object>)f.get("corridor");
        final Map<String, Object> r = (Map<String, Object>)f.get("rejects");
        row(md, "camera events (ONVIF messages) / calls", in.get("videoEvents") + " (" + in.get("videoMessages") + ") / " + in.get("calls"));
        row(md, "situations (false alarms)", in.get("situations") + " (" + in.get("falseAlarmSituations") + ")");
        row(md, "incidents", String.valueOf(inc.get("count")));
        row(md, "de-duplication: events per incident", String.valueOf(dedup.get("eventsPerIncident")));
        row(md, "correlation precision / recall (pairwise)", corr.get("precision") + " / " + corr.get("recall"));
        row(md, "event to incident routed p50 / p99 / max us (round trip)", fmt(rt.get("p50")) + " / " + fmt(rt.get("p99")) + " / " + fmt(rt.get("max")));
        row(md, "node decision latency p50 / p99 / max us", fmt(nl.get("p50")) + " / " + fmt(nl.get("p99")) + " / " + fmt(nl.get("max")));
        row(md, "notifications", String.valueOf(f.get("notifications")));
        row(md, "escalations", String.valueOf(f.get("escalations")));
        row(md, "dispatches (ETA s min / median / max)", d.get("count") + " (" + d.get("etaS") + ")");
        row(md, "corridor requests forwarded", String.valueOf(c.get("priorityRequestsForwarded")));
        row(md, "PriorityStatus by code", String.valueOf(c.get("priorityStatusByCode")));
        row(md, "rejects by reason (expected, unexpected)", r.get("byReason") + " (" + r.get("expected") + ", " + r.get("unexpected") + ")");
        row(md, "wall time s", String.valueOf(f.get("wallS")));
        md.append("\nThe node: simulated mode, Aeron, journal, every loop; the corridor bridge re-publishes the dispatches' PriorityRequests on ingress."
            + " Precision and recall: pairs of labelled sources in one incident vs of one situation.\n");
        md.append("\ncommand: `").append(command).append("`  \nmachine: ").append(Machine.describe()).append('\n');
        return md.toString();
    }

    private static Map<String, Object> latency(final Histogram histogram, final String measured)
    {
        final Map<String, Object> l = new LinkedHashMap<>();
        l.put("p50", histogram.getValueAtPercentile(50) / 1000.0);
        l.put("p99", histogram.getValueAtPercentile(99) / 1000.0);
        l.put("max", histogram.getMaxValue() / 1000.0);
        l.put("count", histogram.getTotalCount());
        l.put("measured", measured);
        return l;
    }

    static final List<String> KINDS = List.of(kr.sejong.city.adapters.sim.EnergyScenario.KIND, EmergencyScenario.KIND,
        kr.sejong.city.adapters.mobility.ShuttleScenario.KIND);
}
