package kr.sejong.city.app;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import kr.sejong.city.adapters.sim.FieldModel;
import kr.sejong.city.adapters.sim.FieldSimulator;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.IdleStrategies;
import kr.sejong.city.core.runtime.NodeMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;

/**
 * The field simulator of {@code city run}: an adapter like any other, with its own Aeron client
 * publishing to the node's ingress and reading its egress (the signal loop's commands, which the
 * simulated intersections show). It follows the wall clock when the node is live, and drives the node's
 * time with its Ticks (as fast as the node takes them, each answered before the next) when the node is
 * simulated.
 */
final class SimulatorRunner implements AutoCloseable
{
    private final Aeron aeron;
    private final AgentRunner runner;
    private final long seed;

    private SimulatorRunner(final Aeron aeron, final AgentRunner runner, final long seed)
    {
        this.aeron = aeron;
        this.runner = runner;
        this.seed = seed;
    }

    static SimulatorRunner start(final CityConfig config, final ControlNode node, final Long seedOverride)
    {
        final ControlNode.Context ctx = node.context();
        final long seed = seedOverride != null ? seedOverride : config.simulator().seed();
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName()));
        try
        {
            final ExclusivePublication publication = aeron.addExclusivePublication(ctx.ingressChannel(), ctx.ingressStreamId());
            final Subscription egress = aeron.addSubscription(ctx.egressChannel(), ctx.egressStreamId());
            final boolean live = ctx.mode() == NodeMode.LIVE;
            final FieldSimulator.Context simulator = new FieldSimulator.Context()
                .model(new FieldModel(config, seed))
                .publication(publication)
                .egress(egress)
                .pacing(live ? FieldSimulator.Pacing.LIVE : FieldSimulator.Pacing.SIMULATED);
            if (!live)
            {
                // simulated time starts now, or after the end of the journal this run continues
                final long stepNs = config.simulator().stepMs() * 1_000_000L;
                final long nowNs = System.currentTimeMillis() * 1_000_000L;
                final long afterJournalNs = node.recoveredTimeNs() > 0 ? node.recoveredTimeNs() + stepNs : 0;
                simulator.startTimeNs(Math.max(nowNs, afterJournalNs));
            }
            final AgentRunner runner = new AgentRunner(IdleStrategies.of(IdleStrategies.BACKOFF),
                error -> System.err.println("city: field simulator error: " + error), null, new FieldSimulator(simulator));
            AgentRunner.startOnThread(runner);
            return new SimulatorRunner(aeron, runner, seed);
        }
        catch (final RuntimeException ex)
        {
            aeron.close();
            throw ex;
        }
    }

    long seed()
    {
        return seed;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(runner, aeron);
    }
}
