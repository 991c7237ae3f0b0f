package kr.sejong.city.core.loops.mobility;

import kr.sejong.city.codecs.RideAssignmentDecoder;
import kr.sejong.city.codecs.RideRejectionDecoder;
import kr.sejong.city.config.Stop;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static kr.sejong.city.core.loops.mobility.DispatchDriver.S;
import static kr.sejong.city.core.loops.mobility.DispatchDriver.only;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random ride streams on the default city (random stops, parties, wheelchairs, pickup leads, cancellations, and
 * shuttles starting with random states of charge), driven through the perfect fleet of {@link DispatchDriver}:
 * whatever the loop decides, no shuttle ever carries more riders or wheelchairs than it has places, no rider is
 * picked up after the promised window or rides longer than promised, no battery goes below its reserve, and every
 * request gets an answer in the input that brought it. The fleet checks what it did, independently of the loop's
 * own bookkeeping; every RideAssignment is checked against the promises as well.
 */
class DispatchPropertiesTest
{
    @Property(tries = 25)
    void noAssignmentEverBreaksCapacityTimeWindowsRideTimeOrTheBatteryReserve(@ForAll final long seed)
    {
        check(seed);
    }

    /** A stream found by a CI run: a ride 1.26 s over its promise from two whole-second roundings (see DispatchDriver). */
    @org.junit.jupiter.api.Test
    void aRideTimedFromTwoWholeSecondReportsStaysWithinTheirRounding()
    {
        check(-7032196188259L);
    }

    /**
     * The search that skips shuttles by a bound on the metres they could add and times the cheapest insertions first
     * decides exactly as the one that searches every shuttle and times every insertion the metres allow: the same
     * frames out, byte for byte, over a whole random stream (the fleet follows the frames, so one different decision
     * changes everything after it).
     */
    @Example
    void aRidePlannedAtItsLimitStaysWithinItAfterTheFleetFollowedHeldBoardingsOfWholeSeconds()
    {
        // seed -70 (found with the compound moves, which hold boardings more often): a ride planned at exactly its
        // promise (443.1 s) was boarded 0.66 s before the loop learned it and reached its drop-off 2.06 s after the
        // plan's ETA, the fleet having waited at four stops for boardings held to the loop's whole-second ETAs: 445.2 s.
        // Rides are now planned DispatchLoop.RIDE_MARGIN_NS short of the promise
        check(-70L);
    }

    @Example
    void aRiderJoiningTheFirstVisitOfAStandingShuttleCannotMakeItLeaveEarlierThanItsPlanWasTimedWith()
    {
        // seed -14128: a shuttle stood at stop 1 until DepartureRule let it go (for a rider boarding at 967 s at stop 21);
        // a rider whose earliest pickup had passed joined that visit, so the shuttle left at once, boarded them at 874 s
        // instead of the 898 s the insertion was timed with, and they rode 450 s against 436 promised. A standing
        // shuttle's first visit is now closed to new riders
        check(-14128L);
    }

    @Property(tries = 8)
    void theCheapestFirstSearchDecidesAsTheExhaustiveOne(@ForAll final long seed)
    {
        final DispatchDriver ordered = drive(seed, false);
        final DispatchDriver exhaustive = drive(seed, true);
        assertEquals(exhaustive.out.size(), ordered.out.size(), "frames out");
        for (int k = 0; k < ordered.out.size(); k++)
        {
            assertArrayEquals(exhaustive.out.get(k), ordered.out.get(k), "frame " + k + " of seed " + seed);
        }
        assertTrue(ordered.promised.size() > 0);
    }

    static void check(final long seed)
    {
        final DispatchDriver d = drive(seed, false);
        assertEquals(List.of(), d.violations);
        // the promises in every answer
        final long maxWaitNs = d.config.mobility().service().maxWaitS() * S;
        for (final Map.Entry<Long, long[]> e : d.promised.entrySet())
        {
            final long[] ask = d.asked.get(e.getKey());
            if (ask == null)
            {
                continue; // cancelled
            }
            final long[] eta = e.getValue();
            // within a second, as the fleet's own check: the loop re-times plans from reports made on whole seconds
            assertTrue(eta[0] >= ask[2] && eta[0] <= ask[2] + maxWaitNs + S, "request " + e.getKey() + " pickup ETA within its window: "
                + (eta[0] - ask[2]) / 1e9 + " s after the earliest pickup");
            assertTrue(d.served.containsKey(e.getKey()), "request " + e.getKey() + " accepted and served");
        }
        assertTrue(d.promised.size() > 0);
    }

    /**
     * The search takes a ride off its plan and puts it back from its own pickup window: a boarding held for the plan it
     * was on (when taking another ride off that plan would have made it ride longer than promised) does not follow it.
     * With the hold kept, the ride comes back still held, and the search never again boards it sooner.
     */
    @org.junit.jupiter.api.Test
    void aRideTheSearchPlacesAgainComesBackFromItsOwnWindowNotABoardingHeldForItsOldPlan()
    {
        int found = 0;
        for (long seed = 1; seed <= 40 && found < 3; seed++)
        {
            final DispatchDriver d = drive(seed, false, driver -> driver.loop.heldMovableRide() >= 0);
            final long held = d.loop.heldMovableRide();
            if (held < 0)
            {
                continue;
            }
            found++;
            assertTrue(d.loop.heldBoardingNs(held) > 0, "seed " + seed + ": request " + held + " held");
            assertTrue(d.loop.placeAgainAsTheSearchDoes(held), "seed " + seed + ": request " + held + " placed again");
            assertEquals(0, d.loop.heldBoardingNs(held), "seed " + seed + ": request " + held + " boards from its earliest pickup on");
        }
        assertEquals(3, found, "streams in which the loop held a boarding the search may move");
    }

    /** A random ride stream of {@code seed} through the perfect fleet, to an hour after its end. */
    static DispatchDriver drive(final long seed, final boolean exhaustive)
    {
        return drive(seed, exhaustive, d -> false);
    }

    /** As {@link #drive(long, boolean)}, stopping after the first step at which {@code until} holds. */
    static DispatchDriver drive(final long seed, final boolean exhaustive, final java.util.function.Predicate<DispatchDriver> until)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final DispatchDriver d = new DispatchDriver(DispatchLoopTest.CITY, DispatchLoopTest.EIGHT);
        d.loop.searchExhaustively(exhaustive);
        d.traceBase = DispatchLoopTest.EIGHT;
        d.startFleet(0); // states of charge set below, at random
        for (final DispatchDriver.Vehicle v : d.fleet.values())
        {
            v.socKwh = v.spec.batteryKwh() * (0.2 + 0.8 * random.nextDouble());
            d.state(v.id, kr.sejong.city.codecs.ShuttleMode.IDLE, d.network.nodeId(v.node), v.permille(), 0);
        }
        final List<Integer> riderStops = new ArrayList<>();
        for (final var stop : d.config.mobility().stops())
        {
            if (stop.kind() != Stop.Kind.DEPOT)
            {
                riderStops.add(stop.id());
            }
        }
        final long end = DispatchLoopTest.EIGHT + 5400 * S;
        final double perSecond = (100 + random.nextInt(400)) / 3600.0; // 100 to 500 requests an hour
        long id = 1;
        final List<Long> open = new ArrayList<>();
        while (d.nowNs < end)
        {
            if (random.nextDouble() < perSecond)
            {
                final int origin = riderStops.get(random.nextInt(riderStops.size()));
                int destination = riderStops.get(random.nextInt(riderStops.size()));
                if (destination == origin)
                {
                    destination = riderStops.get((riderStops.indexOf(origin) + 1) % riderStops.size());
                }
                final int party = random.nextDouble() < 0.8 ? 1 : 2 + random.nextInt(5);
                final int wheelchairs = random.nextDouble() < 0.05 ? 1 : 0;
                final long earliest = d.nowNs + random.nextInt(900) * S;
                final List<byte[]> frames = d.ask(id, origin, destination, earliest, party, wheelchairs);
                final int answers = only(frames, RideAssignmentDecoder.TEMPLATE_ID).size() + only(frames, RideRejectionDecoder.TEMPLATE_ID).size();
                assertTrue(answers >= 1, "request " + id + " answered in its input");
                open.add(id);
                id++;
            }
            if (!open.isEmpty() && random.nextDouble() < perSecond * 0.1)
            {
                final long victim = open.remove(random.nextInt(open.size()));
                if (only(d.cancel(victim, victim + 100_000), RideRejectionDecoder.TEMPLATE_ID).isEmpty())
                {
                    d.asked.remove(victim); // a cancelled ride must not be served: the fleet flags it if it is
                }
            }
            d.step();
            if (until.test(d))
            {
                return d;
            }
        }
        d.run(end + 3600 * S);
        return d;
    }
}
