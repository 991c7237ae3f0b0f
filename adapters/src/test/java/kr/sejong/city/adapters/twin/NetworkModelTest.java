package kr.sejong.city.adapters.twin;

import kr.sejong.city.adapters.twin.traci.ControlledLink;
import kr.sejong.city.adapters.twin.traci.SumoProcess;
import kr.sejong.city.adapters.twin.traci.TraciClient;
import kr.sejong.city.adapters.twin.traci.TrafficLightProgram;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.wire.FrameValidator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network model on the shared scenarios and on networks made by netgenerate: what it derives from
 * the file must match what SUMO itself reports through TraCI, and the conflict matrix must be consistent
 * with SUMO's own program.
 */
class NetworkModelTest
{
    @TempDir
    static Path generated;

    @BeforeAll
    static void sumoInstalled()
    {
        TwinTesting.requireSumo();
    }

    private static Path netgenerate(final String name, final String... options)
    {
        final Path net = generated.resolve(name + ".net.xml");
        if (!Files.exists(net))
        {
            final List<String> command = new ArrayList<>(List.of("netgenerate", "--seed", "7", "-o", net.toString()));
            command.addAll(List.of(options));
            TwinTesting.run(generated, command.toArray(String[]::new));
        }
        return net;
    }

    /** The netgenerate'd networks: grids, spiders, random; turn lanes, pedestrian crossings, no internal lanes, joined lights. */
    static Path generatedNetwork(final String name)
    {
        return switch (name)
        {
            case "grid" -> netgenerate(name, "--grid", "--grid.number", "3", "--tls.guess", "--tls.guess.threshold", "0");
            case "grid-turn-lanes" -> netgenerate(name, "--grid", "--grid.number", "3", "-L", "2", "--turn-lanes", "1",
                "-j", "traffic_light");
            case "grid-incoming-layout" -> netgenerate(name, "--grid", "--grid.number", "3", "-L", "3", "--turn-lanes", "1",
                "-j", "traffic_light", "--tls.layout", "incoming");
            case "grid-pedestrians" -> netgenerate(name, "--grid", "--grid.number", "3", "-j", "traffic_light",
                "--sidewalks.guess", "--crossings.guess");
            case "grid-no-internal-links" -> netgenerate(name, "--grid", "--grid.number", "3", "-L", "2", "--turn-lanes", "1",
                "-j", "traffic_light", "--no-internal-links");
            case "spider" -> netgenerate(name, "--spider", "--spider.arm-number", "5", "--spider.circle-number", "3",
                "-j", "traffic_light");
            case "random" -> netgenerate(name, "--rand", "--rand.iterations", "150", "--tls.guess");
            case "grid-joined" -> netgenerate(name, "--grid", "--grid.number", "3", "--grid.length", "30", "-j", "traffic_light",
                "--tls.join", "--tls.join-dist", "40");
            // one light over sixteen junctions: 192 links, a program of 32 phases (over 6,000 characters of states)
            case "grid-joined-large" -> netgenerate(name, "--grid", "--grid.number", "4", "--grid.length", "40", "--grid.attach-length", "150",
                "-j", "traffic_light", "--tls.join", "--tls.join-dist", "50", "--no-turnarounds");
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void singleIntersectionInDetail()
    {
        final NetworkModel model = NetworkModel.load(TwinTesting.scenarioConfig("single-intersection"));
        assertEquals(1, model.trafficLights().size());
        final TrafficLight t = model.trafficLight("t");
        assertEquals(List.of("n_t_0", "n_t_1", "w_t_0", "w_t_1"), t.lanes().stream().map(TrafficLight.Lane::id).toList());
        assertEquals(List.of(0, 0, 1, 1), t.lanes().stream().map(TrafficLight.Lane::approachIndex).toList());
        assertEquals(148.55, t.lanes().get(0).lengthM(), 1e-9);
        assertEquals(13.9, t.lanes().get(0).speedLimitMps(), 1e-9);
        assertEquals(List.of("n_t", "w_t"), t.incomingEdges());
        assertEquals(List.of("t_s", "t_e"), t.outgoingEdges());
        assertEquals(4, t.movementCount());
        assertEquals(List.of(0, 1, 2, 3), t.movements().stream().map(TrafficLight.Movement::fromLaneIndex).toList());
        assertEquals(List.of(2, 2, 3, 3), t.movements().stream().map(TrafficLight.Movement::toApproachIndex).toList());
        assertTrue(t.movements().stream().allMatch(m -> m.dir() == 's'));
        assertEquals(List.of("GGrr", "yyrr", "rrGG", "rryy"), t.program().phases().stream().map(TrafficLight.Phase::state).toList());
        assertEquals(List.of(42_000L, 2_000L, 42_000L, 2_000L), t.program().phases().stream().map(TrafficLight.Phase::durationMs).toList());
        assertEquals(88_000L, t.program().cycleMs());
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                assertEquals((i < 2) != (j < 2), t.conflicts(i, j), "north-south crosses west-east: " + i + "," + j);
            }
        }
        assertTrue(t.yields(0, 2), "the junction's response: north-south yields to west-east when both may move");
        assertFalse(t.yields(2, 0));
        // 4 x 4 bits, row-major, LSB first: rows 0 and 1 are 1100 -> bits 2,3 and 6,7; rows 2, 3: bits 8,9 and 12,13
        assertEquals(List.of((byte)0b1100_1100, (byte)0b0011_0011), List.of(t.conflictBits()[0], t.conflictBits()[1]));
    }

    @Test
    void theRunningProgramIsTheLastOneTheFileDefines()
    {
        // grid4x4-lucas defines two programs for light 10; SUMO runs "1", with 3 s yellows
        final TrafficLight light = NetworkModel.load(TwinTesting.scenarioConfig("grid4x4-lucas")).trafficLight("10");
        assertEquals("1", light.program().programId());
        assertEquals(3_000L, light.program().phases().get(1).durationMs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-intersection", "grid2x2", "grid4x4-lucas"})
    void sharedScenariosMatchWhatSumoReports(final String scenario)
    {
        final Path config = TwinTesting.scenarioConfig(scenario);
        final NetworkModel model = NetworkModel.load(config);
        try (SumoProcess sumo = SumoProcess.start(new SumoProcess.Context().configFile(config).logDir(generated.resolve("logs"))))
        {
            assertMatchesSumo(model, sumo.client());
        }
        assertConsistentWithOwnProgram(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"grid", "grid-turn-lanes", "grid-incoming-layout", "grid-pedestrians", "grid-no-internal-links", "spider",
        "random", "grid-joined", "grid-joined-large"})
    void generatedNetworksMatchWhatSumoReports(final String name)
    {
        final Path net = generatedNetwork(name);
        final NetworkModel model = NetworkModel.load(net);
        try (SumoProcess sumo = SumoProcess.start(new SumoProcess.Context().addArguments("-n", net.toString())
            .logDir(generated.resolve("logs")).logName(name)))
        {
            assertMatchesSumo(model, sumo.client());
        }
        final int permissive = assertConsistentWithOwnProgram(model);
        System.out.println(name + ": " + model.trafficLights().size() + " lights, "
            + model.trafficLights().stream().mapToInt(TrafficLight::movementCount).sum() + " movements, " + permissive
            + " permissive pairs shown by the own programs");
    }

    @Test
    void aShortControlledLaneIsObservedWithTheLanesBeforeItThatAllLeadOntoIt()
    {
        // --turn-lanes: each approach ends in a pocket edge a few metres long after a node where the lane count grows
        final NetworkModel model = NetworkModel.load(generatedNetwork("grid-turn-lanes"));
        int extended = 0;
        for (final TrafficLight light : model.trafficLights())
        {
            for (final TrafficLight.Lane lane : light.lanes())
            {
                if (lane.pedestrian() || lane.lengthM() >= NetworkModel.DETECTION_ZONE_M)
                {
                    assertTrue(lane.upstream().isEmpty() || lane.pedestrian(), lane.toString());
                    continue;
                }
                if (lane.upstream().isEmpty())
                {
                    continue;
                }
                extended++;
                // back to the light before (every junction of this grid has one), which the walk does not pass
                assertTrue(lane.zoneLengthM() > lane.lengthM() + 50, "the zone takes in the road before the pocket: " + lane);
                for (final String upstream : lane.upstream())
                {
                    assertFalse(light.lanes().stream().anyMatch(l -> l.id().equals(upstream)), "not a lane the light controls: " + upstream);
                    assertTrue(!upstream.startsWith(":") && !upstream.startsWith(lane.edgeId() + "_"), "a lane of an edge before: " + upstream);
                }
            }
        }
        assertTrue(extended > 0, "the pockets of grid-turn-lanes are short");
        // the shared scenarios and sejong-ring: every approach starts at another light or at the network's edge
        for (final String scenario : List.of("single-intersection", "grid2x2", "grid4x4-lucas"))
        {
            for (final TrafficLight light : NetworkModel.load(TwinTesting.scenarioConfig(scenario)).trafficLights())
            {
                assertTrue(light.lanes().stream().allMatch(l -> l.upstream().isEmpty() && l.zoneLengthM() == l.lengthM()), scenario);
            }
        }
    }

    @Test
    void aLightWhoseProgramIsLongerThanShortTextStillGoesIntoOneTopologyFrame()
    {
        final TrafficLight light = NetworkModel.load(generatedNetwork("grid-joined-large")).trafficLights().get(0);
        final String states = light.program().phases().stream().map(TrafficLight.Phase::state).collect(Collectors.joining(";"));
        assertTrue(states.length() > 4096, "the program must be longer than a varStringEncoding's 4,096: " + states.length());
        final TwinFrames frames = new TwinFrames();

        final int length = frames.topology(1, light);

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
        frame.putBytes(0, frames.buffer(), 0, length);
        assertNull(new FrameValidator(1 << 20).validate(frame, 0, length), "the node accepts it");
        final IntersectionTopologyDecoder decoder = new IntersectionTopologyDecoder().wrapAndApplyHeader(frame, 0, new MessageHeaderDecoder());
        final IntersectionTopologyDecoder.LanesDecoder lanes = decoder.lanes();
        assertEquals(light.lanes().size(), lanes.count());
        lanes.forEach(lane -> { });
        final IntersectionTopologyDecoder.MovementsDecoder movements = decoder.movements();
        assertEquals(light.movementCount(), movements.count());
        movements.forEach(movement -> { });
        decoder.phases().forEach(phase -> { });
        assertEquals(light.id(), decoder.name());
        assertEquals(states, decoder.programStates());
    }

    @Test
    void aNetworkWithPedestrianCrossingsHasCrossingMovementsWithoutOutgoingApproach()
    {
        final NetworkModel model = NetworkModel.load(generatedNetwork("grid-pedestrians"));
        final List<TrafficLight.Movement> crossings = model.trafficLights().stream()
            .flatMap(l -> l.movements().stream()).filter(TrafficLight.Movement::pedestrian).toList();
        assertFalse(crossings.isEmpty());
        assertTrue(crossings.stream().allMatch(m -> m.toApproachIndex() == TrafficLight.NO_APPROACH));
        // a right turn and the crossing it passes are foes that the own program shows together (the turn yields)
        assertTrue(model.trafficLights().stream().anyMatch(l -> anyPermissivePair(l, true)));
    }

    @Test
    void aNetworkWithoutTrafficLightsIsRefusedWithAClearMessage()
    {
        final Path net = netgenerate("no-lights", "--grid", "--grid.number", "3");
        final TwinInputException refused = assertThrows(TwinInputException.class, () -> NetworkModel.load(net));
        assertTrue(refused.getMessage().contains("has no traffic lights"), refused.getMessage());
        assertTrue(refused.getMessage().contains(net.toString()), refused.getMessage());
    }

    @Test
    void theNetworkIsFoundThroughTheConfigAndBadFilesAreNamed() throws IOException
    {
        final SumoConfigFile config = SumoConfigFile.read(TwinTesting.scenarioConfig("grid2x2"));
        assertEquals("grid2x2", config.scenarioName());
        assertEquals("2x2.net.xml", config.netFile().getFileName().toString());
        assertEquals(0.0, config.beginS());
        assertEquals(3600.0, config.endS());

        final Path missingNet = generated.resolve("missing-net.sumocfg");
        Files.writeString(missingNet, "<configuration><input><net-file value=\"nowhere.net.xml\"/></input></configuration>");
        final TwinInputException noNet = assertThrows(TwinInputException.class, () -> NetworkModel.load(missingNet));
        assertTrue(noNet.getMessage().contains("nowhere.net.xml") && noNet.getMessage().contains("does not exist"), noNet.getMessage());

        final Path noNetFile = generated.resolve("no-net.sumocfg");
        Files.writeString(noNetFile, "<configuration><input/></configuration>");
        assertTrue(assertThrows(TwinInputException.class, () -> NetworkModel.load(noNetFile)).getMessage().contains("names no network"));

        final Path broken = generated.resolve("broken.sumocfg");
        Files.writeString(broken, "<configuration><input>");
        assertTrue(assertThrows(TwinInputException.class, () -> NetworkModel.load(broken)).getMessage().contains("not valid XML"));

        assertTrue(assertThrows(TwinInputException.class, () -> NetworkModel.load(generated.resolve("absent.sumocfg")))
            .getMessage().contains("not found"));
    }

    /** Lights, links, lanes and programs as SUMO reports them through TraCI. */
    static void assertMatchesSumo(final NetworkModel model, final TraciClient traci)
    {
        final List<String> sumoLights = new ArrayList<>();
        for (final String id : traci.trafficLightIds())
        {
            if (traci.trafficLightControlledLinks(id).stream().anyMatch(l -> !l.isEmpty()))
            {
                sumoLights.add(id);
            }
        }
        sumoLights.sort(null);
        assertEquals(sumoLights, model.trafficLights().stream().map(TrafficLight::id).toList(), "lights, ascending by id");
        for (final TrafficLight light : model.trafficLights())
        {
            final List<List<ControlledLink>> links = traci.trafficLightControlledLinks(light.id());
            assertEquals(links.size(), light.movementCount(), light.id() + ": movements = controlled links");
            final Set<String> sumoLanes = new LinkedHashSet<>();
            for (int i = 0; i < links.size(); i++)
            {
                final TrafficLight.Movement movement = light.movements().get(i);
                if (links.get(i).isEmpty())
                {
                    assertFalse(movement.used(), light.id() + " link " + i);
                    continue;
                }
                final ControlledLink link = links.get(i).get(0);
                sumoLanes.add(link.fromLane());
                assertEquals(link.fromLane(), movement.fromLane(), light.id() + " link " + i + " from");
                assertEquals(link.toLane(), movement.toLane(), light.id() + " link " + i + " to");
                assertEquals(link.viaLane(), movement.viaLane(), light.id() + " link " + i + " via");
                assertEquals(link.fromLane(), light.lanes().get(movement.fromLaneIndex()).id(), light.id() + " link " + i + " lane index");
            }
            assertEquals(new ArrayList<>(sumoLanes), light.lanes().stream().map(TrafficLight.Lane::id).toList(), light.id() + " lanes");
            for (final TrafficLight.Lane lane : light.lanes())
            {
                assertEquals(traci.laneLength(lane.id()), lane.lengthM(), 1e-6, lane.id());
                assertEquals(traci.laneMaxSpeed(lane.id()), lane.speedLimitMps(), 1e-6, lane.id());
            }
            final TrafficLightProgram running = traci.trafficLightCurrentProgram(light.id());
            assertEquals(running.programId(), light.program().programId(), light.id() + " program");
            assertEquals(running.phases().size(), light.program().phases().size(), light.id() + " phases");
            for (int p = 0; p < running.phases().size(); p++)
            {
                assertEquals(running.phases().get(p).state(), light.program().phases().get(p).state(), light.id() + " phase " + p);
                assertEquals(Math.round(running.phases().get(p).durationS() * 1000), light.program().phases().get(p).durationMs());
            }
        }
    }

    /**
     * The matrix is symmetric, clear on the diagonal and within a lane, and SUMO's own program never
     * shows two conflicting movements green unless one of them shows g and yields to the other (a
     * permissive pair), and never two conflicting G. Returns the number of permissive pairs seen.
     */
    static int assertConsistentWithOwnProgram(final NetworkModel model)
    {
        int permissive = 0;
        int conflicts = 0;
        for (final TrafficLight light : model.trafficLights())
        {
            final int n = light.movementCount();
            assertEquals((n * n + 7) / 8, light.conflictBits().length);
            for (int i = 0; i < n; i++)
            {
                assertFalse(light.conflicts(i, i), light.id() + " movement " + i + " conflicts with itself");
                for (int j = 0; j < n; j++)
                {
                    assertEquals(light.conflicts(i, j), light.conflicts(j, i), light.id() + " not symmetric at " + i + "," + j);
                    if (light.conflicts(i, j))
                    {
                        conflicts++;
                        assertFalse(light.movements().get(i).fromLane().equals(light.movements().get(j).fromLane()),
                            light.id() + ": movements " + i + " and " + j + " come from one lane but conflict");
                    }
                }
            }
            for (final TrafficLight.Phase phase : light.program().phases())
            {
                final String s = phase.state();
                for (int i = 0; i < n; i++)
                {
                    for (int j = i + 1; j < n; j++)
                    {
                        if (light.conflicts(i, j) && green(s.charAt(i)) && green(s.charAt(j)))
                        {
                            final boolean yielding = (s.charAt(i) == 'g' && light.yields(i, j)) || (s.charAt(j) == 'g' && light.yields(j, i));
                            assertTrue(yielding && light.permissive(i, j), light.id() + " phase " + s + ": movements " + i + " and " + j
                                + " conflict, are green together and neither yields");
                            permissive++;
                        }
                    }
                }
            }
        }
        assertTrue(conflicts > 0, "a signalised network without a single conflict: the mapping is broken");
        return permissive;
    }

    private static boolean anyPermissivePair(final TrafficLight light, final boolean pedestrian)
    {
        for (int i = 0; i < light.movementCount(); i++)
        {
            for (int j = 0; j < light.movementCount(); j++)
            {
                if (light.permissive(i, j) && light.movements().get(j).pedestrian() == pedestrian && !light.movements().get(i).pedestrian())
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean green(final char letter)
    {
        return letter == 'G' || letter == 'g';
    }
}
