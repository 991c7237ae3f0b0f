package kr.sejong.city.bench.opcua;

import com.fasterxml.jackson.databind.JsonNode;
import kr.sejong.city.bench.e2e.E2eReport;
import kr.sejong.city.bench.e2e.Figures;
import kr.sejong.city.bench.e2e.MachineInfo;
import kr.sejong.city.bench.e2e.PercentilePlot;
import kr.sejong.city.bench.opcua.OpcUaBenchmark.Delivery;
import kr.sejong.city.bench.opcua.OpcUaBenchmark.Restart;
import kr.sejong.city.bench.opcua.OpcUaBenchmark.Result;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static kr.sejong.city.adapters.sim.ReportMaps.ordered;

/**
 * The files a run of {@code bin/city bench opcua} leaves next to its JSON report: a {@code .hgrm} per latency
 * (HdrHistogram's percentile distribution, microseconds), one PNG of them, and a Markdown page. The Markdown is
 * made from the JSON alone ({@link #markdown}), so that bench/RESULTS.md ({@code ResultsPage}) shows exactly the
 * same text from the same file; the verdicts on the targets are computed here from the measured figures.
 */
public final class OpcUaReport
{
    /** Issue target: added latency (notification to the SBE message on Aeron) p99 at most this. */
    public static final double TARGET_ADDED_P99_US = 5_000;
    /** Issue target: reconnection after a server restart within this, subscriptions restored. */
    public static final double TARGET_RECONNECT_MS = 5_000;
    /** The items and sampling the latency target is stated for. */
    public static final int TARGET_ITEMS = 1000;
    public static final int TARGET_SAMPLING_MS = 100;

    private OpcUaReport()
    {
    }

    /** Writes the JSON report, the .hgrm files, the PNG and the Markdown page; returns the JSON as written. */
    public static Map<String, Object> write(final Result r, final Path reportFile, final String command, final String date,
        final String loadBefore, final String loadAfter) throws IOException
    {
        final Path dir = reportFile.toAbsolutePath().getParent();
        final String name = reportFile.getFileName().toString();
        final String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;

        final Map<String, Histogram> latencies = new LinkedHashMap<>();
        latencies.put("adapterAdded", r.adapterAddedNs());
        latencies.put("arrivalToOffered", r.arrivalToOfferedNs());
        latencies.put("offeredToReceipt", r.offeredToReceiptNs());
        latencies.put("setToArrival", r.setToArrivalNs());
        latencies.put("endToEnd", r.endToEndNs());
        if (r.baselineDelivery() != null)
        {
            latencies.put("baselineEndToEnd", r.baselineNs());
        }
        final Map<String, Object> latencyJson = new LinkedHashMap<>();
        final Map<String, String> hgrms = new LinkedHashMap<>();
        final List<PercentilePlot.Series> series = new ArrayList<>();
        for (final Map.Entry<String, Histogram> e : latencies.entrySet())
        {
            latencyJson.put(e.getKey(), Figures.of(e.getValue()));
            final String hgrm = base + "-" + e.getKey() + ".hgrm";
            E2eReport.writeHgrm(dir.resolve(hgrm), e.getValue());
            hgrms.put(e.getKey(), hgrm);
            series.add(new PercentilePlot.Series(LABELS.get(e.getKey()), e.getValue()));
        }
        final String png = base + ".png";
        PercentilePlot.write(dir.resolve(png), String.format(Locale.ROOT, "OPC UA to Aeron: %,d items, sampling %d ms, a new value every %d ms",
                r.settings().items(), r.settings().samplingMs(), r.settings().updateMs()),
            MachineInfo.describe() + "; load average " + loadAfter + "; " + date, "latency (log scale)", series);

        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", "opcua");
        json.put("date", date);
        json.put("command", command);
        json.put("machine", MachineInfo.asMap());
        json.put("loadAverageBefore", loadBefore);
        json.put("loadAverageAfter", loadAfter);
        final Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("items", r.settings().items());
        settings.put("samplingMs", r.settings().samplingMs());
        settings.put("updateMs", r.settings().updateMs());
        settings.put("durationS", r.settings().durationS());
        settings.put("warmupS", r.settings().warmupS());
        settings.put("restarts", r.settings().restarts());
        settings.put("downMs", r.settings().downMs());
        settings.put("baseline", r.settings().baseline());
        json.put("settings", settings);
        json.put("setup", r.setup());
        json.put("latencyUs", latencyJson);
        final Histogram perMessage = r.framesPerMessage();
        json.put("notificationMessages", ordered("count", perMessage.getTotalCount(), "meanFrames", round1(perMessage.getMean()),
            "maxFrames", perMessage.getTotalCount() == 0 ? 0 : perMessage.getMaxValue()));
        json.put("delivery", r.delivery());
        json.put("notificationsPerS", Math.round(r.delivery().perSecond()));
        if (r.baselineDelivery() != null)
        {
            json.put("baselineDelivery", r.baselineDelivery());
        }
        final Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("seconds", round1(r.resources().seconds()));
        resources.put("allocatedMiBPerS", round1(r.resources().allocatedMiBPerS()));
        resources.put("allocatedBytesPerNotification", r.delivery().received() == 0 ? 0
            : Math.round((double)r.resources().allocatedBytes() / r.delivery().received()));
        resources.put("gcCount", r.resources().gcCount());
        resources.put("gcMillis", r.resources().gcMillis());
        resources.put("cpuCores", Math.round(r.resources().cpuCores() * 100) / 100.0);
        json.put("resources", resources);
        json.put("connect", ordered("allOnlineMs", Math.round(r.connectOnlineMs()), "everyItemFreshMs", Math.round(r.connectFreshMs())));
        json.put("restarts", r.restarts());
        json.put("staleSetpointsApplied", r.staleApplied());
        json.put("duplicatesAroundRestarts", r.reconnectDuplicates());
        final Map<String, Object> adapter = new LinkedHashMap<>();
        adapter.put("notifications", r.notifications());
        adapter.put("published", r.published());
        adapter.put("dropped", r.dropped());
        adapter.put("rejectedValues", r.rejected());
        adapter.put("connects", r.connects());
        adapter.put("reconnects", r.reconnects());
        adapter.put("sessionsLost", r.sessionsLost());
        adapter.put("commandsSent", r.commandsSent());
        adapter.put("commandsFailed", r.commandsFailed());
        adapter.put("commandsDropped", r.commandsDropped());
        json.put("adapterCounters", adapter);
        final Map<String, Object> subscriber = new LinkedHashMap<>();
        subscriber.put("unpairedFrames", r.unpaired());
        subscriber.put("mismatchedPairs", r.mismatched());
        subscriber.put("unknownFrames", r.unknownFrames());
        subscriber.put("statusOnline", r.statusOnline());
        subscriber.put("statusOffline", r.statusOffline());
        subscriber.put("statusInvalidValue", r.statusInvalid());
        subscriber.put("statusDegraded", r.statusDegraded());
        json.put("subscriber", subscriber);
        json.put("hgrm", hgrms);
        json.put("plot", png);
        json.put("markdown", base + ".md");

        E2eReport.writeJson(reportFile, json);
        final JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reportFile.toFile());
        Files.writeString(dir.resolve(base + ".md"), "# OPC UA benchmark\n\n" + markdown(node, "."), StandardCharsets.UTF_8);
        return json;
    }

    static final Map<String, String> LABELS = Map.of(
        "adapterAdded", "added by the adapter: notification arrival to receipt on Aeron",
        "arrivalToOffered", "notification arrival to offer done (the adapter's translation and offer)",
        "offeredToReceipt", "offer done to receipt (Aeron ipc, subscriber wake-up)",
        "setToArrival", "feeder set to notification arrival (server, publishing interval, security, TCP, Milo)",
        "endToEnd", "end to end: feeder set to receipt on Aeron",
        "baselineEndToEnd", "baseline: feeder set to receipt, straight to Aeron (no OPC UA)");

    private static double round1(final double v)
    {
        return Double.isNaN(v) ? 0 : Math.round(v * 10) / 10.0;
    }

    /** The verdicts, each {target, measured, met}. */
    public static List<String[]> targets(final JsonNode report)
    {
        final List<String[]> rows = new ArrayList<>();
        final JsonNode s = report.get("settings");
        final JsonNode added = report.get("latencyUs").get("adapterAdded");
        final JsonNode d = report.get("delivery");
        final boolean asStated = s.get("items").asInt() >= TARGET_ITEMS && s.get("samplingMs").asInt() == TARGET_SAMPLING_MS;
        final double p99 = added.get("p99Us").asDouble();
        rows.add(new String[] { String.format(Locale.ROOT, "%,d items at %d ms: added latency p99 at most %s", TARGET_ITEMS, TARGET_SAMPLING_MS,
            Figures.human(TARGET_ADDED_P99_US)),
            "p99 " + Figures.human(p99) + (asStated ? "" : String.format(Locale.ROOT, " (%,d items, %d ms: not the target's setting)",
                s.get("items").asInt(), s.get("samplingMs").asInt())),
            verdict(asStated && p99 <= TARGET_ADDED_P99_US) });
        final long lost = d.get("lost").asLong();
        final long duplicates = d.get("duplicates").asLong();
        rows.add(new String[] { "no lost notifications", String.format(Locale.ROOT, "%,d made, %,d received, %,d lost, %,d duplicates",
            d.get("made").asLong(), d.get("received").asLong(), lost, duplicates), verdict(lost == 0 && duplicates == 0) });
        final JsonNode restarts = report.get("restarts");
        if (restarts.size() > 0)
        {
            double worst = 0;
            boolean restored = true;
            boolean commands = report.get("staleSetpointsApplied").asLong() == 0;
            int freshOnce = 0;
            for (final JsonNode r : restarts)
            {
                final double all = r.get("freshAllMs").asDouble();
                restored &= all >= 0;
                worst = Math.max(worst, Math.max(all, r.get("onlineAllMs").asDouble()));
                commands &= r.get("staleApplied").asInt() == 0 && r.get("freshApplied").asInt() == 1;
                freshOnce += r.get("freshApplied").asInt() == 1 ? 1 : 0;
            }
            rows.add(new String[] { "reconnect after a server restart within " + Figures.human(TARGET_RECONNECT_MS * 1000)
                + ", subscriptions restored", String.format(Locale.ROOT, "%d restarts, worst: every device ONLINE and every item fresh %s after server-up%s",
                restarts.size(), Figures.human(worst * 1000), restored ? "" : " (a subscription was NOT restored)"),
                verdict(restored && worst <= TARGET_RECONNECT_MS) });
            rows.add(new String[] { "no duplicate commands", String.format(Locale.ROOT,
                "Setpoints sent while down applied after the restart: %d; Setpoints after reconnection applied exactly once: %d of %d",
                report.get("staleSetpointsApplied").asLong(), freshOnce, restarts.size()), verdict(commands) });
        }
        return rows;
    }

    private static String verdict(final boolean met)
    {
        return met ? "yes" : "**no**";
    }

    /** The run as Markdown (no title), from its JSON report; {@code link} is the report's folder as seen from the page. */
    public static String markdown(final JsonNode report, final String link)
    {
        final StringBuilder md = new StringBuilder();
        final JsonNode s = report.get("settings");
        final JsonNode m = report.get("machine");
        md.append('`').append(report.get("command").asText()).append("` on ").append(report.get("date").asText())
            .append(", load average before ").append(report.get("loadAverageBefore").asText()).append(", after ")
            .append(report.get("loadAverageAfter").asText()).append(". Machine: ").append(m.get("cores").asInt()).append(" cores, `")
            .append(m.get("cpu").asText()).append("`, ").append(m.get("os").asText()).append(", JDK ").append(m.get("jdk").asText())
            .append(".\n\n");
        md.append(report.get("setup").asText()).append(String.format(Locale.ROOT,
            ". %,d PV inverters, one monitored item each (ActivePowerW), sampling %d ms; every item a new value every %d ms; "
                + "%.0f s warmup, %.0f s measured; %d restarts, the server down %d ms each.%n%n",
            s.get("items").asInt(), s.get("samplingMs").asInt(), s.get("updateMs").asInt(), s.get("warmupS").asDouble(),
            s.get("durationS").asDouble(), s.get("restarts").asInt(), s.get("downMs").asInt()));

        md.append("| target | measured | met |\n| --- | --- | --- |\n");
        for (final String[] row : targets(report))
        {
            md.append("| ").append(row[0]).append(" | ").append(row[1]).append(" | ").append(row[2]).append(" |\n");
        }
        md.append('\n');

        md.append("| latency | p50 | p90 | p99 | p99.9 | max | count |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        final JsonNode lat = report.get("latencyUs");
        final JsonNode hgrm = report.get("hgrm");
        for (final String key : List.of("adapterAdded", "arrivalToOffered", "offeredToReceipt", "setToArrival", "endToEnd", "baselineEndToEnd"))
        {
            final JsonNode f = lat.get(key);
            if (f == null)
            {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| [%s](%s/%s) | %s | %s | %s | %s | %s | %,d |%n", LABELS.get(key), link,
                hgrm.get(key).asText(), Figures.human(f.get("p50Us").asDouble()), Figures.human(f.get("p90Us").asDouble()),
                Figures.human(f.get("p99Us").asDouble()), Figures.human(f.get("p999Us").asDouble()), Figures.human(f.get("maxUs").asDouble()),
                f.get("count").asLong()));
        }
        md.append('\n');
        final JsonNode base = lat.get("baselineEndToEnd");
        if (base != null && base.get("p99Us").asDouble() > 0)
        {
            md.append(String.format(Locale.ROOT, "Ratios of p99 to the baseline's (the same values straight to Aeron, same run): added by the adapter "
                    + "**%.2f x**, end to end **%.1f x**. ",
                lat.get("adapterAdded").get("p99Us").asDouble() / base.get("p99Us").asDouble(),
                lat.get("endToEnd").get("p99Us").asDouble() / base.get("p99Us").asDouble()));
        }
        final JsonNode msgs = report.get("notificationMessages");
        md.append(String.format(Locale.ROOT, "The adapter received %,d notification messages in the measured window, %.1f values each on average, "
            + "at most %,d: a value's arrival time is its message's, so the last values of a large message also wait for the translation of "
            + "those before them.%n%n", msgs.get("count").asLong(), msgs.get("meanFrames").asDouble(), msgs.get("maxFrames").asLong()));

        final JsonNode d = report.get("delivery");
        md.append(String.format(Locale.ROOT, "- Delivery, measured rounds: %,d rounds x %,d items = %,d values made, %,d received (%,.0f notifications/s), "
                + "%,d lost, %,d duplicates, %,d items that received nothing.%n",
            d.get("rounds").asLong(), s.get("items").asInt(), d.get("made").asLong(), d.get("received").asLong(),
            report.get("notificationsPerS").asDouble(), d.get("lost").asLong(), d.get("duplicates").asLong(), d.get("silentItems").asLong()));
        final JsonNode b = report.get("baselineDelivery");
        if (b != null)
        {
            md.append(String.format(Locale.ROOT, "- Baseline delivery: %,d made, %,d received, %,d lost, %,d duplicates.%n",
                b.get("made").asLong(), b.get("received").asLong(), b.get("lost").asLong(), b.get("duplicates").asLong()));
        }
        final JsonNode res = report.get("resources");
        md.append(String.format(Locale.ROOT, "- The whole JVM (field server, adapter, feeder and subscriber together) over the measured %.1f s: "
                + "%.2f cores of CPU, %.1f MiB/s allocated (%,d bytes per notification), %d GCs taking %d ms.%n",
            res.get("seconds").asDouble(), res.get("cpuCores").asDouble(), res.get("allocatedMiBPerS").asDouble(),
            res.get("allocatedBytesPerNotification").asLong(), res.get("gcCount").asLong(), res.get("gcMillis").asLong()));
        final JsonNode c = report.get("connect");
        md.append(String.format(Locale.ROOT, "- First connection (adapter started with the server up): every device ONLINE after %,d ms, every item's "
            + "first value after %,d ms.%n", c.get("allOnlineMs").asLong(), c.get("everyItemFreshMs").asLong()));
        final JsonNode a = report.get("adapterCounters");
        final JsonNode sub = report.get("subscriber");
        md.append(String.format(Locale.ROOT, "- Adapter counters at the end: %,d notifications, %,d frames published, %,d dropped, %,d values refused, "
                + "%d connects (%d reconnects), %d sessions lost, commands %d sent / %d failed / %d dropped. Subscriber: DeviceStatus ONLINE %,d, "
                + "OFFLINE %,d, INVALID_VALUE %,d, DEGRADED %,d; %,d frames not paired with the adapter's hook, %,d pairs out of order.%n",
            a.get("notifications").asLong(), a.get("published").asLong(), a.get("dropped").asLong(), a.get("rejectedValues").asLong(),
            a.get("connects").asLong(), a.get("reconnects").asLong(), a.get("sessionsLost").asLong(), a.get("commandsSent").asLong(),
            a.get("commandsFailed").asLong(), a.get("commandsDropped").asLong(), sub.get("statusOnline").asLong(), sub.get("statusOffline").asLong(),
            sub.get("statusInvalidValue").asLong(), sub.get("statusDegraded").asLong(), sub.get("unpairedFrames").asLong(),
            sub.get("mismatchedPairs").asLong()));
        md.append('\n');

        final JsonNode restarts = report.get("restarts");
        if (restarts.size() > 0)
        {
            md.append("Restarts (times from server-up, when `FieldServer.start` returned; the feeder sets every item at once on the new server):\n\n");
            md.append("| # | close | start | OFFLINE reported | first ONLINE | all ONLINE | first fresh value | every item fresh "
                + "| Setpoint while down | applied after restart | Setpoint after reconnect applied | its latency |\n");
            md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |\n");
            for (final JsonNode r : restarts)
            {
                md.append(String.format(Locale.ROOT, "| %d | %s | %s | %,d | %s | %s | %s | %s | %s | %d | %d | %s |%n", r.get("index").asInt(),
                    msText(r.get("closeMs").asDouble()), msText(r.get("startMs").asDouble()), r.get("offlineReported").asInt(),
                    msText(r.get("onlineFirstMs").asDouble()), msText(r.get("onlineAllMs").asDouble()), msText(r.get("freshFirstMs").asDouble()),
                    msText(r.get("freshAllMs").asDouble()), r.get("staleSetpointDropped").asBoolean() ? "dropped" : "**not dropped**",
                    r.get("staleApplied").asInt(), r.get("freshApplied").asInt(), msText(r.get("freshSetpointMs").asDouble())));
            }
            md.append(String.format(Locale.ROOT, "%nValues received twice around the restarts: %,d.%n%n", report.get("duplicatesAroundRestarts").asLong()));
        }
        md.append("![").append(report.get("command").asText()).append("](").append(link).append('/').append(report.get("plot").asText()).append(")\n");
        return md.toString();
    }

    private static String msText(final double ms)
    {
        return ms < 0 ? "**never**" : Figures.human(ms * 1000);
    }

    /** For the command's output: one line per latency. */
    public static List<String> lines(final Result r)
    {
        final List<String> lines = new ArrayList<>();
        final Delivery d = r.delivery();
        lines.add(String.format(Locale.ROOT, "delivery: %,d made, %,d received (%,.0f/s), %,d lost, %,d duplicates", d.made(), d.received(),
            d.perSecond(), d.lost(), d.duplicates()));
        for (final Restart restart : r.restarts())
        {
            lines.add(String.format(Locale.ROOT, "restart %d: every device ONLINE %s, every item fresh %s after server-up; Setpoint while down applied %d, "
                + "after reconnect applied %d", restart.index(), msText(restart.onlineAllMs()), msText(restart.freshAllMs()), restart.staleApplied(),
                restart.freshApplied()));
        }
        return lines;
    }
}
