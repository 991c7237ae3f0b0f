package kr.sejong.city.adapters.twin.traci;

/** There is no {@code sumo} to start: the message says how to install it. */
public final class SumoNotInstalledException extends SumoException
{
    private static final long serialVersionUID = 1L;

    public SumoNotInstalledException(final String message)
    {
        super(message, "", null);
    }
}
