package kr.sejong.city.adapters.sim;

import java.util.SplittableRandom;

/**
 * The random draws of the field model, as pure functions of a {@link SplittableRandom}. Only
 * {@link StrictMath} is used, so the same seed gives the same numbers on every JVM and CPU.
 */
public final class RandomDraws
{
    /** Knuth's product method is exact; above this mean a draw is split into smaller ones. */
    private static final double POISSON_CHUNK_MEAN = 30.0;

    private RandomDraws()
    {
    }

    /**
     * The random stream of one generator: the model's seed mixed with the generator's own constant,
     * so that adding or changing one generator leaves the draws of all the others unchanged.
     */
    public static SplittableRandom stream(final long seed, final long generatorSalt)
    {
        return new SplittableRandom(seed ^ generatorSalt);
    }

    /**
     * A Poisson-distributed count with the given mean. Exact for any mean: a large mean is the sum of
     * independent draws of at most {@value #POISSON_CHUNK_MEAN} (the sum of Poisson variables is Poisson).
     */
    public static int poisson(final SplittableRandom random, final double mean)
    {
        if (!(mean >= 0) || Double.isInfinite(mean))
        {
            throw new IllegalArgumentException("mean must be finite and >= 0, was " + mean);
        }
        int count = 0;
        double remaining = mean;
        while (remaining > 0)
        {
            final double chunk = Math.min(remaining, POISSON_CHUNK_MEAN);
            count += knuthPoisson(random, chunk);
            remaining -= chunk;
        }
        return count;
    }

    private static int knuthPoisson(final SplittableRandom random, final double mean)
    {
        final double limit = StrictMath.exp(-mean);
        int count = 0;
        double product = random.nextDouble();
        while (product > limit)
        {
            count++;
            product *= random.nextDouble();
        }
        return count;
    }

    /** A standard normal draw (Box-Muller; one of the pair is used, so a draw always takes two uniforms). */
    public static double gaussian(final SplittableRandom random)
    {
        final double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
        final double u2 = random.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** Uniform in [min, max). */
    public static double uniform(final SplittableRandom random, final double min, final double max)
    {
        return min + (max - min) * random.nextDouble();
    }

    /** True with the given probability. */
    public static boolean chance(final SplittableRandom random, final double probability)
    {
        return random.nextDouble() < probability;
    }

    /** Index i drawn with probability weights[i] / sum; -1 when every weight is zero. */
    public static int weightedIndex(final SplittableRandom random, final double[] weights)
    {
        double total = 0;
        for (final double weight : weights)
        {
            total += weight;
        }
        if (!(total > 0))
        {
            return -1;
        }
        final double target = random.nextDouble() * total;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < weights.length; i++)
        {
            if (weights[i] > 0)
            {
                cumulative += weights[i];
                last = i;
                if (target < cumulative)
                {
                    return i;
                }
            }
        }
        return last; // rounding at the very top
    }
}
