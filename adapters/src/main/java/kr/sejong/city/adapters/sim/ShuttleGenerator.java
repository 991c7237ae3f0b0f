package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.ShuttleMode;
import kr.sejong.city.codecs.ShuttleStateEncoder;
import kr.sejong.city.codecs.ShuttleType;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.FleetGroup;
import kr.sejong.city.config.Stop;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * ShuttleState of every shuttle of the fleet every {@value #INTERVAL_MS} ms. Nothing dispatches the
 * shuttles yet, so each stands idle at its group's depot, its battery drained slowly by standby loads
 * (but never below the group's reserve).
 */
final class ShuttleGenerator implements Generator
{
    static final long SALT = 0x53485554544C4553L; // "SHUTTLES"
    static final int INTERVAL_MS = 10_000;
    /** Standby drain of a parked electric vehicle (telematics, battery management, cabin), chosen. */
    static final double STANDBY_DRAIN_PERCENT_PER_HOUR = 0.4;
    /** A shuttle starts the run between these states of charge, percent. */
    static final double INITIAL_SOC_MIN_PERCENT = 85;
    static final double INITIAL_SOC_MAX_PERCENT = 100;

    private static final long INTERVAL_NS = INTERVAL_MS * 1_000_000L;

    private final int[] shuttleIds;
    private final ShuttleType[] types;
    private final int[] depotStopIds;
    private final int[] depotEastMm;
    private final int[] depotNorthMm;
    private final double[] reservePercent;
    private final double[] socPercent;
    private long lastNs = Long.MIN_VALUE;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ShuttleStateEncoder encoder = new ShuttleStateEncoder();

    ShuttleGenerator(final CityConfig config, final long seed)
    {
        final SplittableRandom random = RandomDraws.stream(seed, SALT);
        int count = 0;
        for (final FleetGroup group : config.mobility().fleet())
        {
            count += group.count();
        }
        shuttleIds = new int[count];
        types = new ShuttleType[count];
        depotStopIds = new int[count];
        depotEastMm = new int[count];
        depotNorthMm = new int[count];
        reservePercent = new double[count];
        socPercent = new double[count];
        int i = 0;
        for (final FleetGroup group : config.mobility().fleet())
        {
            final Stop depot = stop(config, group.depotStop());
            for (int k = 0; k < group.count(); k++, i++)
            {
                shuttleIds[i] = group.firstId() + k;
                types[i] = group.type() == FleetGroup.Type.ROAD ? ShuttleType.ROAD : ShuttleType.SIDEWALK;
                depotStopIds[i] = depot.id();
                depotEastMm[i] = LocalFrame.mm(depot.eastM());
                depotNorthMm[i] = LocalFrame.mm(depot.northM());
                reservePercent[i] = group.reservePercent();
                socPercent[i] = RandomDraws.uniform(random, INITIAL_SOC_MIN_PERCENT, INITIAL_SOC_MAX_PERCENT);
            }
        }
    }

    @Override
    public void step(final long fromNs, final long toNs, final FrameSink sink)
    {
        for (long timeNs = CityClock.firstBoundaryAtOrAfter(fromNs, INTERVAL_NS); timeNs < toNs; timeNs += INTERVAL_NS)
        {
            final long elapsedNs = lastNs == Long.MIN_VALUE ? 0 : timeNs - lastNs;
            lastNs = timeNs;
            for (int i = 0; i < shuttleIds.length; i++)
            {
                socPercent[i] = standbySocPercent(socPercent[i], reservePercent[i], elapsedNs);
                encoder.wrapAndApplyHeader(buffer, 0, header)
                    .shuttleId(shuttleIds[i])
                    .shuttleType(types[i])
                    .mode(ShuttleMode.IDLE)
                    .lastStopId(depotStopIds[i])
                    .speedCmPerS(0)
                    .socPermille((int)Math.round(socPercent[i] * 10.0))
                    .passengers((short)0)
                    .wheelchairs((short)0)
                    .planSeq(ShuttleStateEncoder.planSeqNullValue()); // nothing dispatches these shuttles
                encoder.position().eastMm(depotEastMm[i]).northMm(depotNorthMm[i]);
                sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
            }
        }
    }

    /** State of charge after standing idle for {@code elapsedNs}; never below the reserve (it would be charged). */
    static double standbySocPercent(final double socPercent, final double reservePercent, final long elapsedNs)
    {
        final double drained = socPercent - STANDBY_DRAIN_PERCENT_PER_HOUR * elapsedNs / CityClock.HOUR_NS;
        return Math.max(Math.min(socPercent, reservePercent), drained);
    }

    private static Stop stop(final CityConfig config, final int id)
    {
        for (final Stop stop : config.mobility().stops())
        {
            if (stop.id() == id)
            {
                return stop;
            }
        }
        throw new IllegalArgumentException("unknown stop " + id); // the config validator rules this out
    }
}
