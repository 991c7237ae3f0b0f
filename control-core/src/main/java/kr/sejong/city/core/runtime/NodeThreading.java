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
    LOW_RESOURCE,
    /**
     * As {@link #LOW_RESOURCE}, and the embedded media driver invoked on the same thread too (Aeron's
     * {@code ThreadingMode.INVOKER}): one thread in all, so that on a 2-core box the node and one client (a load
     * generator, an adapter) each have a core. The driver then only runs while the node's thread does; without an
     * embedded driver this is {@link #LOW_RESOURCE}.
     */
    SINGLE
}
