package kr.sejong.city.core.loops.energy;

import kr.sejong.city.codecs.BalancingStatusDecoder;
import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.ChargerSessionEncoder;
import kr.sejong.city.codecs.ChargerSessionState;
import kr.sejong.city.codecs.DemandResponseEventEncoder;
import kr.sejong.city.codecs.DemandResponseState;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.PriceSignalEncoder;
import kr.sejong.city.codecs.FrequencyMeasurementEncoder;
import kr.sejong.city.codecs.GridMeasurementEncoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.OperatorSetpointEncoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateWriter;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Drives an energy loop frame by frame as the node would (a gap-free sequence; frames between Ticks carry
 * the earlier Tick's time) and keeps what it sends. Reuses its buffers, so a steady run allocates nothing
 * unless {@link #keep} is on.
 */
final class LoopDriver implements Egress
{
    static final long TICK_NS = 100_000_000L;

    final ControlLoop loop;
    private final Input input = new Input();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final TickEncoder tick = new TickEncoder();
    private final GridMeasurementEncoder grid = new GridMeasurementEncoder();
    private final FrequencyMeasurementEncoder frequency = new FrequencyMeasurementEncoder();
    private final ChargerSessionEncoder session = new ChargerSessionEncoder();
    private final DemandResponseEventEncoder demandResponse = new DemandResponseEventEncoder();
    private final PriceSignalEncoder price = new PriceSignalEncoder();
    private final OperatorSetpointEncoder operator = new OperatorSetpointEncoder();
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64 * 1024);
    private final BalancingStatusDecoder status = new BalancingStatusDecoder();
    private int claimed;
    private int position;
    private long sequence;
    private long stampNs;
    boolean keep = true;
    final List<byte[]> sent = new ArrayList<>();
    long framesSent;
    int lastStatusOffset = -1;

    LoopDriver(final ControlLoop loop)
    {
        this.loop = loop;
    }

    @Override
    public int claim(final int maxLength)
    {
        out.checkLimit(position + maxLength);
        claimed = position;
        return position;
    }

    @Override
    public MutableDirectBuffer buffer()
    {
        return out;
    }

    @Override
    public void commit(final int length)
    {
        framesSent++;
        headerDecoder.wrap(out, claimed);
        if (headerDecoder.templateId() == BalancingStatusDecoder.TEMPLATE_ID)
        {
            lastStatusOffset = claimed;
        }
        if (keep)
        {
            final byte[] copy = new byte[length];
            out.getBytes(claimed, copy);
            sent.add(copy);
        }
        position = claimed + length;
    }

    private void deliver(final int length)
    {
        headerDecoder.wrap(frame, 0);
        final int templateId = headerDecoder.templateId();
        input.wrap(sequence++, stampNs, templateId, headerDecoder.version(), headerDecoder.blockLength(), frame, 0, length);
        position = 0;
        loop.onInput(input, this);
    }

    /** A driver for a restored loop: inputs before its first Tick carry the time the snapshot was taken at, as the node stamps them. */
    LoopDriver resumeAt(final long timeNs)
    {
        stampNs = timeNs;
        return this;
    }

    void tick(final long timeNs)
    {
        stampNs = timeNs;
        tick.wrapAndApplyHeader(frame, 0, header).timeNs(timeNs).periodNs(TICK_NS).source(TickSource.SIMULATION).tickNumber(sequence);
        lastStatusOffset = -1;
        deliver(MessageHeaderEncoder.ENCODED_LENGTH + tick.encodedLength());
    }

    void grid(final int deviceId, final DeviceKind kind, final int powerW, final int socPermille, final long measuredAtNs)
    {
        grid.wrapAndApplyHeader(frame, 0, header).deviceId(deviceId).deviceKind(kind).activePowerW(powerW).reactivePowerVar(0)
            .socPermille(socPermille < 0 ? GridMeasurementEncoder.socPermilleNullValue() : socPermille).measuredAtNs(measuredAtNs);
        deliver(MessageHeaderEncoder.ENCODED_LENGTH + grid.encodedLength());
    }

    /** A field adapter's DeviceStatus. */
    void deviceStatus(final int deviceId, final DeviceKind kind, final kr.sejong.city.codecs.DeviceState state)
    {
        final kr.sejong.city.codecs.DeviceStatusEncoder encoder = new kr.sejong.city.codecs.DeviceStatusEncoder()
            .wrapAndApplyHeader(frame, 0, header).deviceId(deviceId).deviceKind(kind).state(state).badValueCount(0);
        encoder.detail("opcua");
        deliver(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    void frequency(final int meterId, final int milliHz, final long measuredAtNs)
    {
        frequency.wrapAndApplyHeader(frame, 0, header).meterId(meterId).frequencyMilliHz(milliHz).measuredAtNs(measuredAtNs);
        deliver(MessageHeaderEncoder.ENCODED_LENGTH + frequency.encodedLength());
    }

    void session(final int chargerId, final long sessionId, final ChargerSessionState state, final int neededWh, final long departureNs,
        final int maxChargeW)
    {
        session.wrapAndApplyHeader(frame, 0, header).chargerId(chargerId).sessionId(sessionId).state(state).vehicleSocPermille(300)
            .energyNeededWh(neededWh).departureTimeNs(departureNs).maxChargePowerW(maxChargeW).maxDischargePowerW(0).v2gAllowed(BooleanType.FALSE);
        deliver(MessageHeaderEncoder.ENCODED_LENGTH + session.encodedLength());
    }

    /** A V2G-capable session: the vehicle may give back up to {@code maxDischargeW}. */
    void v2gSession(final int chargerId, final long sessionId, final int neededWh, final long departureNs, final int maxChargeW,
        final int maxDischargeW)
    {
        session.wrapAndApplyHeader(frame, 0, header).chargerId(chargerId).sessionId(sessionId).state(ChargerSessionState.CONNECTED)
            .vehicleSocPermille(500).energyNeededWh(neededWh).departureTimeNs(departureNs).maxChargePowerW(maxChargeW)
            .maxDischargePowerW(maxDischargeW).v2gAllowed(BooleanType.TRUE);
        deliver(MessageHeaderEncoder.ENCODED_LENGTH + session.encodedLength());
    }

    /** An operator's manual set-point, as the gateway sends it (role operate). */
    void operatorSetpoint(final long actionId, final int deviceId, final DeviceKind kind, final int powerW, final long holdMs)
    {
        operatorSetpoint(actionId, deviceId, kind, OperatorRole.OPERATE, powerW, holdMs, false);
    }

    void operatorRelease(final long actionId, final int deviceId, final DeviceKind kind)
    {
        operatorSetpoint(actionId, deviceId, kind, OperatorRole.OPERATE, 0, 0, true);
    }

    void operatorSetpoint(final long actionId, final int deviceId, final DeviceKind kind, final OperatorRole role, final int powerW,
        final long holdMs, final boolean release)
    {
        operator.wrapAndApplyHeader(frame, 0, header).actionId(actionId).deviceId(deviceId).deviceKind(kind).role(role)
            .activePowerW(powerW).holdMs(holdMs).release(release ? BooleanType.TRUE : BooleanType.FALSE);
        deliver(MessageHeaderEncoder.ENCODED_LENGTH + operator.encodedLength());
    }

    void demandResponse(final long eventId, final DemandResponseState state, final int reduceW, final long startNs, final long endNs)
    {
        demandResponse.wrapAndApplyHeader(frame, 0, header).eventId(eventId).state(state).reduceImportW(reduceW).startTimeNs(startNs).endTimeNs(endNs);
        deliver(MessageHeaderEncoder.ENCODED_LENGTH + demandResponse.encodedLength());
    }

    void price(final long fromNs, final long toNs, final int importKrwPerMwh, final int exportKrwPerMwh)
    {
        price.wrapAndApplyHeader(frame, 0, header).tariffId(1).validFromNs(fromNs).validToNs(toNs)
            .importPriceKrwPerMwh(importKrwPerMwh).exportPriceKrwPerMwh(exportKrwPerMwh);
        deliver(MessageHeaderEncoder.ENCODED_LENGTH + price.encodedLength());
    }

    /** Every measurement of a calm microgrid at {@code atNs}: the PCC, the load, the frequency, both ESS, every PV array and charger. */
    void calmMeasurements(final EnergySettings settings, final long atNs, final int pccW)
    {
        calmMeasurements(settings, atNs, pccW, true);
    }

    void calmMeasurements(final EnergySettings settings, final long atNs, final int pccW, final boolean withPcc)
    {
        if (withPcc)
        {
            grid(settings.pccId, DeviceKind.PCC_METER, pccW, -1, atNs);
        }
        grid(settings.pccId, DeviceKind.LOAD, pccW, -1, atNs);
        frequency(settings.pccId, 60_000, atNs);
        for (final int id : settings.essIds)
        {
            grid(id, DeviceKind.ESS, 0, 500, atNs);
        }
        for (final int id : settings.pvIds)
        {
            grid(id, DeviceKind.PV_INVERTER, 0, -1, atNs);
        }
        for (final int id : settings.chargerIds)
        {
            grid(id, DeviceKind.EV_CHARGER, 0, -1, atNs);
        }
    }

    /** The BalancingStatus of the last Tick. */
    BalancingStatusDecoder status()
    {
        if (lastStatusOffset < 0)
        {
            throw new AssertionError("the last Tick sent no BalancingStatus");
        }
        headerDecoder.wrap(out, lastStatusOffset);
        return status.wrap(out, lastStatusOffset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
    }

    static int templateId(final byte[] frame)
    {
        final MessageHeaderDecoder decoder = new MessageHeaderDecoder();
        decoder.wrap(new UnsafeBuffer(frame), 0);
        return decoder.templateId();
    }

    /**
     * A loop restored from a snapshot and resumed beside the original: the copy sent the same frames, byte for byte,
     * and both loops now hold the same state, byte for byte.
     */
    static void assertSameFramesAndState(final LoopDriver original, final LoopDriver copy, final ControlLoop restored)
    {
        assertEquals(original.sent.size(), copy.sent.size());
        for (int i = 0; i < original.sent.size(); i++)
        {
            assertArrayEquals(original.sent.get(i), copy.sent.get(i), "frame " + i);
        }
        final StateWriter a = new StateWriter();
        final StateWriter b = new StateWriter();
        original.loop.snapshot(a);
        restored.snapshot(b);
        assertEquals(a.length(), b.length());
        for (int i = 0; i < a.length(); i++)
        {
            assertEquals(a.buffer().getByte(i), b.buffer().getByte(i), "state byte " + i);
        }
    }
}
