package kr.sejong.city.bench.mobility;

import kr.sejong.city.config.Stop;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A plausible morning peak of ride requests, seeded: residents ride from the feeder stops (their blocks) to the BRT
 * (mostly one of the two stations nearest their block) or to the hotspots, and some BRT arrivals ride on to the
 * hotspots. Earliest pickups spread over the span, denser in its middle (triangular). Parties of 1 (80 %), 2 (15 %)
 * or 3 (5 %); 2 % of the requests bring a wheelchair. Every request has a group that reaches both of its stops.
 */
public final class MorningPeak
{
    /** Share of requests from a feeder stop; the rest start at a BRT station. */
    private static final double FROM_FEEDER = 0.8;
    /** Of the feeder requests, the share going to the BRT; the rest go to a hotspot. */
    private static final double FEEDER_TO_BRT = 0.6;
    private static final double NEAREST_BRT = 0.7;
    private static final double WHEELCHAIR = 0.02;

    private MorningPeak()
    {
    }

    /**
     * @param count   requests, ids 1..count in order of earliest pickup.
     * @param firstS  earliest pickup of the first possible request, seconds from the scenario start.
     * @param spanS   the pickups spread over [firstS, firstS + spanS).
     */
    public static List<OfflineRequest> generate(final ShuttleNetwork network, final int count, final long seed, final long firstS, final long spanS)
    {
        final List<Integer> feeders = new ArrayList<>();
        final List<Integer> brts = new ArrayList<>();
        final List<Integer> hotspots = new ArrayList<>();
        for (int i = 0; i < network.stopCount(); i++)
        {
            final Stop.Kind kind = network.stopKind(i);
            if (kind == Stop.Kind.FEEDER)
            {
                feeders.add(i);
            }
            else if (kind == Stop.Kind.BRT)
            {
                brts.add(i);
            }
            else if (kind == Stop.Kind.HOTSPOT)
            {
                hotspots.add(i);
            }
        }
        if (feeders.isEmpty() || brts.isEmpty() || hotspots.isEmpty())
        {
            throw new IllegalArgumentException("the network needs feeder, BRT and hotspot stops");
        }
        final Random random = new Random(seed);
        final long[] earliest = new long[count];
        for (int k = 0; k < count; k++)
        {
            earliest[k] = firstS + (long)((random.nextDouble() + random.nextDouble()) / 2 * spanS);
        }
        Arrays.sort(earliest);
        final List<OfflineRequest> requests = new ArrayList<>(count);
        for (int k = 0; k < count; k++)
        {
            int origin;
            int destination;
            do
            {
                if (random.nextDouble() < FROM_FEEDER)
                {
                    origin = pick(feeders, random);
                    destination = random.nextDouble() < FEEDER_TO_BRT ? nearBrt(network, brts, origin, random) : pick(hotspots, random);
                }
                else
                {
                    origin = pick(brts, random);
                    destination = pick(hotspots, random);
                }
            }
            while (origin == destination || !servable(network, origin, destination));
            final double u = random.nextDouble();
            final int party = u < 0.80 ? 1 : u < 0.95 ? 2 : 3;
            final int wheelchairs = random.nextDouble() < WHEELCHAIR ? 1 : 0;
            requests.add(new OfflineRequest(k + 1, network.nodeId(origin), network.nodeId(destination), earliest[k], party, wheelchairs));
        }
        return requests;
    }

    private static int pick(final List<Integer> stops, final Random random)
    {
        return stops.get(random.nextInt(stops.size()));
    }

    private static int nearBrt(final ShuttleNetwork network, final List<Integer> brts, final int from, final Random random)
    {
        final List<Integer> byDistance = new ArrayList<>(brts);
        byDistance.sort(Comparator.comparingDouble(b -> Math.hypot(network.eastM(b) - network.eastM(from), network.northM(b) - network.northM(from))));
        if (byDistance.size() == 1)
        {
            return byDistance.get(0);
        }
        return random.nextDouble() < NEAREST_BRT ? byDistance.get(0) : byDistance.get(1);
    }

    private static boolean servable(final ShuttleNetwork network, final int origin, final int destination)
    {
        for (int g = 0; g < network.groupCount(); g++)
        {
            final int depot = network.stopIndex(network.group(g).depotStop());
            if (network.reachable(g, depot, origin) && network.reachable(g, origin, destination))
            {
                return true;
            }
        }
        return false;
    }
}
