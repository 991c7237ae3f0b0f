package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.PriorityReason;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.PriorityStatusCode;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.config.Traffic;
import kr.sejong.city.core.loops.signal.LoopDriver.Command;
import kr.sejong.city.core.loops.signal.LoopDriver.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preemption state machine and transit priority, driven through the signal loop with the clock in the
 * test's hands: entry (min green finished, yellow and all-red kept), dwell past max green, max presence,
 * cancel, a request whose updates stop, the non-locking delay, conflicting requests, a corridor, late and
 * punctual buses, and bad requests. Every state shown is checked by {@link SafetyObserver}.
 * <p>
 * The intersection is {@link SignalFrames#protectedLefts}: legs north, east, south, west (approaches 0-3),
 * each a through lane (movement 2k) and a left lane (2k + 1). Its preemption phase for the east is
 * {@code rrGGrrrr}: east through and left together, nothing else crosses their paths.
 */
class PreemptionTest
{
    private static final SignalTiming TIMING = SignalTiming.defaults();
    private static final int EAST = 1;
    private static final String EAST_DWELL = "rrGGrrrr";
    private static final int[] BUSY = { 3, 3, 3, 3, 3, 3, 3, 3 };

    /** Settings: delay, max presence, request timeout, corridor lead, exit phase; a timetable for buses 500-504 at "lefts". */
    private static PrioritySettings settings(final int delayMs, final int maxPresenceS, final int exitProgramPhase)
    {
        final Traffic.TransitLine line = new Traffic.TransitLine("B1", 500, 0, 600, 5,
            List.of(new Traffic.Timepoint("lefts", 100), new Traffic.Timepoint("plain", 100)));
        return PrioritySettings.of(new Traffic.Priority(10_000, 60, maxPresenceS, delayMs, null, 3000, 20, exitProgramPhase,
            List.of(), List.of(line)), TIMING);
    }

    /** A driver running intersection 1 ("lefts") and, for corridors, intersection 2 (also "lefts"-shaped). */
    private static final class Run
    {
        final LoopDriver driver;
        final SafetyObserver observer;
        final SafetyObserver observer2;
        final List<Status> statuses = new ArrayList<>();
        final List<Command> commands = new ArrayList<>();

        Run(final PrioritySettings settings)
        {
            driver = new LoopDriver(new SignalLoop(TIMING, ControlMode.ADAPTIVE, AdaptiveController.Settings.defaults(), settings));
            driver.send(driver.frames.topology(SignalFrames.protectedLefts(1)));
            driver.send(driver.frames.topology(SignalFrames.protectedLefts(2)));
            observer = new SafetyObserver(SignalFrames.protectedLefts(1).model(), TIMING);
            observer2 = new SafetyObserver(SignalFrames.protectedLefts(2).model(), TIMING);
        }

        /** One second: observations (everybody has traffic), optional frames, the tick; returns intersection 1's command. */
        Command second(final byte[]... frames)
        {
            driver.nowNs += 1_000_000_000L;
            driver.send(driver.frames.observations(1, BUSY, BUSY));
            driver.send(driver.frames.observations(2, BUSY, BUSY));
            for (final byte[] frame : frames)
            {
                statuses.addAll(LoopDriver.statuses(driver.send(frame)));
            }
            final List<byte[]> out = driver.send(driver.frames.tick(driver.nowNs, 0));
            statuses.addAll(LoopDriver.statuses(out));
            final List<Command> tick = LoopDriver.decode(out);
            assertEquals(2, tick.size());
            for (final Command command : tick)
            {
                final boolean preempt = command.mode() == SignalMode.PREEMPTION;
                // max green does not bound a preemption's dwell (max presence does): no demand for the observer then
                final boolean[] demand = preempt ? new boolean[8] : null;
                final SafetyObserver o = command.intersectionId() == 1 ? observer : observer2;
                assertNull(o.observe(driver.nowNs, command.state(), demand), "at " + driver.nowNs);
            }
            commands.add(tick.get(0));
            return tick.get(0);
        }

        byte[] request(final long requestId, final long vehicle, final VehicleRole role, final PriorityRequestType type, final int approach,
            final int etaMs, final int[]... route)
        {
            return driver.frames.priorityRequest(requestId, vehicle, role, type, 1, approach, -1, etaMs, route);
        }

        Status lastStatus(final long requestId, final long intersectionId)
        {
            Status last = null;
            for (final Status status : statuses)
            {
                if (status.requestId() == requestId && status.intersectionId() == intersectionId)
                {
                    last = status;
                }
            }
            return last;
        }
    }

    @Test
    void entryFinishesMinGreenClearsAndDwellsOnThroughAndLeftPastMaxGreenThenExitsAndRecovers()
    {
        final Run run = new Run(settings(1000, 120, 0));
        for (int s = 0; s < 2; s++)
        {
            run.second();
        }
        assertEquals("GgrrGgrr", run.commands.get(1).state(), "north-south green, 1 s into its min green");

        final List<byte[]> answer = run.driver.send(run.request(1, 7, VehicleRole.AMBULANCE, PriorityRequestType.REQUEST, EAST, 15_000));
        final List<Status> immediate = LoopDriver.statuses(answer);
        assertEquals(1, immediate.size(), "a status in the tick the request arrives in");
        assertEquals(PriorityStatusCode.PROCESSING, immediate.get(0).status(), "in the non-locking delay");

        int dwellAt = -1;
        int grantedAt = -1;
        for (int s = 0; s < 100; s++)
        {
            final Command command = run.second(run.request(1, 7, VehicleRole.AMBULANCE, PriorityRequestType.UPDATE, EAST, 10_000));
            if (grantedAt < 0 && run.lastStatus(1, 1).status() == PriorityStatusCode.GRANTED)
            {
                grantedAt = s;
            }
            if (dwellAt < 0 && command.state().equals(EAST_DWELL))
            {
                dwellAt = s;
                assertEquals(SignalMode.PREEMPTION, command.mode());
            }
        }
        assertTrue(grantedAt >= 0 && grantedAt <= 1, "granted once the 1 s delay ran out, was " + grantedAt + " " + run.statuses.subList(0, Math.min(8, run.statuses.size())) + " dwell " + dwellAt);
        // min green (5 s from the start) + yellow 3 s + all-red 2 s: the dwell starts 10 s after the green began
        assertTrue(dwellAt >= 6 && dwellAt <= 9, "dwell at second " + dwellAt);
        final Command dwelling = run.commands.get(run.commands.size() - 1);
        assertEquals(EAST_DWELL, dwelling.state(), "still dwelling 90 s later: max green (60 s) does not cut a preemption");
        assertEquals(SignalReason.PREEMPTION_DWELL, dwelling.reason());

        run.second(run.request(1, 7, VehicleRole.AMBULANCE, PriorityRequestType.CANCEL, EAST, 0));
        assertEquals(PriorityStatusCode.CANCELLED, run.lastStatus(1, 1).status());
        int exitGreenAt = -1;
        int adaptiveAt = -1;
        for (int s = 0; s < 200 && adaptiveAt < 0; s++)
        {
            final Command command = run.second();
            if (exitGreenAt < 0 && command.state().equals("GgrrGgrr"))
            {
                exitGreenAt = s;
            }
            if (command.mode() == SignalMode.ADAPTIVE)
            {
                adaptiveAt = s;
            }
        }
        assertTrue(exitGreenAt >= 0 && exitGreenAt <= 6, "exit phase (program phase 0) after yellow and all-red, at " + exitGreenAt);
        final long cycleS = (25 + 3 + 8 + 3) * 2;
        assertTrue(adaptiveAt >= 0 && adaptiveAt <= 2 * cycleS, "adaptive control again within two cycles, at " + adaptiveAt);
        final PriorityControl priority = run.driver.loop.intersection(1).priority();
        assertEquals(1, priority.preemptions());
        assertTrue(priority.lastRecoveryNs() > 0 && priority.lastRecoveryNs() <= 2 * cycleS * 1_000_000_000L);
    }

    @Test
    void maxPresenceEndsTheDwellAndTheVehicleIsNotServedAgainWhileItStays()
    {
        final Run run = new Run(settings(0, 30, -1));
        final List<PriorityStatusCode> seen = new ArrayList<>();
        int leftDwellAt = -1;
        int dwellSeconds = 0;
        for (int s = 0; s < 120; s++)
        {
            final Command command = run.second(run.request(5, 8, VehicleRole.FIRE,
                s == 0 ? PriorityRequestType.REQUEST : PriorityRequestType.UPDATE, EAST, 5000));
            seen.add(run.lastStatus(5, 1).status());
            if (command.state().equals(EAST_DWELL))
            {
                dwellSeconds++;
            }
            else if (dwellSeconds > 0 && leftDwellAt < 0)
            {
                leftDwellAt = s;
            }
        }
        assertTrue(dwellSeconds >= 29 && dwellSeconds <= 32, "dwell bounded by max presence 30 s, was " + dwellSeconds);
        assertTrue(seen.contains(PriorityStatusCode.MAX_PRESENCE));
        assertEquals(PriorityStatusCode.MAX_PRESENCE, seen.get(seen.size() - 1), "its further updates are refused");
        assertEquals(PriorityReason.MAX_PRESENCE_REACHED, run.lastStatus(5, 1).reason());
        assertEquals(1, run.driver.loop.intersection(1).priority().preemptions(), "not preempted again");
    }

    @Test
    void aRequestWhoseUpdatesStopTimesOutAndTheIntersectionReturnsToAdaptiveControl()
    {
        final Run run = new Run(settings(0, 120, -1));
        run.second(run.request(3, 9, VehicleRole.POLICE, PriorityRequestType.REQUEST, EAST, 8000));
        for (int s = 0; s < 12; s++)
        {
            run.second(run.request(3, 9, VehicleRole.POLICE, PriorityRequestType.UPDATE, EAST, 8000));
        }
        assertEquals(EAST_DWELL, run.commands.get(run.commands.size() - 1).state());
        Command last = null;
        for (int s = 0; s < 40; s++)
        {
            last = run.second();
        }
        final Status status = run.lastStatus(3, 1);
        assertEquals(PriorityStatusCode.CANCELLED, status.status());
        assertEquals(PriorityReason.TIMED_OUT, status.reason());
        assertEquals(1, run.driver.loop.intersection(1).priority().timeouts());
        assertEquals(SignalMode.ADAPTIVE, last.mode());
    }

    @Test
    void aRequestThatGoesAwayDuringTheNonLockingDelayNeverPreempts()
    {
        final Run run = new Run(settings(3000, 120, -1));
        run.second(run.request(4, 10, VehicleRole.AMBULANCE, PriorityRequestType.REQUEST, EAST, 20_000));
        run.second(run.request(4, 10, VehicleRole.AMBULANCE, PriorityRequestType.UPDATE, EAST, 19_000));
        run.second(run.request(4, 10, VehicleRole.AMBULANCE, PriorityRequestType.CANCEL, EAST, 18_000));
        for (int s = 0; s < 30; s++)
        {
            run.second();
        }
        assertEquals(0, run.driver.loop.intersection(1).priority().preemptions());
        assertFalse(run.commands.stream().anyMatch(c -> c.mode() == SignalMode.PREEMPTION), "no command in preemption mode");
    }

    @Test
    void conflictingRequestsAreServedByRoleThenFirstComeAndTheOthersAreToldTheyWait()
    {
        final Run run = new Run(settings(0, 120, -1));
        final int north = 0;
        final int south = 2;
        run.second(run.request(20, 30, VehicleRole.POLICE, PriorityRequestType.REQUEST, EAST, 20_000));
        assertEquals(PriorityStatusCode.GRANTED, run.lastStatus(20, 1).status());
        run.second(run.request(20, 30, VehicleRole.POLICE, PriorityRequestType.UPDATE, EAST, 19_000),
            run.request(21, 31, VehicleRole.AMBULANCE, PriorityRequestType.REQUEST, north, 20_000));
        // the ambulance outranks the police car: it is served, the police car waits first in line
        assertEquals(PriorityStatusCode.GRANTED, run.lastStatus(21, 1).status());
        final Status police = run.lastStatus(20, 1);
        assertEquals(PriorityStatusCode.PROCESSING, police.status());
        assertEquals(PriorityReason.HIGHER_PRIORITY_ACTIVE, police.reason());
        assertEquals(1, police.queuePosition());
        // a fire engine of the same rank as the ambulance, later: first come first served
        run.second(run.request(20, 30, VehicleRole.POLICE, PriorityRequestType.UPDATE, EAST, 18_000),
            run.request(21, 31, VehicleRole.AMBULANCE, PriorityRequestType.UPDATE, north, 19_000),
            run.request(22, 32, VehicleRole.FIRE, PriorityRequestType.REQUEST, south, 20_000));
        final Status fire = run.lastStatus(22, 1);
        assertEquals(PriorityStatusCode.PROCESSING, fire.status());
        assertEquals(PriorityReason.CONFLICTING_REQUEST_FIRST, fire.reason());
        assertEquals(1, fire.queuePosition());
        assertEquals(2, run.lastStatus(20, 1).queuePosition(), "the police car is now behind the fire engine");
        boolean northDwell = false;
        for (int s = 0; s < 15; s++)
        {
            final Command command = run.second(run.request(20, 30, VehicleRole.POLICE, PriorityRequestType.UPDATE, EAST, 18_000),
                run.request(21, 31, VehicleRole.AMBULANCE, PriorityRequestType.UPDATE, north, 10_000),
                run.request(22, 32, VehicleRole.FIRE, PriorityRequestType.UPDATE, south, 19_000));
            northDwell |= command.state().equals("GGrrrrrr");
        }
        assertTrue(northDwell, "the ambulance's approach (north) got through and left green");
        // the ambulance passes: the fire engine is next, then the police car
        boolean southDwell = false;
        for (int s = 0; s < 20; s++)
        {
            final byte[] policeUpdate = run.request(20, 30, VehicleRole.POLICE, PriorityRequestType.UPDATE, EAST, 18_000);
            final byte[] fireUpdate = run.request(22, 32, VehicleRole.FIRE, PriorityRequestType.UPDATE, south, 5_000);
            final Command command = s == 0
                ? run.second(policeUpdate, fireUpdate, run.request(21, 31, VehicleRole.AMBULANCE, PriorityRequestType.CANCEL, north, 0))
                : run.second(policeUpdate, fireUpdate);
            southDwell |= command.state().equals("rrrrGGrr");
        }
        assertTrue(southDwell, "then the fire engine's (south)");
        assertEquals(PriorityStatusCode.GRANTED, run.lastStatus(22, 1).status());
        assertEquals(PriorityStatusCode.PROCESSING, run.lastStatus(20, 1).status());
    }

    @Test
    void aCorridorPreClearsTheNextIntersectionBeforeTheVehicleArrives()
    {
        final Run run = new Run(settings(0, 120, -1));
        // at intersection 1 from the east; next on its route intersection 2, entered from the west (3), 45 s away
        final int west = 3;
        run.second(run.request(40, 50, VehicleRole.AMBULANCE, PriorityRequestType.REQUEST, EAST, 15_000, new int[]{ 2, west, 45_000 }));
        assertEquals(PriorityStatusCode.GRANTED, run.lastStatus(40, 1).status());
        final Status corridor = run.lastStatus(40, 2);
        assertEquals(PriorityStatusCode.PROCESSING, corridor.status(), "intersection 2 told at once");
        assertEquals(PriorityReason.CORRIDOR, corridor.reason());
        int clearedAt = -1;
        for (int s = 1; s < 45 && clearedAt < 0; s++)
        {
            run.second(run.request(40, 50, VehicleRole.AMBULANCE, PriorityRequestType.UPDATE, EAST, Math.max(0, 15_000 - s * 1000),
                new int[]{ 2, west, 45_000 - s * 1000 }));
            final ControlledIntersection second = run.driver.loop.intersection(2);
            if (second.stage() == ControlledIntersection.STAGE_GREEN && second.phase() == second.model().preemptionPhase(west))
            {
                clearedAt = s;
            }
        }
        assertEquals(PriorityStatusCode.GRANTED, run.lastStatus(40, 2).status());
        assertEquals(PriorityReason.CORRIDOR, run.lastStatus(40, 2).reason());
        // active 20 s (the lead) before the ETA of 45 s, then min green, yellow, all-red: clear before it arrives
        assertTrue(clearedAt >= 25 && clearedAt < 45, "intersection 2 showed the west dwell at " + clearedAt + " s, ETA 45 s");
    }

    @Test
    void aLateBusGetsItsGreenExtendedWithinTheMaximumAndAPunctualBusGetsNothing()
    {
        final Run run = new Run(settings(0, 120, -1));
        // the run starts at SignalFrames.EPOCH_NS: what local time is that? due times are relative to it
        final long dayNs = new kr.sejong.city.core.loop.LocalClock(java.time.ZoneId.of("Asia/Seoul").getRules())
            .nsOfDay(run.driver.nowNs + 1_000_000_000L);
        final long secondOfDay = dayNs / 1_000_000_000L;
        // bus 500 (trip 0 of line B1) departs at 0 s and is due at "lefts" 100 s later: at local time 100 s it is
        // late by secondOfDay - 100 + eta; choose the line so that one bus is punctual and one late
        assertTrue(secondOfDay > 1000, "the test's epoch is not just after midnight");
        run.second(run.request(60, 500, VehicleRole.BRT_BUS, PriorityRequestType.REQUEST, 0, 8000));
        assertEquals(PriorityStatusCode.GRANTED, run.lastStatus(60, 1).status(), "hours behind its timetable");
        run.second(run.request(61, 9999, VehicleRole.BRT_BUS, PriorityRequestType.REQUEST, 0, 8000),
            run.request(60, 500, VehicleRole.BRT_BUS, PriorityRequestType.UPDATE, 0, 7000));
        assertEquals(PriorityStatusCode.REJECTED, run.lastStatus(61, 1).status(), "no timetable: not known to be late");
        assertEquals(PriorityReason.NOT_BEHIND_SCHEDULE, run.lastStatus(61, 1).reason());

        // north-south green serves the bus (north through lane): held past what the controller wanted, at most 10 s
        int extensions = 0;
        for (int s = 0; s < 40; s++)
        {
            final Command command = run.second(run.request(60, 500, VehicleRole.BRT_BUS, PriorityRequestType.UPDATE, 0, 6000));
            extensions += command.reason() == SignalReason.TRANSIT_EXTENSION ? 1 : 0;
            if (command.reason() == SignalReason.TRANSIT_EXTENSION)
            {
                assertEquals(SignalMode.TRANSIT_PRIORITY, command.mode());
                assertTrue(command.state().charAt(0) == 'G', "the bus's through movement stays green");
            }
        }
        assertTrue(extensions > 0 && extensions <= 10, "extension of at most 10 s, was " + extensions);
        // once extended, once (after the extension ran out and the controller moved on) an early green back: no more
        final long actions = run.driver.loop.intersection(1).priority().transitActions();
        assertTrue(actions >= 1 && actions <= 2, "transit actions " + actions);

        // during a preemption a bus waits
        run.second(run.request(62, 70, VehicleRole.AMBULANCE, PriorityRequestType.REQUEST, EAST, 9000),
            run.request(60, 500, VehicleRole.BRT_BUS, PriorityRequestType.UPDATE, 0, 5000));
        assertEquals(PriorityStatusCode.PROCESSING, run.lastStatus(60, 1).status());
        assertEquals(PriorityReason.PREEMPTION_ACTIVE, run.lastStatus(60, 1).reason());
    }

    @Test
    void badRequestsAreRejectedNamingWhatIsWrongAndChangeNothing()
    {
        final Run run = new Run(settings(0, 120, -1));
        run.second(run.driver.frames.priorityRequest(90, 1, VehicleRole.AMBULANCE, PriorityRequestType.REQUEST, 99, 0, -1, 5000));
        assertEquals(PriorityReason.UNKNOWN_INTERSECTION, run.lastStatus(90, 99).reason());
        assertEquals(PriorityStatusCode.REJECTED, run.lastStatus(90, 99).status());
        run.second(run.driver.frames.priorityRequest(91, 1, VehicleRole.AMBULANCE, PriorityRequestType.REQUEST, 1, 7, -1, 5000));
        assertEquals(PriorityReason.UNKNOWN_APPROACH, run.lastStatus(91, 1).reason());
        // lane 2 is on the east approach, not the north one
        run.second(run.driver.frames.priorityRequest(92, 1, VehicleRole.AMBULANCE, PriorityRequestType.REQUEST, 1, 0, 2, 5000));
        assertEquals(PriorityReason.UNKNOWN_APPROACH, run.lastStatus(92, 1).reason());
        run.second(run.driver.frames.priorityRequest(93, 1, VehicleRole.NULL_VAL, PriorityRequestType.REQUEST, 1, 0, -1, 5000));
        assertEquals(PriorityStatusCode.REJECTED, run.lastStatus(93, 1).status());
        for (int s = 0; s < 10; s++)
        {
            run.second();
        }
        assertEquals(0, run.driver.loop.intersection(1).priority().preemptions());
        assertEquals(0, run.driver.loop.intersection(1).priority().requests());
        assertEquals(4, run.driver.loop.rejectedRequests());
        assertFalse(run.commands.stream().anyMatch(c -> c.mode() == SignalMode.PREEMPTION));
    }

    @Test
    void thePreemptionPhaseOfAnApproachGivesItsThroughAndLeftTogetherAndNothingThatCrossesThem()
    {
        final IntersectionModel model = SignalFrames.protectedLefts(1).model();
        assertEquals("GGrrrrrr", new String(model.phaseState(model.preemptionPhase(0)), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(EAST_DWELL, new String(model.phaseState(model.preemptionPhase(EAST)), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(-1, model.preemptionPhase(4));
        // the plain intersection: north through alone conflicts with east and west, not with south
        final IntersectionModel plain = SignalFrames.fourLeg(2).model();
        assertEquals("GrGr", new String(plain.phaseState(plain.preemptionPhase(0)), java.nio.charset.StandardCharsets.US_ASCII));
        for (int a = 0; a < model.approachCount(); a++)
        {
            assertTrue(model.phaseSafe(model.preemptionPhase(a)));
        }
    }
}
