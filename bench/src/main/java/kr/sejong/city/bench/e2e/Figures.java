package kr.sejong.city.bench.e2e;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * The percentiles a latency histogram (ns) is reported by, in microseconds. Values are HdrHistogram's
 * (3 significant digits): the highest value equivalent to the recorded ones at that percentile.
 */
public record Figures(long count, double p50Us, double p90Us, double p99Us, double p999Us, double p9999Us, double maxUs, double meanUs)
{
    public static Figures of(final Histogram histogram)
    {
        if (histogram.getTotalCount() == 0)
        {
            return new Figures(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Figures(
            histogram.getTotalCount(),
            us(histogram.getValueAtPercentile(50)),
            us(histogram.getValueAtPercentile(90)),
            us(histogram.getValueAtPercentile(99)),
            us(histogram.getValueAtPercentile(99.9)),
            us(histogram.getValueAtPercentile(99.99)),
            us(histogram.getMaxValue()),
            histogram.getMean() / 1000.0);
    }

    private static double us(final long ns)
    {
        return ns / 1000.0;
    }

    /** A latency in microseconds for people: "12.3 us", "4.56 ms", "2.10 s". */
    public static String human(final double us)
    {
        if (Double.isNaN(us))
        {
            return "-";
        }
        if (us < 1000)
        {
            return String.format(Locale.ROOT, us < 100 ? "%.1f us" : "%.0f us", us);
        }
        if (us < 1_000_000)
        {
            return String.format(Locale.ROOT, us < 10_000 ? "%.2f ms" : us < 100_000 ? "%.1f ms" : "%.0f ms", us / 1000);
        }
        final double s = us / 1_000_000;
        return String.format(Locale.ROOT, s < 10 ? "%.2f s" : s < 100 ? "%.1f s" : "%.0f s", s);
    }

    /** One line: p50 .. max. */
    public String line()
    {
        return String.format(Locale.ROOT, "p50 %s | p90 %s | p99 %s | p99.9 %s | p99.99 %s | max %s",
            human(p50Us), human(p90Us), human(p99Us), human(p999Us), human(p9999Us), human(maxUs));
    }
}
