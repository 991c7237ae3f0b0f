package kr.sejong.city.core.loops.energy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clamping arithmetic of an operator's manual set-point ({@link OperatorSetpoints}), one function at a time. */
class EnergyOperatorArithmeticTest
{
    @Test
    void anEssValueIsRefusedOutsideTheRatingsAndAcceptedAtThem()
    {
        assertTrue(OperatorSetpoints.essInRange(500_000, 500_000, 400_000));
        assertTrue(OperatorSetpoints.essInRange(-400_000, 500_000, 400_000));
        assertTrue(OperatorSetpoints.essInRange(0, 500_000, 400_000));
        assertFalse(OperatorSetpoints.essInRange(500_001, 500_000, 400_000));
        assertFalse(OperatorSetpoints.essInRange(-400_001, 500_000, 400_000));
    }

    @Test
    void aChargerCapIsRefusedAboveItsRatingAndBelowZeroWithoutV2g()
    {
        assertTrue(OperatorSetpoints.chargerInRange(7_000, 7_000, false));
        assertTrue(OperatorSetpoints.chargerInRange(0, 7_000, false));
        assertFalse(OperatorSetpoints.chargerInRange(7_001, 7_000, false));
        assertFalse(OperatorSetpoints.chargerInRange(-1, 7_000, false), "no V2G: a negative cap is not a power this charger has");
        assertTrue(OperatorSetpoints.chargerInRange(-7_000, 7_000, true));
        assertFalse(OperatorSetpoints.chargerInRange(-7_001, 7_000, true));
    }

    @Test
    void theHoldIsOneMillisecondToADayAndItsEndSaturates()
    {
        assertFalse(OperatorSetpoints.holdInRange(0));
        assertTrue(OperatorSetpoints.holdInRange(1));
        assertTrue(OperatorSetpoints.holdInRange(86_400_000));
        assertFalse(OperatorSetpoints.holdInRange(86_400_001));
        assertEquals(1_000 + 900_000_000_000L, OperatorSetpoints.untilNs(1_000, 900_000));
        assertEquals(Long.MAX_VALUE, OperatorSetpoints.untilNs(Long.MAX_VALUE - 5, 1));
    }

    @Test
    void anEssValueIsClampedToWhatTheSocWindowAndRatingLeaveThisTick()
    {
        assertEquals(-300_000, OperatorSetpoints.essClampW(-300_000, 500_000, 500_000), "inside: as asked");
        assertEquals(-120_000, OperatorSetpoints.essClampW(-300_000, 500_000, 120_000), "near the lower SoC limit");
        assertEquals(0, OperatorSetpoints.essClampW(-300_000, 500_000, 0), "at the lower SoC limit");
        assertEquals(80_000, OperatorSetpoints.essClampW(300_000, 80_000, 500_000), "near the upper SoC limit");
        // the SoC limits themselves come from EssLimits: at the guard above the minimum nothing may be discharged
        final long maxDischargeW = EssLimits.maxDischargeW(101, 100, 1_000_000, 500_000, 100_000_000L);
        assertEquals(0, OperatorSetpoints.essClampW(-300_000, 500_000, maxDischargeW));
    }

    @Test
    void aNegativeChargerCapGoesNoDeeperThanTheSessionAllows()
    {
        assertEquals(3_000, OperatorSetpoints.chargerLimitW(3_000, -7_000), "a cap of 0 or more stands");
        assertEquals(0, OperatorSetpoints.chargerLimitW(0, 0));
        assertEquals(-5_000, OperatorSetpoints.chargerLimitW(-5_000, -7_000), "V2G within the vehicle's limit");
        assertEquals(-4_000, OperatorSetpoints.chargerLimitW(-5_000, -4_000), "the vehicle gives at most 4 kW");
        assertEquals(0, OperatorSetpoints.chargerLimitW(-5_000, 0), "no V2G in this session: 0");
    }

    @Test
    void manualUnitsGiveWayInConfigurationOrderWithinTheirLimits()
    {
        final boolean[] manual = { true, false, true };
        final long[] setW = { 400_000, 100_000, 200_000 };
        final long[] maxDischargeW = { 500_000, 500_000, 500_000 };
        // import excess of 1 MW: the first manual unit to full discharge (900 kW), then 100 kW of the third
        assertEquals(1_000_000, OperatorSetpoints.dischargeMoreW(1_000_000, setW, maxDischargeW, manual, 3));
        assertArrayEquals(new long[]{ -500_000, 100_000, 100_000 }, setW, "the automatic unit is not touched");
        // more than they have: all of it, and no further
        assertEquals(600_000, OperatorSetpoints.dischargeMoreW(5_000_000, setW, maxDischargeW, manual, 3));
        assertArrayEquals(new long[]{ -500_000, 100_000, -500_000 }, setW);

        final long[] maxChargeW = { 300_000, 300_000, 300_000 };
        assertEquals(500_000, OperatorSetpoints.chargeMoreW(500_000, setW, maxChargeW, manual, 3));
        assertArrayEquals(new long[]{ 0, 100_000, -500_000 }, setW);
        assertEquals(0, OperatorSetpoints.chargeMoreW(0, setW, maxChargeW, manual, 3), "no excess, nothing moves");
    }
}
