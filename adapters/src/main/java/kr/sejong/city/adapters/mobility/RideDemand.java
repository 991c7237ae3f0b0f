package kr.sejong.city.adapters.mobility;

import kr.sejong.city.adapters.sim.CityClock;
import kr.sejong.city.adapters.sim.LocalFrame;
import kr.sejong.city.adapters.sim.RandomDraws;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.config.Stop;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;

import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ride requests of a {@link ShuttleScenario}, drawn once and in full, as plain records in time order: the
 * same scenario and city give the same list, so an offline comparison (a jsprit solve of the same day) can take
 * exactly the requests the node was sent.
 * <ul>
 *   <li>Requests arrive as a Poisson process, {@code demand.peakPerHour} x the hourly profile, drawn minute by
 *   minute; a request whose time or earliest pickup falls outside {@code service} hours is not made (the app
 *   does not offer it).</li>
 *   <li>A trip joins home (a feeder stop; every served stop when the city has none) and a far end: a BRT
 *   station, a hotspot or another block, with the time of day's shares; it goes outward with the hour's
 *   outbound share, else it comes back home.</li>
 *   <li>A share of riders give a position near home instead of the home stop (the home stop when the nearest
 *   stop to that position is the trip's far end); a share cancel, at a time drawn
 *   between 30 s after the request and the earliest pickup.</li>
 *   <li>Ids count from 1 in request order; riders are drawn among the city's residents.</li>
 * </ul>
 */
public final class RideDemand
{
    static final long SALT = 0x5348555454444D44L; // "SHUTTDMD"
    /** The earliest a rider cancels after asking. */
    static final long CANCEL_AFTER_NS = 30 * CityClock.SECOND_NS;

    /**
     * One end of a ride: a stop, or a position when the rider gave one (then {@code stopId} is {@link #NO_STOP}).
     * A stop's position is the stop's.
     */
    public record Place(int stopId, double eastM, double northM)
    {
        public static final int NO_STOP = -1;

        public boolean isStop()
        {
            return stopId != NO_STOP;
        }
    }

    /**
     * One ride request as the rider makes it.
     *
     * @param requestId        unique, from 1 in request order.
     * @param riderId          a resident, 1 .. residents.
     * @param origin           where the rider is picked up.
     * @param destination      where the rider is dropped off.
     * @param requestNs        when the request is made, ns since the epoch.
     * @param earliestPickupNs when the rider is at the origin, at the earliest.
     * @param partySize        riders, wheelchair users included.
     * @param wheelchairs      of the party.
     * @param cancelNs         when the rider cancels, {@link #NOT_CANCELLED} when never.
     */
    public record Ride(long requestId, long riderId, Place origin, Place destination, long requestNs, long earliestPickupNs, int partySize,
        int wheelchairs, long cancelNs)
    {
        public static final long NOT_CANCELLED = -1;

        public boolean cancelled()
        {
            return cancelNs != NOT_CANCELLED;
        }
    }

    private final List<Ride> rides;
    private final long startNs;
    private final long endNs;

    public RideDemand(final CityConfig config, final ShuttleScenario scenario)
    {
        final ZoneId zoneId = ZoneId.of(config.city().timeZone());
        final ZoneRules zone = zoneId.getRules();
        startNs = scenario.startNs(zoneId);
        endNs = startNs + scenario.durationNs();
        final ShuttleScenario.Demand demand = scenario.demand();
        final Mobility.Service service = config.mobility().service();
        final SplittableRandom random = RandomDraws.stream(scenario.seed(), SALT);
        final ShuttleNetwork network = ShuttleNetwork.from(config);

        final List<Stop> served = new ArrayList<>();
        final List<Stop> feeders = new ArrayList<>();
        final List<Stop> brt = new ArrayList<>();
        final List<Stop> hotspots = new ArrayList<>();
        for (final Stop stop : config.mobility().stops())
        {
            switch (stop.kind())
            {
                case FEEDER -> feeders.add(stop);
                case BRT -> brt.add(stop);
                case HOTSPOT -> hotspots.add(stop);
                case DEPOT -> { }
            }
            if (stop.kind() != Stop.Kind.DEPOT)
            {
                served.add(stop);
            }
        }
        final Stop[] homes = (feeders.isEmpty() ? served : feeders).toArray(new Stop[0]);
        final Stop[][] farEnds = { brt.toArray(new Stop[0]), hotspots.toArray(new Stop[0]), homes };
        final double[] parties = new double[demand.partySizes().size()];
        for (int i = 0; i < parties.length; i++)
        {
            parties[i] = demand.partySizes().get(i);
        }
        final int residents = Math.max(1, config.city().residents());
        final long leadMinS = Math.round(demand.pickupLeadS().min());
        final long leadMaxS = Math.round(demand.pickupLeadS().max());
        final double[] point = new double[2];

        final List<Ride> drawn = new ArrayList<>();
        long[] times = new long[16];
        long nextId = 1;
        for (long minuteNs = startNs; minuteNs < endNs && homes.length > 0 && served.size() >= 2; minuteNs += CityClock.MINUTE_NS)
        {
            final long toNs = Math.min(endNs, minuteNs + CityClock.MINUTE_NS);
            final double midHour = CityClock.localHourOfDay(zone, minuteNs + (toNs - minuteNs) / 2);
            final double rate = demand.peakPerHour() * demand.profileAt(midHour);
            final int count = RandomDraws.poisson(random, rate * (toNs - minuteNs) / CityClock.HOUR_NS);
            if (count > times.length)
            {
                times = new long[Math.max(count, times.length * 2)];
            }
            for (int i = 0; i < count; i++)
            {
                times[i] = minuteNs + (long)(random.nextDouble() * (toNs - minuteNs));
            }
            Arrays.sort(times, 0, count);
            for (int i = 0; i < count; i++)
            {
                // every draw is made whether or not the request is kept, so one request's fate never shifts the next's
                final long requestNs = times[i];
                final double hour = CityClock.localHourOfDay(zone, requestNs);
                final long pickupNs = requestNs + (leadMinS + (long)(random.nextDouble() * (leadMaxS - leadMinS + 1))) * CityClock.SECOND_NS;
                final boolean outbound = RandomDraws.chance(random, demand.outboundShareAt(hour));
                final Stop home = homes[random.nextInt(homes.length)];
                final int kind = RandomDraws.weightedIndex(random, available(demand.destinations().at(hour).weights(), farEnds));
                final int pick = random.nextInt(1 << 20);
                final boolean atPosition = RandomDraws.chance(random, demand.positionShare());
                LocalFrame.pointInDisc(random, config.city().boundary(), home.eastM(), home.northM(), demand.positionRadiusM(), point);
                final int party = 1 + Math.max(0, RandomDraws.weightedIndex(random, parties));
                final int wheelchairs = RandomDraws.chance(random, demand.wheelchairShare()) ? 1 : 0;
                final long riderId = 1 + random.nextInt(residents);
                final boolean cancels = RandomDraws.chance(random, demand.cancelShare());
                final double cancelFraction = random.nextDouble();
                final double pickupHour = CityClock.localHourOfDay(zone, pickupNs);
                final Stop far = kind < 0 ? null : farEnd(farEnds[kind], pick, home);
                if (far == null || !inService(service, hour) || !inService(service, pickupHour) || pickupHour < hour)
                {
                    continue;
                }
                // a position whose nearest stop is the far end would be a ride from a stop to itself: the rider walks
                final int nearest = atPosition ? network.nearestRiderStop(point[0], point[1], service.maxWalkM()) : -1;
                final boolean position = atPosition && nearest >= 0 && network.nodeId(nearest) != far.id();
                final Place homeEnd = position ? new Place(Place.NO_STOP, point[0], point[1]) : new Place(home.id(), home.eastM(), home.northM());
                final Place farEnd = new Place(far.id(), far.eastM(), far.northM());
                final long cancelNs = cancels
                    ? requestNs + CANCEL_AFTER_NS + (long)(cancelFraction * Math.max(0, pickupNs - requestNs - CANCEL_AFTER_NS))
                    : Ride.NOT_CANCELLED;
                drawn.add(new Ride(nextId++, riderId, outbound ? homeEnd : farEnd, outbound ? farEnd : homeEnd, requestNs, pickupNs, party,
                    wheelchairs, cancelNs));
            }
        }
        rides = List.copyOf(drawn);
    }

    /** The requests in request order (ids 1, 2, ...). */
    public List<Ride> rides()
    {
        return rides;
    }

    public long startNs()
    {
        return startNs;
    }

    /** End of the requests' period (exclusive). */
    public long endNs()
    {
        return endNs;
    }

    public long cancellations()
    {
        return rides.stream().filter(Ride::cancelled).count();
    }

    /** The shares with a kind that has no stop (another block needs two homes) set to 0. */
    private static double[] available(final double[] shares, final Stop[][] farEnds)
    {
        final double[] weights = shares.clone();
        for (int kind = 0; kind < weights.length; kind++)
        {
            if (farEnds[kind].length <= (kind == 2 ? 1 : 0))
            {
                weights[kind] = 0;
            }
        }
        return weights;
    }

    /** A stop of {@code candidates} other than home, chosen by {@code pick}; null when home is the only one. */
    private static Stop farEnd(final Stop[] candidates, final int pick, final Stop home)
    {
        final int index = pick % candidates.length;
        final Stop stop = candidates[index].id() != home.id() ? candidates[index] : candidates[(index + 1) % candidates.length];
        return stop.id() != home.id() ? stop : null;
    }

    private static boolean inService(final Mobility.Service service, final double hourOfDay)
    {
        return hourOfDay >= service.serviceStartHour() && hourOfDay < service.serviceEndHour();
    }
}
