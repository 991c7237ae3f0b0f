package kr.sejong.city.adapters.twin;

/**
 * A twin run stopped: the node answered with a Reject, the signal loop did not answer a Tick in time
 * or answered wrongly, or the network disagrees with what SUMO reports. The message says which.
 */
public final class TwinException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public TwinException(final String message)
    {
        super(message);
    }

    public TwinException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
