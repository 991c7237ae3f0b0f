package kr.sejong.city.adapters.twin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The programs that hold SUMO's own actuated controllers to our safety floor, built from the scenarios' real networks and
 * read back the way SUMO reads them.
 */
class SumoReferenceProgramsTest
{
    private static final Pattern LOGIC = Pattern.compile("<tlLogic id=\"([^\"]+)\" type=\"([^\"]+)\" programID=\"([^\"]+)\"[^>]*>(.*?)</tlLogic>",
        Pattern.DOTALL);
    private static final Pattern PHASE = Pattern.compile(
        "<phase duration=\"([^\"]+)\" minDur=\"([^\"]+)\" maxDur=\"([^\"]+)\" state=\"([^\"]+)\"/>");

    @TempDir
    Path tmp;

    private record Phase(double durationS, double minS, double maxS, String state)
    {
    }

    private static List<TrafficLight> lights(final String scenario)
    {
        return NetworkModel.load(SumoConfigFile.read(TwinTesting.scenarioConfig(scenario)).netFile()).trafficLights();
    }

    private static List<Phase> phases(final String xml, final String lightId, final String type)
    {
        final Matcher logic = LOGIC.matcher(xml);
        while (logic.find())
        {
            if (logic.group(1).equals(lightId))
            {
                assertEquals(type, logic.group(2));
                assertEquals(SumoReferencePrograms.PROGRAM_ID, logic.group(3));
                final List<Phase> phases = new ArrayList<>();
                final Matcher phase = PHASE.matcher(logic.group(4));
                while (phase.find())
                {
                    phases.add(new Phase(Double.parseDouble(phase.group(1)), Double.parseDouble(phase.group(2)),
                        Double.parseDouble(phase.group(3)), phase.group(4)));
                }
                return phases;
            }
        }
        throw new AssertionError("no program for light " + lightId + " in\n" + xml);
    }

    @Test
    void everyGreenOfTheOwnProgramIsFollowedByOurYellowAndAllRedInsteadOfItsOwnClearance()
    {
        // single-intersection's own program: GGrr 42 s, yyrr 2 s, rrGG 42 s, rryy 2 s (2 s yellows, no all-red)
        final List<TrafficLight> lights = lights("single-intersection");
        final String xml = SumoReferencePrograms.additionalFile(lights, SumoReferencePrograms.Type.DELAY_BASED, 5000, 3000, 2000, 60000);
        final List<Phase> phases = phases(xml, lights.get(0).id(), "delay_based");
        assertEquals(List.of(
            new Phase(5, 5, 60, "GGrr"), new Phase(3, 3, 3, "yyrr"), new Phase(2, 2, 2, "rrrr"),
            new Phase(5, 5, 60, "rrGG"), new Phase(3, 3, 3, "rryy"), new Phase(2, 2, 2, "rrrr")), phases);
    }

    @Test
    void onEveryLightOfEveryScenarioAGreenIsLostOnlyThroughOurYellowAndAllRedAndKeptGreensStay()
    {
        for (final String scenario : new String[] {"single-intersection", "grid2x2", "grid4x4-lucas", "sejong-ring"})
        {
            final List<TrafficLight> lights = lights(scenario);
            final String xml = SumoReferencePrograms.additionalFile(lights, SumoReferencePrograms.Type.ACTUATED, 5000, 3000, 2000, 60000);
            for (final TrafficLight light : lights)
            {
                final List<Phase> phases = phases(xml, light.id(), "actuated");
                final int greens = SumoReferencePrograms.greenStates(light).size();
                assertEquals(3 * greens, phases.size(), scenario + " " + light.id());
                for (int p = 0; p < phases.size(); p += 3)
                {
                    final Phase green = phases.get(p);
                    final Phase yellow = phases.get(p + 1);
                    final Phase allRed = phases.get(p + 2);
                    final Phase next = phases.get((p + 3) % phases.size());
                    final String where = scenario + " " + light.id() + " phase " + p;
                    assertEquals(5.0, green.minS(), where);
                    assertEquals(60.0, green.maxS(), where);
                    assertEquals(3.0, yellow.durationS(), where);
                    assertEquals(3.0, yellow.minS(), where);
                    assertEquals(3.0, yellow.maxS(), where);
                    assertEquals(2.0, allRed.durationS(), where);
                    assertFalse(green.state().contains("y"), where);
                    for (int i = 0; i < green.state().length(); i++)
                    {
                        final boolean wasGreen = SafetyCheck.aspect(green.state().charAt(i)) == SafetyCheck.GREEN;
                        final boolean staysGreen = wasGreen && SafetyCheck.aspect(next.state().charAt(i)) == SafetyCheck.GREEN;
                        final char expectedYellow = staysGreen ? green.state().charAt(i) : wasGreen ? 'y' : 'r';
                        final char expectedAllRed = staysGreen ? green.state().charAt(i) : 'r';
                        assertEquals(expectedYellow, yellow.state().charAt(i), where + " link " + i);
                        assertEquals(expectedAllRed, allRed.state().charAt(i), where + " link " + i);
                    }
                }
            }
        }
    }

    @Test
    void theGreensAreTheOwnProgramsInItsOwnOrder()
    {
        // grid2x2: four greens (two through, two protected left), each with its own 3 s yellow
        final TrafficLight light = lights("grid2x2").get(0);
        final List<String> greens = SumoReferencePrograms.greenStates(light);
        final List<String> own = new ArrayList<>();
        for (final TrafficLight.Phase phase : light.program().phases())
        {
            if (!phase.state().contains("y"))
            {
                own.add(phase.state());
            }
        }
        assertEquals(own, greens);
        assertEquals(4, greens.size());
    }

    @Test
    void aTimingBelowWhatSumoCanRunIsRefusedByNameAndALightWithOneGreenKeepsItsOwnProgram()
    {
        final List<TrafficLight> lights = lights("single-intersection");
        final TwinInputException timing = assertThrows(TwinInputException.class,
            () -> SumoReferencePrograms.additionalFile(lights, SumoReferencePrograms.Type.ACTUATED, 5000, 3000, 2000, 4000));
        assertTrue(timing.getMessage().contains("max green 4000 ms"), timing.getMessage());
        final TwinInputException yellow = assertThrows(TwinInputException.class,
            () -> SumoReferencePrograms.additionalFile(lights, SumoReferencePrograms.Type.ACTUATED, 5000, 500, 2000, 60000));
        assertTrue(yellow.getMessage().contains("yellow 500 ms"), yellow.getMessage());

        final TrafficLight own = lights.get(0);
        final TrafficLight oneGreen = own.withProgram(new TrafficLight.Program("0", "static", 0,
            List.of(new TrafficLight.Phase(30_000, 30_000, 30_000, "GGGG"))));
        final String xml = SumoReferencePrograms.additionalFile(List.of(oneGreen), SumoReferencePrograms.Type.ACTUATED, 5000, 3000, 2000, 60000);
        assertFalse(xml.contains("<tlLogic"), xml);
    }

    @Test
    void theScenariosOwnAdditionalFilesAreKnownSoThatARunCanKeepThem() throws IOException
    {
        Files.writeString(tmp.resolve("net.net.xml"), "<net/>");
        final Path config = tmp.resolve("s.sumocfg");
        Files.writeString(config, "<configuration><input><net-file value=\"net.net.xml\"/>"
            + "<additional-files value=\"detectors.add.xml, sub/stops.add.xml\"/></input></configuration>");
        assertEquals(List.of(tmp.resolve("detectors.add.xml"), tmp.resolve("sub/stops.add.xml")), SumoConfigFile.read(config).additionalFiles());
        assertEquals(List.of(), SumoConfigFile.read(TwinTesting.scenarioConfig("single-intersection")).additionalFiles());
    }
}
