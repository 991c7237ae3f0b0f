package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalReason;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.StateReader;
import kr.sejong.city.core.loop.StateWriter;
import kr.sejong.city.core.loops.Loops;
import kr.sejong.city.core.loops.signal.LoopDriver.Command;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signal loop driven tick by tick with encoded inputs, a clock the test advances (one second a tick,
 * as the twin steps), and the commands checked: min green, clearance, gap-out, max-out, fallback,
 * recovery, mode changes, the safety override, bad input, snapshots.
 */
class SignalLoopTest
{
    private static final long ID = 7;
    private static final int[] NONE = { 0, 0, 0, 0 };
    private static final int[] EAST_WEST_WAITING = { 0, 3, 0, 3 };

    private final LoopDriver driver = new LoopDriver();

    private void startPlain()
    {
        driver.send(driver.frames.topology(SignalFrames.fourLeg(ID)));
        driver.send(driver.frames.modeChange(0, "adaptive"));
    }

    @Test
    void startsOnTheProgramsFirstGreenAndHoldsMinGreenThenYellowThenAllRed()
    {
        startPlain();
        final List<Command> commands = new ArrayList<>();
        for (int s = 0; s < 11; s++)
        {
            commands.add(driver.step(ID, EAST_WEST_WAITING, EAST_WEST_WAITING));
        }
        assertEquals("GrGr", commands.get(0).state());
        assertEquals(0, commands.get(0).phaseIndex());
        for (int s = 1; s < 5; s++)
        {
            assertEquals("GrGr", commands.get(s).state(), "min green, second " + s);
            assertEquals(SignalReason.MIN_GREEN, commands.get(s).reason());
        }
        // the north-south approach is empty and east-west waits: gap-out right at min green
        assertEquals(new Command(ID, SignalMode.ADAPTIVE, 2, 3000, SignalReason.GAP_OUT, "yryr"), commands.get(5));
        assertEquals("yryr", commands.get(6).state());
        assertEquals(SignalReason.YELLOW_CLEARANCE, commands.get(7).reason());
        assertEquals("yryr", commands.get(7).state());
        assertEquals(new Command(ID, SignalMode.ADAPTIVE, 2, 2000, SignalReason.ALL_RED_CLEARANCE, "rrrr"), commands.get(8));
        assertEquals("rrrr", commands.get(9).state());
        assertEquals(new Command(ID, SignalMode.ADAPTIVE, 2, 5000, SignalReason.PRESSURE, "rGrG"), commands.get(10));
        assertEquals(0, driver.loop.refusedCommands());
    }

    @Test
    void extendsWhileTheGreenApproachDischargesAndGapsOutWhenItEmpties()
    {
        startPlain();
        // north-south: a queue of 14 per lane starting off one a second, the ones moving off still on the
        // lane for 2 s; east-west: 2 waiting per lane
        for (int s = 0; s < 5; s++)
        {
            final int left = 14 - s;
            assertEquals("GrGr", driver.step(ID, new int[]{ left + 2, 2, left + 2, 2 }, new int[]{ left, 2, left, 2 }).state());
        }
        for (int s = 5; s < 14; s++)
        {
            final int left = 14 - s;
            final Command command = driver.step(ID, new int[]{ left + 2, 2, left + 2, 2 }, new int[]{ left, 2, left, 2 });
            assertEquals("GrGr", command.state(), "second " + s);
            assertEquals(SignalReason.EXTEND_DEMAND, command.reason());
        }
        final Command gapOut = driver.step(ID, new int[]{ 0, 2, 0, 2 }, new int[]{ 0, 2, 0, 2 });
        assertEquals("yryr", gapOut.state());
        assertEquals(SignalReason.GAP_OUT, gapOut.reason());
    }

    /** Every lane 450 m long at 30 km/h, as the arcs of the Sejong ring: 54 s from the upstream end to the stop line. */
    private void startLongLanes()
    {
        driver.send(driver.frames.topology(SignalFrames.fourLeg(ID), 450_000, 833));
        driver.send(driver.frames.modeChange(0, "adaptive"));
    }

    @Test
    void aVehicleFarUpALongLaneDoesNotHoldTheGreen()
    {
        startLongLanes();
        // a vehicle enters each north-south lane as the green starts; one vehicle waits east
        final Command first = driver.step(ID, new int[]{ 1, 1, 1, 0 }, new int[]{ 0, 1, 0, 0 });
        assertEquals("GrGr", first.state());
        for (int s = 1; s < 5; s++)
        {
            assertEquals(SignalReason.MIN_GREEN, driver.step(ID, new int[]{ 1, 1, 1, 0 }, new int[]{ 0, 1, 0, 0 }).reason());
        }
        // they are still some 40 s away: serve the one waiting now, the green will be back before they arrive
        final Command gapOut = driver.step(ID, new int[]{ 1, 1, 1, 0 }, new int[]{ 0, 1, 0, 0 });
        assertEquals("yryr", gapOut.state());
        assertEquals(SignalReason.GAP_OUT, gapOut.reason());
    }

    @Test
    void aVehicleDueAtTheStopLineHoldsTheGreen()
    {
        startLongLanes();
        // north-south vehicles enter and drive up (10 m/s observed); nobody else: rest in green
        for (int s = 0; s < 40; s++)
        {
            assertEquals("GrGr", driver.step(ID, new int[]{ 1, 0, 1, 0 }, NONE).state());
        }
        // some 6 s from the stop line now; a vehicle waits east: let the two through first
        for (int s = 40; s < 45; s++)
        {
            final Command command = driver.step(ID, new int[]{ 1, 1, 1, 0 }, new int[]{ 0, 1, 0, 0 });
            assertEquals("GrGr", command.state(), "second " + s);
            assertEquals(SignalReason.EXTEND_DEMAND, command.reason());
        }
        // through: now the east one
        final Command gapOut = driver.step(ID, new int[]{ 0, 1, 0, 0 }, new int[]{ 0, 1, 0, 0 });
        assertEquals("yryr", gapOut.state());
        assertEquals(SignalReason.GAP_OUT, gapOut.reason());
    }

    /**
     * North: a steady stream, one vehicle every 5 s on a 250 m lane at 30 km/h (30 s from end to end), so one or
     * two are always due within the 7 s arrival window; from second 35, three wait east. Returns the command of
     * each second from 35 on.
     */
    private static List<Command> steadyStreamAgainstAQueue(final LoopDriver driver)
    {
        driver.send(driver.frames.topology(SignalFrames.fourLeg(ID), 250_000, 833));
        driver.send(driver.frames.modeChange(0, "adaptive"));
        final List<Command> commands = new ArrayList<>();
        for (int s = 0; s < 70; s++)
        {
            int north = 0;
            for (int entered = 0; entered <= s; entered += 5)
            {
                north += s < entered + 31 ? 1 : 0; // crosses the stop line a second after it is due
            }
            final int east = s < 35 ? 0 : 3;
            final Command command = driver.step(ID, new int[]{ north, east, 0, 0 }, new int[]{ 0, east, 0, 0 });
            if (s >= 35)
            {
                commands.add(command);
            }
        }
        return commands;
    }

    @Test
    void aSteadyStreamGivesWayToAQueueElsewhere()
    {
        // holding would only swap the stream's vehicles stopped by the switch for later ones: gap out
        final List<Command> commands = steadyStreamAgainstAQueue(driver);
        int gapOut = -1;
        for (int s = 0; s < commands.size() && gapOut < 0; s++)
        {
            gapOut = commands.get(s).reason() == SignalReason.GAP_OUT ? s : -1;
        }
        assertTrue(gapOut >= 0 && gapOut < 5, "gap-out within 5 s of the queue, was " + gapOut + ": " + commands);
        assertEquals("yryr", commands.get(gapOut).state());

        // without the steady-flow share the stream's next vehicle always holds the green, until max green
        final LoopDriver withoutShare = new LoopDriver(new SignalLoop(SignalTiming.defaults(), ControlMode.ADAPTIVE,
            AdaptiveController.Settings.defaults().withSteadyShare(0)));
        final List<Command> held = steadyStreamAgainstAQueue(withoutShare);
        for (int s = 0; s < 25; s++)
        {
            assertEquals("GrGr", held.get(s).state(), "second " + (35 + s));
        }
        assertEquals(SignalReason.MAX_OUT, held.get(25).reason());
    }

    /**
     * North: four wait at the stop line as the green starts and move off one every second from second 2; two more come
     * in behind them at second 1 and slow down for them. East: ten wait. Returns the commands of seconds 5 to 9, the
     * north lane's last queued vehicle gone at second 5 and the two behind it moving at {@code movingCmPerS}.
     */
    private static List<Command> queueTailAgainstAQueue(final LoopDriver driver, final int movingCmPerS)
    {
        driver.send(driver.frames.topology(SignalFrames.fourLeg(ID)));
        driver.send(driver.frames.modeChange(0, "adaptive"));
        final List<Command> commands = new ArrayList<>();
        for (int s = 0; s < 10; s++)
        {
            final int queued = s < 2 ? 4 : Math.max(0, 5 - s);
            final int north = queued + (s >= 1 ? 2 : 0);
            // the lane's mean speed is over every vehicle on it, the halting ones at 0
            final int northMean = north == 0 ? 0 : movingCmPerS * (north - queued) / north;
            final Command command = driver.step(ID, new int[]{ north, 10, 0, 0 }, new int[]{ queued, 10, 0, 0 },
                new int[]{ northMean, 0, 0, 0 });
            if (s >= 5)
            {
                commands.add(command);
            }
        }
        return commands;
    }

    @Test
    void aQueuesTailStillGettingUpToSpeedHoldsTheGreen()
    {
        // at 5 m/s of a 13.9 m/s limit the two behind the queue are still slowed by it, 2-6 s from the stop line
        final List<Command> slowed = queueTailAgainstAQueue(driver, 500);
        for (int s = 0; s < slowed.size(); s++)
        {
            assertEquals("GrGr", slowed.get(s).state(), "second " + (5 + s) + ": " + slowed);
            assertEquals(SignalReason.EXTEND_DEMAND, slowed.get(s).reason());
        }
        // up to speed (12 m/s) they hold nothing more than any arriving vehicle: ten waiting east outweigh them
        final List<Command> upToSpeed = queueTailAgainstAQueue(new LoopDriver(new SignalLoop(SignalTiming.defaults())), 1200);
        assertEquals("yryr", upToSpeed.get(0).state(), upToSpeed.toString());
        assertEquals(SignalReason.GAP_OUT, upToSpeed.get(0).reason());
        // and slowed, but with the rule off, the same
        final List<Command> ruleOff = queueTailAgainstAQueue(new LoopDriver(new SignalLoop(SignalTiming.defaults(), ControlMode.ADAPTIVE,
            AdaptiveController.Settings.defaults().withUpToSpeedShare(0))), 500);
        assertEquals("yryr", ruleOff.get(0).state(), ruleOff.toString());
    }

    @Test
    void aLaneSlowLongAfterItsQueueLeftDoesNotHoldTheGreen()
    {
        // north: two move slowly (5 m/s) up a lane whose last queue left before the green; east: ten wait
        driver.send(driver.frames.topology(SignalFrames.fourLeg(ID)));
        driver.send(driver.frames.modeChange(0, "adaptive"));
        final List<Command> commands = new ArrayList<>();
        for (int s = 0; s < 7; s++)
        {
            final int north = s >= 1 ? 2 : 0;
            commands.add(driver.step(ID, new int[]{ north, 10, 0, 0 }, new int[]{ 0, 10, 0, 0 }, new int[]{ north > 0 ? 500 : 0, 0, 0, 0 }));
        }
        assertEquals("yryr", commands.get(5).state(), "no queue moved off: the slow-down is not a queue's: " + commands);
        assertEquals(SignalReason.GAP_OUT, commands.get(5).reason());
    }

    @Test
    void aQueueThatDoesNotMoveDoesNotHoldTheGreen()
    {
        startLongLanes();
        // north: a car halts at the stop line from the start (a turn waiting for a gap), another comes in far
        // behind it at second 2; east: two wait
        for (int s = 0; s < 5; s++)
        {
            final int north = s < 2 ? 1 : 2;
            assertEquals("GrGr", driver.step(ID, new int[]{ north, 2, 0, 0 }, new int[]{ 1, 2, 0, 0 }).state());
        }
        final Command gapOut = driver.step(ID, new int[]{ 2, 2, 0, 0 }, new int[]{ 1, 2, 0, 0 });
        assertEquals("yryr", gapOut.state(), "a queue that has not moved off for the queue-move time holds nothing");
        assertEquals(SignalReason.GAP_OUT, gapOut.reason());
    }

    @Test
    void restsInGreenWhileNoOneElseWaits()
    {
        startPlain();
        for (int s = 0; s < 120; s++)
        {
            assertEquals("GrGr", driver.step(ID, new int[]{ 1, 0, 1, 0 }, NONE).state());
        }
    }

    @Test
    void maxesOutUnderContinuousDemandOnEveryApproach()
    {
        startPlain();
        final int[] vehicles = { 10, 10, 10, 10 };
        final int[] halting = { 5, 5, 5, 5 };
        final List<Command> commands = new ArrayList<>();
        for (int s = 0; s < 200; s++)
        {
            commands.add(driver.step(ID, vehicles, halting));
        }
        final List<Integer> maxOuts = new ArrayList<>();
        for (int s = 0; s < commands.size(); s++)
        {
            if (commands.get(s).reason() == SignalReason.MAX_OUT)
            {
                maxOuts.add(s);
                assertTrue(commands.get(s).state().contains("y"), "max-out starts the yellow");
            }
        }
        // 60 s of green, 5 s of clearance, 60 s of green...
        assertEquals(List.of(60, 125, 190), maxOuts);
        assertEquals("rGrG", commands.get(65).state());
        assertEquals(0, driver.loop.refusedCommands());
    }

    /**
     * A green that stays green into the next phase keeps ageing: after resting 70 s in its first phase, every other
     * phase keeps one of its two greens, now past max green with a call against it. The controller must still leave
     * (before 2026-11-26 it held on and the monitor cut both greens, then let them start again and hold on), and the
     * green the next phase keeps clears with the others and starts afresh.
     */
    @Test
    void aGreenPastMaxGreenThatEveryOtherPhaseWouldKeepClearsWithTheOthersInsteadOfBeingRefused()
    {
        for (final String control : List.of("adaptive", "maxpressure"))
        {
            final LoopDriver run = new LoopDriver();
            run.send(run.frames.topology(SignalFrames.sharedGreens(ID)));
            run.send(run.frames.modeChange(0, control));
            final List<Command> commands = new ArrayList<>();
            for (int s = 0; s < 70; s++)
            {
                commands.add(run.step(ID, new int[]{ 2, 2, 0, 0 }, new int[]{ 0, 1, 0, 0 }));
            }
            assertTrue(commands.subList(60, 70).stream().allMatch(c -> c.state().equals("GGrr")), control + ": rests in green, nobody else waits");
            // both other streams call now: each green of "GGrr" has maxed out, and each other phase would keep one of them
            for (int s = 70; s < 120; s++)
            {
                commands.add(run.step(ID, new int[]{ 2, 2, 3, 3 }, new int[]{ 1, 1, 3, 3 }));
            }
            assertEquals(0, run.loop.refusedCommands(), control + ": " + commands.subList(68, 90));
            assertTrue(commands.subList(70, 120).stream().anyMatch(c -> c.state().equals("GrGr") || c.state().equals("rGrG")),
                control + ": another phase is served");
            final int left = firstIndexNot(commands, "GGrr", 70);
            assertEquals("yyrr", commands.get(left).state(), control + ": the green kept by the next phase clears too: " + commands.get(left));
            assertSafeSequence(commands, "GGrr");
        }
    }

    private static int firstIndexNot(final List<Command> commands, final String state, final int from)
    {
        for (int s = from; s < commands.size(); s++)
        {
            if (!commands.get(s).state().equals(state))
            {
                return s;
            }
        }
        return -1;
    }

    @Test
    void fallsBackToItsOwnProgramWhenObservationsStopAndRecoversWhenTheyReturn()
    {
        startPlain();
        for (int s = 0; s < 5; s++)
        {
            driver.step(ID, EAST_WEST_WAITING, EAST_WEST_WAITING);
        }
        final List<Command> silent = new ArrayList<>();
        for (int s = 0; s < 80; s++)
        {
            silent.add(driver.tick(1000).get(0));
        }
        // the last observation is 10 s old at the 10th silent tick: still adaptive; older: fallback
        assertEquals(SignalMode.ADAPTIVE, silent.get(9).mode());
        assertEquals(SignalMode.FALLBACK, silent.get(10).mode());
        assertEquals(1, driver.loop.fallbacks());
        for (int s = 10; s < silent.size(); s++)
        {
            final SignalReason reason = silent.get(s).reason();
            assertTrue(reason == SignalReason.FALLBACK_NO_DATA || reason == SignalReason.YELLOW_CLEARANCE ||
                reason == SignalReason.ALL_RED_CLEARANCE || reason == SignalReason.MIN_GREEN, "tick " + s + ": " + reason);
        }
        // its own program: greens of 30 s
        assertEquals(30, greenRuns(silent, "rGrG").get(0));

        final Command back = driver.step(ID, new int[]{ 3, 0, 3, 0 }, new int[]{ 3, 0, 3, 0 });
        assertEquals(SignalMode.ADAPTIVE, back.mode());
        assertEquals(SignalReason.RECOVERY, back.reason());
        boolean recovered = false;
        for (int s = 0; s < 60 && !recovered; s++)
        {
            final Command command = driver.step(ID, new int[]{ 3, 0, 3, 0 }, new int[]{ 3, 0, 3, 0 });
            recovered = command.reason() != SignalReason.RECOVERY;
        }
        assertTrue(recovered);
        assertEquals(1, driver.loop.fallbacks());
        assertEquals(0, driver.loop.refusedCommands());
    }

    @Test
    void aControllerReportedOfflineFallsBackAtOnceAndRejoinsSafelyWhenOnlineAgain()
    {
        startPlain();
        for (int s = 0; s < 5; s++)
        {
            driver.step(ID, EAST_WEST_WAITING, EAST_WEST_WAITING);
        }
        // another device kind, or another intersection's controller, changes nothing here
        driver.send(driver.frames.deviceStatus(kr.sejong.city.codecs.DeviceKind.ESS, ID, kr.sejong.city.codecs.DeviceState.OFFLINE));
        driver.send(driver.frames.deviceStatus(kr.sejong.city.codecs.DeviceKind.INTERSECTION_CONTROLLER, ID + 99,
            kr.sejong.city.codecs.DeviceState.OFFLINE));
        assertEquals(SignalMode.ADAPTIVE, driver.step(ID, EAST_WEST_WAITING, EAST_WEST_WAITING).mode());

        driver.send(driver.frames.deviceStatus(kr.sejong.city.codecs.DeviceKind.INTERSECTION_CONTROLLER, ID,
            kr.sejong.city.codecs.DeviceState.OFFLINE));
        // observations still fresh (the last one a second old), yet the controller is unreachable: fallback now
        final List<Command> offline = new ArrayList<>();
        for (int s = 0; s < 40; s++)
        {
            offline.add(driver.step(ID, EAST_WEST_WAITING, EAST_WEST_WAITING));
        }
        assertTrue(offline.stream().allMatch(c -> c.mode() == SignalMode.FALLBACK), offline.toString());
        assertEquals(1, driver.loop.fallbacks());

        driver.send(driver.frames.deviceStatus(kr.sejong.city.codecs.DeviceKind.INTERSECTION_CONTROLLER, ID,
            kr.sejong.city.codecs.DeviceState.ONLINE));
        final Command back = driver.step(ID, new int[]{ 3, 0, 3, 0 }, new int[]{ 3, 0, 3, 0 });
        assertEquals(SignalMode.ADAPTIVE, back.mode());
        assertEquals(SignalReason.RECOVERY, back.reason());
        assertEquals(1, driver.loop.fallbacks());
        assertEquals(0, driver.loop.refusedCommands(), "the way back is a safe transition");
    }

    @Test
    void modeChangesSwitchTheController()
    {
        startPlain();
        driver.send(driver.frames.modeChange(0, "fixed"));
        final List<Command> fixed = new ArrayList<>();
        for (int s = 0; s < 100; s++)
        {
            fixed.add(driver.step(ID, new int[]{ 9, 9, 9, 9 }, new int[]{ 3, 3, 3, 3 }));
        }
        assertTrue(fixed.stream().allMatch(c -> c.mode() == SignalMode.FIXED_TIME));
        assertEquals(30, greenRuns(fixed, "GrGr").get(0), "the program's 30 s");
        assertEquals(30, greenRuns(fixed, "rGrG").get(0));
        assertTrue(fixed.stream().anyMatch(c -> c.reason() == SignalReason.FIXED_PLAN));

        driver.send(driver.frames.modeChange(ID, "maxpressure"));
        assertEquals(ControlMode.MAX_PRESSURE, driver.loop.mode(ID));
        final List<Command> pressure = new ArrayList<>();
        for (int s = 0; s < 60; s++)
        {
            pressure.add(driver.step(ID, new int[]{ 9, 9, 9, 9 }, new int[]{ 3, 1, 3, 1 }));
        }
        assertTrue(pressure.stream().allMatch(c -> c.mode() == SignalMode.ADAPTIVE));
        assertTrue(pressure.stream().anyMatch(c -> c.reason() == SignalReason.PRESSURE));

        driver.send(driver.frames.modeChange(0, "chaos"));
        assertEquals(1, driver.loop.invalidInputs());
        assertEquals(ControlMode.MAX_PRESSURE, driver.loop.mode(ID));
        driver.send(driver.frames.modeChange(99, "fixed"));
        assertEquals(1, driver.loop.unknownIntersections());
        assertEquals(0, driver.loop.refusedCommands());
    }

    @Test
    void aNewTopologyForAnIntersectionUnderControlIsClearedSafelyAndTheOverrideCounted()
    {
        startPlain();
        for (int s = 0; s < 10; s++)
        {
            assertEquals("GrGr", driver.step(ID, new int[]{ 5, 0, 5, 0 }, new int[]{ 2, 0, 2, 0 }).state());
        }
        // the same intersection, its program now starting with east-west: the field still shows GrGr
        final SignalFrames.Topology plain = SignalFrames.fourLeg(ID);
        final SignalFrames.Topology swapped = new SignalFrames.Topology(ID, "swapped", plain.laneApproach(), plain.movementLane(),
            plain.movementTo(), plain.turns(), plain.conflicts(), new String[]{ "rGrG", "ryry", "GrGr", "yryr" }, plain.durationsMs());
        driver.send(driver.frames.topology(swapped));
        final List<Command> after = new ArrayList<>();
        for (int s = 0; s < 12; s++)
        {
            after.add(driver.step(ID, new int[]{ 5, 5, 5, 5 }, new int[]{ 2, 2, 2, 2 }));
        }
        assertEquals(SignalReason.SAFETY_OVERRIDE, after.get(0).reason());
        assertEquals("yryr", after.get(0).state(), "the monitor turns the old greens to yellow instead");
        assertTrue(driver.loop.refusedCommands() >= 1);
        assertSafeSequence(after, "GrGr");
        assertTrue(after.stream().anyMatch(c -> c.state().equals("rGrG")), "then the new program's phase");
    }

    @Test
    void protectedLeftsAreServedWhenOnlyTheLeftLanesWait()
    {
        driver.send(driver.frames.topology(SignalFrames.protectedLefts(ID)));
        final int[] lefts = { 0, 3, 0, 0, 0, 3, 0, 0 };
        final List<Command> commands = new ArrayList<>();
        for (int s = 0; s < 20; s++)
        {
            commands.add(driver.step(ID, lefts, lefts));
        }
        assertEquals("GgrrGgrr", commands.get(0).state(), "through with permissive lefts, as the program starts");
        assertTrue(commands.stream().anyMatch(c -> c.state().equals("rGrrrGrr")), "protected lefts");
        // the through movements end through yellow; the lefts keep their green into the protected phase
        assertTrue(commands.stream().anyMatch(c -> c.state().equals("ygrryGrr") || c.state().equals("ygrrygrr")));
        assertEquals(0, driver.loop.refusedCommands());
        assertSafeSequence(commands, "GgrrGgrr");
    }

    @Test
    void commandsComeInAscendingIntersectionIdOnePerIntersection()
    {
        driver.send(driver.frames.topology(SignalFrames.fourLeg(9)));
        driver.send(driver.frames.topology(SignalFrames.protectedLefts(3)));
        driver.send(driver.frames.topology(SignalFrames.fourLeg(5)));
        final List<Command> commands = driver.tick(1000);
        assertEquals(List.of(3L, 5L, 9L), commands.stream().map(Command::intersectionId).toList());
        assertEquals(3, driver.loop.intersectionCount());
    }

    @Test
    void badInputIsIgnoredAndCounted()
    {
        startPlain();
        driver.send(driver.frames.observations(42, new int[]{ 1, 1, 1, 1 }, NONE));
        assertEquals(1, driver.loop.unknownIntersections());
        driver.send(driver.frames.observations(ID, new int[]{ 1, 1, 1 }, new int[]{ 0, 0, 0 }));
        assertEquals(1, driver.loop.invalidInputs());

        final SignalFrames.Topology plain = SignalFrames.fourLeg(11);
        final boolean[][] asymmetric = plain.conflicts().clone();
        asymmetric[0] = asymmetric[0].clone();
        asymmetric[0][1] = false;
        driver.send(driver.frames.topology(new SignalFrames.Topology(11, "bad", plain.laneApproach(), plain.movementLane(),
            plain.movementTo(), plain.turns(), asymmetric, plain.program(), plain.durationsMs())));
        assertEquals(2, driver.loop.invalidInputs());
        driver.send(driver.frames.topology(new SignalFrames.Topology(12, "bad", plain.laneApproach(), new int[]{ 0, 1, 2, 4 },
            plain.movementTo(), plain.turns(), plain.conflicts(), plain.program(), plain.durationsMs())));
        assertEquals(3, driver.loop.invalidInputs());
        assertEquals(1, driver.loop.intersectionCount());
        assertEquals(1, driver.tick(1000).size());
    }

    @Test
    void aLoopRestoredMidRunContinuesByteForByte()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final List<byte[]> inputs = new ArrayList<>();
        final SignalFrames frames = new SignalFrames();
        inputs.add(frames.topology(SignalFrames.fourLeg(1)));
        inputs.add(frames.topology(SignalFrames.protectedLefts(2)));
        for (int s = 0; s < 400; s++)
        {
            if (s < 150 || s > 170) // a silence: intersection 2 falls back and recovers
            {
                inputs.add(randomObservations(frames, 2, 8, random));
            }
            inputs.add(randomObservations(frames, 1, 4, random));
            if (s == 250)
            {
                inputs.add(frames.modeChange(1, "maxpressure"));
            }
            if (s >= 185 && s <= 215)
            {
                // an ambulance preempting intersection 2 across the snapshot, pre-clearing intersection 1
                inputs.add(frames.priorityRequest(77, 9, kr.sejong.city.codecs.VehicleRole.AMBULANCE,
                    s == 185 ? kr.sejong.city.codecs.PriorityRequestType.REQUEST
                        : s == 215 ? kr.sejong.city.codecs.PriorityRequestType.CANCEL : kr.sejong.city.codecs.PriorityRequestType.UPDATE,
                    2, 1, -1, 10_000, new int[]{ 1, 3, 40_000 }));
            }
            inputs.add(frames.tick(SignalFrames.EPOCH_NS + (s + 1) * 1_000_000_000L, s));
        }

        final LoopDriver original = new LoopDriver();
        final List<byte[]> originalOut = new ArrayList<>();
        LoopDriver restored = null;
        final List<byte[]> restoredOut = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++)
        {
            original.nowNs = timeOf(inputs, i);
            originalOut.addAll(original.send(inputs.get(i)));
            if (i == inputs.size() / 2)
            {
                final StateWriter writer = new StateWriter();
                original.loop.snapshot(writer);
                restored = new LoopDriver();
                restored.loop.restore(new StateReader().wrap(writer.buffer(), 0, writer.length()));
                final StateWriter again = new StateWriter();
                restored.loop.snapshot(again);
                assertEquals(writer.length(), again.length());
                assertArrayEquals(java.util.Arrays.copyOf(writer.buffer().byteArray(), writer.length()),
                    java.util.Arrays.copyOf(again.buffer().byteArray(), again.length()), "same state, same bytes");
                originalOut.clear();
            }
            else if (restored != null)
            {
                restored.nowNs = original.nowNs;
                restoredOut.addAll(restored.send(inputs.get(i)));
            }
        }
        assertTrue(originalOut.size() > 300);
        assertEquals(originalOut.size(), restoredOut.size());
        for (int i = 0; i < originalOut.size(); i++)
        {
            assertArrayEquals(originalOut.get(i), restoredOut.get(i), "egress frame " + i);
        }
        assertTrue(original.loop.fallbacks() >= 1);
        assertEquals(original.loop.fallbacks(), restored.loop.fallbacks());
        assertEquals(1, original.loop.intersection(2).priority().preemptions(), "the ambulance preempted intersection 2");
        assertEquals(original.loop.priorityStatuses(), restored.loop.priorityStatuses());
        assertEquals(0, original.loop.refusedCommands());
    }

    @Test
    void theCityConfigurationRegistersTheSignalLoop()
    {
        final List<ControlLoop> loops = Loops.create(ConfigLoader.loadDefault().config());
        final SignalLoop loop = (SignalLoop)loops.stream().filter(l -> l.name().equals("signal")).findFirst().orElseThrow();
        assertEquals(5000, loop.timing().minGreenMs());
        assertEquals(3000, loop.timing().yellowMs());
        assertEquals(2000, loop.timing().allRedMs());
        assertEquals(60_000, loop.timing().maxGreenMs());
    }

    private static long timeOf(final List<byte[]> inputs, final int index)
    {
        // inputs between ticks carry the time of the tick before them, as the node stamps them
        for (int i = index; i >= 0; i--)
        {
            final byte[] frame = inputs.get(i);
            final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(frame);
            if (buffer.getShort(2) == kr.sejong.city.codecs.TickDecoder.TEMPLATE_ID)
            {
                return buffer.getLong(8);
            }
        }
        return SignalFrames.EPOCH_NS;
    }

    private static byte[] randomObservations(final SignalFrames frames, final long id, final int lanes, final SplittableRandom random)
    {
        final int[] vehicles = new int[lanes];
        final int[] halting = new int[lanes];
        for (int l = 0; l < lanes; l++)
        {
            vehicles[l] = random.nextInt(8);
            halting[l] = vehicles[l] == 0 ? 0 : random.nextInt(vehicles[l] + 1);
        }
        return frames.observations(id, vehicles, halting);
    }

    /** Lengths (in ticks) of the runs of consecutive commands showing {@code state}. */
    static List<Integer> greenRuns(final List<Command> commands, final String state)
    {
        final List<Integer> runs = new ArrayList<>();
        int run = 0;
        for (final Command command : commands)
        {
            if (command.state().equals(state))
            {
                run++;
            }
            else if (run > 0)
            {
                runs.add(run);
                run = 0;
            }
        }
        return runs;
    }

    /** Every movement leaving green shows yellow for 3 ticks (3 s) and never jumps from green to red or yellow to green. */
    private static void assertSafeSequence(final List<Command> commands, final String before)
    {
        String previous = before;
        final int[] yellowTicks = new int[before.length()];
        for (final Command command : commands)
        {
            final String state = command.state();
            for (int m = 0; m < state.length(); m++)
            {
                final char was = previous.charAt(m);
                final char now = state.charAt(m);
                final boolean wasGreen = was == 'G' || was == 'g';
                final boolean isGreen = now == 'G' || now == 'g';
                assertTrue(!(wasGreen && now == 'r'), "green straight to red at movement " + m + ": " + previous + " -> " + state);
                assertTrue(!(was == 'y' && isGreen), "yellow back to green at movement " + m);
                if (now == 'y')
                {
                    yellowTicks[m]++;
                }
                else if (was == 'y')
                {
                    assertTrue(yellowTicks[m] >= 3, "yellow of " + yellowTicks[m] + " s at movement " + m);
                    yellowTicks[m] = 0;
                }
            }
            previous = state;
        }
    }

    /**
     * In simulated mode what arrives before the first Tick is stamped with the journal's previous time
     * (0 on a fresh journal): the topology and first observations of a twin run. They count as seen at
     * the first Tick, so control does not start in fallback.
     */
    @Test
    void inputsStampedBeforeTheFirstTickDoNotStartInFallback()
    {
        final long firstTickNs = driver.nowNs;
        driver.nowNs = 0;
        driver.send(driver.frames.topology(SignalFrames.fourLeg(ID)));
        driver.send(driver.frames.observations(ID, new int[]{ 1, 0, 1, 0 }, new int[]{ 0, 0, 0, 0 }));
        driver.nowNs = firstTickNs;
        final List<Command> first = driver.tick(0);
        assertEquals(1, first.size());
        assertEquals(SignalMode.ADAPTIVE, first.get(0).mode(), "not FALLBACK: " + first.get(0));
        assertEquals(0, driver.loop.fallbacks());
    }
}
