package kr.sejong.city.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultConfigTest
{
    /** The module's copy; surefire runs in the module directory. */
    private static final Path DEFAULT_FILE = Path.of("sejong-5-1.yaml");

    private final CityConfig config = ConfigLoader.loadDefault().config();

    @Test
    void classpathCopyIsTheModuleFileWithItsHash() throws Exception
    {
        final LoadedConfig fromClasspath = ConfigLoader.loadDefault();
        final LoadedConfig fromFile = ConfigLoader.load(DEFAULT_FILE);
        final byte[] fileBytes = Files.readAllBytes(DEFAULT_FILE);

        assertArrayEquals(fileBytes, fromClasspath.yamlBytes());
        assertArrayEquals(fileBytes, fromFile.yamlBytes());
        assertEquals(hex(MessageDigest.getInstance("SHA-256").digest(fileBytes)), fromFile.sha256Hex());
        assertEquals(fromFile.sha256Hex(), fromClasspath.sha256Hex());
        assertEquals(fromFile.config(), fromClasspath.config());
        assertEquals(Path.of(ConfigLoader.DEFAULT_RESOURCE), fromClasspath.source());
        assertEquals(DEFAULT_FILE, fromFile.source());
    }

    @Test
    void journaledBytesGiveTheSameConfiguration() throws Exception
    {
        final byte[] bytes = Files.readAllBytes(DEFAULT_FILE);
        final LoadedConfig replayed = ConfigLoader.parse(Path.of("journal"), bytes);
        assertEquals(config, replayed.config());
    }

    @Test
    void cityHasTheDesignNumbers()
    {
        assertEquals(20000, config.city().residents());
        assertEquals(9000, config.city().households());
        assertEquals(2.74, config.city().areaKm2(), 1e-9);
        assertEquals("Asia/Seoul", config.city().timeZone());
    }

    @Test
    void trafficHasTheRingAndTheBrtRoad()
    {
        final Traffic traffic = config.traffic();
        assertEquals(30, traffic.speedLimitKmh(), 1e-9);
        assertTrue(traffic.signalTiming().yellowMs() >= 3000);

        final List<Intersection> ring = new ArrayList<>();
        final List<Intersection> brt = new ArrayList<>();
        for (final Intersection intersection : traffic.intersections())
        {
            assertEquals(4, intersection.approaches().size(), intersection.name());
            if (intersection.kind() == Intersection.Kind.RING)
            {
                ring.add(intersection);
                assertEquals(600, Math.hypot(intersection.eastM(), intersection.northM()), 0.1, intersection.name());
            }
            else if (intersection.kind() == Intersection.Kind.BRT)
            {
                brt.add(intersection);
            }
        }
        assertEquals(8, ring.size());
        assertTrue(brt.size() >= 2 && brt.size() <= 4, "BRT junctions: " + brt.size());

        // the four-lane ring: approaches 2 and 4 of a ring junction run along the ring, two lanes each
        for (final Intersection intersection : ring)
        {
            assertEquals(2, intersection.approach(2).lanes(), intersection.name());
            assertEquals(2, intersection.approach(4).lanes(), intersection.name());
        }

        final long ringLinksAt30 = traffic.links().stream().filter(link -> !link.brt() && link.speedKmh() == 30).count();
        assertEquals(8, ringLinksAt30);
        assertTrue(traffic.links().stream().anyMatch(Link::brt));
    }

    @Test
    void everyLaneHasOneStopLineDetector()
    {
        final Set<String> detected = new HashSet<>();
        for (final Detector detector : config.traffic().detectors())
        {
            if (detector.kind() == Detector.Kind.STOP_LINE)
            {
                assertTrue(
                    detected.add(detector.intersection() + "/" + detector.approach() + "/" + detector.lane()),
                    "second stop-line detector on the lane of " + detector);
            }
        }
        int lanes = 0;
        for (final Intersection intersection : config.traffic().intersections())
        {
            for (final Intersection.Approach approach : intersection.approaches())
            {
                for (int lane = 0; lane < approach.lanes(); lane++)
                {
                    lanes++;
                    assertTrue(detected.contains(intersection.id() + "/" + approach.id() + "/" + lane),
                        "no stop-line detector on lane " + lane + " of approach " + approach.id() + " of " + intersection.id());
                }
            }
        }
        assertEquals(lanes, detected.size());
    }

    @Test
    void mobilityHasTheDesignShuttles()
    {
        final Mobility mobility = config.mobility();
        assertTrue(mobility.stops().size() >= 15 && mobility.stops().size() <= 25, "stops: " + mobility.stops().size());
        assertTrue(mobility.stops().stream()
            .anyMatch(stop -> stop.name().equals("Complex Community Center") && stop.kind() == Stop.Kind.HOTSPOT));
        for (final Stop.Kind kind : Stop.Kind.values())
        {
            assertTrue(mobility.stops().stream().anyMatch(stop -> stop.kind() == kind), "no stop of kind " + kind);
        }

        final FleetGroup road = group(FleetGroup.Type.ROAD);
        final FleetGroup sidewalk = group(FleetGroup.Type.SIDEWALK);
        assertEquals(40, road.maxSpeedKmh(), 1e-9);
        assertEquals(20, sidewalk.maxSpeedKmh(), 1e-9);
        assertEquals(12, road.count());
        assertEquals(8, sidewalk.count());

        assertTrue(mobility.chargers().size() >= 4 && mobility.chargers().size() <= 6);
        assertTrue(mobility.chargers().stream().anyMatch(charger -> charger.kind() == ShuttleCharger.Kind.FAST));
        assertTrue(mobility.chargers().stream().anyMatch(charger -> charger.kind() == ShuttleCharger.Kind.STANDARD));
        // design: fast about 30 minutes, standard about 6 hours, for a charge from the threshold to 90 %
        for (final ShuttleCharger charger : mobility.chargers())
        {
            final FleetGroup served = mobility.fleet().stream()
                .filter(group -> group.depotStop() == charger.stop()).findFirst().orElseThrow();
            final double hours =
                served.batteryKwh() * (90 - served.chargeThresholdPercent()) / 100 / charger.powerKw();
            if (charger.kind() == ShuttleCharger.Kind.FAST)
            {
                assertTrue(hours > 0.25 && hours < 0.75, charger.name() + ": " + hours + " h");
            }
            else
            {
                assertTrue(hours > 3 && hours < 8, charger.name() + ": " + hours + " h");
            }
        }
    }

    @Test
    void energyHasTheDesignMicrogrid()
    {
        final Energy energy = config.energy();
        assertEquals(30, energy.selfSufficiencyTargetPercent(), 1e-9);
        assertEquals(60, energy.pcc().nominalFrequencyHz(), 1e-9);
        assertTrue(energy.evChargers().stream().anyMatch(charger -> charger.powerKw() == 300), "no 300 kW charger");
        assertTrue(energy.evChargers().stream().anyMatch(charger -> charger.powerKw() == 7), "no standard charger");
        assertTrue(energy.evChargers().stream().anyMatch(EvCharger::v2g), "no V2G charger");
        assertTrue(energy.evChargers().size() >= 20 && energy.evChargers().size() <= 40);

        final double pvKw = energy.pv().stream().mapToDouble(PvArray::peakKw).sum();
        assertTrue(pvKw >= 1000 && pvKw <= 10000, "PV total " + pvKw + " kW");
        for (final PvArray.Kind kind : PvArray.Kind.values())
        {
            assertTrue(energy.pv().stream().anyMatch(pv -> pv.kind() == kind), "no PV of kind " + kind);
        }
        assertTrue(energy.ess().size() >= 1 && energy.ess().size() <= 2);

        // the tariff covers every hour of the day exactly once
        final int[] slotsPerHour = new int[24];
        for (final Energy.TariffSlot slot : energy.tariff())
        {
            for (int hour = slot.fromHour(); hour < slot.toHour(); hour++)
            {
                slotsPerHour[hour]++;
            }
        }
        for (int hour = 0; hour < 24; hour++)
        {
            assertEquals(1, slotsPerHour[hour], "hour " + hour);
        }
    }

    @Test
    void emergencyHasPolice112AndFireEms119()
    {
        final Emergency emergency = config.emergency();
        assertEquals("112", agency(Agency.Kind.POLICE).callNumber());
        assertEquals("119", agency(Agency.Kind.FIRE).callNumber());
        assertEquals("119", agency(Agency.Kind.EMS).callNumber());

        assertEquals(2, emergency.stations().stream().filter(s -> s.agency() == Agency.Kind.POLICE).count());
        assertEquals(2, emergency.stations().stream().filter(s -> s.agency() != Agency.Kind.POLICE).count());
        assertTrue(emergency.stations().stream().allMatch(station -> !station.units().isEmpty()));
        assertTrue(emergency.stations().stream().flatMap(s -> s.units().stream())
            .anyMatch(unit -> unit.kind() == Station.UnitKind.AMBULANCE));

        assertEquals(2, emergency.hospitals().size());
        assertTrue(emergency.hospitals().stream().allMatch(h -> h.beds() > 0 && h.emergencyBeds() > 0));

        final int cameras = emergency.cameras().size();
        assertTrue(cameras >= 24 && cameras <= 40, "cameras: " + cameras);
        for (final Camera.Kind kind : Camera.Kind.values())
        {
            assertTrue(emergency.cameras().stream().anyMatch(camera -> camera.kind() == kind), "no camera of kind " + kind);
        }
        for (final Place.Kind kind : List.of(Place.Kind.SCHOOL, Place.Kind.HOSPITAL, Place.Kind.TUNNEL, Place.Kind.PARK))
        {
            assertTrue(emergency.places().stream().anyMatch(place -> place.kind() == kind), "no place of kind " + kind);
        }
        assertTrue(emergency.cameras().stream().anyMatch(camera -> camera.hasPlace() &&
            emergency.places().stream().anyMatch(p -> p.id() == camera.place() && p.kind() == Place.Kind.TUNNEL)));
        assertEquals(10, emergency.ackDeadlines().p1S());
        assertEquals(60, emergency.ackDeadlines().p2S());
        assertEquals(300, emergency.ackDeadlines().p3S());
    }

    @Test
    void idsAreUniqueWithinEachKind()
    {
        final Traffic traffic = config.traffic();
        assertUnique("intersection", traffic.intersections(), Intersection::id);
        assertUnique("detector", traffic.detectors(), Detector::id);
        assertUnique("link", traffic.links(), Link::id);
        for (final Intersection intersection : traffic.intersections())
        {
            assertUnique("approach of " + intersection.id(), intersection.approaches(), Intersection.Approach::id);
        }

        final Mobility mobility = config.mobility();
        assertUnique("stop", mobility.stops(), Stop::id);
        assertUnique("shuttle charger", mobility.chargers(), ShuttleCharger::id);
        final List<Integer> shuttleIds = new ArrayList<>();
        for (final FleetGroup group : mobility.fleet())
        {
            for (int id = group.firstId(); id <= group.lastId(); id++)
            {
                shuttleIds.add(id);
            }
        }
        assertUnique("shuttle", shuttleIds, Integer::intValue);

        final Energy energy = config.energy();
        assertUnique("pv", energy.pv(), PvArray::id);
        assertUnique("ess", energy.ess(), Ess::id);
        assertUnique("ev charger", energy.evChargers(), EvCharger::id);
        assertUnique("controllable load", energy.loads().controllable(), ControllableLoad::id);
        assertUnique("prosumer", energy.prosumers(), Prosumer::id);

        final Emergency emergency = config.emergency();
        assertUnique("place", emergency.places(), Place::id);
        assertUnique("camera", emergency.cameras(), Camera::id);
        assertUnique("station", emergency.stations(), Station::id);
        assertUnique("unit", emergency.stations().stream().flatMap(s -> s.units().stream()).toList(), Station.Unit::id);
        assertUnique("hospital", emergency.hospitals(), Hospital::id);
    }

    @Test
    void nodeDefaultsApplyWhenTheSectionIsOmitted() throws Exception
    {
        final String text = Files.readString(DEFAULT_FILE);
        assertFalse(text.contains("\nnode:"), "the default file is expected to omit the node section");

        final Node node = config.node();
        assertEquals(Node.Mode.LIVE, node.mode());
        assertEquals(Node.Threading.LOW_RESOURCE, node.threading());
        assertEquals(Node.IdleStrategyKind.BACKOFF, node.idleStrategy());
        assertEquals(100, node.tickPeriodMs());
        assertEquals(65536, node.ringSize());
        assertEquals(1024 * 1024, node.maxFrameLengthBytes());
        assertEquals("FAST_HOURLY", node.journalRollCycle());
        assertEquals(1000, node.egressRetryLimit());
        assertTrue(node.aeron().embeddedDriver());
        assertNull(node.aeron().dir());
        assertEquals("aeron:ipc", node.aeron().ingressChannel());
        assertEquals(1001, node.aeron().ingressStreamId());
        assertEquals("aeron:ipc", node.aeron().egressChannel());
        assertEquals(1002, node.aeron().egressStreamId());
    }

    @Test
    void aNodeSectionOverridesOnlyWhatItNames(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("node.yaml");
        Files.writeString(file, Files.readString(DEFAULT_FILE) + String.join("\n",
            "node:",
            "  mode: live",
            "  threading: dedicated",
            "  idleStrategy: busy-spin",
            "  tickPeriodMs: 50",
            "  journalRollCycle: SIX_HOURLY",
            "  aeron:",
            "    dir: /dev/shm/city",
            "    egressStreamId: 2002",
            ""));

        final Node node = ConfigLoader.load(file).config().node();
        assertEquals(Node.Mode.LIVE, node.mode());
        assertEquals(Node.Threading.DEDICATED, node.threading());
        assertEquals(Node.IdleStrategyKind.BUSY_SPIN, node.idleStrategy());
        assertEquals(50, node.tickPeriodMs());
        assertEquals("SIX_HOURLY", node.journalRollCycle());
        assertEquals(65536, node.ringSize());
        assertEquals("/dev/shm/city", node.aeron().dir());
        assertEquals(2002, node.aeron().egressStreamId());
        assertEquals(1001, node.aeron().ingressStreamId());
        assertTrue(node.aeron().embeddedDriver());
    }

    @Test
    void loadedConfigurationCannotBeChanged() throws Exception
    {
        final LoadedConfig loaded = ConfigLoader.loadDefault();
        loaded.yamlBytes()[0] = '!';
        assertArrayEquals(Files.readAllBytes(DEFAULT_FILE), loaded.yamlBytes());
        assertThrows(UnsupportedOperationException.class, () -> loaded.config().traffic().intersections().clear());
        assertThrows(UnsupportedOperationException.class,
            () -> loaded.config().traffic().intersections().get(0).approaches().remove(0));
        assertThrows(UnsupportedOperationException.class, () -> loaded.config().emergency().cameras().add(null));
    }

    @Test
    void defaultFileIsAscii() throws Exception
    {
        // one encoding everywhere: no BOM, no characters an editor could silently change
        for (final byte b : Files.readAllBytes(DEFAULT_FILE))
        {
            assertTrue(b >= 0, "non-ASCII byte");
        }
    }

    private FleetGroup group(final FleetGroup.Type type)
    {
        final List<FleetGroup> groups = config.mobility().fleet().stream().filter(g -> g.type() == type).toList();
        assertEquals(1, groups.size(), "groups of type " + type);
        return groups.get(0);
    }

    private Agency agency(final Agency.Kind kind)
    {
        return config.emergency().agencies().stream().filter(a -> a.kind() == kind).findFirst().orElseThrow();
    }

    private static <T> void assertUnique(final String kind, final List<T> items, final ToIntFunction<T> id)
    {
        final Set<Integer> seen = new HashSet<>();
        for (final T item : items)
        {
            assertTrue(seen.add(id.applyAsInt(item)), "duplicate " + kind + " id " + id.applyAsInt(item));
        }
        assertFalse(items.isEmpty(), "no " + kind);
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder hex = new StringBuilder();
        for (final byte b : bytes)
        {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
