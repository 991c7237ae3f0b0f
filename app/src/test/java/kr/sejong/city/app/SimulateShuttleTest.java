package kr.sejong.city.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kr.sejong.city.adapters.mobility.ShuttleScenario;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.LoadedConfig;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.core.testing.JournalContents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code city simulate} with {@code kind: shuttle}: half an hour of the weekday's morning peak (its bad inputs
 * included) through the node and the real dispatch loop, twice: every request is answered, the rides assigned are
 * driven to the end within the promises (travel times as planned: no noise), and the two runs' egress journals are
 * the same byte for byte. Then bad scenarios and options.
 */
class SimulateShuttleTest
{
    static final Path WEEKDAY = CityHome.home().resolve("config/scenarios/shuttle-weekday.yaml");

    @TempDir
    Path tmp;

    @Test
    void theMorningPeakRunsThroughTheDispatchLoopKeepsItsPromisesAndGivesTheSameEgressTwice() throws IOException
    {
        final Path scenario = tmp.resolve("peak.yaml");
        Files.writeString(scenario, Files.readString(WEEKDAY).replace("start: \"06:00\"", "start: \"07:20\"").replace("hours: 18 ", "hours: 0.5 ")
            .replace("travelTimeNoise: { min: 1.0, max: 1.25 }", "travelTimeNoise: { min: 1.0, max: 1.0 }"));
        final Path firstData = tmp.resolve("first");
        final Path report = tmp.resolve("peak.json");
        final Path table = tmp.resolve("peak.md");
        final Cli first = Cli.run("simulate", "--scenario", scenario.toString(), "--report", report.toString(), "--table", table.toString(),
            "--data", firstData.toString(), "--quiet");
        assertEquals(ExitCodes.OK, first.exitCode(), first.err());
        final Path secondData = tmp.resolve("second");
        final Cli second = Cli.run("simulate", "--scenario", scenario.toString(), "--data", secondData.toString(), "--quiet");
        assertEquals(ExitCodes.OK, second.exitCode(), second.err());

        final JsonNode f = new ObjectMapper().readTree(report.toFile()).path("figures");
        final JsonNode rides = f.path("rides");
        final JsonNode promises = f.path("promises");
        final JsonNode plans = f.path("fleet").path("plans");
        assertTrue(rides.path("requests").asLong() > 80, "half an hour of the peak: " + rides);
        assertEquals(0, f.path("answers").path("unanswered").asLong(), f.path("answers").toString());
        assertEquals(5, f.path("badInputs").path("sent").asLong(), f.path("badInputs").toString());
        assertEquals(5, f.path("badInputs").path("answeredAsExpected").asLong(), f.path("badInputs").toString());
        assertTrue(rides.path("served").asLong() > 0, rides.toString());
        assertEquals(f.path("answers").path("assigned").asLong(), rides.path("served").asLong() + rides.path("assignedThenCancelled").asLong(),
            "every ride assigned and not cancelled is driven to the end: " + rides);
        assertEquals(0, rides.path("assignedNeverPickedUp").asLong(), rides.toString());
        assertEquals(0, rides.path("pickupsOrDropoffsElsewhereThanAssigned").asLong(), rides.toString());
        assertEquals(0, promises.path("pickupsBeyondMaxWait").asLong(), promises.toString());
        assertEquals(0, promises.path("ridesBeyondMaxRideTime").asLong(), promises.toString());
        assertEquals(0, promises.path("latePickupsVsLastPromise").asLong(), promises.toString());
        for (final String mistake : List.of("forUnknownShuttles", "unknownStops", "stopsTheGroupCannotReach", "unknownRequests",
            "boardingsBeyondCapacity", "dropoffsOfRidersNotOnBoard", "pickupsOfCancelledRiders", "unknownOrMisplacedChargers"))
        {
            assertEquals(0, plans.path(mistake).asLong(), mistake + ": " + plans);
        }
        final JsonNode fleet = f.path("fleet");
        final JsonNode emptyBy = fleet.path("emptyKmBy");
        assertTrue(fleet.path("emptyKm").asDouble() > 0, fleet.toString());
        assertEquals(fleet.path("emptyKm").asDouble(),
            emptyBy.path("toServe").asDouble() + emptyBy.path("rebalancing").asDouble() + emptyBy.path("toCharger").asDouble(), 0.03,
            "the empty km split by purpose add up (each part rounded to 10 m): " + fleet);
        assertTrue(emptyBy.path("beforeFirstBoarding").asDouble() > 0 && emptyBy.path("beforeFirstBoarding").asDouble() <= fleet.path("emptyKm").asDouble(),
            emptyBy.toString());
        assertEquals(0, f.path("answers").path("nodeRejects").size(), f.path("answers").toString());
        assertTrue(f.path("requestAnsweredUs").path("count").asLong() > 0);
        // one latency per RideRequest the node answered (after the warm-up quarter hour): no more than the requests and
        // the five bad inputs, and not none
        final JsonNode decided = f.path("requestDecisionLatencyUs");
        assertTrue(decided.path("count").asLong() > 0 && decided.path("count").asLong() <= rides.path("requests").asLong() + 5,
            "one decision latency per RideRequest: " + decided + ", requests " + rides.path("requests"));
        assertTrue(decided.path("p99").asDouble() >= decided.path("p50").asDouble(), decided.toString());
        assertTrue(decided.path("p50").asDouble() > 0, decided.toString());
        assertTrue(Files.readString(table).contains("| wait s p50 / p95 (pickup - earliest pickup) |"));

        JournalContents.assertSameEgress(firstData, secondData, 1000); // SignalCommands every Tick at least
    }

    /**
     * The vs-jsprit hour of demand seed 20260404 on the default city with no price on starting an idle shuttle: shuttles
     * standing at a stop are often given a ride from that very stop, and their IDLE reports cross those plans. Before
     * ShuttleState carried the plan it was made under, the loop read such a report as the shuttle leaving: two riders
     * were counted as boarded and left at their stop (and the fleet counted 2 first-stop changes and 7 drop-offs of
     * riders not on board).
     */
    @Test
    void shuttlesGivenARideFromTheStopWhereTheyStandServeEveryRiderWithinThePromises() throws IOException
    {
        final ShuttleScenario scenario = ShuttleScenario.load(CityHome.home().resolve("config/scenarios/shuttle-vs-jsprit.yaml")).withSeed(20260404);
        final LoadedConfig home = CityHome.loadCity(null);
        final Mobility.Service service = home.config().mobility().service();
        final CityConfig noNewShuttlePrice = home.config().withDispatchPolicy(service.waitCostMPerS(), 0, service.rebalancing());
        final PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        final SimulateShuttle.Online online = SimulateShuttle.online(quiet, quiet,
            new LoadedConfig(noNewShuttlePrice, home.source(), home.yamlBytes(), home.sha256Hex()), scenario, null, true);

        final JsonNode f = new ObjectMapper().valueToTree(online.figures());
        final JsonNode rides = f.path("rides");
        final JsonNode plans = f.path("fleet").path("plans");
        final JsonNode promises = f.path("promises");
        assertTrue(rides.path("requests").asLong() > 250, rides.toString());
        assertEquals(rides.path("requests").asLong(), rides.path("served").asLong(), "every rider served (no cancels in this hour): " + rides);
        assertEquals(0, rides.path("assignedNeverPickedUp").asLong(), rides.toString());
        assertEquals(0, plans.path("firstStopChangedWhileDriving").asLong(), plans.toString());
        assertEquals(0, plans.path("dropoffsOfRidersNotOnBoard").asLong(), plans.toString());
        assertEquals(0, promises.path("pickupsBeyondMaxWait").asLong(), promises.toString());
        assertEquals(0, promises.path("ridesBeyondMaxRideTime").asLong(), promises.toString());
    }

    /**
     * The vs-jsprit hour of demand seed 20260403: two riders were dropped off 60.000000001 s after the last ETA they had
     * been told, when ETAs were sent again only once they moved by a full minute (the loop learns an arrival up to a second
     * late, so its own prediction had moved by just under a minute). Now a move of 59 s sends them again.
     */
    @Test
    void everyRiderIsPickedUpAndDroppedOffWithinAMinuteOfTheLastEtaTold() throws IOException
    {
        final ShuttleScenario scenario = ShuttleScenario.load(CityHome.home().resolve("config/scenarios/shuttle-vs-jsprit.yaml")).withSeed(20260403);
        final PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        final SimulateShuttle.Online online = SimulateShuttle.online(quiet, quiet, scenario, null, true);

        final JsonNode f = new ObjectMapper().valueToTree(online.figures());
        final JsonNode promises = f.path("promises");
        assertEquals(f.path("rides").path("requests").asLong(), f.path("rides").path("served").asLong(), f.path("rides").toString());
        assertEquals(0, promises.path("lateDropoffsVsLastPromise").asLong(), promises.toString());
        assertEquals(0, promises.path("latePickupsVsLastPromise").asLong(), promises.toString());
    }

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
