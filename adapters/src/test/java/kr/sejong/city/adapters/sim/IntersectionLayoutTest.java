package kr.sejong.city.adapters.sim;

import kr.sejong.city.adapters.twin.SafetyCheck;
import kr.sejong.city.adapters.twin.TrafficLight;
import kr.sejong.city.adapters.twin.TwinFrames;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.config.Intersection;
import kr.sejong.city.config.Traffic;
import kr.sejong.city.core.loops.signal.IntersectionModel;
import kr.sejong.city.wire.FrameValidator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout derived from an intersection's configuration: movements per lane, conflicts from the geometry,
 * and an own program none of whose states shows two conflicting movements green unless one yields.
 */
class IntersectionLayoutTest
{
    private static final Traffic CITY_TRAFFIC = Recording.CITY.traffic();

    @Test
    void everyIntersectionOfTheDefaultCityHasASafeTwoStageProgram()
    {
        assertEquals(12, CITY_TRAFFIC.intersections().size());
        for (final Intersection intersection : CITY_TRAFFIC.intersections())
        {
            final IntersectionLayout layout = IntersectionLayout.of(intersection, CITY_TRAFFIC);
            assertTrue(layout.controllable(), intersection.name());
            assertProgramSafe(layout);
            assertEquals(6, layout.program().size(), intersection.name() + ": two stages of green, yellow, all-red");
            final List<Integer> durations = new ArrayList<>();
            layout.program().forEach(phase -> durations.add(phase.durationMs()));
            assertEquals(List.of(30_000, 3000, 2000, 30_000, 3000, 2000), durations, intersection.name());
            final IntersectionModel model = decodedByTheLoop(layout);
            assertEquals(2, model.phaseCount(), intersection.name() + ": the loop sees two green phases");
        }
    }

    @Test
    void ringApproachesHaveFourMovementsAndBrtApproachesFiveWithAThroughOnlyBusLane()
    {
        final IntersectionLayout north = layout(101);
        // 1-lane streets: left, through, right from the one lane; 2-lane ring: left+through, through+right
        assertEquals(List.of(3, 4, 3, 4), movementsPerApproach(north));
        assertEquals("lsr|ls|sr|lsr|ls|sr", turnsPerLane(north));
        assertEquals(14, north.movementCount());

        final IntersectionLayout east = layout(103);
        assertEquals(List.of(5, 4, 5, 4), movementsPerApproach(east));
        assertEquals("s|ls|sr|ls|sr|s|ls|sr|ls|sr", turnsPerLane(east));
        assertTrue(east.lanes().get(0).busLane());
        assertEquals(18, east.movementCount());

        final IntersectionLayout portal = layout(202);
        assertEquals(List.of(3, 5, 3, 5), movementsPerApproach(portal));
        assertEquals(16, portal.movementCount());
        // BRT links are 50 km/h; the local streets have no link: default length at the city's limit
        assertEquals(50 / 3.6, portal.lanes().get(1).speedLimitMps(), 1e-9);
        assertEquals(IntersectionLayout.DEFAULT_LANE_LENGTH_M, portal.lanes().get(0).lengthM());
        assertEquals(471.2, north.lanes().get(1).lengthM(), 1e-9, "the ring link from 102");
    }

    @Test
    void conflictsFollowTheGeometryOfAFourLegJunction()
    {
        // one lane per approach, N E S W: movements 0-2 from N (l s r), 3-5 from E, 6-8 from S, 9-11 from W
        final IntersectionLayout x = IntersectionLayout.of(junction(1, 0, 90, 180, 270), traffic());
        assertEquals("lsr|lsr|lsr|lsr", turnsPerLane(x));
        final int nLeft = 0, nThrough = 1, nRight = 2, eLeft = 3, eThrough = 4, eRight = 5, sLeft = 6, sThrough = 7, sRight = 8,
            wThrough = 10, wRight = 11;
        assertFalse(x.conflicts(nThrough, sThrough), "opposing throughs");
        assertTrue(x.conflicts(nLeft, sThrough), "a left turn crosses the opposing through");
        assertFalse(x.conflicts(nLeft, sLeft), "opposing left turns pass each other");
        assertTrue(x.conflicts(nThrough, eThrough), "crossing throughs");
        assertTrue(x.conflicts(nRight, sLeft), "right turn and opposing left merge into the west exit");
        assertTrue(x.conflicts(nRight, eThrough), "right turn merges with the through from the east");
        assertFalse(x.conflicts(nRight, eRight), "right turns do not conflict");
        assertFalse(x.conflicts(nRight, sRight));
        assertFalse(x.conflicts(nRight, sThrough));
        assertFalse(x.conflicts(nLeft, nRight), "same approach (same lane)");
        assertTrue(x.conflicts(nLeft, eThrough), "the left turn crosses the westbound through");
        assertFalse(x.conflicts(nLeft, eRight), "the left turn and the right turn from the east do not meet");
        assertTrue(x.conflicts(eLeft, wThrough));
        assertFalse(x.conflicts(sRight, wRight));
        for (int i = 0; i < x.movementCount(); i++)
        {
            assertFalse(x.conflicts(i, i));
            for (int j = 0; j < x.movementCount(); j++)
            {
                assertEquals(x.conflicts(i, j), x.conflicts(j, i), "symmetric");
            }
        }
        assertProgramSafe(x);
        // north-south first: throughs and rights G, lefts g
        assertEquals("gGGrrrgGGrrr", x.program().get(0).state());
        assertEquals("yyyrrryyyrrr", x.program().get(1).state());
        assertEquals("rrrrrrrrrrrr", x.program().get(2).state());
        assertEquals("rrrgGGrrrgGG", x.program().get(3).state());
    }

    @Test
    void aTJunctionGivesTheStemTwoTurnsAndTheRoadAPermissiveLeft()
    {
        // stem from the south (two lanes), the road east-west (two lanes each)
        final Intersection t = new Intersection(7, "T", Intersection.Kind.LOCAL, 0, 0, List.of(
            new Intersection.Approach(1, 90, 2, false),
            new Intersection.Approach(2, 180, 2, false),
            new Intersection.Approach(3, 270, 2, false)));
        final IntersectionLayout layout = IntersectionLayout.of(t, traffic());
        // from the east: left + through | through (no right: north is no exit); from the south: left | right;
        // from the west: through | through + right
        assertEquals("ls|s|l|r|s|sr", turnsPerLane(layout));
        assertProgramSafe(layout);
        decodedByTheLoop(layout);
        assertEquals(2, greens(layout).size(), "the stem (nearest north-south), then the road");
        assertEquals("rrrGGrrr", greens(layout).get(0));
        assertEquals("gGGrrGGG", greens(layout).get(1), "the road's left turn into the stem yields");
        everyMovementServed(layout);
    }

    @Test
    void aFiveLegJunctionIsServedApproachByApproachWhenNoTwoLegsAreOpposite()
    {
        final IntersectionLayout five = IntersectionLayout.of(junction(2, 0, 72, 144, 216, 288), traffic());
        assertProgramSafe(five);
        decodedByTheLoop(five);
        everyMovementServed(five);
        assertEquals(5, greens(five).size());
        // 36 degrees either side of straight on: both count as through movements
        assertEquals("lss|ssr|lss|ssr|lss|ssr|lss|ssr|lss|ssr", turnsPerLane(five));

        final IntersectionLayout skewed = IntersectionLayout.of(junction(2, 10, 95, 170, 200, 280), traffic());
        assertProgramSafe(skewed);
        decodedByTheLoop(skewed);
        everyMovementServed(skewed);
    }

    @Test
    void twoLegsAndOneLeg()
    {
        final IntersectionLayout bend = IntersectionLayout.of(junction(1, 0, 90), traffic());
        assertEquals("l|r", turnsPerLane(bend));
        assertEquals(1, bend.program().size(), "a single stage, no clearance");
        assertProgramSafe(bend);
        decodedByTheLoop(bend);
        assertFalse(IntersectionLayout.of(junction(1, 0), traffic()).controllable(), "a dead end has no movement");
    }

    @Test
    void theOwnProgramKeepsYellowAndAllRedWhenPlayed()
    {
        for (final Intersection intersection : CITY_TRAFFIC.intersections())
        {
            final IntersectionLayout layout = IntersectionLayout.of(intersection, CITY_TRAFFIC);
            final SafetyCheck check = new SafetyCheck(layout.toTrafficLight(), 3000, 2000);
            for (long t = 0; t < 3 * layout.cycleMs(); t += 1000)
            {
                check.observe(t, layout.programStateAt(t * 1_000_000L));
            }
            assertEquals(0, check.violations(), check.firstViolation());
        }
    }

    @Test
    void geometryArithmetic()
    {
        assertEquals(0, IntersectionLayout.turnAngleDeg(0, 180), 1e-12, "from the north to the south: straight on");
        assertEquals(-90, IntersectionLayout.turnAngleDeg(0, 90), 1e-12, "southbound turning east: left");
        assertEquals(90, IntersectionLayout.turnAngleDeg(0, 270), 1e-12);
        assertEquals(IntersectionLayout.LEFT, IntersectionLayout.turn(-90));
        assertEquals(IntersectionLayout.STRAIGHT, IntersectionLayout.turn(45));
        assertEquals(IntersectionLayout.RIGHT, IntersectionLayout.turn(46));
        assertEquals(0, IntersectionLayout.turn(175), "U-turn");
        assertTrue(IntersectionLayout.chordsCross(0, 2, 1, 3, 4));
        assertFalse(IntersectionLayout.chordsCross(0, 1, 2, 3, 4));
        assertEquals(45, IntersectionLayout.northSouthDistance(135), 1e-12);
        assertEquals(10, IntersectionLayout.northSouthDistance(190), 1e-12);
    }

    // ------------------------------------------------------------------------------------------ helpers

    static Traffic traffic()
    {
        return new Traffic(30, new Traffic.SignalTiming(5000, 3000, 2000, 60_000), new Traffic.Priority(10_000, 60, 120),
            List.of(), List.of(), List.of());
    }

    static Intersection junction(final int lanes, final double... bearings)
    {
        final List<Intersection.Approach> approaches = new ArrayList<>();
        for (int a = 0; a < bearings.length; a++)
        {
            approaches.add(new Intersection.Approach(a + 1, bearings[a], lanes, false));
        }
        return new Intersection(1, "synthetic", Intersection.Kind.LOCAL, 0, 0, approaches);
    }

    private static IntersectionLayout layout(final int id)
    {
        for (final Intersection intersection : CITY_TRAFFIC.intersections())
        {
            if (intersection.id() == id)
            {
                return IntersectionLayout.of(intersection, CITY_TRAFFIC);
            }
        }
        throw new AssertionError("no intersection " + id);
    }

    private static List<Integer> movementsPerApproach(final IntersectionLayout layout)
    {
        final List<Integer> counts = new ArrayList<>();
        for (int a = 0; a < layout.approachCount(); a++)
        {
            final int approach = a;
            counts.add((int)layout.movements().stream().filter(m -> m.fromApproach() == approach).count());
        }
        return counts;
    }

    /** Turn letters of each lane's movements, lanes separated by '|'. */
    static String turnsPerLane(final IntersectionLayout layout)
    {
        final StringBuilder sb = new StringBuilder();
        for (int l = 0; l < layout.lanes().size(); l++)
        {
            if (l > 0)
            {
                sb.append('|');
            }
            for (final int m : layout.movementsOfLane(l))
            {
                sb.append(layout.movements().get(m).turn());
            }
        }
        return sb.toString();
    }

    private static List<String> greens(final IntersectionLayout layout)
    {
        final List<String> greens = new ArrayList<>();
        for (final IntersectionLayout.Phase phase : layout.program())
        {
            if (phase.state().indexOf('G') >= 0 || phase.state().indexOf('g') >= 0)
            {
                greens.add(phase.state());
            }
        }
        return greens;
    }

    /**
     * No state shows two conflicting movements both {@code G}; a conflicting pair green together has a
     * {@code g} (a permissive pair, as the contract reads it); two yielding movements never conflict.
     */
    static void assertProgramSafe(final IntersectionLayout layout)
    {
        assertFalse(layout.program().isEmpty());
        for (final IntersectionLayout.Phase phase : layout.program())
        {
            final String state = phase.state();
            assertEquals(layout.movementCount(), state.length());
            for (int i = 0; i < state.length(); i++)
            {
                for (int j = i + 1; j < state.length(); j++)
                {
                    if (!layout.conflicts(i, j))
                    {
                        continue;
                    }
                    final char a = state.charAt(i);
                    final char b = state.charAt(j);
                    assertFalse(a == 'G' && b == 'G', layout.name() + ": conflicting " + i + " and " + j + " both G in " + state);
                    assertFalse(a == 'g' && b == 'g', layout.name() + ": conflicting " + i + " and " + j + " both g in " + state);
                    if (IntersectionLayout.isGreen(a) && IntersectionLayout.isGreen(b))
                    {
                        assertTrue(a == 'g' || b == 'g');
                    }
                }
            }
        }
    }

    private static void everyMovementServed(final IntersectionLayout layout)
    {
        for (int m = 0; m < layout.movementCount(); m++)
        {
            final int movement = m;
            assertTrue(greens(layout).stream().anyMatch(state -> IntersectionLayout.isGreen(state.charAt(movement))),
                layout.name() + ": movement " + m + " is never green");
        }
    }

    /** The layout's topology frame, validated as the node does and decoded as the signal loop does. */
    static IntersectionModel decodedByTheLoop(final IntersectionLayout layout)
    {
        final TwinFrames frames = new TwinFrames();
        final TrafficLight light = layout.toTrafficLight();
        final int length = frames.topology(layout.intersectionId(), light);
        final byte[] bytes = new byte[length];
        frames.buffer().getBytes(0, bytes);
        final UnsafeBuffer frame = new UnsafeBuffer(bytes);
        assertNull(new FrameValidator(1 << 20).validate(frame, 0, length), "the node would accept it");
        final IntersectionTopologyDecoder decoder = new IntersectionTopologyDecoder().wrapAndApplyHeader(frame, 0, new MessageHeaderDecoder());
        final IntersectionModel model = IntersectionModel.decode(decoder);
        assertEquals(layout.movementCount(), model.movementCount());
        assertEquals(layout.lanes().size(), model.laneCount());
        for (int p = 0; p < model.phaseCount(); p++)
        {
            assertTrue(model.phaseSafe(p), layout.name() + ": phase " + p);
        }
        return model;
    }
}
