package kr.sejong.city.core.loops.energy;

import kr.sejong.city.codecs.SetpointReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One decision at a time with a device under an operator's set-point (manual control), on the default city:
 * ESS 301 (index 0, 2 MW) and 302 (index 1, 0.5 MW), state filled by hand as in {@link BalancerTest}.
 */
class BalancerOperatorTest
{
    private static final EnergySettings SETTINGS = BalancerTest.SETTINGS;
    private static final int CENTRAL = 0;
    private static final int COMMUNITY = 1;

    private GridState state;
    private Balancer balancer;

    @BeforeEach
    void setUp()
    {
        state = BalancerTest.calmState(SETTINGS);
        balancer = new Balancer(SETTINGS);
    }

    private void manual(final int ess, final long powerW)
    {
        state.essManual[ess] = true;
        state.essManualW[ess] = powerW;
    }

    private long contractCapW()
    {
        return PccLimit.withMarginW(SETTINGS.importLimitW(), SETTINGS.tuning().pccMarginPermille());
    }

    @Test
    void theOperatorsValueReplacesTheTimeOfUseChoiceAndTheRestBalancesAroundIt()
    {
        state.pccW = 6_000_000; // prices forbid discharging (calm state): the loop keeps both units idle
        balancer.balance(state);
        assertEquals(0, balancer.essSetW(COMMUNITY));
        assertEquals(SetpointReason.TIME_OF_USE_PLAN, balancer.statusBinding());

        manual(COMMUNITY, -300_000);
        balancer.balance(state);
        assertEquals(-300_000, balancer.essSetW(COMMUNITY), "the operator's value, though prices say idle");
        assertEquals(SetpointReason.OPERATOR, balancer.essReason(COMMUNITY));
        assertEquals(0, balancer.essSetW(CENTRAL), "the automatic unit keeps its own choice");
        assertEquals(SetpointReason.TIME_OF_USE_PLAN, balancer.essReason(CENTRAL));
        assertEquals(5_700_000, balancer.plannedPccW());
        assertEquals(SetpointReason.OPERATOR, balancer.statusBinding(), "the status says the operator shaped this Tick");
    }

    @Test
    void theAutomaticUnitShavesThePeakAroundAManualUnit()
    {
        state.pccW = 11_000_000;
        state.essReserveWh = state.essUsableWh; // only the peak target may discharge
        manual(COMMUNITY, 300_000);             // the operator charges the small unit at the peak
        balancer.balance(state);
        final long targetW = SETTINGS.importLimitW() * SETTINGS.tuning().peakTargetPermille() / 1000;
        assertEquals(300_000, balancer.essSetW(COMMUNITY));
        assertEquals(targetW - 11_300_000, balancer.essSetW(CENTRAL), "the central unit covers the operator's charging too");
        assertEquals(targetW, balancer.plannedPccW());
    }

    @Test
    void theSocWindowClampsTheOperatorsValueAndSaysSo()
    {
        state.pccW = 6_000_000;
        state.essSocPermille[COMMUNITY] = 101; // at the lower limit (10 %) plus the reading's guard
        manual(COMMUNITY, -300_000);
        balancer.balance(state);
        assertEquals(0, balancer.essSetW(COMMUNITY));
        assertEquals(SetpointReason.DEVICE_LIMIT, balancer.essReason(COMMUNITY));
        assertEquals(SetpointReason.OPERATOR, balancer.statusBinding());
        manual(COMMUNITY, 200_000); // charging is still allowed
        balancer.balance(state);
        assertEquals(200_000, balancer.essSetW(COMMUNITY));
        assertEquals(SetpointReason.OPERATOR, balancer.essReason(COMMUNITY));
    }

    @Test
    void theImportLimitTakesTheLoadsFirstAndTheOperatorsValueLast()
    {
        state.essSocPermille[CENTRAL] = 100; // empty: the automatic unit cannot help
        state.pccW = 13_000_000;
        state.loadW = 13_000_000;
        manual(COMMUNITY, 500_000);
        balancer.balance(state);
        final long loadsW = 1_270_000; // the five controllable loads at their most
        assertEquals(loadsW, balancer.loadReductionW(), "every controllable load first");
        assertEquals(500_000 - (13_000_000 + 500_000 - loadsW - contractCapW()), balancer.essSetW(COMMUNITY),
            "then the operator's charging, only as far as the contract needs");
        assertTrue(balancer.essSetW(COMMUNITY) > 0 && balancer.essSetW(COMMUNITY) < 500_000);
        assertEquals(SetpointReason.PCC_LIMIT, balancer.essReason(COMMUNITY));
        assertEquals(SetpointReason.PCC_LIMIT, balancer.statusBinding());
        assertEquals(contractCapW(), balancer.plannedPccW());
    }

    @Test
    void demandResponseDoesNotMoveTheOperatorsValue()
    {
        state.essSocPermille[CENTRAL] = 100;
        state.pccW = 6_000_000;
        state.drActive = true;
        state.drBaselineW = 8_000_000;
        state.drReduceW = 3_000_000; // cap 5 MW
        manual(COMMUNITY, 200_000);
        balancer.balance(state);
        assertEquals(200_000, balancer.essSetW(COMMUNITY), "the operator outranks demand response (3)");
        assertEquals(SetpointReason.OPERATOR, balancer.essReason(COMMUNITY));
        assertEquals(1_200_000, balancer.loadReductionW(), "the loads still answer the event, around the operator's charging");
        assertEquals(5_000_000, balancer.plannedPccW());
        assertEquals(SetpointReason.DEMAND_RESPONSE, balancer.binding());
        assertEquals(SetpointReason.OPERATOR, balancer.statusBinding());
    }

    @Test
    void theDroopIsAddedOnTopOfTheOperatorsValue()
    {
        state.pccW = 6_000_000;
        state.frequencyMilliHz = 59_700; // 270 mHz beyond the dead band: 9 % of 2.5 MW
        manual(COMMUNITY, -100_000);
        balancer.balance(state);
        assertEquals(-225_000, balancer.droopTargetW());
        assertEquals(balancer.droopTargetW(), balancer.droopW(), "fully active");
        // shared by room: the central unit 2 MW, the manual one the 400 kW its value leaves
        assertEquals(-100_000 - 37_500, balancer.essSetW(COMMUNITY));
        assertEquals(SetpointReason.FREQUENCY_RESPONSE, balancer.essReason(COMMUNITY));
        assertEquals(-187_500, balancer.essSetW(CENTRAL));
        assertEquals(SetpointReason.FREQUENCY_RESPONSE, balancer.statusBinding(), "priority 2 outranks the operator");
    }

    @Test
    void exportBeyondTheLimitIsCurtailedBeforeTheOperatorsValueGivesWay()
    {
        long pvW = 0;
        for (int i = 0; i < state.pvW.length; i++)
        {
            state.pvW[i] = -SETTINGS.pvPeakW[i] * 9 / 10;
            pvW += state.pvW[i];
        }
        state.essSocPermille[CENTRAL] = 899; // full
        state.loadW = 1_500_000;
        state.pccW = 1_500_000 + pvW;
        manual(COMMUNITY, -500_000);
        balancer.balance(state);
        assertEquals(-500_000, balancer.essSetW(COMMUNITY));
        assertEquals(SetpointReason.OPERATOR, balancer.essReason(COMMUNITY));
        assertTrue(balancer.pvCurtailmentW() > 0);
        assertEquals(SetpointReason.CURTAILMENT, balancer.statusBinding());

        // without PV to curtail the operator's discharge gives way
        for (int i = 0; i < state.pvW.length; i++)
        {
            state.pvW[i] = 0;
        }
        state.pccW = -2_800_000;
        balancer.balance(state);
        final long exportCapW = PccLimit.withMarginW(SETTINGS.exportLimitW(), SETTINGS.tuning().pccMarginPermille());
        assertEquals(-500_000 + (2_800_000 + 500_000 - exportCapW), balancer.essSetW(COMMUNITY));
        assertEquals(SetpointReason.PCC_LIMIT, balancer.essReason(COMMUNITY));
        assertEquals(-exportCapW, balancer.plannedPccW());
    }

    @Test
    void aChargerCapLimitsItsPowerAndANegativeCapIsV2gOnlyWhereTheSessionAllows()
    {
        final int standard = 0; // 401, 7 kW
        state.pccW = 6_000_000;
        state.sessionActive[standard] = true;
        state.remainingWh[standard] = 11_000;
        state.departureNs[standard] = BalancerTest.NOW_NS + TimeUnit.HOURS.toNanos(2);
        state.sessionMaxChargeW[standard] = 7_000;
        balancer.balance(state);
        final long ownW = balancer.chargerSetW(standard);
        assertTrue(ownW > 3_000, "the deadline asks for " + ownW + " W");
        state.chargerManual[standard] = true;
        state.chargerCapW[standard] = 3_000;
        balancer.balance(state);
        assertEquals(3_000, balancer.chargerSetW(standard));
        assertEquals(SetpointReason.OPERATOR, balancer.manualChargerReason(standard));
        state.chargerCapW[standard] = 0;
        balancer.balance(state);
        assertEquals(0, balancer.chargerSetW(standard), "0 stops charging");
        assertEquals(SetpointReason.OPERATOR, balancer.manualChargerReason(standard));
        state.chargerCapW[standard] = 7_000;
        balancer.balance(state);
        assertEquals(ownW, balancer.chargerSetW(standard), "a cap above the need does not bind");
        assertNull(balancer.manualChargerReason(standard), "the EV's own reason");

        final int v2g = EnergySettings.indexOf(SETTINGS.chargerIds, 417);
        state.sessionActive[v2g] = true;
        state.remainingWh[v2g] = 5_000;
        state.departureNs[v2g] = BalancerTest.NOW_NS + TimeUnit.HOURS.toNanos(8);
        state.sessionMaxChargeW[v2g] = 7_000;
        state.sessionMaxDischargeW[v2g] = 7_000;
        state.v2gAllowed[v2g] = true;
        state.chargerManual[v2g] = true;
        state.chargerCapW[v2g] = -5_000;
        balancer.balance(state);
        assertEquals(-5_000, balancer.chargerSetW(v2g));
        assertEquals(SetpointReason.OPERATOR, balancer.manualChargerReason(v2g));
        state.v2gAllowed[v2g] = false; // this vehicle does not give power back
        balancer.balance(state);
        assertEquals(0, balancer.chargerSetW(v2g));
        assertEquals(SetpointReason.DEVICE_LIMIT, balancer.manualChargerReason(v2g));
    }
}
