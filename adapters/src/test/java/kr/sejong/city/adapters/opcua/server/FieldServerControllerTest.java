package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.adapters.sim.IntersectionLayout;
import kr.sejong.city.codecs.SignalMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static kr.sejong.city.adapters.opcua.server.FieldServerTesting.T0_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated intersection controller without OPC UA, cycle by cycle on a clock the test sets: its local plan
 * and the inputs that bend it, its conflict monitor, the watchdog and the heartbeat.
 */
class FieldServerControllerTest
{
    private static final long SECOND = 1_000_000_000L;
    /** A cycle boundary (66 s cycles counted from the epoch), so the plan starts in phase 0. */
    private static final long START_NS = T0_NS - Math.floorMod(T0_NS, 66 * SECOND);

    private final List<String> shown = new ArrayList<>();
    private final IntersectionController controller = new IntersectionController(3, FieldServerTesting.crossing(), 3000, START_NS,
        (id, state, mode, atNs) -> shown.add(state + "@" + (atNs - START_NS) / SECOND + "/" + mode));

    @Test
    void theLocalPlanRunsTheProgramFromTheEpoch()
    {
        assertEquals("GGrr", controller.signalState());
        assertEquals((int)SignalMode.FIXED_TIME.value(), controller.mode());
        controller.tick(START_NS + 30 * SECOND);
        assertEquals("yyrr", controller.signalState());
        assertEquals(1, controller.phaseIndex());
        controller.tick(START_NS + 34 * SECOND);
        assertEquals("rrGG", controller.signalState());
        assertEquals(1000, controller.phaseElapsedMs());
        assertEquals(34, controller.heartbeat());
        assertEquals(List.of("GGrr@0/2", "yyrr@30/2", "rrGG@34/2"), shown, "told when the controller moved on");
    }

    @Test
    void forceOffEndsTheGreenOnceItsMinimumHasRun()
    {
        controller.tick(START_NS + 5 * SECOND);
        controller.forceOff(START_NS + 5 * SECOND);
        assertEquals("GGrr", controller.signalState(), "the 10 s minimum has not run");
        controller.tick(START_NS + 10 * SECOND);
        assertEquals("yyrr", controller.signalState());
        controller.tick(START_NS + 13 * SECOND);
        assertEquals("rrGG", controller.signalState());
        controller.tick(START_NS + 40 * SECOND);
        assertEquals("rrGG", controller.signalState(), "a force-off ends one phase only");
    }

    @Test
    void holdKeepsTheGreenUpToItsMaximum()
    {
        controller.hold(true, START_NS + 20 * SECOND);
        controller.tick(START_NS + 59 * SECOND);
        assertEquals("GGrr", controller.signalState());
        controller.tick(START_NS + 60 * SECOND);
        assertEquals("yyrr", controller.signalState(), "60 s is the maximum");
    }

    @Test
    void aRequestedPhaseComesNextThroughTheClearance()
    {
        final IntersectionController fourPhase = new IntersectionController(4, FieldServerTesting.crossing(), 3000, START_NS, null);
        assertNull(fourPhase.requestPhase(2, START_NS + SECOND));
        fourPhase.tick(START_NS + 10 * SECOND);
        assertEquals("yyrr", fourPhase.signalState(), "the green ends at its minimum, through its yellow");
        fourPhase.tick(START_NS + 13 * SECOND);
        assertEquals("rrGG", fourPhase.signalState());
        final String problem = fourPhase.requestPhase(7, START_NS + 14 * SECOND);
        assertNotNull(problem);
        assertTrue(problem.contains("PhaseIndex 7"), problem);
    }

    @Test
    void aPreemptionServesThePhaseOfItsApproachAndHoldsIt()
    {
        assertNull(controller.preempt(2, true, START_NS + 12 * SECOND), "approach 2 is served by phase 2");
        assertEquals((int)SignalMode.PREEMPTION.value(), controller.mode());
        controller.tick(START_NS + 15 * SECOND);
        assertEquals("rrGG", controller.signalState(), "through the yellow to the east-west green");
        controller.tick(START_NS + 200 * SECOND);
        assertEquals("rrGG", controller.signalState(), "held while active, beyond its maximum");
        assertNull(controller.preempt(2, false, START_NS + 200 * SECOND));
        assertEquals((int)SignalMode.FIXED_TIME.value(), controller.mode());
        controller.tick(START_NS + 201 * SECOND);
        assertEquals("rryy", controller.signalState(), "released: the long green ends now, through its yellow");
        controller.tick(START_NS + 204 * SECOND);
        assertEquals("GGrr", controller.signalState());
        assertNotNull(controller.preempt(9, true, START_NS + 232 * SECOND), "no phase serves approach 9");
    }

    @Test
    void centralCommandsPassTheConflictMonitorAndTheWatchdogEndsThem()
    {
        assertNull(controller.setSignalState("rrGG", 5000, SignalMode.ADAPTIVE.value(), 5, START_NS + SECOND));
        assertTrue(controller.centralControl());
        assertEquals("yyrr", controller.signalState(), "taking over from the plan's green: its yellow first");
        assertEquals(2, controller.phaseIndex());
        controller.centralHeartbeat(1, START_NS + 2 * SECOND);
        controller.tick(START_NS + 4 * SECOND);
        assertEquals("rrrr", controller.signalState(), "3 s of yellow, then all-red");
        controller.centralHeartbeat(2, START_NS + 5 * SECOND);
        controller.tick(START_NS + 6 * SECOND);
        assertEquals("rrGG", controller.signalState(), "2 s of all-red, then the command");
        assertNull(controller.setSignalState("Grrr", 5000, SignalMode.ADAPTIVE.value(), 5, START_NS + 7 * SECOND),
            "not a program phase, but conflict-free");
        assertEquals("Grrr", controller.signalState(), "under central control the node's own monitor answers for transitions");
        assertEquals(0xFFFF, controller.phaseIndex());
        assertNotNull(controller.setSignalState("GrGr", 5000, SignalMode.ADAPTIVE.value(), 5, START_NS + 7 * SECOND));
        assertEquals("Grrr", controller.signalState());
        assertEquals(1, controller.commandsRefused());

        controller.centralHeartbeat(3, START_NS + 8 * SECOND);
        controller.tick(START_NS + 10 * SECOND + SECOND / 2);
        assertTrue(controller.centralControl());
        controller.tick(START_NS + 11 * SECOND);
        assertFalse(controller.centralControl(), "3 s after the last sign of life");
        assertEquals((int)SignalMode.FIXED_TIME.value(), controller.mode());
        assertEquals("GGrr", controller.signalState(), "the plan's phase: no clearance needed from Grrr");
        assertEquals(1, controller.watchdogExpiries());

        controller.centralHeartbeat(3, START_NS + 12 * SECOND);
        assertFalse(controller.centralControl(), "an unchanged heartbeat is no sign of life, and no command came");
        assertNull(controller.setSignalState("yyrr", 3000, SignalMode.ADAPTIVE.value(), 6, START_NS + 13 * SECOND));
        assertTrue(controller.centralControl(), "commands come again");
        assertEquals("yyrr", controller.signalState());
    }

    @Test
    void whenTheWatchdogHandsBackToThePlanTheCentralGreenClearsBeforeThePlansConflictingGreen()
    {
        // the node holds the cross street green (rrGG) while the plan, counted from the epoch, is in its first green
        assertNull(controller.setSignalState("rryy", 3000, SignalMode.ADAPTIVE.value(), 6, START_NS + SECOND));
        assertEquals("yyrr", controller.signalState(), "the plan's green clears; the cross street was red, so no yellow for it");
        for (long s = 2; s < 10; s++)
        {
            controller.centralHeartbeat(s, START_NS + s * SECOND);
            controller.tick(START_NS + s * SECOND);
        }
        assertEquals("rrrr", controller.signalState());
        assertNull(controller.setSignalState("rrGG", 20_000, SignalMode.ADAPTIVE.value(), 5, START_NS + 10 * SECOND));
        assertEquals("rrGG", controller.signalState());
        shown.clear();
        // the link drops: no command, no heartbeat
        for (long s = 11; s <= 20; s++)
        {
            controller.tick(START_NS + s * SECOND);
        }
        assertEquals(1, controller.watchdogExpiries());
        assertEquals(List.of("rryy@13/2", "rrrr@16/2", "GGrr@18/2"), shown,
            "3 s of yellow and 2 s of all-red between the node's green and the plan's conflicting green");
        assertTrue(controller.heldTransitions() > 0);
    }

    @Test
    void permissiveTurnsOfTheOwnProgramMayYieldButNotGoProtected()
    {
        // a two-approach T with a permissive left: movement 1 (left from approach 0) conflicts with 2 (through from approach 1)
        final byte[] conflicts = new byte[2];
        final int n = 3;
        for (final int[] pair : new int[][] {{1, 2}, {2, 1}})
        {
            final int k = pair[0] * n + pair[1];
            conflicts[k >> 3] |= (byte)(1 << (k & 7));
        }
        final ControllerTopology t = new ControllerTopology("t", new int[] {0, 1}, new int[] {1, 1}, new int[] {1, 1},
            new int[] {0, 0, 1}, new int[] {2, 3, 2}, "sls", conflicts, new String[] {"GgG", "yyy", "rrr"},
            new long[] {30_000, 3_000, 2_000}, new long[] {10_000, 3_000, 2_000}, new long[] {60_000, 3_000, 2_000});
        final ConflictCheck check = new ConflictCheck(t);
        assertNull(check.problem("GgG"));
        assertNotNull(check.problem("GGG"));
        assertNull(check.problem("GGr"));
    }

    @Test
    void theFieldSimulatorsLayoutsGiveTopologiesTheControllerRuns() throws Exception
    {
        final kr.sejong.city.config.CityConfig config = kr.sejong.city.config.ConfigLoader.loadDefault().config();
        final List<FieldDevice> devices = FieldDevice.of(config, 1);
        assertFalse(devices.isEmpty());
        int intersections = 0;
        for (final FieldDevice device : devices)
        {
            if (device.topology() != null)
            {
                intersections++;
                final ConflictCheck check = new ConflictCheck(device.topology());
                for (final String state : device.topology().programStates())
                {
                    assertNull(check.problem(state), device + " refuses its own program: " + state);
                }
            }
        }
        assertTrue(intersections > 0);
        for (final IntersectionLayout layout : new kr.sejong.city.adapters.sim.FieldModel(config).signals().layouts())
        {
            assertEquals(layout.movementCount(), ControllerTopology.of(layout).movementCount());
        }
    }
}
