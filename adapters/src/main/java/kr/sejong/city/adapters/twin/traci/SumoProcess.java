package kr.sejong.city.adapters.twin.traci;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A SUMO started by us for one TraCI client: {@code sumo -c CONFIG --remote-port P --seed N
 * --xml-validation never --no-step-log ...} on a free port of 127.0.0.1, connected to with retry until
 * it listens. SUMO's stdout and stderr go to files (in {@link Context#logDir}); {@link #stderrTail}
 * gives the end of stderr for error messages ({@link #failure}: "SUMO died: ..."). {@link #close()}
 * asks SUMO to end through TraCI, then waits a grace period, then destroys the process; a JVM shutdown
 * hook does the same if the JVM exits first, so no SUMO is left behind.
 */
public final class SumoProcess implements AutoCloseable
{
    /** How to install SUMO where it is missing; said in every "not installed" message. */
    public static final String INSTALL_HINT = "install it with: apt-get install -y sumo sumo-tools";
    private static final String HOST = "127.0.0.1";
    private static final int START_ATTEMPTS = 3;

    private final Context ctx;
    private final Process process;
    private final int port;
    private final Path stdoutFile;
    private final Path stderrFile;
    private final List<String> command;
    private final Thread shutdownHook;
    private TraciClient client;
    private TraciVersion version;
    private boolean closed;

    private SumoProcess(final Context ctx, final Process process, final int port, final List<String> command, final Path stdoutFile,
        final Path stderrFile)
    {
        this.ctx = ctx;
        this.process = process;
        this.port = port;
        this.command = List.copyOf(command);
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
        this.shutdownHook = new Thread(process::destroyForcibly, "sumo-process-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Start SUMO and connect to it. A port taken between our choosing and SUMO's binding is retried with
     * another port.
     *
     * @throws SumoNotInstalledException when there is no {@code sumo} to run.
     * @throws SumoException             when SUMO exits or does not listen in time (with its stderr).
     */
    public static SumoProcess start(final Context ctx)
    {
        ctx.conclude();
        final String binary = resolveBinary(ctx.binary());
        SumoException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++)
        {
            final int port = ctx.port() != 0 ? ctx.port() : freePort();
            final SumoProcess sumo = launch(ctx, binary, port, attempt);
            try
            {
                sumo.connect();
                return sumo;
            }
            catch (final SumoException ex)
            {
                sumo.close();
                last = ex;
                final boolean portTaken = ex.stderrTail().contains("bind") || ex.stderrTail().contains("Address already in use");
                if (!portTaken || ctx.port() != 0)
                {
                    throw ex;
                }
            }
        }
        throw last;
    }

    private static SumoProcess launch(final Context ctx, final String binary, final int port, final int attempt)
    {
        final List<String> command = new ArrayList<>();
        command.add(binary);
        if (ctx.configFile() != null)
        {
            command.add("-c");
            command.add(ctx.configFile().toAbsolutePath().toString());
        }
        command.add("--remote-port");
        command.add(Integer.toString(port));
        command.add("--seed");
        command.add(Long.toString(ctx.seed()));
        // the schemas cannot be fetched offline, and validation only slows loading down
        command.add("--xml-validation");
        command.add("never");
        command.add("--xml-validation.net");
        command.add("never");
        command.add("--no-step-log");
        command.add("true");
        command.add("--duration-log.disable");
        command.add("true");
        command.addAll(ctx.arguments());

        final String suffix = attempt == 1 ? "" : "-" + attempt;
        final Path stdout = ctx.logDir().resolve(ctx.logName() + suffix + ".stdout.log");
        final Path stderr = ctx.logDir().resolve(ctx.logName() + suffix + ".stderr.log");
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (ctx.workingDir() != null)
        {
            builder.directory(ctx.workingDir().toFile());
        }
        if (System.getenv("SUMO_HOME") == null)
        {
            // Debian's sumo warns on every start without it; its data lives next to the binary's prefix
            final Path share = Path.of(binary).toAbsolutePath().getParent().resolveSibling("share").resolve("sumo");
            if (Files.isDirectory(share))
            {
                builder.environment().put("SUMO_HOME", share.toString());
            }
        }
        try
        {
            return new SumoProcess(ctx, builder.start(), port, command, stdout, stderr);
        }
        catch (final IOException ex)
        {
            throw new SumoException("cannot start SUMO (" + String.join(" ", command) + "): " + ex.getMessage(), "", ex);
        }
    }

    private void connect()
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ctx.startTimeoutMs());
        IOException lastError = null;
        while (System.nanoTime() < deadlineNs)
        {
            if (!process.isAlive())
            {
                throw failure("SUMO exited with code " + process.exitValue() + " before it listened on port " + port, null);
            }
            try
            {
                client = TraciClient.connect(HOST, port, 1_000, ctx.readTimeoutMs());
            }
            catch (final IOException ex)
            {
                lastError = ex;
                sleep(50);
                continue;
            }
            try
            {
                // SUMO listens before it loads the scenario: the first answer tells whether loading worked
                version = client.getVersion();
                return;
            }
            catch (final TraciException ex)
            {
                throw failure("SUMO closed the connection while loading " + ctx.configFile(), ex);
            }
        }
        throw failure("SUMO did not listen on " + HOST + ":" + port + " within " + ctx.startTimeoutMs() + " ms", lastError);
    }

    /** What SUMO said it is, once connected. */
    public TraciVersion version()
    {
        return version;
    }

    /** The connected client. */
    public TraciClient client()
    {
        return client;
    }

    public int port()
    {
        return port;
    }

    /** The command line SUMO was started with. */
    public List<String> command()
    {
        return command;
    }

    public Path stdoutFile()
    {
        return stdoutFile;
    }

    public Path stderrFile()
    {
        return stderrFile;
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    public long pid()
    {
        return process.pid();
    }

    /** The last {@code maxLines} non-empty lines SUMO wrote to stderr, joined with newlines. */
    public String stderrTail(final int maxLines)
    {
        return tail(stderrFile, maxLines);
    }

    static String tail(final Path file, final int maxLines)
    {
        if (!Files.isRegularFile(file))
        {
            return "";
        }
        try
        {
            final Deque<String> lines = new ArrayDeque<>();
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
            {
                if (line.isBlank())
                {
                    continue;
                }
                lines.addLast(line);
                if (lines.size() > maxLines)
                {
                    lines.removeFirst();
                }
            }
            return String.join("\n", lines);
        }
        catch (final IOException | UncheckedIOException ex)
        {
            return "(stderr unreadable: " + ex.getMessage() + ")";
        }
    }

    /**
     * What went wrong, with SUMO's side of the story: "SUMO died: <stderr tail>" when the process has
     * ended (waiting briefly for it to finish dying), otherwise {@code what} with the stderr tail.
     */
    public SumoException failure(final String what, final Throwable cause)
    {
        try
        {
            process.waitFor(500, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final String tail = stderrTail(ctx.tailLines());
        final String sumoSide = tail.isEmpty() ? "(nothing on stderr, see " + stdoutFile + ")" : tail;
        if (!process.isAlive())
        {
            return new SumoException("SUMO died (exit code " + process.exitValue() + "): " + sumoSide
                + (what == null ? "" : "\n(while: " + what + ")"), tail, cause);
        }
        return new SumoException(what + "; SUMO stderr: " + sumoSide, tail, cause);
    }

    /** Ask SUMO to end (TraCI close), then destroy it if it has not exited within the grace period. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            if (client != null)
            {
                client.close();
            }
            if (!waitFor(ctx.stopGraceMs()))
            {
                process.destroy();
                if (!waitFor(ctx.stopGraceMs()))
                {
                    process.destroyForcibly();
                    waitFor(ctx.stopGraceMs());
                }
            }
        }
        finally
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException ignore)
            {
                // the JVM is shutting down: the hook runs anyway
            }
        }
    }

    private boolean waitFor(final long ms)
    {
        try
        {
            return process.waitFor(ms, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * The executable to run: {@code binary} itself when it names a path, else the first match on the
     * PATH.
     *
     * @throws SumoNotInstalledException naming the binary and how to install SUMO.
     */
    public static String resolveBinary(final String binary)
    {
        if (binary.contains(File.separator))
        {
            final File file = new File(binary);
            if (file.isFile() && file.canExecute())
            {
                return file.getAbsolutePath();
            }
            throw new SumoNotInstalledException("SUMO not found: '" + binary + "' is not an executable file; " + INSTALL_HINT);
        }
        final String path = System.getenv("PATH");
        if (path != null)
        {
            for (final String dir : path.split(File.pathSeparator))
            {
                if (dir.isEmpty())
                {
                    continue;
                }
                final File file = new File(dir, binary);
                if (file.isFile() && file.canExecute())
                {
                    return file.getAbsolutePath();
                }
            }
        }
        throw new SumoNotInstalledException("SUMO is not installed: no '" + binary + "' on the PATH; " + INSTALL_HINT);
    }

    /** Whether {@code sumo} can be found on the PATH. */
    public static boolean isInstalled()
    {
        try
        {
            resolveBinary(Context.BINARY_DEFAULT);
            return true;
        }
        catch (final SumoNotInstalledException ex)
        {
            return false;
        }
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST)))
        {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot find a free TCP port on " + HOST, ex);
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new SumoException("interrupted while waiting for SUMO", "", ex);
        }
    }

    /**
     * How to start SUMO; {@link #conclude()} fills in defaults and names a wrong setting.
     */
    public static final class Context
    {
        public static final String BINARY_DEFAULT = "sumo";
        public static final long SEED_DEFAULT = 42;
        public static final int START_TIMEOUT_MS_DEFAULT = 30_000;
        public static final int STOP_GRACE_MS_DEFAULT = 5_000;
        public static final int TAIL_LINES_DEFAULT = 10;

        private String binary = BINARY_DEFAULT;
        private Path configFile;
        private long seed = SEED_DEFAULT;
        private final List<String> arguments = new ArrayList<>();
        private Path logDir;
        private String logName = "sumo";
        private Path workingDir;
        private int port;
        private int startTimeoutMs = START_TIMEOUT_MS_DEFAULT;
        private int readTimeoutMs = TraciClient.READ_TIMEOUT_MS_DEFAULT;
        private int stopGraceMs = STOP_GRACE_MS_DEFAULT;
        private int tailLines = TAIL_LINES_DEFAULT;
        private boolean concluded;

        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            require(binary != null && !binary.isBlank(), "binary", "is required");
            if (configFile != null)
            {
                require(Files.isRegularFile(configFile), "configFile", "does not exist: " + configFile);
            }
            require(port >= 0 && port <= 65535, "port", "must be 0 (any free port) to 65535, was " + port);
            require(startTimeoutMs > 0, "startTimeoutMs", "must be positive");
            require(readTimeoutMs > 0, "readTimeoutMs", "must be positive");
            require(stopGraceMs > 0, "stopGraceMs", "must be positive");
            require(tailLines > 0, "tailLines", "must be positive");
            if (logDir == null)
            {
                try
                {
                    logDir = Files.createTempDirectory("sumo-");
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException("cannot create a directory for SUMO's logs", ex);
                }
            }
            else
            {
                try
                {
                    Files.createDirectories(logDir);
                }
                catch (final IOException ex)
                {
                    throw new IllegalArgumentException("SUMO setting 'logDir' cannot be created: " + logDir, ex);
                }
            }
            concluded = true;
            return this;
        }

        private static void require(final boolean condition, final String setting, final String problem)
        {
            if (!condition)
            {
                throw new IllegalArgumentException("SUMO setting '" + setting + "' " + problem);
            }
        }

        public String binary() { return binary; }
        /** The SUMO executable: a name looked up on the PATH (default "sumo") or a path. */
        public Context binary(final String binary) { this.binary = binary; return this; }
        public Path configFile() { return configFile; }
        /** The .sumocfg to run (passed with -c); may be null when the arguments say everything. */
        public Context configFile(final Path configFile) { this.configFile = configFile; return this; }
        public long seed() { return seed; }
        /** SUMO's random seed (--seed); default 42. */
        public Context seed(final long seed) { this.seed = seed; return this; }
        public List<String> arguments() { return arguments; }
        /** More command-line arguments, after ours (a later option wins in SUMO). */
        public Context arguments(final List<String> arguments) { this.arguments.clear(); this.arguments.addAll(arguments); return this; }
        public Context addArguments(final String... arguments) { this.arguments.addAll(List.of(arguments)); return this; }
        public Path logDir() { return logDir; }
        /** Where SUMO's stdout and stderr files go; default a new temporary directory. */
        public Context logDir(final Path logDir) { this.logDir = logDir; return this; }
        public String logName() { return logName; }
        /** File name stem of the log files (NAME.stdout.log, NAME.stderr.log); default "sumo". */
        public Context logName(final String logName) { this.logName = logName; return this; }
        public Path workingDir() { return workingDir; }
        /** SUMO's working directory (relative output paths land there); default ours. */
        public Context workingDir(final Path workingDir) { this.workingDir = workingDir; return this; }
        public int port() { return port; }
        /** A fixed TraCI port; default 0: a free one is chosen. */
        public Context port(final int port) { this.port = port; return this; }
        public int startTimeoutMs() { return startTimeoutMs; }
        /** How long SUMO may take to load and listen; default 30 s. */
        public Context startTimeoutMs(final int startTimeoutMs) { this.startTimeoutMs = startTimeoutMs; return this; }
        public int readTimeoutMs() { return readTimeoutMs; }
        /** How long one TraCI answer may take; default 120 s. */
        public Context readTimeoutMs(final int readTimeoutMs) { this.readTimeoutMs = readTimeoutMs; return this; }
        public int stopGraceMs() { return stopGraceMs; }
        /** How long SUMO gets to exit after close, and again after SIGTERM; default 5 s. */
        public Context stopGraceMs(final int stopGraceMs) { this.stopGraceMs = stopGraceMs; return this; }
        public int tailLines() { return tailLines; }
        /** Lines of stderr quoted in error messages; default 10. */
        public Context tailLines(final int tailLines) { this.tailLines = tailLines; return this; }
    }
}
