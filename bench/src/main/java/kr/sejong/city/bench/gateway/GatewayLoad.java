package kr.sejong.city.bench.gateway;

import kr.sejong.city.bench.GeneratorProcess;
import kr.sejong.city.bench.e2e.GeneratorResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Ride requests at a fixed rate through the gateway's HTTP API, on loopback, with Jetty's HTTP client: HTTP/1.1,
 * open loop, at most {@code connections} keep-alive connections (as a proxy or a client library in front of a
 * service keeps them; requests beyond those wait in the client's queue, and the wait counts). The latency of each
 * request is measured from the moment it was due to be sent (not from when it was sent) to its 202, so a stall on
 * either side counts against the figures (no coordinated omission). Each request has a different rider and a
 * random pair of the city's stops (seeded: every run asks the same).
 * <p>
 * Not java.net.http: its HTTP/1.1 pool has no bound, so after any stall it opened a connection per waiting request
 * (5,466 at once in one run), each costing the server a new connection, which made the next stall longer.
 * <p>
 * It runs in a JVM of its own ({@link #spawn}, {@link GeneratorProcess}), so that its HTTP client's threads,
 * allocation and collections are not charged to the gateway; how late it sent each request after its due time
 * is recorded too ({@link GeneratorResult#sendLagNs()}), to tell a starved generator from a slow gateway.
 */
public final class GatewayLoad
{
    /** The generator's JVM: a small fixed heap, so that its own young collections stay short. */
    public static final List<String> JVM_OPTIONS = List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch");

    private GatewayLoad()
    {
    }

    /**
     * Runs the generator in its own JVM and waits for it.
     *
     * @param base     the gateway, e.g. {@code http://127.0.0.1:8080}.
     * @param key      a key with operate in traffic.
     * @param stopIds  stops to pick origins and destinations from (at least two).
     * @param rate     requests per second.
     * @param seconds  how long to measure (after {@code warmupS} of the same load, not recorded).
     * @param connections the most keep-alive connections the client opens.
     * @param dir      where the generator writes its result and log.
     */
    public static GeneratorResult spawn(final String base, final String key, final int[] stopIds, final int rate, final int seconds,
        final int warmupS, final int connections, final Path dir, final Consumer<String> say) throws IOException, InterruptedException
    {
        Files.createDirectories(dir);
        final List<String> args = new ArrayList<>(List.of("base=" + base, "key=" + key,
            "stops=" + Arrays.stream(stopIds).mapToObj(Integer::toString).collect(Collectors.joining(",")),
            "rate=" + rate, "seconds=" + seconds, "warmup=" + warmupS, "connections=" + connections));
        final GeneratorProcess process = GeneratorProcess.start(GatewayLoad.class, JVM_OPTIONS, args, dir);
        return process.await(TimeUnit.SECONDS.toMillis(warmupS + seconds + 60L), say);
    }

    public static void main(final String[] argv)
    {
        final Map<String, String> args = GeneratorProcess.arguments("gateway load", argv);
        try
        {
            final int[] stops = Arrays.stream(args.get("stops").split(",")).mapToInt(Integer::parseInt).toArray();
            final GeneratorResult result = run(args.get("base"), args.get("key"), stops, Integer.parseInt(args.get("rate")),
                Integer.parseInt(args.get("seconds")), Integer.parseInt(args.get("warmup")), Integer.parseInt(args.get("connections")));
            result.write(Path.of(args.get("out")));
            System.exit(0);
        }
        catch (final Throwable ex)
        {
            ex.printStackTrace();
            System.exit(1);
        }
    }

    /** The generator itself, in the calling JVM (tests; {@link #spawn} for measurements). */
    public static GeneratorResult run(final String base, final String key, final int[] stopIds, final int rate, final int seconds,
        final int warmupS, final int connections) throws Exception
    {
        if (stopIds.length < 2 || rate < 1 || seconds < 1 || warmupS < 0 || connections < 1)
        {
            throw new IllegalArgumentException("gateway load: needs two stops, rate >= 1, seconds >= 1, warmup >= 0, connections >= 1");
        }
        final HttpClient http = new HttpClient();
        http.setMaxConnectionsPerDestination(connections);
        http.setMaxRequestsQueuedPerDestination(rate * (warmupS + seconds + 1));
        http.setConnectTimeout(5_000);
        http.setFollowRedirects(false);
        http.setUserAgentField(null);
        http.start();
        try
        {
            return run(http, base, key, stopIds, rate, seconds, warmupS);
        }
        finally
        {
            http.stop();
        }
    }

    private static GeneratorResult run(final HttpClient http, final String base, final String key, final int[] stopIds, final int rate,
        final int seconds, final int warmupS) throws InterruptedException
    {
        final URI uri = URI.create(base + "/api/rides");
        final String authorization = "Bearer " + key;
        final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        final Histogram sendLag = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicLong replies = new AtomicLong();
        final AtomicLong measuredReplies = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong inFlight = new AtomicLong();
        final Map<String, AtomicLong> refusals = new ConcurrentSkipListMap<>();
        final SplittableRandom random = new SplittableRandom(42);
        final long periodNs = 1_000_000_000L / rate;
        final long total = (long)rate * (warmupS + seconds);
        final long warmup = (long)rate * warmupS;
        final long startNs = System.nanoTime();
        final long measureStartNs = startNs + warmup * periodNs;
        final long endDueNs = startNs + total * periodNs;
        for (long i = 0; i < total; i++)
        {
            final long dueNs = startNs + i * periodNs;
            long now;
            while ((now = System.nanoTime()) < dueNs)
            {
                LockSupport.parkNanos(Math.min(dueNs - now, 200_000));
            }
            final boolean measured = i >= warmup;
            if (measured)
            {
                sendLag.recordValue(Math.max(0, now - dueNs));
            }
            final int origin = stopIds[random.nextInt(stopIds.length)];
            int destination = stopIds[random.nextInt(stopIds.length)];
            while (destination == origin)
            {
                destination = stopIds[random.nextInt(stopIds.length)];
            }
            final String body = "{\"riderId\": " + (i + 1) + ", \"origin\": {\"stopId\": " + origin + "}, \"destination\": {\"stopId\": "
                + destination + "}, \"partySize\": 1}";
            inFlight.incrementAndGet();
            http.newRequest(uri).method(HttpMethod.POST).timeout(10, TimeUnit.SECONDS)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, authorization))
                .body(new StringRequestContent("application/json", body))
                .send(result ->
                {
                    final long doneNs = System.nanoTime();
                    final int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
                    if (!result.isFailed() && status == 202)
                    {
                        replies.incrementAndGet();
                        if (measured)
                        {
                            latency.recordValue(Math.max(1, doneNs - dueNs));
                            measuredReplies.incrementAndGet();
                        }
                    }
                    else
                    {
                        if (measured)
                        {
                            refused.incrementAndGet();
                        }
                        final String why = result.isFailed() ? result.getFailure().getClass().getSimpleName() : "HTTP " + status;
                        refusals.computeIfAbsent(why, k -> new AtomicLong()).incrementAndGet();
                    }
                    inFlight.decrementAndGet();
                });
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (inFlight.get() > 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        if (!refusals.isEmpty())
        {
            System.err.println("gateway load: not 202 (warm-up included): " + refusals);
        }
        final long unanswered = inFlight.get();
        final Histogram histogram = latency.getIntervalHistogram();
        final double measuredS = (endDueNs - measureStartNs) / 1e9;
        return new GeneratorResult(rate, measuredS, total, replies.get(), total - warmup, measuredReplies.get(), unanswered, refused.get(),
            0, 0, measuredReplies.get() / measuredS, histogram, sendLag);
    }
}
