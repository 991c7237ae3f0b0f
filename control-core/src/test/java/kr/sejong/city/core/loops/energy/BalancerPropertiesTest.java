package kr.sejong.city.core.loops.energy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random measurements (any SoC, any frequency, any load and PV, random EV sessions, devices going stale,
 * demand response on or off): the set-points never leave a device's limits, and the planned PCC power
 * stays within its limits whenever the assets could have kept it there.
 */
class BalancerPropertiesTest
{
    private static final EnergySettings SETTINGS = BalancerTest.SETTINGS;

    @Provide
    Arbitrary<GridState> states()
    {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 3))
            .as((seed, flavour) -> randomState(new Random(seed), flavour));
    }

    /** As {@link #states()}, with operators' set-points on random devices (values anywhere in the device's physical range). */
    @Provide
    Arbitrary<GridState> statesUnderManualControl()
    {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 3))
            .as((seed, flavour) ->
            {
                final Random random = new Random(seed);
                final GridState s = randomState(random, flavour);
                for (int i = 0; i < s.essManual.length; i++)
                {
                    s.essManual[i] = random.nextInt(3) > 0;
                    s.essManualW[i] = -SETTINGS.essMaxDischargeW[i]
                        + (long)(random.nextDouble() * (SETTINGS.essMaxChargeW[i] + SETTINGS.essMaxDischargeW[i] + 1));
                }
                for (int i = 0; i < s.chargerManual.length; i++)
                {
                    s.chargerManual[i] = random.nextInt(3) == 0;
                    final long lowestW = SETTINGS.chargerV2g[i] ? -SETTINGS.chargerRatedW[i] : 0;
                    s.chargerCapW[i] = lowestW + (long)(random.nextDouble() * (SETTINGS.chargerRatedW[i] - lowestW + 1));
                }
                return s;
            });
    }

    static GridState randomState(final Random random, final int flavour)
    {
        final GridState s = BalancerTest.calmState(SETTINGS);
        s.frequencyOk = random.nextInt(5) > 0;
        s.frequencyMilliHz = 60_000 + (int)Math.round(random.nextGaussian() * (flavour == 0 ? 2_000 : 150));
        long essW = 0;
        for (int i = 0; i < s.essOk.length; i++)
        {
            s.essOk[i] = random.nextInt(6) > 0;
            s.essSocPermille[i] = random.nextInt(1001);
            s.essW[i] = random.nextInt(1_000_001) - 500_000;
            essW += s.essW[i];
        }
        long pvW = 0;
        for (int i = 0; i < s.pvW.length; i++)
        {
            s.pvW[i] = -(long)(random.nextDouble() * SETTINGS.pvPeakW[i] * (flavour == 1 ? 3 : 1) / (flavour == 1 ? 1 : 1));
            s.pvW[i] = Math.max(s.pvW[i], -SETTINGS.pvPeakW[i]);
            s.pvLimitW[i] = random.nextInt(4) == 0 ? (long)(random.nextDouble() * SETTINGS.pvPeakW[i]) : SETTINGS.pvPeakW[i];
            s.pvW[i] = Math.max(s.pvW[i], -s.pvLimitW[i]);
            pvW += s.pvW[i];
        }
        long chargerW = 0;
        for (int i = 0; i < s.chargerOk.length; i++)
        {
            s.chargerOk[i] = random.nextInt(10) > 0;
            s.sessionActive[i] = random.nextBoolean();
            s.remainingWh[i] = random.nextInt(80_000);
            s.departureNs[i] = s.nowNs + (long)(random.nextDouble() * TimeUnit.HOURS.toNanos(8)) - TimeUnit.MINUTES.toNanos(5);
            s.sessionMaxChargeW[i] = random.nextInt(300_001);
            s.sessionMaxDischargeW[i] = random.nextInt(120_001);
            s.v2gAllowed[i] = random.nextBoolean();
            s.chargerW[i] = s.sessionActive[i] ? random.nextInt((int)Math.min(SETTINGS.chargerRatedW[i], s.sessionMaxChargeW[i]) + 1) : 0;
            s.chargerDrawnW[i] = random.nextInt(4) == 0 ? (long)(s.chargerW[i] * random.nextDouble()) : s.chargerW[i]; // a full vehicle draws less
            chargerW += s.chargerDrawnW[i];
        }
        long reductionW = 0;
        for (int i = 0; i < s.loadReductionW.length; i++)
        {
            s.loadReductionW[i] = random.nextInt(3) == 0 ? random.nextInt((int)SETTINGS.loadMaxReductionW[i] + 1) : 0;
            reductionW += s.loadReductionW[i];
        }
        s.loadW = flavour == 2 ? 9_000_000 + random.nextInt(6_000_000) : random.nextInt(14_000_000);
        s.pccOk = random.nextInt(20) > 0;
        s.pccW = s.loadW - reductionW + pvW + essW + chargerW;
        s.drActive = random.nextInt(4) == 0;
        s.drBaselineW = random.nextInt(12_000_000);
        s.drReduceW = random.nextInt(3_000_000);
        s.cheapSlot = random.nextBoolean();
        s.importPriceKrwPerMwh = 95_000 + random.nextInt(140_000);
        s.dischargeThresholdKrwPerMwh = random.nextBoolean() ? Long.MAX_VALUE : 150_000;
        s.gridChargeW = random.nextBoolean() ? random.nextInt(2_500_000) : 0;
        s.essUsableWh = random.nextDouble() * 7_000_000;
        s.essReserveWh = random.nextDouble() * 4_000_000;
        return s;
    }

    @Property(tries = 2000)
    void setPointsStayWithinDeviceLimits(@ForAll("states") final GridState state)
    {
        final Balancer balancer = new Balancer(SETTINGS);
        balancer.balance(state);
        for (int i = 0; i < SETTINGS.essCount(); i++)
        {
            final long setW = balancer.essSetW(i);
            final long maxChargeW = state.essOk[i] ? EssLimits.maxChargeW(state.essSocPermille[i], SETTINGS.essMaxSocPermille[i],
                SETTINGS.essCapacityWh[i], SETTINGS.essMaxChargeW[i], state.tickNs) : 0;
            final long maxDischargeW = state.essOk[i] ? EssLimits.maxDischargeW(state.essSocPermille[i], SETTINGS.essMinSocPermille[i],
                SETTINGS.essCapacityWh[i], SETTINGS.essMaxDischargeW[i], state.tickNs) : 0;
            assertTrue(setW <= maxChargeW && setW >= -maxDischargeW,
                "ESS " + i + " set " + setW + " outside [-" + maxDischargeW + ", " + maxChargeW + "] at SoC " + state.essSocPermille[i]);
        }
        for (int i = 0; i < SETTINGS.chargerCount(); i++)
        {
            final long setW = balancer.chargerSetW(i);
            final boolean usable = state.sessionActive[i] && state.chargerOk[i];
            final long maxW = usable ? Math.min(SETTINGS.chargerRatedW[i], state.sessionMaxChargeW[i]) : 0;
            final long minW = usable && state.v2gAllowed[i] && SETTINGS.chargerV2g[i]
                ? -Math.min(SETTINGS.chargerRatedW[i], state.sessionMaxDischargeW[i]) : 0;
            assertTrue(setW <= maxW && setW >= minW, "charger " + i + " set " + setW + " outside [" + minW + ", " + maxW + "]");
        }
        for (int i = 0; i < SETTINGS.pvPeakW.length; i++)
        {
            assertTrue(balancer.pvLimitSetW(i) >= 0 && balancer.pvLimitSetW(i) <= SETTINGS.pvPeakW[i], "PV " + i + " limit " + balancer.pvLimitSetW(i));
        }
        for (int i = 0; i < SETTINGS.loadMaxReductionW.length; i++)
        {
            assertTrue(balancer.loadReductionSetW(i) >= 0 && balancer.loadReductionSetW(i) <= SETTINGS.loadMaxReductionW[i]);
        }
    }

    @Property(tries = 2000)
    void operatorsSetPointsNeverTakeADeviceBeyondItsLimits(@ForAll("statesUnderManualControl") final GridState state)
    {
        setPointsStayWithinDeviceLimits(state);
        final Balancer balancer = new Balancer(SETTINGS);
        balancer.balance(state);
        for (int i = 0; i < SETTINGS.chargerCount(); i++)
        {
            if (state.pccOk && state.chargerManual[i] && state.chargerCapW[i] >= 0)
            {
                assertTrue(balancer.chargerSetW(i) <= state.chargerCapW[i], "charger " + i + " set " + balancer.chargerSetW(i)
                    + " above the operator's cap " + state.chargerCapW[i]);
            }
        }
    }

    @Property(tries = 2000)
    void operatorsSetPointsGiveWayToThePccContract(@ForAll("statesUnderManualControl") final GridState state)
    {
        // the operator outranks demand response: the contract is the limit that must hold
        state.drActive = false;
        thePlannedPccStaysWithinItsLimitsWhenTheAssetsCanKeepItThere(state);
    }

    @Property(tries = 2000)
    void thePlannedPccStaysWithinItsLimitsWhenTheAssetsCanKeepItThere(@ForAll("states") final GridState state)
    {
        if (!state.pccOk)
        {
            return; // no balance to plan without the PCC: the fallback has its own test
        }
        final Balancer balancer = new Balancer(SETTINGS);
        balancer.balance(state);
        // the residual the balancer works from: load - PV at the limits in force
        long residualW = state.pccW;
        for (int i = 0; i < SETTINGS.essCount(); i++)
        {
            residualW -= state.essW[i];
        }
        for (int i = 0; i < SETTINGS.chargerCount(); i++)
        {
            residualW -= state.chargerDrawnW[i];
        }
        for (int i = 0; i < state.loadReductionW.length; i++)
        {
            residualW += state.loadReductionW[i];
        }
        long essDischargeW = 0;
        long essChargeW = 0;
        for (int i = 0; i < SETTINGS.essCount(); i++)
        {
            if (state.essOk[i])
            {
                essDischargeW += EssLimits.maxDischargeW(state.essSocPermille[i], SETTINGS.essMinSocPermille[i], SETTINGS.essCapacityWh[i],
                    SETTINGS.essMaxDischargeW[i], state.tickNs);
                essChargeW += EssLimits.maxChargeW(state.essSocPermille[i], SETTINGS.essMaxSocPermille[i], SETTINGS.essCapacityWh[i],
                    SETTINGS.essMaxChargeW[i], state.tickNs);
            }
        }
        long loadsW = 0;
        for (final long maxW : SETTINGS.loadMaxReductionW)
        {
            loadsW += maxW;
        }
        long pvOutputW = 0;
        for (final long pvW : state.pvW)
        {
            pvOutputW += -pvW;
        }
        final long importCapW = balancer.importCapW();
        final long exportCapW = balancer.exportCapW();
        // lowest import the assets can reach: ESS fully discharging, every charger off, every load reduced
        if (residualW - essDischargeW - loadsW <= importCapW)
        {
            assertTrue(balancer.plannedPccW() <= importCapW, "planned " + balancer.plannedPccW() + " above the cap " + importCapW);
        }
        // lowest export: ESS fully charging and every PV array curtailed to nothing (EVs not counted on)
        if (residualW + essChargeW + pvOutputW >= -exportCapW)
        {
            assertTrue(balancer.plannedPccW() >= -exportCapW, "planned " + balancer.plannedPccW() + " beyond the export cap " + exportCapW);
        }
    }
}
