package kr.sejong.city.app;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import kr.sejong.city.adapters.opcua.SimulatedField;
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
    private final SimulatedField field;

    private SimulatorRunner(final Aeron aeron, final AgentRunner runner, final long seed, final SimulatedField field)
    {
        this.aeron = aeron;
        this.runner = runner;
        this.seed = seed;
        this.field = field;
    }

    static SimulatorRunner start(final CityConfig config, final ControlNode node, final Long seedOverride)
    {
        return start(config, node, seedOverride, null);
    }

    /**
     * @param opcua the OPC UA field to start, or null for the direct path: given, the simulated devices live on field
     *              servers (their frames reach the node through the client adapter) and the intersections show what
     *              their field controllers show, not the node's egress.
     */
    static SimulatorRunner start(final CityConfig config, final ControlNode node, final Long seedOverride, final OpcUaField opcua)
    {
        final ControlNode.Context ctx = node.context();
        final long seed = seedOverride != null ? seedOverride : config.simulator().seed();
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName()));
        SimulatedField field = null;
        try
        {
            final ExclusivePublication publication = aeron.addExclusivePublication(ctx.ingressChannel(), ctx.ingressStreamId());
            final boolean live = ctx.mode() == NodeMode.LIVE;
            final FieldModel model = new FieldModel(config, seed);
            final FieldSimulator.Context simulator = new FieldSimulator.Context()
                .model(model)
                .publication(publication)
                .pacing(live ? FieldSimulator.Pacing.LIVE : FieldSimulator.Pacing.SIMULATED);
            if (opcua != null)
            {
                if (!live)
                {
                    throw new BadInputException("--field opcua needs the node in live mode: OPC UA values carry the devices' wall-clock times");
                }
                field = SimulatedField.start(config, model, opcua.dataDir(), opcua.adapterPkiDir(), System::getenv);
                simulator.source(field.frameSource());
            }
            else
            {
                simulator.egress(aeron.addSubscription(ctx.egressChannel(), ctx.egressStreamId()));
            }
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
            return new SimulatorRunner(aeron, runner, seed, field);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.closeAll(field, aeron);
            throw ex;
        }
    }

    long seed()
    {
        return seed;
    }

    /** The OPC UA field servers, or null on the direct path. */
    SimulatedField field()
    {
        return field;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(runner, field, aeron);
    }

    /** Where the simulated OPC UA field keeps its PKI folders, and the adapter's PKI folder it trusts. */
    record OpcUaField(java.nio.file.Path dataDir, java.nio.file.Path adapterPkiDir)
    {
    }
}
