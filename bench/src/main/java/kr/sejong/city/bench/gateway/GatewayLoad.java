package kr.sejong.city.bench.gateway;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Ride requests at a fixed rate through the gateway's HTTP API, on loopback, with java.net.http: the
 * latency of each is measured from the moment it was due to be sent (not from when it was sent) to its
 * 202, so a stall on either side counts against the figures (no coordinated omission). Each request has
 * a different rider and a random pair of the city's stops.
 */
public final class GatewayLoad
{
    /** What a run measured. */
    public record Result(long sent, long accepted, long failed, double seconds, Histogram latencyNs)
    {
        public double ratePerS()
        {
            return accepted / seconds;
        }
    }

    private GatewayLoad()
    {
    }

    /**
     * @param base     the gateway, e.g. {@code http://127.0.0.1:8080}.
     * @param key      a key with operate in traffic.
     * @param stopIds  stops to pick origins and destinations from (at least two).
     * @param rate     requests per second.
     * @param seconds  how long to measure (after {@code warmupS} of the same load, not recorded).
     */
    public static Result run(final String base, final String key, final int[] stopIds, final int rate, final int seconds, final int warmupS)
        throws InterruptedException
    {
        final ExecutorService executor = Executors.newFixedThreadPool(4, r ->
        {
            final Thread thread = new Thread(r, "load-http");
            thread.setDaemon(true);
            return thread;
        });
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
            .connectTimeout(Duration.ofSeconds(5)).build();
        final URI uri = URI.create(base + "/api/rides");
        final Recorder recorder = new Recorder(3);
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong inFlight = new AtomicLong();
        final java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        final long periodNs = 1_000_000_000L / rate;
        final long total = (long)rate * (warmupS + seconds);
        final long warmup = (long)rate * warmupS;
        final long startNs = System.nanoTime();
        long measureStartNs = startNs;
        for (long i = 0; i < total; i++)
        {
            final long dueNs = startNs + i * periodNs;
            if (i == warmup)
            {
                measureStartNs = dueNs;
            }
            long now;
            while ((now = System.nanoTime()) < dueNs)
            {
                LockSupport.parkNanos(Math.min(dueNs - now, 200_000));
            }
            final int origin = stopIds[random.nextInt(stopIds.length)];
            int destination = stopIds[random.nextInt(stopIds.length)];
            while (destination == origin)
            {
                destination = stopIds[random.nextInt(stopIds.length)];
            }
            final String body = "{\"riderId\": " + (i + 1) + ", \"origin\": {\"stopId\": " + origin + "}, \"destination\": {\"stopId\": "
                + destination + "}, \"partySize\": 1}";
            final HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            inFlight.incrementAndGet();
            final boolean measured = i >= warmup;
            final CompletableFuture<HttpResponse<Void>> reply = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            reply.whenComplete((response, error) ->
            {
                final long latencyNs = System.nanoTime() - dueNs;
                if (measured && error == null && response.statusCode() == 202)
                {
                    accepted.incrementAndGet();
                    recorder.recordValue(Math.max(1, latencyNs));
                }
                else if (measured)
                {
                    failed.incrementAndGet();
                }
                inFlight.decrementAndGet();
            });
        }
        final long endDueNs = startNs + total * periodNs;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (inFlight.get() > 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        final double measuredS = (endDueNs - measureStartNs) / 1e9;
        final Histogram histogram = recorder.getIntervalHistogram();
        executor.shutdownNow();
        return new Result((long)rate * seconds, accepted.get(), failed.get() + inFlight.get(), measuredS, histogram);
    }
}
