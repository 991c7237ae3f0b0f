package kr.sejong.city.core.runtime;

/** Where the node's time comes from. */
public enum NodeMode
{
    /** A clock read once per ingress duty cycle; the clock agent injects Ticks at the tick period. */
    LIVE,
    /** The Tick messages a simulation sends; everything between two Ticks carries the earlier Tick's time. */
    SIMULATED
}
