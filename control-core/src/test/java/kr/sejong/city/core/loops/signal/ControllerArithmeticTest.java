package kr.sejong.city.core.loops.signal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The controllers' decision arithmetic, as pure functions. */
class ControllerArithmeticTest
{
    @Test
    void fixedTimeKeepsProgrammedGreensWithinMinAndMaxGreen()
    {
        assertEquals(30_000, FixedTimeController.plannedGreenMs(30_000, 5000, 60_000));
        assertEquals(5000, FixedTimeController.plannedGreenMs(2000, 5000, 60_000));
        assertEquals(60_000, FixedTimeController.plannedGreenMs(90_000, 5000, 60_000));
    }

    @Test
    void fixedTimeSkipsTheProgramsClearancePhases()
    {
        final IntersectionModel model = SignalFrames.protectedLefts(1).model();
        assertEquals(2, FixedTimeController.nextGreen(model, 0, 0));
        assertEquals(0, FixedTimeController.nextGreen(model, 6, 3), "wraps round");
        assertEquals(-1, FixedTimeController.nextGreen(SignalFrames.fourLeg(1).model(), 0, 0) == 2 ? -1 : 0);
    }

    @Test
    void maxPressureSumsTheQueuesOfAPhasesGreenMovements()
    {
        final IntersectionModel model = SignalFrames.protectedLefts(1).model();
        final LaneTraffic traffic = new LaneTraffic(8);
        final int[] halting = { 4, 1, 2, 0, 3, 5, 0, 0 };
        for (int l = 0; l < 8; l++)
        {
            traffic.set(l, halting[l] + 1, halting[l], 0);
        }
        assertEquals(4 + 1 + 3 + 5, MaxPressureController.pressure(model, traffic, 0));
        assertEquals(1 + 5, MaxPressureController.pressure(model, traffic, 1));
        assertEquals(2, MaxPressureController.pressure(model, traffic, 2));
        assertEquals(3, MaxPressureController.movementPressure(5, 2));
        assertEquals(5, MaxPressureController.movementPressure(5, -1), "unknown outgoing queue");
    }

    @Test
    void adaptiveArithmetic()
    {
        assertEquals(15_000, AdaptiveController.redAheadMs(5000, 5000));
        // 0.4 vehicles a second, 15 s of red ahead, weight 2: worth 12 waiting vehicles
        assertTrue(AdaptiveController.holdIsWorthIt(2 * 0.4, 15_000, 11));
        assertFalse(AdaptiveController.holdIsWorthIt(2 * 0.4, 15_000, 12));
        assertFalse(AdaptiveController.holdIsWorthIt(0, 15_000, 0.5), "an empty approach gives way to the first");
        // the defaults' example: one vehicle due within the 7 s window holds against up to 4 waiting, two against 8
        final AdaptiveController.Settings defaults = AdaptiveController.Settings.defaults();
        final double onePerWindow = 1000.0 / defaults.arrivalWindowMs();
        final long redAhead = AdaptiveController.redAheadMs(5000, 5000);
        assertTrue(AdaptiveController.holdIsWorthIt(defaults.holdWeight() * onePerWindow, redAhead, 4));
        assertFalse(AdaptiveController.holdIsWorthIt(defaults.holdWeight() * onePerWindow, redAhead, 5));
        assertTrue(AdaptiveController.holdIsWorthIt(defaults.holdWeight() * 2 * onePerWindow, redAhead, 8));
        assertFalse(AdaptiveController.holdIsWorthIt(defaults.holdWeight() * 2 * onePerWindow, redAhead, 9));
        // the arrival rate that holds: the rate within the window less a share of the steady flow
        assertEquals(1.0 / 7 - 0.3 * 6 / 30.0, AdaptiveController.arrivalsBeyondSteadyPerS(1, 7000, 6, 30_000, 0.3), 1e-9);
        assertEquals(1.0 / 7, AdaptiveController.arrivalsBeyondSteadyPerS(1, 7000, 6, 30_000, 0), 1e-9);
        assertEquals(0, AdaptiveController.arrivalsBeyondSteadyPerS(0, 7000, 6, 30_000, 0.3), "never below 0");
        // a platoon's tail (two due now, nobody behind) holds; a steady stream with one due, against 3 waiting, does not
        assertTrue(AdaptiveController.holdIsWorthIt(
            defaults.holdWeight() * AdaptiveController.arrivalsBeyondSteadyPerS(2, 7000, 2, 30_000, defaults.steadyShare()), redAhead, 7));
        assertFalse(AdaptiveController.holdIsWorthIt(
            defaults.holdWeight() * AdaptiveController.arrivalsBeyondSteadyPerS(1, 7000, 6, 30_000, defaults.steadyShare()), redAhead, 3));
    }
}
