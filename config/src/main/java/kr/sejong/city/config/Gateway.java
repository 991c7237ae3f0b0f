package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The business-systems gateway: the HTTP/JSON door of the node for the mobility app, the utility and the
 * energy market, the 112/119 dispatch systems and hospitals, and the operators' console.
 *
 * @param host          address to listen on ({@code 127.0.0.1} keeps it on the machine).
 * @param port          TCP port; 0 picks a free one (tests).
 * @param maxBodyBytes  largest request body accepted; a longer one is refused with 413.
 * @param rateLimit     requests per client unless the client has its own.
 * @param clients       who may call, each with a hashed API key and grants.
 * @param notifications where incidents and settlements are delivered, and how retries back off.
 */
public record Gateway(
    String host,
    int port,
    int maxBodyBytes,
    RateLimit rateLimit,
    List<Client> clients,
    Notifications notifications)
{
    public Gateway
    {
        clients = Lists.copy(clients);
    }

    /** The operations centers a grant is scoped to (the schema's Center, without SYSTEM). */
    public enum Center
    {
        @JsonProperty("traffic") TRAFFIC,
        @JsonProperty("energy") ENERGY,
        @JsonProperty("emergency") EMERGENCY
    }

    /** Roles in the manner of traffic-management systems; each includes the ones before it. */
    public enum Role
    {
        @JsonProperty("view") VIEW,
        @JsonProperty("operate") OPERATE,
        @JsonProperty("manage") MANAGE,
        @JsonProperty("configure") CONFIGURE;

        /** Whether this role includes {@code other} (CONFIGURE includes MANAGE, OPERATE and VIEW). */
        public boolean includes(final Role other)
        {
            return ordinal() >= other.ordinal();
        }
    }

    /**
     * A token bucket: {@code requestsPerSecond} on average, up to {@code burst} at once.
     *
     * @param requestsPerSecond refill rate.
     * @param burst             bucket size.
     */
    public record RateLimit(double requestsPerSecond, int burst)
    {
    }

    /**
     * A client of the gateway: a business system or an operator.
     *
     * @param id        the name in the journal's OperatorActions and the prefix of the client's API key
     *                  ({@code id.secret}); lower case letters, digits and '-'.
     * @param keyHash   the API key, hashed ({@code pbkdf2-sha256$iterations$salt$hash}, see {@link ApiKeyHash});
     *                  never the key itself.
     * @param grants    the role the client has in each center it may see; one grant per center.
     * @param rateLimit this client's own limit (may be left out: the gateway's applies).
     */
    public record Client(String id, String keyHash, List<Grant> grants, RateLimit rateLimit)
    {
        public Client
        {
            grants = Lists.copy(grants);
        }
    }

    /**
     * A role in one center.
     *
     * @param center which center.
     * @param role   what the client may do there.
     */
    public record Grant(Center center, Role role)
    {
    }

    /**
     * Where notifications go.
     *
     * @param retry      how failed deliveries are retried.
     * @param endpoints  the agencies' and hospitals' endpoints (may be empty: nothing is delivered).
     * @param settlement the energy business system's endpoint for Settlement records (may be left out).
     * @param stateDir   where the gateway keeps what each receiver has acknowledged (may be left out:
     *                   {@value #STATE_DIR_DEFAULT}); a relative path is taken from the node's data directory.
     */
    public record Notifications(Retry retry, List<Endpoint> endpoints, String settlement, String stateDir)
    {
        /** The acknowledgement state's folder in the node's data directory unless {@code stateDir} says otherwise. */
        public static final String STATE_DIR_DEFAULT = "gateway/deliveries";

        public Notifications
        {
            endpoints = Lists.copy(endpoints);
        }

        /** With the state in its default place. */
        public Notifications(final Retry retry, final List<Endpoint> endpoints, final String settlement)
        {
            this(retry, endpoints, settlement, null);
        }
    }

    /**
     * Retries with capped exponential backoff: {@code initialBackoffMs}, doubled after each failure up to
     * {@code maxBackoffMs}; a delivery is retried until it succeeds (a receiver that was down gets it
     * when it is back), in order per endpoint.
     *
     * @param initialBackoffMs wait after the first failure.
     * @param maxBackoffMs     the cap.
     * @param timeoutMs        how long one attempt may take.
     */
    public record Retry(int initialBackoffMs, int maxBackoffMs, int timeoutMs)
    {
    }

    /**
     * One receiver of incident notifications: an agency's dispatch system (112 police, 119 fire/EMS)
     * or a hospital's. Exactly one of {@code agency} and {@code hospitalId} is given.
     *
     * @param name       what to call it in logs and the console, and the name of its acknowledgement state;
     *                   lower-case letters, digits and '-', unique.
     * @param agency     the agency whose Notifications and Dispatches it receives.
     * @param hospitalId the hospital (emergency.hospitals) whose incoming patients it is told about.
     * @param url        where to POST (http or https).
     */
    public record Endpoint(String name, Agency.Kind agency, Integer hospitalId, String url)
    {
    }
}
