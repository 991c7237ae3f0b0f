package kr.sejong.city.adapters.mobility;

import kr.sejong.city.codecs.RideRejectReason;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shuttle scenarios are read strictly: each kind of mistake is one message naming the key. */
class ShuttleScenarioTest
{
    static final Path SCENARIOS = Path.of(System.getProperty("user.dir")).resolve("../config/scenarios").normalize();
    static final Path WEEKDAY = SCENARIOS.resolve("shuttle-weekday.yaml");

    static String weekday() throws IOException
    {
        return Files.readString(WEEKDAY, StandardCharsets.UTF_8);
    }

    static Stream<Arguments> bad()
    {
        return Stream.of(
            Arguments.of("kind: shuttle", "kind: emergency", "kind is 'emergency', this runs kind 'shuttle'"),
            Arguments.of("seed: 20260311", "seed: 20260311\nsed: 1", "sed is not a scenario setting"),
            Arguments.of("hours: 18 ", "hours: 0 ", "hours must be between 0.001 and 48, was 0"),
            Arguments.of("hours: 18 ", "hours: eighteen ", "hours must be a number, was 'eighteen'"),
            Arguments.of("start: \"06:00\"", "start: \"6 am\"", "start must be a time of day"),
            Arguments.of("date: 2026-03-11", "date: 2026-02-30", "date must be a date YYYY-MM-DD"),
            Arguments.of("drainMinutes: 30", "drainMinutes: 300", "drainMinutes must be between 0 and 240"),
            Arguments.of("peakPerHour: 300", "peakPerHour: -5", "demand.peakPerHour must be between 0 and"),
            Arguments.of("peakPerHour: 300", "perHour: 300", "demand.perHour is not a scenario setting"),
            Arguments.of("profile: [0.05,", "profile: [0.05, 0.05,", "demand.profile must have 24 numbers, has 25"),
            Arguments.of("0.85, 1.00, 0.65", "0.85, 1.50, 0.65", "demand.profile[8] must be a number between 0 and 1, was '1.5'"),
            Arguments.of("partySizes: [0.70, 0.20, 0.07, 0.03]", "partySizes: [0, 0]", "demand.partySizes must have a share above 0"),
            Arguments.of("wheelchairShare: 0.03", "wheelchairShare: 3", "demand.wheelchairShare must be between 0 and 1, was 3"),
            Arguments.of("pickupLeadS: { min: 120, max: 900 }", "pickupLeadS: { min: 900, max: 120 }", "demand.pickupLeadS.max must be at least min"),
            Arguments.of("pickupLeadS: { min: 120, max: 900 }", "pickupLeadS: { min: 0, max: 900 }", "demand.pickupLeadS.min must be at least 1"),
            Arguments.of("pickupLeadS: { min: 120, max: 900 }", "pickupLeadS: { min: 120 }", "demand.pickupLeadS.max is missing"),
            Arguments.of("morning: { brt: 0.65,", "morning: { bus: 0.65,", "demand.destinations.morning.bus is not a scenario setting"),
            Arguments.of("evening: { brt: 0.45, hotspot: 0.40, block: 0.15 }", "evening: { brt: 0, hotspot: 0, block: 0 }",
                "demand.destinations.evening must give a share above 0"),
            Arguments.of("travelTimeNoise: { min: 1.0, max: 1.25 }", "travelTimeNoise: { min: 1.0, max: 9 }", "travelTimeNoise.max must be between 0.5 and 5"),
            Arguments.of("initialSocPercent: { min: 70, max: 100 }", "initialSocPercent: { min: 70, max: 120 }",
                "initialSocPercent.max must be between 0 and 100"),
            Arguments.of("initialSocPercent:", "fleet: { road: 12, bus: 3 }\ninitialSocPercent:", "fleet.bus is not a scenario setting"),
            Arguments.of("initialSocPercent:", "fleet: { road: 2.5 }\ninitialSocPercent:", "fleet.road must be a whole number, was 2.5"),
            Arguments.of("kind: unknown-stop }", "kind: lost-stop }", "badInputs[0].kind must be unknown-stop, pickup-in-past"),
            Arguments.of("kind: pickup-in-past }", "kind: pickup-in-past, expect: too-early }",
                "badInputs[1].expect must be a rejection reason or same-answer (no-feasible-shuttle, unknown-stop"),
            Arguments.of("at: \"07:32\"", "at: \"7.32\"", "badInputs[2].at must be a time of day"),
            Arguments.of("demand:\n", "demands:\n", "demands is not a scenario setting"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("bad")
    void aBadScenarioNamesTheKey(final String find, final String replace, final String expected) throws IOException
    {
        final String text = weekday();
        assertTrue(text.contains(find), "the weekday has " + find);
        final String changed = text.replaceFirst(java.util.regex.Pattern.quote(find), java.util.regex.Matcher.quoteReplacement(replace));
        final ShuttleScenarioException ex = assertThrows(ShuttleScenarioException.class,
            () -> ShuttleScenario.parse("bad.yaml", changed.getBytes(StandardCharsets.UTF_8)));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
        assertTrue(ex.getMessage().startsWith("scenario bad.yaml"), ex.getMessage());
        assertEquals(1, ex.getMessage().lines().count(), ex.getMessage());
    }

    @Test
    void aMissingDemandAFileThatIsNotThereAndBrokenYamlAreNamed()
    {
        final ShuttleScenarioException noDemand = assertThrows(ShuttleScenarioException.class, () -> ShuttleScenario.parse("x.yaml",
            "kind: shuttle\ndate: 2026-03-11\nstart: \"06:00\"\nhours: 1\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("scenario x.yaml: demand is missing", noDemand.getMessage());
        final ShuttleScenarioException missing = assertThrows(ShuttleScenarioException.class,
            () -> ShuttleScenario.load(SCENARIOS.resolve("no-such.yaml")));
        assertTrue(missing.getMessage().endsWith("no-such.yaml not found"), missing.getMessage());
        final ShuttleScenarioException yaml = assertThrows(ShuttleScenarioException.class, () -> ShuttleScenario.parse("y.yaml",
            "kind: shuttle\ndemand: [\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(yaml.getMessage().startsWith("scenario y.yaml is not valid YAML"), yaml.getMessage());
    }

    @Test
    void theWeekdayReadsAsWrittenAndDefaultsFillTheRest() throws IOException
    {
        final ShuttleScenario weekday = ShuttleScenario.load(WEEKDAY);
        assertEquals("shuttle-weekday", weekday.name());
        assertEquals(LocalTime.of(6, 0), weekday.start());
        assertEquals(18, weekday.hours());
        assertEquals(300, weekday.demand().peakPerHour());
        assertEquals(1.0, weekday.demand().profileAt(8));
        assertEquals(0.65, weekday.demand().destinations().at(7.5).brt());
        assertEquals(0.55, weekday.demand().destinations().at(12).hotspot());
        assertTrue(weekday.fleet().isEmpty());
        assertEquals(5, weekday.badInputs().size());
        assertEquals(RideRejectReason.UNKNOWN_REQUEST, weekday.badInputs().get(4).expected(), "cancel-unknown expects unknown-request");

        assertNull(weekday.badInputs().get(3).expected(), "a retry of the same request gets the same answer");
        assertEquals("same-answer", weekday.badInputs().get(3).expectedText());
        final ShuttleScenario refused = ShuttleScenario.parse("s.yaml", weekday().replace("kind: duplicate-request }",
            "kind: duplicate-request, expect: duplicate-request }").getBytes(StandardCharsets.UTF_8));
        assertEquals(RideRejectReason.DUPLICATE_REQUEST, refused.badInputs().get(3).expected());

        final ShuttleScenario scale = ShuttleScenario.load(SCENARIOS.resolve("shuttle-scale-500.yaml"));
        assertEquals(Map.of(FleetGroup.Type.ROAD, 350, FleetGroup.Type.SIDEWALK, 150), scale.fleet());
        assertEquals(0.03, scale.demand().wheelchairShare(), "the default");
        assertEquals(List.of(0.70, 0.20, 0.07, 0.03), scale.demand().partySizes());
        assertEquals(1, scale.demand().profileAt(3.5));
        assertEquals(0, scale.withHours(0.5).badInputs().size());
        assertEquals(2, weekday.withHours(1.52).badInputs().size(), "07:30 and 07:31 are within the first 1.52 hours");
    }

    @Test
    void theFleetOverrideIsTheConfigurationWithOtherCountsValidatedAgain() throws IOException
    {
        final LoadedConfig city = ConfigLoader.loadDefault();
        assertSame(city, ShuttleScenario.load(WEEKDAY).applyFleet(city));
        final LoadedConfig big = ShuttleScenario.load(SCENARIOS.resolve("shuttle-scale-500.yaml")).applyFleet(city);
        assertEquals(350, big.config().mobility().fleet().get(0).count());
        assertEquals(150, big.config().mobility().fleet().get(1).count());
        assertEquals(city.config().mobility().stops(), big.config().mobility().stops());
        assertEquals(city.config().traffic(), big.config().traffic());

        final ShuttleScenario overlapping = ShuttleScenario.parse("o.yaml",
            weekday().replace("initialSocPercent:", "fleet: { road: 1500 }\ninitialSocPercent:").getBytes(StandardCharsets.UTF_8));
        final ShuttleScenarioException ex = assertThrows(ShuttleScenarioException.class, () -> overlapping.applyFleet(city));
        assertTrue(ex.getMessage().contains("overlap"), ex.getMessage());
    }
}
