package kr.sejong.city.app;

import kr.sejong.city.replay.Replayer;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar for long runs: messages done, rate and time left. Redrawn in place on a terminal; on
 * a log, one line every 5 s.
 */
final class ProgressBar implements Replayer.Progress
{
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String what;
    private final boolean tty = System.console() != null;
    private long lastLineMs;
    private boolean drawn;

    ProgressBar(final PrintWriter out, final String what)
    {
        this.out = out;
        this.what = what;
    }

    @Override
    public void update(final long done, final long total, final double ratePerS)
    {
        final long now = System.currentTimeMillis();
        if (!tty && now - lastLineMs < 5000 && done < total)
        {
            return;
        }
        lastLineMs = now;
        final double fraction = total > 0 ? Math.min(1.0, (double)done / total) : 1.0;
        final int filled = (int)Math.round(fraction * WIDTH);
        final String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        final double etaS = ratePerS > 0 ? Math.max(0, total - done) / ratePerS : 0;
        final String line = String.format(Locale.ROOT, "%s [%s] %3.0f%%  %,d / %,d messages  %,.0f msg/s  %s left",
            what, bar, fraction * 100, done, total, ratePerS, eta(etaS));
        out.print(tty ? "\r" + line : line + System.lineSeparator());
        out.flush();
        drawn = true;
    }

    /** End the bar's line (on a terminal). */
    void finish()
    {
        if (tty && drawn)
        {
            out.println();
        }
    }

    private static String eta(final double seconds)
    {
        if (seconds < 60)
        {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        return String.format(Locale.ROOT, "%d min %02d s", (long)seconds / 60, (long)seconds % 60);
    }
}
