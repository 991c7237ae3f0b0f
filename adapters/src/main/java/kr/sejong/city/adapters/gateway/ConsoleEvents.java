package kr.sejong.city.adapters.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.sse.SseClient;
import kr.sejong.city.config.Gateway.Center;
import kr.sejong.city.config.Gateway.Role;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The live feed of the screens, as server-sent events. A client gets a {@code snapshot} of every center it
 * may view when it connects, then {@code incident}, {@code dispatch}, {@code priority} and {@code reject}
 * events as they happen, and {@code traffic} and {@code energy} snapshots once a second (signals change
 * ten times a second per intersection: a screen needs no more). Each client sees only the centers it holds
 * a role in. Events are sent from one thread of their own, never from the egress reader's.
 */
final class ConsoleEvents implements AutoCloseable
{
    static final long PERIODIC_MS = 1000;

    private final LiveState state;
    private final Map<SseClient, Principal> clients = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<LiveState.Change> changes = new LinkedBlockingQueue<>(100_000);
    private final Thread thread = new Thread(this::run, "gateway-events");
    private volatile boolean running = true;

    ConsoleEvents(final LiveState state)
    {
        this.state = state;
        state.addListener(changes::offer);
        thread.setDaemon(true);
        thread.start();
    }

    void connect(final SseClient client, final Principal principal)
    {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        send(client, "hello", Map.of("client", principal.clientId(), "roles", principal.roles()));
        send(client, "snapshot", snapshot(principal));
        clients.put(client, principal);
    }

    /** What a principal may see now: one entry per center it holds a role in. */
    Map<String, Object> snapshot(final Principal principal)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        if (principal.can(Center.TRAFFIC, Role.VIEW))
        {
            out.put("traffic", state.traffic());
        }
        if (principal.can(Center.ENERGY, Role.VIEW))
        {
            out.put("energy", state.energy());
        }
        if (principal.can(Center.EMERGENCY, Role.VIEW))
        {
            out.put("emergency", state.emergency());
        }
        out.put("rejects", state.rejects());
        out.put("serverTimeMs", System.currentTimeMillis());
        return out;
    }

    int connected()
    {
        return clients.size();
    }

    @Override
    public void close()
    {
        running = false;
        thread.interrupt();
        try
        {
            thread.join(2000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final java.util.List<SseClient> open = new java.util.ArrayList<>(clients.keySet());
        clients.clear();
        for (final SseClient client : open)
        {
            try
            {
                client.close();
            }
            catch (final RuntimeException ignore)
            {
                // already closed by the browser
            }
        }
    }

    private void run()
    {
        long nextPeriodicMs = System.currentTimeMillis() + PERIODIC_MS;
        while (running)
        {
            try
            {
                final LiveState.Change change = changes.poll(Math.max(1, nextPeriodicMs - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (change != null)
                {
                    final String json = json(change.data());
                    clients.forEach((client, principal) ->
                    {
                        if (change.center() == null || principal.can(change.center(), Role.VIEW))
                        {
                            sendRaw(client, change.type(), json);
                        }
                    });
                }
                if (System.currentTimeMillis() >= nextPeriodicMs)
                {
                    nextPeriodicMs = System.currentTimeMillis() + PERIODIC_MS;
                    final String traffic = json(state.traffic());
                    final String energy = json(state.energy());
                    clients.forEach((client, principal) ->
                    {
                        if (principal.can(Center.TRAFFIC, Role.VIEW))
                        {
                            sendRaw(client, "traffic", traffic);
                        }
                        if (principal.can(Center.ENERGY, Role.VIEW))
                        {
                            sendRaw(client, "energy", energy);
                        }
                        sendRaw(client, "clock", "{\"serverTimeMs\":" + System.currentTimeMillis() + "}");
                    });
                }
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            catch (final RuntimeException ex)
            {
                System.err.println("gateway: event stream: " + ex);
            }
        }
    }

    private void send(final SseClient client, final String type, final Object data)
    {
        sendRaw(client, type, json(data));
    }

    private void sendRaw(final SseClient client, final String type, final String json)
    {
        if (client.terminated())
        {
            clients.remove(client);
            return;
        }
        try
        {
            client.sendEvent(type, json);
        }
        catch (final RuntimeException ex)
        {
            clients.remove(client);
            client.close();
        }
    }

    private static String json(final Object data)
    {
        try
        {
            return Body.MAPPER.writeValueAsString(data);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
