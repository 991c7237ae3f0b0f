package kr.sejong.city.app;

import kr.sejong.city.adapters.mobility.RideDemand;
import kr.sejong.city.adapters.mobility.ShuttleScenario;
import kr.sejong.city.adapters.mobility.SimulatedFleet;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;
import kr.sejong.city.bench.mobility.JspritOffline;
import kr.sejong.city.bench.mobility.JspritRolling;
import kr.sejong.city.bench.mobility.OfflineFigures;
import kr.sejong.city.bench.mobility.OfflineRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import static kr.sejong.city.app.SimulateCommand.fmt;

@Command(
    name = "dispatch",
    mixinStandardHelpOptions = true,
    header = "Shuttle dispatch online (the dispatch loop through the node) side by side with jsprit offline, on the same rides.",
    description = {
        "Runs a shuttle scenario through the node as bin/city simulate does (the dispatch loop decides online, each request when it comes; the simulated fleet drives the plans), then gives jsprit (com.graphhopper:jsprit-core, bench's JspritOffline) the rides the loop served, known in advance, with the same fleet starting at its depots at the scenario's start, the same fastest paths per fleet group, pickup windows, ride-time promises, seats and wheelchair places. Reports both total vehicle distances and their ratio from this one run.",
        "",
        "With --rolling-iterations N, also gives jsprit the same rides online (bench's JspritRolling): each ride known only from its request, the problem solved again from scratch every --rolling-epoch seconds with the shuttles where they are and the riders on board, the plans driven in between. That is what a general solver does in the loop's own position, next to what knowing everything in advance allows.",
        "",
        "The default scenario (config/scenarios/shuttle-vs-jsprit.yaml) is an hour of the weekday's morning peak with nothing an offline solver cannot know: no cancellations, stops only, no travel-time noise. The online distance is every metre the fleet drove, rebalancing included; jsprit's routes are open (no return to a depot). jsprit's result is checked by bench's own OfflineCheck (0 violations expected)." },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = { "0:the run completed", "1:the run failed", "2:bad input (scenario missing or invalid, bad option)" })
final class BenchDispatchCommand implements Callable<Integer>
{
    static final Path DEFAULT_SCENARIO = Path.of("config/scenarios/shuttle-vs-jsprit.yaml");

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "FILE", description = "The shuttle scenario (default: config/scenarios/shuttle-vs-jsprit.yaml).")
    Path scenarioFile;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "2000", description = "jsprit's search iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "jsprit's random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report to FILE.")
    Path report;

    @Option(names = "--table", paramLabel = "FILE", description = "Write the side-by-side table as markdown to FILE.")
    Path table;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Option(names = "--demand-seeds", paramLabel = "N", defaultValue = "1", description = "Hours of demand to run: the scenario with its own seed, then with seed + 1, ..., seed + N - 1 (other requests drawn from the same demand model), each side by side with jsprit; reports every hour and the totals, the ratio being total online km over jsprit's total (default: ${DEFAULT-VALUE}). One hour's ratio moves by several per cent with the requests drawn; several hours measure the loop, not the draw.")
    int demandSeeds;

    @Option(names = "--rolling-iterations", paramLabel = "N", defaultValue = "0", description = "Also run jsprit online (bench's JspritRolling): the same rides, each known from its request, solved again from scratch every --rolling-epoch seconds with N iterations, the shuttles driving the plans in between; 0: not run (default: ${DEFAULT-VALUE}).")
    int rollingIterations;

    @Option(names = "--rolling-epoch", paramLabel = "S", defaultValue = "60", description = "Seconds between two solves of the online jsprit (default: ${DEFAULT-VALUE}).")
    int rollingEpochS;

    /** One hour of demand, both sides. */
    private record Hour(long demandSeed, Map<String, Object> figures, double onlineKm, double emptyKm, double offlineKm, OfflineFigures shape, int requests,
        int served, JspritOffline.Result offline, JspritRolling.Result rolling)
    {
        /** Online km over jsprit's, unrounded. */
        double ratio()
        {
            return onlineKm / offlineKm;
        }
    }

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Path file = scenarioFile != null ? scenarioFile : CityHome.home().resolve(DEFAULT_SCENARIO);
        if (!Files.isRegularFile(file))
        {
            throw new BadInputException("scenario " + file + " not found");
        }
        if (iterations < 0)
        {
            throw new BadInputException("--iterations must be at least 0, was " + iterations);
        }
        if (rollingIterations < 0 || rollingEpochS < 1)
        {
            throw new BadInputException("--rolling-iterations must be at least 0 and --rolling-epoch at least 1, were " + rollingIterations
                + " and " + rollingEpochS);
        }
        if (demandSeeds < 1)
        {
            throw new BadInputException("--demand-seeds must be at least 1, was " + demandSeeds);
        }
        final ShuttleScenario scenario = SimulateShuttle.load(file, null);
        final List<Hour> hours = new ArrayList<>();
        for (int i = 0; i < demandSeeds; i++)
        {
            final ShuttleScenario drawn = i == 0 ? scenario : scenario.withSeed(scenario.seed() + i);
            if (demandSeeds > 1)
            {
                out.printf(Locale.ROOT, "demand seed %d (%d of %d)%n", drawn.seed(), i + 1, demandSeeds);
                out.flush();
            }
            final Hour hour = hour(out, err, drawn, file);
            if (hour == null)
            {
                return ExitCodes.FAILURE;
            }
            hours.add(hour);
        }

        final String command = "bin/city bench dispatch" + (scenarioFile != null ? " --scenario " + scenarioFile : "") +
            " --iterations " + iterations + " --seed " + seed + (demandSeeds > 1 ? " --demand-seeds " + demandSeeds : "") +
            (rollingIterations > 0 ? " --rolling-iterations " + rollingIterations + (rollingEpochS != 60 ? " --rolling-epoch " + rollingEpochS : "") : "");
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario.name());
        json.put("scenarioFile", file.toString());
        json.put("command", command);
        json.put("machine", Machine.describe());
        json.put("finishedAt", Instant.now().toString());
        final String md;
        if (demandSeeds == 1)
        {
            final Hour hour = hours.get(0);
            json.put("figures", hour.figures());
            md = hourTable(scenario.name(), hour) + "\ncommand: `" + command + "`  \nmachine: " + Machine.describe() + '\n';
        }
        else
        {
            final Map<String, Object> totals = totals(hours);
            json.put("figures", totals);
            md = totalsTable(scenario.name(), hours, totals) + "\ncommand: `" + command + "`  \nmachine: " + Machine.describe() + '\n';
        }
        return SimulateCommand.writeOutputs(out, json, md, report, table);
    }

    /** Runs one hour of demand through the node, then jsprit on the rides the loop served; null when the run failed. */
    private Hour hour(final PrintWriter out, final PrintWriter err, final ShuttleScenario scenario, final Path file) throws IOException
    {
        final SimulateShuttle.Online online = SimulateShuttle.online(out, err, scenario, null, quiet);
        if (online == null)
        {
            return null;
        }
        final SimulatedFleet fleet = online.run().fleet();
        final long startNs = online.run().startNs();
        final List<OfflineRequest> served = new ArrayList<>();
        final Map<Long, Long> requestNs = new HashMap<>();
        for (final RideDemand.Ride ride : online.run().demand().rides())
        {
            final SimulatedFleet.RiderLog log = fleet.riderLog(ride.requestId());
            if (log == null || log.dropoffNs() < 0)
            {
                continue;
            }
            if (!ride.origin().isStop() || !ride.destination().isStop())
            {
                throw new BadInputException("scenario " + file + ": ride " + ride.requestId() + " starts or ends at a position, not a stop; "
                    + "the offline solver needs stops (demand.positionShare: 0)");
            }
            requestNs.put(ride.requestId(), ride.requestNs());
            served.add(new OfflineRequest(ride.requestId(), ride.origin().stopId(), ride.destination().stopId(),
                Math.max(0, (ride.earliestPickupNs() - startNs) / 1_000_000_000L), ride.partySize(), ride.wheelchairs()));
        }
        out.printf(Locale.ROOT, "jsprit: %,d rides the loop served, %,d iterations, seed %d ...%n", served.size(), iterations, seed);
        out.flush();
        // one network for jsprit and for the description of its routes (its fastest paths are computed once)
        final ShuttleNetwork network = ShuttleNetwork.from(online.city().config());
        final JspritOffline.Result offline = JspritOffline.solve(network, online.city().config().mobility().service(), served, null,
            new JspritOffline.Settings(iterations, seed, 1, 0));

        final Map<String, Object> onlineFleet = castMap(online.figures().get("fleet"));
        final double onlineKm = ((Number)onlineFleet.get("vehicleKm")).doubleValue();
        final double offlineKm = offline.totalDistanceM() / 1000.0;
        final Map<String, Object> figures = new LinkedHashMap<>();
        if (demandSeeds > 1)
        {
            figures.put("demandSeed", scenario.seed());
        }
        figures.put("requests", online.run().demand().rides().size());
        final Map<String, Object> on = new LinkedHashMap<>();
        on.put("served", served.size());
        on.put("vehicleKm", onlineKm);
        on.put("emptyKm", onlineFleet.get("emptyKm"));
        on.put("what", "every metre the simulated fleet drove under the dispatch loop's plans (to pickups, with riders, rebalancing)");
        on.put("simulation", online.figures());
        figures.put("online", on);
        final Map<String, Object> off = new LinkedHashMap<>();
        off.put("served", offline.served().size());
        off.put("unassigned", offline.unassigned().size());
        off.put("unreachable", offline.unreachable().size());
        off.put("vehicleKm", Math.round(offlineKm * 100) / 100.0);
        off.put("shuttlesUsed", offline.routes().size());
        final OfflineFigures shape = OfflineFigures.of(network, offline.routes(), served);
        off.put("emptyKm", Math.round(shape.emptyKm() * 100) / 100.0);
        off.put("fromDepotKm", Math.round(shape.depotKm() * 100) / 100.0);
        off.put("directKm", Math.round(shape.directKm() * 100) / 100.0);
        off.put("meanWaitS", Math.round(shape.meanWaitS() * 10) / 10.0);
        off.put("meanRideS", Math.round(shape.meanRideS() * 10) / 10.0);
        off.put("riderKmPerLoadedKm", Math.round(shape.riderKmPerKm() * 1000) / 1000.0);
        off.put("violations", offline.violations());
        off.put("modelMismatches", offline.modelMismatches());
        off.put("iterations", iterations);
        off.put("seed", seed);
        off.put("solveS", offline.solveMillis() / 1000.0);
        off.put("what", "jsprit's best solution for the same rides known in advance, open routes from the depots, re-timed and checked by OfflineCheck");
        figures.put("offline", off);
        JspritRolling.Result rolling = null;
        if (rollingIterations > 0)
        {
            final List<JspritRolling.Request> known = new ArrayList<>();
            for (final OfflineRequest r : served)
            {
                known.add(new JspritRolling.Request(r, Math.max(0, (requestNs.get(r.id()) - startNs) / 1e9)));
            }
            out.printf(Locale.ROOT, "jsprit online: %,d rides, a solve every %d s of %,d iterations ...%n", known.size(), rollingEpochS, rollingIterations);
            out.flush();
            rolling = JspritRolling.solve(network, online.city().config().mobility().service(), known, null,
                new JspritRolling.Settings(rollingIterations, seed, rollingEpochS));
            final Map<String, Object> roll = new LinkedHashMap<>();
            roll.put("served", rolling.served());
            roll.put("unserved", rolling.unserved().size());
            roll.put("vehicleKm", Math.round(rolling.totalDistanceM() / 10.0) / 100.0);
            roll.put("shuttlesUsed", rolling.shuttlesUsed());
            roll.put("meanWaitS", Math.round(rolling.meanWaitS() * 10) / 10.0);
            roll.put("meanRideS", Math.round(rolling.meanRideS() * 10) / 10.0);
            roll.put("violations", rolling.violations());
            roll.put("violationExamples", rolling.details().subList(0, Math.min(5, rolling.details().size())));
            roll.put("solves", rolling.solves());
            roll.put("solveS", rolling.solveMillis() / 1000.0);
            roll.put("iterations", rollingIterations);
            roll.put("epochS", rollingEpochS);
            roll.put("ratioToOffline", Math.round(rolling.totalDistanceM() / offline.totalDistanceM() * 1000) / 1000.0);
            roll.put("what", "jsprit as an online dispatcher: the same rides, each known from its request, solved again from scratch every "
                + "epochS seconds (iterations each) with the shuttles where they are and the riders on board, the plans driven in between");
            figures.put("onlineJsprit", roll);
            out.printf(Locale.ROOT, "jsprit online: %.1f km (%d served, %d unserved, %d violations), %.3f x jsprit offline; the loop %.3f%n",
                rolling.totalDistanceM() / 1000, rolling.served(), rolling.unserved().size(), rolling.violations(),
                rolling.totalDistanceM() / offline.totalDistanceM(), onlineKm / offlineKm);
            out.flush();
        }
        figures.put("ratio", offlineKm > 0 ? Math.round(onlineKm / offlineKm * 1000) / 1000.0 : null);
        figures.put("target", "online vehicle distance at most 1.15 x jsprit's");
        return new Hour(scenario.seed(), figures, onlineKm, ((Number)onlineFleet.get("emptyKm")).doubleValue(), offlineKm, shape,
            online.run().demand().rides().size(), served.size(), offline, rolling);
    }

    /** The figures of several hours: the totals, the spread of the hours' ratios, and every hour's own figures. */
    private Map<String, Object> totals(final List<Hour> hours)
    {
        double onlineKm = 0;
        double emptyKm = 0;
        double offlineKm = 0;
        double offlineEmptyKm = 0;
        int requests = 0;
        int served = 0;
        int offlineServed = 0;
        int unassigned = 0;
        int violations = 0;
        int mismatches = 0;
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        final List<Long> seeds = new ArrayList<>();
        final List<Map<String, Object>> each = new ArrayList<>();
        for (final Hour hour : hours)
        {
            onlineKm += hour.onlineKm();
            emptyKm += hour.emptyKm();
            offlineKm += hour.offlineKm();
            offlineEmptyKm += hour.shape().emptyKm();
            requests += hour.requests();
            served += hour.served();
            offlineServed += hour.offline().served().size();
            unassigned += hour.offline().unassigned().size();
            violations += hour.offline().violations();
            mismatches += hour.offline().modelMismatches();
            final double ratio = hour.ratio();
            low = Math.min(low, ratio);
            high = Math.max(high, ratio);
            seeds.add(hour.demandSeed());
            each.add(hour.figures());
        }
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("demandSeeds", seeds);
        figures.put("requests", requests);
        final Map<String, Object> on = new LinkedHashMap<>();
        on.put("served", served);
        on.put("vehicleKm", Math.round(onlineKm * 100) / 100.0);
        on.put("emptyKm", Math.round(emptyKm * 100) / 100.0);
        on.put("what", "the hours' online vehicle-km added up");
        figures.put("online", on);
        final Map<String, Object> off = new LinkedHashMap<>();
        off.put("served", offlineServed);
        off.put("unassigned", unassigned);
        off.put("vehicleKm", Math.round(offlineKm * 100) / 100.0);
        off.put("emptyKm", Math.round(offlineEmptyKm * 100) / 100.0);
        off.put("violations", violations);
        off.put("modelMismatches", mismatches);
        off.put("iterations", iterations);
        off.put("seed", seed);
        off.put("what", "the hours' jsprit vehicle-km added up");
        figures.put("offline", off);
        figures.put("ratio", offlineKm > 0 ? Math.round(onlineKm / offlineKm * 1000) / 1000.0 : null);
        if (rollingIterations > 0)
        {
            double rollingKm = 0;
            double waitS = 0;
            int rollingServed = 0;
            int rollingViolations = 0;
            for (final Hour hour : hours)
            {
                rollingKm += hour.rolling().totalDistanceM() / 1000.0;
                waitS += hour.rolling().meanWaitS() * hour.rolling().served();
                rollingServed += hour.rolling().served();
                rollingViolations += hour.rolling().violations();
            }
            final Map<String, Object> roll = new LinkedHashMap<>();
            roll.put("served", rollingServed);
            roll.put("vehicleKm", Math.round(rollingKm * 100) / 100.0);
            roll.put("meanWaitS", rollingServed == 0 ? 0 : Math.round(waitS / rollingServed * 10) / 10.0);
            roll.put("violations", rollingViolations);
            roll.put("iterations", rollingIterations);
            roll.put("epochS", rollingEpochS);
            roll.put("ratioToOffline", offlineKm > 0 ? Math.round(rollingKm / offlineKm * 1000) / 1000.0 : null);
            roll.put("what", "the hours' online jsprit vehicle-km added up");
            figures.put("onlineJsprit", roll);
        }
        final Map<String, Object> spread = new LinkedHashMap<>();
        spread.put("min", Math.round(low * 1000) / 1000.0);
        spread.put("max", Math.round(high * 1000) / 1000.0);
        figures.put("ratioPerHour", spread);
        figures.put("target", "online vehicle distance at most 1.15 x jsprit's");
        figures.put("hours", each);
        return figures;
    }

    private static String hourTable(final String name, final Hour hour)
    {
        final JspritOffline.Result offline = hour.offline();
        final StringBuilder md = new StringBuilder();
        md.append("### ").append(name).append(": online dispatch vs jsprit offline\n\n| figure | online (dispatch loop) | offline (jsprit) |\n| --- | ---: | ---: |\n");
        md.append("| rides served | ").append(hour.served()).append(" of ").append(hour.requests()).append(" | ")
            .append(offline.served().size()).append(" (").append(offline.unassigned().size()).append(" unassigned) |\n");
        md.append("| vehicle-km | ").append(fmt(hour.onlineKm())).append(" | ").append(fmt(Math.round(hour.offlineKm() * 100) / 100.0)).append(" |\n");
        final Map<String, Object> simulation = castMap(castMap(hour.figures().get("online")).get("simulation"));
        final Map<String, Object> emptyBy = castMap(castMap(simulation.get("fleet")).get("emptyKmBy"));
        md.append("| empty-km (before the first rider boards) | ").append(fmt(hour.emptyKm())).append(" (")
            .append(fmt(emptyBy.get("beforeFirstBoarding"))).append(") | ").append(fmt(hour.shape().emptyKm())).append(" (")
            .append(fmt(hour.shape().depotKm())).append(") |\n");
        int moved = 0;
        for (final Object type : castMap(castMap(simulation.get("fleet")).get("byType")).values())
        {
            moved += ((Number)castMap(type).get("shuttles")).intValue() - ((Number)castMap(type).get("shuttlesThatNeverMoved")).intValue();
        }
        md.append("| shuttles used (that moved) | ").append(moved).append(" | ").append(offline.routes().size()).append(" |\n");
        md.append("| mean wait / mean ride s | ").append(fmt(castMap(simulation.get("waitS")).get("mean"))).append(" / ")
            .append(fmt(castMap(simulation.get("rideTimeS")).get("mean"))).append(" | ").append(fmt(hour.shape().meanWaitS()))
            .append(" / ").append(fmt(hour.shape().meanRideS())).append(" |\n");
        md.append("| jsprit iterations, solve s, violations | | ").append(castMap(hour.figures().get("offline")).get("iterations")).append(", ")
            .append(fmt(offline.solveMillis() / 1000.0)).append(", ").append(offline.violations()).append(" |\n");
        md.append("\n**ratio online / offline vehicle-km: ").append(String.format(Locale.ROOT, "%.3f", hour.ratio()))
            .append("** (target at most 1.15)\n");
        if (hour.rolling() != null)
        {
            final JspritRolling.Result rolling = hour.rolling();
            md.append(String.format(Locale.ROOT, "%njsprit online (the same rides, each known from its request, solved again every %s s with %s iterations): "
                    + "%.1f km, %.3f x jsprit offline; %d served, mean wait %.1f s, %d violations%n",
                castMap(hour.figures().get("onlineJsprit")).get("epochS"), castMap(hour.figures().get("onlineJsprit")).get("iterations"),
                rolling.totalDistanceM() / 1000.0, rolling.totalDistanceM() / 1000.0 / hour.offlineKm(), rolling.served(), rolling.meanWaitS(),
                rolling.violations()));
        }
        return md.toString();
    }

    private static String totalsTable(final String name, final List<Hour> hours, final Map<String, Object> totals)
    {
        final StringBuilder md = new StringBuilder();
        md.append("### ").append(name).append(": online dispatch vs jsprit offline, ").append(hours.size())
            .append(" hours of demand\n\n| demand seed | rides served online / jsprit | online vehicle-km (empty) | jsprit vehicle-km (empty; shuttles) | ratio |\n")
            .append("| ---: | ---: | ---: | ---: | ---: |\n");
        for (final Hour hour : hours)
        {
            md.append("| ").append(hour.demandSeed()).append(" | ").append(hour.served()).append(" / ").append(hour.offline().served().size())
                .append(" | ").append(fmt(hour.onlineKm())).append(" (").append(fmt(hour.emptyKm())).append(") | ")
                .append(fmt(Math.round(hour.offlineKm() * 100) / 100.0)).append(" (").append(fmt(hour.shape().emptyKm())).append("; ")
                .append(hour.offline().routes().size()).append(") | ")
                .append(String.format(Locale.ROOT, "%.3f", hour.ratio())).append(" |\n");
        }
        final Map<String, Object> online = castMap(totals.get("online"));
        final String ratio = String.format(Locale.ROOT, "%.3f", (Double)totals.get("ratio"));
        md.append("| **all** | | **").append(fmt(online.get("vehicleKm"))).append("** (").append(fmt(online.get("emptyKm")))
            .append(") | **").append(fmt(castMap(totals.get("offline")).get("vehicleKm"))).append("** (")
            .append(fmt(castMap(totals.get("offline")).get("emptyKm"))).append(") | **").append(ratio).append("** |\n");
        md.append("\n**ratio online / offline vehicle-km over the ").append(hours.size()).append(" hours: ").append(ratio)
            .append("** (target at most 1.15)\n");
        if (totals.containsKey("onlineJsprit"))
        {
            final Map<String, Object> rolling = castMap(totals.get("onlineJsprit"));
            md.append("\njsprit online (the same rides, each known from its request, solved again every ").append(rolling.get("epochS"))
                .append(" s with ").append(rolling.get("iterations")).append(" iterations), hour by hour:");
            for (final Hour hour : hours)
            {
                md.append(String.format(Locale.ROOT, " %.1f", hour.rolling().totalDistanceM() / 1000.0));
            }
            md.append(String.format(Locale.ROOT, " km; **%s** km in all, **%.3f** x jsprit offline; %s served, mean wait %s s, %s violations%n",
                fmt(rolling.get("vehicleKm")), (Double)rolling.get("ratioToOffline"), rolling.get("served"), fmt(rolling.get("meanWaitS")),
                rolling.get("violations")));
        }
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(final Object value)
    {
        return (Map<String, Object>)value;
    }
}
