package kr.sejong.city.core.runtime;

import kr.sejong.city.config.Node;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Node settings from the configuration's node section. */
public final class NodeContexts
{
    private NodeContexts()
    {
    }

    public static ControlNode.Context fromConfig(final Node node, final Path dataDir)
    {
        final Node.Aeron aeron = node.aeron();
        return new ControlNode.Context()
            .dataDir(dataDir)
            .mode(node.mode() == Node.Mode.LIVE ? NodeMode.LIVE : NodeMode.SIMULATED)
            .threading(NodeThreading.valueOf(node.threading().name()))
            .idleStrategy(idleStrategy(node.idleStrategy()))
            .tickPeriodNs(TimeUnit.MILLISECONDS.toNanos(node.tickPeriodMs()))
            .ringSize(node.ringSize())
            .maxFrameLength(node.maxFrameLengthBytes())
            .journalRollCycle(node.journalRollCycle())
            .egressRetryLimit(node.egressRetryLimit())
            .embeddedDriver(aeron.embeddedDriver())
            .aeronDirectoryName(aeron.dir())
            .ingressChannel(aeron.ingressChannel())
            .ingressStreamId(aeron.ingressStreamId())
            .egressChannel(aeron.egressChannel())
            .egressStreamId(aeron.egressStreamId());
    }

    static String idleStrategy(final Node.IdleStrategyKind kind)
    {
        switch (kind)
        {
            case BUSY_SPIN: return IdleStrategies.BUSY_SPIN;
            case YIELDING: return IdleStrategies.YIELDING;
            case SLEEPING: return IdleStrategies.SLEEPING;
            case BACKOFF:
            default: return IdleStrategies.BACKOFF;
        }
    }
}
