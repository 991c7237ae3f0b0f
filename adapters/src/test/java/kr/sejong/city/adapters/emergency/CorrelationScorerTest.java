package kr.sejong.city.adapters.emergency;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pairwise precision and recall on hand-made cases. */
class CorrelationScorerTest
{
    private static final Map<String, String> LABELS = Map.of(
        "VIDEO:1", "fire", "VIDEO:2", "fire", "CALL:1", "fire",
        "VIDEO:3", "fall",
        "VIDEO:4", "shadow", "VIDEO:5", "shadow");

    @Test
    void perfectIncidentsScoreOne()
    {
        final CorrelationScorer.Score s = CorrelationScorer.score(LABELS,
            List.of(List.of("VIDEO:1", "VIDEO:2", "CALL:1"), List.of("VIDEO:3"), List.of("VIDEO:4", "VIDEO:5")));
        assertEquals(4, s.truePairs()); // fire: 3 pairs, shadow: 1
        assertEquals(4, s.predictedPairs());
        assertEquals(1.0, s.precision());
        assertEquals(1.0, s.recall());
    }

    @Test
    void aSplitSituationLosesRecallAMergeLosesPrecision()
    {
        // the call is its own incident (2 fire pairs lost); the fall joins the shadow (2 wrong pairs)
        final CorrelationScorer.Score s = CorrelationScorer.score(LABELS,
            List.of(List.of("VIDEO:1", "VIDEO:2"), List.of("CALL:1"), List.of("VIDEO:3", "VIDEO:4", "VIDEO:5")));
        assertEquals(4, s.predictedPairs());
        assertEquals(2, s.correctPairs());
        assertEquals(0.5, s.precision());
        assertEquals(0.5, s.recall());
    }

    @Test
    void unlabelledAndFilteredSourcesAreLeftOut()
    {
        // SENSOR:9 is not the scenario's; the shadow was filtered (in no incident): its pair is missed
        final CorrelationScorer.Score s = CorrelationScorer.score(LABELS,
            List.of(List.of("VIDEO:1", "VIDEO:2", "CALL:1", "SENSOR:9"), List.of("VIDEO:3")));
        assertEquals(3, s.predictedPairs());
        assertEquals(1.0, s.precision());
        assertEquals(0.75, s.recall());
    }

    @Test
    void nothingPredictedIsPrecisionOneRecallZero()
    {
        final CorrelationScorer.Score s = CorrelationScorer.score(LABELS, List.of());
        assertEquals(1.0, s.precision());
        assertEquals(0.0, s.recall());
    }
}
