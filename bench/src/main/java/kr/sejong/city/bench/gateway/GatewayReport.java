package kr.sejong.city.bench.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import kr.sejong.city.bench.e2e.GeneratorResult;
import kr.sejong.city.bench.e2e.MachineInfo;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON report of {@code bin/city bench gateway --report FILE} and its Markdown, made from the JSON alone
 * ({@link #markdown}) so that bench/RESULTS.md ({@code ResultsPage}) shows the same text from the same file. The
 * verdict on the target (1,000 ride requests per second, p99 under 10 ms to the 202, none failed) is
 * computed here from the measured figures.
 */
public final class GatewayReport
{
    /** Issue 11's target: p99 to the 202 under this, at {@link #TARGET_RATE} requests per second. */
    public static final double TARGET_P99_MS = 10.0;
    public static final int TARGET_RATE = 1000;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GatewayReport()
    {
    }

    /** Whether a run met the target: every measured request answered 202, at the rate asked, p99 under the target. */
    public static boolean met(final GeneratorResult r)
    {
        return r.measuredReplies() == r.measuredRequests() && r.unanswered() == 0 && r.wrongDecisions() == 0
            && r.histogram().getValueAtPercentile(99) / 1e6 < TARGET_P99_MS && r.throughputPerS() >= r.rate() * 0.95;
    }

    /**
     * Writes the report.
     *
     * @param gateway    the run against the gateway and the node.
     * @param bare       the baseline run against the bare HTTP server, or null.
     * @param setup      how the server, the generator and the baseline were set up, in words.
     * @param files      the .hgrm and .png files written, by name, relative to the report's folder.
     */
    public static void write(final Path file, final String command, final String date, final String loadBefore, final String loadAfter,
        final String serverJvm, final String setup, final GeneratorResult gateway, final GeneratorResult bare, final Map<String, String> files)
        throws IOException
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("date", date);
        json.put("loadAverageBefore", loadBefore);
        json.put("loadAverageAfter", loadAfter);
        final Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", MachineInfo.cpu());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("jdk", MachineInfo.jdk());
        machine.put("serverJvm", serverJvm);
        json.put("machine", machine);
        json.put("setup", setup);
        json.put("rate", gateway.rate());
        json.put("gateway", run(gateway));
        if (bare != null)
        {
            json.put("bareHttp", run(bare));
        }
        json.put("files", files);
        json.put("targetMet", gateway.rate() == TARGET_RATE ? met(gateway) : null);
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), json);
    }

    private static Map<String, Object> run(final GeneratorResult r)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("measuredSeconds", r.measuredSeconds());
        out.put("requests", r.measuredRequests());
        out.put("answered202", r.measuredReplies());
        out.put("answeredOtherwiseOrFailed", r.wrongDecisions());
        out.put("unanswered", r.unanswered());
        out.put("throughputPerS", r.throughputPerS());
        out.put("latencyUs", percentiles(r.histogram()));
        out.put("sendLagUs", percentiles(r.sendLagNs()));
        return out;
    }

    private static Map<String, Object> percentiles(final Histogram h)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final double p : new double[] {50, 90, 99, 99.9, 99.99})
        {
            out.put("p" + (p == Math.rint(p) ? Integer.toString((int)p) : Double.toString(p)), h.getValueAtPercentile(p) / 1000.0);
        }
        out.put("max", h.getMaxValue() / 1000.0);
        out.put("count", h.getTotalCount());
        return out;
    }

    /** The Markdown of a report: when, where, how, the target's verdict, both runs side by side, the plot. */
    public static String markdown(final JsonNode report, final String link)
    {
        final StringBuilder md = new StringBuilder();
        final JsonNode m = report.get("machine");
        md.append('`').append(report.get("command").asText()).append("` on ").append(report.get("date").asText())
            .append(", load average before ").append(report.get("loadAverageBefore").asText()).append(", after ")
            .append(report.get("loadAverageAfter").asText()).append(". Machine: ").append(m.get("cores").asInt()).append(" cores, `")
            .append(m.get("cpu").asText()).append("`, ").append(m.get("os").asText()).append(", JDK ").append(m.get("jdk").asText())
            .append("; server JVM ").append(m.get("serverJvm").asText()).append(".\n\n");
        md.append(report.get("setup").asText()).append("\n\n");
        final JsonNode gateway = report.get("gateway");
        final JsonNode bare = report.get("bareHttp");
        final JsonNode latency = gateway.get("latencyUs");
        md.append("| target | measured | met |\n| --- | --- | --- |\n");
        md.append(String.format(Locale.ROOT, "| %,d ride requests per second, p99 under %.0f ms to the 202, none failed | %,d of %,d answered 202 "
                + "(%,.0f/s), p99 %s | %s |%n%n", TARGET_RATE, TARGET_P99_MS, gateway.get("answered202").asLong(), gateway.get("requests").asLong(),
            gateway.get("throughputPerS").asDouble(), us(latency.get("p99").asDouble()),
            report.get("targetMet").isNull() ? "not measured at this rate" : report.get("targetMet").asBoolean() ? "yes" : "**no**"));
        md.append("| run | p50 | p90 | p99 | p99.9 | p99.99 | max | answered 202 | otherwise or failed | unanswered | generator send lag p99 |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        row(md, "gateway + node", gateway);
        if (bare != null)
        {
            row(md, "bare HTTP server (baseline)", bare);
            md.append(String.format(Locale.ROOT, "%ngateway / bare HTTP: p50 x %.2f, p99 x %.2f.%n",
                latency.get("p50").asDouble() / bare.get("latencyUs").get("p50").asDouble(),
                latency.get("p99").asDouble() / bare.get("latencyUs").get("p99").asDouble()));
        }
        final JsonNode files = report.get("files");
        if (files != null && files.has("plot"))
        {
            md.append("\n![").append(report.get("command").asText()).append("](").append(link).append('/').append(files.get("plot").asText())
                .append(")\n");
        }
        return md.toString();
    }

    private static void row(final StringBuilder md, final String name, final JsonNode run)
    {
        final JsonNode l = run.get("latencyUs");
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %,d | %,d | %,d | %s |%n", name, us(l.get("p50").asDouble()),
            us(l.get("p90").asDouble()), us(l.get("p99").asDouble()), us(l.get("p99.9").asDouble()), us(l.get("p99.99").asDouble()),
            us(l.get("max").asDouble()), run.get("answered202").asLong(), run.get("answeredOtherwiseOrFailed").asLong(),
            run.get("unanswered").asLong(), us(run.get("sendLagUs").get("p99").asDouble())));
    }

    private static String us(final double us)
    {
        return us >= 1000 ? String.format(Locale.ROOT, "%.2f ms", us / 1000) : String.format(Locale.ROOT, "%.0f us", us);
    }
}
