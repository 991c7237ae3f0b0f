package kr.sejong.city.app;

/** Input the user can fix (configuration, arguments, data directory): one message, exit code 2. */
final class BadInputException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    BadInputException(final String message)
    {
        super(message);
    }

    BadInputException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
