package kr.sejong.city.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/city bench dispatch}: the loop online through the node and jsprit offline on the rides it served, in one
 * run; and its bad input. jsprit runs with 0 iterations here (its construction only): the figures are for the bench
 * command, the test checks that the two sides are the same rides and that the reference is a valid plan.
 */
class BenchDispatchCommandTest
{
    @TempDir
    Path tmp;

    @Test
    void bothSidesServeTheSameRidesAndTheRatioIsTheirVehicleKm() throws IOException
    {
        final Path report = tmp.resolve("vs.json");
        final Cli cli = Cli.run("bench", "dispatch", "--iterations", "0", "--quiet", "--report", report.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        final JsonNode f = new ObjectMapper().readTree(Files.readString(report)).path("figures");
        final JsonNode online = f.path("online");
        final JsonNode offline = f.path("offline");
        assertTrue(online.path("served").asInt() > 100, f.toString());
        assertEquals(online.path("served").asInt(), offline.path("served").asInt() + offline.path("unassigned").asInt(),
            "jsprit is given exactly the rides the loop served");
        assertEquals(0, offline.path("violations").asInt(), offline.toString());
        assertEquals(0, offline.path("modelMismatches").asInt(), offline.toString());
        final double ratio = online.path("vehicleKm").asDouble() / offline.path("vehicleKm").asDouble();
        assertEquals(ratio, f.path("ratio").asDouble(), 0.001);
        assertTrue(cli.out().contains("ratio online / offline vehicle-km"), cli.out());
        // where jsprit's km go, as the online fleet reports its own: empty legs (the drives from the depots among them)
        final double empty = offline.path("emptyKm").asDouble();
        final double fromDepot = offline.path("fromDepotKm").asDouble();
        assertTrue(fromDepot > 0 && fromDepot <= empty && empty < offline.path("vehicleKm").asDouble(), offline.toString());
        assertTrue(offline.path("directKm").asDouble() > 0 && offline.path("riderKmPerLoadedKm").asDouble() > 0, offline.toString());
        final double wait = offline.path("meanWaitS").asDouble();
        assertTrue(wait >= 0 && wait <= 600, "within the promised wait: " + offline);
        assertTrue(offline.path("meanRideS").asDouble() > 0, offline.toString());
    }

    @Test
    void severalDemandSeedsAreSeveralHoursSideBySideAndTheRatioIsTheirTotals() throws IOException
    {
        final Path quarter = tmp.resolve("quarter.yaml");
        Files.writeString(quarter, Files.readString(CityHome.home().resolve("config/scenarios/shuttle-vs-jsprit.yaml"))
            .replace("hours: 1\n", "hours: 0.25\n"));
        final Path report = tmp.resolve("hours.json");
        final Path table = tmp.resolve("hours.md");
        final Cli cli = Cli.run("bench", "dispatch", "--scenario", quarter.toString(), "--iterations", "0", "--demand-seeds", "2", "--quiet",
            "--rolling-iterations", "2", "--report", report.toString(), "--table", table.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        final JsonNode f = new ObjectMapper().readTree(Files.readString(report)).path("figures");
        final JsonNode hours = f.path("hours");
        assertEquals(2, hours.size(), f.toString());
        final long first = hours.get(0).path("demandSeed").asLong();
        assertEquals(20260311L, first, "the scenario's own seed first");
        assertEquals(first + 1, hours.get(1).path("demandSeed").asLong());
        assertEquals(java.util.List.of(first, first + 1), java.util.List.of(f.path("demandSeeds").get(0).asLong(), f.path("demandSeeds").get(1).asLong()));
        double online = 0;
        double offline = 0;
        double rolling = 0;
        int requests = 0;
        for (final JsonNode hour : hours)
        {
            online += hour.path("online").path("vehicleKm").asDouble();
            offline += hour.path("offline").path("vehicleKm").asDouble();
            requests += hour.path("requests").asInt();
            assertEquals(hour.path("online").path("served").asInt(),
                hour.path("offline").path("served").asInt() + hour.path("offline").path("unassigned").asInt(), "each hour: jsprit gets the rides the loop served");
            assertEquals(0, hour.path("offline").path("violations").asInt(), hour.toString());
            // jsprit online: the same rides, every promise kept, each known only from its request
            final JsonNode jspritOnline = hour.path("onlineJsprit");
            assertEquals(hour.path("online").path("served").asInt(), jspritOnline.path("served").asInt() + jspritOnline.path("unserved").asInt());
            assertEquals(0, jspritOnline.path("violations").asInt(), jspritOnline.toString());
            assertTrue(jspritOnline.path("solves").asInt() >= 10, jspritOnline.toString());
            rolling += jspritOnline.path("vehicleKm").asDouble();
        }
        assertEquals(rolling, f.path("onlineJsprit").path("vehicleKm").asDouble(), 0.02);
        assertEquals(rolling / offline, f.path("onlineJsprit").path("ratioToOffline").asDouble(), 0.002);
        assertTrue(hours.get(0).path("online").path("vehicleKm").asDouble() != hours.get(1).path("online").path("vehicleKm").asDouble(),
            "another seed draws other requests");
        assertEquals(online, f.path("online").path("vehicleKm").asDouble(), 0.01);
        assertEquals(offline, f.path("offline").path("vehicleKm").asDouble(), 0.02);
        assertEquals(hours.get(0).path("offline").path("emptyKm").asDouble() + hours.get(1).path("offline").path("emptyKm").asDouble(),
            f.path("offline").path("emptyKm").asDouble(), 0.02);
        assertEquals(requests, f.path("requests").asInt());
        assertEquals(online / offline, f.path("ratio").asDouble(), 0.001);
        final double low = Math.min(hours.get(0).path("ratio").asDouble(), hours.get(1).path("ratio").asDouble());
        assertEquals(low, f.path("ratioPerHour").path("min").asDouble(), 0.001);
        final String md = Files.readString(table);
        assertTrue(md.contains("| " + first + " |") && md.contains("| " + (first + 1) + " |") && md.contains("over the 2 hours"), md);
        assertTrue(md.contains("--demand-seeds 2 --rolling-iterations 2"), md);
        assertTrue(md.contains("jsprit online (the same rides, each known from its request, solved again every 60 s with 2 iterations)"), md);
    }

    @Test
    void badInputIsNamedWithExitCode2() throws IOException
    {
        final Cli missing = Cli.run("bench", "dispatch", "--scenario", tmp.resolve("none.yaml").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("none.yaml not found"), missing.err());

        final Cli iterations = Cli.run("bench", "dispatch", "--iterations", "-1");
        assertEquals(2, iterations.exitCode());
        assertTrue(iterations.err().contains("--iterations must be at least 0, was -1"), iterations.err());

        final Cli seeds = Cli.run("bench", "dispatch", "--demand-seeds", "0");
        assertEquals(2, seeds.exitCode());
        assertTrue(seeds.err().contains("--demand-seeds must be at least 1, was 0"), seeds.err());

        final Cli epoch = Cli.run("bench", "dispatch", "--rolling-iterations", "5", "--rolling-epoch", "0");
        assertEquals(2, epoch.exitCode());
        assertTrue(epoch.err().contains("--rolling-iterations must be at least 0 and --rolling-epoch at least 1, were 5 and 0"), epoch.err());

        // riders at a position: the offline side needs stops
        final Path positions = tmp.resolve("positions.yaml");
        Files.writeString(positions, Files.readString(CityHome.home().resolve("config/scenarios/shuttle-vs-jsprit.yaml"))
            .replace("positionShare: 0\n", "positionShare: 0.5\n").replace("hours: 1\n", "hours: 0.25\n"));
        final Cli atPositions = Cli.run("bench", "dispatch", "--scenario", positions.toString(), "--quiet");
        assertEquals(2, atPositions.exitCode(), atPositions.err());
        assertTrue(atPositions.err().contains("the offline solver needs stops (demand.positionShare: 0)"), atPositions.err());
    }
}
