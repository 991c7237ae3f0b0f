package kr.sejong.city.adapters.twin.traci;

import kr.sejong.city.adapters.twin.TwinTesting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static kr.sejong.city.adapters.twin.traci.TraciConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TraCI client against a real SUMO running the single-intersection scenario. */
class TraciClientTest
{
    @TempDir
    Path logDir;

    private SumoProcess sumo;
    private TraciClient traci;

    @BeforeAll
    static void sumoInstalled()
    {
        TwinTesting.requireSumo();
    }

    @BeforeEach
    void start()
    {
        sumo = SumoProcess.start(new SumoProcess.Context()
            .configFile(TwinTesting.scenarioConfig("single-intersection"))
            .seed(42)
            .logDir(logDir));
        traci = sumo.client();
    }

    @AfterEach
    void stop()
    {
        if (sumo != null)
        {
            sumo.close();
        }
    }

    @Test
    void versionAndOrder()
    {
        final TraciVersion version = traci.getVersion();
        assertEquals(20, version.apiVersion(), version.toString());
        assertTrue(version.sumoVersion().contains("1.15"), version.sumoVersion());
        traci.setOrder(1);
    }

    @Test
    void stepsAdvanceTimeOneStepOrUpToATarget()
    {
        assertEquals(0.0, traci.simulationTime());
        assertEquals(1.0, traci.simulationDeltaT());
        traci.simulationStep();
        assertEquals(1.0, traci.simulationTime());
        traci.simulationStep(10.0);
        assertEquals(10.0, traci.simulationTime());
        assertEquals(2, traci.step());
        assertTrue(traci.minExpectedNumber() > 0, "flows still to come");
    }

    @Test
    void trafficLightStateProgramLinksAndSetRoundTrip()
    {
        assertEquals(List.of("t"), traci.trafficLightIds());
        assertEquals("GGrr", traci.trafficLightState("t"));
        assertEquals(0, traci.trafficLightPhase("t"));
        assertEquals("0", traci.trafficLightProgram("t"));

        final List<List<ControlledLink>> links = traci.trafficLightControlledLinks("t");
        assertEquals(4, links.size());
        assertEquals(new ControlledLink("n_t_0", "t_s_0", ":t_0_0"), links.get(0).get(0));
        assertEquals(new ControlledLink("w_t_1", "t_e_1", ":t_2_1"), links.get(3).get(0));

        final TrafficLightProgram program = traci.trafficLightCurrentProgram("t");
        assertEquals("0", program.programId());
        assertEquals(4, program.phases().size());
        assertEquals("GGrr", program.phases().get(0).state());
        assertEquals(42.0, program.phases().get(0).durationS());
        assertEquals("rryy", program.phases().get(3).state());

        traci.setTrafficLightState("t", "rrGG");
        assertEquals("rrGG", traci.trafficLightState("t"));
        traci.simulationStep();
        assertEquals("rrGG", traci.trafficLightState("t"), "SUMO holds a state set through TraCI");
        traci.setTrafficLightStates(new String[]{"t"}, new String[]{"yyrr"}, 1);
        assertEquals("yyrr", traci.trafficLightState("t"));

        traci.setTrafficLightProgram("t", "0");
        traci.setTrafficLightPhase("t", 2);
        assertEquals(2, traci.trafficLightPhase("t"));
        assertEquals("rrGG", traci.trafficLightState("t"));
    }

    @Test
    void laneValuesOfAQueueBehindRed()
    {
        assertEquals(148.55, traci.laneLength("n_t_0"), 1e-9);
        assertEquals(13.9, traci.laneMaxSpeed("n_t_0"), 1e-9);
        assertTrue(traci.laneIds().contains("w_t_0"));
        traci.simulationStep(60.0); // west-east is red for the first 42 s, then green
        traci.setTrafficLightState("t", "GGrr"); // hold west-east at red: a queue builds
        traci.simulationStep(120.0);
        final int vehicles = traci.laneVehicleNumber("w_t_0") + traci.laneVehicleNumber("w_t_1");
        final int halting = traci.laneHaltingNumber("w_t_0") + traci.laneHaltingNumber("w_t_1");
        assertTrue(vehicles > 5, "queued vehicles " + vehicles);
        assertTrue(halting > 3 && halting <= vehicles, "halting " + halting + " of " + vehicles);
        final double occupancy = traci.laneOccupancy("w_t_0");
        assertTrue(occupancy > 0.05 && occupancy <= 1.0, "occupancy is a fraction: " + occupancy);
        assertTrue(traci.laneMeanSpeed("w_t_0") < 13.9);
    }

    @Test
    void vehicleQueries()
    {
        traci.simulationStep(30.0);
        final List<String> vehicles = traci.vehicleIds();
        assertFalse(vehicles.isEmpty());
        final String id = vehicles.get(0);
        assertEquals("passenger", traci.vehicleClass(id));
        assertEquals("DEFAULT_VEHTYPE", traci.vehicleType(id));
        final String lane = traci.vehicleLane(id);
        assertTrue(lane.startsWith("n_t_") || lane.startsWith("w_t_") || lane.startsWith("t_") || lane.startsWith(":t_"), lane);
        assertTrue(traci.vehicleSpeed(id) >= 0.0);
        assertTrue(traci.vehicleLanePosition(id) >= 0.0);
        final Position2D position = traci.vehiclePosition(id);
        assertTrue(position.x() >= 0 && position.x() <= 300 && position.y() >= 0 && position.y() <= 300, position.toString());
        final List<String> route = traci.vehicleRoute(id);
        assertTrue(route.equals(List.of("n_t", "t_s")) || route.equals(List.of("w_t", "t_e")), route.toString());
        assertTrue(traci.vehicleRouteId(id).startsWith("route_"));
        assertTrue(traci.vehicleTimeLoss(id) >= 0.0);
        assertTrue(traci.vehicleWaitingTime(id) >= 0.0);
        assertTrue(traci.vehicleAccumulatedWaitingTime(id) >= 0.0);
        final String road = traci.vehicleRoad(id);
        final int routeIndex = traci.vehicleRouteIndex(id);
        assertTrue(routeIndex == 0 || routeIndex == 1, "route index " + routeIndex);
        assertTrue(road.startsWith(":") || road.equals(route.get(routeIndex)), road + " at route index " + routeIndex + " of " + route);
    }

    @Test
    void oneVariableOfManyObjectsInOneRequest()
    {
        traci.simulationStep(30.0);
        final List<String> vehicles = traci.vehicleIds();
        assertTrue(vehicles.size() >= 2, vehicles.toString());
        final List<String> classes = traci.getStrings(CMD_GET_VEHICLE_VARIABLE, VAR_VEHICLECLASS, vehicles);
        assertEquals(vehicles.size(), classes.size());
        classes.forEach(vClass -> assertEquals("passenger", vClass));
        final List<String> lanes = traci.getStrings(CMD_GET_VEHICLE_VARIABLE, VAR_LANE_ID, vehicles);
        for (int i = 0; i < vehicles.size(); i++)
        {
            assertEquals(traci.vehicleLane(vehicles.get(i)), lanes.get(i));
        }
        assertTrue(traci.getStrings(CMD_GET_VEHICLE_VARIABLE, VAR_TYPE, List.of()).isEmpty());
        final TraciException unknown = assertThrows(TraciException.class,
            () -> traci.getStrings(CMD_GET_VEHICLE_VARIABLE, VAR_VEHICLECLASS, List.of(vehicles.get(0), "nobody")));
        assertTrue(unknown.getMessage().contains("'nobody'"), unknown.getMessage());
        assertEquals("passenger", traci.vehicleClass(vehicles.get(0)), "the connection is still usable");
    }

    @Test
    void simulationCountsAndIdLists()
    {
        int departed = 0;
        int arrived = 0;
        final List<String> departedIds = new ArrayList<>();
        for (int i = 0; i < 100; i++)
        {
            traci.simulationStep();
            departed += traci.departedNumber();
            arrived += traci.arrivedNumber();
            departedIds.addAll(traci.departedIds());
            assertEquals(traci.arrivedNumber(), traci.arrivedIds().size());
            assertTrue(traci.loadedNumber() >= 0);
            traci.pendingIds();
        }
        assertEquals(departed, departedIds.size());
        assertTrue(departed > 30, "about 0.7 vehicles a second depart: " + departed);
        assertTrue(arrived > 0 && arrived < departed, "arrived " + arrived);
    }

    @Test
    void subscriptionsArriveWithEveryStep()
    {
        final VariableSubscription simulation = traci.subscribeSimulation(VAR_TIME, VAR_DEPARTED_VEHICLES_IDS,
            VAR_ARRIVED_VEHICLES_IDS, VAR_MIN_EXPECTED_VEHICLES, VAR_PENDING_VEHICLES);
        final List<VariableSubscription> lanes = traci.subscribeAll(CMD_GET_LANE_VARIABLE, List.of("w_t_0", "w_t_1"),
            LAST_STEP_VEHICLE_NUMBER, LAST_STEP_VEHICLE_HALTING_NUMBER, LAST_STEP_OCCUPANCY, LAST_STEP_MEAN_SPEED);
        final VariableSubscription light = traci.subscribeTrafficLight("t", TL_RED_YELLOW_GREEN_STATE, TL_CURRENT_PHASE);
        assertEquals(0.0, simulation.number(VAR_TIME), "the subscription's answer carries the current values");
        assertEquals("GGrr", light.string(TL_RED_YELLOW_GREEN_STATE));
        assertEquals(0, lanes.get(0).integer(LAST_STEP_VEHICLE_NUMBER));

        VariableSubscription vehicle = null;
        int departed = 0;
        for (int i = 1; i <= 50; i++)
        {
            traci.simulationStep();
            assertEquals(i, simulation.number(VAR_TIME));
            assertEquals(i, simulation.updatedAtStep());
            assertEquals(i, lanes.get(1).updatedAtStep());
            departed += simulation.list(VAR_DEPARTED_VEHICLES_IDS).size();
            if (vehicle == null && !simulation.list(VAR_DEPARTED_VEHICLES_IDS).isEmpty())
            {
                vehicle = traci.subscribeVehicle(simulation.list(VAR_DEPARTED_VEHICLES_IDS).get(0), VAR_SPEED, VAR_TIMELOSS,
                    VAR_LANE_ID, VAR_POSITION);
            }
            // what came with the step equals what a get says
            assertEquals(traci.laneVehicleNumber("w_t_0"), lanes.get(0).integer(LAST_STEP_VEHICLE_NUMBER));
            assertEquals(traci.laneHaltingNumber("w_t_1"), lanes.get(1).integer(LAST_STEP_VEHICLE_HALTING_NUMBER));
            assertEquals(traci.laneOccupancy("w_t_0"), lanes.get(0).number(LAST_STEP_OCCUPANCY));
            assertEquals(traci.trafficLightState("t"), light.string(TL_RED_YELLOW_GREEN_STATE));
            assertEquals(traci.minExpectedNumber(), simulation.integer(VAR_MIN_EXPECTED_VEHICLES));
        }
        assertTrue(departed > 10);
        assertTrue(vehicle != null && vehicle.updatedAtStep() == 50);
        assertEquals(traci.vehicleSpeed(vehicle.objectId()), vehicle.number(VAR_SPEED));
        assertEquals(traci.vehicleTimeLoss(vehicle.objectId()), vehicle.number(VAR_TIMELOSS));
        assertEquals(traci.vehicleLane(vehicle.objectId()), vehicle.string(VAR_LANE_ID));
        assertEquals(traci.vehiclePosition(vehicle.objectId()).y(), vehicle.secondNumber(VAR_POSITION));

        traci.unsubscribe(light);
        traci.simulationStep();
        assertEquals(50, light.updatedAtStep(), "no more values after unsubscribe");
        assertEquals(51, simulation.updatedAtStep());
    }

    @Test
    void sumoErrorsBecomeExceptionsWithSumosMessage()
    {
        final TraciException unknownLight = assertThrows(TraciException.class, () -> traci.trafficLightState("nowhere"));
        assertTrue(unknownLight.getMessage().contains("getTrafficLightVariable"), unknownLight.getMessage());
        assertTrue(unknownLight.getMessage().contains("nowhere"), unknownLight.getMessage());
        assertTrue(unknownLight.sumoMessage().contains("is not known"), unknownLight.sumoMessage());

        final TraciException badPhase = assertThrows(TraciException.class, () -> traci.setTrafficLightPhase("t", 99));
        assertTrue(badPhase.getMessage().contains("setTrafficLightVariable"), badPhase.getMessage());
        assertTrue(badPhase.sumoMessage() != null && !badPhase.sumoMessage().isEmpty(), badPhase.getMessage());

        final TraciException batch = assertThrows(TraciException.class,
            () -> traci.subscribeAll(CMD_GET_LANE_VARIABLE, List.of("w_t_0", "no_such_lane"), LAST_STEP_VEHICLE_NUMBER));
        assertTrue(batch.getMessage().contains("no_such_lane"), batch.getMessage());

        // the connection is still usable after an error
        traci.simulationStep();
        assertEquals(1.0, traci.simulationTime());
    }

    @Test
    void inductionLoops() throws Exception
    {
        final Path detectors = logDir.resolve("detectors.add.xml");
        java.nio.file.Files.writeString(detectors, "<additional><inductionLoop id=\"w_stopline\" lane=\"w_t_0\" pos=\"130\" period=\"60\" file=\""
            + logDir.resolve("loops.xml") + "\"/></additional>");
        try (SumoProcess withLoops = SumoProcess.start(new SumoProcess.Context()
            .configFile(TwinTesting.scenarioConfig("single-intersection")).addArguments("-a", detectors.toString())
            .logDir(logDir).logName("loops")))
        {
            final TraciClient client = withLoops.client();
            assertEquals(List.of("w_stopline"), client.inductionLoopIds());
            int passed = 0;
            boolean occupied = false;
            boolean moving = false;
            for (int i = 0; i < 120; i++)
            {
                client.simulationStep();
                final int count = client.inductionLoopVehicleNumber("w_stopline");
                final double occupancy = client.inductionLoopOccupancy("w_stopline");
                final double speed = client.inductionLoopMeanSpeed("w_stopline");
                assertTrue(occupancy >= 0 && occupancy <= 100, "occupancy in percent: " + occupancy);
                assertTrue(speed == -1.0 || speed >= 0, "mean speed " + speed + " (-1: none measured)");
                moving |= speed > 0;
                passed += count;
                occupied |= occupancy > 0;
            }
            assertTrue(passed > 5, "vehicles over the loop: " + passed);
            assertTrue(occupied && moving);
        }
    }

    @Test
    void closeEndsSumo() throws Exception
    {
        traci.simulationStep();
        traci.close();
        assertTrue(traci.isClosed());
        traci.close(); // idempotent
        final TraciException afterClose = assertThrows(TraciException.class, () -> traci.simulationStep());
        assertTrue(afterClose.getMessage().contains("closed"), afterClose.getMessage());
        for (int i = 0; i < 100 && sumo.isAlive(); i++)
        {
            Thread.sleep(50);
        }
        assertFalse(sumo.isAlive(), "SUMO exits after TraCI close");
    }
}
