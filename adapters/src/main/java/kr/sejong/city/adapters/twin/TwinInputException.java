package kr.sejong.city.adapters.twin;

/**
 * The twin's input is unusable: a SUMO config or network file missing or invalid, or a network with
 * no traffic lights. The message says which file and what is wrong (the command line turns this into
 * one clear message and exit code 2).
 */
public final class TwinInputException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public TwinInputException(final String message)
    {
        super(message);
    }

    public TwinInputException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
