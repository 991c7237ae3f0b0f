package kr.sejong.city.core.loops.signal;

import kr.sejong.city.core.loops.signal.LoopDriver.Command;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random intersections (lanes, movements, conflict matrices, programs) and random command sequences at
 * random tick intervals: whatever is proposed, what the monitor lets through never shows conflicting
 * greens, never shortens yellow, all-red before a conflicting green, or min green, and never holds a green
 * past max green against demand. {@link SafetyObserver} checks, written apart from the monitor.
 */
class ConflictMonitorPropertiesTest
{
    private static final SignalTiming TIMING = SignalTiming.defaults();

    @Property(tries = 400)
    void whateverIsProposedTheOutputIsSafe(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final IntersectionModel model = modelOrNull(random);
        Assume.that(model != null);
        final ConflictMonitor monitor = new ConflictMonitor(model, TIMING);
        final SafetyObserver observer = new SafetyObserver(model, TIMING);
        final byte[] out = new byte[model.movementCount()];
        final boolean[] demand = new boolean[model.movementCount()];
        long nowNs = SignalFrames.EPOCH_NS;
        long refusals = 0;
        for (int tick = 0; tick < 600; tick++)
        {
            nowNs += 100_000_000L * (1 + random.nextInt(40));
            // sometimes hold the last output for a while, so that long greens and clearances happen
            final byte[] proposed = random.nextInt(4) == 0 ? out.clone() : RandomIntersections.proposal(model, random);
            for (int m = 0; m < demand.length; m++)
            {
                demand[m] = random.nextInt(3) > 0;
            }
            final boolean[] calls = random.nextInt(10) == 0 ? null : demand;
            final boolean accepted = monitor.check(nowNs, proposed, calls, out);
            final String state = new String(out, StandardCharsets.US_ASCII);
            assertNull(observer.observe(nowNs, state, calls), "tick " + tick + ", seed " + seed);
            refusals += accepted ? 0 : 1;
            if (accepted)
            {
                assertEquals(new String(proposed, StandardCharsets.US_ASCII), state, "accepted means shown as proposed");
            }
        }
        assertEquals(refusals, monitor.refusals());
    }

    @Property(tries = 60)
    void theWholeLoopOnRandomIntersectionsAndTrafficIsSafeAndAlmostNeverNeedsAnOverride(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final SignalFrames.Topology topology = RandomIntersections.topology(1, random);
        final IntersectionModel model;
        try
        {
            model = topology.model();
        }
        catch (final IllegalArgumentException ex)
        {
            Assume.that(false);
            return;
        }
        final LoopDriver driver = new LoopDriver();
        driver.send(driver.frames.topology(topology));
        final SafetyObserver observer = new SafetyObserver(model, TIMING);
        final String[] modes = { "adaptive", "maxpressure", "fixed" };
        final int lanes = model.laneCount();
        final int[] vehicles = new int[lanes];
        final int[] halting = new int[lanes];
        for (int tick = 0; tick < 900; tick++)
        {
            if (random.nextInt(150) == 0)
            {
                driver.send(driver.frames.modeChange(0, modes[random.nextInt(modes.length)]));
            }
            final boolean silent = (tick / 100) % 3 == 2 && tick % 100 < 30; // observations stop now and then
            if (!silent)
            {
                for (int l = 0; l < lanes; l++)
                {
                    vehicles[l] = Math.max(0, vehicles[l] + random.nextInt(3) - 1);
                    halting[l] = vehicles[l] == 0 ? 0 : random.nextInt(vehicles[l] + 1);
                }
                driver.send(driver.frames.observations(1, vehicles, halting));
            }
            final List<Command> commands = driver.tick(1000);
            assertEquals(1, commands.size());
            final boolean[] demand = driver.loop.intersection(1).inFallback() ? null : laneDemand(model, vehicles);
            assertNull(observer.observe(driver.nowNs, commands.get(0).state(), demand), "tick " + tick + ", seed " + seed);
        }
        // the controllers steer clear of max green themselves, also where random programs keep a movement green
        // across several phases (a controller whose green has maxed out leaves even when every other phase keeps an
        // old green: it clears with the others). What is left: a call against an old green kept into the next phase
        // that comes during that phase's min green, and the monitor cuts it there (1 refusal over 400 seeds of 900
        // ticks, measured 2026-11-26; before, 80 refusals on 32 of the 400 seeds, up to 11 in a run).
        assertTrue(driver.loop.refusedCommands() <= 2, "refusals " + driver.loop.refusedCommands() + " in 900 ticks, seed " + seed);
    }

    private static boolean[] laneDemand(final IntersectionModel model, final int[] vehicles)
    {
        final boolean[] demand = new boolean[model.movementCount()];
        for (int m = 0; m < demand.length; m++)
        {
            demand[m] = vehicles[model.movementLane(m)] > 0;
        }
        return demand;
    }

    private static IntersectionModel modelOrNull(final SplittableRandom random)
    {
        try
        {
            final IntersectionModel model = RandomIntersections.topology(1, random).model();
            assertTrue(model.phaseCount() > 0);
            return model;
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }
}
