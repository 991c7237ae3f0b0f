package kr.sejong.city.app;

/** Exit codes of every command. */
final class ExitCodes
{
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int BAD_INPUT = 2;

    private ExitCodes()
    {
    }
}
