package kr.sejong.city.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/city} on the packaged build, run as a new user would. */
class RunCommandIT
{
    private static final Pattern INPUTS = Pattern.compile("inputs journaled\\s+([\\d,]+)");

    @TempDir
    Path tmp;

    @Test
    void runForTenSecondsExitsZeroAndItsSummaryShowsInputsJournaled() throws Exception
    {
        final Path data = tmp.resolve("data");
        final CityProcess city = CityProcess.start(tmp, "run", "--duration", "10", "--data", data.toString());
        final int exit = city.waitFor(120);
        final String out = city.out();
        assertEquals(0, exit, "exit code; output:\n" + out + "\nerrors:\n" + city.err());
        assertTrue(out.contains("stopped cleanly"), out);
        final long inputs = inputsJournaled(out);
        assertTrue(inputs > 100, "the field simulator's input was journaled: " + inputs + "\n" + out);
        assertTrue(Files.isDirectory(data.resolve("journal/ingress")), "journal written");

        // and the journal it left is readable by another command
        final CityProcess journal = CityProcess.start(tmp, "journal", "--data", data.toString(), "--limit", "3");
        assertEquals(0, journal.waitFor(60), journal.err());
        assertTrue(journal.out().startsWith("0  t="), journal.out());
        assertTrue(journal.out().contains("ConfigSnapshot"), "the run's configuration comes first:\n" + journal.out());

        // and replaying it through fresh loops gives the recorded egress, byte for byte
        final CityProcess replay = CityProcess.start(tmp, "replay", "--data", data.toString(), "--verify");
        assertEquals(0, replay.waitFor(120), replay.out() + replay.err());
        assertTrue(replay.out().contains("verified:") && replay.out().contains("state digest"), replay.out());
    }

    @Test
    void statusReadsTheCountersOfARunningNodeAndSigtermStopsItCleanly() throws Exception
    {
        final Path data = tmp.resolve("data");
        final CityProcess city = CityProcess.start(tmp, "run", "--data", data.toString());
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            CityProcess status;
            while (true)
            {
                status = CityProcess.start(tmp, "status", "--data", data.toString());
                final int code = status.waitFor(60);
                if (code == 0 && status.out().contains(": running") && inputsJournaled(status.out()) > 0)
                {
                    break;
                }
                assertTrue(city.process.isAlive(), "bin/city run died:\n" + city.out() + city.err());
                assertTrue(System.nanoTime() < deadline, "status never showed a running node:\n" + status.out() + status.err());
                Thread.sleep(500);
            }
            final String page = status.out();
            for (final String line : new String[]{ "rejects", "journal", "egress", "longest duty cycle", "errors" })
            {
                assertTrue(page.contains(line), "status shows " + line + ":\n" + page);
            }
        }
        finally
        {
            city.process.destroy(); // SIGTERM
        }
        assertTrue(city.process.waitFor(60, TimeUnit.SECONDS), "stopped on SIGTERM");
        assertTrue(city.out().contains("stopped cleanly"), "SIGTERM drains and prints the summary:\n" + city.out() + city.err());

        final CityProcess after = CityProcess.start(tmp, "status", "--data", data.toString());
        assertEquals(0, after.waitFor(60));
        assertTrue(after.out().contains(": stopped"), after.out());
    }

    static long inputsJournaled(final String text)
    {
        final Matcher matcher = INPUTS.matcher(text);
        long last = -1;
        while (matcher.find())
        {
            last = Long.parseLong(matcher.group(1).replace(",", ""));
        }
        return last;
    }
}
