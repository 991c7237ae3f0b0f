package kr.sejong.city.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code city simulate} with {@code kind: shuttle}: the wiring, bad scenarios and options. */
class SimulateShuttleTest
{
    static final Path WEEKDAY = CityHome.home().resolve("config/scenarios/shuttle-weekday.yaml");

    @TempDir
    Path tmp;

    @Test
    void aBadShuttleScenarioExitsWithCode2AndOneMessageNamingTheKey() throws IOException
    {
        final Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(WEEKDAY).replace("cancelShare: 0.05", "cancelShare: 5"));
        final Cli cli = Cli.run("simulate", "--scenario", bad.toString(), "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, cli.exitCode(), cli.err());
        assertTrue(cli.err().contains("demand.cancelShare must be between 0 and 1, was 5"), cli.err());
        assertEquals(1, cli.err().strip().lines().count(), cli.err());

        final Path tooMany = tmp.resolve("too-many.yaml");
        Files.writeString(tooMany, Files.readString(WEEKDAY).replace("initialSocPercent:", "fleet: { road: 1200 }\ninitialSocPercent:"));
        final Cli overlap = Cli.run("simulate", "--scenario", tooMany.toString(), "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, overlap.exitCode(), overlap.err());
        assertTrue(overlap.err().contains("the fleet it asks for does not fit the configuration") && overlap.err().contains("overlap"), overlap.err());
    }

    @Test
    void hoursBeyondTheScenarioAreRefusedAndTheHelpNamesTheKind()
    {
        final Cli cli = Cli.run("simulate", "--scenario", WEEKDAY.toString(), "--hours", "19");
        assertEquals(ExitCodes.BAD_INPUT, cli.exitCode());
        assertTrue(cli.err().contains("--hours must be above 0 and at most the scenario's 18.0, was 19.0"), cli.err());
        final Cli help = Cli.run("simulate", "--help");
        assertEquals(ExitCodes.OK, help.exitCode());
        assertTrue(help.out().contains("kind: shuttle runs a day of demand-responsive shuttle rides"), help.out());
    }
}
