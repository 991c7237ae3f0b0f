package kr.sejong.city.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a figure was measured on, to print next to it. */
final class Machine
{
    private Machine()
    {
    }

    static String describe()
    {
        String cpu = "unknown CPU";
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // not Linux: keep "unknown CPU"
        }
        return String.format(Locale.ROOT, "%d cores, %s, %.0f GiB heap max, Java %s (%s), %s %s",
            Runtime.getRuntime().availableProcessors(), cpu, Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024),
            System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
            System.getProperty("os.arch"));
    }
}
