package kr.sejong.city.adapters.twin;

/** The control mode the twin asks the signal loop for, in its OperatorAction ({@code what="control=..."}). */
public enum ControlMode
{
    /** The product: adaptive control. */
    ADAPTIVE("adaptive"),
    /** The network's own fixed-time program, played by the loop. */
    FIXED("fixed"),
    /** The plain max-pressure baseline. */
    MAXPRESSURE("maxpressure");

    private final String wireName;

    ControlMode(final String wireName)
    {
        this.wireName = wireName;
    }

    /** The name on the wire and on the command line: adaptive, fixed, maxpressure. */
    public String wireName()
    {
        return wireName;
    }

    public static ControlMode parse(final String name)
    {
        for (final ControlMode mode : values())
        {
            if (mode.wireName.equals(name))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown control mode '" + name + "' (known: adaptive, fixed, maxpressure)");
    }
}
