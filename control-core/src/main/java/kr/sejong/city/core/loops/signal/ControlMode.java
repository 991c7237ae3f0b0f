package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.SignalMode;

/** Which controller an intersection runs, as chosen by an operator's {@code control=...} mode change. */
public enum ControlMode
{
    /** The product: see {@link AdaptiveController}. */
    ADAPTIVE("adaptive", SignalMode.ADAPTIVE),
    /** The plain max-pressure baseline kept for comparison: see {@link MaxPressureController}. */
    MAX_PRESSURE("maxpressure", SignalMode.ADAPTIVE),
    /** The network's own program: see {@link FixedTimeController}. */
    FIXED("fixed", SignalMode.FIXED_TIME);

    private static final ControlMode[] VALUES = values();
    private final byte[] word;
    private final SignalMode signalMode;

    ControlMode(final String word, final SignalMode signalMode)
    {
        this.word = word.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.signalMode = signalMode;
    }

    /** The mode a command reports while this controller runs (fallback aside). */
    public SignalMode signalMode()
    {
        return signalMode;
    }

    public static ControlMode fromOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * The mode named by the value of {@code control=VALUE} in {@code text[offset, offset + length)}, or null.
     * Compares bytes: no string is made.
     */
    public static ControlMode parse(final byte[] text, final int offset, final int length)
    {
        for (final ControlMode mode : VALUES)
        {
            if (mode.word.length == length && java.util.Arrays.equals(mode.word, 0, length, text, offset, offset + length))
            {
                return mode;
            }
        }
        return null;
    }
}
