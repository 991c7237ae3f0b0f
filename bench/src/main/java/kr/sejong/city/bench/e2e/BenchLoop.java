package kr.sejong.city.bench.e2e;

import kr.sejong.city.bench.Junctions;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SignalCommandEncoder;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import kr.sejong.city.core.loops.signal.ControlMode;
import kr.sejong.city.core.loops.signal.IntersectionModel;
import kr.sejong.city.core.loops.signal.LaneTraffic;

/**
 * The loop the end-to-end benchmark runs in the node ("bench"): every request, a LaneObservations of the
 * benchmark junction ({@link Junctions}) whose {@code intersectionId} carries the load generator's
 * sequence number, is answered with exactly one SignalCommand for that id: the phase
 * {@link MaxPressureDecision} chooses for the request's lane loads ({@link #phaseIndex} and
 * {@link #signalState} say what it encodes). Lane loads are read into the signal loop's own
 * {@link LaneTraffic}, as the signal loop reads them. Deterministic and allocation-free like any loop.
 */
public final class BenchLoop implements ControlLoop
{
    public static final String NAME = "bench";

    private final IntersectionModel model = Junctions.model(0);
    private final LaneTraffic traffic = new LaneTraffic(model.laneCount());
    private final LaneObservationsDecoder request = new LaneObservationsDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SignalCommandEncoder reply = new SignalCommandEncoder();
    private final int maxReplyLength;
    private long invalidRequests;

    public BenchLoop()
    {
        int longestState = 0;
        for (int phase = 0; phase < model.phaseCount(); phase++)
        {
            longestState = Math.max(longestState, model.phaseState(phase).length);
        }
        maxReplyLength = MessageHeaderEncoder.ENCODED_LENGTH + SignalCommandEncoder.BLOCK_LENGTH
            + SignalCommandEncoder.signalStateHeaderLength() + longestState;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int[] templateIds()
    {
        return new int[]{ LaneObservationsDecoder.TEMPLATE_ID };
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        request.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        final long id = request.intersectionId();
        if (!traffic.update(request, input.timeNs()))
        {
            invalidRequests++; // still answered, from the last valid loads: every request gets its reply
        }
        final int phase = MaxPressureDecision.bestPhase(model, traffic);
        final byte[] state = model.phaseState(phase);
        final int offset = egress.claim(maxReplyLength);
        reply.wrapAndApplyHeader(egress.buffer(), offset, headerEncoder)
            .intersectionId(id)
            .mode(ControlMode.MAX_PRESSURE.signalMode())
            .phaseIndex(phaseIndex(model, phase))
            .durationMs(MaxPressureDecision.HOLD_MS)
            .reason(SignalReason.PRESSURE)
            .putSignalState(state, 0, state.length);
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + reply.encodedLength());
    }

    /** The program phase index a reply names for a candidate phase (as the signal loop's commands do). */
    public static int phaseIndex(final IntersectionModel model, final int phase)
    {
        return model.phaseProgramIndex(phase);
    }

    /** Requests whose lanes did not match the junction's (answered from the last valid loads). */
    public long invalidRequests()
    {
        return invalidRequests;
    }

    public IntersectionModel model()
    {
        return model;
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putLong(invalidRequests);
        traffic.snapshot(out);
    }

    @Override
    public void restore(final StateReader in)
    {
        invalidRequests = in.getLong();
        traffic.restore(in);
    }
}
