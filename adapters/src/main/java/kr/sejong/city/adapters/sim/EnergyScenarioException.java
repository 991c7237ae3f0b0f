package kr.sejong.city.adapters.sim;

/** A scenario file the energy simulation cannot run: the message names the file and the problem. */
public final class EnergyScenarioException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public EnergyScenarioException(final String message)
    {
        super(message);
    }
}
