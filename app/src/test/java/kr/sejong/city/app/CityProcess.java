package kr.sejong.city.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code bin/city} run as a user runs it: a separate process, its output captured to files. */
final class CityProcess
{
    final Process process;
    final Path stdout;
    final Path stderr;

    private CityProcess(final Process process, final Path stdout, final Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static CityProcess start(final Path workDir, final String... args) throws IOException
    {
        final Path home = CityHome.home();
        final List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/city").toString());
        command.addAll(List.of(args));
        final Path stdout = Files.createTempFile(workDir, "city", ".out");
        final Path stderr = Files.createTempFile(workDir, "city", ".err");
        final ProcessBuilder builder = new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
        return new CityProcess(builder.start(), stdout, stderr);
    }

    int waitFor(final int timeoutS) throws InterruptedException
    {
        if (!process.waitFor(timeoutS, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("bin/city did not finish within " + timeoutS + " s; output:\n" + out() + "\n" + err());
        }
        return process.exitValue();
    }

    String out()
    {
        return read(stdout);
    }

    String err()
    {
        return read(stderr);
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
    }
}
