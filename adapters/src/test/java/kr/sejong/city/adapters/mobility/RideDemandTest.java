package kr.sejong.city.adapters.mobility;

import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.Stop;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weekday's requests: the same list for the same seed, shaped as the scenario says. */
class RideDemandTest
{
    static final CityConfig CITY = ConfigLoader.loadDefault().config();
    static final ShuttleNetwork NETWORK = ShuttleNetwork.from(CITY);
    static final ZoneId SEOUL = ZoneId.of(CITY.city().timeZone());

    static int hour(final long epochNs)
    {
        return Instant.ofEpochSecond(epochNs / 1_000_000_000L).atZone(SEOUL).getHour();
    }

    @Test
    void theWeekdayHasAMorningPeakTowardTheBrtAndEveningReturnsHome() throws IOException
    {
        final ShuttleScenario weekday = ShuttleScenario.load(ShuttleScenarioTest.WEEKDAY);
        final RideDemand demand = new RideDemand(CITY, weekday);
        final List<RideDemand.Ride> rides = demand.rides();
        assertTrue(rides.size() > 2500 && rides.size() < 3500, "about 3,000 a day: " + rides.size());
        final Map<Integer, Long> byHour = rides.stream().collect(Collectors.groupingBy(r -> hour(r.requestNs()), Collectors.counting()));
        // the profile peaks at 08:00 (300 an hour); whole hours either side of it average a little less
        final long peak = Math.max(byHour.get(7), byHour.get(8));
        assertTrue(peak > 240 && peak < 330, "the peak hour: " + byHour);
        assertTrue(peak > 1.5 * byHour.get(13), "the peak is above midday: " + byHour);

        final Map<Integer, Stop.Kind> kinds = CITY.mobility().stops().stream().collect(Collectors.toMap(Stop::id, Stop::kind));
        final List<RideDemand.Ride> morning = rides.stream().filter(r -> hour(r.requestNs()) == 7 || hour(r.requestNs()) == 8).toList();
        final long toBrt = morning.stream().filter(r -> r.destination().isStop() && kinds.get(r.destination().stopId()) == Stop.Kind.BRT).count();
        assertTrue(toBrt > morning.size() / 2, "most morning rides go to the BRT: " + toBrt + " of " + morning.size());
        final List<RideDemand.Ride> evening = rides.stream().filter(r -> hour(r.requestNs()) == 18).toList();
        final long homeward = evening.stream().filter(r -> !r.destination().isStop() || kinds.get(r.destination().stopId()) == Stop.Kind.FEEDER).count();
        assertTrue(homeward > evening.size() / 2, "most evening rides go home: " + homeward + " of " + evening.size());

        long id = 1;
        long previousNs = 0;
        for (final RideDemand.Ride r : rides)
        {
            assertEquals(id++, r.requestId());
            assertTrue(r.requestNs() >= previousNs && r.requestNs() >= demand.startNs() && r.requestNs() < demand.endNs());
            previousNs = r.requestNs();
            final long leadS = (r.earliestPickupNs() - r.requestNs()) / 1_000_000_000L;
            assertTrue(leadS >= 120 && leadS <= 900, "lead " + leadS);
            assertTrue(r.partySize() >= 1 && r.partySize() <= 4 && r.wheelchairs() <= 1);
            assertNotEquals(r.origin(), r.destination());
            assertTrue(r.origin().isStop() || r.destination().isStop(), "one end is a stop");
            final RideDemand.Place position = r.origin().isStop() ? r.destination() : r.origin();
            final RideDemand.Place stop = r.origin().isStop() ? r.origin() : r.destination();
            if (!position.isStop())
            {
                final int nearest = NETWORK.nearestRiderStop(position.eastM(), position.northM(), CITY.mobility().service().maxWalkM());
                assertTrue(nearest >= 0 && NETWORK.nodeId(nearest) != stop.stopId(), "a position is served at another stop than the far end: " + r);
            }
            for (final RideDemand.Place place : List.of(r.origin(), r.destination()))
            {
                if (place.isStop())
                {
                    assertNotEquals(Stop.Kind.DEPOT, kinds.get(place.stopId()));
                }
            }
            if (r.cancelled())
            {
                assertTrue(r.cancelNs() > r.requestNs() && r.cancelNs() <= r.earliestPickupNs());
            }
        }
        final double cancelled = (double)demand.cancellations() / rides.size();
        assertTrue(cancelled > 0.03 && cancelled < 0.07, "5 % cancel: " + cancelled);
        final double atPosition = rides.stream().filter(r -> !r.origin().isStop() || !r.destination().isStop()).count() / (double)rides.size();
        assertTrue(atPosition > 0.03 && atPosition < 0.07, "5 % give a position: " + atPosition);
    }

    @Test
    void theSameSeedGivesTheSameRidesAndAnotherSeedOthers() throws IOException
    {
        final ShuttleScenario weekday = ShuttleScenario.load(ShuttleScenarioTest.WEEKDAY).withHours(2);
        assertEquals(new RideDemand(CITY, weekday).rides(), new RideDemand(CITY, weekday).rides());
        final ShuttleScenario other = new ShuttleScenario(weekday.name(), weekday.date(), weekday.start(), weekday.hours(), weekday.seed() + 1,
            weekday.drainMinutes(), weekday.demand(), weekday.fleet(), weekday.initialSocPercent(), weekday.travelTimeNoise(), weekday.badInputs());
        assertNotEquals(new RideDemand(CITY, weekday).rides(), new RideDemand(CITY, other).rides());
        final Map<Long, RideDemand.Ride> byId = new RideDemand(CITY, weekday).rides().stream()
            .collect(Collectors.toMap(RideDemand.Ride::requestId, Function.identity()));
        assertEquals(byId.size(), new RideDemand(CITY, weekday).rides().size(), "ids are unique");
    }
}
