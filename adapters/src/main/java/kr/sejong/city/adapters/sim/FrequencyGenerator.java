package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.FrequencyMeasurementEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.config.CityConfig;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * FrequencyMeasurement of the PCC meter with every grid measurement set: the nominal frequency with
 * small noise (a mean-reverting wander kept within +-{@value #NOISE_LIMIT_MILLI_HZ} mHz) and, now and
 * then ({@value #DIPS_PER_DAY} a day on average), the dip of a large generator tripping somewhere in
 * the interconnection: a fall to the nadir in {@value #DIP_FALL_S} s and an exponential recovery.
 */
final class FrequencyGenerator implements Generator
{
    static final long SALT = 0x4652455155454E43L; // "FREQUENC"

    static final double NOISE_STDDEV_MILLI_HZ = 6;
    static final double NOISE_CORRELATION_S = 10;
    static final double NOISE_LIMIT_MILLI_HZ = 20;
    static final double DIPS_PER_DAY = 1.0;
    static final double DIP_MIN_MILLI_HZ = 100;
    static final double DIP_MAX_MILLI_HZ = 250;
    static final double DIP_FALL_S = 6;
    static final double DIP_RECOVERY_S = 40;
    /** After this long a dip has recovered to well inside the noise. */
    static final double DIP_END_S = 300;

    private final SplittableRandom random;
    private final long intervalNs;
    private final int meterId;
    private final double nominalMilliHz;
    private final Arrivals dips = new Arrivals();
    private double noiseMilliHz;
    private long dipStartNs = Long.MIN_VALUE;
    private double dipDepthMilliHz;
    private long lastNs = Long.MIN_VALUE;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final FrequencyMeasurementEncoder encoder = new FrequencyMeasurementEncoder();

    FrequencyGenerator(final CityConfig config, final long seed)
    {
        random = RandomDraws.stream(seed, SALT);
        intervalNs = config.simulator().gridMeasurementIntervalMs() * 1_000_000L;
        meterId = config.energy().pcc().id();
        nominalMilliHz = config.energy().pcc().nominalFrequencyHz() * 1000.0;
    }

    @Override
    public void step(final long fromNs, final long toNs, final FrameSink sink)
    {
        final int newDips = dips.draw(random, DIPS_PER_DAY / 24.0, fromNs, toNs);
        if (newDips > 0)
        {
            dipStartNs = dips.timeNs(0);
            dipDepthMilliHz = RandomDraws.uniform(random, DIP_MIN_MILLI_HZ, DIP_MAX_MILLI_HZ);
        }
        for (long timeNs = CityClock.firstBoundaryAtOrAfter(fromNs, intervalNs); timeNs < toNs; timeNs += intervalNs)
        {
            final long elapsedNs = lastNs == Long.MIN_VALUE ? intervalNs : timeNs - lastNs;
            lastNs = timeNs;
            noiseMilliHz = Math.max(-NOISE_LIMIT_MILLI_HZ, Math.min(NOISE_LIMIT_MILLI_HZ, GridGenerator.meanReverting(
                noiseMilliHz, 0.0, NOISE_STDDEV_MILLI_HZ, NOISE_CORRELATION_S, elapsedNs, RandomDraws.gaussian(random))));
            final double dip = dipStartNs == Long.MIN_VALUE ? 0.0 :
                dipMilliHz(dipDepthMilliHz, (double)(timeNs - dipStartNs) / CityClock.SECOND_NS);
            encoder.wrapAndApplyHeader(buffer, 0, header)
                .meterId(meterId)
                .frequencyMilliHz((int)Math.round(nominalMilliHz + noiseMilliHz + dip))
                .measuredAtNs(timeNs);
            sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        }
    }

    /**
     * Frequency deviation of a dip {@code sinceS} seconds after it started, mHz (negative): a linear
     * fall to {@code -depthMilliHz} in {@value #DIP_FALL_S} s, then an exponential recovery; 0 before
     * the dip and after {@value #DIP_END_S} s.
     */
    static double dipMilliHz(final double depthMilliHz, final double sinceS)
    {
        if (sinceS < 0 || sinceS >= DIP_END_S)
        {
            return 0.0;
        }
        if (sinceS < DIP_FALL_S)
        {
            return -depthMilliHz * sinceS / DIP_FALL_S;
        }
        return -depthMilliHz * StrictMath.exp(-(sinceS - DIP_FALL_S) / DIP_RECOVERY_S);
    }
}
