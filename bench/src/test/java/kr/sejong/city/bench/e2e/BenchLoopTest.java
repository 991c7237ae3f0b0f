package kr.sejong.city.bench.e2e;

import kr.sejong.city.bench.Junctions;
import kr.sejong.city.codecs.LaneObservationsEncoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.SignalCommandDecoder;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.runtime.OutputBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The benchmark's reply logic on its own: the node's {@link BenchLoop} and the conventional stack's
 * {@link JsonMessages#decide} answer the same loads with the same decision, the max-pressure phase of the
 * junction (phases: 0 "GgrrGgrr" north-south through with permissive lefts, program index 0; 1 "rGrrrGrr"
 * north-south lefts, 2; 2 "rrGgrrGg" east-west through, 4; 3 "rrrGrrrG" east-west lefts, 6).
 */
class BenchLoopTest
{
    private final BenchLoop loop = new BenchLoop();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
    private final OutputBuffer output = new OutputBuffer();
    private final Input input = new Input();
    private long sequence;

    private record Reply(long intersectionId, SignalMode mode, int phaseIndex, long durationMs, SignalReason reason, String state)
    {
    }

    private List<Reply> send(final long intersectionId, final int[] vehicles, final int[] halting)
    {
        final LaneObservationsEncoder encoder = new LaneObservationsEncoder().wrapAndApplyHeader(frame, 0, new MessageHeaderEncoder());
        encoder.intersectionId(intersectionId);
        final LaneObservationsEncoder.LanesEncoder lanes = encoder.lanesCount(vehicles.length);
        for (int l = 0; l < vehicles.length; l++)
        {
            lanes.next().laneIndex(l).vehicles(vehicles[l]).haltingVehicles(halting[l]).occupancyPermille(0).meanSpeedCmPerS(0);
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(frame, 0);
        input.wrap(sequence++, 1_000L, header.templateId(), header.version(), header.blockLength(), frame, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        output.reset();
        loop.onInput(input, output);
        final List<Reply> replies = new ArrayList<>();
        output.forEach((buffer, offset, length) ->
        {
            final MessageHeaderDecoder h = new MessageHeaderDecoder().wrap(buffer, offset);
            assertEquals(SignalCommandDecoder.TEMPLATE_ID, h.templateId());
            final SignalCommandDecoder d = new SignalCommandDecoder()
                .wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, h.blockLength(), h.version());
            replies.add(new Reply(d.intersectionId(), d.mode(), d.phaseIndex(), d.durationMs(), d.reason(), d.signalState()));
        });
        return replies;
    }

    private JsonMessages.Reply sendJson(final long intersectionId, final int[] vehicles, final int[] halting)
    {
        final List<JsonMessages.Lane> lanes = new ArrayList<>();
        for (int l = 0; l < vehicles.length; l++)
        {
            lanes.add(new JsonMessages.Lane(l, vehicles[l], halting[l], 0, 0));
        }
        return JsonMessages.decide(loop.model(), new JsonMessages.Request(intersectionId, lanes));
    }

    private void assertBothDecide(final int[] vehicles, final int[] halting, final int phaseIndex, final String state)
    {
        final List<Reply> replies = send(77, vehicles, halting);
        assertEquals(List.of(new Reply(77, SignalMode.ADAPTIVE, phaseIndex, 5000, SignalReason.PRESSURE, state)), replies);
        assertEquals(new JsonMessages.Reply(77, "ADAPTIVE", phaseIndex, 5000, "PRESSURE", state, null), sendJson(77, vehicles, halting));
    }

    @Test
    void servesThePhaseWithTheMostHaltingVehiclesOnItsGreenLanes()
    {
        // lanes: 0 N through, 1 N left, 2 E through, 3 E left, 4 S through, 5 S left, 6 W through, 7 W left
        assertBothDecide(new int[]{ 4, 0, 6, 0, 0, 0, 0, 0 }, new int[]{ 4, 0, 6, 0, 0, 0, 0, 0 }, 4, "rrGgrrGg");
        assertBothDecide(new int[]{ 9, 3, 0, 0, 9, 3, 8, 0 }, new int[]{ 1, 3, 0, 0, 1, 3, 7, 0 }, 0, "GgrrGgrr");
        assertBothDecide(new int[]{ 0, 0, 0, 5, 0, 0, 0, 5 }, new int[]{ 0, 0, 0, 5, 0, 0, 0, 5 }, 4, "rrGgrrGg"); // tie 2 / 3: the lower
    }

    @Test
    void aTieGoesToTheLowerPhaseAndHaltingIsCappedByVehicles()
    {
        assertBothDecide(new int[8], new int[8], 0, "GgrrGgrr");
        // lane 2 claims 9 halting of 2 vehicles: counts 2, less than the 3 halting on lane 0
        assertBothDecide(new int[]{ 3, 0, 2, 0, 0, 0, 0, 0 }, new int[]{ 3, 0, 9, 0, 0, 0, 0, 0 }, 0, "GgrrGgrr");
    }

    @Test
    void bothStacksAgreeOnEveryLoadPatternTheGeneratorSends()
    {
        final int[] expected = LoadGenerator.expectedPhaseIndexes();
        for (int p = 0; p < Junctions.PATTERNS; p++)
        {
            final int[] vehicles = new int[Junctions.LANES];
            final int[] halting = new int[Junctions.LANES];
            for (int l = 0; l < Junctions.LANES; l++)
            {
                vehicles[l] = Junctions.vehicles(p, l);
                halting[l] = Junctions.halting(p, l);
            }
            assertEquals(expected[p], send(p, vehicles, halting).get(0).phaseIndex(), "pattern " + p);
            assertEquals(expected[p], sendJson(p, vehicles, halting).phaseIndex(), "pattern " + p);
        }
    }

    @Test
    void everyRequestIsAnsweredEvenOneWithTheWrongLanes()
    {
        send(1, new int[]{ 0, 0, 5, 0, 0, 0, 0, 0 }, new int[]{ 0, 0, 5, 0, 0, 0, 0, 0 });
        final List<Reply> replies = send(2, new int[]{ 1, 1, 1 }, new int[]{ 1, 1, 1 });
        assertEquals(1, replies.size());
        assertEquals(2, replies.get(0).intersectionId());
        assertEquals(4, replies.get(0).phaseIndex(), "decided on the last valid loads");
        assertEquals(1, loop.invalidRequests());
        final JsonMessages.Reply json = sendJson(2, new int[]{ 1, 1, 1 }, new int[]{ 1, 1, 1 });
        assertNull(json.phaseIndex());
        assertEquals("expected 8 lanes", json.error());
    }
}
