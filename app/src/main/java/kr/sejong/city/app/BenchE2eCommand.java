package kr.sejong.city.app;

import kr.sejong.city.bench.e2e.E2eBenchmark;
import kr.sejong.city.bench.e2e.E2eBenchmark.Stack;
import kr.sejong.city.bench.e2e.E2eBenchmark.StackRun;
import kr.sejong.city.bench.e2e.E2eBenchmark.Transport;
import kr.sejong.city.bench.e2e.E2eReport;
import kr.sejong.city.bench.e2e.Figures;
import kr.sejong.city.bench.e2e.GeneratorResult;
import kr.sejong.city.bench.e2e.MachineInfo;
import kr.sejong.city.bench.e2e.PercentilePlot;
import kr.sejong.city.core.runtime.IdleStrategies;
import kr.sejong.city.core.runtime.NodeThreading;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(
    name = "e2e",
    mixinStandardHelpOptions = true,
    header = "Round-trip latency and throughput through the whole node, side by side with a conventional stack.",
    description = {
        "A load generator in a JVM of its own sends requests at a fixed rate (--rate), each timed from its intended send time "
            + "so that a stall is never hidden (no coordinated omission), and records every round trip in an HdrHistogram.",
        "node: the control node in this JVM (live mode, journaling per --journal, --threading, --idle) with one loop that answers "
            + "each request (a LaneObservations, SBE over Aeron --transport) with one SignalCommand: the max-pressure phase for the "
            + "request's lane loads, computed by the signal loop's own pressure function.",
        "conventional: the same decision behind JSON over TCP, a blocking queue, a thread pool and a synchronous file write with "
            + "fsync per message, as a team would build it. --stack both runs one after the other, never at the same time.",
        "Prints p50, p90, p99, p99.9, p99.99, max and the achieved throughput; writes per stack the .hgrm (HdrHistogram's percentile "
            + "distribution, us), one PNG plot of both and a JSON report (default folder: bench/results).",
        "--step raises the rate (--rates) until the stack no longer keeps up and reports the highest rate sustained (every request answered, "
            + "at least 95 %% of the rate achieved, p99 under 1 ms); "
            + "--throughput sends as fast as the stack takes it (at most --window requests in flight) and reports replies per second.",
        "" },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = { "0:the runs completed (whatever the figures)", "1:a run failed", "2:bad arguments" })
final class BenchE2eCommand implements Callable<Integer>
{
    /** p99 a rate must stay under to count as sustained in a stepped run. */
    static final double STEP_P99_LIMIT_US = 1000;
    /** Share of the asked rate a stepped run must achieve to count as sustained. */
    static final double STEP_MIN_ACHIEVED = 0.95;

    enum OnOff { ON, OFF }

    enum StackChoice { NODE, CONVENTIONAL, BOTH }

    @Spec
    CommandSpec spec;

    @Option(names = "--rate", paramLabel = "MSGS_PER_S", defaultValue = "100000", description = "Requests per second (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "10", description = "Seconds measured, after the warmup (default: ${DEFAULT-VALUE}).")
    double durationS;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "5", description = "Seconds at the same rate before measuring, not counted (default: ${DEFAULT-VALUE}).")
    double warmupS;

    @Option(names = "--drain", paramLabel = "S", defaultValue = "10",
        description = "Seconds to wait for missing replies after the schedule; what is still missing then counts as unanswered, recorded with the time it waited (default: ${DEFAULT-VALUE}).")
    double drainS;

    @Option(names = "--transport", paramLabel = "ipc|udp", defaultValue = "ipc", description = "How requests reach the node: Aeron IPC or UDP on loopback (default: ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = "--journal", paramLabel = "on|off", defaultValue = "on", description = "Node journaling (default: ${DEFAULT-VALUE}; off only to see what it costs).")
    OnOff journal;

    @Option(names = "--pretouch", paramLabel = "on|off", defaultValue = "on",
        description = "The node's journal pretoucher (default: ${DEFAULT-VALUE}, as the node runs; off only to see what it saves).")
    OnOff pretouch;

    @Option(names = "--path", paramLabel = "signal|triage", defaultValue = "signal",
        description = "What the node decides: signal (LaneObservations answered by a max-pressure SignalCommand, default) or triage (camera VideoEvents folded into incidents by the triage loop on the default city, each answered by its Incident; node only).")
    String path;

    @Option(names = "--stack", paramLabel = "node|conventional|both", defaultValue = "both", description = "What answers (default: ${DEFAULT-VALUE}).")
    StackChoice stack;

    @Option(names = "--report", paramLabel = "FILE",
        description = "The JSON report; the .hgrm and .png files go to its folder (default: bench/results/e2e-<transport>-<rate>.json, e2e-step-<transport>.json or e2e-throughput-<transport>.json).")
    Path report;

    @Option(names = "--step", description = "Stepped run of the node (or of --stack conventional) over --rates; stops at the first rate the stack does not keep up with (a request unanswered, or under 95 %% of the rate achieved).")
    boolean step;

    @Option(names = "--rates", paramLabel = "LIST", split = ",", defaultValue = "10000,20000,50000,100000,200000,500000,1000000,2000000",
        description = "Rates of the stepped run (default: ${DEFAULT-VALUE}).")
    List<Long> rates;

    @Option(names = "--throughput", description = "Saturate instead of a fixed rate: the highest rate of replies the stack sustains.")
    boolean throughput;

    @Option(names = "--window", paramLabel = "N", defaultValue = "16384", description = "--throughput: most requests in flight (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--threading", paramLabel = "low-resource|single|dedicated", defaultValue = "low-resource",
        description = "Node threading: low-resource (the node's agents on one thread, the media driver on a second), single (the driver "
            + "on the node's thread too) or dedicated (a thread per agent) (default: ${DEFAULT-VALUE}).")
    String threading;

    @Option(names = "--idle", paramLabel = "STRATEGY", defaultValue = IdleStrategies.BACKOFF,
        description = "Node idle strategy: backoff, yielding, busy-spin or sleeping (default: ${DEFAULT-VALUE}, the node's own).")
    String idle;

    @Option(names = "--fsync", paramLabel = "on|off", defaultValue = "on",
        description = "Conventional stack: force each journal write to disk (default: ${DEFAULT-VALUE}; off only to see what the fsync costs).")
    OnOff fsync;

    @Option(names = "--data", paramLabel = "DIR", description = "Where the journals go during the run (default: the system temp dir); deleted afterwards.")
    Path data;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        validate();
        out = spec.commandLine().getOut();
        final E2eBenchmark.Settings settings = new E2eBenchmark.Settings()
            .rate(throughput ? 0 : rate)
            .warmupMs(Math.round(warmupS * 1000))
            .durationMs(Math.round(durationS * 1000))
            .drainMs(Math.round(drainS * 1000))
            .window(window)
            .transport(transport)
            .journaling(journal == OnOff.ON)
            .pretouch(pretouch == OnOff.ON)
            .threading(NodeThreading.valueOf(threading.toUpperCase(Locale.ROOT).replace('-', '_')))
            .idleStrategy(idle.toLowerCase(Locale.ROOT))
            .fsync(fsync == OnOff.ON)
            .dataDir(data)
            .path(path);

        final Path reportFile = (report != null ? report : CityHome.home().resolve("bench").resolve("results").resolve(defaultReportName()))
            .toAbsolutePath();
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", step ? "step" : throughput ? "throughput" : "compare");
        json.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        json.put("command", command());
        json.put("machine", MachineInfo.asMap());
        json.put("loadAverageBefore", MachineInfo.loadAverage());
        json.put("settings", settingsJson(settings));

        out.println("bench e2e, " + json.get("date"));
        out.println("  machine: " + MachineInfo.describe());
        out.println("  load average (1, 5, 15 min) before: " + json.get("loadAverageBefore"));
        out.println("  command: " + json.get("command"));
        out.flush();

        if (step)
        {
            runSteps(settings, reportFile, json);
        }
        else
        {
            runStacks(settings, reportFile, json);
        }
        json.put("loadAverageAfter", MachineInfo.loadAverage());
        E2eReport.writeJson(reportFile, json);
        out.println("  load average after: " + json.get("loadAverageAfter"));
        out.println("  report: " + reportFile);
        out.flush();
        return ExitCodes.OK;
    }

    private void validate()
    {
        if (!throughput && rate <= 0)
        {
            throw new BadInputException("--rate must be a positive number of messages per second, was " + rate);
        }
        if (!(durationS > 0))
        {
            throw new BadInputException("--duration must be positive, was " + durationS);
        }
        if (!(warmupS >= 0) || !(drainS >= 0))
        {
            throw new BadInputException("--warmup and --drain must not be negative");
        }
        if (window <= 0)
        {
            throw new BadInputException("--window must be positive, was " + window);
        }
        if (!"signal".equals(path) && !"triage".equals(path))
        {
            throw new BadInputException("--path must be signal or triage, was '" + path + "'");
        }
        if ("triage".equals(path) && stack != StackChoice.NODE)
        {
            throw new BadInputException("--path triage runs the node only: add --stack node");
        }
        if (step && throughput)
        {
            throw new BadInputException("--step and --throughput cannot be combined");
        }
        if (step && (rates.isEmpty() || rates.stream().anyMatch(r -> r <= 0)))
        {
            throw new BadInputException("--rates must be positive rates, was " + rates);
        }
        if (!List.of("low-resource", "single", "dedicated").contains(threading.toLowerCase(Locale.ROOT)))
        {
            throw new BadInputException("--threading must be low-resource, single or dedicated, was " + threading);
        }
        if (!IdleStrategies.isKnown(idle.toLowerCase(Locale.ROOT)))
        {
            throw new BadInputException("--idle must be backoff, yielding, busy-spin or sleeping, was " + idle);
        }
    }

    private String defaultReportName()
    {
        final String t = transport.label();
        if (step)
        {
            return "e2e-step-" + t + ".json";
        }
        if (throughput)
        {
            return "e2e-throughput-" + t + ".json";
        }
        return "e2e-" + t + "-" + rate + (journal == OnOff.OFF ? "-nojournal" : "") + ".json";
    }

    private static String baseName(final Path reportFile)
    {
        final String name = reportFile.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    private List<Stack> stacks()
    {
        return switch (stack)
        {
            case NODE -> List.of(Stack.NODE);
            case CONVENTIONAL -> List.of(Stack.CONVENTIONAL);
            case BOTH -> List.of(Stack.NODE, Stack.CONVENTIONAL);
        };
    }

    private void runStacks(final E2eBenchmark.Settings settings, final Path reportFile, final Map<String, Object> json)
        throws IOException, InterruptedException
    {
        final Path dir = reportFile.getParent();
        final String base = baseName(reportFile);
        final List<Map<String, Object>> runs = new ArrayList<>();
        final List<PercentilePlot.Series> series = new ArrayList<>();
        final Map<Stack, Figures> figures = new LinkedHashMap<>();
        for (final Stack s : stacks())
        {
            out.println();
            out.println("  " + s.label() + ": running " + describeSchedule(settings) + " ...");
            out.flush();
            final StackRun run = E2eBenchmark.run(s, settings, this::log);
            final String hgrm = base + "-" + s.label() + ".hgrm";
            E2eReport.writeHgrm(dir.resolve(hgrm), run.result().histogram());
            runs.add(E2eReport.runJson(run, hgrm));
            series.add(new PercentilePlot.Series(s.label(), run.result().histogram()));
            figures.put(s, Figures.of(run.result().histogram()));
            printRun(run);
        }
        json.put("runs", runs);
        if (settings.rate() > 0 && figures.containsKey(Stack.NODE) && figures.containsKey(Stack.CONVENTIONAL))
        {
            final double ratio = figures.get(Stack.CONVENTIONAL).p99Us() / figures.get(Stack.NODE).p99Us();
            json.put("p99RatioConventionalToNode", ratio);
            out.println();
            out.printf(Locale.ROOT, "  p99 conventional / node at the same rate: %.1f x%n", ratio);
        }
        final String png = base + ".png";
        PercentilePlot.write(dir.resolve(png), title(settings), subtitle(), series);
        json.put("plot", png);
        out.println("  files: " + dir.resolve(png) + " and the .hgrm of each stack");
    }

    private void runSteps(final E2eBenchmark.Settings settings, final Path reportFile, final Map<String, Object> json)
        throws IOException, InterruptedException
    {
        final Path dir = reportFile.getParent();
        final String base = baseName(reportFile);
        final Stack stepped = stack == StackChoice.CONVENTIONAL ? Stack.CONVENTIONAL : Stack.NODE;
        final List<Map<String, Object>> steps = new ArrayList<>();
        final List<PercentilePlot.Series> series = new ArrayList<>();
        final List<String> table = new ArrayList<>();
        long highest = 0;
        out.println();
        out.printf(Locale.ROOT, "  stepped run of the %s: sustained = every request answered with the expected decision, "
            + "p99 under %s, at least %.0f %% of the rate achieved%n", stepped.label(), Figures.human(STEP_P99_LIMIT_US), STEP_MIN_ACHIEVED * 100);
        for (final long stepRate : rates)
        {
            final E2eBenchmark.Settings s = settings.copy().rate(stepRate);
            out.printf(Locale.ROOT, "  %,d msg/s ...%n", stepRate);
            out.flush();
            final StackRun run = E2eBenchmark.run(stepped, s, this::log);
            final GeneratorResult r = run.result();
            final Figures f = Figures.of(r.histogram());
            final boolean sustained = r.allAnswered() && f.p99Us() < STEP_P99_LIMIT_US && r.throughputPerS() >= STEP_MIN_ACHIEVED * stepRate;
            final String hgrm = base + "-" + stepRate + ".hgrm";
            E2eReport.writeHgrm(dir.resolve(hgrm), r.histogram());
            final Map<String, Object> stepJson = E2eReport.runJson(run, hgrm);
            stepJson.put("sustained", sustained);
            steps.add(stepJson);
            series.add(new PercentilePlot.Series(String.format(Locale.ROOT, "%,d msg/s", stepRate), r.histogram()));
            table.add(String.format(Locale.ROOT, "  %12s | %12s | %9s | %9s | %9s | %9s | %10s | %s",
                String.format(Locale.ROOT, "%,d", stepRate), String.format(Locale.ROOT, "%,.0f", r.throughputPerS()), Figures.human(f.p50Us()),
                Figures.human(f.p99Us()), Figures.human(f.p9999Us()), Figures.human(f.maxUs()), String.format(Locale.ROOT, "%,d", r.unanswered()),
                sustained ? "yes" : "NO"));
            out.println(table.get(table.size() - 1));
            if (sustained)
            {
                highest = stepRate;
            }
            if (!keptUp(r, stepRate))
            {
                break; // higher rates only queue up more
            }
        }
        json.put("stack", stepped.label());
        json.put("setup", stepped == Stack.NODE ? "node, journaling " + (settings.journaling() ? "on" : "off") + ", " + settings.transport().label() : "conventional");
        json.put("steps", steps);
        json.put("highestSustainedRate", highest);
        json.put("p99LimitUs", STEP_P99_LIMIT_US);
        final String png = base + ".png";
        PercentilePlot.write(dir.resolve(png), "Stepped run: " + stepped.label() + " over Aeron " + settings.transport().label()
            + ", journaling " + (settings.journaling() ? "on" : "off"), subtitle(), series);
        json.put("plot", png);
        out.println();
        out.printf(Locale.ROOT, "  %12s | %12s | %9s | %9s | %9s | %9s | %10s | %s%n", "rate msg/s", "achieved/s", "p50", "p99", "p99.99", "max",
            "unanswered", "sustained");
        table.forEach(out::println);
        out.printf(Locale.ROOT, "  highest rate sustained: %,d msg/s%n", highest);
        out.println("  files: " + dir.resolve(png) + " and the .hgrm of each step");
    }

    /** Whether a run answered everything and nearly at the rate asked (a higher rate is worth trying). */
    private static boolean keptUp(final GeneratorResult r, final long rate)
    {
        return r.allAnswered() && r.throughputPerS() >= STEP_MIN_ACHIEVED * rate;
    }

    private void printRun(final StackRun run)
    {
        final GeneratorResult r = run.result();
        final Figures f = Figures.of(r.histogram());
        out.println("  " + run.setup());
        out.printf(Locale.ROOT, "    %s%n", f.line());
        out.printf(Locale.ROOT, "    throughput %,.0f msg/s; %,d requests measured over %.1f s (%,d sent in all, %,d replies); "
                + "unanswered %,d, wrong decisions %,d, unexpected replies %,d%n",
            r.throughputPerS(), r.measuredRequests(), r.measuredSeconds(), r.sent(), r.replies(), r.unanswered(), r.wrongDecisions(),
            r.unexpectedReplies());
        if (r.unanswered() > 0)
        {
            out.println("    (unanswered requests are in the histogram with the time they had waited when the run gave up: a lower bound)");
        }
        if (r.rate() > 0)
        {
            out.println("    how late the generator sent (its own share of the machine, or the stack not taking input): " + Figures.of(r.sendLagNs()).line());
        }
        if (run.inNodeNs() != null)
        {
            out.println("    inside the node, ingress stamp to egress publication, after the warmup: " + Figures.of(run.inNodeNs()).line());
        }
        out.println("    " + run.notes());
        out.flush();
    }

    private String describeSchedule(final E2eBenchmark.Settings settings)
    {
        if (settings.rate() == 0)
        {
            return String.format(Locale.ROOT, "as fast as it goes (at most %,d in flight) for %.1f s after %.1f s warmup",
                settings.window(), settings.durationMs() / 1000.0, settings.warmupMs() / 1000.0);
        }
        return String.format(Locale.ROOT, "%,d msg/s for %.1f s after %.1f s warmup", settings.rate(), settings.durationMs() / 1000.0,
            settings.warmupMs() / 1000.0);
    }

    private String title(final E2eBenchmark.Settings settings)
    {
        final String what = settings.rate() == 0 ? "saturating" : String.format(Locale.ROOT, "%,d msg/s", settings.rate());
        return "Round trip by percentile, " + what + ", node over Aeron " + settings.transport().label() + ", journaling "
            + (settings.journaling() ? "on" : "off");
    }

    private static String subtitle()
    {
        return MachineInfo.describe() + "; load average " + MachineInfo.loadAverage() + "; " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private Map<String, Object> settingsJson(final E2eBenchmark.Settings settings)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("rate", settings.rate());
        map.put("warmupS", settings.warmupMs() / 1000.0);
        map.put("durationS", settings.durationMs() / 1000.0);
        map.put("drainS", settings.drainMs() / 1000.0);
        map.put("transport", settings.transport().label());
        map.put("journaling", settings.journaling());
        map.put("journalPretouch", settings.pretouch());
        map.put("threading", threading.toLowerCase(Locale.ROOT));
        map.put("idle", settings.idleStrategy());
        map.put("conventionalFsync", settings.fsync());
        if (throughput)
        {
            map.put("window", settings.window());
        }
        if (step)
        {
            map.put("rates", rates);
        }
        return map;
    }

    private String command()
    {
        final List<String> args = spec.commandLine().getParseResult().originalArgs();
        final int at = args.indexOf("e2e");
        return ("bin/city bench e2e " + String.join(" ", at >= 0 ? args.subList(at + 1, args.size()) : args)).strip();
    }

    private void log(final String line)
    {
        spec.commandLine().getErr().println("  " + line);
        spec.commandLine().getErr().flush();
    }
}
