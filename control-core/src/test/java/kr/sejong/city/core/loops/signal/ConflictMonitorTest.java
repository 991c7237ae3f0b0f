package kr.sejong.city.core.loops.signal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monitor's rules one by one, on the plain four-leg intersection (north-south against east-west). */
class ConflictMonitorTest
{
    private final IntersectionModel model = SignalFrames.fourLeg(1).model();
    private final ConflictMonitor monitor = new ConflictMonitor(model, SignalTiming.defaults());
    private final byte[] out = new byte[4];
    private long nowMs;

    private String check(final long atMs, final String proposed)
    {
        nowMs = atMs;
        monitor.check(atMs * 1_000_000L, proposed.getBytes(StandardCharsets.US_ASCII), null, out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    @Test
    void conflictingGreensAreNeverShown()
    {
        // north and east conflict, east and south too: of new greens that conflict, only one clear of all
        // the others may show, here south
        assertEquals("rrGr", check(0, "GGGr"));
        assertEquals(1, monitor.refusals());
    }

    @Test
    void aGreenEndsOnlyThroughYellowAndAfterMinGreen()
    {
        check(0, "GrGr");
        assertEquals("GrGr", check(4000, "rrrr"), "min green not over: stays green");
        assertEquals("yryr", check(5000, "rrrr"), "over: yellow, not red");
        assertEquals("yryr", check(7000, "rrrr"), "yellow held 3 s");
        assertEquals("yryr", check(7999, "GrGr"), "and never back to green");
        assertEquals("rrrr", check(8000, "GrGr"), "after yellow: red, not green");
        assertEquals(5, monitor.refusals());
    }

    @Test
    void aConflictingGreenWaitsForTheAllRed()
    {
        check(0, "GrGr");
        check(5000, "yryr");
        check(8000, "rrrr");
        assertEquals("rrrr", check(9999, "rGrG"));
        assertEquals("rGrG", check(10_000, "rGrG"), "2 s of all-red after the yellow");
        assertEquals(1, monitor.refusals());
    }

    @Test
    void maxGreenEndsAGreenOnlyWhileAConflictingMovementWaits()
    {
        check(0, "GrGr");
        final boolean[] noOneWaits = new boolean[4];
        assertTrue(monitor.check(70_000_000_000L, "GrGr".getBytes(StandardCharsets.US_ASCII), noOneWaits, out));
        final boolean[] eastWaits = { false, true, false, false };
        assertFalse(monitor.check(70_001_000_000L, "GrGr".getBytes(StandardCharsets.US_ASCII), eastWaits, out));
        assertEquals("yryr", new String(out, StandardCharsets.US_ASCII));
        assertEquals(nowMs, 0);
    }

    @Test
    void aPermissiveLeftTurnsWithItsOpposingThroughButIsRaisedToProtectedOnlyAfterClearance()
    {
        final IntersectionModel lefts = SignalFrames.protectedLefts(1).model();
        final ConflictMonitor m = new ConflictMonitor(lefts, SignalTiming.defaults());
        final byte[] shown = new byte[8];
        assertTrue(m.check(0, bytes("GgrrGgrr"), null, shown));
        assertFalse(m.check(6_000_000_000L, bytes("rGrrrGrr"), null, shown), "straight to protected lefts");
        assertEquals("ygrrygrr", new String(shown, StandardCharsets.US_ASCII), "through to yellow, lefts keep their g");
        assertTrue(m.check(9_000_000_000L, bytes("rgrrrgrr"), null, shown));
        assertFalse(m.check(10_000_000_000L, bytes("rGrrrGrr"), null, shown));
        assertEquals("rgrrrgrr", new String(shown, StandardCharsets.US_ASCII), "raised only after 2 s of all-red");
        assertTrue(m.check(11_000_000_000L, bytes("rGrrrGrr"), null, shown));
    }

    @Test
    void aMonitorTakingOverAnUnknownFieldStartsWithAFullClearance()
    {
        final ConflictMonitor other = new ConflictMonitor(SignalFrames.protectedLefts(1).model(), SignalTiming.defaults());
        monitor.takeOver(other, 0);
        assertEquals("yyyy", check(0, "GrGr"));
        assertEquals("rrrr", check(3000, "GrGr"));
        assertEquals("GrGr", check(5000, "GrGr"));
    }

    private static byte[] bytes(final String state)
    {
        return state.getBytes(StandardCharsets.US_ASCII);
    }
}
