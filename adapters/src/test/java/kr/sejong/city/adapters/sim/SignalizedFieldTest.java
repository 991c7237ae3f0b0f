package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.config.Intersection;
import kr.sejong.city.wire.FrameValidator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store-and-forward queues of the signalised intersections: arrivals, discharge on green, delay. */
class SignalizedFieldTest
{
    private static final long S = CityClock.SECOND_NS;
    private static final long HEADWAY_NS = SignalizedField.HEADWAY_MS * 1_000_000L;
    private static final long LOST_NS = SignalizedField.LOST_TIME_MS * 1_000_000L;
    private static final boolean[] GO = { true, true };
    private static final boolean[] STOP = { false, false };

    // ------------------------------------------------------------------------------------------ one lane

    @Test
    void aStandingQueueLeavesOnlyOnGreenOneVehicleAHeadwayAfterTheLostTime()
    {
        final LaneQueue lane = new LaneQueue(2, 0, HEADWAY_NS, LOST_NS);
        for (int i = 0; i < 10; i++)
        {
            lane.place(0, i % 2); // ten vehicles standing at the stop line from t = 0
        }
        for (long t = 0; t < 10; t++)
        {
            lane.advance(t * S, (t + 1) * S, STOP); // red
        }
        assertEquals(10, lane.queued());
        assertEquals(0, lane.departed(), "nothing leaves on red");

        // green from t = 10 s: departures at 10 + 2 (lost) + 2, + 4, + 6, ...
        final List<Long> departuresByStepEnd = new ArrayList<>();
        for (long t = 10; t < 30; t++)
        {
            lane.advance(t * S, (t + 1) * S, GO);
            departuresByStepEnd.add(lane.departed());
        }
        // by 14 s (exclusive) none, at 14 the first, then one every 2 s: by 30 s eight have gone (14, 16, ..., 28)
        assertEquals(0, departuresByStepEnd.get(3).longValue(), "step [13, 14)");
        assertEquals(1, departuresByStepEnd.get(4).longValue(), "step [14, 15)");
        assertEquals(8, lane.departed());
        assertEquals(2, lane.queued());
        // delay: each stood from 0 to its departure
        long expectedDelayNs = 0;
        for (int i = 0; i < 8; i++)
        {
            expectedDelayNs += (14 + 2L * i) * S;
        }
        assertEquals(expectedDelayNs, lane.completedDelayNs());
        assertEquals(2 * 30 * S, lane.waitingDelayNs(30 * S), "the two still standing, 30 s each");
    }

    @Test
    void yellowStopsTheQueueAndTheNextGreenStartsFromStandstillAgain()
    {
        final LaneQueue lane = new LaneQueue(1, 0, HEADWAY_NS, LOST_NS);
        for (int i = 0; i < 20; i++)
        {
            lane.place(0, 0);
        }
        lane.advance(0, 6 * S, new boolean[] { true }); // green [0, 6): the first at 4 s, the second due at 6 s
        assertEquals(1, lane.departed());
        lane.advance(6 * S, 9 * S, new boolean[] { false }); // yellow: nothing
        assertEquals(1, lane.departed());
        lane.advance(9 * S, 14 * S, new boolean[] { true }); // from standstill again: at 13 s, the next due at 15 s
        assertEquals(2, lane.departed());
        lane.advance(14 * S, 16 * S, new boolean[] { true });
        assertEquals(3, lane.departed());
    }

    @Test
    void arrivalsDriveTheLaneThenStandAndAMovementThatMustStopHoldsUpNoOther()
    {
        final LaneQueue lane = new LaneQueue(2, 30 * S, HEADWAY_NS, LOST_NS);
        lane.enter(0, 0);       // a left turner, at the stop line at 30 s
        lane.enter(S, 1);       // a through vehicle, at 31 s
        lane.advance(0, 10 * S, STOP);
        assertEquals(2, lane.approaching());
        assertEquals(0, lane.queued());
        assertEquals(2, lane.vehicles());
        lane.advance(10 * S, 30 * S, new boolean[] { false, true }); // the through may go, the left may not
        assertEquals(2, lane.approaching(), "still driving");
        lane.advance(30 * S, 40 * S, new boolean[] { false, true });
        assertEquals(0, lane.approaching());
        assertEquals(1, lane.departed(), "the through vehicle passed the waiting left turner");
        assertEquals(1, lane.queued(0));
        assertEquals(0, lane.completedDelayNs(), "it met a running green: no wait");
    }

    // ------------------------------------------------------------------------------------------ the field

    @Test
    void yieldingMovementsGoOnlyWhenNoConflictingGreenMovementHasVehiclesStanding()
    {
        final IntersectionLayout x = IntersectionLayout.of(IntersectionLayoutTest.junction(1, 0, 90, 180, 270),
            IntersectionLayoutTest.traffic());
        // north-south stage: N left (0) g, N through (1), N right (2), S left (6) g, S through (7), S right (8)
        final byte[] state = "gGGrrrgGGrrr".getBytes();
        final int[] standing = new int[12];
        assertTrue(SignalizedField.mayGo(1, state, x, standing));
        assertTrue(SignalizedField.mayGo(0, state, x, standing), "no opposing traffic standing: the left goes");
        standing[7] = 3;
        assertFalse(SignalizedField.mayGo(0, state, x, standing), "the opposing through is being served");
        assertTrue(SignalizedField.mayGo(6, state, x, standing), "the south left does not conflict with its own through");
        standing[7] = 0;
        standing[8] = 1;
        assertFalse(SignalizedField.mayGo(0, state, x, standing), "the opposing right merges into the same exit");
        standing[8] = 0;
        standing[4] = 5; // the east through stands at its red: not a flow being served
        assertTrue(SignalizedField.mayGo(0, state, x, standing));
        assertFalse(SignalizedField.mayGo(3, state, x, standing), "red");
        assertFalse(SignalizedField.mayGo(1, "ryGrrrrrrrrr".getBytes(), x, standing), "yellow");
    }

    @Test
    void arrivalsAreDrawnAtTheConfiguredRateAndEveryVehicleIsAccountedFor()
    {
        final SignalizedField field = new SignalizedField(Recording.CITY, 11);
        final long start = Recording.localNs(2025, 6, 16, 8, 0);
        final int steps = 1800;
        for (int i = 0; i < steps; i++)
        {
            field.step(start + i * S, start + (i + 1) * S, (b, o, l) -> { });
        }
        int generalLanes = 0;
        int busLanes = 0;
        for (final IntersectionLayout layout : field.layouts())
        {
            for (final IntersectionLayout.Lane lane : layout.lanes())
            {
                if (lane.busLane())
                {
                    busLanes++;
                }
                else
                {
                    generalLanes++;
                }
            }
        }
        assertEquals(76, generalLanes, "6 ring junctions x 6, 103 and 107 x 8, 201-204 x 6");
        assertEquals(12, busLanes);
        // 08:00-08:30: the traffic profile falls from 1.0 towards 0.875; plus the initial traffic on the lanes
        final double carsPerLaneHour = Recording.CITY.simulator().peakVehiclesPerHourPerLane();
        final double expectedCars = generalLanes * carsPerLaneHour * (1.0 + 0.875) / 2 * steps / 3600.0;
        final double expectedBuses = busLanes * 3600.0 / Recording.CITY.simulator().brtHeadwayS() * steps / 3600.0;
        final long entered = field.vehiclesEntered();
        // the initial traffic is a lane's travel time of arrivals: between 24 s and 57 s per lane
        final double initialMin = generalLanes * 24 * carsPerLaneHour / 3600;
        final double initialMax = generalLanes * 57 * carsPerLaneHour / 3600;
        assertTrue(entered > 0.97 * (expectedCars + expectedBuses + initialMin), "entered " + entered);
        assertTrue(entered < 1.03 * (expectedCars + expectedBuses + initialMax), "entered " + entered);
        // conservation: entered = departed + standing + approaching
        final long[] onLanes = new long[1];
        final Recording last = new Recording();
        field.step(start + steps * S, start + (steps + 1) * S, last);
        final LaneObservationsDecoder decoder = new LaneObservationsDecoder();
        for (final byte[] frame : last.frames)
        {
            decoder.wrapAndApplyHeader(new UnsafeBuffer(frame), 0, new MessageHeaderDecoder());
            for (final LaneObservationsDecoder.LanesDecoder lane : decoder.lanes())
            {
                onLanes[0] += lane.vehicles();
            }
        }
        assertEquals(field.vehiclesEntered(), field.vehiclesDeparted() + onLanes[0], "no vehicle lost or made up");
        assertEquals(field.queuedVehicles(), standing(last.frames));
    }

    @Test
    void theOwnProgramRunsUntilACommandAndACommandedRedStopsEverything()
    {
        final SignalizedField field = new SignalizedField(Recording.CITY, 3);
        final long start = Recording.localNs(2025, 6, 16, 8, 0);
        final IntersectionLayout north = field.layouts().get(0);
        assertEquals(101, north.intersectionId());
        field.step(start, start + S, (b, o, l) -> { });
        assertEquals(north.programStateAt(start), field.shown(101), "its own program, counted from the epoch");

        final String allRed = "r".repeat(north.movementCount());
        for (final IntersectionLayout layout : field.layouts())
        {
            assertTrue(field.show(layout.intersectionId(), "r".repeat(layout.movementCount())));
        }
        assertFalse(field.show(101, "rr"), "wrong length: ignored");
        assertFalse(field.show(999, allRed), "unknown intersection: ignored");
        assertEquals(2, field.commandsIgnored());
        final long departed = field.vehiclesDeparted();
        for (int i = 1; i <= 120; i++)
        {
            field.step(start + i * S, start + (i + 1) * S, (b, o, l) -> { });
        }
        assertEquals(allRed, field.shown(101), "the command holds");
        assertEquals(departed, field.vehiclesDeparted(), "nobody crosses a red");
        assertTrue(field.queuedVehicles() > 500, "two minutes of red for the whole city: " + field.queuedVehicles());
        final double delayAtRed = field.totalDelayS();

        // everything green (all G) for one step: queues start to leave after the lost time
        for (final IntersectionLayout layout : field.layouts())
        {
            field.show(layout.intersectionId(), "G".repeat(layout.movementCount()));
        }
        for (int i = 121; i <= 130; i++)
        {
            field.step(start + i * S, start + (i + 1) * S, (b, o, l) -> { });
        }
        assertTrue(field.vehiclesDeparted() > departed);
        assertTrue(field.totalDelayS() > delayAtRed, "delay keeps adding up while queues stand");
    }

    @Test
    void delayIsTheTimeVehiclesStandAtStopLines()
    {
        // a T-junction of single lanes whose stem never gets green: its vehicles' delay grows a second per second each
        final Intersection t = new Intersection(7, "T", Intersection.Kind.LOCAL, 0, 0, List.of(
            new Intersection.Approach(1, 90, 1, false),
            new Intersection.Approach(2, 180, 1, false),
            new Intersection.Approach(3, 270, 1, false)));
        final IntersectionLayout layout = IntersectionLayout.of(t, IntersectionLayoutTest.traffic());
        final LaneQueue lane = new LaneQueue(2, 0, HEADWAY_NS, LOST_NS);
        lane.place(0, 0);
        lane.place(0, 1);
        lane.place(5 * S, 1);
        for (long s = 0; s < 10; s++)
        {
            lane.advance(s * S, (s + 1) * S, STOP);
        }
        assertEquals(10 * S + 10 * S + 5 * S, lane.waitingDelayNs(10 * S));
        assertEquals(3, layout.lanes().size());
    }

    @Test
    void observationsAreValidFramesDescribingEveryLane()
    {
        final SignalizedField field = new SignalizedField(Recording.CITY, 5);
        final Recording topologies = new Recording();
        field.topologies(topologies);
        assertEquals(12, topologies.frames.size());
        final Recording steps = new Recording();
        final long start = Recording.localNs(2025, 6, 16, 8, 0);
        for (int i = 0; i < 60; i++)
        {
            field.step(start + i * S, start + (i + 1) * S, steps);
        }
        final FrameValidator validator = new FrameValidator(1 << 20);
        for (final byte[] frame : topologies.frames)
        {
            assertNull(validator.validate(new UnsafeBuffer(frame), 0, frame.length));
        }
        for (final byte[] frame : steps.frames)
        {
            assertNull(validator.validate(new UnsafeBuffer(frame), 0, frame.length));
        }
        assertEquals(60 * 12, steps.frames.size());
    }

    @Test
    void arithmetic()
    {
        assertEquals(56_544_000_000L, SignalizedField.travelNs(471.2, 30 / 3.6));
        assertEquals(50, SignalizedField.occupancyPermille(2, 5, 200));
        assertEquals(1000, SignalizedField.occupancyPermille(100, 5, 200));
        assertEquals(-1, SignalizedField.meanSpeedCmPerS(0, 0, 8.0));
        assertEquals(600, SignalizedField.meanSpeedCmPerS(3, 1, 8.0));
        assertEquals(0, SignalizedField.meanSpeedCmPerS(0, 4, 8.0));
        assertEquals(2.0, SignalizedField.turnWeight(IntersectionLayout.STRAIGHT));
        assertEquals(1.0, SignalizedField.turnWeight(IntersectionLayout.LEFT));
        // the movement split follows the weights
        final SplittableRandom random = new SplittableRandom(1);
        final int[] counts = new int[2];
        for (int i = 0; i < 30_000; i++)
        {
            counts[RandomDraws.weightedIndex(random, new double[] { 1.0, 2.0 })]++;
        }
        assertEquals(2.0, (double)counts[1] / counts[0], 0.1);
    }

    private static long standing(final List<byte[]> frames)
    {
        long standing = 0;
        final LaneObservationsDecoder decoder = new LaneObservationsDecoder();
        for (final byte[] frame : frames)
        {
            decoder.wrapAndApplyHeader(new UnsafeBuffer(frame), 0, new MessageHeaderDecoder());
            for (final LaneObservationsDecoder.LanesDecoder lane : decoder.lanes())
            {
                standing += lane.haltingVehicles();
            }
        }
        return standing;
    }
}
