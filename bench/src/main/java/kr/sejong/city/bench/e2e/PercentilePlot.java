package kr.sejong.city.bench.e2e;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PNG of latency by percentile, drawn as HdrHistogram's plotter draws it: the x axis is
 * {@code 1 / (1 - percentile)} on a log scale, so 90 %, 99 %, 99.9 %, 99.99 % ... are equally spaced and the
 * tail gets the room; the y axis (latency) is logarithmic too, so that a stack answering in microseconds
 * and one answering in seconds fit on one picture. Java2D in headless mode; no dependency.
 */
public final class PercentilePlot
{
    static
    {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 720;
    private static final int LEFT = 96;
    private static final int RIGHT = 36;
    private static final int HEADER = 64;
    private static final int LEGEND_ROW = 20;
    private static final int BOTTOM = 76;
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0x7f7f7f), new Color(0xbcbd22) };

    /** One line of the plot: a name and a latency histogram in ns. */
    public record Series(String name, Histogram histogramNs)
    {
    }

    private PercentilePlot()
    {
    }

    public static void write(final Path png, final String title, final String subtitle, final List<Series> series) throws IOException
    {
        write(png, title, subtitle, "round-trip latency (log scale)", series);
    }

    /** The same with another title of the y axis (a one-way latency, say). */
    public static void write(final Path png, final String title, final String subtitle, final String yTitle, final List<Series> series)
        throws IOException
    {
        final List<double[][]> points = new ArrayList<>();
        double maxDecades = 2;
        double minLog = Double.POSITIVE_INFINITY;
        double maxLog = Double.NEGATIVE_INFINITY;
        for (final Series s : series)
        {
            final double[][] xy = points(s.histogramNs());
            points.add(xy);
            if (s.histogramNs().getTotalCount() > 0)
            {
                maxDecades = Math.max(maxDecades, Math.ceil(Math.log10(s.histogramNs().getTotalCount())));
                for (final double[] p : xy)
                {
                    minLog = Math.min(minLog, p[1]);
                    maxLog = Math.max(maxLog, p[1]);
                }
            }
        }
        maxDecades = Math.min(maxDecades, 7);
        if (minLog > maxLog)
        {
            minLog = 0;
            maxLog = 1;
        }
        final double yLow = Math.floor(minLog);
        final double yHigh = Math.max(yLow + 1, Math.ceil(maxLog));

        final int top = HEADER + series.size() * LEGEND_ROW + 12; // the legend sits between the titles and the plot
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT + series.size() * LEGEND_ROW, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            final int plotW = WIDTH - LEFT - RIGHT;
            final int plotH = image.getHeight() - top - BOTTOM;

            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(title, LEFT, 32);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.DARK_GRAY);
            g.drawString(subtitle, LEFT, 54);

            // grid and axis labels
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            final FontMetrics metrics = g.getFontMetrics();
            for (int d = 0; d <= maxDecades; d++)
            {
                final int x = LEFT + (int)Math.round(d / maxDecades * plotW);
                g.setColor(new Color(0xdddddd));
                g.drawLine(x, top, x, top + plotH);
                g.setColor(Color.BLACK);
                final String label = percentileLabel(d);
                g.drawString(label, x - metrics.stringWidth(label) / 2, top + plotH + 18);
            }
            for (double y = yLow; y <= yHigh + 1e-9; y++)
            {
                final int py = top + plotH - (int)Math.round((y - yLow) / (yHigh - yLow) * plotH);
                g.setColor(new Color(0xdddddd));
                g.drawLine(LEFT, py, LEFT + plotW, py);
                g.setColor(Color.BLACK);
                final String label = Figures.human(Math.pow(10, y));
                g.drawString(label, LEFT - 8 - metrics.stringWidth(label), py + 4);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, top, plotW, plotH);
            final String xTitle = "percentile (x axis: 1 / (1 - percentile), log scale)";
            g.drawString(xTitle, LEFT + plotW / 2 - metrics.stringWidth(xTitle) / 2, top + plotH + 44);
            final AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yTitle, -(top + plotH / 2 + metrics.stringWidth(yTitle) / 2), 22);
            g.setTransform(saved);

            // the lines
            g.setClip(LEFT, top, plotW + 1, plotH + 1);
            for (int i = 0; i < series.size(); i++)
            {
                final double[][] xy = points.get(i);
                if (xy.length == 0)
                {
                    continue;
                }
                final Path2D.Double line = new Path2D.Double();
                for (int k = 0; k < xy.length; k++)
                {
                    final double px = LEFT + Math.min(xy[k][0], maxDecades) / maxDecades * plotW;
                    final double py = top + plotH - (xy[k][1] - yLow) / (yHigh - yLow) * plotH;
                    if (k == 0)
                    {
                        line.moveTo(px, py);
                    }
                    else
                    {
                        line.lineTo(px, py);
                    }
                }
                g.setColor(COLORS[i % COLORS.length]);
                g.setStroke(new BasicStroke(2.5f));
                g.draw(line);
            }
            g.setClip(null);

            // legend
            g.setStroke(new BasicStroke(2.5f));
            int legendY = HEADER + LEGEND_ROW;
            for (int i = 0; i < series.size(); i++)
            {
                g.setColor(COLORS[i % COLORS.length]);
                g.drawLine(LEFT, legendY - 4, LEFT + 28, legendY - 4);
                g.setColor(Color.BLACK);
                g.drawString(legend(series.get(i)), LEFT + 36, legendY);
                legendY += LEGEND_ROW;
            }
        }
        finally
        {
            g.dispose();
        }
        if (png.getParent() != null)
        {
            Files.createDirectories(png.getParent());
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static String legend(final Series s)
    {
        final Figures f = Figures.of(s.histogramNs());
        return s.name() + ": p50 " + Figures.human(f.p50Us()) + ", p99 " + Figures.human(f.p99Us())
            + ", p99.99 " + Figures.human(f.p9999Us()) + ", max " + Figures.human(f.maxUs());
    }

    /** "0%", "90%", "99%", "99.9%" ... for decade d of 1 / (1 - p). */
    static String percentileLabel(final int decade)
    {
        if (decade == 0)
        {
            return "0%";
        }
        if (decade == 1)
        {
            return "90%";
        }
        return "99" + (decade > 2 ? "." + "9".repeat(decade - 2) : "") + "%";
    }

    /** (log10(1 / (1 - p)), log10(latency in us)) along the histogram's percentile iteration. */
    private static double[][] points(final Histogram histogram)
    {
        final List<double[]> points = new ArrayList<>();
        if (histogram.getTotalCount() == 0)
        {
            return new double[0][];
        }
        final double lastX = Math.log10(histogram.getTotalCount()) + 0.3;
        for (final HistogramIterationValue value : histogram.percentiles(5))
        {
            final double p = value.getPercentileLevelIteratedTo() / 100.0;
            final double x = p >= 1.0 ? lastX : Math.min(lastX, Math.log10(1.0 / (1.0 - p)));
            final double us = Math.max(histogram.highestEquivalentValue(value.getValueIteratedTo()), 1) / 1000.0;
            points.add(new double[]{ x, Math.log10(Math.max(us, 0.1)) });
        }
        return points.toArray(new double[0][]);
    }
}
