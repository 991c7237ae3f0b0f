package kr.sejong.city.adapters.twin;

/** How the twin drives SUMO's traffic lights. */
public enum TwinMode
{
    /** Through the node: observations and a Tick per step, the loop's SignalCommands applied before the step. */
    LOCKSTEP,
    /**
     * Without the node: SUMO runs the network's own programs by itself. Reproduces the reference
     * "fixed-time" figures and validates the twin's metrics.
     */
    FIXED_TIME_REFERENCE
}
