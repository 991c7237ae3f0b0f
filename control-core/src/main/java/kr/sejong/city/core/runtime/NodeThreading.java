package kr.sejong.city.core.runtime;

/** How the node's agents are put on threads. */
public enum NodeThreading
{
    /** One thread per agent (ingress, journal, loops, egress, clock) and a dedicated media driver. */
    DEDICATED,
    /**
     * All node agents composed on one thread with a backoff idle strategy, the Aeron client conductor
     * invoked on it, and a shared-mode media driver on a second: at most two threads (for a 2-core box).
     */
    LOW_RESOURCE
}
