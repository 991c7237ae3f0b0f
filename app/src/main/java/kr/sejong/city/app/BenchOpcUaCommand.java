package kr.sejong.city.app;

import kr.sejong.city.bench.e2e.MachineInfo;
import kr.sejong.city.bench.opcua.OpcUaBenchmark;
import kr.sejong.city.bench.opcua.OpcUaReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

@Command(
    name = "opcua",
    mixinStandardHelpOptions = true,
    header = "OPC UA field devices through one adapter to Aeron: added latency, lost values, reconnection after server restarts.",
    description = {
        "In this JVM: an embedded Aeron media driver (ipc), a Milo field server hosting --items PV inverters (SignAndEncrypt "
            + "Basic256Sha256 and a user name, both sides trusting each other's certificate), the OPC UA client adapter with "
            + "--sampling-ms, and a plain subscription on the node's ingress stream.",
        "A feeder gives every item a new value every --update-ms (SourceTimestamp: its wall clock). First the same values go straight "
            + "to Aeron (the baseline), then through OPC UA. Measured: notification arrival in the adapter to receipt on Aeron "
            + "(the adapter's LatencyHook), feeder to receipt, values made against received per item; then --restarts server "
            + "restarts: server-up to ONLINE and to fresh values, a Setpoint sent while down (never to be applied) and one after "
            + "(applied once).",
        "Writes the JSON report, a .hgrm per latency, a PNG and a Markdown page (default folder: bench/results/opcua).",
        "" },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = { "0:the run completed (whatever the figures)", "1:the run failed", "2:bad arguments" })
final class BenchOpcUaCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--items", paramLabel = "N", defaultValue = "1000", description = "Monitored items, one PV inverter each (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--sampling-ms", paramLabel = "MS", defaultValue = "100",
        description = "The adapter's samplingMs: sampling and publishing interval (default: ${DEFAULT-VALUE}).")
    int samplingMs;

    @Option(names = "--update-ms", paramLabel = "MS", defaultValue = "1000",
        description = "Every item gets a new value this often; at least --sampling-ms (default: ${DEFAULT-VALUE}).")
    int updateMs;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "30", description = "Seconds measured, after the warmup (default: ${DEFAULT-VALUE}).")
    double durationS;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "5", description = "Seconds of the same flow first, not measured (default: ${DEFAULT-VALUE}).")
    double warmupS;

    @Option(names = "--restarts", paramLabel = "N", defaultValue = "5", description = "Server restarts after the measured flow (default: ${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--down-ms", paramLabel = "MS", defaultValue = "1000",
        description = "How long the server stays down at each restart (default: ${DEFAULT-VALUE}).")
    int downMs;

    @Option(names = "--baseline", paramLabel = "on|off", defaultValue = "on",
        description = "Run the straight-to-Aeron baseline first (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(names = "--report", paramLabel = "FILE",
        description = "The JSON report; the .hgrm, .png and .md go to its folder (default: bench/results/opcua/opcua-<items>-<update-ms>ms.json).")
    Path report;

    @Override
    public Integer call() throws Exception
    {
        if (!"on".equals(baseline) && !"off".equals(baseline))
        {
            throw new BadInputException("--baseline must be on or off, was '" + baseline + "'");
        }
        final OpcUaBenchmark.Settings settings;
        try
        {
            settings = new OpcUaBenchmark.Settings(items, samplingMs, updateMs, durationS, warmupS, restarts, downMs, "on".equals(baseline));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadInputException(ex.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        final Path reportFile = (report != null ? report
            : CityHome.home().resolve("bench").resolve("results").resolve("opcua").resolve("opcua-" + items + "-" + updateMs + "ms.json"))
            .toAbsolutePath();
        final String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        final String command = command();
        final String loadBefore = MachineInfo.loadAverage();
        out.println("bench opcua, " + date);
        out.println("  machine: " + MachineInfo.describe());
        out.println("  load average (1, 5, 15 min) before: " + loadBefore);
        out.println("  command: " + command);
        out.flush();

        final OpcUaBenchmark.Result result = OpcUaBenchmark.run(settings, this::log);
        final String loadAfter = MachineInfo.loadAverage();
        OpcUaReport.write(result, reportFile, command, date, loadBefore, loadAfter);
        final String base = reportFile.getFileName().toString().replaceFirst("\\.json$", "");
        out.println();
        out.println(Files.readString(reportFile.resolveSibling(base + ".md"), StandardCharsets.UTF_8));
        out.println("  load average after: " + loadAfter);
        out.println("  report: " + reportFile + " (and " + base + ".md, " + base + ".png, " + base + "-*.hgrm)");
        out.flush();
        return ExitCodes.OK;
    }

    private String command()
    {
        final List<String> args = spec.commandLine().getParseResult().originalArgs();
        final int at = args.indexOf("opcua");
        return ("bin/city bench opcua " + String.join(" ", at >= 0 ? args.subList(at + 1, args.size()) : args)).strip();
    }

    private void log(final String line)
    {
        spec.commandLine().getErr().println("  " + line);
        spec.commandLine().getErr().flush();
    }
}
