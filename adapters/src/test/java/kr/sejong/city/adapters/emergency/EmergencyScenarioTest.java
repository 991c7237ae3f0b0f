package kr.sejong.city.adapters.emergency;

import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emergency scenario is read strictly, and the storm it describes is the same for the same seed. */
class EmergencyScenarioTest
{
    static final Path STORM = Path.of(System.getProperty("user.dir")).resolve("../config/scenarios/emergency-storm.yaml").normalize();
    static final CityConfig CITY = ConfigLoader.loadDefault().config();

    static String storm() throws IOException
    {
        return Files.readString(STORM, StandardCharsets.UTF_8);
    }

    static Stream<Arguments> bad()
    {
        return Stream.of(
            Arguments.of("kind: emergency", "kind: energy", "kind is 'energy'"),
            Arguments.of("seed: 20260312", "seed: 20260312\nsed: 1", "sed is not a scenario setting"),
            Arguments.of("hours: 2", "hours: 100", "hours must be between"),
            Arguments.of("start: \"22:30\"", "start: \"24:30\"", "start must be a time of day"),
            Arguments.of("class: fire,", "class: blaze,", "situations[2].class must be an event class"),
            Arguments.of("cameras: [18, 19, 20]", "cameras: [18, x, 20]", "situations[2].cameras[1] must be a whole number"),
            Arguments.of("line: \"112\"", "line: \"110\"", "situations[5].line must be 112 or 119"),
            Arguments.of("durationS: 240,", "durationS: 240, colour: red,", "situations[0].colour is not a scenario setting"),
            Arguments.of("id: shadow-light-29,", "id: tunnel-stop,", "situations[1].id 'tunnel-stop' is used twice"),
            Arguments.of("action: mark-false-alarm", "action: ignore", "actions[6].action must be acknowledge"),
            Arguments.of("situation: tunnel-stop, action: close", "situation: tunnel, action: close", "actions[3].situation 'tunnel' is not one of"),
            Arguments.of("afterS: 5 }", "}", "actions[0].afterS is missing"),
            Arguments.of("kind: unknown-camera", "kind: lost-camera", "badInputs[0].kind must be"),
            Arguments.of("perHour: 30", "perHour: lots", "background.perHour must be a number"),
            Arguments.of("videoPerHour: 60", "videoPerHour: -1", "random.videoPerHour must be between"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("bad")
    void aBadScenarioNamesTheField(final String find, final String replace, final String expected) throws IOException
    {
        final String text = storm();
        assertTrue(text.contains(find), "the storm has " + find);
        final String changed = text.replaceFirst(java.util.regex.Pattern.quote(find), java.util.regex.Matcher.quoteReplacement(replace));
        final EmergencyScenarioException ex = assertThrows(EmergencyScenarioException.class,
            () -> EmergencyScenario.parse("bad.yaml", changed.getBytes(StandardCharsets.UTF_8)));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
        assertTrue(ex.getMessage().startsWith("scenario bad.yaml"), ex.getMessage());
    }

    @Test
    void anUnknownCameraIsNamedWhenTheStormIsDrawn() throws IOException
    {
        final EmergencyScenario scenario = EmergencyScenario.parse("bad.yaml",
            storm().replace("cameras: [18, 19, 20]", "cameras: [18, 77, 20]").getBytes(StandardCharsets.UTF_8));
        final EmergencyScenarioException ex = assertThrows(EmergencyScenarioException.class, () -> new StormGenerator(CITY, scenario));
        assertTrue(ex.getMessage().contains("situations[2].cameras names camera 77"), ex.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameFramesAndLabels() throws IOException
    {
        final EmergencyScenario scenario = EmergencyScenario.load(STORM);
        final StormGenerator a = new StormGenerator(CITY, scenario);
        final StormGenerator b = new StormGenerator(CITY, scenario);
        assertTrue(a.frames().size() > 300, "a storm: " + a.frames().size());
        assertEquals(a.frames().size(), b.frames().size());
        for (int i = 0; i < a.frames().size(); i++)
        {
            assertEquals(a.frames().get(i).timeNs(), b.frames().get(i).timeNs());
            assertArrayEquals(a.frames().get(i).frame(), b.frames().get(i).frame(), "frame " + i);
            assertEquals(a.frames().get(i).situation(), b.frames().get(i).situation());
        }
        assertEquals(a.labels(), b.labels());
        assertEquals(List.copyOf(a.situations().values()), List.copyOf(b.situations().values()));

        final EmergencyScenario other = EmergencyScenario.parse("other.yaml",
            storm().replace("seed: 20260312", "seed: 7").getBytes(StandardCharsets.UTF_8));
        final StormGenerator c = new StormGenerator(CITY, other);
        final List<byte[]> first = new ArrayList<>();
        a.frames().forEach(t -> first.add(t.frame()));
        boolean differs = c.frames().size() != a.frames().size();
        for (int i = 0; !differs && i < a.frames().size(); i++)
        {
            differs = !java.util.Arrays.equals(first.get(i), c.frames().get(i).frame());
        }
        assertTrue(differs, "another seed, another storm");
    }

    @Test
    void theStormIsInTimeOrderAndLabelsEverySourceButTheBadInputs() throws IOException
    {
        final EmergencyScenario scenario = EmergencyScenario.load(STORM);
        final StormGenerator storm = new StormGenerator(CITY, scenario);
        long last = Long.MIN_VALUE;
        int bad = 0;
        for (final StormGenerator.Timed t : storm.frames())
        {
            assertTrue(t.timeNs() >= last, "time order");
            last = t.timeNs();
            if (t.badInput())
            {
                bad++;
                assertEquals(null, t.situation());
            }
            else
            {
                assertEquals(t.situation(), storm.labels().get(t.source()), t.source());
            }
        }
        assertEquals(3, bad, "unknown camera, confidence over 1000, outside the boundary (the unknown incident is the runner's)");
        assertEquals(4, storm.labels().entrySet().stream().filter(e -> e.getValue().equals("fire-shopping-street")).count(),
            "three cameras and a call");
        assertEquals(3, storm.labels().entrySet().stream().filter(e -> e.getValue().equals("tunnel-stop")).count(),
            "an event and two re-triggers");
        assertNotEquals(0, storm.situations().values().stream().filter(StormGenerator.Truth::falseAlarm).count());
    }
}
