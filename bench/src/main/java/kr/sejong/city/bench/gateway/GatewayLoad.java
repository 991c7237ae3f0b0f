package kr.sejong.city.bench.gateway;

import kr.sejong.city.bench.GeneratorProcess;
import kr.sejong.city.bench.e2e.GeneratorResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Ride requests at a fixed rate through the gateway's HTTP API, on loopback, with java.net.http (HTTP/1.1,
 * open loop): the latency of each is measured from the moment it was due to be sent (not from when it was
 * sent) to its 202, so a stall on either side counts against the figures (no coordinated omission). Each
 * request has a different rider and a random pair of the city's stops (seeded: every run asks the same).
 * <p>
 * It runs in a JVM of its own ({@link #spawn}, {@link GeneratorProcess}), so that its HTTP client's threads,
 * allocation and collections are not charged to the gateway; how late it sent each request after its due time
 * is recorded too ({@link GeneratorResult#sendLagNs()}), to tell a starved generator from a slow gateway.
 */
public final class GatewayLoad
{
    /** The generator's JVM: small, with a collector of short pauses, so its own pauses stay out of the figures. */
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
     * @param dir      where the generator writes its result and log.
     */
    public static GeneratorResult spawn(final String base, final String key, final int[] stopIds, final int rate, final int seconds,
        final int warmupS, final Path dir, final Consumer<String> say) throws IOException, InterruptedException
    {
        Files.createDirectories(dir);
        final List<String> args = new ArrayList<>(List.of("base=" + base, "key=" + key,
            "stops=" + Arrays.stream(stopIds).mapToObj(Integer::toString).collect(Collectors.joining(",")),
            "rate=" + rate, "seconds=" + seconds, "warmup=" + warmupS));
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
                Integer.parseInt(args.get("seconds")), Integer.parseInt(args.get("warmup")));
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
        final int warmupS) throws InterruptedException
    {
        if (stopIds.length < 2 || rate < 1 || seconds < 1 || warmupS < 0)
        {
            throw new IllegalArgumentException("gateway load: needs two stops, rate >= 1, seconds >= 1, warmup >= 0");
        }
        final ExecutorService executor = Executors.newFixedThreadPool(2, r ->
        {
            final Thread thread = new Thread(r, "load-http");
            thread.setDaemon(true);
            return thread;
        });
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
            .connectTimeout(Duration.ofSeconds(5)).build();
        final URI uri = URI.create(base + "/api/rides");
        final String authorization = "Bearer " + key;
        final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        final Histogram sendLag = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicLong replies = new AtomicLong();
        final AtomicLong measuredReplies = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong inFlight = new AtomicLong();
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
            final HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            inFlight.incrementAndGet();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) ->
            {
                final long doneNs = System.nanoTime();
                if (error == null && response.statusCode() == 202)
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
                    refused.incrementAndGet();
                }
                inFlight.decrementAndGet();
            });
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (inFlight.get() > 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        final long unanswered = inFlight.get();
        executor.shutdownNow();
        final Histogram histogram = latency.getIntervalHistogram();
        final double measuredS = (endDueNs - measureStartNs) / 1e9;
        return new GeneratorResult(rate, measuredS, total, replies.get(), total - warmup, measuredReplies.get(), unanswered, refused.get(),
            0, 0, measuredReplies.get() / measuredS, histogram, sendLag);
    }
}
