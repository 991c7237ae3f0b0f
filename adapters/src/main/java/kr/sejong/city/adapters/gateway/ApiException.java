package kr.sejong.city.adapters.gateway;

/**
 * A request the gateway refuses: an HTTP status, the field at fault (may be null: the request as a whole)
 * and why. Answered as {@code {"status": 400, "field": "partySize", "error": "..."}}.
 */
public final class ApiException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    public ApiException(final int status, final String field, final String message)
    {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    public static ApiException badField(final String field, final String message)
    {
        return new ApiException(400, field, field + ": " + message);
    }

    public int status()
    {
        return status;
    }

    public String field()
    {
        return field;
    }
}
