package kr.sejong.city.adapters.twin.traci;

/**
 * SUMO could not be started, died, or would not listen. When SUMO wrote something to stderr, the
 * message ends with its last lines.
 */
public class SumoException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String stderrTail;

    public SumoException(final String message, final String stderrTail, final Throwable cause)
    {
        super(message, cause);
        this.stderrTail = stderrTail == null ? "" : stderrTail;
    }

    /** The last lines SUMO wrote to stderr ("" when none). */
    public String stderrTail()
    {
        return stderrTail;
    }
}
