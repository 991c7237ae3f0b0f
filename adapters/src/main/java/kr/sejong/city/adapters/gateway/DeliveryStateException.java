package kr.sejong.city.adapters.gateway;

/**
 * A receiver's delivery state file cannot be read or does not check out against the node's egress journal: the
 * gateway does not start rather than send again or skip on a guess. The message names the file and what to do.
 */
public final class DeliveryStateException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    DeliveryStateException(final String message)
    {
        super(message);
    }
}
