package kr.sejong.city.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest
{
    @TempDir
    Path tmp;

    @Test
    void helpListsEveryCommandAndEachCommandExplainsItsOptions()
    {
        final Cli help = Cli.run("--help");
        assertEquals(0, help.exitCode());
        for (final String command : new String[]{ "run", "status", "journal" })
        {
            assertTrue(help.out().contains(command), "top-level help lists " + command + ":\n" + help.out());
        }
        final Cli run = Cli.run("run", "--help");
        assertEquals(0, run.exitCode());
        for (final String option : new String[]{ "--duration", "--config", "--data", "--mode", "--no-simulator", "--seed" })
        {
            assertTrue(run.out().contains(option), "run --help explains " + option);
        }
        final Cli status = Cli.run("status", "--help");
        assertTrue(status.out().contains("--data") && status.out().contains("--watch"));
    }

    @Test
    void anUnknownOptionIsBadInput()
    {
        final Cli cli = Cli.run("run", "--bogus");
        assertEquals(2, cli.exitCode());
        assertTrue(cli.err().contains("--bogus"), cli.err());
    }

    @Test
    void statusOfADirectoryThatIsNotANodesSaysSo() throws IOException
    {
        final Path empty = Files.createDirectories(tmp.resolve("empty"));
        final Cli cli = Cli.run("status", "--data", empty.toString());
        assertEquals(2, cli.exitCode());
        assertTrue(cli.err().contains("no node status in " + empty), cli.err());
    }

    @Test
    void journalOfADirectoryWithoutOneSaysSo() throws IOException
    {
        final Path empty = Files.createDirectories(tmp.resolve("empty"));
        final Cli cli = Cli.run("journal", "--data", empty.toString());
        assertEquals(2, cli.exitCode());
        assertTrue(cli.err().contains("no ingress journal in " + empty), cli.err());
    }

    @Test
    void aNegativeDurationIsBadInput()
    {
        final Cli cli = Cli.run("run", "--duration", "-3", "--data", tmp.resolve("d").toString());
        assertEquals(2, cli.exitCode());
        assertTrue(cli.err().contains("--duration"), cli.err());
    }
}
