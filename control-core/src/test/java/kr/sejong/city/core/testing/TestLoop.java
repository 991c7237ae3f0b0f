package kr.sejong.city.core.testing;

import kr.sejong.city.codecs.DetectorObservationDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SignalCommandEncoder;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.SignalStatusEncoder;
import kr.sejong.city.codecs.TickDecoder;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

/**
 * A loop for node tests: answers each DetectorObservation with a SignalCommand derived from it, and
 * each Tick with a SignalStatus carrying the logical time and the vehicles counted since the last Tick.
 * Deterministic, like a real loop, so the same input gives the same egress bytes.
 */
public final class TestLoop implements ControlLoop
{
    private final DetectorObservationDecoder observation = new DetectorObservationDecoder();
    private final TickDecoder tick = new TickDecoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final SignalCommandEncoder command = new SignalCommandEncoder();
    private final SignalStatusEncoder status = new SignalStatusEncoder();
    private long vehiclesSinceTick;

    @Override
    public String name()
    {
        return "test";
    }

    @Override
    public int[] templateIds()
    {
        return new int[]{ DetectorObservationDecoder.TEMPLATE_ID, TickDecoder.TEMPLATE_ID };
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        if (input.templateId() == DetectorObservationDecoder.TEMPLATE_ID)
        {
            observation.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            vehiclesSinceTick += observation.vehicleCount();
            final int offset = egress.claim(128);
            command.wrapAndApplyHeader(egress.buffer(), offset, header)
                .intersectionId(observation.intersectionId())
                .mode(SignalMode.ADAPTIVE)
                .phaseIndex((int)(observation.detectorId() % 8))
                .durationMs(observation.vehicleCount() * 1000L)
                .reason(SignalReason.EXTEND_DEMAND)
                .signalState("GGrr");
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + command.encodedLength());
        }
        else
        {
            tick.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            final int offset = egress.claim(128);
            status.wrapAndApplyHeader(egress.buffer(), offset, header)
                .intersectionId((int)(vehiclesSinceTick & 0xFFFF_FFFFL))
                .mode(SignalMode.FIXED_TIME)
                .phaseIndex((int)(tick.tickNumber() & 0xFFFF))
                .phaseElapsedMs(input.timeNs() / 1_000_000L & 0xFFFF_FFFFL)
                .signalState("tick");
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength());
            vehiclesSinceTick = 0;
        }
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putLong(vehiclesSinceTick);
    }

    @Override
    public void restore(final StateReader in)
    {
        vehiclesSinceTick = in.getLong();
    }
}
