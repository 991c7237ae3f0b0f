package kr.sejong.city.adapters.twin.traci;

import kr.sejong.city.adapters.twin.TwinTesting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting, watching and stopping a real SUMO. */
class SumoProcessTest
{
    @TempDir
    Path dir;

    @BeforeAll
    static void sumoInstalled()
    {
        TwinTesting.requireSumo();
    }

    @Test
    void startsOnAFreePortAndStopsAtClose()
    {
        final SumoProcess first;
        try (SumoProcess sumo = SumoProcess.start(new SumoProcess.Context()
            .configFile(TwinTesting.scenarioConfig("single-intersection")).seed(7).logDir(dir)))
        {
            first = sumo;
            assertTrue(sumo.isAlive());
            assertTrue(sumo.port() > 0);
            assertTrue(sumo.command().containsAll(java.util.List.of("--remote-port", Integer.toString(sumo.port()), "--seed", "7",
                "--xml-validation", "never", "--no-step-log")), sumo.command().toString());
            try (SumoProcess second = SumoProcess.start(new SumoProcess.Context()
                .configFile(TwinTesting.scenarioConfig("single-intersection")).logDir(dir).logName("second")))
            {
                assertNotEquals(sumo.port(), second.port(), "each SUMO gets a port of its own");
                second.client().simulationStep();
            }
            sumo.client().simulationStep(5);
            assertEquals(5.0, sumo.client().simulationTime());
            assertTrue(Files.exists(sumo.stdoutFile()) && Files.exists(sumo.stderrFile()));
        }
        assertFalse(first.isAlive(), "SUMO stopped at close");
    }

    @Test
    void aMissingSumoSaysHowToInstallIt()
    {
        final SumoNotInstalledException missing = assertThrows(SumoNotInstalledException.class,
            () -> SumoProcess.start(new SumoProcess.Context().binary("sumo-that-is-not-installed").logDir(dir)));
        assertTrue(missing.getMessage().contains("sumo-that-is-not-installed"), missing.getMessage());
        assertTrue(missing.getMessage().contains("apt-get install -y sumo sumo-tools"), missing.getMessage());
        assertThrows(SumoNotInstalledException.class, () -> SumoProcess.resolveBinary("/nowhere/sumo"));
    }

    @Test
    void sumoFailingAtStartIsReportedWithItsStderr() throws Exception
    {
        final Path config = dir.resolve("broken.sumocfg");
        Files.writeString(config, "<configuration><input><net-file value=\"missing.net.xml\"/></input></configuration>");
        final SumoException died = assertThrows(SumoException.class,
            () -> SumoProcess.start(new SumoProcess.Context().configFile(config).logDir(dir)));
        assertTrue(died.getMessage().startsWith("SUMO died"), died.getMessage());
        assertTrue(died.stderrTail().contains("missing.net.xml"), died.stderrTail());
    }

    @Test
    void sumoDyingMidRunIsReportedWithItsStderr()
    {
        try (SumoProcess sumo = SumoProcess.start(new SumoProcess.Context()
            .configFile(TwinTesting.scenarioConfig("single-intersection")).logDir(dir)))
        {
            // SUMO quits on a signal state of the wrong length
            final TraciException lost = assertThrows(TraciException.class, () -> sumo.client().setTrafficLightState("t", "GG"));
            final SumoException died = sumo.failure(lost.getMessage(), lost);
            assertTrue(died.getMessage().startsWith("SUMO died"), died.getMessage());
            assertTrue(died.getMessage().contains("Mismatching phase size"), died.getMessage());
            assertFalse(sumo.isAlive());
        }
    }
}
