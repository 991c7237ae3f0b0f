package kr.sejong.city.core.loops.energy;

import kr.sejong.city.codecs.SetpointReason;

/**
 * One balancing decision: from a {@link GridState} to the set-points of every ESS, charger, PV
 * inverter and controllable load, in the order of priority:
 * <ol>
 *   <li>the PCC within its import and export limits ({@link PccLimit}, planned inside a margin);</li>
 *   <li>frequency response by droop ({@link FrequencyDroop}) from the ESS, then V2G, on top of the
 *   balancing set-point, in full on the first Tick after the measurement;</li>
 *   <li>demand response: the import limit lowered to the event's baseline minus its reduction;</li>
 *   <li>EV deadlines ({@link EvScheduling}): every session gets at least its required power unless
 *   a higher priority needs it, flexible power in cheap slots or from PV surplus;</li>
 *   <li>self-consumption and time of use ({@link TouPlan}): the ESS holds the PCC at zero where the
 *   plan lets it discharge, charges from the grid where the plan says, and shaves import above the
 *   peak target from its reserve.</li>
 * </ol>
 * Lower priorities are planned first and then given up, lowest first, when a higher one needs the
 * room: the import limit takes ESS discharge, then flexible EV power (most laxity first), then the
 * controllable loads, and only then the power EVs need for their deadlines; the export limit takes ESS charging, then flexible EV power, then
 * PV curtailment. SoC and power limits ({@link EssLimits}) bound every step.
 * <p>
 * A device under an operator's set-point ({@link OperatorSetpoints}: manual control) takes the operator's
 * value instead of goals 3 to 5: an ESS runs at it, within its SoC window and rating, with its share of the
 * droop response added on top; a charger is capped by it. The automatic devices balance around it. When the
 * PCC would still leave its contract limits after every automatic means (ESS, EVs, loads, PV curtailment),
 * the operator's value gives way too: safety first.
 * <p>
 * Without a good PCC measurement the balance cannot be known: the safe fallback puts the ESS at zero
 * and the chargers at their minimum (0 W), and curtails PV so that even the smallest load the district
 * has cannot carry the PCC beyond its export limit.
 * <p>
 * Zero allocation: working arrays are made once per loop.
 */
public final class Balancer
{
    private final EnergySettings settings;
    private final int essCount;
    private final int chargerCount;
    private final int pvCount;

    // outputs
    final long[] essSetW;
    final long[] chargerSetW;
    final long[] pvLimitSetW;
    final long[] loadReductionSetW;
    private long plannedPccW;
    private long importCapW;
    private long exportCapW;
    private long droopTargetW;
    private long droopW;
    private long pvCurtailmentW;
    private long evPowerW;
    private long essPowerW;
    private long loadReductionW;
    private SetpointReason binding = SetpointReason.IDLE;
    private SetpointReason statusBinding = SetpointReason.IDLE;
    private SetpointReason essReason = SetpointReason.IDLE;
    private final SetpointReason[] manualEssReason;
    private final SetpointReason[] manualChargerReason;

    // working arrays
    private final long[] essMaxChargeW;
    private final long[] essMaxDischargeW;
    private final long[] ceilingW;
    private final long[] requiredW;
    private final long[] zeroW;
    private final long[] laxityNs;
    // manual control: per ESS its value this Tick, its limits, its room for the droop on top
    private final long[] manualSetW;
    private final long[] manualMaxChargeW;
    private final long[] manualMaxDischargeW;
    private final long[] droopChargeRoomW;
    private final long[] droopDischargeRoomW;
    private final long[] manualDroopW;
    private final long[] manualBeforeW;
    // per charger: the operator's cap after the session's limits, and whether the PCC limit moved it
    private final long[] chargerLimitW;
    private final boolean[] chargerPccClamped;

    public Balancer(final EnergySettings settings)
    {
        this.settings = settings;
        essCount = settings.essIds.length;
        chargerCount = settings.chargerIds.length;
        pvCount = settings.pvIds.length;
        essSetW = new long[essCount];
        chargerSetW = new long[chargerCount];
        pvLimitSetW = new long[pvCount];
        loadReductionSetW = new long[settings.loadIds.length];
        essMaxChargeW = new long[essCount];
        essMaxDischargeW = new long[essCount];
        ceilingW = new long[chargerCount];
        requiredW = new long[chargerCount];
        zeroW = new long[chargerCount];
        laxityNs = new long[chargerCount];
        manualSetW = new long[essCount];
        manualMaxChargeW = new long[essCount];
        manualMaxDischargeW = new long[essCount];
        droopChargeRoomW = new long[essCount];
        droopDischargeRoomW = new long[essCount];
        manualDroopW = new long[essCount];
        manualBeforeW = new long[essCount];
        manualEssReason = new SetpointReason[essCount];
        chargerLimitW = new long[chargerCount];
        chargerPccClamped = new boolean[chargerCount];
        manualChargerReason = new SetpointReason[chargerCount];
    }

    /** Decide every set-point for this state. */
    public void balance(final GridState state)
    {
        final EnergySettings.Context tuning = settings.tuning;
        final long contractImportW = PccLimit.withMarginW(settings.importLimitW, tuning.pccMarginPermille());
        exportCapW = PccLimit.withMarginW(settings.exportLimitW, tuning.pccMarginPermille());
        importCapW = PccLimit.importCapW(contractImportW, state.drActive, state.drBaselineW, state.drReduceW);
        droopTargetW = 0;
        droopW = 0;
        if (!state.pccOk)
        {
            fallback(state);
            return;
        }

        // what the district does without the controllable devices: load - PV at the PV limits in force
        long essNowW = 0;
        for (int i = 0; i < essCount; i++)
        {
            essNowW += state.essW[i];
        }
        long evNowW = 0;
        for (int i = 0; i < chargerCount; i++)
        {
            evNowW += state.chargerDrawnW[i];
        }
        long reductionNowW = 0;
        for (int i = 0; i < loadReductionSetW.length; i++)
        {
            reductionNowW += state.loadReductionW[i];
            loadReductionSetW[i] = 0;
        }
        final long residualW = state.pccW - essNowW - evNowW + reductionNowW;

        // device limits for this tick
        long essChargeRoomW = 0;
        long essDischargeRoomW = 0;
        boolean anyManual = false;
        long manualW = 0;
        long manualDroopChargeRoomW = 0;
        long manualDroopDischargeRoomW = 0;
        for (int i = 0; i < essCount; i++)
        {
            if (state.essOk[i])
            {
                essMaxChargeW[i] = EssLimits.maxChargeW(state.essSocPermille[i], settings.essMaxSocPermille[i],
                    settings.essCapacityWh[i], settings.essMaxChargeW[i], state.tickNs);
                essMaxDischargeW[i] = EssLimits.maxDischargeW(state.essSocPermille[i], settings.essMinSocPermille[i],
                    settings.essCapacityWh[i], settings.essMaxDischargeW[i], state.tickNs);
            }
            else
            {
                essMaxChargeW[i] = 0;
                essMaxDischargeW[i] = 0;
            }
            manualEssReason[i] = null;
            manualSetW[i] = 0;
            droopChargeRoomW[i] = 0;
            droopDischargeRoomW[i] = 0;
            if (state.essManual[i])
            {
                // the operator's value within the SoC window and rating; the droop may use what it leaves
                anyManual = true;
                manualMaxChargeW[i] = essMaxChargeW[i];
                manualMaxDischargeW[i] = essMaxDischargeW[i];
                manualSetW[i] = OperatorSetpoints.essClampW(state.essManualW[i], essMaxChargeW[i], essMaxDischargeW[i]);
                manualEssReason[i] = manualSetW[i] != state.essManualW[i] ? SetpointReason.DEVICE_LIMIT : SetpointReason.OPERATOR;
                manualW += manualSetW[i];
                droopChargeRoomW[i] = essMaxChargeW[i] - manualSetW[i];
                droopDischargeRoomW[i] = essMaxDischargeW[i] + manualSetW[i];
                manualDroopChargeRoomW += droopChargeRoomW[i];
                manualDroopDischargeRoomW += droopDischargeRoomW[i];
                essMaxChargeW[i] = 0; // the automatic share passes it by
                essMaxDischargeW[i] = 0;
            }
            essChargeRoomW += essMaxChargeW[i];
            essDischargeRoomW += essMaxDischargeW[i];
        }
        long v2gRoomW = 0;
        for (int i = 0; i < chargerCount; i++)
        {
            final boolean active = state.sessionActive[i] && state.chargerOk[i];
            final long ceiling = active && state.remainingWh[i] > 0 ? Math.min(settings.chargerRatedW[i], state.sessionMaxChargeW[i]) : 0;
            ceilingW[i] = Math.max(0, ceiling);
            final long remainingWh = (long)Math.ceil(state.remainingWh[i]);
            final long timeLeftNs = state.departureNs[i] - state.nowNs;
            requiredW[i] = active ? EvScheduling.requiredPowerW(remainingWh, timeLeftNs, ceilingW[i], tuning.evDeadlineMarginNs()) : 0;
            laxityNs[i] = active ? EvScheduling.laxityNs(remainingWh, timeLeftNs - tuning.evDeadlineMarginNs(), ceilingW[i]) : Long.MAX_VALUE;
            chargerSetW[i] = requiredW[i];
            zeroW[i] = 0;
            chargerPccClamped[i] = false;
            manualChargerReason[i] = null;
            if (state.chargerManual[i])
            {
                // the operator's cap: on the ceiling and the required power alike; a negative cap is a V2G set-point
                final long floorW = active && state.v2gAllowed[i] && settings.chargerV2g[i]
                    ? -Math.min(settings.chargerRatedW[i], Math.max(0, state.sessionMaxDischargeW[i])) : 0;
                final long limitW = OperatorSetpoints.chargerLimitW(state.chargerCapW[i], floorW);
                chargerLimitW[i] = limitW;
                ceilingW[i] = limitW >= 0 ? Math.min(ceilingW[i], limitW) : limitW;
                requiredW[i] = limitW >= 0 ? Math.min(requiredW[i], limitW) : limitW;
                chargerSetW[i] = requiredW[i];
            }
            if (active && state.v2gAllowed[i] && settings.chargerV2g[i])
            {
                v2gRoomW += Math.min(settings.chargerRatedW[i], Math.max(0, state.sessionMaxDischargeW[i]));
            }
        }

        // 2. frequency response: reserved first on the ESS, the rest from V2G
        if (state.frequencyOk)
        {
            droopTargetW = FrequencyDroop.responseW(state.frequencyMilliHz, settings.nominalMilliHz,
                settings.deadBandMilliHz, settings.droopPercent, essRatedW() + v2gRoomW);
        }
        final long essDroopW = Math.max(-(essDischargeRoomW + manualDroopDischargeRoomW),
            Math.min(essChargeRoomW + manualDroopChargeRoomW, droopTargetW));
        // units under manual control take their part of it on top of the operator's value, in proportion to their room
        long autoDroopW = essDroopW;
        long manualDroopTotalW = 0;
        if (anyManual)
        {
            final long autoRoomW = essDroopW >= 0 ? essChargeRoomW : essDischargeRoomW;
            final long manualRoomW = essDroopW >= 0 ? manualDroopChargeRoomW : manualDroopDischargeRoomW;
            autoDroopW = autoRoomW + manualRoomW == 0 ? 0 : (long)((double)essDroopW * autoRoomW / (autoRoomW + manualRoomW));
            manualDroopTotalW = EssLimits.share(essDroopW - autoDroopW, droopChargeRoomW, droopDischargeRoomW, essCount, manualDroopW);
            for (int i = 0; i < essCount; i++)
            {
                if (state.essManual[i] && manualDroopW[i] != 0)
                {
                    manualSetW[i] += manualDroopW[i];
                    manualEssReason[i] = SetpointReason.FREQUENCY_RESPONSE;
                }
            }
        }
        long v2gDroopW = droopTargetW - essDroopW;

        // 4. EV: required power, flexible power in the cheapest slots
        if (state.cheapSlot)
        {
            for (int i = 0; i < chargerCount; i++)
            {
                chargerSetW[i] = ceilingW[i];
            }
        }
        // the V2G part of the droop response
        if (v2gDroopW < 0)
        {
            long wantW = -v2gDroopW;
            for (int i = 0; i < chargerCount && wantW > 0; i++)
            {
                if (state.sessionActive[i] && state.chargerOk[i] && state.v2gAllowed[i] && settings.chargerV2g[i])
                {
                    final long floorW = -Math.min(settings.chargerRatedW[i], Math.max(0, state.sessionMaxDischargeW[i]));
                    final long takeW = Math.min(wantW, chargerSetW[i] - floorW);
                    chargerSetW[i] -= takeW;
                    wantW -= takeW;
                }
            }
            v2gDroopW = -(-v2gDroopW - wantW);
        }
        else if (v2gDroopW > 0)
        {
            v2gDroopW = EvScheduling.giveByLaxity(chargerSetW, ceilingW, laxityNs, chargerCount, v2gDroopW);
        }
        // droop kept apart below; the units under manual control are given (the automatic ESS balances around them)
        final long netW = residualW + sum(chargerSetW, chargerCount) - v2gDroopW + manualW;

        // 5. self-consumption and time of use, within what the droop response leaves of the ESS
        long essBalanceW = -netW;
        essReason = SetpointReason.SELF_CONSUMPTION;
        final boolean touMayDischarge = state.importPriceKrwPerMwh >= state.dischargeThresholdKrwPerMwh
            && state.essUsableWh > state.essReserveWh;
        if (essBalanceW < 0 && !touMayDischarge)
        {
            essBalanceW = 0;
            essReason = SetpointReason.TIME_OF_USE_PLAN;
        }
        else if (essBalanceW < 0)
        {
            // prices may spend the energy above the reserve, never the reserve itself
            final long aboveReserveW = EssLimits.energyToPowerW(state.essUsableWh - state.essReserveWh, state.tickNs);
            essBalanceW = Math.max(essBalanceW, -aboveReserveW);
        }
        if (state.gridChargeW > 0 && state.gridChargeW > essBalanceW)
        {
            essBalanceW = state.gridChargeW;
            essReason = SetpointReason.TIME_OF_USE_PLAN;
        }
        final long peakTargetW = settings.importLimitW * tuning.peakTargetPermille() / 1000;
        if (netW + essBalanceW > peakTargetW)
        {
            essBalanceW = peakTargetW - netW; // the reserve shaves the peak
            essReason = SetpointReason.PCC_LIMIT;
        }
        essBalanceW = Math.max(-essDischargeRoomW - autoDroopW, Math.min(essChargeRoomW - autoDroopW, essBalanceW));
        long essTotalW = essBalanceW + autoDroopW;
        binding = droopTargetW != 0 ? SetpointReason.FREQUENCY_RESPONSE : essReason;
        if (droopTargetW != 0)
        {
            essReason = SetpointReason.FREQUENCY_RESPONSE;
        }

        long plannedW = netW + v2gDroopW + essTotalW + manualDroopTotalW;

        // 1 and 3. import limit (the contract, or lower for demand response)
        long excessW = PccLimit.excessImportW(plannedW, importCapW);
        if (excessW > 0)
        {
            final SetpointReason why = importCapW < contractImportW ? SetpointReason.DEMAND_RESPONSE : SetpointReason.PCC_LIMIT;
            binding = why;
            final long essTakeW = Math.min(excessW, essTotalW + essDischargeRoomW);
            if (essTakeW > 0)
            {
                essTotalW -= essTakeW;
                excessW -= essTakeW;
                essReason = why;
            }
            // flexible EV power first (most laxity first), then the controllable loads, and the power EVs
            // need for their deadlines last: both goals hold whenever the loads suffice
            excessW -= EvScheduling.shedByLaxity(chargerSetW, requiredW, laxityNs, chargerCount, excessW);
            for (int i = 0; i < loadReductionSetW.length && excessW > 0; i++)
            {
                final long takeW = Math.min(excessW, settings.loadMaxReductionW[i]);
                loadReductionSetW[i] = takeW;
                excessW -= takeW;
            }
            excessW -= EvScheduling.shedByLaxity(chargerSetW, zeroW, laxityNs, chargerCount, excessW);
            plannedW = residualW + sum(chargerSetW, chargerCount) + essTotalW - sum(loadReductionSetW, loadReductionSetW.length)
                + sum(manualSetW, essCount);
        }
        // 1. the operator's values give way last, and only to the contract limit (they outrank demand response)
        final long overContractW = anyManual ? PccLimit.excessImportW(plannedW, contractImportW) : 0;
        if (overContractW > 0)
        {
            final long takenW = giveWay(overContractW, state, true);
            if (takenW > 0)
            {
                plannedW -= takenW;
                binding = SetpointReason.PCC_LIMIT;
            }
        }

        // 1. export limit
        pvCurtailmentW = 0;
        long excessExportW = PccLimit.excessExportW(plannedW, exportCapW);
        long pvOutputW = 0;
        long pvHeldW = 0;
        for (int i = 0; i < pvCount; i++)
        {
            pvOutputW += Math.max(0, -state.pvW[i]);
            pvLimitSetW[i] = state.pvLimitW[i];
            pvHeldW += settings.pvPeakW[i] - state.pvLimitW[i];
        }
        if (excessExportW > 0)
        {
            binding = SetpointReason.PCC_LIMIT;
            final long essTakeW = Math.min(excessExportW, essChargeRoomW - essTotalW);
            if (essTakeW > 0)
            {
                essTotalW += essTakeW;
                excessExportW -= essTakeW;
                essReason = SetpointReason.PCC_LIMIT;
            }
            excessExportW -= EvScheduling.giveByLaxity(chargerSetW, ceilingW, laxityNs, chargerCount, excessExportW);
            if (excessExportW > 0 && pvOutputW > 0)
            {
                binding = SetpointReason.CURTAILMENT;
                final long curtailW = Math.min(excessExportW, pvOutputW);
                for (int i = 0; i < pvCount; i++)
                {
                    final long outputW = Math.max(0, -state.pvW[i]);
                    final long shareW = (long)Math.ceil((double)curtailW * outputW / pvOutputW);
                    pvLimitSetW[i] = Math.max(0, Math.min(state.pvLimitW[i], outputW - shareW));
                }
                excessExportW -= curtailW;
            }
            if (excessExportW > 0)
            {
                // the operator's values give way last: ESS charging more, then V2G caps towards 0
                excessExportW -= giveWay(excessExportW, state, false);
                for (int i = 0; i < chargerCount && excessExportW > 0; i++)
                {
                    if (state.chargerManual[i] && chargerSetW[i] < 0)
                    {
                        final long takeW = Math.min(excessExportW, -chargerSetW[i]);
                        chargerSetW[i] += takeW;
                        excessExportW -= takeW;
                        chargerPccClamped[i] = true;
                    }
                }
            }
        }
        else if (pvHeldW > 0)
        {
            // release curtailment into the room left under the export limit: PV rises by at most that much
            final long roomW = Math.max(0, exportCapW + plannedW);
            for (int i = 0; i < pvCount; i++)
            {
                final long heldW = settings.pvPeakW[i] - state.pvLimitW[i];
                if (heldW > 0)
                {
                    final long releaseW = (long)Math.floor((double)roomW * heldW / pvHeldW);
                    pvLimitSetW[i] = Math.min(settings.pvPeakW[i], state.pvLimitW[i] + releaseW);
                }
            }
        }
        for (int i = 0; i < pvCount; i++)
        {
            pvCurtailmentW += settings.pvPeakW[i] - pvLimitSetW[i];
        }

        EssLimits.share(essTotalW, essMaxChargeW, essMaxDischargeW, essCount, essSetW);
        boolean operatorShaped = false;
        for (int i = 0; i < essCount; i++)
        {
            if (state.essManual[i])
            {
                essSetW[i] = manualSetW[i];
                operatorShaped |= manualEssReason[i] == SetpointReason.OPERATOR || manualEssReason[i] == SetpointReason.DEVICE_LIMIT;
            }
        }
        for (int i = 0; i < chargerCount; i++)
        {
            if (state.chargerManual[i])
            {
                manualChargerReason[i] = chargerPccClamped[i] ? SetpointReason.PCC_LIMIT
                    : chargerSetW[i] == chargerLimitW[i] ? (chargerLimitW[i] != state.chargerCapW[i] ? SetpointReason.DEVICE_LIMIT : SetpointReason.OPERATOR)
                    : chargerSetW[i] < 0 ? SetpointReason.FREQUENCY_RESPONSE : null; // null: below the cap for the EV's own reasons
                operatorShaped |= manualChargerReason[i] == SetpointReason.OPERATOR || manualChargerReason[i] == SetpointReason.DEVICE_LIMIT;
            }
        }
        essPowerW = sum(essSetW, essCount);
        evPowerW = sum(chargerSetW, chargerCount);
        loadReductionW = sum(loadReductionSetW, loadReductionSetW.length);
        droopW = droopTargetW == 0 ? 0 : Math.max(-Math.abs(droopTargetW), Math.min(Math.abs(droopTargetW), autoDroopW + manualDroopTotalW + v2gDroopW));
        // the PV limits move the plan only where they bind: count what they hold back of the output seen
        long pvCutW = 0;
        for (int i = 0; i < pvCount; i++)
        {
            pvCutW += Math.max(0, Math.max(0, -state.pvW[i]) - pvLimitSetW[i]);
        }
        plannedPccW = residualW + evPowerW + essPowerW - loadReductionW + pvCutW;
        statusBinding = operatorShaped && belowOperator(binding) ? SetpointReason.OPERATOR : binding;
    }

    /**
     * The units under manual control give way to a PCC limit: discharge more (import) or charge more
     * (export), each within its limits for this Tick, in configuration order. Returns the power moved.
     */
    private long giveWay(final long excessW, final GridState state, final boolean importSide)
    {
        System.arraycopy(manualSetW, 0, manualBeforeW, 0, essCount);
        final long takenW = importSide
            ? OperatorSetpoints.dischargeMoreW(excessW, manualSetW, manualMaxDischargeW, state.essManual, essCount)
            : OperatorSetpoints.chargeMoreW(excessW, manualSetW, manualMaxChargeW, state.essManual, essCount);
        for (int i = 0; i < essCount; i++)
        {
            if (manualSetW[i] != manualBeforeW[i])
            {
                manualEssReason[i] = SetpointReason.PCC_LIMIT;
            }
        }
        return takenW;
    }

    /** Goals the operator's set-point outranks: demand response (3), EV deadlines (4), self-consumption and time of use (5). */
    private static boolean belowOperator(final SetpointReason reason)
    {
        return reason == SetpointReason.DEMAND_RESPONSE || reason == SetpointReason.EV_DEADLINE || reason == SetpointReason.SELF_CONSUMPTION
            || reason == SetpointReason.TIME_OF_USE_PLAN || reason == SetpointReason.IDLE;
    }

    private void fallback(final GridState state)
    {
        for (int i = 0; i < essCount; i++)
        {
            essSetW[i] = 0;
        }
        for (int i = 0; i < chargerCount; i++)
        {
            chargerSetW[i] = 0;
        }
        for (int i = 0; i < loadReductionSetW.length; i++)
        {
            loadReductionSetW[i] = 0;
        }
        // with nothing else running, export = PV - load: keep PV within the export limit over the
        // smallest load the district can have (the configured base, or less if it was measured lower)
        final long minLoadW = state.loadOk ? Math.min(state.loadW, settings.baseLoadW) : settings.baseLoadW;
        final long pvAllowedW = Math.max(0, exportCapW + minLoadW);
        long pvPeakW = 0;
        for (int i = 0; i < pvCount; i++)
        {
            pvPeakW += settings.pvPeakW[i];
        }
        pvCurtailmentW = 0;
        for (int i = 0; i < pvCount; i++)
        {
            pvLimitSetW[i] = pvPeakW <= pvAllowedW ? settings.pvPeakW[i] : (long)Math.floor((double)pvAllowedW * settings.pvPeakW[i] / pvPeakW);
            pvCurtailmentW += settings.pvPeakW[i] - pvLimitSetW[i];
        }
        essPowerW = 0;
        evPowerW = 0;
        loadReductionW = 0;
        long pvNowW = 0;
        for (int i = 0; i < pvCount; i++)
        {
            pvNowW += state.pvW[i];
        }
        plannedPccW = state.loadOk ? state.loadW + pvNowW : 0;
        binding = SetpointReason.FALLBACK_STALE;
        statusBinding = binding;
        essReason = SetpointReason.FALLBACK_STALE;
        java.util.Arrays.fill(manualEssReason, null);
        java.util.Arrays.fill(manualChargerReason, null);
    }

    private long essRatedW()
    {
        long ratedW = 0;
        for (int i = 0; i < essCount; i++)
        {
            ratedW += settings.essMaxDischargeW[i];
        }
        return ratedW;
    }

    private static long sum(final long[] values, final int count)
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            total += values[i];
        }
        return total;
    }

    public long plannedPccW() { return plannedPccW; }
    public long importCapW() { return importCapW; }
    public long exportCapW() { return exportCapW; }
    public long droopTargetW() { return droopTargetW; }
    public long droopW() { return droopW; }
    public long pvCurtailmentW() { return pvCurtailmentW; }
    public long evPowerW() { return evPowerW; }
    public long essPowerW() { return essPowerW; }
    public long loadReductionW() { return loadReductionW; }
    public SetpointReason binding() { return binding; }
    public SetpointReason essReason() { return essReason; }
    /** What the BalancingStatus says bound this Tick: {@link #binding()}, or OPERATOR where an operator's value outranks it. */
    public SetpointReason statusBinding() { return statusBinding; }
    /** Why unit {@code index} has its set-point: the operator's value (or what clamped it) under manual control, else {@link #essReason()}. */
    public SetpointReason essReason(final int index) { return manualEssReason[index] != null ? manualEssReason[index] : essReason; }
    /** Under manual control: OPERATOR or what clamped the cap; null where the charger follows its EV's own reasons (below the cap). */
    public SetpointReason manualChargerReason(final int index) { return manualChargerReason[index]; }
    public long essSetW(final int index) { return essSetW[index]; }
    public long chargerSetW(final int index) { return chargerSetW[index]; }
    public long pvLimitSetW(final int index) { return pvLimitSetW[index]; }
    public long loadReductionSetW(final int index) { return loadReductionSetW[index]; }
    public long requiredW(final int index) { return requiredW[index]; }
}
