package kr.sejong.city.app;

import kr.sejong.city.adapters.mobility.ShuttleRun;
import kr.sejong.city.adapters.mobility.ShuttleScenario;
import kr.sejong.city.adapters.mobility.ShuttleScenarioException;
import kr.sejong.city.config.LoadedConfig;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loops.Loops;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static kr.sejong.city.app.SimulateCommand.fmt;
import static kr.sejong.city.app.SimulateCommand.row;

/**
 * {@code bin/city simulate} for {@code kind: shuttle}: the scenario's ride requests through the real node
 * (simulated mode, Aeron, journal, every loop of {@link Loops#create}, the dispatch loop among them), the fleet
 * simulated on the same graph; the report scores the service (waits, ride times, detours, promises kept), the
 * fleet (km, empty km, energy, charging) and the latency of the decisions.
 */
final class SimulateShuttle
{
    /** The loop this scenario kind exercises, by its name in {@link Loops#create}. */
    static final String DISPATCH_LOOP = "dispatch";

    private SimulateShuttle()
    {
    }

    static int run(final PrintWriter out, final PrintWriter err, final Path scenarioFile, final Double hours, final Path report, final Path table,
        final Path dataDir, final boolean quiet) throws IOException
    {
        final ShuttleScenario scenario = load(scenarioFile, hours);
        ScenarioNode.checkDataDir(dataDir);
        final String command = "bin/city simulate --scenario " + scenarioFile + (hours != null ? " --hours " + hours : "");
        final Online online = online(out, err, scenario, dataDir, quiet);
        if (online == null)
        {
            return ExitCodes.FAILURE;
        }
        final Map<String, Object> figures = online.figures();

        final Map<String, Object> json = SimulateCommand.scenarioReport(scenario.name(), scenarioFile, ShuttleScenario.KIND, scenario.date(), scenario.start(),
            scenario.hours(), scenario.seed(), command, figures);
        return SimulateCommand.writeOutputs(out, json, table(scenario, command, figures), report, table);
    }

    /** The scenario file, cut to {@code hours} when given; a bad file or value is a BadInputException naming it. */
    static ShuttleScenario load(final Path scenarioFile, final Double hours)
    {
        final ShuttleScenario scenario;
        try
        {
            scenario = ShuttleScenario.load(scenarioFile);
        }
        catch (final ShuttleScenarioException ex)
        {
            throw new BadInputException(ex.getMessage(), ex);
        }
        ScenarioNode.checkHours(hours, scenario.hours());
        return hours != null ? scenario.withHours(hours) : scenario;
    }

    /** A shuttle scenario run through the node: the city it ran (with the scenario's fleet), the run, its figures. */
    record Online(LoadedConfig city, ShuttleRun run, Map<String, Object> figures)
    {
    }

    /**
     * Runs the scenario through the node (simulated mode, Aeron, journal, every loop of {@link Loops#create} for the
     * city with the scenario's fleet), with progress on {@code out} unless quiet.
     *
     * @return the run, or null when this build has no dispatch loop (said on {@code err}).
     */
    static Online online(final PrintWriter out, final PrintWriter err, final ShuttleScenario scenario, final Path dataDir, final boolean quiet)
        throws IOException
    {
        return online(out, err, CityHome.loadCity(null), scenario, dataDir, quiet);
    }

    /** As above, on the city {@code configured} instead of the city home's. */
    static Online online(final PrintWriter out, final PrintWriter err, final LoadedConfig configured, final ShuttleScenario scenario,
        final Path dataDir, final boolean quiet) throws IOException
    {
        if (configured.config().mobility() == null)
        {
            throw new BadInputException("configuration " + configured.source() + " has no mobility section");
        }
        final LoadedConfig city;
        try
        {
            city = scenario.applyFleet(configured);
        }
        catch (final ShuttleScenarioException ex)
        {
            throw new BadInputException(ex.getMessage(), ex);
        }
        final List<ControlLoop> loops = Loops.create(city.config());
        if (loops.stream().noneMatch(loop -> DISPATCH_LOOP.equals(loop.name())))
        {
            err.println("city: this build runs no '" + DISPATCH_LOOP + "' loop (Loops.create has none): nothing would answer the ride requests");
            err.flush();
            return null;
        }
        final ShuttleRun run = new ShuttleRun(city.config(), scenario, 20_000);
        out.printf(Locale.ROOT, "simulate %s: %s from %s %s, %.1f h, %,d requests, %,d shuttles%n", scenario.name(), ShuttleScenario.KIND,
            scenario.date(), scenario.start(), scenario.hours(), run.demand().rides().size(), run.fleet().shuttleIds().length);
        out.flush();

        final ScenarioNode node = new ScenarioNode(city, loops, dataDir);
        node.trackInput(kr.sejong.city.codecs.RideRequestDecoder.TEMPLATE_ID);
        final long wallStart = System.nanoTime();
        final double allHours = scenario.hours();
        node.run(run.startNs(), (ingress, egress) -> run.run(ingress, egress, h ->
        {
            node.progressed(); // the first progress, a quarter hour in, ends the warm-up
            if (!quiet)
            {
                out.printf(Locale.ROOT, "  %5.2f / %.2f simulated h, %6.1f s%n", h, allHours, (System.nanoTime() - wallStart) / 1e9);
                out.flush();
            }
        }));
        final Map<String, Object> figures = run.figures();
        figures.put("requestAnsweredUs", SimulateCommand.latency(run.roundTrip(),
            "the runner's round trip: a RideRequest offered on ingress to its first RideAssignment or RideRejection read on egress"
                + " (Aeron both ways, the node, the journal, and the wait for the Tick when the loop answers on it)"));
        figures.put("nodeDecisionLatencyUs", SimulateCommand.latency(node.afterWarmUp(),
            "in the node: input stamped at ingress to its last output published on egress, every input with an output (Ticks' SignalCommands included), "
                + (node.split() ? "after the first simulated quarter hour (JVM warm-up)" : "the whole run")));
        figures.put("nodeDecisionLatencyUsWithWarmUp", SimulateCommand.latency(node.all(), "the same, the whole run"));
        figures.put("requestDecisionLatencyUs", SimulateCommand.latency(node.trackedAfterWarmUp(),
            "in the node, per RideRequest: stamped at ingress to its last output published on egress (its answer, the plan, the other"
                + " riders' new ETAs); a request waits behind the inputs before it in the same simulated second, "
                + (node.split() ? "after the first simulated quarter hour (JVM warm-up)" : "the whole run")));
        figures.put("journal", node.journal());
        figures.put("wallS", Math.round((System.nanoTime() - wallStart) / 1e7) / 100.0);
        return new Online(city, run, figures);

    }

    @SuppressWarnings("unchecked")
    static String table(final ShuttleScenario scenario, final String command, final Map<String, Object> f)
    {
        final Map<String, Object> in = (Map<String, Object>)f.get("inputs");
        final Map<String, Object> answers = (Map<String, Object>)f.get("answers");
        final Map<String, Object> rides = (Map<String, Object>)f.get("rides");
        final Map<String, Object> wait = (Map<String, Object>)f.get("waitS");
        final Map<String, Object> ride = (Map<String, Object>)f.get("rideTimeS");
        final Map<String, Object> detour = (Map<String, Object>)f.get("detour");
        final Map<String, Object> promises = (Map<String, Object>)f.get("promises");
        final Map<String, Object> fleet = (Map<String, Object>)f.get("fleet");
        final Map<String, Object> plans = (Map<String, Object>)fleet.get("plans");
        final Map<String, Object> bad = (Map<String, Object>)f.get("badInputs");
        final Map<String, Object> rt = (Map<String, Object>)f.get("requestAnsweredUs");
        final Map<String, Object> nl = (Map<String, Object>)f.get("nodeDecisionLatencyUs");
        final Map<String, Object> rl = (Map<String, Object>)f.get("requestDecisionLatencyUs");
        final StringBuilder md = new StringBuilder();
        md.append("### ").append(scenario.name()).append(" (").append(scenario.date()).append(' ').append(scenario.start()).append(", ")
            .append(String.format(Locale.ROOT, "%.1f", scenario.hours())).append(" h)\n\n");
        md.append("| figure | value |\n| --- | ---: |\n");
        row(md, "requests (cancelled)", rides.get("requests") + " (" + rides.get("cancelled") + ")");
        row(md, "answered / unanswered", answers.get("answered") + " / " + answers.get("unanswered"));
        row(md, "served (dropped off), share of requests not cancelled", rides.get("served") + ", " + rides.get("servedShare"));
        row(md, "rejected by reason", String.valueOf(answers.get("rejectedByReason")));
        row(md, "assigned, never picked up / on board at the end", rides.get("assignedNeverPickedUp") + " / " + rides.get("onBoardAtEnd"));
        row(md, "wait s p50 / p95 (pickup - earliest pickup)", wait.get("p50") + " / " + wait.get("p95"));
        row(md, "peak-hour (07-09) mean wait s", String.valueOf(f.get("peakHourMeanWaitS")));
        row(md, "ride time s p50 / p95", ride.get("p50") + " / " + ride.get("p95"));
        row(md, "detour p50 / p95 (ride time / direct time)", detour.get("p50") + " / " + detour.get("p95"));
        row(md, "late pickups vs the last / first promise (> 60 s)", promises.get("latePickupsVsLastPromise") + " / "
            + promises.get("latePickupsVsFirstPromise"));
        row(md, "pickups beyond maxWait / rides beyond the max ride time", promises.get("pickupsBeyondMaxWait") + " / "
            + promises.get("ridesBeyondMaxRideTime"));
        row(md, "vehicle-km / empty-km", fleet.get("vehicleKm") + " / " + fleet.get("emptyKm"));
        row(md, "energy kWh used / charged (charging sessions)", fleet.get("energyKwh") + " / " + fleet.get("chargedKwh") + " ("
            + fleet.get("chargingSessions") + ")");
        row(md, "lowest state of charge %, shuttles run empty", fleet.get("lowestSocPercent") + ", " + fleet.get("ranEmpty"));
        row(md, "plans read; first stop changed while driving; entries already done", plans.get("received") + "; "
            + plans.get("firstStopChangedWhileDriving") + "; " + plans.get("entriesAlreadyDone"));
        row(md, "bad inputs answered as expected", bad.get("answeredAsExpected") + " of " + bad.get("sent"));
        row(md, "request answered p50 / p99 / max us (round trip)", fmt(rt.get("p50")) + " / " + fmt(rt.get("p99")) + " / " + fmt(rt.get("max")));
        row(md, "node decision latency p50 / p99 / max us", fmt(nl.get("p50")) + " / " + fmt(nl.get("p99")) + " / " + fmt(nl.get("max")));
        if (rl != null)
        {
            row(md, "a request's decision in the node p50 / p99 / max us", fmt(rl.get("p50")) + " / " + fmt(rl.get("p99")) + " / " + fmt(rl.get("max")));
        }
        row(md, "Ticks / wall time s", in.get("ticks") + " / " + f.get("wallS"));
        md.append("\nThe node: simulated mode, Aeron, journal, every loop; the fleet is simulated on the dispatch loop's ShuttleNetwork with")
            .append(String.format(Locale.ROOT, " %.2f-%.2f x", scenario.travelTimeNoise().min(), scenario.travelTimeNoise().max()))
            .append(" travel-time noise per edge. Waits count from the rider's earliest pickup time.\n");
        md.append("\ncommand: `").append(command).append("`  \nmachine: ").append(Machine.describe()).append('\n');
        return md.toString();
    }
}
