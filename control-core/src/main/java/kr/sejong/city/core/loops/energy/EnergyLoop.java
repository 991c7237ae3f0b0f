package kr.sejong.city.core.loops.energy;

import kr.sejong.city.codecs.BalancingStatusEncoder;
import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.ChargerSessionDecoder;
import kr.sejong.city.codecs.ChargerSessionState;
import kr.sejong.city.codecs.DemandResponseEventDecoder;
import kr.sejong.city.codecs.DemandResponseState;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.DeviceState;
import kr.sejong.city.codecs.DeviceStatusDecoder;
import kr.sejong.city.codecs.DeviceStatusEncoder;
import kr.sejong.city.codecs.FrequencyMeasurementDecoder;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.OperatorSetpointDecoder;
import kr.sejong.city.codecs.PriceSignalDecoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.codecs.SetpointEncoder;
import kr.sejong.city.codecs.SetpointReason;
import kr.sejong.city.codecs.SettlementEncoder;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.InputReject;
import kr.sejong.city.core.loop.LocalClock;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

import java.nio.charset.StandardCharsets;

/**
 * Smart-grid balancing ("energy"): decoding at the edge, state, and egress; the decisions are
 * {@link Balancer}'s, the arithmetic in the small classes next to it (package-info has the whole
 * picture).
 * <ul>
 *   <li>{@code GridMeasurement}, {@code FrequencyMeasurement}: kept per device after checks (null, out of
 *   physical range, stamped in the future: refused and counted); {@code ChargerSession}: the session at a
 *   charger; {@code DemandResponseEvent}, {@code PriceSignal}: kept until they end; {@code OperatorSetpoint}: an
 *   operator's manual set-point for an ESS or a charger, checked again here (role, device, physical range, hold;
 *   a refusal is a {@code Reject} naming what is wrong), in force until released or until its hold ends.</li>
 *   <li>{@code Tick}: integrate energy over the elapsed time (EV needs, settlement, DR baseline), mark
 *   stale measurements, plan again at each 15-minute slot, balance, then send: every {@code Setpoint}
 *   that moved beyond its dead band (ESS, charger, PV limit, controllable load, ascending by kind and
 *   configuration order), a {@code DeviceStatus} for each measurement that turned stale, invalid or good
 *   again, the {@code Settlement} of each prosumer when a period ends, and last one
 *   {@code BalancingStatus}.</li>
 * </ul>
 * Zero allocation on every input once constructed; all state in arrays.
 */
public final class EnergyLoop implements ControlLoop
{
    public static final String NAME = "energy";
    /**
     * Layout of {@link #snapshot}: 2 added the held devices (count, and which must be told their set-point again);
     * 3 added the operators' manual set-points (per ESS and charger: whether, the value, the hold's end, the reason last sent).
     */
    public static final int STATE_VERSION = 3;

    static final int PCC = 0;
    static final int LOAD = 1;
    static final int FREQUENCY = 2;
    static final int MAX_DR_EVENTS = 16;
    static final int MAX_PRICE_SIGNALS = 192;
    private static final long MINUTE_NS = 60_000_000_000L;
    private static final int BASELINE_MINUTES = 15;
    private static final long DEFAULT_TICK_NS = 100_000_000L;
    private static final double HOUR_NS = 3600e9;

    private static final byte[] DETAIL_STALE = "stale: no measurement within the limit".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DETAIL_INVALID = "invalid: null, out of physical range or from the future".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DETAIL_GOOD = "good again".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DETAIL_UNREACHABLE = "offline: its field adapter lost the device".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DETAIL_ALARM = "degraded: the device reports an alarm; not dispatched".getBytes(StandardCharsets.US_ASCII);

    private final EnergySettings settings;
    private final EnergySettings.Context tuning;
    private final GridState grid;
    private final Balancer balancer;
    private final TouPlan plan = new TouPlan();
    private final LocalClock clock;
    private final MeasurementHealth health;
    private final int essBase;
    private final int pvBase;
    private final int chargerBase;

    private final TickDecoder tickDecoder = new TickDecoder();
    private final GridMeasurementDecoder gridDecoder = new GridMeasurementDecoder();
    private final FrequencyMeasurementDecoder frequencyDecoder = new FrequencyMeasurementDecoder();
    private final ChargerSessionDecoder sessionDecoder = new ChargerSessionDecoder();
    private final DemandResponseEventDecoder drDecoder = new DemandResponseEventDecoder();
    private final PriceSignalDecoder priceDecoder = new PriceSignalDecoder();
    private final DeviceStatusDecoder deviceStatusDecoder = new DeviceStatusDecoder();
    private final OperatorSetpointDecoder operatorDecoder = new OperatorSetpointDecoder();
    private final InputReject inputReject = new InputReject();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SetpointEncoder setpointEncoder = new SetpointEncoder();
    private final DeviceStatusEncoder statusEncoder = new DeviceStatusEncoder();
    private final SettlementEncoder settlementEncoder = new SettlementEncoder();
    private final BalancingStatusEncoder balancingEncoder = new BalancingStatusEncoder();

    // latest good values not kept in GridState
    private final long[] measuredAtNs;
    private final long[] sessionIds;
    private final long[] essSentW;
    private final boolean[] chargerForceSend;
    /** Per channel: its device came back (DeviceStatus ONLINE after a hold): send its set-point again, moved or not. */
    private final boolean[] resend;
    /** Per ESS and per charger under an operator's set-point: when its hold ends (the value is in {@link GridState}). */
    private final long[] essManualUntilNs;
    private final long[] chargerManualUntilNs;
    /** Per ESS and per charger: the reason of the last set-point sent (its wire value), so a device under manual control hears when the reason changes. */
    private final short[] essSentReason;
    private final short[] chargerSentReason;
    private long lastTickNs = Long.MIN_VALUE;
    private long tickPeriodNs = DEFAULT_TICK_NS;
    private int plannedSlot = -1;

    // demand response
    private final long[] drIds = new long[MAX_DR_EVENTS];
    private final long[] drStartNs = new long[MAX_DR_EVENTS];
    private final long[] drEndNs = new long[MAX_DR_EVENTS];
    private final long[] drReduceW = new long[MAX_DR_EVENTS];
    private final long[] drBaselineW = new long[MAX_DR_EVENTS];
    private final boolean[] drBaselineSet = new boolean[MAX_DR_EVENTS];
    private final boolean[] drCancelled = new boolean[MAX_DR_EVENTS];
    private int drCount;
    private final double[] minuteEnergyWh = new double[BASELINE_MINUTES];
    private final long[] minuteDurationNs = new long[BASELINE_MINUTES];
    private final long[] minuteIndex = new long[BASELINE_MINUTES];

    // price signals (a ring; the newest covering an instant wins over the configured tariff)
    private final long[] priceFromNs = new long[MAX_PRICE_SIGNALS];
    private final long[] priceToNs = new long[MAX_PRICE_SIGNALS];
    private final long[] priceImport = new long[MAX_PRICE_SIGNALS];
    private final long[] priceExport = new long[MAX_PRICE_SIGNALS];
    private long priceSignals;

    // settlement of the current period, per prosumer
    private long periodStartNs = Long.MIN_VALUE;
    private final double[] producedWh;
    private final double[] selfConsumedWh;
    private final double[] soldWh;
    private final double[] exportedWh;
    private final double[] importedWh;

    private long unknownDevices;
    private long refusedInputs;
    private long ticks;

    public EnergyLoop(final EnergySettings settings)
    {
        this.settings = settings;
        this.tuning = settings.tuning;
        grid = new GridState(settings);
        balancer = new Balancer(settings);
        clock = new LocalClock(settings.zone);
        essBase = FREQUENCY + 1;
        pvBase = essBase + settings.essIds.length;
        chargerBase = pvBase + settings.pvIds.length;
        health = new MeasurementHealth(chargerBase + settings.chargerIds.length);
        measuredAtNs = new long[health.channels()];
        sessionIds = new long[settings.chargerIds.length];
        essSentW = new long[settings.essIds.length];
        chargerForceSend = new boolean[settings.chargerIds.length];
        resend = new boolean[health.channels()];
        essManualUntilNs = new long[settings.essIds.length];
        chargerManualUntilNs = new long[settings.chargerIds.length];
        essSentReason = new short[settings.essIds.length];
        chargerSentReason = new short[settings.chargerIds.length];
        final int prosumers = settings.prosumerIds.length;
        producedWh = new double[prosumers];
        selfConsumedWh = new double[prosumers];
        soldWh = new double[prosumers];
        exportedWh = new double[prosumers];
        importedWh = new double[prosumers];
        java.util.Arrays.fill(minuteIndex, Long.MIN_VALUE);
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int[] templateIds()
    {
        return new int[]{
            TickDecoder.TEMPLATE_ID,
            GridMeasurementDecoder.TEMPLATE_ID,
            FrequencyMeasurementDecoder.TEMPLATE_ID,
            ChargerSessionDecoder.TEMPLATE_ID,
            DemandResponseEventDecoder.TEMPLATE_ID,
            PriceSignalDecoder.TEMPLATE_ID,
            DeviceStatusDecoder.TEMPLATE_ID,
            OperatorSetpointDecoder.TEMPLATE_ID };
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        switch (input.templateId())
        {
            case TickDecoder.TEMPLATE_ID:
                tickDecoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onTick(input.timeNs(), tickDecoder.periodNs(), egress);
                break;
            case GridMeasurementDecoder.TEMPLATE_ID:
                gridDecoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onGridMeasurement(input.timeNs());
                break;
            case FrequencyMeasurementDecoder.TEMPLATE_ID:
                frequencyDecoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onFrequency(input.timeNs());
                break;
            case ChargerSessionDecoder.TEMPLATE_ID:
                sessionDecoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onSession();
                break;
            case DemandResponseEventDecoder.TEMPLATE_ID:
                drDecoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onDemandResponse(input.timeNs());
                break;
            case PriceSignalDecoder.TEMPLATE_ID:
                priceDecoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onPrice();
                break;
            case DeviceStatusDecoder.TEMPLATE_ID:
                deviceStatusDecoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onDeviceStatus();
                break;
            case OperatorSetpointDecoder.TEMPLATE_ID:
                operatorDecoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
                onOperatorSetpoint(input, egress);
                break;
            default:
                break;
        }
    }

    // ------------------------------------------------------------------ measurements

    private void onGridMeasurement(final long nowNs)
    {
        final long deviceId = gridDecoder.deviceId();
        final DeviceKind kind = gridDecoder.deviceKind();
        final int powerW = gridDecoder.activePowerW();
        final long atNs = gridDecoder.measuredAtNs();
        final int channel;
        final boolean possible;
        switch (kind == null ? DeviceKind.NULL_VAL : kind) // an unknown kind (SBE_UNKNOWN) is not this loop's
        {
            case PCC_METER:
                channel = deviceId == settings.pccId ? PCC : -1;
                possible = Math.abs((long)powerW) <= 2 * (settings.importLimitW + settings.exportLimitW);
                break;
            case LOAD:
                channel = deviceId == settings.pccId ? LOAD : -1;
                possible = powerW >= 0 && powerW <= 3 * settings.peakLoadW;
                break;
            case ESS:
            {
                final int index = EnergySettings.indexOf(settings.essIds, (int)deviceId);
                channel = index < 0 ? -1 : essBase + index;
                final int soc = gridDecoder.socPermille();
                possible = index >= 0 && soc != GridMeasurementDecoder.socPermilleNullValue() && soc <= 1000
                    && Math.abs((long)powerW) <= Math.max(settings.essMaxChargeW[index], settings.essMaxDischargeW[index]) * 11 / 10;
                break;
            }
            case PV_INVERTER:
            {
                final int index = EnergySettings.indexOf(settings.pvIds, (int)deviceId);
                channel = index < 0 ? -1 : pvBase + index;
                possible = index >= 0 && powerW >= -settings.pvPeakW[index] * 11 / 10 && powerW <= settings.pvPeakW[index] / 100 + 1_000;
                break;
            }
            case EV_CHARGER:
            {
                final int index = EnergySettings.indexOf(settings.chargerIds, (int)deviceId);
                channel = index < 0 ? -1 : chargerBase + index;
                possible = index >= 0 && Math.abs((long)powerW) <= settings.chargerRatedW[index] * 11 / 10;
                break;
            }
            default:
                return; // not a device this loop balances
        }
        if (channel < 0)
        {
            unknownDevices++;
            return;
        }
        if (powerW == GridMeasurementDecoder.activePowerWNullValue() || !possible
            || atNs == GridMeasurementDecoder.measuredAtNsNullValue() || !timely(atNs, nowNs))
        {
            health.invalid(channel);
            return;
        }
        if (health.state(channel) != MeasurementHealth.NEVER && atNs < measuredAtNs[channel])
        {
            return; // an older measurement overtaken by a newer one
        }
        measuredAtNs[channel] = atNs;
        health.good(channel, atNs);
        if (channel == PCC)
        {
            grid.pccW = powerW;
        }
        else if (channel == LOAD)
        {
            grid.loadW = powerW;
        }
        else if (channel < pvBase)
        {
            grid.essW[channel - essBase] = powerW;
            grid.essSocPermille[channel - essBase] = gridDecoder.socPermille();
        }
        else if (channel < chargerBase)
        {
            grid.pvW[channel - pvBase] = powerW;
        }
        // a charger's own measurement only proves it alive: the balance uses the set-points in force
    }

    private void onDeviceStatus()
    {
        final DeviceKind kind = deviceStatusDecoder.deviceKind();
        final DeviceState state = deviceStatusDecoder.state();
        final int deviceId = (int)Math.min(deviceStatusDecoder.deviceId(), Integer.MAX_VALUE);
        final int first;
        final int last;
        switch (kind == null ? DeviceKind.NULL_VAL : kind)
        {
            case PCC_METER: // one meter: import, the district load behind it and the frequency
                first = deviceId == settings.pccId ? PCC : -1;
                last = FREQUENCY;
                break;
            case LOAD:
                first = deviceId == settings.pccId ? LOAD : -1;
                last = LOAD;
                break;
            case ESS:
            {
                final int index = EnergySettings.indexOf(settings.essIds, deviceId);
                first = index < 0 ? -1 : essBase + index;
                last = first;
                break;
            }
            case PV_INVERTER:
            {
                final int index = EnergySettings.indexOf(settings.pvIds, deviceId);
                first = index < 0 ? -1 : pvBase + index;
                last = first;
                break;
            }
            case EV_CHARGER:
            {
                final int index = EnergySettings.indexOf(settings.chargerIds, deviceId);
                first = index < 0 ? -1 : chargerBase + index;
                last = first;
                break;
            }
            default:
                return; // not a device this loop balances
        }
        if (first < 0)
        {
            unknownDevices++;
            return;
        }
        for (int channel = first; channel <= last; channel++)
        {
            if (state == DeviceState.OFFLINE)
            {
                health.hold(channel, MeasurementHealth.UNREACHABLE);
            }
            else if (state == DeviceState.DEGRADED && kind == DeviceKind.ESS)
            {
                health.hold(channel, MeasurementHealth.ALARM);
            }
            else if (state == DeviceState.ONLINE && health.held(channel))
            {
                health.release(channel);
                // what the device holds now is unknown (set-points sent while it was away went nowhere): tell it again
                resend[channel] = true;
            }
            // INVALID_VALUE: the adapter kept the value from us; staleness follows if no good one comes
        }
    }

    /**
     * An operator takes manual control of a device, or gives it back. Nothing trusts the gateway: the role,
     * the device, the value against the device's physical range and the hold are checked again, and a refusal
     * is a Reject naming the field. The value's clamping (SoC, PCC) is the Balancer's, on every Tick.
     */
    private void onOperatorSetpoint(final Input input, final Egress egress)
    {
        final long actionId = operatorDecoder.actionId();
        final long deviceId = operatorDecoder.deviceId();
        final DeviceKind kind = operatorDecoder.deviceKind();
        final OperatorRole role = operatorDecoder.role();
        final int powerW = operatorDecoder.activePowerW();
        final long holdMs = operatorDecoder.holdMs();
        final BooleanType release = operatorDecoder.release();
        if (role != OperatorRole.OPERATE && role != OperatorRole.MANAGE && role != OperatorRole.CONFIGURE)
        {
            reject(input, egress, RejectReason.NOT_PERMITTED, "OperatorSetpoint " + actionId + ": role " + role
                + " may not change set-points (needs operate in the energy center)");
            return;
        }
        if (release != BooleanType.TRUE && release != BooleanType.FALSE)
        {
            reject(input, egress, RejectReason.INVALID_VALUE, "OperatorSetpoint " + actionId + ": release must be TRUE or FALSE");
            return;
        }
        final int ess = kind == DeviceKind.ESS ? EnergySettings.indexOf(settings.essIds, (int)Math.min(deviceId, Integer.MAX_VALUE)) : -1;
        final int charger = kind == DeviceKind.EV_CHARGER ? EnergySettings.indexOf(settings.chargerIds, (int)Math.min(deviceId, Integer.MAX_VALUE)) : -1;
        if (kind != DeviceKind.ESS && kind != DeviceKind.EV_CHARGER)
        {
            reject(input, egress, RejectReason.INVALID_VALUE, "OperatorSetpoint " + actionId + ": deviceKind must be ESS or EV_CHARGER, was " + kind);
            return;
        }
        if (ess < 0 && charger < 0)
        {
            unknownDevices++;
            reject(input, egress, RejectReason.UNKNOWN_ID, "OperatorSetpoint " + actionId + ": deviceId " + deviceId + " is no "
                + (kind == DeviceKind.ESS ? "ESS" : "EV charger") + " of this microgrid");
            return;
        }
        if (release == BooleanType.TRUE)
        {
            if (ess >= 0)
            {
                releaseEss(ess);
            }
            else
            {
                releaseCharger(charger);
            }
            return;
        }
        if (!OperatorSetpoints.holdInRange(holdMs) || holdMs == OperatorSetpointDecoder.holdMsNullValue())
        {
            reject(input, egress, RejectReason.INVALID_VALUE, "OperatorSetpoint " + actionId + ": holdMs must be 1 to "
                + OperatorSetpoints.MAX_HOLD_MS + ", was " + holdMs);
            return;
        }
        final boolean inRange = powerW != OperatorSetpointDecoder.activePowerWNullValue() && (ess >= 0
            ? OperatorSetpoints.essInRange(powerW, settings.essMaxChargeW[ess], settings.essMaxDischargeW[ess])
            : OperatorSetpoints.chargerInRange(powerW, settings.chargerRatedW[charger], settings.chargerV2g[charger]));
        if (!inRange)
        {
            reject(input, egress, RejectReason.INVALID_VALUE, "OperatorSetpoint " + actionId + ": activePowerW " + powerW + " is outside "
                + (ess >= 0
                ? "ESS " + deviceId + "'s range " + -settings.essMaxDischargeW[ess] + " to " + settings.essMaxChargeW[ess] + " W"
                : "charger " + deviceId + "'s range " + (settings.chargerV2g[charger] ? -settings.chargerRatedW[charger] : 0) + " to "
                + settings.chargerRatedW[charger] + " W" + (settings.chargerV2g[charger] ? "" : " (no V2G)")));
            return;
        }
        final long untilNs = OperatorSetpoints.untilNs(input.timeNs(), holdMs);
        if (ess >= 0)
        {
            grid.essManual[ess] = true;
            grid.essManualW[ess] = powerW;
            essManualUntilNs[ess] = untilNs;
            resend[essBase + ess] = true; // say so on the next Tick, moved or not
        }
        else
        {
            grid.chargerManual[charger] = true;
            grid.chargerCapW[charger] = powerW;
            chargerManualUntilNs[charger] = untilNs;
            resend[chargerBase + charger] = true;
        }
    }

    private void releaseEss(final int index)
    {
        if (grid.essManual[index])
        {
            grid.essManual[index] = false;
            grid.essManualW[index] = 0;
            essManualUntilNs[index] = 0;
            resend[essBase + index] = true; // back to automatic: its set-point and reason again
        }
    }

    private void releaseCharger(final int index)
    {
        if (grid.chargerManual[index])
        {
            grid.chargerManual[index] = false;
            grid.chargerCapW[index] = 0;
            chargerManualUntilNs[index] = 0;
            resend[chargerBase + index] = true;
        }
    }

    /** Manual set-points whose hold has ended go back to automatic control (time from the Tick only). */
    private void expireManual(final long nowNs)
    {
        for (int i = 0; i < essManualUntilNs.length; i++)
        {
            if (grid.essManual[i] && nowNs >= essManualUntilNs[i])
            {
                releaseEss(i);
            }
        }
        for (int i = 0; i < chargerManualUntilNs.length; i++)
        {
            if (grid.chargerManual[i] && nowNs >= chargerManualUntilNs[i])
            {
                releaseCharger(i);
            }
        }
    }

    private void reject(final Input input, final Egress egress, final RejectReason reason, final String detail)
    {
        refusedInputs++;
        inputReject.write(input, egress, reason, detail);
    }

    /** Before the first Tick the loop has no time of its own to judge a stamp by: every stamp is timely then. */
    private boolean timely(final long measuredAtNs, final long nowNs)
    {
        return lastTickNs == Long.MIN_VALUE || MeasurementHealth.timely(measuredAtNs, nowNs, tuning.futureToleranceNs());
    }

    private void onFrequency(final long nowNs)
    {
        if (frequencyDecoder.meterId() != settings.pccId)
        {
            unknownDevices++;
            return;
        }
        final int milliHz = frequencyDecoder.frequencyMilliHz();
        final long atNs = frequencyDecoder.measuredAtNs();
        if (milliHz == FrequencyMeasurementDecoder.frequencyMilliHzNullValue()
            || Math.abs(milliHz - settings.nominalMilliHz) > settings.nominalMilliHz / 12
            || atNs == FrequencyMeasurementDecoder.measuredAtNsNullValue() || !timely(atNs, nowNs))
        {
            health.invalid(FREQUENCY);
            return;
        }
        if (health.state(FREQUENCY) != MeasurementHealth.NEVER && atNs < measuredAtNs[FREQUENCY])
        {
            return;
        }
        measuredAtNs[FREQUENCY] = atNs;
        health.good(FREQUENCY, atNs);
        grid.frequencyMilliHz = milliHz;
    }

    private void onSession()
    {
        final int index = EnergySettings.indexOf(settings.chargerIds, (int)sessionDecoder.chargerId());
        if (index < 0)
        {
            unknownDevices++;
            return;
        }
        final ChargerSessionState state = sessionDecoder.state();
        final int neededWh = sessionDecoder.energyNeededWh();
        final int maxChargeW = sessionDecoder.maxChargePowerW();
        final int maxDischargeW = sessionDecoder.maxDischargePowerW();
        if (state == null || state == ChargerSessionState.NULL_VAL || state == ChargerSessionState.SBE_UNKNOWN
            || neededWh < 0 || maxChargeW < 0 || maxDischargeW < 0)
        {
            refusedInputs++;
            return;
        }
        final long sessionId = sessionDecoder.sessionId();
        if (state == ChargerSessionState.DISCONNECTED)
        {
            if (sessionIds[index] == sessionId || !grid.sessionActive[index])
            {
                grid.sessionActive[index] = false;
                grid.remainingWh[index] = 0;
            }
            return;
        }
        if (sessionIds[index] != sessionId || !grid.sessionActive[index])
        {
            chargerForceSend[index] = true; // a new vehicle: the charger has no set-point for it yet
        }
        sessionIds[index] = sessionId;
        grid.sessionActive[index] = state != ChargerSessionState.SUSPENDED;
        grid.remainingWh[index] = neededWh;
        grid.departureNs[index] = sessionDecoder.departureTimeNs();
        grid.sessionMaxChargeW[index] = maxChargeW;
        grid.sessionMaxDischargeW[index] = maxDischargeW;
        grid.v2gAllowed[index] = sessionDecoder.v2gAllowed() == BooleanType.TRUE;
    }

    private void onDemandResponse(final long nowNs)
    {
        final long eventId = drDecoder.eventId();
        final DemandResponseState state = drDecoder.state();
        final long startNs = drDecoder.startTimeNs();
        final long endNs = drDecoder.endTimeNs();
        final int reduceW = drDecoder.reduceImportW();
        if (state == null || state == DemandResponseState.NULL_VAL || state == DemandResponseState.SBE_UNKNOWN
            || reduceW < 0 || endNs <= startNs)
        {
            refusedInputs++;
            return;
        }
        int index = -1;
        for (int i = 0; i < drCount; i++)
        {
            if (drIds[i] == eventId)
            {
                index = i;
                break;
            }
        }
        if (index < 0)
        {
            // make room: drop events that have ended
            int kept = 0;
            for (int i = 0; i < drCount; i++)
            {
                if (drEndNs[i] > nowNs && !drCancelled[i])
                {
                    copyEvent(i, kept++);
                }
            }
            drCount = kept;
            if (drCount == MAX_DR_EVENTS)
            {
                refusedInputs++;
                return;
            }
            index = drCount++;
            drIds[index] = eventId;
            drBaselineSet[index] = false;
        }
        drCancelled[index] = state == DemandResponseState.CANCELLED;
        drStartNs[index] = startNs;
        drEndNs[index] = endNs;
        drReduceW[index] = reduceW;
    }

    private void copyEvent(final int from, final int to)
    {
        drIds[to] = drIds[from];
        drStartNs[to] = drStartNs[from];
        drEndNs[to] = drEndNs[from];
        drReduceW[to] = drReduceW[from];
        drBaselineW[to] = drBaselineW[from];
        drBaselineSet[to] = drBaselineSet[from];
        drCancelled[to] = drCancelled[from];
    }

    private void onPrice()
    {
        final long fromNs = priceDecoder.validFromNs();
        final long toNs = priceDecoder.validToNs();
        final int importPrice = priceDecoder.importPriceKrwPerMwh();
        final int exportPrice = priceDecoder.exportPriceKrwPerMwh();
        if (toNs <= fromNs || importPrice == PriceSignalDecoder.importPriceKrwPerMwhNullValue()
            || exportPrice == PriceSignalDecoder.exportPriceKrwPerMwhNullValue())
        {
            refusedInputs++;
            return;
        }
        final int slot = (int)(priceSignals % MAX_PRICE_SIGNALS);
        priceFromNs[slot] = fromNs;
        priceToNs[slot] = toNs;
        priceImport[slot] = importPrice;
        priceExport[slot] = exportPrice;
        priceSignals++;
        plannedSlot = -1; // plan again with the new prices on the next Tick
    }

    /** Import price at an instant: the newest price signal covering it, else the configured tariff. */
    long importPriceKrwPerMwh(final long atNs)
    {
        final long held = Math.min(priceSignals, MAX_PRICE_SIGNALS);
        for (long k = 1; k <= held; k++)
        {
            final int slot = (int)((priceSignals - k) % MAX_PRICE_SIGNALS);
            if (priceFromNs[slot] <= atNs && atNs < priceToNs[slot])
            {
                return priceImport[slot];
            }
        }
        return settings.tariffImportKrwPerMwh[slotOfDay(atNs)];
    }

    // ------------------------------------------------------------------ the Tick

    private void onTick(final long nowNs, final long periodNs, final Egress egress)
    {
        ticks++;
        tickPeriodNs = periodNs > 0 ? periodNs : DEFAULT_TICK_NS;
        final long elapsedNs = lastTickNs == Long.MIN_VALUE ? 0 : Math.min(Math.max(0, nowNs - lastTickNs), tuning.maxIntegrationStepNs());
        lastTickNs = nowNs;

        integrate(nowNs, elapsedNs);
        settle(nowNs, egress);
        expireManual(nowNs);
        health.checkStale(nowNs, tuning.staleAfterNs());

        grid.nowNs = nowNs;
        grid.tickNs = tickPeriodNs;
        grid.pccOk = health.ok(PCC);
        grid.loadOk = health.ok(LOAD);
        grid.frequencyOk = health.ok(FREQUENCY);
        double usableWh = 0;
        double roomWh = 0;
        long maxChargeW = 0;
        long maxDischargeW = 0;
        for (int i = 0; i < settings.essIds.length; i++)
        {
            grid.essOk[i] = health.ok(essBase + i);
            if (!grid.essOk[i])
            {
                grid.essW[i] = essSentW[i];
                continue;
            }
            usableWh += EssLimits.usableWh(grid.essSocPermille[i], settings.essMinSocPermille[i], settings.essCapacityWh[i]);
            roomWh += EssLimits.roomWh(grid.essSocPermille[i], settings.essMaxSocPermille[i], settings.essCapacityWh[i]);
            maxChargeW += settings.essMaxChargeW[i];
            maxDischargeW += settings.essMaxDischargeW[i];
        }
        for (int i = 0; i < settings.pvIds.length; i++)
        {
            grid.pvOk[i] = health.ok(pvBase + i);
        }
        for (int i = 0; i < settings.chargerIds.length; i++)
        {
            grid.chargerOk[i] = health.ok(chargerBase + i);
        }
        demandResponse(nowNs);

        // the plan: again at every slot boundary (and after new prices)
        final int slot = slotOfDay(nowNs);
        double reserveWh = 0;
        for (int i = 0; i < settings.essIds.length; i++)
        {
            reserveWh += EssLimits.usableWh(settings.essMaxSocPermille[i], settings.essMinSocPermille[i], settings.essCapacityWh[i]);
        }
        reserveWh = reserveWh * tuning.peakReservePermille() / 1000.0 + demandResponseReserveWh(nowNs);
        if (slot != plannedSlot)
        {
            plannedSlot = slot;
            final long slotStartNs = nowNs - Math.floorMod(clock.localNs(nowNs), TouPlan.SLOT_NS);
            final long[] prices = plan.prices();
            for (int h = 0; h < TouPlan.SLOTS; h++)
            {
                prices[h] = importPriceKrwPerMwh(slotStartNs + h * TouPlan.SLOT_NS + TouPlan.SLOT_NS / 2);
            }
            plan.plan(slot, slotStartNs + TouPlan.SLOT_NS - nowNs, usableWh, roomWh, reserveWh, maxChargeW, maxDischargeW,
                tuning.roundTripEfficiency());
            grid.cheapSlot = isCheapest(prices);
        }
        grid.importPriceKrwPerMwh = importPriceKrwPerMwh(nowNs);
        grid.dischargeThresholdKrwPerMwh = plan.thresholdKrwPerMwh();
        grid.gridChargeW = plan.gridChargeW();
        grid.essUsableWh = usableWh;
        grid.essReserveWh = reserveWh;

        balancer.balance(grid);
        if (grid.pccOk)
        {
            // learn the net uncontrolled power for the forecast (load - PV, before the devices)
            long devicesW = 0;
            for (int i = 0; i < settings.essIds.length; i++)
            {
                devicesW += grid.essW[i];
            }
            for (int i = 0; i < settings.chargerIds.length; i++)
            {
                devicesW += grid.chargerDrawnW[i];
            }
            for (int i = 0; i < grid.loadReductionW.length; i++)
            {
                devicesW -= grid.loadReductionW[i];
            }
            plan.observe(slot, grid.pccW - devicesW);
        }
        final SetpointReason fallbackReason = !grid.pccOk
            ? (health.state(PCC) == MeasurementHealth.INVALID ? SetpointReason.FALLBACK_INVALID : SetpointReason.FALLBACK_STALE) : null;
        sendSetpoints(fallbackReason, egress);
        sendHealth(egress);
        sendStatus(nowNs, fallbackReason, egress);
    }

    private boolean isCheapest(final long[] prices)
    {
        for (int h = 1; h < TouPlan.SLOTS; h++)
        {
            if (prices[h] < prices[0])
            {
                return false;
            }
        }
        return true;
    }

    /** Energy over the time since the last Tick, at the powers in force during it. */
    private void integrate(final long nowNs, final long elapsedNs)
    {
        if (elapsedNs <= 0)
        {
            return;
        }
        for (int i = 0; i < settings.chargerIds.length; i++)
        {
            if (grid.sessionActive[i])
            {
                grid.chargerDrawnW[i] = EvScheduling.drawnW(grid.remainingWh[i], grid.chargerW[i], elapsedNs);
                grid.remainingWh[i] = EvScheduling.remainingAfterWh(grid.remainingWh[i], grid.chargerW[i], elapsedNs);
            }
            else
            {
                grid.chargerDrawnW[i] = 0;
            }
        }
        if (health.ok(PCC))
        {
            final long minute = Math.floorDiv(nowNs, MINUTE_NS);
            final int bucket = (int)Math.floorMod(minute, BASELINE_MINUTES);
            if (minuteIndex[bucket] != minute)
            {
                minuteIndex[bucket] = minute;
                minuteEnergyWh[bucket] = 0;
                minuteDurationNs[bucket] = 0;
            }
            minuteEnergyWh[bucket] += grid.pccW * (elapsedNs / HOUR_NS);
            minuteDurationNs[bucket] += elapsedNs;
        }
        // neighbour exchange at the latest measured production and load
        final double hours = elapsedNs / HOUR_NS;
        double offeredW = 0;
        double selfW = 0;
        final double loadW = Math.max(0, grid.loadW);
        for (int p = 0; p < settings.prosumerIds.length; p++)
        {
            final double producedW = producedW(p);
            final double consumedW = consumedW(p, loadW);
            selfW += NeighbourSettlement.selfConsumed(producedW, consumedW);
            offeredW += NeighbourSettlement.surplus(producedW, consumedW) * settings.neighbourSaleCapPercent / 100.0;
        }
        final double neighbourDeficitW = Math.max(0, loadW - selfW);
        for (int p = 0; p < settings.prosumerIds.length; p++)
        {
            final double producedW = producedW(p);
            final double consumedW = consumedW(p, loadW);
            final double self = NeighbourSettlement.selfConsumed(producedW, consumedW);
            final double surplus = NeighbourSettlement.surplus(producedW, consumedW);
            final double sold = NeighbourSettlement.soldToNeighbours(surplus, settings.neighbourSaleCapPercent, offeredW, neighbourDeficitW);
            producedWh[p] += producedW * hours;
            selfConsumedWh[p] += self * hours;
            soldWh[p] += sold * hours;
            exportedWh[p] += (surplus - sold) * hours;
            importedWh[p] += Math.max(0, consumedW - self) * hours;
        }
    }

    private double producedW(final int prosumer)
    {
        final int pv = settings.prosumerPvIndex[prosumer];
        return pv < 0 ? 0 : Math.max(0, -grid.pvW[pv]);
    }

    private double consumedW(final int prosumer, final double loadW)
    {
        return settings.households <= 0 ? 0 : loadW * settings.prosumerHouseholds[prosumer] / settings.households;
    }

    private void settle(final long nowNs, final Egress egress)
    {
        final long periodNs = tuning.settlementPeriodNs();
        final long startNs = Math.floorDiv(nowNs, periodNs) * periodNs;
        if (periodStartNs == Long.MIN_VALUE)
        {
            periodStartNs = startNs;
            return;
        }
        if (startNs == periodStartNs)
        {
            return;
        }
        for (int p = 0; p < settings.prosumerIds.length; p++)
        {
            final int offset = egress.claim(MessageHeaderEncoder.ENCODED_LENGTH + SettlementEncoder.BLOCK_LENGTH);
            settlementEncoder.wrapAndApplyHeader(egress.buffer(), offset, headerEncoder)
                .prosumerId(settings.prosumerIds[p])
                .periodStartNs(periodStartNs)
                .periodEndNs(startNs)
                .producedWh(Math.round(producedWh[p]))
                .selfConsumedWh(Math.round(selfConsumedWh[p]))
                .soldToNeighboursWh(Math.round(soldWh[p]))
                .exportedWh(Math.round(exportedWh[p]))
                .importedWh(Math.round(importedWh[p]));
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + settlementEncoder.encodedLength());
            producedWh[p] = 0;
            selfConsumedWh[p] = 0;
            soldWh[p] = 0;
            exportedWh[p] = 0;
            importedWh[p] = 0;
        }
        periodStartNs = startNs;
    }

    /** The active event with the largest reduction; its baseline is fixed when it starts. */
    private void demandResponse(final long nowNs)
    {
        grid.drActive = false;
        grid.drReduceW = 0;
        grid.drBaselineW = 0;
        for (int i = 0; i < drCount; i++)
        {
            if (drCancelled[i] || nowNs < drStartNs[i] || nowNs >= drEndNs[i])
            {
                continue;
            }
            if (!drBaselineSet[i])
            {
                drBaselineW[i] = baselineW(nowNs);
                drBaselineSet[i] = true;
            }
            if (!grid.drActive || drReduceW[i] > grid.drReduceW)
            {
                grid.drActive = true;
                grid.drReduceW = drReduceW[i];
                grid.drBaselineW = drBaselineW[i];
            }
        }
    }

    /**
     * Energy to keep for the demand-response events announced and not yet over: the reduction times
     * the part of the window still to come, as if the ESS alone delivered it.
     */
    private double demandResponseReserveWh(final long nowNs)
    {
        double reserveWh = 0;
        for (int i = 0; i < drCount; i++)
        {
            if (!drCancelled[i] && drEndNs[i] > nowNs)
            {
                final long fromNs = Math.max(nowNs, drStartNs[i]);
                reserveWh += drReduceW[i] * ((drEndNs[i] - fromNs) / HOUR_NS);
            }
        }
        return reserveWh;
    }

    /** Mean PCC power over the whole minutes of the last quarter hour (the current one when none). */
    private long baselineW(final long nowNs)
    {
        final long minute = Math.floorDiv(nowNs, MINUTE_NS);
        double energyWh = 0;
        long durationNs = 0;
        for (int i = 0; i < BASELINE_MINUTES; i++)
        {
            if (minuteIndex[i] < minute && minuteIndex[i] >= minute - BASELINE_MINUTES)
            {
                energyWh += minuteEnergyWh[i];
                durationNs += minuteDurationNs[i];
            }
        }
        if (durationNs == 0)
        {
            return grid.pccW;
        }
        return Math.round(energyWh * HOUR_NS / durationNs);
    }

    // ------------------------------------------------------------------ egress

    private void sendSetpoints(final SetpointReason fallbackReason, final Egress egress)
    {
        final SetpointReason binding = fallbackReason != null ? fallbackReason : balancer.binding();
        for (int i = 0; i < settings.essIds.length; i++)
        {
            final long setW = balancer.essSetW[i];
            final SetpointReason reason = fallbackReason != null ? fallbackReason : balancer.essReason(i);
            // under manual control the reason is news too (the operator's value clamped, the droop on top, or back to it)
            if (resend[essBase + i] || moved(setW, essSentW[i], tuning.essDeadBandW()) || grid.essManual[i] && reason.value() != essSentReason[i])
            {
                setpoint(settings.essIds[i], DeviceKind.ESS, setW, reason, egress);
                essSentW[i] = setW;
                essSentReason[i] = reason.value();
                resend[essBase + i] = false;
            }
        }
        for (int i = 0; i < settings.chargerIds.length; i++)
        {
            final long setW = balancer.chargerSetW[i];
            final SetpointReason manualReason = grid.chargerManual[i] ? balancer.manualChargerReason(i) : null;
            final SetpointReason reason = fallbackReason != null ? fallbackReason
                : manualReason != null ? manualReason
                : setW < 0 ? SetpointReason.FREQUENCY_RESPONSE
                : setW < balancer.requiredW(i) ? binding : SetpointReason.EV_DEADLINE;
            if (chargerForceSend[i] || resend[chargerBase + i] || moved(setW, grid.chargerW[i], tuning.chargerDeadBandW())
                || grid.chargerManual[i] && reason.value() != chargerSentReason[i])
            {
                setpoint(settings.chargerIds[i], DeviceKind.EV_CHARGER, setW, reason, egress);
                chargerSentReason[i] = reason.value();
                grid.chargerW[i] = setW;
                chargerForceSend[i] = false;
                resend[chargerBase + i] = false;
            }
        }
        for (int i = 0; i < settings.pvIds.length; i++)
        {
            final long limitW = balancer.pvLimitSetW[i];
            if (resend[pvBase + i] ||
                limitW != grid.pvLimitW[i] && (moved(limitW, grid.pvLimitW[i], tuning.pvDeadBandW()) || limitW == settings.pvPeakW[i]))
            {
                setpoint(settings.pvIds[i], DeviceKind.PV_INVERTER, -limitW,
                    fallbackReason != null ? fallbackReason : SetpointReason.CURTAILMENT, egress);
                grid.pvLimitW[i] = limitW;
                resend[pvBase + i] = false;
            }
        }
        for (int i = 0; i < settings.loadIds.length; i++)
        {
            final long reductionW = balancer.loadReductionSetW[i];
            if (reductionW != grid.loadReductionW[i])
            {
                setpoint(settings.loadIds[i], DeviceKind.CONTROLLABLE_LOAD, -reductionW,
                    fallbackReason != null ? fallbackReason : binding, egress);
                grid.loadReductionW[i] = reductionW;
            }
        }
    }

    /** Whether a set-point moved enough to send: beyond the dead band, or exactly to zero. */
    static boolean moved(final long newW, final long sentW, final long deadBandW)
    {
        return Math.abs(newW - sentW) > deadBandW || (newW == 0 && sentW != 0);
    }

    private void setpoint(final int deviceId, final DeviceKind kind, final long powerW, final SetpointReason reason, final Egress egress)
    {
        final int offset = egress.claim(MessageHeaderEncoder.ENCODED_LENGTH + SetpointEncoder.BLOCK_LENGTH);
        setpointEncoder.wrapAndApplyHeader(egress.buffer(), offset, headerEncoder)
            .deviceId(deviceId)
            .deviceKind(kind)
            .activePowerW(saturatedInt(powerW))
            .reactivePowerVar(0)
            .reason(reason);
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + setpointEncoder.encodedLength());
    }

    private void sendHealth(final Egress egress)
    {
        for (int channel = 0; channel < health.channels(); channel++)
        {
            if (!health.changed(channel))
            {
                continue;
            }
            health.clearChanged(channel);
            final byte state = health.state(channel);
            final byte[] detail = state == MeasurementHealth.STALE ? DETAIL_STALE : state == MeasurementHealth.INVALID ? DETAIL_INVALID
                : state == MeasurementHealth.UNREACHABLE ? DETAIL_UNREACHABLE : state == MeasurementHealth.ALARM ? DETAIL_ALARM : DETAIL_GOOD;
            final int offset = egress.claim(MessageHeaderEncoder.ENCODED_LENGTH + DeviceStatusEncoder.BLOCK_LENGTH
                + DeviceStatusEncoder.detailHeaderLength() + detail.length);
            statusEncoder.wrapAndApplyHeader(egress.buffer(), offset, headerEncoder)
                .deviceId(channelDeviceId(channel))
                .deviceKind(channelKind(channel))
                .state(deviceState(state))
                .badValueCount(health.badCount(channel))
                .lastGoodAtNs(health.lastGoodAtNs(channel))
                .putDetail(detail, 0, detail.length);
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + statusEncoder.encodedLength());
        }
    }

    private static DeviceState deviceState(final byte healthState)
    {
        switch (healthState)
        {
            case MeasurementHealth.GOOD:
                return DeviceState.ONLINE;
            case MeasurementHealth.INVALID:
                return DeviceState.INVALID_VALUE;
            case MeasurementHealth.ALARM:
                return DeviceState.DEGRADED;
            default:
                return DeviceState.OFFLINE; // STALE, UNREACHABLE
        }
    }

    private int channelDeviceId(final int channel)
    {
        if (channel < essBase)
        {
            return settings.pccId;
        }
        if (channel < pvBase)
        {
            return settings.essIds[channel - essBase];
        }
        if (channel < chargerBase)
        {
            return settings.pvIds[channel - pvBase];
        }
        return settings.chargerIds[channel - chargerBase];
    }

    private DeviceKind channelKind(final int channel)
    {
        if (channel == PCC || channel == FREQUENCY)
        {
            return DeviceKind.PCC_METER;
        }
        if (channel == LOAD)
        {
            return DeviceKind.LOAD;
        }
        return channel < pvBase ? DeviceKind.ESS : channel < chargerBase ? DeviceKind.PV_INVERTER : DeviceKind.EV_CHARGER;
    }

    private void sendStatus(final long nowNs, final SetpointReason fallbackReason, final Egress egress)
    {
        final int offset = egress.claim(MessageHeaderEncoder.ENCODED_LENGTH + BalancingStatusEncoder.BLOCK_LENGTH);
        balancingEncoder.wrapAndApplyHeader(egress.buffer(), offset, headerEncoder)
            .timeNs(nowNs)
            .plannedPccW(saturatedInt(balancer.plannedPccW()))
            .importLimitW(saturatedInt(balancer.importCapW()))
            .exportLimitW(saturatedInt(balancer.exportCapW()))
            .essPowerW(saturatedInt(balancer.essPowerW()))
            .evPowerW(saturatedInt(balancer.evPowerW()))
            .pvCurtailmentW(saturatedInt(balancer.pvCurtailmentW()))
            .frequencyResponseW(saturatedInt(balancer.droopW()))
            .frequencyResponseTargetW(saturatedInt(balancer.droopTargetW()))
            .demandResponseW(saturatedInt(grid.drActive ? grid.drReduceW : 0))
            .loadReductionW(saturatedInt(balancer.loadReductionW()))
            .binding(fallbackReason != null ? fallbackReason : balancer.statusBinding())
            .fallback(fallbackReason != null ? BooleanType.TRUE : BooleanType.FALSE)
            .staleMeasurements(Math.min(health.staleEpisodes(), 0xFFFF_FFFEL))
            .invalidMeasurements(Math.min(health.invalidMeasurements(), 0xFFFF_FFFEL));
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + balancingEncoder.encodedLength());
    }

    private static int saturatedInt(final long value)
    {
        // int32's null value is Integer.MIN_VALUE: never send it as a number
        return (int)Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE, value));
    }

    // ------------------------------------------------------------------ snapshot

    @Override
    public int stateVersion()
    {
        return STATE_VERSION;
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putLong(lastTickNs).putLong(tickPeriodNs).putInt(plannedSlot).putLong(ticks)
            .putLong(unknownDevices).putLong(refusedInputs);
        health.snapshot(out);
        plan.snapshot(out);
        for (int i = 0; i < measuredAtNs.length; i++)
        {
            out.putLong(measuredAtNs[i]).putBoolean(resend[i]);
        }
        out.putLong(grid.pccW).putLong(grid.loadW).putInt(grid.frequencyMilliHz)
            .putLong(grid.dischargeThresholdKrwPerMwh).putLong(grid.gridChargeW).putBoolean(grid.cheapSlot);
        for (int i = 0; i < settings.essIds.length; i++)
        {
            out.putLong(grid.essW[i]).putInt(grid.essSocPermille[i]).putLong(essSentW[i]);
        }
        for (int i = 0; i < settings.pvIds.length; i++)
        {
            out.putLong(grid.pvW[i]).putLong(grid.pvLimitW[i]);
        }
        for (int i = 0; i < settings.chargerIds.length; i++)
        {
            out.putLong(sessionIds[i]).putBoolean(grid.sessionActive[i]).putDouble(grid.remainingWh[i])
                .putLong(grid.departureNs[i]).putLong(grid.sessionMaxChargeW[i]).putLong(grid.sessionMaxDischargeW[i])
                .putBoolean(grid.v2gAllowed[i]).putLong(grid.chargerW[i]).putLong(grid.chargerDrawnW[i]).putBoolean(chargerForceSend[i]);
        }
        for (int i = 0; i < grid.loadReductionW.length; i++)
        {
            out.putLong(grid.loadReductionW[i]);
        }
        out.putInt(drCount);
        for (int i = 0; i < drCount; i++)
        {
            out.putLong(drIds[i]).putLong(drStartNs[i]).putLong(drEndNs[i]).putLong(drReduceW[i])
                .putLong(drBaselineW[i]).putBoolean(drBaselineSet[i]).putBoolean(drCancelled[i]);
        }
        for (int i = 0; i < BASELINE_MINUTES; i++)
        {
            out.putLong(minuteIndex[i]).putDouble(minuteEnergyWh[i]).putLong(minuteDurationNs[i]);
        }
        out.putLong(priceSignals);
        final long held = Math.min(priceSignals, MAX_PRICE_SIGNALS);
        for (int i = 0; i < held; i++)
        {
            out.putLong(priceFromNs[i]).putLong(priceToNs[i]).putLong(priceImport[i]).putLong(priceExport[i]);
        }
        out.putLong(periodStartNs);
        for (int p = 0; p < settings.prosumerIds.length; p++)
        {
            out.putDouble(producedWh[p]).putDouble(selfConsumedWh[p]).putDouble(soldWh[p]).putDouble(exportedWh[p]).putDouble(importedWh[p]);
        }
        for (int i = 0; i < settings.essIds.length; i++)
        {
            out.putBoolean(grid.essManual[i]).putLong(grid.essManualW[i]).putLong(essManualUntilNs[i]).putInt(essSentReason[i]);
        }
        for (int i = 0; i < settings.chargerIds.length; i++)
        {
            out.putBoolean(grid.chargerManual[i]).putLong(grid.chargerCapW[i]).putLong(chargerManualUntilNs[i]).putInt(chargerSentReason[i]);
        }
    }

    @Override
    public void restore(final StateReader in)
    {
        lastTickNs = in.getLong();
        tickPeriodNs = in.getLong();
        plannedSlot = in.getInt();
        ticks = in.getLong();
        unknownDevices = in.getLong();
        refusedInputs = in.getLong();
        health.restore(in);
        plan.restore(in);
        for (int i = 0; i < measuredAtNs.length; i++)
        {
            measuredAtNs[i] = in.getLong();
            resend[i] = in.getBoolean();
        }
        grid.pccW = in.getLong();
        grid.loadW = in.getLong();
        grid.frequencyMilliHz = in.getInt();
        grid.dischargeThresholdKrwPerMwh = in.getLong();
        grid.gridChargeW = in.getLong();
        grid.cheapSlot = in.getBoolean();
        for (int i = 0; i < settings.essIds.length; i++)
        {
            grid.essW[i] = in.getLong();
            grid.essSocPermille[i] = in.getInt();
            essSentW[i] = in.getLong();
        }
        for (int i = 0; i < settings.pvIds.length; i++)
        {
            grid.pvW[i] = in.getLong();
            grid.pvLimitW[i] = in.getLong();
        }
        for (int i = 0; i < settings.chargerIds.length; i++)
        {
            sessionIds[i] = in.getLong();
            grid.sessionActive[i] = in.getBoolean();
            grid.remainingWh[i] = in.getDouble();
            grid.departureNs[i] = in.getLong();
            grid.sessionMaxChargeW[i] = in.getLong();
            grid.sessionMaxDischargeW[i] = in.getLong();
            grid.v2gAllowed[i] = in.getBoolean();
            grid.chargerW[i] = in.getLong();
            grid.chargerDrawnW[i] = in.getLong();
            chargerForceSend[i] = in.getBoolean();
        }
        for (int i = 0; i < grid.loadReductionW.length; i++)
        {
            grid.loadReductionW[i] = in.getLong();
        }
        drCount = in.getInt();
        for (int i = 0; i < drCount; i++)
        {
            drIds[i] = in.getLong();
            drStartNs[i] = in.getLong();
            drEndNs[i] = in.getLong();
            drReduceW[i] = in.getLong();
            drBaselineW[i] = in.getLong();
            drBaselineSet[i] = in.getBoolean();
            drCancelled[i] = in.getBoolean();
        }
        for (int i = 0; i < BASELINE_MINUTES; i++)
        {
            minuteIndex[i] = in.getLong();
            minuteEnergyWh[i] = in.getDouble();
            minuteDurationNs[i] = in.getLong();
        }
        priceSignals = in.getLong();
        final long held = Math.min(priceSignals, MAX_PRICE_SIGNALS);
        for (int i = 0; i < held; i++)
        {
            priceFromNs[i] = in.getLong();
            priceToNs[i] = in.getLong();
            priceImport[i] = in.getLong();
            priceExport[i] = in.getLong();
        }
        periodStartNs = in.getLong();
        for (int p = 0; p < settings.prosumerIds.length; p++)
        {
            producedWh[p] = in.getDouble();
            selfConsumedWh[p] = in.getDouble();
            soldWh[p] = in.getDouble();
            exportedWh[p] = in.getDouble();
            importedWh[p] = in.getDouble();
        }
        for (int i = 0; i < settings.essIds.length; i++)
        {
            grid.essManual[i] = in.getBoolean();
            grid.essManualW[i] = in.getLong();
            essManualUntilNs[i] = in.getLong();
            essSentReason[i] = (short)in.getInt();
        }
        for (int i = 0; i < settings.chargerIds.length; i++)
        {
            grid.chargerManual[i] = in.getBoolean();
            grid.chargerCapW[i] = in.getLong();
            chargerManualUntilNs[i] = in.getLong();
            chargerSentReason[i] = (short)in.getInt();
        }
    }

    // ------------------------------------------------------------------ for status and tests

    public EnergySettings settings() { return settings; }
    public Balancer balancer() { return balancer; }
    public GridState grid() { return grid; }
    public TouPlan plan() { return plan; }
    public MeasurementHealth health() { return health; }
    /** Measurements naming a device the configuration does not know. */
    public long unknownDevices() { return unknownDevices; }
    /** Sessions, demand-response events and price signals refused as impossible. */
    public long refusedInputs() { return refusedInputs; }
    public long ticks() { return ticks; }

    /** Slot of the local day, 0 to 95. */
    private int slotOfDay(final long epochNs)
    {
        return (int)(clock.nsOfDay(epochNs) / TouPlan.SLOT_NS);
    }
}
