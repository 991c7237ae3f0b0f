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
 * A test loop with state that depends on every input in order: vehicles counted per detector and a
 * rolling hash of every frame (not of sequence numbers: a restarted node's state equals that of an
 * uninterrupted run over the same input). Each DetectorObservation is answered with a SignalCommand carrying the
 * detector's running count and the hash; each Tick with a SignalStatus. A replay, a restore from a
 * snapshot or a crash recovery that misses or repeats one input gives other bytes.
 */
public final class SummingLoop implements ControlLoop
{
    public static final int DETECTORS = 1024;

    private final long[] vehicles = new long[DETECTORS];
    private long rollingHash = 17;
    private long inputs;
    private final int skew;
    private final int stateVersion;
    private final DetectorObservationDecoder observation = new DetectorObservationDecoder();
    private final TickDecoder tick = new TickDecoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final SignalCommandEncoder command = new SignalCommandEncoder();
    private final SignalStatusEncoder status = new SignalStatusEncoder();

    public SummingLoop()
    {
        this(0);
    }

    /** @param skew added to every count: a "bug" that makes a replay diverge */
    public SummingLoop(final int skew)
    {
        this(skew, 1);
    }

    /** @param stateVersion the snapshot layout version it claims (a newer build of the same loop) */
    public SummingLoop(final int skew, final int stateVersion)
    {
        this.skew = skew;
        this.stateVersion = stateVersion;
    }

    @Override
    public int stateVersion()
    {
        return stateVersion;
    }

    @Override
    public String name()
    {
        return "summing";
    }

    @Override
    public int[] templateIds()
    {
        return new int[]{ DetectorObservationDecoder.TEMPLATE_ID, TickDecoder.TEMPLATE_ID };
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        inputs++;
        for (int i = 0; i < input.length(); i++)
        {
            rollingHash = rollingHash * 31 + input.buffer().getByte(input.offset() + i);
        }
        if (input.templateId() == DetectorObservationDecoder.TEMPLATE_ID)
        {
            observation.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            final int detector = (int)(observation.detectorId() % DETECTORS);
            vehicles[detector] += observation.vehicleCount() + skew;
            final int offset = egress.claim(128);
            command.wrapAndApplyHeader(egress.buffer(), offset, header)
                .intersectionId(observation.intersectionId())
                .mode(SignalMode.ADAPTIVE)
                .phaseIndex(detector)
                .durationMs(vehicles[detector] & 0xFFFF_FFFFL)
                .reason(SignalReason.PRESSURE)
                .signalState(Long.toHexString(rollingHash));
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + command.encodedLength());
        }
        else
        {
            tick.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
            final int offset = egress.claim(128);
            status.wrapAndApplyHeader(egress.buffer(), offset, header)
                .intersectionId((int)(inputs & 0xFFFF_FFFFL))
                .mode(SignalMode.FIXED_TIME)
                .phaseIndex((int)(tick.tickNumber() & 0xFFFF))
                .phaseElapsedMs(input.timeNs() / 1_000_000L & 0xFFFF_FFFFL)
                .signalState(Long.toHexString(rollingHash));
            egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength());
        }
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putLong(rollingHash).putLong(inputs);
        for (final long count : vehicles)
        {
            out.putLong(count);
        }
    }

    @Override
    public void restore(final StateReader in)
    {
        rollingHash = in.getLong();
        inputs = in.getLong();
        for (int i = 0; i < DETECTORS; i++)
        {
            vehicles[i] = in.getLong();
        }
    }

    public long inputs()
    {
        return inputs;
    }
}
