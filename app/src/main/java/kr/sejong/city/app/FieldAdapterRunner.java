package kr.sejong.city.app;

import io.aeron.Aeron;
import kr.sejong.city.adapters.opcua.client.OpcUaAdapter;
import kr.sejong.city.adapters.opcua.client.ServerSettings;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Field;
import kr.sejong.city.core.runtime.ControlNode;
import kr.sejong.city.core.runtime.IdleStrategies;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;

import java.nio.file.Path;
import java.util.List;

/**
 * The OPC UA field adapter of {@code city run --field opcua}: its own Aeron client on the node's media driver, on
 * its own thread, connected to the field servers (the configuration's {@code field.opcua}, or the simulated field's
 * servers when given).
 */
final class FieldAdapterRunner implements AutoCloseable
{
    private final Aeron aeron;
    private final OpcUaAdapter adapter;
    private final AgentRunner runner;

    private FieldAdapterRunner(final Aeron aeron, final OpcUaAdapter adapter, final AgentRunner runner)
    {
        this.aeron = aeron;
        this.adapter = adapter;
        this.runner = runner;
    }

    /** The adapter's PKI folder under the data directory (the configuration's {@code field.opcua.pkiDir}). */
    static Path pkiDir(final CityConfig config, final Path dataDir)
    {
        final Field.OpcUa opcua = config.field() != null ? config.field().opcua() : null;
        return dataDir.resolve(opcua != null ? opcua.pkiDir() : Field.OpcUa.PKI_DIR_DEFAULT);
    }

    /**
     * @param servers the servers to connect to, or null for the configuration's {@code field.opcua.servers}.
     */
    static FieldAdapterRunner start(final CityConfig config, final ControlNode node, final Path dataDir, final List<ServerSettings> servers)
    {
        if (servers == null && (config.field() == null || config.field().opcua() == null))
        {
            throw new BadInputException("--field opcua without the simulator needs a field.opcua section naming the field servers (docs/opcua.md)");
        }
        final ControlNode.Context ctx = node.context();
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(ctx.aeronDirectoryName()));
        try
        {
            final OpcUaAdapter.Context adapterCtx = new OpcUaAdapter.Context()
                .cityConfig(config)
                .dataDir(dataDir)
                .pkiDir(pkiDir(config, dataDir))
                .aeron(aeron)
                .ingressChannel(ctx.ingressChannel())
                .ingressStreamId(ctx.ingressStreamId())
                .egressChannel(ctx.egressChannel())
                .egressStreamId(ctx.egressStreamId());
            if (servers != null)
            {
                adapterCtx.servers(servers);
            }
            final OpcUaAdapter adapter;
            try
            {
                adapter = new OpcUaAdapter(adapterCtx);
            }
            catch (final IllegalArgumentException | IllegalStateException ex)
            {
                throw new BadInputException("field.opcua: " + ex.getMessage(), ex);
            }
            final AgentRunner runner = new AgentRunner(IdleStrategies.of(IdleStrategies.BACKOFF),
                error -> System.err.println("city: OPC UA field adapter error: " + error), null, adapter);
            AgentRunner.startOnThread(runner);
            return new FieldAdapterRunner(aeron, adapter, runner);
        }
        catch (final RuntimeException ex)
        {
            aeron.close();
            throw ex;
        }
    }

    OpcUaAdapter adapter()
    {
        return adapter;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(runner, aeron);
    }
}
