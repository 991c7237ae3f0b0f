package kr.sejong.city.adapters.sim;

import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.PositionEncoder;
import kr.sejong.city.codecs.RideRequestEncoder;
import kr.sejong.city.config.City;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Mobility;
import kr.sejong.city.config.Stop;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * RideRequest: Poisson with {@code peakRideRequestsPerHour} x {@link DailyProfiles#rideRequests},
 * only while the service runs (request and earliest pickup both within the service hours). A trip
 * goes out from home (a feeder stop) to the BRT, a hotspot or another block, or back; the share going
 * out follows {@link DailyProfiles#outboundShare} (most in the morning, few in the evening). A few
 * riders ask at their door: the home end is then a position near the feeder stop, not a stop id.
 */
final class RideRequestGenerator implements Generator
{
    static final long SALT = 0x5249444552455153L; // "RIDEREQS"

    /** Where the far end of a trip is: BRT, hotspot, another residential block (chosen). */
    static final double[] FAR_END_SHARES = { 0.55, 0.35, 0.10 };
    /** Party of 1, 2, 3, 4. */
    static final double[] PARTY_SIZE_SHARES = { 0.70, 0.20, 0.07, 0.03 };
    static final double WHEELCHAIR_SHARE = 0.03;
    static final double DOOR_TO_DOOR_SHARE = 0.05;
    static final double DOOR_RADIUS_M = 150;
    /** The earliest pickup asked for, after the request. */
    static final int PICKUP_LEAD_MIN_S = 120;
    static final int PICKUP_LEAD_MAX_S = 900;

    private final SplittableRandom random;
    private final ZoneRules zone;
    private final City.Boundary boundary;
    private final double peakPerHour;
    private final int serviceStartHour;
    private final int serviceEndHour;
    private final int residents;
    private final Stop[] homes;
    /** BRT stops, hotspots, homes: the far end of a trip, by kind (indexes of {@link #FAR_END_SHARES}). */
    private final Stop[][] farEnds;
    private final double[] farEndShares;
    private final int servedStops;
    private final Arrivals arrivals = new Arrivals();
    private final double[] point = new double[2];
    private long nextRequestId = 1;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final RideRequestEncoder encoder = new RideRequestEncoder();

    RideRequestGenerator(final CityConfig config, final long seed)
    {
        random = RandomDraws.stream(seed, SALT);
        zone = ZoneId.of(config.city().timeZone()).getRules();
        boundary = config.city().boundary();
        peakPerHour = config.simulator().peakRideRequestsPerHour();
        final Mobility.Service service = config.mobility().service();
        serviceStartHour = service.serviceStartHour();
        serviceEndHour = service.serviceEndHour();
        residents = config.city().residents();

        final List<Stop> feeders = stops(config, Stop.Kind.FEEDER);
        final List<Stop> served = new ArrayList<>();
        for (final Stop stop : config.mobility().stops())
        {
            if (stop.kind() != Stop.Kind.DEPOT)
            {
                served.add(stop);
            }
        }
        servedStops = served.size();
        // a city without feeder stops: every served stop is somebody's home
        homes = (feeders.isEmpty() ? served : feeders).toArray(new Stop[0]);
        farEnds = new Stop[][] {
            stops(config, Stop.Kind.BRT).toArray(new Stop[0]),
            stops(config, Stop.Kind.HOTSPOT).toArray(new Stop[0]),
            homes };
        farEndShares = new double[FAR_END_SHARES.length];
        for (int kind = 0; kind < farEndShares.length; kind++)
        {
            // another home needs at least two of them
            farEndShares[kind] = farEnds[kind].length > (kind == 2 ? 1 : 0) ? FAR_END_SHARES[kind] : 0.0;
        }
    }

    @Override
    public void step(final long fromNs, final long toNs, final FrameSink sink)
    {
        if (homes.length == 0 || servedStops < 2)
        {
            return;
        }
        // drawn at every hour; requests outside the service hours are then dropped one by one
        final double midHour = CityClock.localHourOfDay(zone, fromNs + (toNs - fromNs) / 2);
        final double ratePerHour = peakPerHour * DailyProfiles.rideRequests(midHour);
        final int count = arrivals.draw(random, ratePerHour, fromNs, toNs);
        for (int i = 0; i < count; i++)
        {
            request(sink, arrivals.timeNs(i));
        }
    }

    private void request(final FrameSink sink, final long nowNs)
    {
        final double hour = CityClock.localHourOfDay(zone, nowNs);
        final long pickupNs = nowNs + (PICKUP_LEAD_MIN_S + random.nextInt(PICKUP_LEAD_MAX_S - PICKUP_LEAD_MIN_S + 1))
            * CityClock.SECOND_NS;
        final double pickupHour = CityClock.localHourOfDay(zone, pickupNs);
        final boolean outbound = RandomDraws.chance(random, DailyProfiles.outboundShare(hour));
        final Stop home = homes[random.nextInt(homes.length)];
        final Stop farEnd = farEnd(home);
        final boolean atDoor = RandomDraws.chance(random, DOOR_TO_DOOR_SHARE);
        LocalFrame.pointInDisc(random, boundary, home.eastM(), home.northM(), DOOR_RADIUS_M, point);
        final int partySize = 1 + RandomDraws.weightedIndex(random, PARTY_SIZE_SHARES);
        final int wheelchairs = RandomDraws.chance(random, WHEELCHAIR_SHARE) ? 1 : 0;
        final long riderId = 1 + random.nextInt(residents);
        if (!inService(hour) || !inService(pickupHour) || pickupHour < hour || farEnd == null)
        {
            return; // asked outside service hours: the app does not offer the ride
        }

        encoder.wrapAndApplyHeader(buffer, 0, header)
            .requestId(nextRequestId++)
            .riderId(riderId)
            .earliestPickupTimeNs(pickupNs)
            .partySize((short)partySize)
            .wheelchairs((short)wheelchairs);
        final PositionEncoder homeEnd = outbound ? encoder.origin() : encoder.destination();
        final PositionEncoder otherEnd = outbound ? encoder.destination() : encoder.origin();
        otherEnd.eastMm(PositionEncoder.eastMmNullValue()).northMm(PositionEncoder.northMmNullValue());
        final long homeStopId;
        if (atDoor)
        {
            homeStopId = RideRequestEncoder.originStopIdNullValue();
            homeEnd.eastMm(LocalFrame.mm(point[0])).northMm(LocalFrame.mm(point[1]));
        }
        else
        {
            homeStopId = home.id();
            homeEnd.eastMm(PositionEncoder.eastMmNullValue()).northMm(PositionEncoder.northMmNullValue());
        }
        if (outbound)
        {
            encoder.originStopId(homeStopId).destinationStopId(farEnd.id());
        }
        else
        {
            encoder.originStopId(farEnd.id()).destinationStopId(homeStopId);
        }
        sink.onFrame(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /** The other end of a trip from {@code home}: a BRT stop, a hotspot or another block; null if only home is left. */
    private Stop farEnd(final Stop home)
    {
        final int kind = RandomDraws.weightedIndex(random, farEndShares);
        if (kind < 0)
        {
            return null;
        }
        final Stop[] candidates = farEnds[kind];
        final int index = random.nextInt(candidates.length);
        final Stop stop = candidates[index].id() != home.id() ? candidates[index] : candidates[(index + 1) % candidates.length];
        return stop.id() != home.id() ? stop : null;
    }

    private boolean inService(final double hourOfDay)
    {
        return hourOfDay >= serviceStartHour && hourOfDay < serviceEndHour;
    }

    private static List<Stop> stops(final CityConfig config, final Stop.Kind kind)
    {
        final List<Stop> result = new ArrayList<>();
        for (final Stop stop : config.mobility().stops())
        {
            if (stop.kind() == kind)
            {
                result.add(stop);
            }
        }
        return result;
    }
}
