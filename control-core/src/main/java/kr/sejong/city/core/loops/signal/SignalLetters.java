package kr.sejong.city.core.loops.signal;

/**
 * SUMO's signal letters, one per movement, and the three aspects the safety rules care about.
 * The loop itself only ever shows {@code G} (protected green), {@code g} (green, yield), {@code y}
 * and {@code r}; other letters of a network's own program are read as red (see {@link IntersectionModel}).
 */
public final class SignalLetters
{
    public static final byte GREEN_PRIORITY = 'G';
    public static final byte GREEN_YIELD = 'g';
    public static final byte YELLOW = 'y';
    public static final byte RED = 'r';

    /** Aspects: what a movement's letter means for safety. */
    public static final int ASPECT_RED = 0;
    public static final int ASPECT_YELLOW = 1;
    public static final int ASPECT_GREEN = 2;

    private SignalLetters()
    {
    }

    public static boolean isGreen(final byte letter)
    {
        return letter == GREEN_PRIORITY || letter == GREEN_YIELD;
    }

    public static boolean isYellow(final byte letter)
    {
        return letter == YELLOW || letter == 'Y';
    }

    /**
     * The aspect of a letter. Anything that is neither green nor yellow counts as red: a stop is
     * required ({@code r}, {@code u} red-yellow, {@code s} stop then go, and unknown letters).
     */
    public static int aspect(final byte letter)
    {
        if (isGreen(letter))
        {
            return ASPECT_GREEN;
        }
        return isYellow(letter) ? ASPECT_YELLOW : ASPECT_RED;
    }

    /** The letters the loop may put on the wire. */
    public static boolean isShowable(final byte letter)
    {
        return letter == GREEN_PRIORITY || letter == GREEN_YIELD || letter == YELLOW || letter == RED;
    }
}
