package kr.sejong.city.adapters.twin;

import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.PriorityReason;
import kr.sejong.city.codecs.PriorityRequestDecoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.PriorityStatusCode;
import kr.sejong.city.codecs.PriorityStatusEncoder;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.Egress;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;

/**
 * A stand-in for the node's preemption, for the twin's tests (so they do not depend on the signal loop's
 * own): with {@code answer}, every PriorityRequest is answered at once with one PriorityStatus of the same
 * requestId, vehicleId and intersectionId: GRANTED for a REQUEST or UPDATE, CANCELLED for a CANCEL. That is
 * before the tick's SignalCommands, since the twin sends its requests before the Tick. Without
 * {@code answer} it takes the requests and says nothing, which the twin must count as missing statuses.
 * It reads each request through (route group included), so a malformed one fails the node's loop.
 */
final class PriorityAnsweringLoop implements ControlLoop
{
    private final boolean answer;
    private final PriorityRequestDecoder request = new PriorityRequestDecoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PriorityStatusEncoder status = new PriorityStatusEncoder();

    PriorityAnsweringLoop(final boolean answer)
    {
        this.answer = answer;
    }

    @Override
    public String name()
    {
        return "priority-answering";
    }

    @Override
    public int[] templateIds()
    {
        return new int[]{PriorityRequestDecoder.TEMPLATE_ID};
    }

    @Override
    public void onInput(final Input input, final Egress egress)
    {
        request.wrap(input.buffer(), input.bodyOffset(), input.blockLength(), input.version());
        final long requestId = request.requestId();
        final long vehicleId = request.vehicleId();
        final long intersectionId = request.intersectionId();
        final PriorityRequestType type = request.requestType();
        request.route().forEach(point -> point.etaMs());
        if (!answer)
        {
            return;
        }
        final int offset = egress.claim(64);
        status.wrapAndApplyHeader(egress.buffer(), offset, header)
            .requestId(requestId)
            .vehicleId(vehicleId)
            .intersectionId(intersectionId)
            .status(type == PriorityRequestType.CANCEL ? PriorityStatusCode.CANCELLED : PriorityStatusCode.GRANTED)
            .reason(PriorityReason.NONE)
            .queuePosition(0);
        egress.commit(MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength());
    }

    @Override
    public void snapshot(final StateWriter out)
    {
        out.putInt(answer ? 1 : 0); // no state: every answer depends on its request alone
    }

    @Override
    public void restore(final StateReader in)
    {
        in.getInt();
    }
}
