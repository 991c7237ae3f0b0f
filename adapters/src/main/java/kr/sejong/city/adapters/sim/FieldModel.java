package kr.sejong.city.adapters.sim;

import kr.sejong.city.config.CityConfig;

import java.util.Objects;

/**
 * A deterministic, seeded stand-in for the city's field devices and business systems: detectors,
 * shuttles, the microgrid, EV chargers, ride requests, video analytics and emergency calls, drawn from
 * the configuration and its {@code simulator} rates.
 * <p>
 * {@link #step(long, long, FrameSink)} emits the SBE frames of one logical interval, generator by
 * generator in a fixed order (detectors, shuttles, charger sessions, grid measurements, frequency,
 * ride requests, video events, calls, then the signalised intersections' lane observations at the
 * interval's end), each in time order. Time is epoch nanoseconds; the time of day is the city's
 * ({@code city.timeZone}).
 * <p>
 * The signalised intersections ({@link #signals()}) are the one part that reacts to the node: their
 * topologies go out once, before the first step ({@link #topologies(FrameSink)}), and the signal states
 * the node commands are applied between steps ({@link SignalizedField#show}).
 * <p>
 * Determinism: the same configuration, seed and sequence of steps (and the same signal states shown
 * between them) give byte-identical frames. Every
 * generator draws from its own {@link java.util.SplittableRandom}, the seed mixed with the generator's
 * constant, so adding a generator does not shift the others; only {@link StrictMath} is used for
 * transcendental functions; no clock is read and no hash order is iterated. Periodic messages fall on
 * multiples of their period since the epoch, whatever the step; Poisson arrivals are drawn per step, so
 * another step length gives another (equally plausible) sequence.
 * <p>
 * Not thread-safe: one model per thread. Frames are written into the generators' scratch buffers and
 * are valid only during the sink's call.
 */
public final class FieldModel implements FrameSource
{
    private final CityConfig config;
    private final long seed;
    private final VideoEventGenerator videoEvents;
    private final SignalizedField signals;
    private final Generator[] generators;
    private long lastToNs = Long.MIN_VALUE;

    /** A model seeded with the configuration's {@code simulator.seed}. */
    public FieldModel(final CityConfig config)
    {
        this(config, config.simulator().seed());
    }

    public FieldModel(final CityConfig config, final long seed)
    {
        this.config = Objects.requireNonNull(config, "config");
        this.seed = seed;
        final EvChargingGenerator ev = new EvChargingGenerator(config, seed);
        videoEvents = new VideoEventGenerator(config, seed);
        signals = new SignalizedField(config, seed);
        generators = new Generator[] {
            new DetectorGenerator(config, seed),
            new ShuttleGenerator(config, seed),
            ev,
            new GridGenerator(config, seed, ev),
            new FrequencyGenerator(config, seed),
            new RideRequestGenerator(config, seed),
            videoEvents,
            new CallEventGenerator(config, seed),
            signals };
    }

    /**
     * Emit the frames of the logical interval [fromNs, toNs) to {@code sink}.
     *
     * @throws IllegalArgumentException when the interval is empty or starts before the previous one ended.
     */
    @Override
    public void step(final long fromNs, final long toNs, final FrameSink sink)
    {
        if (toNs <= fromNs)
        {
            throw new IllegalArgumentException("empty step [" + fromNs + ", " + toNs + ")");
        }
        if (fromNs < lastToNs)
        {
            throw new IllegalArgumentException("step [" + fromNs + ", " + toNs + ") goes back before " + lastToNs);
        }
        lastToNs = toNs;
        for (final Generator generator : generators)
        {
            generator.step(fromNs, toNs, sink);
        }
    }

    /**
     * Emit one {@code IntersectionTopology} per signalised intersection, ascending id: what a run announces
     * before its first step.
     */
    @Override
    public void topologies(final FrameSink sink)
    {
        signals.topologies(sink);
    }

    /** The signalised intersections: their queues, the states they show, the delay they cause. */
    public SignalizedField signals()
    {
        return signals;
    }

    /**
     * Ground truth for scoring triage: whether the VideoEvent with this id was made as a false alarm
     * (the frame itself does not say so, as a real camera's would not).
     */
    public boolean isFalseAlarm(final long videoEventId)
    {
        return videoEvents.isFalseAlarm(videoEventId);
    }

    public CityConfig config()
    {
        return config;
    }

    public long seed()
    {
        return seed;
    }
}
