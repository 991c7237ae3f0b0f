package kr.sejong.city.config;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One test per kind of bad configuration. Each writes a small variant of the default file into a
 * temporary directory and checks the path and the problem the error names.
 */
class ConfigErrorTest
{
    private static String defaultText;

    @TempDir
    Path dir;

    @BeforeAll
    static void readDefault() throws Exception
    {
        defaultText = Files.readString(Path.of("sejong-5-1.yaml"));
    }

    // ----------------------------------------------------------------------------------- the file

    @Test
    void missingFile()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("/no/such.yaml")));
        assertEquals("/no/such.yaml: file not found", ex.getMessage());
        assertEquals("/no/such.yaml", ex.file());
        assertEquals("", ex.path());
        assertEquals("file not found", ex.problem());
    }

    @Test
    void directoryInsteadOfFile()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
        assertEquals(dir + ": is a directory, not a file", ex.getMessage());
    }

    @Test
    void unreadableFile() throws Exception
    {
        final Path file = write(defaultText);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "running as a user who reads any file (root)");
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ": cannot read: permission denied", ex.getMessage());
    }

    @Test
    void missingClasspathResource()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.loadResource("config/none.yaml"));
        assertEquals("config/none.yaml", ex.file());
        assertTrue(ex.problem().contains("not found"), ex.getMessage());
    }

    @Test
    void emptyFile()
    {
        assertProblem("", "", "empty file: no configuration");
        assertProblem("# comments only\n\n", "", "empty file: no configuration");
        assertProblem("~\n", "", "empty file: the document is null");
    }

    @Test
    void notUtf8() throws Exception
    {
        final Path file = dir.resolve("binary.yaml");
        Files.write(file, new byte[] {(byte)0xff, (byte)0xfe, 'c', 'i', 't', 'y'});
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals("", ex.path());
        assertTrue(ex.problem().startsWith("not UTF-8 text: "), ex.getMessage());
    }

    @Test
    void notAMapping()
    {
        assertProblem("hello\n", "", "expected a mapping, got \"hello\"");
    }

    @Test
    void secondDocument()
    {
        final String text = defaultText + "---\ncity: {}\n";
        final int line = lineOf(text, "city: {}");
        assertProblem(text, "line " + line + ", column 1", "a second YAML document; a file holds one configuration");
    }

    // --------------------------------------------------------------------------------- YAML syntax

    @Test
    void yamlSyntax()
    {
        final String text = replaceOnce("  name: Sejong 5-1 Living Zone", "  name: Sejong: 5-1 Living Zone");
        final int colon = text.indexOf("Sejong: 5-1") + "Sejong".length();
        final ConfigException ex = failure(text);
        assertEquals("line " + lineOf(text, "Sejong: 5-1") + ", column " + columnOf(text, colon), ex.path());
        assertEquals("YAML syntax: mapping values are not allowed here", ex.problem());
        assertFalse(ex.getMessage().contains("\n"), "one line: " + ex.getMessage());
    }

    @Test
    void tabIndentation()
    {
        final String text = replaceOnce("  residents: 20000", "\tresidents: 20000");
        final ConfigException ex = failure(text);
        assertEquals("line " + lineOf(text, "\tresidents"), ex.path().substring(0, ex.path().indexOf(',')));
        assertTrue(ex.problem().startsWith("YAML syntax: "), ex.getMessage());
        assertTrue(ex.problem().contains("TAB"), ex.getMessage());
    }

    @Test
    void unterminatedQuote()
    {
        final ConfigException ex = failure(replaceOnce("callNumber: \"112\"", "callNumber: \"112"));
        assertTrue(ex.path().startsWith("line "), ex.getMessage());
        assertTrue(ex.problem().startsWith("YAML syntax: "), ex.getMessage());
    }

    @Test
    void duplicateKey()
    {
        final String text = replaceOnce("  areaKm2: 2.74", "  areaKm2: 2.74\n  areaKm2: 3");
        final ConfigException ex = failure(text);
        assertEquals("city.areaKm2", ex.path());
        assertEquals("duplicate key (again at line " + lineOf(text, "  areaKm2: 3") + ")", ex.problem());
    }

    @Test
    void duplicateKeyInsideAListEntry()
    {
        final ConfigException ex = failure(replaceOnce("{ id: 202, name: Complex B Rooftops,", "{ id: 202, id: 203, name: Complex B Rooftops,"));
        assertEquals("energy.pv[1].id", ex.path());
        assertTrue(ex.problem().startsWith("duplicate key"), ex.getMessage());
    }

    // ------------------------------------------------------------------------------------ unknown keys

    @Test
    void unknownKey()
    {
        final ConfigException ex = failure(replaceOnce("      name: Ring East (BRT)\n", "      name: Ring East (BRT)\n      bogus: 1\n"));
        assertEquals("traffic.intersections[2].bogus", ex.path());
        assertEquals("unknown key (known: id, name, kind, eastM, northM, approaches)", ex.problem());
    }

    @Test
    void unknownTopLevelKey()
    {
        final ConfigException ex = failure(defaultText + "weather: sunny\n");
        assertEquals("weather", ex.path());
        assertEquals("unknown key (known: city, node, traffic, mobility, energy, emergency, simulator, gateway, field)", ex.problem());
    }

    @Test
    void unknownKeyInTheOptionalNodeSection()
    {
        final ConfigException ex = failure(defaultText + "node:\n  aeron:\n    ingresChannel: aeron:ipc\n");
        assertEquals("node.aeron.ingresChannel", ex.path());
        assertTrue(ex.problem().startsWith("unknown key (known: embeddedDriver, dir, ingressChannel,"), ex.getMessage());
    }

    // ------------------------------------------------------------------------------------ wrong types

    @Test
    void textWhereANumberBelongs()
    {
        final Path file = write(replaceOnce("capacityKwh: 8000 ", "capacityKwh: big  "));
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ": energy.ess[0].capacityKwh: expected a number, got \"big\"", ex.getMessage());
    }

    @Test
    void fractionWhereAnIntegerBelongs()
    {
        final ConfigException ex = failure(replaceOnce(
            "        - { id: 2, fromBearingDeg:  90, lanes: 2, busLane: false }   # ring, from 102",
            "        - { id: 2, fromBearingDeg:  90, lanes: 2.5, busLane: false }"));
        assertEquals("traffic.intersections[0].approaches[1].lanes", ex.path());
        assertEquals("expected an integer, got 2.5", ex.problem());
    }

    @Test
    void quotedNumberIsText()
    {
        final ConfigException ex = failure(replaceOnce("  residents: 20000", "  residents: \"20000\""));
        assertEquals("city.residents", ex.path());
        assertEquals("expected an integer, got \"20000\"", ex.problem());
    }

    @Test
    void numberWhereTextBelongs()
    {
        final ConfigException ex = failure(replaceOnce("callNumber: \"112\"", "callNumber: 112"));
        assertEquals("emergency.agencies[0].callNumber", ex.path());
        assertEquals("expected text, got 112 (quote it: \"112\")", ex.problem());
    }

    @Test
    void integerOutOfRange()
    {
        final ConfigException ex = failure(replaceOnce("  residents: 20000", "  residents: 99999999999"));
        assertEquals("city.residents", ex.path());
        assertEquals("expected an integer, got 99999999999 (out of range)", ex.problem());
    }

    @Test
    void yesIsNotABoolean()
    {
        final ConfigException ex = failure(replaceOnce("{ id: 417, name: Community Center V2G 1,  powerKw: 7,   v2g: true }",
            "{ id: 417, name: Community Center V2G 1,  powerKw: 7,   v2g: yes }"));
        assertEquals("energy.evChargers[16].v2g", ex.path());
        assertEquals("expected true or false, got \"yes\"", ex.problem());
    }

    @Test
    void unknownEnumSpelling()
    {
        final ConfigException ex = failure(replaceOnce("      name: Ring East (BRT)\n      kind: ring", "      name: Ring East (BRT)\n      kind: roundabout"));
        assertEquals("traffic.intersections[2].kind", ex.path());
        assertEquals("expected one of ring, brt, local, got \"roundabout\"", ex.problem());
    }

    @Test
    void enumAsNumber()
    {
        final ConfigException ex = failure(defaultText + "node:\n  idleStrategy: 2\n");
        assertEquals("node.idleStrategy", ex.path());
        assertEquals("expected one of backoff, yielding, busy-spin, sleeping, got 2", ex.problem());
    }

    @Test
    void mappingWhereAListBelongs()
    {
        final ConfigException ex = failure(replaceOnce(
            "      units:\n        - { id: 5101, kind: patrol-car }\n        - { id: 5102, kind: patrol-car }",
            "      units: { id: 5101, kind: patrol-car }"));
        assertEquals("emergency.stations[0].units", ex.path());
        assertEquals("expected a list, got a mapping", ex.problem());
    }

    // ------------------------------------------------------------------------------- missing values

    @Test
    void missingNumber()
    {
        final ConfigException ex = failure(replaceOnce("  residents: 20000                      # design: about 20,000\n", ""));
        assertEquals("city.residents", ex.path());
        assertEquals("missing required value", ex.problem());
    }

    @Test
    void nullNumber()
    {
        final ConfigException ex = failure(replaceOnce("  residents: 20000", "  residents: ~"));
        assertEquals("city.residents", ex.path());
        assertEquals("missing required value", ex.problem());
    }

    @Test
    void missingText()
    {
        final ConfigException ex = failure(replaceOnce("name: Medical Mall,              ", ""));
        assertEquals("mobility.stops[2].name", ex.path());
        assertEquals("missing required value", ex.problem());
    }

    @Test
    void missingSection()
    {
        final int start = defaultText.indexOf("\nsimulator:");
        assertTrue(start > 0);
        final ConfigException ex = failure(defaultText.substring(0, start + 1));
        assertEquals("simulator", ex.path());
        assertEquals("missing required value", ex.problem());
    }

    @Test
    void emptyListEntry()
    {
        final ConfigException ex = failure(replaceOnce("    - { id: 3,  name: Medical Mall,", "    -\n    - { id: 3,  name: Medical Mall,"));
        assertEquals("mobility.stops[2]", ex.path());
        assertEquals("empty list entry", ex.problem());
    }

    @Test
    void emptyRequiredList()
    {
        final int start = defaultText.indexOf("  agencies:\n");
        final int end = defaultText.indexOf("\n\n", start);
        final ConfigException ex = failure(defaultText.substring(0, start) + "  agencies: []" + defaultText.substring(end));
        assertEquals("emergency.agencies", ex.path());
        assertEquals("must not be empty", ex.problem());
    }

    // ------------------------------------------------------------------------------ values out of range

    @Test
    void negativeImportLimit()
    {
        final Path file = write(replaceOnce("importLimitKw: 12000", "importLimitKw: -5"));
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ": energy.pcc.importLimitKw: must be > 0, was -5", ex.getMessage());
    }

    @Test
    void ringSizeNotAPowerOfTwo()
    {
        final Path file = write(defaultText + "node:\n  ringSize: 1000\n");
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ": node.ringSize: must be a power of two, was 1000", ex.getMessage());
    }

    static Stream<Arguments> outOfRange()
    {
        return Stream.of(
            arguments("    yellowMs: 3000", "    yellowMs: 2500", "traffic.signalTiming.yellowMs", "must be >= 3000, was 2500"),
            arguments("    maxGreenMs: 60000", "    maxGreenMs: 4000", "traffic.signalTiming.maxGreenMs",
                "must be >= minGreenMs 5000, was 4000"),
            arguments("  timeZone: Asia/Seoul", "  timeZone: Asia/Sejong", "city.timeZone", "unknown time zone \"Asia/Sejong\""),
            arguments("    latitudeDeg: 36.529", "    latitudeDeg: 136.529", "city.origin.latitudeDeg", "must be in [-90, 90], was 136.529"),
            arguments("  households: 9000                      # design: about 9,000", "  households: 30000", "city.households", "must be <= residents 20000, was 30000"),
            arguments("{ id: 2, fromBearingDeg: 135,", "{ id: 2, fromBearingDeg: 360,", "traffic.intersections[1].approaches[1].fromBearingDeg",
                "must be in [0, 360), was 360"),
            arguments("{ id: 1,  from: 101, to: 102, lengthM: 471.2,", "{ id: 1,  from: 101, to: 102, lengthM: 300,",
                "traffic.links[0].lengthM", "must be >= 459.2 (the straight line between intersections 101 and 102), was 300"),
            arguments("name: Hapgang Riverside Park,    kind: hotspot, eastM: 250,    northM: -880",
                "name: Hapgang Riverside Park,    kind: hotspot, eastM: 250,    northM: -1880",
                "mobility.stops[4].northM", "outside the city boundary [-1500, 1500], was -1880"),
            arguments("      wheelchairPlaces: 1               # chosen: one per vehicle\n      batteryKwh: 80",
                "      wheelchairPlaces: 16\n      batteryKwh: 80", "mobility.fleet[0].wheelchairPlaces", "must be <= capacity 15, was 16"),
            arguments("      chargeThresholdPercent: 30        # chosen: sent to charge while the reserve is untouched",
                "      chargeThresholdPercent: 10",
                "mobility.fleet[0].chargeThresholdPercent", "must be > reservePercent 15, was 10"),
            arguments("    rideTimeFactor: 1.5", "    rideTimeFactor: 0.9", "mobility.service.rideTimeFactor", "must be >= 1, was 0.9"),
            arguments("    waitCostMPerS: 0.5 ", "    waitCostMPerS: -1 ", "mobility.service.waitCostMPerS", "must be >= 0, was -1"),
            arguments("    newShuttleCostM: 1500 ", "    newShuttleCostM: -5 ", "mobility.service.newShuttleCostM", "must be >= 0, was -5"),
            arguments("    nominalFrequencyHz: 60", "    nominalFrequencyHz: 55", "energy.pcc.nominalFrequencyHz", "must be 50 or 60, was 55"),
            arguments("      initialSocPercent: 50             # chosen\n    - id: 302", "      initialSocPercent: 95\n    - id: 302",
                "energy.ess[0].initialSocPercent", "must be in [10, 90], was 95"),
            arguments("{ fromHour: 8,  toHour: 11,", "{ fromHour: 9,  toHour: 11,", "energy.tariff[1].fromHour",
                "must be 8 (where energy.tariff[0] ends), was 9"),
            arguments("{ fromHour: 22, toHour: 24,", "{ fromHour: 22, toHour: 23,", "energy.tariff[6].toHour",
                "must be 24 (the last slot ends the day at midnight), was 23"),
            arguments("beds: 150, emergencyBeds: 12", "beds: 150, emergencyBeds: 151", "emergency.hospitals[0].emergencyBeds",
                "must be <= beds 150, was 151"),
            arguments("    p2S: 60 ", "    p2S: 5 ", "emergency.ackDeadlines.p2S", "must be >= p1S 10, was 5"),
            arguments("  falseAlarmPercent: 30 ", "  falseAlarmPercent: 130 ", "simulator.falseAlarmPercent", "must be in [0, 100], was 130"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource
    void outOfRange(final String from, final String to, final String path, final String problem)
    {
        final ConfigException ex = failure(replaceOnce(from, to));
        assertEquals(path, ex.path(), ex.getMessage());
        assertEquals(problem, ex.problem());
    }

    static Stream<Arguments> badNodeSection()
    {
        return Stream.of(
            arguments("  tickPeriodMs: 0\n", "node.tickPeriodMs", "must be > 0, was 0"),
            arguments("  journalRollCycle: HOURLY\n", "node.journalRollCycle",
                "must be one of HALF_HOURLY, FAST_HOURLY, TWO_HOURLY, FOUR_HOURLY, SIX_HOURLY, FAST_DAILY, WEEKLY, was \"HOURLY\""),
            arguments("  egressRetryLimit: -1\n", "node.egressRetryLimit", "must be > 0, was -1"),
            arguments("  aeron:\n    ingressChannel: udp://localhost:40123\n", "node.aeron.ingressChannel",
                "must be an Aeron channel URI (aeron:ipc, aeron:udp?...), was \"udp://localhost:40123\""),
            arguments("  aeron:\n    egressStreamId: 1001\n", "node.aeron.egressStreamId",
                "must differ from ingressStreamId 1001 on the same channel, was 1001"),
            arguments("  mode: offline\n", "node.mode", "expected one of live, simulated, got \"offline\""));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource
    void badNodeSection(final String section, final String path, final String problem)
    {
        final ConfigException ex = failure(defaultText + "node:\n" + section);
        assertEquals(path, ex.path(), ex.getMessage());
        assertEquals(problem, ex.problem());
    }

    // ---------------------------------------------------------------------------------- duplicate ids

    static Stream<Arguments> duplicateIds()
    {
        return Stream.of(
            arguments("    - id: 102\n      name: Ring Northeast", "    - id: 101\n      name: Ring Northeast",
                "traffic.intersections[1].id", "duplicate intersection id 101 (first at traffic.intersections[0])"),
            arguments("{ id: 10120, intersection: 101,", "{ id: 10110, intersection: 101,",
                "traffic.detectors[1].id", "duplicate detector id 10110 (first at traffic.detectors[0])"),
            arguments("        - { id: 4, fromBearingDeg: 270, lanes: 2, busLane: false }   # ring, from 108",
                "        - { id: 2, fromBearingDeg: 270, lanes: 2, busLane: false }",
                "traffic.intersections[0].approaches[3].id", "duplicate approach id 2 (first at traffic.intersections[0].approaches[1])"),
            arguments("{ id: 32, name: Sidewalk Shuttle Depot,", "{ id: 31, name: Sidewalk Shuttle Depot,",
                "mobility.stops[20].id", "duplicate stop id 31 (first at mobility.stops[19])"),
            arguments("      firstId: 2001 ", "      firstId: 1005 ", "mobility.fleet[1].firstId",
                "shuttle ids 1005..1012 overlap mobility.fleet[0] (1001..1012)"),
            arguments("{ id: 430, name: Mobility Hub Super 4,", "{ id: 401, name: Mobility Hub Super 4,",
                "energy.evChargers[29].id", "duplicate ev charger id 401 (first at energy.evChargers[0])"),
            arguments("{ id: 34, name: Fire Drone,", "{ id: 1, name: Fire Drone,",
                "emergency.cameras[33].id", "duplicate camera id 1 (first at emergency.cameras[0])"),
            arguments("{ id: 5201, kind: patrol-car }", "{ id: 5101, kind: patrol-car }",
                "emergency.stations[1].units[0].id", "duplicate unit id 5101 (first at emergency.stations[0].units[0])"),
            arguments("{ kind: ems,    name: Sejong 119 EMS,", "{ kind: fire,   name: Sejong 119 EMS,",
                "emergency.agencies[2].kind", "duplicate agency fire (first at emergency.agencies[1])"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource
    void duplicateIds(final String from, final String to, final String path, final String problem)
    {
        final ConfigException ex = failure(replaceOnce(from, to));
        assertEquals(path, ex.path(), ex.getMessage());
        assertEquals(problem, ex.problem());
    }

    // ------------------------------------------------------------------------------ dangling references

    static Stream<Arguments> danglingReferences()
    {
        return Stream.of(
            arguments("{ id: 10110, intersection: 101,", "{ id: 10110, intersection: 999,",
                "traffic.detectors[0].intersection", "unknown intersection 999"),
            arguments("{ id: 10120, intersection: 101, approach: 2,", "{ id: 10120, intersection: 101, approach: 9,",
                "traffic.detectors[1].approach", "unknown approach 9 of intersection 101"),
            arguments("{ id: 10121, intersection: 101, approach: 2, lane: 1,", "{ id: 10121, intersection: 101, approach: 2, lane: 2,",
                "traffic.detectors[2].lane", "no lane 2: approach 2 of intersection 101 has lanes 0..1"),
            arguments("{ id: 3,  from: 103, to: 104,", "{ id: 3,  from: 103, to: 109,", "traffic.links[2].to", "unknown intersection 109"),
            arguments("{ id: 11, from: 201,", "{ id: 11, from: 299,", "traffic.links[8].from", "unknown intersection 299"),
            arguments("{ id: 3,  from: 103, to: 104,", "{ id: 3,  from: 103, to: 103,", "traffic.links[2].to", "must differ from from, was 103"),
            arguments("      depotStop: 31", "      depotStop: 99", "mobility.fleet[0].depotStop", "unknown stop 99"),
            arguments("      depotStop: 31", "      depotStop: 3", "mobility.fleet[0].depotStop",
                "stop 3 (Medical Mall) is a hotspot stop, not a depot"),
            arguments("{ id: 1, name: Road Depot Fast 1,       stop: 31,", "{ id: 1, name: Road Depot Fast 1,       stop: 77,",
                "mobility.chargers[0].stop", "unknown stop 77"),
            arguments("    - { from: 101, to: 102, lengthM: 471.2,", "    - { from: 101, to: 109, lengthM: 471.2,",
                "mobility.passages[0].to", "unknown stop or waypoint 109"),
            arguments("    - { from: 101, to: 102, lengthM: 471.2,", "    - { from: 101, to: 101, lengthM: 471.2,",
                "mobility.passages[0].to", "a passage must join two different nodes, both ends are 101"),
            arguments("    - { from: 101, to: 102, lengthM: 471.2,", "    - { from: 101, to: 102, lengthM: 400,",
                "mobility.passages[0].lengthM", "must be at least the straight line between 101 and 102 (459 m), was 400"),
            arguments("    - { from: 101, to: 102, lengthM: 471.2, roadKmh: 30,", "    - { from: 101, to: 102, lengthM: 471.2, roadKmh: 0,",
                "mobility.passages[0]", "neither road (roadKmh) nor sidewalk shuttles (sidewalkKmh) may use it: give one a speed limit above 0"),
            arguments("    - { from: 107, to: 11, lengthM: 480, roadKmh: 40,", "    - { from: 107, to: 12, lengthM: 480, roadKmh: 40,",
                "mobility.stops[5]", "stop 11 (BRT Hapgang West) cannot be reached from any fleet group's depot over mobility.passages"),
            arguments("{ id: 601, name: Complex A, pv: 201,", "{ id: 601, name: Complex A, pv: 299,",
                "energy.prosumers[0].pv", "unknown pv array 299"),
            arguments("kind: cctv,        eastM: -250,   northM: -330,   place: 1,", "kind: cctv,        eastM: -250,   northM: -330,   place: 99,",
                "emergency.cameras[0].place", "unknown place 99"),
            arguments("kind: cctv,        eastM: -250,   northM: -330,   place: 1,", "kind: cctv,        eastM: -250,   northM: -330,   place: 2,",
                "emergency.cameras[0].place",
                "the camera stands 940.7 m from place 2 (5-1 Middle School), outside its radius of 130 m"),
            arguments("      agency: fire\n      eastM: 800", "      agency: ems\n      eastM: 800",
                "emergency.stations[2].units[0].kind", "fire-engine is a fire unit, but station 3 is run by ems"),
            arguments("{ id: 5101, kind: patrol-car }", "{ id: 5101, kind: ambulance }",
                "emergency.stations[0].units[0].kind", "ambulance is a ems unit, but station 1 is run by police"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource
    void danglingReferences(final String from, final String to, final String path, final String problem)
    {
        final ConfigException ex = failure(replaceOnce(from, to));
        assertEquals(path, ex.path(), ex.getMessage());
        assertEquals(problem, ex.problem());
    }

    @Test
    void stationOfAnAgencyNotListed()
    {
        final String withoutEms = replaceOnce("    - { kind: ems,    name: Sejong 119 EMS,            callNumber: \"119\" }   # design\n", "");
        final ConfigException ex = failure(withoutEms.replace("      agency: fire\n      eastM: 800", "      agency: ems\n      eastM: 800"));
        assertEquals("emergency.stations[2].agency", ex.path());
        assertEquals("unknown agency ems (listed in emergency.agencies: police, fire)", ex.problem());
    }

    // -------------------------------------------------------------------------------- transit priority

    @Test
    void transitLinesAndPreemptionSettingsAreChecked()
    {
        ConfigException ex = failure(replaceOnce("        firstVehicleId: 2000", "        firstVehicleId: 1005"));
        assertEquals("traffic.priority.transitLines[1].firstVehicleId", ex.path());
        assertEquals("vehicles 1005 to 1016 overlap those of line 'brt_WE'", ex.problem());
        ex = failure(replaceOnce("      - name: brt_EW", "      - name: brt_WE"));
        assertEquals("traffic.priority.transitLines[1].name", ex.path());
        assertEquals("line 'brt_WE' is listed twice", ex.problem());
        ex = failure(replaceOnce("          - { intersection: J107, offsetS: 57 }", "          - { intersection: J107, offsetS: -57 }"));
        assertEquals("traffic.priority.transitLines[0].timepoints[1].offsetS", ex.path());
        assertEquals("must be >= 0, was -57", ex.problem());
        ex = failure(replaceOnce("    requestTimeoutMs: 3000", "    requestTimeoutMs: 0"));
        assertEquals("traffic.priority.requestTimeoutMs", ex.path());
        ex = failure(replaceOnce("    pedestrianClearanceMinMs: 5000", "    pedestrianClearanceMinMs: 9000"));
        assertEquals("traffic.priority.pedestrianClearanceMinMs", ex.path());
        assertEquals("must be in [0, 5000], was 9000", ex.problem());
        ex = failure(replaceOnce("    exitProgramPhase: -1", "    exitProgramPhase: -2"));
        assertEquals("traffic.priority.exitProgramPhase", ex.path());
    }

    @Test
    void theDefaultTimetableIsRead() throws Exception
    {
        final CityConfig config = ConfigLoader.load(write(defaultText)).config();
        final Traffic.Priority priority = config.traffic().priority();
        assertEquals(2, priority.transitLines().size());
        assertEquals(1000, priority.transitLines().get(0).firstVehicleId());
        assertTrue(priority.transitLines().get(0).runs(1011));
        assertFalse(priority.transitLines().get(0).runs(1012));
        assertEquals(6, priority.transitLines().get(1).timepoints().size());
        assertEquals(1000, priority.preemptDelayMs());
    }

    // ------------------------------------------------------------------------------------ first error

    @Test
    void theFirstErrorInTheFileIsReported()
    {
        final String twoErrors = replaceOnce("importLimitKw: 12000", "importLimitKw: -5")
            .replace("{ id: 10130, intersection: 101,", "{ id: 10130, intersection: 998,")
            .replace("{ id: 10110, intersection: 101,", "{ id: 10110, intersection: 999,");
        assertNotEquals(defaultText, twoErrors);
        for (int run = 0; run < 3; run++)
        {
            final ConfigException ex = failure(twoErrors);
            assertEquals("traffic.detectors[0].intersection", ex.path());
            assertEquals("unknown intersection 999", ex.problem());
        }
    }

    @Test
    void aBindingErrorComesBeforeAnyCheck()
    {
        // the bad import limit comes earlier in the file, but reading fails before any check runs
        final String text = replaceOnce("importLimitKw: 12000", "importLimitKw: -5")
            .replace("  seed: 20240501", "  seed: soon");
        final ConfigException ex = failure(text);
        assertEquals("simulator.seed", ex.path());
        assertEquals("expected an integer, got \"soon\"", ex.problem());
    }

    // ---------------------------------------------------------------------------------------- helpers

    private void assertProblem(final String text, final String path, final String problem)
    {
        final Path file = write(text);
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file.toString(), ex.file());
        assertEquals(path, ex.path(), ex.getMessage());
        assertEquals(problem, ex.problem());
    }

    private ConfigException failure(final String text)
    {
        final Path file = write(text);
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file.toString(), ex.file());
        assertEquals(file + ": " + ex.path() + ": " + ex.problem(), ex.getMessage());
        return ex;
    }

    private Path write(final String text)
    {
        try
        {
            return Files.writeString(dir.resolve("city.yaml"), text);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** The default text with {@code from}, which must occur exactly once, replaced. */
    private static String replaceOnce(final String from, final String to)
    {
        final int at = defaultText.indexOf(from);
        assertTrue(at >= 0, "not in the default file: " + from);
        assertEquals(at, defaultText.lastIndexOf(from), "more than once in the default file: " + from);
        return defaultText.substring(0, at) + to + defaultText.substring(at + from.length());
    }

    private static int lineOf(final String text, final String part)
    {
        final int at = text.indexOf(part);
        assertTrue(at >= 0, part);
        return (int)text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    private static int columnOf(final String text, final int index)
    {
        return index - (text.lastIndexOf('\n', index - 1) + 1) + 1;
    }
}
