package kr.sejong.city.adapters.twin;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's split into emergency vehicles, buses and background traffic, without the node
 * (FIXED_TIME_REFERENCE, so the class is read at departure in that mode too): the sejong-ring hour with
 * the network's own program, seed 42, checked against SUMO's own tripinfo output of the same run, whose
 * vType tells the category (ambulance, fire, police: vClass emergency; brt: vClass bus; car, van: the
 * rest).
 */
class VehicleCategoriesTest
{
    private static final double LATE_THRESHOLD_S = 150.0;

    @TempDir
    Path dir;

    @BeforeAll
    static void sumoInstalled()
    {
        TwinTesting.requireSumo();
    }

    private static final class Trips
    {
        long vehicles;
        double delay;
        double duration;
        long waitingCount;
        long late;
    }

    private static VehicleCategory category(final String vType)
    {
        return switch (vType)
        {
            case "ambulance", "fire", "police" -> VehicleCategory.EMERGENCY;
            case "brt" -> VehicleCategory.TRANSIT;
            default -> VehicleCategory.BACKGROUND;
        };
    }

    @Test
    void eachCategoryMatchesSumosTripinfo() throws Exception
    {
        final Path tripinfo = dir.resolve("sejong-ring.tripinfo.xml");
        final TwinReport report = new TwinAdapter(new TwinAdapter.Context()
            .sumoConfig(TwinTesting.scenarioConfig("sejong-ring"))
            .mode(TwinMode.FIXED_TIME_REFERENCE)
            .seed(42)
            .busLateThresholdS(LATE_THRESHOLD_S)
            .logDir(dir)
            .addSumoArguments("--tripinfo-output", tripinfo.toString()))
            .run();
        System.out.println("categories: " + report.summary() + "\n  " + report.prioritySummary());

        final Map<VehicleCategory, Trips> trips = new EnumMap<>(VehicleCategory.class);
        for (final VehicleCategory category : VehicleCategory.values())
        {
            trips.put(category, new Trips());
        }
        final NodeList list = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(tripinfo.toFile())
            .getElementsByTagName("tripinfo");
        for (int i = 0; i < list.getLength(); i++)
        {
            final Element trip = (Element)list.item(i);
            final Trips sums = trips.get(category(trip.getAttribute("vType")));
            final double delay = Double.parseDouble(trip.getAttribute("timeLoss")) + Double.parseDouble(trip.getAttribute("departDelay"));
            sums.vehicles++;
            sums.delay += delay;
            sums.duration += Double.parseDouble(trip.getAttribute("duration"));
            sums.waitingCount += Long.parseLong(trip.getAttribute("waitingCount"));
            sums.late += delay > LATE_THRESHOLD_S ? 1 : 0;
        }
        assertEquals(0, report.unfinished());
        assertEquals(0, report.notInserted());

        final Trips emergency = trips.get(VehicleCategory.EMERGENCY);
        assertEquals(5, emergency.vehicles, "the scenario's five emergency runs");
        assertEquals(emergency.vehicles, report.emergency().vehicles());
        assertEquals(emergency.vehicles, report.emergency().arrived());
        assertEquals(emergency.duration / emergency.vehicles, report.emergency().meanTravelTimeS(), 1e-9, "travel time = tripinfo duration");
        assertEquals(emergency.delay / emergency.vehicles, report.emergency().meanDelayS(), 0.01 * report.emergency().meanDelayS());
        // tripinfo's waitingCount counts every stop, ours those on a light's incoming lane; on the ring they stop at lights
        assertTrue(report.emergency().stopsAtSignals() > 0 && report.emergency().stopsAtSignals() <= emergency.waitingCount,
            "stops at signals " + report.emergency().stopsAtSignals() + ", all stops " + emergency.waitingCount);

        final Trips buses = trips.get(VehicleCategory.TRANSIT);
        assertEquals(24, buses.vehicles, "12 BRT runs each way");
        assertEquals(buses.vehicles, report.transit().buses());
        assertEquals(buses.vehicles, report.transit().arrived());
        assertEquals(buses.delay / buses.vehicles, report.transit().meanDelayS(), 0.01 * report.transit().meanDelayS());
        assertEquals(buses.late, report.transit().lateArrivals(), 1.0, "late after " + LATE_THRESHOLD_S + " s");
        assertTrue(report.transit().lateArrivals() > 0 && report.transit().lateArrivals() < buses.vehicles,
            "a threshold that splits them: " + report.transit());

        final Trips background = trips.get(VehicleCategory.BACKGROUND);
        assertEquals(background.vehicles, report.background().vehicles());
        assertEquals(background.delay / background.vehicles, report.background().meanDelayS(), 0.01 * report.background().meanDelayS());
        assertEquals(report.vehicles(), report.emergency().vehicles() + report.transit().buses() + report.background().vehicles());
        final double overall = (report.emergency().meanDelayS() * report.emergency().vehicles() + report.transit().meanDelayS() * report.transit().buses()
            + report.background().meanDelayS() * report.background().vehicles()) / report.vehicles();
        assertEquals(report.meanDelayS(), overall, 1e-9, "the categories add up to the whole");

        assertFalse(report.priority().enabled(), "no on-board units without the node");
        assertEquals(0, report.priority().requestsSent());
    }

    @Test
    void theGridsEmergencyRunsEachCrossFiveLightsOrMoreAndArrive() throws Exception
    {
        final Path config = TwinTesting.scenarios().resolve("grid4x4-lucas").resolve("grid4x4-lucas-emergency.sumocfg");
        final NetworkModel network = NetworkModel.load(config);
        final java.util.Set<String> incoming = new java.util.HashSet<>();
        network.trafficLights().forEach(light -> incoming.addAll(light.incomingEdges()));
        final NodeList vehicles = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(config.resolveSibling("emergency.rou.xml").toFile()).getElementsByTagName("vehicle");
        assertEquals(5, vehicles.getLength());
        for (int i = 0; i < vehicles.getLength(); i++)
        {
            final Element vehicle = (Element)vehicles.item(i);
            final String route = ((Element)vehicle.getElementsByTagName("route").item(0)).getAttribute("edges");
            final long lights = java.util.Arrays.stream(route.split(" ")).filter(incoming::contains).count();
            assertTrue(lights >= 5, vehicle.getAttribute("id") + " crosses " + lights + " lights: " + route);
        }

        final TwinReport report = new TwinAdapter(new TwinAdapter.Context()
            .sumoConfig(config)
            .mode(TwinMode.FIXED_TIME_REFERENCE)
            .seed(42)
            .logDir(dir))
            .run();
        System.out.println("grid4x4 with emergency runs: " + report.summary() + "\n  " + report.prioritySummary());
        assertEquals("grid4x4-lucas-emergency", report.scenario());
        assertEquals(5, report.emergency().vehicles());
        assertEquals(5, report.emergency().arrived(), "every emergency run arrives over its route");
        assertEquals(0, report.transit().buses());
        assertEquals(0, report.unfinished());
        assertTrue(report.emergency().stopsAtSignals() > 0, "the network's own program stops them: " + report.emergency());
    }
}
