package kr.sejong.city.adapters.opcua.client;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.config.Field;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One field server as the adapter uses it: where it is, how to secure the session, who to log in as and which
 * devices it serves. Built from {@code field.opcua.servers[i]} by {@link #from}, or in code (tests).
 *
 * @param name           what messages call it.
 * @param endpoint       {@code opc.tcp://host:port[/path]}.
 * @param securityPolicy {@code Basic256Sha256}, {@code Aes256_Sha256_RsaPss} or {@code None}.
 * @param securityMode   {@code SignAndEncrypt}, {@code Sign} or {@code None}.
 * @param user           user name, or null for an anonymous session.
 * @param password       the password (resolved from its source; never from the configuration file).
 * @param samplingMs     sampling interval of its monitored items (also the subscription's publishing interval).
 * @param devices        the devices it serves.
 */
public record ServerSettings(
    String name,
    String endpoint,
    String securityPolicy,
    String securityMode,
    String user,
    String password,
    int samplingMs,
    List<Device> devices)
{
    public ServerSettings
    {
        devices = List.copyOf(devices);
    }

    /** A device the server serves. */
    public record Device(FieldNodes.Kind kind, int id)
    {
    }

    @Override
    public String toString()
    {
        // the password stays out of logs
        return "ServerSettings[name=" + name + ", endpoint=" + endpoint + ", securityPolicy=" + securityPolicy + ", securityMode=" +
            securityMode + ", user=" + user + ", samplingMs=" + samplingMs + ", devices=" + devices + "]";
    }

    /**
     * The settings of a configured server; its password read from its source now.
     *
     * @param environment how to read an environment variable ({@code System::getenv} in production).
     * @param dataDir     what a relative passwordFile is relative to.
     * @throws IllegalArgumentException naming the server when the password's source gives nothing.
     */
    public static ServerSettings from(final Field.OpcUa opcua, final Field.Server server, final Function<String, String> environment,
        final Path dataDir)
    {
        final List<Device> devices = new ArrayList<>();
        for (final Field.Devices group : server.devices())
        {
            final FieldNodes.Kind kind = FieldNodes.Kind.parse(group.kind().name());
            for (final int id : group.ids())
            {
                devices.add(new Device(kind, id));
            }
        }
        String password = null;
        if (server.passwordEnv() != null)
        {
            password = environment.apply(server.passwordEnv());
            if (password == null || password.isEmpty())
            {
                throw new IllegalArgumentException("field.opcua server \"" + server.name() + "\": environment variable " +
                    server.passwordEnv() + " (passwordEnv) is not set");
            }
        }
        else if (server.passwordFile() != null)
        {
            final Path file = dataDir.resolve(server.passwordFile());
            try
            {
                final List<String> lines = Files.readAllLines(file);
                password = lines.isEmpty() ? "" : lines.get(0);
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("field.opcua server \"" + server.name() + "\": cannot read passwordFile " + file +
                    ": " + ex.getMessage(), ex);
            }
            if (password.isEmpty())
            {
                throw new IllegalArgumentException("field.opcua server \"" + server.name() + "\": passwordFile " + file + " is empty");
            }
        }
        return new ServerSettings(server.name(), server.endpoint(), policyName(server.securityPolicy()), modeName(server.securityMode()),
            server.user(), password, server.samplingMs() != null ? server.samplingMs() : opcua.samplingMs(), devices);
    }

    private static String policyName(final Field.SecurityPolicy policy)
    {
        return switch (policy)
        {
            case NONE -> "None";
            case BASIC256SHA256 -> "Basic256Sha256";
            case AES256_SHA256_RSAPSS -> "Aes256_Sha256_RsaPss";
        };
    }

    private static String modeName(final Field.SecurityMode mode)
    {
        return switch (mode)
        {
            case NONE -> "None";
            case SIGN -> "Sign";
            case SIGN_AND_ENCRYPT -> "SignAndEncrypt";
        };
    }

    /** Whether this server's settings are insecure (allowed only with allowInsecure). */
    boolean insecure()
    {
        return "None".equals(securityPolicy) || "None".equals(securityMode) || user == null;
    }

    /** The OPC UA name of a kind for messages, e.g. {@code ess 301}. */
    static String deviceName(final Device device)
    {
        return device.kind().name().toLowerCase(Locale.ROOT) + " " + device.id();
    }
}
