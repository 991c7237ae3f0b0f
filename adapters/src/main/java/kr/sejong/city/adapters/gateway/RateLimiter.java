package kr.sejong.city.adapters.gateway;

import kr.sejong.city.config.Gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Token buckets, one per client (or per address for logins). Written here rather than taken from a
 * library: it is twenty lines, and the buckets' parameters come from the city configuration.
 */
public final class RateLimiter
{
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Function<String, Gateway.RateLimit> limits;

    /** @param limits the limit for a key (a client id). */
    public RateLimiter(final Function<String, Gateway.RateLimit> limits)
    {
        this.limits = limits;
    }

    /**
     * Takes a token for the key.
     *
     * @throws ApiException 429 when the bucket is empty.
     */
    public void acquire(final String key)
    {
        final Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(limits.apply(k)));
        final long waitMs = bucket.take(System.nanoTime());
        if (waitMs >= 0)
        {
            throw new ApiException(429, null, "rate limit: " + key + " may send " + bucket.perSecond
                + " requests per second (burst " + bucket.capacity + "); retry in " + Math.max(1, waitMs) + " ms");
        }
    }

    private static final class Bucket
    {
        private final double perSecond;
        private final double capacity;
        private double tokens;
        private long lastNs;

        Bucket(final Gateway.RateLimit limit)
        {
            this.perSecond = limit.requestsPerSecond();
            this.capacity = limit.burst();
            this.tokens = capacity;
            this.lastNs = System.nanoTime();
        }

        /** -1 when a token was taken, else the milliseconds until one is there. */
        synchronized long take(final long nowNs)
        {
            tokens = Math.min(capacity, tokens + (nowNs - lastNs) * perSecond / 1e9);
            lastNs = nowNs;
            if (tokens >= 1)
            {
                tokens -= 1;
                return -1;
            }
            return (long)Math.ceil((1 - tokens) * 1000 / perSecond);
        }
    }
}
