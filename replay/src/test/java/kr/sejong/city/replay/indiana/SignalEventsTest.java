package kr.sejong.city.replay.indiana;

import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.VehicleRole;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The phase arithmetic on its own: signal states in, Indiana events out. */
class SignalEventsTest
{
    private static List<String> on(final SignalEvents signal, final int phaseIndex, final SignalReason reason, final String state)
    {
        return signal.onCommand(phaseIndex, reason, state).stream().map(e -> e.code().code() + "/" + e.param()).toList();
    }

    @Test
    void greenYellowRedGreenThroughTwoPhases()
    {
        final SignalEvents signal = new SignalEvents();
        assertEquals(List.of("1/1"), on(signal, 0, SignalReason.FIXED_PLAN, "GGrr"));
        assertEquals(List.of(), on(signal, 0, SignalReason.EXTEND_DEMAND, "GGrr"), "still green");
        assertEquals(List.of("8/1"), on(signal, 1, SignalReason.YELLOW_CLEARANCE, "yyrr"));
        assertEquals(List.of("9/1", "10/1"), on(signal, 2, SignalReason.ALL_RED_CLEARANCE, "rrrr"));
        assertEquals(List.of("11/1", "1/4"), on(signal, 3, SignalReason.GAP_OUT, "rrGG"));
        assertEquals(List.of("8/4"), on(signal, 4, SignalReason.YELLOW_CLEARANCE, "rryy"));
        assertEquals(List.of("9/4", "10/4"), on(signal, 5, SignalReason.ALL_RED_CLEARANCE, "rrrr"));
        assertEquals(List.of("11/4", "1/1"), on(signal, 0, SignalReason.MAX_OUT, "GgrR"));
    }

    @Test
    void aYellowThatClearsStraightIntoTheNextGreenHasNoRedClearance()
    {
        final SignalEvents signal = new SignalEvents();
        on(signal, 0, SignalReason.FIXED_PLAN, "GGrr");
        assertEquals(List.of("8/1"), on(signal, 1, SignalReason.YELLOW_CLEARANCE, "yyrr"));
        assertEquals(List.of("9/1", "1/3"), on(signal, 2, SignalReason.FIXED_PLAN, "rrGG"));
    }

    @Test
    void aPartialYellowWaitsForTheWholePhaseToClear()
    {
        final SignalEvents signal = new SignalEvents();
        on(signal, 0, SignalReason.FIXED_PLAN, "GGrr");
        assertEquals(List.of("8/1"), on(signal, 1, SignalReason.YELLOW_CLEARANCE, "Gyrr"));
        assertEquals(List.of(), on(signal, 1, SignalReason.YELLOW_CLEARANCE, "yrrr"), "one movement still yellow");
        assertEquals(List.of("9/1", "10/1"), on(signal, 2, SignalReason.ALL_RED_CLEARANCE, "rrrr"));
    }

    @Test
    void aMovementSharedWithTheNextPhaseStaysGreenThroughTheClearance()
    {
        final SignalEvents signal = new SignalEvents();
        assertEquals(List.of("1/1"), on(signal, 0, SignalReason.MIN_GREEN, "GGr"));
        assertEquals(List.of("8/1"), on(signal, 1, SignalReason.YELLOW_CLEARANCE, "yGr"));
        assertEquals(List.of("9/1", "10/1"), on(signal, 1, SignalReason.ALL_RED_CLEARANCE, "rGr"));
        assertEquals(List.of(), on(signal, 1, SignalReason.ALL_RED_CLEARANCE, "rGr"), "the loop repeats its command every tick");
        assertEquals(List.of("11/1", "1/2"), on(signal, 1, SignalReason.PRESSURE, "rGG"));
    }

    @Test
    void preemptionAndTransitReasonsComeFirstAndOnlyWhenTheyChange()
    {
        final SignalEvents signal = new SignalEvents();
        on(signal, 0, SignalReason.FIXED_PLAN, "GGrr");
        signal.onPreemptCall(SignalEvents.preemptNumber(VehicleRole.FIRE));
        assertEquals(List.of("105/2", "8/1"), on(signal, 1, SignalReason.PREEMPTION_ENTRY, "yyrr"));
        assertEquals(List.of("106/2", "9/1", "10/1"), on(signal, 2, SignalReason.PREEMPTION_TRACK_CLEARANCE, "rrrr"));
        assertEquals(List.of("107/2", "11/1", "1/4"), on(signal, 3, SignalReason.PREEMPTION_DWELL, "rrGG"));
        assertEquals(List.of(), on(signal, 3, SignalReason.PREEMPTION_DWELL, "rrGG"), "dwell goes on: no new event");
        assertEquals(List.of("111/2"), on(signal, 3, SignalReason.PREEMPTION_EXIT, "rrGG"));
        assertEquals(List.of("114/1"), on(signal, 3, SignalReason.TRANSIT_EXTENSION, "rrGG"));
        assertEquals(List.of("113/1", "8/4"), on(signal, 4, SignalReason.TRANSIT_EARLY_GREEN, "rryy"));
    }

    @Test
    void preemptNumbersNameTheRole()
    {
        assertEquals(1, SignalEvents.preemptNumber(VehicleRole.AMBULANCE));
        assertEquals(2, SignalEvents.preemptNumber(VehicleRole.FIRE));
        assertEquals(3, SignalEvents.preemptNumber(VehicleRole.POLICE));
        assertEquals(0, SignalEvents.preemptNumber(VehicleRole.BRT_BUS));
    }
}
