package kr.sejong.city.adapters.opcua;

import kr.sejong.city.adapters.opcua.client.ClientPki;
import kr.sejong.city.adapters.opcua.client.ServerSettings;
import kr.sejong.city.adapters.opcua.server.FieldDevice;
import kr.sejong.city.adapters.opcua.server.FieldServer;
import kr.sejong.city.adapters.opcua.server.OpcUaFieldFeed;
import kr.sejong.city.adapters.sim.FieldModel;
import kr.sejong.city.adapters.sim.FrameSink;
import kr.sejong.city.adapters.sim.FrameSource;
import kr.sejong.city.config.ApiKeyHash;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Field;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The simulated field behind OPC UA for {@code city run --field opcua}: our Milo field servers hosting the city's
 * devices, fed by the field simulator's model ({@link #frameSource}), which the client adapter then reads like a
 * real field.
 * <ul>
 *   <li>With a {@code field.opcua} section, one server per configured server, at its endpoint (which must be on
 *   this machine), with its devices, its user and the password from its source.</li>
 *   <li>Without one, three servers on free local ports, {@code field-traffic} (the signalised intersections and
 *   their detectors), {@code field-energy} (ESS, chargers, PV, the PCC meter) and {@code field-emergency} (one
 *   video-analytics gateway, id {@value #ANALYTICS_GATEWAY_ID}), user {@value #GENERATED_USER} with a random
 *   password that exists only in this process; {@link #adapterServers} tells the adapter where they are.</li>
 * </ul>
 * Certificates: each server's PKI folder is {@code <data>/pki-field/<name>}; the servers and the adapter (its PKI
 * folder given) trust each other's certificates from the start, since both are made here. A real field needs an
 * operator to move them (docs/opcua.md).
 */
public final class SimulatedField implements AutoCloseable
{
    public static final String GENERATED_USER = "city-adapter";
    public static final int ANALYTICS_GATEWAY_ID = 1;
    private static final String PATH = "/sejong-field";

    private final List<FieldServer> servers;
    private final List<ServerSettings> adapterServers;
    private final OpcUaFieldFeed feed;
    private long setpointsTaken;

    private SimulatedField(final List<FieldServer> servers, final List<ServerSettings> adapterServers, final FieldModel model)
    {
        this.servers = servers;
        this.adapterServers = adapterServers;
        this.feed = new OpcUaFieldFeed(model, servers, (buffer, offset, length) -> { });
    }

    /**
     * Starts the servers.
     *
     * @param adapterPkiDir the client adapter's PKI folder: its certificate is trusted by the servers, theirs by it.
     * @param environment   where configured password sources (environment variables) are read.
     * @throws IllegalArgumentException naming the server when a configured endpoint is not on this machine or its
     *                                  devices are not in the city.
     */
    public static SimulatedField start(final CityConfig config, final FieldModel model, final Path dataDir, final Path adapterPkiDir,
        final Function<String, String> environment)
    {
        final Field.OpcUa opcua = config.field() != null ? config.field().opcua() : null;
        final Map<String, FieldDevice> cityDevices = new LinkedHashMap<>();
        for (final FieldDevice device : FieldDevice.of(config, ANALYTICS_GATEWAY_ID))
        {
            cityDevices.put(device.toString(), device);
        }
        final List<Layout> layouts = opcua != null ? configured(opcua, config, dataDir, environment, cityDevices) : generated(cityDevices);
        final List<FieldServer> started = new ArrayList<>();
        final List<ServerSettings> settings = new ArrayList<>();
        try
        {
            for (final Layout layout : layouts)
            {
                final FieldServer server = FieldServer.start(new FieldServer.Context()
                    .bindAddress(layout.host)
                    .hostname(layout.host)
                    .port(layout.port)
                    .path(layout.path)
                    .pkiDirectory(dataDir.resolve("pki-field").resolve(layout.settings.name()))
                    .user(layout.settings.user(), ApiKeyHash.of(layout.settings.password(), ApiKeyHash.MIN_ITERATIONS))
                    .allowInsecure(opcua != null && opcua.allowInsecure())
                    .epochNanoClock(new SystemEpochNanoClock())
                    .devices(layout.devices));
                started.add(server);
                trustEachOther(server, adapterPkiDir);
                settings.add(layout.settings);
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.closeAll(started);
            throw ex;
        }
        return new SimulatedField(List.copyOf(started), List.copyOf(settings), model);
    }

    /** Where the adapter finds the servers (with the generated layout it must be told; a configured one it reads itself). */
    public List<ServerSettings> adapterServers()
    {
        return adapterServers;
    }

    public List<FieldServer> servers()
    {
        return servers;
    }

    public OpcUaFieldFeed feed()
    {
        return feed;
    }

    /**
     * The field simulator's frames through the servers: each step, what the controllers show goes to the simulated
     * traffic, the hosted devices' frames into the servers, every other frame to the simulator's own sink (the node's
     * ingress). Set-points the devices took are counted ({@link #setpointsTaken}).
     */
    public FrameSource frameSource()
    {
        final FrameSource through = feed.frameSource(new SystemEpochNanoClock());
        return new FrameSource()
        {
            @Override
            public void topologies(final FrameSink sink)
            {
                through.topologies(sink);
            }

            @Override
            public void step(final long fromNs, final long toNs, final FrameSink sink)
            {
                through.step(fromNs, toNs, sink);
                // the field model draws its grid from its own profiles: the devices took them, nothing more to do
                setpointsTaken += feed.pollSetpoints(setpoint -> { });
            }
        };
    }

    /** Set-points the simulated devices took (written by the adapter, accepted by the servers). */
    public long setpointsTaken()
    {
        return setpointsTaken;
    }

    /** One line per server: name, endpoint, devices. */
    public List<String> describe()
    {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++)
        {
            final FieldServer server = servers.get(i);
            lines.add(String.format(Locale.ROOT, "%s at %s: %d device(s)", adapterServers.get(i).name(), server.endpointUrl(),
                server.devices().size()));
        }
        return lines;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(servers);
    }

    private record Layout(String host, int port, String path, ServerSettings settings, List<FieldDevice> devices)
    {
    }

    private static List<Layout> configured(final Field.OpcUa opcua, final CityConfig config, final Path dataDir,
        final Function<String, String> environment, final Map<String, FieldDevice> cityDevices)
    {
        final List<Layout> layouts = new ArrayList<>();
        for (final Field.Server server : opcua.servers())
        {
            final ServerSettings settings = ServerSettings.from(opcua, server, environment, dataDir);
            final URI uri = URI.create(server.endpoint());
            if (!isLocal(uri.getHost()))
            {
                throw new IllegalArgumentException("field.opcua server \"" + server.name() + "\": " + server.endpoint() +
                    " is not on this machine; --field opcua with the simulator runs the field servers here (without the simulator, " +
                    "--no-simulator, the adapter connects to the real ones)");
            }
            final List<FieldDevice> devices = new ArrayList<>();
            for (final ServerSettings.Device device : settings.devices())
            {
                final FieldDevice known = device.kind() == FieldNodes.Kind.ANALYTICS
                    ? FieldDevice.analytics(device.id())
                    : cityDevices.get(FieldNodes.device(device.kind(), device.id()));
                if (known == null)
                {
                    throw new IllegalArgumentException("field.opcua server \"" + server.name() + "\": " +
                        FieldNodes.device(device.kind(), device.id()) + " is not a device the field simulator has");
                }
                devices.add(known);
            }
            final String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
            layouts.add(new Layout(uri.getHost(), uri.getPort(), path, settings, devices));
        }
        return layouts;
    }

    private static List<Layout> generated(final Map<String, FieldDevice> cityDevices)
    {
        final String password = randomPassword();
        final Map<String, List<FieldDevice>> groups = new LinkedHashMap<>();
        groups.put("field-traffic", new ArrayList<>());
        groups.put("field-energy", new ArrayList<>());
        groups.put("field-emergency", new ArrayList<>());
        for (final FieldDevice device : cityDevices.values())
        {
            final String group = switch (device.kind())
            {
                case INTERSECTION -> "field-traffic";
                case ANALYTICS -> "field-emergency";
                default -> "field-energy";
            };
            groups.get(group).add(device);
        }
        final List<Layout> layouts = new ArrayList<>();
        for (final Map.Entry<String, List<FieldDevice>> group : groups.entrySet())
        {
            if (group.getValue().isEmpty())
            {
                continue;
            }
            final int port = freeLocalPort();
            final String endpoint = "opc.tcp://127.0.0.1:" + port + PATH;
            final List<ServerSettings.Device> devices = group.getValue().stream()
                .map(device -> new ServerSettings.Device(device.kind(), (int)device.id()))
                .toList();
            final ServerSettings settings = new ServerSettings(group.getKey(), endpoint, "Basic256Sha256",
                "SignAndEncrypt", GENERATED_USER, password, Field.OpcUa.SAMPLING_MS_DEFAULT, devices);
            layouts.add(new Layout("127.0.0.1", port, PATH, settings, group.getValue()));
        }
        return layouts;
    }

    /**
     * A field server and an adapter made together (this simulated field, the twin's bridge, the benchmark, tests): each
     * trusts the other's certificate, as an operator would make it by moving the files into trusted/certs. The adapter's
     * certificate is made now if its PKI folder has none yet.
     */
    public static void trustEachOther(final FieldServer server, final Path adapterPkiDir)
    {
        server.trust(ClientPki.certificate(adapterPkiDir));
        ClientPki.trust(adapterPkiDir, server.certificate());
    }

    /** A TCP port free on the loopback interface now, for a field server of this process. */
    public static int freeLocalPort()
    {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("no free local port for a field server", ex);
        }
    }

    /** A password for one process's own field servers (24 random bytes, URL-safe Base64): never stored. */
    public static String randomPassword()
    {
        final byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean isLocal(final String host)
    {
        if (host == null)
        {
            return false;
        }
        try
        {
            return InetAddress.getByName(host).isLoopbackAddress();
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
