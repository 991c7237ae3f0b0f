package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.MovementTurn;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The arrival tracker fed observations directly, its clock in the test's hands: where it places vehicles
 * that enter, move, halt, leave and change lanes.
 */
class ArrivalTrackerTest
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = SignalFrames.EPOCH_NS;

    /**
     * Approach 0 with a through lane (0) and a left lane (1), approach 1 with one lane (2) crossing it; every lane
     * 200 m long with a 10 m/s limit: 20 s from the upstream end to the stop line.
     */
    private static IntersectionModel model()
    {
        final boolean[][] conflicts = new boolean[3][3];
        conflicts[0][2] = conflicts[2][0] = conflicts[1][2] = conflicts[2][1] = true;
        return IntersectionModel.of(1, "tracked", new int[]{ 0, 0, 1 }, SignalFrames.filled(3, 200_000),
            SignalFrames.filled(3, 1000), new int[]{ 0, 1, 2 }, new int[]{ 3, 4, 5 },
            new MovementTurn[]{ MovementTurn.STRAIGHT, MovementTurn.LEFT, MovementTurn.STRAIGHT },
            conflicts, new String[]{ "GGr", "yyr", "rrG", "rry" }, new int[]{ 20_000, 3_000, 20_000, 3_000 });
    }

    private final IntersectionModel model = model();
    private final ArrivalTracker tracker = new ArrivalTracker(model);
    private final LaneTraffic traffic = new LaneTraffic(3);
    /** Shows approach 0 green. */
    private final ConflictMonitor green = showing("GGr");
    /** Shows approach 0 red. */
    private final ConflictMonitor red = showing("rrG");

    private ConflictMonitor showing(final String state)
    {
        final ConflictMonitor monitor = new ConflictMonitor(model, SignalTiming.defaults());
        final byte[] letters = state.getBytes(StandardCharsets.US_ASCII);
        monitor.check(T0, letters, null, new byte[letters.length]);
        return monitor;
    }

    /** Observe lanes 0 and 1 (vehicles, halting, mean speed or -1) at T0 + seconds, as shown by {@code monitor}. */
    private void observe(final double seconds, final ConflictMonitor monitor, final int[] lane0, final int[] lane1)
    {
        final long now = T0 + (long)(seconds * S);
        traffic.set(0, lane0[0], lane0[1], lane0.length > 2 ? lane0[2] : -1, now);
        traffic.set(1, lane1[0], lane1[1], lane1.length > 2 ? lane1[2] : -1, now);
        traffic.set(2, 0, 0, now);
        tracker.update(traffic, monitor, now);
    }

    private double etaS(final int lane, final int k, final double seconds)
    {
        return tracker.etaNs(lane, k, T0 + (long)(seconds * S)) / 1e9;
    }

    @Test
    void aVehicleIsDueOneFreeFlowTimeAfterItEntersAndAdvancesAtTheObservedSpeed()
    {
        observe(0, red, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        assertEquals(20.0, etaS(0, 0, 0), 1e-9, "just entered: 200 m at 10 m/s");
        observe(5, red, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        assertEquals(15.0, etaS(0, 0, 5), 1e-9, "no speed observed: the speed limit");
        observe(10, red, new int[]{ 1, 0, 500 }, new int[]{ 0, 0 });
        assertEquals(12.5, etaS(0, 0, 10), 1e-9, "5 s at the observed 5 m/s: 125 m to go");
        observe(30, red, new int[]{ 1, 0, 5000 }, new int[]{ 0, 0 });
        assertEquals(0.0, etaS(0, 0, 30), 1e-9, "a speed over 120 % of the limit is taken as 120 %; past due is 0");
    }

    @Test
    void haltingVehiclesAreAQueueAtTheStopLineAndDoNotAdvance()
    {
        observe(0, red, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        observe(18, red, new int[]{ 2, 1 }, new int[]{ 0, 0 });
        assertEquals(2, tracker.size(0));
        assertEquals(1, tracker.queued(0));
        assertEquals(0.0, etaS(0, 0, 18), 1e-9, "the queue is at the stop line");
        assertEquals(20.0, etaS(0, 1, 18), 1e-9, "the newcomer has the whole lane to go");
        observe(22, red, new int[]{ 2, 1 }, new int[]{ 0, 0 });
        assertEquals(16.0, etaS(0, 1, 22), 1e-9);
        assertEquals(LaneTraffic.NEVER_NS, tracker.queueMovedNs(0), "the queue has not moved yet");
        observe(23, green, new int[]{ 2, 0 }, new int[]{ 0, 0 });
        assertEquals(T0 + 23 * S, tracker.queueMovedNs(0), "the queue moved off");
    }

    @Test
    void aVehicleLeavingAGreenApproachIsTheFrontOneAndOneLeavingARedApproachTheLatest()
    {
        observe(0, green, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        observe(10, green, new int[]{ 2, 0 }, new int[]{ 0, 0 });
        observe(11, green, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        assertEquals(19.0, etaS(0, 0, 11), 1e-9, "the front one crossed the stop line; the newcomer is 10 m in");

        final ArrivalTracker other = new ArrivalTracker(model);
        final long now0 = T0;
        traffic.set(0, 1, 0, now0);
        traffic.set(1, 0, 0, now0);
        other.update(traffic, red, now0);
        traffic.set(0, 2, 0, now0 + 10 * S);
        other.update(traffic, red, now0 + 10 * S);
        traffic.set(0, 1, 0, now0 + 11 * S);
        other.update(traffic, red, now0 + 11 * S);
        assertEquals(9.0, other.etaNs(0, 0, now0 + 11 * S) / 1e9, 1e-9, "nobody crosses a red stop line: the latest in left");
    }

    @Test
    void aVehicleChangingLanesWithinItsApproachKeepsItsPlace()
    {
        observe(0, red, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        observe(8, red, new int[]{ 0, 0 }, new int[]{ 1, 0 });
        assertEquals(0, tracker.size(0));
        assertEquals(1, tracker.size(1));
        assertEquals(12.0, etaS(1, 0, 8), 1e-9);
        assertEquals(1, tracker.approachSize(0));
    }

    @Test
    void movingVehiclesAreDealtToTheLanesNearestFirstInProportion()
    {
        observe(0, red, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        observe(4, red, new int[]{ 2, 0 }, new int[]{ 0, 0 });
        observe(8, red, new int[]{ 2, 0 }, new int[]{ 1, 0 });
        // on the approach: 80 m, 40 m and 0 m travelled; lane 0 holds two of the three moving vehicles
        assertEquals(2, tracker.size(0));
        assertEquals(1, tracker.size(1));
        assertEquals(12.0, etaS(0, 0, 8), 1e-9);
        assertEquals(16.0, etaS(1, 0, 8), 1e-9);
        assertEquals(20.0, etaS(0, 1, 8), 1e-9);
        // what the adaptive controller counts: the queue plus the vehicles due within a window
        assertEquals(0, AdaptiveController.arrivingWithin(tracker, 0, 11_000, T0 + 8 * S));
        assertEquals(1, AdaptiveController.arrivingWithin(tracker, 0, 12_000, T0 + 8 * S));
        assertEquals(2, AdaptiveController.arrivingWithin(tracker, 0, 20_000, T0 + 8 * S));
        observe(9, red, new int[]{ 2, 1 }, new int[]{ 1, 0 });
        assertEquals(1, AdaptiveController.arrivingWithin(tracker, 0, 0, T0 + 9 * S), "the queue counts at once");
    }

    @Test
    void anOverdueVehicleOnAGreenApproachIsTakenAsANewOne()
    {
        observe(0, green, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        observe(22, green, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        assertEquals(0.0, etaS(0, 0, 22), 1e-9, "220 m travelled, within the margin: due");
        observe(24, green, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        assertEquals(20.0, etaS(0, 0, 24), 1e-9, "240 m: it crossed while another came in");

        final ArrivalTracker other = new ArrivalTracker(model);
        traffic.set(0, 1, 0, T0);
        other.update(traffic, red, T0);
        traffic.set(0, 1, 0, T0 + 24 * S);
        other.update(traffic, red, T0 + 24 * S);
        assertEquals(0.0, other.etaNs(0, 0, T0 + 24 * S) / 1e9, 1e-9, "at a red stop line it is still there");
    }

    @Test
    void anObservationIsTakenOnce()
    {
        observe(0, red, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        tracker.update(traffic, red, T0 + 5 * S); // the same observation, later: no new information
        observe(10, red, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        assertEquals(10.0, etaS(0, 0, 10), 1e-9);
    }

    @Test
    void aSnapshotRestoresTheSameState()
    {
        observe(0, green, new int[]{ 1, 0 }, new int[]{ 0, 0 });
        observe(6, green, new int[]{ 3, 1 }, new int[]{ 1, 0, 800 });
        final StateWriter out = new StateWriter();
        tracker.snapshot(out);
        final ArrivalTracker restored = new ArrivalTracker(model);
        restored.restore(new StateReader().wrap(out.buffer(), 0, out.length()));
        final StateWriter again = new StateWriter();
        restored.snapshot(again);
        assertArrayEquals(java.util.Arrays.copyOf(out.buffer().byteArray(), out.length()),
            java.util.Arrays.copyOf(again.buffer().byteArray(), again.length()));
        for (int l = 0; l < 3; l++)
        {
            assertEquals(tracker.size(l), restored.size(l));
            for (int k = 0; k < tracker.size(l); k++)
            {
                assertEquals(tracker.etaNs(l, k, T0 + 7 * S), restored.etaNs(l, k, T0 + 7 * S));
            }
        }
    }
}
