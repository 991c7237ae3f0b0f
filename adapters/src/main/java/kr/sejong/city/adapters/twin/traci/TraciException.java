package kr.sejong.city.adapters.twin.traci;

/**
 * A TraCI command failed: SUMO answered with an error status (the message names the command, the
 * object and SUMO's own words), or the connection broke, or an answer did not have the expected shape.
 */
public class TraciException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int commandId;
    private final String sumoMessage;

    public TraciException(final String message)
    {
        this(message, -1, null, null);
    }

    public TraciException(final String message, final Throwable cause)
    {
        this(message, -1, null, cause);
    }

    public TraciException(final String message, final int commandId, final String sumoMessage, final Throwable cause)
    {
        super(message, cause);
        this.commandId = commandId;
        this.sumoMessage = sumoMessage;
    }

    /** The command SUMO refused, or -1 when the failure was not an error status. */
    public int commandId()
    {
        return commandId;
    }

    /** SUMO's own description of the error, or null when the failure was not an error status. */
    public String sumoMessage()
    {
        return sumoMessage;
    }
}
