package kr.sejong.city.adapters.twin;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The independent safety check, state by state. */
class SafetyCheckTest
{
    /** single-intersection: movements 0, 1 (north-south) cross 2, 3 (west-east). */
    private static final TrafficLight CROSSING = NetworkModel.load(TwinTesting.scenarioConfig("single-intersection")).trafficLight("t");

    /** 0: through, 1: left turn that yields to 2, the opposing through; the own program shows 1 and 2 together ("GgG"). */
    private static TrafficLight permissive()
    {
        final boolean[][] conflict = new boolean[3][3];
        conflict[1][2] = conflict[2][1] = true;
        final boolean[][] yields = new boolean[3][3];
        yields[1][2] = true;
        final TrafficLight.Program program = new TrafficLight.Program("0", "static", 0,
            List.of(new TrafficLight.Phase(30_000, 30_000, 30_000, "GgG"), new TrafficLight.Phase(3_000, 3_000, 3_000, "yyy")));
        return new TrafficLight("p",
            List.of(new TrafficLight.Lane("a_0", "a", 0, 100, 10, false), new TrafficLight.Lane("a_1", "a", 0, 100, 10, false),
                new TrafficLight.Lane("b_0", "b", 1, 100, 10, false)),
            List.of("a", "b"), List.of("c", "d"),
            List.of(new TrafficLight.Movement(0, 0, "a_0", "c_0", "", 2, 's', false, true),
                new TrafficLight.Movement(1, 1, "a_1", "d_0", "", 3, 'l', false, true),
                new TrafficLight.Movement(2, 2, "b_0", "d_0", "", 3, 's', false, true)),
            program, List.of("J"), conflict, yields, NetworkModel.permissivePairs(conflict, program));
    }

    @Test
    void aProperCycleHasNoViolation()
    {
        final SafetyCheck check = new SafetyCheck(CROSSING, 3000, 2000);
        long t = 0;
        for (int cycle = 0; cycle < 3; cycle++)
        {
            check.observe(t, "GGrr");
            check.observe(t += 42_000, "yyrr");
            check.observe(t += 3_000, "rrrr");
            check.observe(t += 2_000, "rrGG");
            check.observe(t += 42_000, "rryy");
            check.observe(t += 3_000, "rrrr");
            t += 2_000;
        }
        assertEquals(0, check.violations(), check.firstViolation());
    }

    @Test
    void aTwoSecondYellowWithoutAllRed()
    {
        final SafetyCheck check = new SafetyCheck(CROSSING, 3000, 2000);
        check.observe(0, "GGrr");
        check.observe(42_000, "yyrr");
        assertEquals(4, check.observe(44_000, "rrGG"));
        assertEquals(2, check.shortYellows(), "both north-south movements");
        assertEquals(2, check.shortAllReds(), "both west-east onsets");
        assertEquals(0, check.conflictingGreenSteps());
        assertTrue(check.firstViolation().contains("2000 ms of yellow"), check.firstViolation());
    }

    @Test
    void greenStraightToRedIsAYellowOfNothing()
    {
        final SafetyCheck check = new SafetyCheck(CROSSING, 3000, 2000);
        check.observe(0, "GGrr");
        check.observe(10_000, "rrrr");
        assertEquals(2, check.shortYellows());
        check.observe(11_000, "rrGG");
        assertEquals(2, check.shortAllReds(), "1 s of all-red, 2 s needed");
        check.observe(50_000, "rryy");
        check.observe(53_000, "rrrr");
        check.observe(55_000, "GGrr");
        assertEquals(4, check.violations(), "the second change is clean");
    }

    @Test
    void conflictingGreensCountOncePerStep()
    {
        final SafetyCheck check = new SafetyCheck(CROSSING, 3000, 2000);
        check.observe(0, "GGrr");
        check.observe(1_000, "GGGr");
        check.observe(2_000, "GGGG");
        assertEquals(2, check.conflictingGreenSteps());
        assertEquals(0, check.shortAllReds(), "green next to green is a conflict, not a short all-red");
    }

    @Test
    void anOnsetWhileAConflictingMovementIsStillYellow()
    {
        final SafetyCheck check = new SafetyCheck(CROSSING, 3000, 0);
        check.observe(0, "GGrr");
        check.observe(10_000, "yyrr");
        check.observe(11_000, "yyGG");
        assertEquals(2, check.shortAllReds());
    }

    @Test
    void aPermissiveLeftTurnMayShowGreenWithTheOpposingThroughOnlyAsYielding()
    {
        final SafetyCheck check = new SafetyCheck(permissive(), 3000, 2000);
        check.observe(0, "GgG");
        assertEquals(0, check.violations());
        check.observe(1_000, "GGG");
        assertEquals(1, check.conflictingGreenSteps(), "the left turn shown G no longer yields");
        final SafetyCheck wrongWay = new SafetyCheck(permissive(), 3000, 2000);
        wrongWay.observe(0, "GGg");
        assertEquals(1, wrongWay.conflictingGreenSteps(), "the opposing through does not yield to the left turn");
    }

    @Test
    void aStateOfTheWrongLengthIsRefused()
    {
        final SafetyCheck check = new SafetyCheck(CROSSING, 3000, 2000);
        assertThrows(IllegalArgumentException.class, () -> check.observe(0, "GG"));
    }
}
