package kr.sejong.city.bench.energy;

import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SetpointEncoder;
import kr.sejong.city.codecs.SetpointReason;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Ess;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

import java.util.List;

/**
 * Reference "rule-based": the ESS controllers an OpenEMS edge ships, combined as a site would configure
 * them (Controller.Ess.Balancing for self-consumption, Controller.Ess.PeakShaving with its recharge
 * power), on the grid power measured without the ESS ({@code grid - ess}, so the rules do not chase
 * their own output):
 * <ul>
 *   <li>above the peak-shaving power ({@value #PEAK_SHAVING_PERMILLE} permille of the import limit): discharge
 *   to hold the grid there;</li>
 *   <li>below zero (PV surplus): charge it (self-consumption);</li>
 *   <li>below the recharge power ({@value #RECHARGE_PERMILLE} permille of the import limit): charge up to it,
 *   to have energy for the next peak;</li>
 *   <li>in between: discharge down to the recharge power (self-consumption, kept from chasing zero
 *   import: a site that always imports would otherwise empty the ESS at night).</li>
 * </ul>
 * The ESS's own SoC window (min/max of the configuration, with the same one-permille guard as the loop)
 * and power rating bound it. Chargers, PV and loads are left alone (EVs charge uncontrolled), and
 * prices, demand response and frequency are not looked at: those are beyond these rules.
 */
public final class RuleBasedStrategy implements ControlLoop
{
    public static final String NAME = "rule-based";
    /** Chosen: the loop's own peak target, so both shave the same line. */
    public static final int PEAK_SHAVING_PERMILLE = 850;
    /** Chosen: between the night load (about 4 MW) and the day's mid load. */
    public static final int RECHARGE_PERMILLE = 600;
    private static final int GUARD_PERMILLE = 1;

    private final int pccId;
    private final long peakShavingW;
    private final long rechargeW;
    private final int[] essIds;
    private final long[] maxChargeW;
    private final long[] maxDischargeW;
    private final int[] minSocPermille;
    private final int[] maxSocPermille;
    private final long[] essW;
    private final int[] socPermille;
    private final long[] sentW;
    private final long[] chargeRoomW;
    private final long[] dischargeRoomW;
    private long gridW;
    private boolean gridSeen;

    private final TickDecoder tickDecoder = new TickDecoder();
    private final GridMeasurementDecoder gridDecoder = new GridMeasurementDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SetpointEncoder setpointEncoder = new SetpointEncoder();

    public RuleBasedStrategy(final CityConfig config)
    {
        pccId = config.energy().pcc().id();
        final long importLimitW = Math.round(config.energy().pcc().importLimitKw() * 1000);
        peakShavingW = importLimitW * PEAK_SHAVING_PERMILLE / 1000;
        rechargeW = importLimitW * RECHARGE_PERMILLE / 1000;
        final List<Ess> ess = config.energy().ess();
        final int n = ess.size();
        essIds = new int[n];
        maxChargeW = new long[n];
        maxDischargeW = new long[n];
        minSocPermille = new int[n];
        maxSocPermille = new int[n];
        essW = new long[n];
        socPermille = new int[n];
        sentW = new long[n];
        chargeRoomW = new long[n];
        dischargeRoomW = new long[n];
        for (int i = 0; i < n; i++)
        {
            essIds[i] = ess.get(i).id();
            maxChargeW[i] = Math.round(ess.get(i).maxChargeKw() * 1000);
            maxDischargeW[i] = Math.round(ess.get(i).maxDischargeKw() * 1000);
            minSocPermille[i] = (int)Math.round(ess.get(i).minSocPercent() * 10);
            maxSocPermille[i] = (int)Math.round(ess.get(i).maxSocPercent() * 10);
            socPermille[i] = (int)Math.round(ess.get(i).initialSocPercent() * 10);
        }
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int[] templateIds()
    {
        return new int[]{ TickDecoder.TEMPLATE_ID, GridMeasurementDecoder.TEMPLATE_ID };
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        if (input.templateId() == GridMeasurementDecoder.TEMPLATE_ID)
        {
            gridDecoder.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            final int powerW = gridDecoder.activePowerW();
            if (powerW == GridMeasurementDecoder.activePowerWNullValue())
            {
                return;
            }
            if (gridDecoder.deviceKind() == DeviceKind.PCC_METER && gridDecoder.deviceId() == pccId)
            {
                gridW = powerW;
                gridSeen = true;
            }
            else if (gridDecoder.deviceKind() == DeviceKind.ESS)
            {
                for (int i = 0; i < essIds.length; i++)
                {
                    if (essIds[i] == gridDecoder.deviceId() && gridDecoder.socPermille() <= 1000)
                    {
                        essW[i] = powerW;
                        socPermille[i] = gridDecoder.socPermille();
                    }
                }
            }
        }
        else if (input.templateId() == TickDecoder.TEMPLATE_ID && gridSeen)
        {
            onTick(egress);
        }
    }

    private void onTick(final Egress egress)
    {
        long essNowW = 0;
        long chargeW = 0;
        long dischargeW = 0;
        for (int i = 0; i < essIds.length; i++)
        {
            essNowW += essW[i];
            chargeRoomW[i] = socPermille[i] < maxSocPermille[i] - GUARD_PERMILLE ? maxChargeW[i] : 0;
            dischargeRoomW[i] = socPermille[i] > minSocPermille[i] + GUARD_PERMILLE ? maxDischargeW[i] : 0;
            chargeW += chargeRoomW[i];
            dischargeW += dischargeRoomW[i];
        }
        final long withoutEssW = gridW - essNowW;
        final long targetW = essTargetW(withoutEssW, peakShavingW, rechargeW);
        final long totalW = Math.max(-dischargeW, Math.min(chargeW, targetW));
        final long capacityW = totalW >= 0 ? chargeW : dischargeW;
        for (int i = 0; i < essIds.length; i++)
        {
            final long shareW = capacityW == 0 ? 0 : totalW * (totalW >= 0 ? chargeRoomW[i] : dischargeRoomW[i]) / capacityW;
            if (Math.abs(shareW - sentW[i]) > 1_000 || (shareW == 0 && sentW[i] != 0))
            {
                final int offset = egress.claim(MessageHeaderEncoder.ENCODED_LENGTH + SetpointEncoder.BLOCK_LENGTH);
                setpointEncoder.wrapAndApplyHeader(egress.buffer(), offset, headerEncoder)
                    .deviceId(essIds[i])
                    .deviceKind(DeviceKind.ESS)
                    .activePowerW((int)shareW)
                    .reactivePowerVar(0)
                    .reason(totalW < 0 && withoutEssW > peakShavingW ? SetpointReason.PCC_LIMIT : SetpointReason.SELF_CONSUMPTION);
                egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + setpointEncoder.encodedLength());
                sentW[i] = shareW;
            }
        }
    }

    /**
     * The rules as one pure function: ESS power (charging positive) for the grid power without the ESS.
     */
    public static long essTargetW(final long gridWithoutEssW, final long peakShavingW, final long rechargeW)
    {
        if (gridWithoutEssW > peakShavingW)
        {
            return peakShavingW - gridWithoutEssW;
        }
        if (gridWithoutEssW < 0)
        {
            return -gridWithoutEssW;
        }
        // below the recharge power: charge up to it; between recharge and peak: discharge down to it
        return rechargeW - gridWithoutEssW;
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putLong(gridW).putBoolean(gridSeen);
        for (int i = 0; i < essIds.length; i++)
        {
            out.putLong(essW[i]).putInt(socPermille[i]).putLong(sentW[i]);
        }
    }

    @Override
    public void restore(final StateReader in)
    {
        gridW = in.getLong();
        gridSeen = in.getBoolean();
        for (int i = 0; i < essIds.length; i++)
        {
            essW[i] = in.getLong();
            socPermille[i] = in.getInt();
            sentW[i] = in.getLong();
        }
    }
}
