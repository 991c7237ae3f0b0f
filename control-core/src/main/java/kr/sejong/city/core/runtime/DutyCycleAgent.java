package kr.sejong.city.core.runtime;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Wraps the agent a thread runs: records the longest duty cycle that did work and, on the node's main
 * thread, keeps the heartbeat that tells {@code bin/city status} the node is alive.
 */
final class DutyCycleAgent implements Agent
{
    private static final long HEARTBEAT_INTERVAL_NS = 100_000_000L;

    private final Agent delegate;
    private final String roleName;
    private final AtomicCounter maxDutyCycleNs;
    private final AtomicCounter heartbeatMs;
    private long lastHeartbeatNs;

    /**
     * @param roleName also the name of the thread that runs it (AgentRunner names threads by role)
     */
    DutyCycleAgent(final String roleName, final Agent delegate, final AtomicCounter maxDutyCycleNs, final AtomicCounter heartbeatMs)
    {
        this.roleName = roleName;
        this.delegate = delegate;
        this.maxDutyCycleNs = maxDutyCycleNs;
        this.heartbeatMs = heartbeatMs;
    }

    @Override
    public void onStart()
    {
        lastHeartbeatNs = System.nanoTime() - HEARTBEAT_INTERVAL_NS; // beat on the first duty cycle
        delegate.onStart();
    }

    @Override
    public int doWork() throws Exception
    {
        final long startNs = System.nanoTime();
        final int work = delegate.doWork();
        final long endNs = System.nanoTime();
        if (work > 0)
        {
            maxDutyCycleNs.proposeMaxRelease(endNs - startNs);
        }
        if (heartbeatMs != null && endNs - lastHeartbeatNs >= HEARTBEAT_INTERVAL_NS)
        {
            lastHeartbeatNs = endNs;
            heartbeatMs.setRelease(System.currentTimeMillis());
        }
        return work;
    }

    @Override
    public void onClose()
    {
        delegate.onClose();
    }

    @Override
    public String roleName()
    {
        return roleName;
    }
}
