package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.MovementTurn;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntersectionModelTest
{
    @Test
    void candidatePhasesAreTheProgramsDistinctGreens()
    {
        final IntersectionModel model = SignalFrames.protectedLefts(1).model();
        assertEquals(8, model.programPhaseCount());
        assertEquals(4, model.phaseCount());
        assertEquals("GgrrGgrr", new String(model.phaseState(0), StandardCharsets.US_ASCII));
        assertEquals(2, model.phaseProgramIndex(1));
        assertEquals(-1, model.programPhaseCandidate(1), "a yellow phase of the program is no candidate");
        assertTrue(model.phaseServesLane(0, 1), "the permissive left lane is served");
        assertFalse(model.phaseProtectsLane(0, 1));
        assertTrue(model.phaseProtectsLane(1, 1));
        assertEquals(1, model.phaseOf("rGrrrGrr".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aPermissiveLeftMayShowWithTheOpposingThroughOnlyWhileItYields()
    {
        final IntersectionModel model = SignalFrames.protectedLefts(1).model();
        assertTrue(model.conflicts(1, 4), "north left crosses south through");
        assertTrue(model.permissivePair(1, 4));
        assertTrue(model.compatible(1, (byte)'g', 4, (byte)'G'));
        assertFalse(model.compatible(1, (byte)'G', 4, (byte)'G'));
        assertFalse(model.permissivePair(0, 2), "crossing throughs are never permissive");
        assertFalse(model.compatible(0, (byte)'g', 2, (byte)'g'));
    }

    @Test
    void conflictBitsRoundTripLeastSignificantBitFirst()
    {
        final boolean[][] matrix = SignalFrames.fourLeg(1).conflicts();
        final byte[] bits = IntersectionModel.conflictBits(matrix);
        assertEquals(2, bits.length);
        assertEquals(0b0101_1010, bits[0] & 0xFF, "row 0 = .1.1, row 1 = 1.1. from bit 0 up");
        final boolean[][] back = IntersectionModel.conflictMatrix(bits, 4);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                assertEquals(matrix[i][j], back[i][j]);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> IntersectionModel.conflictMatrix(new byte[3], 4));
    }

    @Test
    void inconsistentTopologiesAreRefusedWithTheReason()
    {
        final SignalFrames.Topology t = SignalFrames.fourLeg(1);
        final boolean[][] selfConflict = SignalFrames.fourLeg(1).conflicts();
        selfConflict[2][2] = true;
        assertEquals("movement 2 conflicts with itself", assertThrows(IllegalArgumentException.class, () -> IntersectionModel.of(1, "x",
            t.laneApproach(), SignalFrames.filled(4, 1), SignalFrames.filled(4, 1), t.movementLane(), t.movementTo(), t.turns(),
            selfConflict, t.program(), t.durationsMs())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IntersectionModel.of(1, "x",
            t.laneApproach(), SignalFrames.filled(4, 1), SignalFrames.filled(4, 1), new int[]{ 0, 1, 2, 9 }, t.movementTo(), t.turns(),
            t.conflicts(), t.program(), t.durationsMs())).getMessage().contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IntersectionModel.of(1, "x",
            t.laneApproach(), SignalFrames.filled(4, 1), SignalFrames.filled(4, 1), t.movementLane(), t.movementTo(), t.turns(),
            t.conflicts(), new String[]{ "GGGG" }, new int[]{ 1000 })).getMessage().contains("no green state"));
        final boolean[][] sameLane = new boolean[2][2];
        sameLane[0][1] = true;
        sameLane[1][0] = true;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IntersectionModel.of(1, "x", new int[]{ 0 }, new int[]{ 1 },
            new int[]{ 1 }, new int[]{ 0, 0 }, new int[]{ 1, 2 }, new MovementTurn[]{ MovementTurn.STRAIGHT, MovementTurn.LEFT },
            sameLane, new String[]{ "Gr" }, new int[]{ 1000 })).getMessage().contains("same lane"));
    }
}
