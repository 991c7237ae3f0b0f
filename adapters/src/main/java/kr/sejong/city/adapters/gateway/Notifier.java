package kr.sejong.city.adapters.gateway;

import kr.sejong.city.config.Agency;
import kr.sejong.city.config.Gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers what the node decided to the business systems outside: Notifications and Dispatches to the
 * 112/119 agencies and hospitals, Settlements to the energy business system. Each receiver has its own
 * queue and thread: a delivery is POSTed as JSON with an {@code Idempotency-Key} header, retried with
 * capped exponential backoff until the receiver answers 2xx (or 409: it already has it), and only then is
 * the next one sent. So a receiver that was down gets every delivery, in order, and by deduplicating on the
 * key (an attempt that timed out may have arrived) exactly once in effect.
 * <p>
 * A 4xx other than 408, 409 and 429 is the receiver refusing the content: retrying cannot help, so the
 * delivery is counted as refused and the queue moves on. Queues live in memory: what a gateway had not
 * delivered when it stopped stays in the node's egress journal but is not re-sent by the next gateway.
 */
public final class Notifier implements AutoCloseable
{
    /** One POST: its idempotency key and JSON body. */
    public record Delivery(String idempotencyKey, String json)
    {
    }

    private final Map<Agency.Kind, Receiver> agencies = new EnumMap<>(Agency.Kind.class);
    private final Map<Integer, Receiver> hospitals = new TreeMap<>();
    private final Receiver settlement;
    private final List<Receiver> all = new ArrayList<>();
    private final HttpClient http;

    public Notifier(final Gateway.Notifications config)
    {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(config.retry().timeoutMs())).version(HttpClient.Version.HTTP_1_1).build();
        for (final Gateway.Endpoint endpoint : config.endpoints())
        {
            final Receiver receiver = new Receiver(endpoint.name(), URI.create(endpoint.url()), config.retry());
            all.add(receiver);
            if (endpoint.agency() != null)
            {
                agencies.put(endpoint.agency(), receiver);
            }
            else
            {
                hospitals.put(endpoint.hospitalId(), receiver);
            }
        }
        settlement = config.settlement() == null ? null : new Receiver("settlement", URI.create(config.settlement()), config.retry());
        if (settlement != null)
        {
            all.add(settlement);
        }
        all.forEach(Receiver::start);
    }

    /** Queues a delivery to an agency; returns false when no endpoint is configured for it. */
    public boolean toAgency(final Agency.Kind agency, final Delivery delivery)
    {
        return offer(agencies.get(agency), delivery);
    }

    public boolean toHospital(final int hospitalId, final Delivery delivery)
    {
        return offer(hospitals.get(hospitalId), delivery);
    }

    public boolean toSettlement(final Delivery delivery)
    {
        return offer(settlement, delivery);
    }

    /** Per receiver: name, delivered, attempts failed, refused, waiting. */
    public List<Map<String, Object>> status()
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Receiver receiver : all)
        {
            final Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("name", receiver.name);
            row.put("delivered", receiver.delivered.get());
            row.put("failedAttempts", receiver.failedAttempts.get());
            row.put("refused", receiver.refused.get());
            row.put("waiting", receiver.queue.size());
            out.add(row);
        }
        return out;
    }

    @Override
    public void close()
    {
        all.forEach(Receiver::stop);
    }

    private static boolean offer(final Receiver receiver, final Delivery delivery)
    {
        if (receiver == null)
        {
            return false;
        }
        receiver.queue.add(delivery);
        return true;
    }

    private final class Receiver implements Runnable
    {
        final String name;
        final URI uri;
        final Gateway.Retry retry;
        final LinkedBlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failedAttempts = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final Thread thread;
        volatile boolean running = true;

        Receiver(final String name, final URI uri, final Gateway.Retry retry)
        {
            this.name = name;
            this.uri = uri;
            this.retry = retry;
            this.thread = new Thread(this, "gateway-notify-" + name);
            this.thread.setDaemon(true);
        }

        void start()
        {
            thread.start();
        }

        void stop()
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
        }

        @Override
        public void run()
        {
            try
            {
                while (running)
                {
                    final Delivery delivery = queue.take();
                    long backoffMs = retry.initialBackoffMs();
                    while (running && !attempt(delivery))
                    {
                        failedAttempts.incrementAndGet();
                        TimeUnit.MILLISECONDS.sleep(backoffMs);
                        backoffMs = Math.min(retry.maxBackoffMs(), backoffMs * 2);
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        /** True when the delivery is done with (delivered, or refused for good). */
        private boolean attempt(final Delivery delivery) throws InterruptedException
        {
            final HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(retry.timeoutMs()))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", delivery.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(delivery.json()))
                .build();
            try
            {
                final int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2 || status == 409)
                {
                    delivered.incrementAndGet();
                    return true;
                }
                if (status / 100 == 4 && status != 408 && status != 429)
                {
                    refused.incrementAndGet();
                    System.err.println("gateway: " + name + " refused " + delivery.idempotencyKey() + " with HTTP " + status + "; not retried");
                    return true;
                }
                return false;
            }
            catch (final java.io.IOException ex)
            {
                return false; // down, refused, reset or timed out: try again after the backoff
            }
        }
    }
}
