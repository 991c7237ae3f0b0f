package kr.sejong.city.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a figure was measured on, and how busy it was: written next to every figure. */
public final class MachineInfo
{
    private MachineInfo()
    {
    }

    public static int cores()
    {
        return Runtime.getRuntime().availableProcessors();
    }

    public static String cpu()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // not Linux
        }
        return "unknown CPU";
    }

    public static String jdk()
    {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version", System.getProperty("java.version"));
    }

    /** The 1, 5 and 15 minute load averages (runnable threads, over all cores), or "unknown". */
    public static String loadAverage()
    {
        try
        {
            final String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }

    public static String describe()
    {
        return cores() + " cores, " + cpu() + ", " + jdk() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    public static Map<String, Object> asMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("cores", cores());
        map.put("cpu", cpu());
        map.put("jdk", jdk());
        map.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        map.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        return map;
    }
}
