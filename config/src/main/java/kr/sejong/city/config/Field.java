package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Field devices the node talks to directly (rather than through the simulator or the SUMO twin).
 *
 * @param opcua the OPC UA field servers and how the client adapter connects to them (may be left out).
 */
public record Field(OpcUa opcua)
{
    /**
     * What is wrong with an OPC UA endpoint URL, or null when it is {@code opc.tcp://host:port[/path]}.
     *
     * @param endpoint the URL as configured.
     */
    public static String endpointProblem(final String endpoint)
    {
        final String expected = "must be opc.tcp://host:port[/path]";
        if (endpoint == null || endpoint.isBlank())
        {
            return "missing endpoint; " + expected;
        }
        final java.net.URI uri;
        try
        {
            uri = new java.net.URI(endpoint);
        }
        catch (final java.net.URISyntaxException ex)
        {
            return "malformed endpoint \"" + endpoint + "\" (" + ex.getReason() + " at index " + ex.getIndex() + "); " + expected;
        }
        if (!"opc.tcp".equals(uri.getScheme()))
        {
            return "malformed endpoint \"" + endpoint + "\": the scheme is " + (uri.getScheme() == null ? "missing" : "\"" + uri.getScheme() + "\"")
                + "; " + expected;
        }
        if (uri.getHost() == null)
        {
            return "malformed endpoint \"" + endpoint + "\": no valid host name; " + expected;
        }
        if (uri.getPort() < 1 || uri.getPort() > 65535)
        {
            return "malformed endpoint \"" + endpoint + "\": " + (uri.getPort() == -1 ? "no port" : "port " + uri.getPort() + " out of range")
                + "; " + expected;
        }
        if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null)
        {
            return "malformed endpoint \"" + endpoint + "\": no user, query or fragment allowed; " + expected;
        }
        return null;
    }

    /**
     * The OPC UA client adapter: how it secures its connections and which servers serve which devices
     * (docs/opcua.md, "The client adapter"). Every key but {@code servers} is optional.
     *
     * @param pkiDir        the adapter's PKI folder (its own certificate, trusted/, rejected/), relative to the
     *                      data directory unless absolute.
     * @param allowInsecure development only: permits SecurityPolicy None, SecurityMode None and anonymous
     *                      sessions; the adapter warns loudly at start.
     * @param samplingMs    sampling interval of monitored items unless a server has its own.
     * @param reconnect     backoff between connection attempts.
     * @param ranges        physical limits of the values; defaults derive from the device configuration.
     * @param servers       the field servers.
     */
    public record OpcUa(
        String pkiDir,
        boolean allowInsecure,
        int samplingMs,
        Reconnect reconnect,
        Ranges ranges,
        List<Server> servers)
    {
        public static final String PKI_DIR_DEFAULT = "pki";
        public static final int SAMPLING_MS_DEFAULT = 100;

        public OpcUa
        {
            servers = Lists.copy(servers);
        }

        @JsonCreator
        static OpcUa fromYaml(
            @JsonProperty("pkiDir") final String pkiDir,
            @JsonProperty("allowInsecure") final Boolean allowInsecure,
            @JsonProperty("samplingMs") final Integer samplingMs,
            @JsonProperty("reconnect") final Reconnect reconnect,
            @JsonProperty("ranges") final Ranges ranges,
            @JsonProperty("servers") final List<Server> servers)
        {
            return new OpcUa(
                pkiDir == null ? PKI_DIR_DEFAULT : pkiDir,
                allowInsecure != null && allowInsecure,
                samplingMs == null ? SAMPLING_MS_DEFAULT : samplingMs,
                reconnect == null ? Reconnect.defaults() : reconnect,
                ranges == null ? Ranges.defaults() : ranges,
                servers);
        }
    }

    /**
     * Capped exponential backoff: the first retry after {@code initialBackoffMs}, each further one after twice
     * the last wait, at most {@code maxBackoffMs}; a successful connection starts over.
     *
     * @param initialBackoffMs first wait.
     * @param maxBackoffMs     the cap.
     */
    public record Reconnect(int initialBackoffMs, int maxBackoffMs)
    {
        public static final int INITIAL_BACKOFF_MS_DEFAULT = 500;
        public static final int MAX_BACKOFF_MS_DEFAULT = 30_000;

        public static Reconnect defaults()
        {
            return fromYaml(null, null);
        }

        @JsonCreator
        static Reconnect fromYaml(
            @JsonProperty("initialBackoffMs") final Integer initialBackoffMs,
            @JsonProperty("maxBackoffMs") final Integer maxBackoffMs)
        {
            return new Reconnect(
                initialBackoffMs == null ? INITIAL_BACKOFF_MS_DEFAULT : initialBackoffMs,
                maxBackoffMs == null ? MAX_BACKOFF_MS_DEFAULT : maxBackoffMs);
        }
    }

    /**
     * Physical limits beyond which a value is refused (DeviceStatus INVALID_VALUE) and never passed on. Power
     * limits of ESS, chargers and PV come from their ratings in the energy section, widened by
     * {@code powerMarginPercent}; the others have fixed defaults.
     *
     * @param powerMarginPercent how far a measured power may exceed a device's rating.
     * @param frequencyMilliHz   PCC frequency; default 45 to 65 Hz.
     * @param pccPowerW          PCC active and reactive power; default ± twice the larger contract limit.
     * @param loadW              the district load behind the PCC; default 0 to three times the peak load.
     */
    public record Ranges(int powerMarginPercent, Range frequencyMilliHz, Range pccPowerW, Range loadW)
    {
        public static final int POWER_MARGIN_PERCENT_DEFAULT = 10;
        public static final Range FREQUENCY_MILLI_HZ_DEFAULT = new Range(45_000, 65_000);

        public static Ranges defaults()
        {
            return fromYaml(null, null, null, null);
        }

        @JsonCreator
        static Ranges fromYaml(
            @JsonProperty("powerMarginPercent") final Integer powerMarginPercent,
            @JsonProperty("frequencyMilliHz") final Range frequencyMilliHz,
            @JsonProperty("pccPowerW") final Range pccPowerW,
            @JsonProperty("loadW") final Range loadW)
        {
            return new Ranges(
                powerMarginPercent == null ? POWER_MARGIN_PERCENT_DEFAULT : powerMarginPercent,
                frequencyMilliHz == null ? FREQUENCY_MILLI_HZ_DEFAULT : frequencyMilliHz,
                pccPowerW,
                loadW);
        }
    }

    /**
     * Inclusive limits.
     *
     * @param min smallest value accepted.
     * @param max largest value accepted.
     */
    public record Range(long min, long max)
    {
        public boolean contains(final long value)
        {
            return value >= min && value <= max;
        }
    }

    /** Security policies the adapter accepts (OPC UA's names). */
    public enum SecurityPolicy
    {
        /** Development only ({@code allowInsecure}). */
        @JsonProperty("None") NONE,
        @JsonProperty("Basic256Sha256") BASIC256SHA256,
        @JsonProperty("Aes256_Sha256_RsaPss") AES256_SHA256_RSAPSS
    }

    /** Message security modes (OPC UA's names). */
    public enum SecurityMode
    {
        /** Development only ({@code allowInsecure}). */
        @JsonProperty("None") NONE,
        @JsonProperty("Sign") SIGN,
        @JsonProperty("SignAndEncrypt") SIGN_AND_ENCRYPT
    }

    /** The kinds of field device (docs/opcua.md); the YAML spelling is the lower-case name. */
    public enum DeviceKind
    {
        @JsonProperty("intersection") INTERSECTION,
        @JsonProperty("ess") ESS,
        @JsonProperty("charger") CHARGER,
        @JsonProperty("pv") PV,
        @JsonProperty("pcc") PCC,
        @JsonProperty("analytics") ANALYTICS
    }

    /**
     * One OPC UA field server.
     *
     * @param name           what logs, errors and the status line call it.
     * @param endpoint       {@code opc.tcp://host:port[/path]}.
     * @param securityPolicy {@code Basic256Sha256} (default) or {@code Aes256_Sha256_RsaPss}; {@code None} only
     *                       with allowInsecure.
     * @param securityMode   {@code SignAndEncrypt} (default) or {@code Sign}; {@code None} only with allowInsecure.
     * @param user           user name of the session; without it the session is anonymous (allowInsecure only).
     * @param passwordEnv    environment variable holding the password.
     * @param passwordFile   file holding the password (its first line), relative to the data directory unless absolute.
     * @param password       never allowed: present only so that the mistake gets a clear message.
     * @param samplingMs     sampling interval for this server's items, or null for the adapter's.
     * @param devices        the devices it serves.
     */
    public record Server(
        String name,
        String endpoint,
        SecurityPolicy securityPolicy,
        SecurityMode securityMode,
        String user,
        String passwordEnv,
        String passwordFile,
        String password,
        Integer samplingMs,
        List<Devices> devices)
    {
        public Server
        {
            devices = Lists.copy(devices);
        }

        @JsonCreator
        static Server fromYaml(
            @JsonProperty("name") final String name,
            @JsonProperty("endpoint") final String endpoint,
            @JsonProperty("securityPolicy") final SecurityPolicy securityPolicy,
            @JsonProperty("securityMode") final SecurityMode securityMode,
            @JsonProperty("user") final String user,
            @JsonProperty("passwordEnv") final String passwordEnv,
            @JsonProperty("passwordFile") final String passwordFile,
            @JsonProperty("password") final String password,
            @JsonProperty("samplingMs") final Integer samplingMs,
            @JsonProperty("devices") final List<Devices> devices)
        {
            return new Server(name, endpoint,
                securityPolicy == null ? SecurityPolicy.BASIC256SHA256 : securityPolicy,
                securityMode == null ? SecurityMode.SIGN_AND_ENCRYPT : securityMode,
                user, passwordEnv, passwordFile, password, samplingMs, devices);
        }
    }

    /**
     * Devices of one kind a server serves.
     *
     * @param kind the kind.
     * @param ids  their ids in the traffic, energy or emergency section.
     */
    public record Devices(DeviceKind kind, List<Integer> ids)
    {
        public Devices
        {
            ids = Lists.copy(ids);
        }
    }
}
