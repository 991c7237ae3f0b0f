package kr.sejong.city.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/city}: the one executable of Sejong City Control.
 */
@Command(
    name = "city",
    mixinStandardHelpOptions = true,
    versionProvider = CityCli.Version.class,
    description = {
        "Sejong City Control: the real-time control node for the smart city's traffic, energy and emergency centers, with a journal that replays every decision.",
        "" },
    subcommands = { RunCommand.class, StatusCommand.class, JournalCommand.class, ReplayCommand.class, SnapshotCommand.class, TwinCommand.class, SimulateCommand.class, BenchCommand.class,
        AuditCommand.class, ExportEventsCommand.class, GatewayKeyCommand.class, CommandLine.HelpCommand.class },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = { "0:success", "1:failure while running", "2:bad input (arguments, configuration, data directory)" })
public final class CityCli
{
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /** Run a command line and return its exit code. */
    public static int execute(final String... args)
    {
        return execute(null, null, args);
    }

    /** Run a command line with its output going to the given writers (null: standard out and err). */
    public static int execute(final java.io.PrintWriter out, final java.io.PrintWriter err, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new CityCli()).setCaseInsensitiveEnumValuesAllowed(true);
        if (out != null)
        {
            commandLine.setOut(out);
        }
        if (err != null)
        {
            commandLine.setErr(err);
        }
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            if (ex instanceof BadInputException)
            {
                cmd.getErr().println("city: " + ex.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            cmd.getErr().println("city: " + ex);
            ex.printStackTrace(cmd.getErr());
            return ExitCodes.FAILURE;
        });
        commandLine.setParameterExceptionHandler((ex, cmdArgs) ->
        {
            ex.getCommandLine().getErr().println("city: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return ExitCodes.BAD_INPUT;
        });
        return commandLine.execute(args);
    }

    /** Version from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = CityCli.class.getPackage().getImplementationVersion();
            return new String[]{ "Sejong City Control " + (version != null ? version : "(development build)") };
        }
    }
}
