package kr.sejong.city.adapters.mobility;

/** A shuttle scenario the simulation cannot run: the message names the file and the field. */
public final class ShuttleScenarioException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ShuttleScenarioException(final String message)
    {
        super(message);
    }
}
