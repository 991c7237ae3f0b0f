package kr.sejong.city.bench;

import kr.sejong.city.bench.e2e.GeneratorResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A load generator in a JVM of its own, so that its threads, allocation and garbage collections do not share a
 * heap and a collector with the system it measures. The benchmark's JVM starts it with {@code key=value}
 * arguments (its {@code main} reads them with {@link #arguments}); the generator writes a {@link GeneratorResult}
 * to the file given as {@code out=} and exits 0; what it prints goes to a log next to that file.
 */
public final class GeneratorProcess
{
    private final Process process;
    private final Path result;
    private final Path log;

    private GeneratorProcess(final Process process, final Path result, final Path log)
    {
        this.process = process;
        this.result = result;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} on this JVM's class path, with the node's flags ({@link JvmFlags}), {@code jvmOptions}
     * and {@code args} (each {@code key=value}); {@code out=DIR/generator-result.properties} is added.
     */
    public static GeneratorProcess start(final Class<?> mainClass, final List<String> jvmOptions, final List<String> args, final Path dir)
        throws IOException
    {
        final Path out = dir.resolve("generator-result.properties");
        final Path output = dir.resolve("generator.log");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(JvmFlags.FLAGS));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        command.add("out=" + out);
        return new GeneratorProcess(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start(), out, output);
    }

    /**
     * Waits at most {@code timeoutMs} for the generator and reads its result; what it printed, if anything, goes to
     * {@code log}. A generator that overstays is killed; one that failed is reported with its output.
     */
    public GeneratorResult await(final long timeoutMs, final Consumer<String> say) throws IOException, InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            throw new IOException("the load generator did not finish within " + timeoutMs + " ms; its output:\n" + read(log));
        }
        if (process.exitValue() != 0 || !Files.exists(result))
        {
            throw new IOException("the load generator failed (exit code " + process.exitValue() + "); its output:\n" + read(log));
        }
        final String said = read(log).strip();
        if (!said.isEmpty())
        {
            say.accept("load generator: " + said);
        }
        return GeneratorResult.read(result);
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * A generator's {@code key=value} arguments; anything else ends the JVM with exit code 2 and a message naming it.
     * Also makes the generator stop by itself when the JVM that started it is gone.
     */
    public static Map<String, String> arguments(final String name, final String[] argv)
    {
        final Map<String, String> args = new HashMap<>();
        for (final String arg : argv)
        {
            final int eq = arg.indexOf('=');
            if (eq < 1)
            {
                System.err.println(name + ": argument '" + arg + "' is not key=value");
                System.exit(2);
            }
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        exitWithParent(name);
        return args;
    }

    /**
     * A generator whose benchmark JVM died (killed, crashed) has nobody to report to: it stops within a fifth of
     * a second instead of loading the machine until its own deadline.
     */
    private static void exitWithParent(final String name)
    {
        final ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null)
        {
            return;
        }
        final Thread watch = new Thread(() ->
        {
            while (parent.isAlive())
            {
                try
                {
                    Thread.sleep(200);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
            System.err.println(name + ": the benchmark process " + parent.pid() + " is gone; stopping");
            Runtime.getRuntime().halt(3);
        }, "generator-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
    }
}
