package kr.sejong.city.adapters.twin;

import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MovementTurn;
import kr.sejong.city.codecs.PriorityRequestDecoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.wire.FrameValidator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The twin's frames decode to what the network says, and pass the node's validation. */
class TwinFramesTest
{
    private final TwinFrames frames = new TwinFrames();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    private UnsafeBuffer copy(final int length)
    {
        final byte[] bytes = new byte[length];
        frames.buffer().getBytes(0, bytes);
        assertNull(new FrameValidator(1 << 20).validate(new UnsafeBuffer(bytes), 0, length), "the node would accept it");
        return new UnsafeBuffer(bytes);
    }

    @Test
    void topologyOfTheSingleIntersection()
    {
        final TrafficLight light = NetworkModel.load(TwinTesting.scenarioConfig("single-intersection")).trafficLight("t");
        final UnsafeBuffer frame = copy(frames.topology(1, light));
        final IntersectionTopologyDecoder decoder = new IntersectionTopologyDecoder().wrapAndApplyHeader(frame, 0, header);
        assertEquals(1, decoder.intersectionId());
        final List<String> lanes = new ArrayList<>();
        for (final IntersectionTopologyDecoder.LanesDecoder lane : decoder.lanes())
        {
            lanes.add(lane.approachIndex() + "/" + lane.lengthMm() + "/" + lane.speedLimitCmPerS());
        }
        assertEquals(List.of("0/148550/1390", "0/148550/1390", "1/141950/1390", "1/141950/1390"), lanes);
        final List<String> movements = new ArrayList<>();
        for (final IntersectionTopologyDecoder.MovementsDecoder movement : decoder.movements())
        {
            assertEquals(MovementTurn.STRAIGHT, movement.turn());
            movements.add(movement.fromLaneIndex() + ">" + movement.toApproachIndex());
        }
        assertEquals(List.of("0>2", "1>2", "2>3", "3>3"), movements);
        final List<Long> durations = new ArrayList<>();
        for (final IntersectionTopologyDecoder.PhasesDecoder phase : decoder.phases())
        {
            durations.add(phase.durationMs());
            assertEquals(phase.durationMs(), phase.minDurationMs());
            assertEquals(phase.durationMs(), phase.maxDurationMs());
        }
        assertEquals(List.of(42_000L, 2_000L, 42_000L, 2_000L), durations);
        assertEquals("t", decoder.name());
        assertEquals("GGrr;yyrr;rrGG;rryy", decoder.programStates());
        final byte[] conflicts = new byte[decoder.conflictsLength()];
        decoder.getConflicts(conflicts, 0, conflicts.length);
        assertArrayEquals(light.conflictBits(), conflicts);
    }

    @Test
    void observationsWithANullMeanSpeedForAnEmptyLane()
    {
        final UnsafeBuffer frame = copy(frames.laneObservations(3, 2, new int[]{0, 7}, new int[]{0, 5}, new int[]{0, 2000},
            new int[]{-1, 120}));
        final LaneObservationsDecoder decoder = new LaneObservationsDecoder().wrapAndApplyHeader(frame, 0, header);
        assertEquals(3, decoder.intersectionId());
        final LaneObservationsDecoder.LanesDecoder lanes = decoder.lanes();
        lanes.next();
        assertEquals(0, lanes.laneIndex());
        assertEquals(LaneObservationsDecoder.LanesDecoder.meanSpeedCmPerSNullValue(), lanes.meanSpeedCmPerS());
        lanes.next();
        assertEquals(1, lanes.laneIndex());
        assertEquals(7, lanes.vehicles());
        assertEquals(5, lanes.haltingVehicles());
        assertEquals(2000, lanes.occupancyPermille(), "clamped only to the field's range; SUMO's fraction never exceeds 1");
        assertEquals(120, lanes.meanSpeedCmPerS());
    }

    @Test
    void priorityRequestWithItsRouteAndANullLane()
    {
        final OnBoardUnits.Request request = new OnBoardUnits.Request(17, 1_000_000, VehicleRole.FIRE, PriorityRequestType.UPDATE, 9, 2,
            OnBoardUnits.NO_LANE, 12_345, List.of(new OnBoardUnits.RoutePoint(7, 0, 40_000), new OnBoardUnits.RoutePoint(8, 1, 71_500)));
        final UnsafeBuffer frame = copy(frames.priorityRequest(request));
        final PriorityRequestDecoder decoder = new PriorityRequestDecoder().wrapAndApplyHeader(frame, 0, header);
        assertEquals(17, decoder.requestId());
        assertEquals(1_000_000, decoder.vehicleId());
        assertEquals(VehicleRole.FIRE, decoder.role());
        assertEquals(PriorityRequestType.UPDATE, decoder.requestType());
        assertEquals(9, decoder.intersectionId());
        assertEquals(2, decoder.approachId());
        assertEquals(PriorityRequestDecoder.laneIndexNullValue(), decoder.laneIndex());
        assertEquals(12_345, decoder.etaMs());
        final List<String> route = new ArrayList<>();
        for (final PriorityRequestDecoder.RouteDecoder point : decoder.route())
        {
            route.add(point.intersectionId() + "/" + point.approachId() + "/" + point.etaMs());
        }
        assertEquals(List.of("7/0/40000", "8/1/71500"), route);

        final UnsafeBuffer cancel = copy(frames.priorityRequest(new OnBoardUnits.Request(18, 7003, VehicleRole.BRT_BUS,
            PriorityRequestType.CANCEL, 4, 1, 0, 0, List.of())));
        decoder.wrapAndApplyHeader(cancel, 0, header);
        assertEquals(PriorityRequestType.CANCEL, decoder.requestType());
        assertEquals(0, decoder.laneIndex(), "lane 0 is a lane, not null");
        assertEquals(0, decoder.route().count());
    }
}
