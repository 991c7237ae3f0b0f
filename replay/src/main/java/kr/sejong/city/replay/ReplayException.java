package kr.sejong.city.replay;

/** Input a replay or audit cannot work with (not a journal, wrong version, range outside it): one clear message. */
public final class ReplayException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ReplayException(final String message)
    {
        super(message);
    }
}
