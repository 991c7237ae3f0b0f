package kr.sejong.city.adapters.gateway;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Gateway;
import kr.sejong.city.config.Gateway.Center;
import kr.sejong.city.config.Gateway.Role;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The business-systems gateway and the operators' console: an HTTP server (Javalin on Jetty) in front of
 * a running node, reached over Aeron like any adapter. It publishes validated requests on the node's
 * ingress, reads its egress for the screens, delivers notifications from the node's egress journal (in the
 * same process and data directory), and serves the console page and the OpenAPI document. See docs/gateway.md.
 */
public final class GatewayServer implements AutoCloseable
{
    static final String PRINCIPAL = "principal";
    static final String SESSION_COOKIE = "city_session";
    private static final long OFFER_TIMEOUT_MS = 200;
    private static final Gateway.RateLimit LOGIN_LIMIT = new Gateway.RateLimit(2, 10);

    private final Gateway config;
    private final Publication ingressPublication;
    private final Subscription egressSubscription;
    private final LiveState state;
    private final Notifier notifier;
    private final AgentRunner egressRunner;
    private final Subscription measurementSubscription;
    private final AgentRunner measurementRunner;
    private final Authenticator authenticator;
    private final RateLimiter clientLimits;
    private final RateLimiter loginLimits = new RateLimiter(k -> LOGIN_LIMIT);
    private final ConsoleEvents events;
    private final GatewayApi api;
    private final Javalin app;

    private GatewayServer(final CityConfig city, final Path dataDir, final Aeron aeron, final String ingressChannel, final int ingressStreamId,
        final String egressChannel, final int egressStreamId)
    {
        config = city.gateway();
        if (config == null)
        {
            throw new IllegalArgumentException("the configuration has no gateway section");
        }
        notifier = new Notifier(config.notifications(), dataDir); // first: a bad delivery state stops the start before anything runs
        state = new LiveState(new FieldMeasurements(city));
        ingressPublication = aeron.addPublication(ingressChannel, ingressStreamId);
        // untethered too: the screens must never hold back the node's egress, which also carries the field's commands;
        // deliveries do not depend on it (the Notifier reads the egress journal)
        egressSubscription = aeron.addSubscription(MeasurementReader.untethered(egressChannel), egressStreamId);
        final EgressReader reader = new EgressReader(egressSubscription, state);
        egressRunner = new AgentRunner(new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)),
            error -> System.err.println("gateway: egress: " + error), null, reader);
        AgentRunner.startOnThread(egressRunner);
        // the field's measurements (lane queues, PV, ESS, chargers): a second, untethered subscription on ingress
        measurementSubscription = aeron.addSubscription(MeasurementReader.untethered(ingressChannel), ingressStreamId);
        measurementRunner = new AgentRunner(new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)),
            error -> System.err.println("gateway: measurements: " + error), null,
            new MeasurementReader(measurementSubscription, state.field(), city.node().maxFrameLengthBytes()));
        AgentRunner.startOnThread(measurementRunner);
        authenticator = new Authenticator(config);
        final Map<String, Gateway.RateLimit> limits = new LinkedHashMap<>();
        config.clients().forEach(c -> limits.put(c.id(), c.rateLimit() != null ? c.rateLimit() : config.rateLimit()));
        clientLimits = new RateLimiter(limits::get);
        events = new ConsoleEvents(state);
        api = new GatewayApi(city, new IngressPublisher(ingressPublication, OFFER_TIMEOUT_MS), state);
        app = Javalin.create(this::configure);
        app.start(config.host(), config.port());
    }

    /**
     * Starts the gateway against a node.
     *
     * @param city    the city configuration; its {@code gateway} section must be present.
     * @param dataDir the node's data directory: notifications are delivered from its egress journal, and what each
     *                receiver has acknowledged is kept in {@code gateway.notifications.stateDir} resolved against it.
     * @param aeron   a client connected to the node's media driver (the caller keeps and closes it).
     * @throws IllegalStateException naming the file when a receiver's acknowledgement state is unreadable.
     */
    public static GatewayServer start(final CityConfig city, final Path dataDir, final Aeron aeron, final String ingressChannel,
        final int ingressStreamId, final String egressChannel, final int egressStreamId)
    {
        return new GatewayServer(city, dataDir, aeron, ingressChannel, ingressStreamId, egressChannel, egressStreamId);
    }

    /** The port it listens on (the configured one, or the one picked for port 0). */
    public int port()
    {
        return app.port();
    }

    public LiveState state()
    {
        return state;
    }

    public Notifier notifier()
    {
        return notifier;
    }

    /** Whether the node's ingress and egress are connected. */
    public boolean connected()
    {
        return ingressPublication.isConnected() && egressSubscription.isConnected();
    }

    /** Whether the measurement reader is subscribed to a publication on ingress (tests: frames sent before are not seen). */
    boolean readsMeasurementsOf(final int sessionId)
    {
        return measurementSubscription.imageBySessionId(sessionId) != null;
    }

    @Override
    public void close()
    {
        // the event streams end while the server still runs (ending one after Jetty stopped has Javalin handle a dead request)
        CloseHelper.closeAll(events);
        app.stop();
        CloseHelper.closeAll(egressRunner, measurementRunner, notifier, ingressPublication, egressSubscription, measurementSubscription);
    }

    private void configure(final io.javalin.config.JavalinConfig javalin)
    {
        javalin.startup.showJavalinBanner = false;
        javalin.startup.showOldJavalinVersionWarning = false;
        javalin.http.maxRequestSize = config.maxBodyBytes();
        // Javalin copies each response through a new array of this size (Jetty's 32 KB output buffer by default):
        // the API's answers are a few hundred bytes, and at 1,000 requests/s the 32 KB arrays were most of the allocation
        javalin.http.responseBufferSize = 4096;
        javalin.jsonMapper(new JavalinJackson(Body.MAPPER, false));
        final var routes = javalin.routes;

        routes.before(this::guard);
        routes.get("/", ctx -> resource(ctx, "index.html", "text/html; charset=utf-8"));
        routes.get("/console.js", ctx -> resource(ctx, "console.js", "text/javascript; charset=utf-8"));
        routes.get("/console.css", ctx -> resource(ctx, "console.css", "text/css; charset=utf-8"));
        routes.get("/openapi.json", ctx -> resource(ctx, "openapi.json", "application/json"));

        routes.post("/api/session", this::login);
        routes.delete("/api/session", ctx ->
        {
            authenticator.logout(ctx.cookie(SESSION_COOKIE));
            ctx.header("Set-Cookie", SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            ctx.status(204);
        });
        routes.get("/api/me", ctx ->
        {
            final Principal who = GatewayApi.principal(ctx);
            ctx.json(Map.of("client", who.clientId(), "roles", who.roles()));
        });
        routes.get("/api/state", ctx ->
        {
            final Map<String, Object> out = events.snapshot(GatewayApi.principal(ctx));
            out.put("notifications", notifier.status());
            out.put("measurements", state.field().counters());
            out.put("nodeConnected", connected());
            ctx.json(out);
        });
        routes.sse("/api/events", client -> events.connect(client, GatewayApi.principal(client.ctx())));

        routes.post("/api/rides", api::postRide);
        routes.get("/api/rides/{requestId}", api::getRide);
        routes.delete("/api/rides/{requestId}", api::cancelRide);
        routes.post("/api/priority-requests", api::postPriorityRequest);
        routes.post("/api/traffic/intersections/{intersectionId}/control", api::postControl);
        routes.post("/api/energy/demand-response", api::postDemandResponse);
        routes.post("/api/energy/prices", api::postPrice);
        routes.post("/api/energy/setpoints", api::postSetpoint);
        routes.delete("/api/energy/setpoints/{deviceId}", api::releaseSetpoint);
        routes.get("/api/incidents", ctx ->
        {
            GatewayApi.principal(ctx).require(Center.EMERGENCY, Role.VIEW, "see incidents");
            ctx.json(state.incidents());
        });
        routes.post("/api/incidents/{incidentId}/{action}", api::incidentAction);

        routes.exception(ApiException.class, (ex, ctx) -> error(ctx, ex.status(), ex.field(), ex.getMessage()));
        routes.exception(HttpResponseException.class, (ex, ctx) -> error(ctx, ex.getStatus(),
            ex.getStatus() == 413 ? "body" : null, ex.getStatus() == 413 ? "body: larger than " + config.maxBodyBytes() + " bytes" : ex.getMessage()));
        routes.exception(Exception.class, (ex, ctx) ->
        {
            System.err.println("gateway: unexpected " + ex);
            ex.printStackTrace(); // rare by design: the trace is what a fix needs
            try
            {
                error(ctx, 500, null, "internal error: " + ex.getClass().getSimpleName());
            }
            catch (final RuntimeException gone)
            {
                // the request is gone (its connection closed): nobody to answer
            }
        });
        routes.error(404, ctx ->
        {
            if (ctx.result() == null || ctx.result().isEmpty())
            {
                error(ctx, 404, null, "no such endpoint: " + ctx.method() + " " + ctx.path() + " (see /openapi.json)");
            }
        });
    }

    /** Before every request: body size, then who is calling, then that client's rate limit. */
    private void guard(final Context ctx)
    {
        final String path = ctx.path();
        if (ctx.contentLength() > config.maxBodyBytes())
        {
            throw new ApiException(413, "body", "body: " + ctx.contentLength() + " bytes, larger than " + config.maxBodyBytes());
        }
        if (!path.startsWith("/api/") || (path.equals("/api/session") && ctx.method() == HandlerType.POST))
        {
            return;
        }
        final String authorization = ctx.header("Authorization");
        Principal principal = null;
        if (authorization != null)
        {
            if (!authorization.startsWith("Bearer "))
            {
                throw new ApiException(401, "Authorization", "Authorization: must be 'Bearer <client>.<secret>'");
            }
            principal = authenticator.authenticate(authorization.substring("Bearer ".length()).trim());
        }
        else
        {
            principal = authenticator.session(ctx.cookie(SESSION_COOKIE));
            if (principal == null)
            {
                throw new ApiException(401, "Authorization", "Authorization: missing; send 'Authorization: Bearer <client>.<secret>' or log in");
            }
        }
        clientLimits.acquire(principal.clientId());
        ctx.attribute(PRINCIPAL, principal);
    }

    private void login(final Context ctx)
    {
        loginLimits.acquire("login from " + ctx.ip());
        final String key = GatewayApi.body(ctx).only("key").text("key", 200);
        final String token = authenticator.login(key);
        final Principal who = authenticator.session(token);
        ctx.header("Set-Cookie", SESSION_COOKIE + "=" + token + "; Path=/; Max-Age=" + Authenticator.SESSION_TTL_MS / 1000
            + "; HttpOnly; SameSite=Strict");
        ctx.json(Map.of("client", who.clientId(), "roles", who.roles()));
    }

    private static void error(final Context ctx, final int status, final String field, final String message)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        if (field != null)
        {
            out.put("field", field);
        }
        out.put("error", message);
        ctx.status(status).json(out);
    }

    private static void resource(final Context ctx, final String name, final String contentType)
    {
        try (InputStream in = GatewayServer.class.getResourceAsStream("/gateway/" + name))
        {
            if (in == null)
            {
                throw new ApiException(404, null, "missing resource " + name);
            }
            ctx.contentType(contentType).result(in.readAllBytes());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
