package kr.sejong.city.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files an end-to-end run leaves: per stack the {@code .hgrm} (HdrHistogram's percentile
 * distribution, microseconds), the PNG plot, and the JSON report that bench/RESULTS.md is built from
 * ({@link ResultsPage}).
 */
public final class E2eReport
{
    private E2eReport()
    {
    }

    /** HdrHistogram's {@code outputPercentileDistribution} of a histogram in ns, values in microseconds. */
    public static void writeHgrm(final Path file, final Histogram histogramNs) throws IOException
    {
        createParent(file);
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8))
        {
            histogramNs.outputPercentileDistribution(out, 5, 1000.0);
        }
    }

    public static void writeJson(final Path file, final Object report) throws IOException
    {
        createParent(file);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
    }

    /** The figures of one stack's run, for the JSON report. */
    public static Map<String, Object> runJson(final E2eBenchmark.StackRun run, final String hgrmFile)
    {
        final GeneratorResult r = run.result();
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("stack", run.stack().label());
        map.put("setup", run.setup());
        map.put("rate", r.rate());
        map.put("measuredSeconds", r.measuredSeconds());
        map.put("latencyUs", Figures.of(r.histogram()));
        map.put("throughputPerS", Math.round(r.throughputPerS()));
        map.put("sent", r.sent());
        map.put("replies", r.replies());
        map.put("measuredRequests", r.measuredRequests());
        map.put("measuredReplies", r.measuredReplies());
        map.put("unanswered", r.unanswered());
        map.put("wrongDecisions", r.wrongDecisions());
        map.put("unexpectedReplies", r.unexpectedReplies());
        map.put("sendBackPressure", r.sendBackPressure());
        map.put("allAnswered", r.allAnswered());
        if (r.rate() > 0)
        {
            map.put("generatorSendLagUs", Figures.of(r.sendLagNs()));
        }
        map.put("notes", run.notes());
        if (run.inNodeNs() != null)
        {
            map.put("inNodeLatencyUs", Figures.of(run.inNodeNs()));
        }
        if (hgrmFile != null)
        {
            map.put("hgrm", hgrmFile);
        }
        return map;
    }

    private static void createParent(final Path file) throws IOException
    {
        if (file.toAbsolutePath().getParent() != null)
        {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
    }
}
