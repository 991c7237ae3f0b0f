package kr.sejong.city.core.loops.signal;

import kr.sejong.city.config.Traffic;

/**
 * The timing limits the signal loop and its conflict monitor work with, from the city configuration's
 * {@code traffic.signalTiming} plus the loop's own settings that the configuration does not (yet) carry.
 *
 * @param minGreenMs            shortest green of any movement.
 * @param yellowMs              yellow clearance of a movement losing its green; never below 3000.
 * @param allRedMs              red clearance after yellow before a conflicting movement may turn green.
 * @param maxGreenMs            longest green of a movement while a conflicting movement has demand.
 * @param observationTimeoutMs  an intersection whose observations are older than this falls back to
 *                              its own program.
 */
public record SignalTiming(int minGreenMs, int yellowMs, int allRedMs, int maxGreenMs, int observationTimeoutMs)
{
    /** Yellow shorter than this is never shown, whatever the configuration says. */
    public static final int YELLOW_MS_MIN = Traffic.SignalTiming.YELLOW_MS_MIN;
    /** Default fallback threshold: ten seconds of logical time without observations. */
    public static final int OBSERVATION_TIMEOUT_MS_DEFAULT = 10_000;

    public SignalTiming
    {
        if (minGreenMs <= 0)
        {
            throw new IllegalArgumentException("minGreenMs must be positive: " + minGreenMs);
        }
        if (allRedMs < 0)
        {
            throw new IllegalArgumentException("allRedMs must not be negative: " + allRedMs);
        }
        if (maxGreenMs < minGreenMs)
        {
            throw new IllegalArgumentException("maxGreenMs " + maxGreenMs + " is below minGreenMs " + minGreenMs);
        }
        if (observationTimeoutMs <= 0)
        {
            throw new IllegalArgumentException("observationTimeoutMs must be positive: " + observationTimeoutMs);
        }
        // the floor is a safety rule, not a setting: a file asking for less still gets 3 s
        yellowMs = Math.max(yellowMs, YELLOW_MS_MIN);
    }

    /** The configuration's limits with the default observation timeout. */
    public static SignalTiming from(final Traffic.SignalTiming config)
    {
        return new SignalTiming(
            config.minGreenMs(), config.yellowMs(), config.allRedMs(), config.maxGreenMs(), OBSERVATION_TIMEOUT_MS_DEFAULT);
    }

    /** The defaults of the contract: min green 5 s, yellow 3 s, all-red 2 s, max green 60 s, fallback after 10 s. */
    public static SignalTiming defaults()
    {
        return new SignalTiming(5000, 3000, 2000, 60_000, OBSERVATION_TIMEOUT_MS_DEFAULT);
    }

    public long minGreenNs()
    {
        return minGreenMs * 1_000_000L;
    }

    public long yellowNs()
    {
        return yellowMs * 1_000_000L;
    }

    public long allRedNs()
    {
        return allRedMs * 1_000_000L;
    }

    public long maxGreenNs()
    {
        return maxGreenMs * 1_000_000L;
    }

    public long observationTimeoutNs()
    {
        return observationTimeoutMs * 1_000_000L;
    }
}
