package kr.sejong.city.adapters.twin;

import kr.sejong.city.adapters.twin.traci.SumoProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Where the shared SUMO scenarios are, and the check that SUMO is installed, for the twin's tests. */
public final class TwinTesting
{
    private TwinTesting()
    {
    }

    /** Fail (not skip) with a clear message when SUMO is missing: bin/test installs it. */
    public static void requireSumo()
    {
        if (!SumoProcess.isInstalled())
        {
            fail("SUMO is not installed (no 'sumo' on the PATH): " + SumoProcess.INSTALL_HINT
                + " (bin/test installs it before running the tests)");
        }
    }

    /**
     * The SUMO scenarios kept in the repository (config/twin, found above the working directory), or
     * the folder the system property {@code city.scenarios} names.
     */
    public static Path scenarios()
    {
        final String property = System.getProperty("city.scenarios");
        if (property != null)
        {
            return Path.of(property);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve("config").resolve("twin");
            if (Files.isDirectory(candidate.resolve("single-intersection")))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        return fail("the SUMO scenarios (config/twin) were not found above " + Path.of("").toAbsolutePath()
            + "; set -Dcity.scenarios=DIR");
    }

    public static Path scenarioConfig(final String name)
    {
        final Path config = scenarios().resolve(name).resolve(name + ".sumocfg");
        if (!Files.isRegularFile(config))
        {
            fail("scenario config missing: " + config);
        }
        return config;
    }

    /** Run a SUMO tool (netgenerate, ...) and fail with its output when it does not succeed. */
    public static void run(final Path workDir, final String... command)
    {
        try
        {
            final List<String> cmd = new ArrayList<>(List.of(command));
            final Path log = Files.createTempFile(workDir, "tool-", ".log");
            final Process process = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish within 120 s");
            }
            if (process.exitValue() != 0)
            {
                fail(String.join(" ", cmd) + " failed (" + process.exitValue() + "): " + Files.readString(log));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
