package kr.sejong.city.bench.e2e;

import com.fasterxml.jackson.annotation.JsonInclude;
import kr.sejong.city.bench.Junctions;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.core.loops.signal.ControlMode;
import kr.sejong.city.core.loops.signal.IntersectionModel;
import kr.sejong.city.core.loops.signal.LaneTraffic;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The conventional stack's messages: the same request and reply as the node's LaneObservations and
 * SignalCommand, as JSON lines (one object per line, UTF-8), and the handler that answers a request with
 * the same {@link MaxPressureDecision} as the node's {@link BenchLoop}.
 * <pre>
 * {"intersectionId":17,"lanes":[{"laneIndex":0,"vehicles":3,"haltingVehicles":1,"occupancyPermille":150,"meanSpeedCmPerS":1000},...]}
 * {"intersectionId":17,"mode":"ADAPTIVE","phaseIndex":2,"durationMs":5000,"reason":"PRESSURE","signalState":"rGrrrGrr"}
 * </pre>
 */
public final class JsonMessages
{
    private JsonMessages()
    {
    }

    /** One lane of a request (LaneObservations' lanes group). */
    public record Lane(int laneIndex, int vehicles, int haltingVehicles, int occupancyPermille, Integer meanSpeedCmPerS)
    {
    }

    /** A request: the loads of every lane; {@code intersectionId} carries the generator's sequence number. */
    public record Request(long intersectionId, List<Lane> lanes)
    {
    }

    /** The reply (SignalCommand's fields); {@code error} instead of a decision when the request is unusable. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reply(long intersectionId, String mode, Integer phaseIndex, Integer durationMs, String reason, String signalState,
        String error)
    {
    }

    /**
     * Answer a request as {@link BenchLoop} does: its lanes into a {@link LaneTraffic}, the
     * {@link MaxPressureDecision}, the phase's program index and state. A request that does not give every
     * lane exactly once gets an error reply.
     */
    public static Reply decide(final IntersectionModel model, final Request request)
    {
        final LaneTraffic traffic = new LaneTraffic(model.laneCount());
        final boolean[] seen = new boolean[model.laneCount()];
        final List<Lane> lanes = request.lanes();
        if (lanes == null || lanes.size() != model.laneCount())
        {
            return error(request, "expected " + model.laneCount() + " lanes");
        }
        for (final Lane lane : lanes)
        {
            final int index = lane.laneIndex();
            if (index < 0 || index >= seen.length || seen[index])
            {
                return error(request, "lane " + index + " out of range or given twice");
            }
            seen[index] = true;
            traffic.set(index, lane.vehicles(), lane.haltingVehicles(), 0);
        }
        final int phase = MaxPressureDecision.bestPhase(model, traffic);
        return new Reply(request.intersectionId(), ControlMode.MAX_PRESSURE.signalMode().name(), BenchLoop.phaseIndex(model, phase),
            MaxPressureDecision.HOLD_MS, SignalReason.PRESSURE.name(), new String(model.phaseState(phase), StandardCharsets.US_ASCII),
            null);
    }

    private static Reply error(final Request request, final String error)
    {
        return new Reply(request.intersectionId(), null, null, null, null, null, error);
    }

    /** The request line (newline included) for load {@code pattern} of the benchmark junction, written into {@code out}. */
    public static void appendRequest(final StringBuilder out, final long intersectionId, final int pattern)
    {
        out.append("{\"intersectionId\":").append(intersectionId).append(",\"lanes\":[");
        for (int l = 0; l < Junctions.LANES; l++)
        {
            if (l > 0)
            {
                out.append(',');
            }
            out.append("{\"laneIndex\":").append(l)
                .append(",\"vehicles\":").append(Junctions.vehicles(pattern, l))
                .append(",\"haltingVehicles\":").append(Junctions.halting(pattern, l))
                .append(",\"occupancyPermille\":").append(Junctions.occupancyPermille(pattern, l))
                .append(",\"meanSpeedCmPerS\":");
            if (Junctions.vehicles(pattern, l) == 0)
            {
                out.append("null");
            }
            else
            {
                out.append(Junctions.meanSpeedCmPerS(pattern, l));
            }
            out.append('}');
        }
        out.append("]}\n");
    }
}
