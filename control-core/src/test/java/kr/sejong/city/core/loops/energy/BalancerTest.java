package kr.sejong.city.core.loops.energy;

import kr.sejong.city.codecs.SetpointReason;
import kr.sejong.city.config.ConfigLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One balancing decision at a time on the default city (PCC 12 MW import, 3 MW export, ESS 2 + 0.5 MW,
 * 30 chargers, 8 PV arrays, 5 controllable loads), state filled by hand.
 */
class BalancerTest
{
    static final EnergySettings SETTINGS = EnergySettings.from(ConfigLoader.loadDefault().config());
    static final long NOW_NS = TimeUnit.DAYS.toNanos(20_000);

    private GridState state;
    private Balancer balancer;

    @BeforeEach
    void setUp()
    {
        state = calmState(SETTINGS);
        balancer = new Balancer(SETTINGS);
    }

    /** Everything measured and good, ESS half full and idle, no EVs, no PV, cheap slot rules off. */
    static GridState calmState(final EnergySettings settings)
    {
        final GridState s = new GridState(settings);
        s.nowNs = NOW_NS;
        s.tickNs = TimeUnit.MILLISECONDS.toNanos(100);
        s.pccOk = true;
        s.loadOk = true;
        s.frequencyOk = true;
        s.frequencyMilliHz = 60_000;
        for (int i = 0; i < s.essOk.length; i++)
        {
            s.essOk[i] = true;
            s.essSocPermille[i] = 500;
        }
        for (int i = 0; i < s.pvOk.length; i++)
        {
            s.pvOk[i] = true;
        }
        for (int i = 0; i < s.chargerOk.length; i++)
        {
            s.chargerOk[i] = true;
        }
        s.importPriceKrwPerMwh = 150_000;
        s.dischargeThresholdKrwPerMwh = Long.MAX_VALUE; // prices do not let the ESS discharge
        s.essUsableWh = 3_600_000;
        s.essReserveWh = 0;
        return s;
    }

    /** PV output of the arrays in proportion to their peaks, W; returns the (negative) sum. */
    private long pvAt(final long totalW)
    {
        long peakW = 0;
        for (final long p : SETTINGS.pvPeakW)
        {
            peakW += p;
        }
        long sumW = 0;
        for (int i = 0; i < state.pvW.length; i++)
        {
            state.pvW[i] = -totalW * SETTINGS.pvPeakW[i] / peakW;
            sumW += state.pvW[i];
        }
        return sumW;
    }

    private long essTotalW()
    {
        long total = 0;
        for (int i = 0; i < SETTINGS.essCount(); i++)
        {
            total += balancer.essSetW(i);
        }
        return total;
    }

    @Test
    void importAboveTheLimitIsTakenByTheEss()
    {
        state.pccW = 13_000_000; // load alone, ESS idle
        state.loadW = 13_000_000;
        balancer.balance(state);
        final long capW = PccLimit.withMarginW(SETTINGS.importLimitW(), SETTINGS.tuning().pccMarginPermille());
        assertTrue(balancer.plannedPccW() <= capW, "planned " + balancer.plannedPccW());
        assertEquals(-2_500_000, essTotalW(), "all both units have");
        assertEquals(SetpointReason.PCC_LIMIT, balancer.binding());
    }

    @Test
    void aPeakAboveTheTargetIsShavedFromTheReserve()
    {
        state.pccW = 11_000_000;
        state.essReserveWh = state.essUsableWh; // prices may not discharge: only the peak target may
        balancer.balance(state);
        final long targetW = SETTINGS.importLimitW() * SETTINGS.tuning().peakTargetPermille() / 1000;
        assertEquals(targetW, balancer.plannedPccW());
        assertEquals(targetW - 11_000_000, essTotalW());
    }

    @Test
    void anEmptyEssLeavesTheExcessToFlexibleEvPowerThenLoadsThenRequiredEvPower()
    {
        for (int i = 0; i < state.essSocPermille.length; i++)
        {
            state.essSocPermille[i] = 100; // at the lower limit
        }
        // a 300 kW charger with a lot of slack, on full power (cheap slot)
        final int superFast = SETTINGS.chargerCount() - 1;
        state.sessionActive[superFast] = true;
        state.remainingWh[superFast] = 20_000;
        state.departureNs[superFast] = NOW_NS + TimeUnit.HOURS.toNanos(5);
        state.sessionMaxChargeW[superFast] = 250_000;
        state.cheapSlot = true;
        state.chargerW[superFast] = 250_000;
        state.chargerDrawnW[superFast] = 250_000;
        state.pccW = 12_100_000;
        balancer.balance(state);
        final long capW = PccLimit.withMarginW(SETTINGS.importLimitW(), SETTINGS.tuning().pccMarginPermille());
        assertEquals(0, essTotalW());
        assertEquals(balancer.requiredW(superFast), balancer.chargerSetW(superFast), "flexible power shed, the deadline's kept");
        assertTrue(balancer.loadReductionW() > 0, "the loads give the rest");
        assertEquals(capW, balancer.plannedPccW());
    }

    @Test
    void exportBeyondTheLimitIsChargedThenCurtailed()
    {
        // 4.5 MW of PV (of 4.8 MWp) over 0.5 MW of load: 4 MW export
        final long pvW = pvAt(4_500_000);
        state.loadW = 500_000;
        state.pccW = 500_000 + pvW;
        for (int i = 0; i < state.essSocPermille.length; i++)
        {
            state.essSocPermille[i] = 899; // full: cannot absorb
        }
        balancer.balance(state);
        final long exportCapW = PccLimit.withMarginW(SETTINGS.exportLimitW(), SETTINGS.tuning().pccMarginPermille());
        assertEquals(0, essTotalW());
        assertTrue(balancer.pvCurtailmentW() > 0);
        assertEquals(SetpointReason.CURTAILMENT, balancer.binding());
        assertTrue(balancer.plannedPccW() >= -exportCapW, "planned " + balancer.plannedPccW());
        assertTrue(balancer.plannedPccW() <= -exportCapW + state.pvW.length, "curtails no more than needed, planned " + balancer.plannedPccW());
    }

    @Test
    void surplusIsStoredBeforeAnythingIsCurtailed()
    {
        state.loadW = 500_000;
        state.pccW = state.loadW + pvAt(1_500_000);
        balancer.balance(state);
        assertEquals(-state.pccW, essTotalW(), "self-consumption");
        assertEquals(0, balancer.pvCurtailmentW());
        assertEquals(0, balancer.plannedPccW());
    }

    @Test
    void underFrequencyGetsTheFullDroopOnTheFirstTick()
    {
        state.pccW = 6_000_000;
        state.frequencyMilliHz = 59_800;
        balancer.balance(state);
        assertTrue(balancer.droopTargetW() < 0);
        assertEquals(balancer.droopTargetW(), balancer.droopW(), "fully active");
        assertEquals(balancer.droopTargetW(), essTotalW(), "from the ESS, on top of an idle balance");
        assertEquals(SetpointReason.FREQUENCY_RESPONSE, balancer.binding());
    }

    @Test
    void demandResponseLowersTheImportAndIsDeliveredByTheEss()
    {
        state.pccW = 8_000_000;
        state.drActive = true;
        state.drBaselineW = 8_000_000;
        state.drReduceW = 1_500_000;
        balancer.balance(state);
        assertEquals(6_500_000, balancer.plannedPccW());
        assertEquals(-1_500_000, essTotalW());
        assertEquals(SetpointReason.DEMAND_RESPONSE, balancer.binding());
    }

    @Test
    void withoutAPccMeasurementEverythingGoesToTheSafeFallback()
    {
        state.pccOk = false;
        state.loadW = 2_000_000;
        state.sessionActive[0] = true;
        state.remainingWh[0] = 10_000;
        state.departureNs[0] = NOW_NS + TimeUnit.HOURS.toNanos(1);
        state.sessionMaxChargeW[0] = 7_000;
        state.essSocPermille[0] = 500;
        balancer.balance(state);
        assertEquals(0, essTotalW(), "ESS to zero");
        assertEquals(0, balancer.chargerSetW(0), "chargers to their minimum");
        long pvAllowedW = 0;
        for (int i = 0; i < SETTINGS.pvPeakW.length; i++)
        {
            pvAllowedW += balancer.pvLimitSetW(i);
        }
        final long exportCapW = PccLimit.withMarginW(SETTINGS.exportLimitW(), SETTINGS.tuning().pccMarginPermille());
        assertTrue(pvAllowedW <= exportCapW + Math.min(2_000_000, SETTINGS.baseLoadW), "PV within export + the smallest load: " + pvAllowedW);
        assertEquals(SetpointReason.FALLBACK_STALE, balancer.binding());
    }

    @Test
    void theTimeOfUsePlanHoldsTheReserve()
    {
        state.pccW = 5_000_000;
        state.importPriceKrwPerMwh = 230_000;
        state.dischargeThresholdKrwPerMwh = 230_000;
        state.essUsableWh = 1_000.0;
        state.essReserveWh = 995.0;
        balancer.balance(state);
        // 5 Wh above the reserve in 100 ms = 180 kW at most
        assertEquals(-180_000, essTotalW());
    }
}
