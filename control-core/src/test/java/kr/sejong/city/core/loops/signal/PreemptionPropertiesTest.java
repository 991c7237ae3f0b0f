package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.VehicleRole;
import kr.sejong.city.config.Traffic;
import kr.sejong.city.core.loops.signal.LoopDriver.Command;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random intersections, random traffic and random streams of priority requests (every role, request,
 * update and cancel, approaches that exist and some that do not, ETAs, routes to the other intersection,
 * requests that stop being updated): whatever arrives, the states shown never put conflicting movements
 * green together, never shorten a yellow or an all-red, never cut a vehicle green below min green, and
 * every request message is answered in the input that brought it. Checked by {@link SafetyObserver},
 * written apart from the monitor; max green is not checked while a command says PREEMPTION (the dwell is
 * bounded by max presence instead).
 */
class PreemptionPropertiesTest
{
    private static final SignalTiming TIMING = SignalTiming.defaults();
    private static final VehicleRole[] ROLES = { VehicleRole.AMBULANCE, VehicleRole.FIRE, VehicleRole.POLICE, VehicleRole.BRT_BUS,
        VehicleRole.SHUTTLE };

    @Property(tries = 80)
    void randomRequestStreamsNeverBreakASafetyRule(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final SignalFrames.Topology first = RandomIntersections.topology(1, random);
        final SignalFrames.Topology second = RandomIntersections.topology(2, random);
        final IntersectionModel[] models = new IntersectionModel[2];
        try
        {
            models[0] = first.model();
            models[1] = second.model();
        }
        catch (final IllegalArgumentException ex)
        {
            Assume.that(false);
            return;
        }
        final PrioritySettings settings = PrioritySettings.of(new Traffic.Priority(10_000, 0, 20 + random.nextInt(100),
            random.nextInt(3) * 1000, random.nextInt(6) * 1000, 3000, 20, random.nextInt(3) - 1, List.of(), List.of()), TIMING);
        final LoopDriver driver = new LoopDriver(new SignalLoop(TIMING, ControlMode.ADAPTIVE, AdaptiveController.Settings.defaults(), settings));
        driver.send(driver.frames.topology(first));
        driver.send(driver.frames.topology(second));
        final SafetyObserver[] observers = { new SafetyObserver(models[0], TIMING), new SafetyObserver(models[1], TIMING) };
        final int[][] vehicles = { new int[models[0].laneCount()], new int[models[1].laneCount()] };
        final int[][] halting = { new int[models[0].laneCount()], new int[models[1].laneCount()] };
        int preemptingCommands = 0;
        for (int tick = 0; tick < 600; tick++)
        {
            driver.nowNs += 1_000_000_000L;
            for (int i = 0; i < 2; i++)
            {
                for (int l = 0; l < vehicles[i].length; l++)
                {
                    vehicles[i][l] = Math.max(0, vehicles[i][l] + random.nextInt(3) - 1);
                    halting[i][l] = vehicles[i][l] == 0 ? 0 : random.nextInt(vehicles[i][l] + 1);
                }
                driver.send(driver.frames.observations(i + 1, vehicles[i], halting[i]));
            }
            final int requests = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
            for (int r = 0; r < requests; r++)
            {
                final int at = 1 + random.nextInt(2);
                final int vehicle = random.nextInt(6);
                final PriorityRequestType type = PriorityRequestType.values()[random.nextInt(3)];
                final int approach = random.nextInt(models[at - 1].approachCount() + 1); // sometimes one that does not exist
                final int[][] route = random.nextBoolean() ? new int[][]{ { 3 - at, random.nextInt(3), random.nextInt(60_000) } } : new int[0][];
                final List<byte[]> out = driver.send(driver.frames.priorityRequest(vehicle * 10L + at, vehicle,
                    ROLES[vehicle % ROLES.length], type, at, approach, -1, random.nextInt(30_000), route));
                assertTrue(LoopDriver.statuses(out).stream().anyMatch(s -> s.intersectionId() == at && s.requestId() == vehicle * 10L + at),
                    "request answered at once, tick " + tick + ", seed " + seed);
            }
            final List<Command> commands = LoopDriver.decode(driver.send(driver.frames.tick(driver.nowNs, tick)));
            assertEquals(2, commands.size());
            for (int i = 0; i < 2; i++)
            {
                final Command command = commands.get(i);
                final boolean preempt = command.mode() == SignalMode.PREEMPTION;
                preemptingCommands += preempt ? 1 : 0;
                final boolean[] demand = preempt ? new boolean[models[i].movementCount()]
                    : driver.loop.intersection(i + 1).inFallback() ? null : demand(models[i], vehicles[i]);
                assertNull(observers[i].observe(driver.nowNs, command.state(), demand), "tick " + tick + ", seed " + seed);
            }
        }
        Assume.that(preemptingCommands > 0); // a stream that never preempted proves nothing here
    }

    private static boolean[] demand(final IntersectionModel model, final int[] vehicles)
    {
        final boolean[] demand = new boolean[model.movementCount()];
        for (int m = 0; m < demand.length; m++)
        {
            demand[m] = vehicles[model.movementLane(m)] > 0;
        }
        return demand;
    }
}
