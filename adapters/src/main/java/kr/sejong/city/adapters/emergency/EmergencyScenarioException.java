package kr.sejong.city.adapters.emergency;

/** A scenario file the emergency simulation cannot run: the message names the file and the field. */
public final class EmergencyScenarioException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public EmergencyScenarioException(final String message)
    {
        super(message);
    }
}
