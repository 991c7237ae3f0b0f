package kr.sejong.city.core.loops.energy;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The balancing arithmetic, case by case from the physics: limits, saturation, signs. */
class EnergyArithmeticTest
{
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(100);

    // ------------------------------------------------------------------ droop

    @Test
    void noDroopResponseInsideTheDeadBand()
    {
        assertEquals(0, FrequencyDroop.responseW(60_030, 60_000, 30, 5.0, 2_500_000));
        assertEquals(0, FrequencyDroop.responseW(59_970, 60_000, 30, 5.0, 2_500_000));
    }

    @Test
    void underFrequencyDeliversInProportionToTheDeviationBeyondTheDeadBand()
    {
        // 5 % of 60 Hz = 3 Hz for full power; 200 mHz low, 30 mHz dead band: 170 / 3000 of the rating
        final long expected = -Math.round(170.0 / 3000.0 * 2_500_000);
        assertEquals(expected, FrequencyDroop.responseW(59_800, 60_000, 30, 5.0, 2_500_000));
    }

    @Test
    void overFrequencyDrawsPower()
    {
        assertTrue(FrequencyDroop.responseW(60_200, 60_000, 30, 5.0, 2_500_000) > 0);
        assertEquals(-FrequencyDroop.responseW(59_800, 60_000, 30, 5.0, 2_500_000), FrequencyDroop.responseW(60_200, 60_000, 30, 5.0, 2_500_000));
    }

    @Test
    void droopSaturatesAtTheRating()
    {
        assertEquals(-2_500_000, FrequencyDroop.responseW(56_000, 60_000, 30, 5.0, 2_500_000));
        assertEquals(2_500_000, FrequencyDroop.responseW(64_000, 60_000, 30, 5.0, 2_500_000));
        assertEquals(0, FrequencyDroop.responseW(59_000, 60_000, 30, 5.0, 0), "nothing to respond with");
    }

    // ------------------------------------------------------------------ PCC

    @Test
    void planningMarginSitsBelowTheContract()
    {
        assertEquals(11_760_000, PccLimit.withMarginW(12_000_000, 20));
        assertEquals(12_000_000, PccLimit.withMarginW(12_000_000, 0));
    }

    @Test
    void demandResponseLowersTheImportCapToTheBaselineMinusTheReduction()
    {
        assertEquals(11_760_000, PccLimit.importCapW(11_760_000, false, 9_000_000, 1_500_000));
        assertEquals(7_500_000, PccLimit.importCapW(11_760_000, true, 9_000_000, 1_500_000));
        assertEquals(11_760_000, PccLimit.importCapW(11_760_000, true, 14_000_000, 1_000_000), "never above the contract");
        assertEquals(0, PccLimit.importCapW(11_760_000, true, 1_000_000, 3_000_000), "a reduction beyond the baseline asks for no export");
    }

    @Test
    void excessFollowsTheSignConvention()
    {
        assertEquals(500, PccLimit.excessImportW(10_500, 10_000));
        assertEquals(0, PccLimit.excessImportW(-50_000, 10_000), "export is not import");
        assertEquals(1_000, PccLimit.excessExportW(-4_000, 3_000));
        assertEquals(0, PccLimit.excessExportW(8_000, 3_000), "import is not export");
        assertTrue(PccLimit.within(-3_000, 10_000, 3_000));
        assertTrue(!PccLimit.within(-3_001, 10_000, 3_000));
    }

    // ------------------------------------------------------------------ ESS

    @Test
    void noDischargeAtTheLowerSocLimitAndNoChargeAtTheUpper()
    {
        assertEquals(0, EssLimits.maxDischargeW(101, 100, 8_000_000, 2_000_000, TICK_NS), "the guard permille");
        assertEquals(0, EssLimits.maxDischargeW(90, 100, 8_000_000, 2_000_000, TICK_NS));
        assertEquals(2_000_000, EssLimits.maxDischargeW(500, 100, 8_000_000, 2_000_000, TICK_NS));
        assertEquals(0, EssLimits.maxChargeW(899, 900, 8_000_000, 2_000_000, TICK_NS));
        assertEquals(2_000_000, EssLimits.maxChargeW(500, 900, 8_000_000, 2_000_000, TICK_NS));
    }

    @Test
    void nearALimitThePowerIsWhatTheRemainingEnergyAllowsInOneTick()
    {
        // 1 permille of 1 Wh... a 10 Wh battery with 1 permille of room: 0.01 Wh in 100 ms = 360 W
        assertEquals(360, EssLimits.maxDischargeW(102, 100, 10, 2_000_000, TICK_NS));
        assertEquals(360, EssLimits.maxChargeW(898, 900, 10, 2_000_000, TICK_NS));
    }

    @Test
    void sharingFollowsEachUnitsRoomAndNeverExceedsIt()
    {
        final long[] out = new long[2];
        assertEquals(-1_250_000, EssLimits.share(-1_250_000, new long[]{ 2_000_000, 500_000 }, new long[]{ 2_000_000, 500_000 }, 2, out));
        assertArrayEquals(new long[]{ -1_000_000, -250_000 }, out);
        assertEquals(2_500_000, EssLimits.share(9_000_000, new long[]{ 2_000_000, 500_000 }, new long[]{ 2_000_000, 500_000 }, 2, out), "saturates");
        assertArrayEquals(new long[]{ 2_000_000, 500_000 }, out);
        assertEquals(-500_000, EssLimits.share(-800_000, new long[]{ 2_000_000, 500_000 }, new long[]{ 0, 500_000 }, 2, out), "an empty unit gives nothing");
        assertArrayEquals(new long[]{ 0, -500_000 }, out);
    }

    // ------------------------------------------------------------------ EVs

    @Test
    void requiredPowerDeliversTheNeedBeforeTheMargin()
    {
        final long twoHoursNs = TimeUnit.HOURS.toNanos(2);
        final long marginNs = TimeUnit.MINUTES.toNanos(10);
        // 10 kWh in 110 minutes
        assertEquals((long)Math.ceil(10_000 * 60.0 / 110), EvScheduling.requiredPowerW(10_000, twoHoursNs, 11_000, marginNs));
        assertEquals(11_000, EvScheduling.requiredPowerW(50_000, twoHoursNs, 11_000, marginNs), "beyond the charger: full power");
        assertEquals(11_000, EvScheduling.requiredPowerW(1_000, marginNs / 2, 11_000, marginNs), "inside the margin: full power");
        assertEquals(0, EvScheduling.requiredPowerW(0, twoHoursNs, 11_000, marginNs));
    }

    @Test
    void laxityIsTheSlackBeforeFullPowerIsNeeded()
    {
        assertEquals(TimeUnit.HOURS.toNanos(1), EvScheduling.laxityNs(11_000, TimeUnit.HOURS.toNanos(2), 11_000));
        assertTrue(EvScheduling.laxityNs(50_000, TimeUnit.HOURS.toNanos(2), 11_000) < 0, "cannot be met");
    }

    @Test
    void sheddingTakesFromTheMostLaxityFirstAndKeepsFloors()
    {
        final long[] set = { 7_000, 7_000, 7_000 };
        final long[] floor = { 2_000, 2_000, 2_000 };
        final long[] laxity = { 100, 900, 500 };
        assertEquals(8_000, EvScheduling.shedByLaxity(set, floor, laxity, 3, 8_000));
        assertArrayEquals(new long[]{ 7_000, 2_000, 4_000 }, set);
        assertEquals(7_000, EvScheduling.shedByLaxity(set, floor, laxity, 3, 100_000), "never below the floors");
        assertArrayEquals(new long[]{ 2_000, 2_000, 2_000 }, set);
    }

    @Test
    void givingGoesToTheLeastLaxityFirstUpToCeilings()
    {
        final long[] set = { 0, 0, 0 };
        final long[] ceiling = { 7_000, 50_000, 7_000 };
        final long[] laxity = { 900, 500, 100 };
        assertEquals(10_000, EvScheduling.giveByLaxity(set, ceiling, laxity, 3, 10_000));
        assertArrayEquals(new long[]{ 0, 3_000, 7_000 }, set);
    }

    @Test
    void aFullVehicleDrawsOnlyWhatItStillNeeded()
    {
        final long tickNs = TimeUnit.MILLISECONDS.toNanos(100);
        assertEquals(7_000, EvScheduling.drawnW(10_000, 7_000, tickNs));
        assertEquals(180_000, EvScheduling.drawnW(5, 300_000, tickNs), "5 Wh in 100 ms");
        assertEquals(0, EvScheduling.drawnW(0, 300_000, tickNs));
        assertEquals(-7_000, EvScheduling.drawnW(0, -7_000, tickNs), "V2G as sent");
    }

    @Test
    void chargingReducesTheNeedAndV2gAddsToIt()
    {
        assertEquals(9_000, EvScheduling.remainingAfterWh(10_000, 3_600_000, TimeUnit.SECONDS.toNanos(1)), 1e-9);
        assertEquals(11_000, EvScheduling.remainingAfterWh(10_000, -3_600_000, TimeUnit.SECONDS.toNanos(1)), 1e-9);
        assertEquals(0, EvScheduling.remainingAfterWh(10, 3_600_000, TimeUnit.SECONDS.toNanos(1)), 1e-9, "never negative");
    }

    // ------------------------------------------------------------------ neighbour exchange

    @Test
    void atMostHalfTheSurplusGoesToNeighbours()
    {
        assertEquals(6.0, NeighbourSettlement.selfConsumed(10, 6), 1e-9);
        assertEquals(4.0, NeighbourSettlement.surplus(10, 6), 1e-9);
        assertEquals(2.0, NeighbourSettlement.soldToNeighbours(4, 50, 2, 100), 1e-9);
        assertEquals(0.0, NeighbourSettlement.surplus(5, 6), 1e-9, "no surplus when consumption is larger");
    }

    @Test
    void sellersShareWhatTheNeighboursLack()
    {
        // two sellers offer 2 + 6 = 8, neighbours lack 4: each sells half its offer
        assertEquals(1.0, NeighbourSettlement.soldToNeighbours(4, 50, 8, 4), 1e-9);
        assertEquals(3.0, NeighbourSettlement.soldToNeighbours(12, 50, 8, 4), 1e-9);
    }

    // ------------------------------------------------------------------ time-of-use plan

    @Test
    void theStoredEnergyGoesToTheDearestSlotsThatFit()
    {
        final long[] price = { 230, 230, 150, 150, 95 };
        final double[] deficit = { 100, 100, 100, 100, 100 };
        assertEquals(230, TouPlan.dischargeThreshold(price, deficit, 0, 4, 250), "only the 230 slots fit");
        assertEquals(150, TouPlan.dischargeThreshold(price, deficit, 0, 4, 400), "everything fits");
        assertEquals(230, TouPlan.dischargeThreshold(price, deficit, 0, 4, 50), "not even the dearest fit: discharge there only");
        assertEquals(Long.MAX_VALUE, TouPlan.dischargeThreshold(price, deficit, 2, 2, 1000), "no window, no discharge");
    }

    @Test
    void gridChargingIsSpreadOverTheCheapHoursLeft()
    {
        assertEquals(500_000, TouPlan.gridChargePowerW(5_000_000, 0, 1_000_000, 10_000_000, 8, 2_000_000));
        assertEquals(0, TouPlan.gridChargePowerW(5_000_000, 6_000_000, 0, 10_000_000, 8, 2_000_000), "PV will fill it");
        assertEquals(250_000, TouPlan.gridChargePowerW(5_000_000, 0, 0, 2_000_000, 8, 2_000_000), "only the room");
        assertEquals(2_000_000, TouPlan.gridChargePowerW(50_000_000, 0, 0, 50_000_000, 1, 2_000_000), "the rating");
    }

    @Test
    void theForecastIsTheSlotMeanAndPersistenceBeforeHistory()
    {
        final TouPlan plan = new TouPlan();
        plan.observe(10, 1_000);
        plan.observe(10, 3_000);
        assertEquals(2_000, plan.forecastW(50), 1e-9, "before a slot closes: the open slot's running mean");
        plan.observe(11, 5_000);
        assertEquals(2_000, plan.forecastW(10), 1e-9, "the closed slot's mean");
        assertEquals(2_000, plan.forecastW(50), 1e-9, "unseen slots: the latest closed mean");
    }
}
