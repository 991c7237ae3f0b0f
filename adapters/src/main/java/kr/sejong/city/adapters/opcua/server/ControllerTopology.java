package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.adapters.sim.IntersectionLayout;
import kr.sejong.city.adapters.twin.TwinFrames;
import kr.sejong.city.adapters.twin.TrafficLight;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.MovementTurn;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a simulated intersection controller controls, in the units of the field model (docs/opcua.md): its
 * lanes, its movements in signal-state order, which movements conflict, and its own fixed-time program.
 * The topology variables of the controller's object are these arrays as they are.
 *
 * @param name                  the controller's own id.
 * @param laneApproaches        per lane: the approach index.
 * @param laneLengthsMm         per lane: length.
 * @param laneSpeedLimitsCmPerS per lane: speed limit.
 * @param movementFromLanes     per movement: its incoming lane.
 * @param movementToApproaches  per movement: outgoing road, numbered after the incoming ones, -1 unknown.
 * @param movementTurns         per movement one SUMO direction letter ({@code ?} when unknown).
 * @param conflicts             n x n bits, row-major, bit {@code i*n+j} in byte {@code (i*n+j)/8}, least
 *                              significant first: i and j may not be green together.
 * @param programStates         the own program, one state per phase.
 * @param programDurationsMs    per phase.
 * @param programMinDurationsMs per phase.
 * @param programMaxDurationsMs per phase.
 */
public record ControllerTopology(
    String name,
    int[] laneApproaches,
    int[] laneLengthsMm,
    int[] laneSpeedLimitsCmPerS,
    int[] movementFromLanes,
    int[] movementToApproaches,
    String movementTurns,
    byte[] conflicts,
    String[] programStates,
    long[] programDurationsMs,
    long[] programMinDurationsMs,
    long[] programMaxDurationsMs)
{
    /**
     * @throws IllegalArgumentException naming what does not fit together.
     */
    public ControllerTopology
    {
        Objects.requireNonNull(name, "name");
        laneApproaches = laneApproaches.clone();
        laneLengthsMm = laneLengthsMm.clone();
        laneSpeedLimitsCmPerS = laneSpeedLimitsCmPerS.clone();
        movementFromLanes = movementFromLanes.clone();
        movementToApproaches = movementToApproaches.clone();
        conflicts = conflicts.clone();
        programStates = programStates.clone();
        programDurationsMs = programDurationsMs.clone();
        programMinDurationsMs = programMinDurationsMs.clone();
        programMaxDurationsMs = programMaxDurationsMs.clone();
        final int lanes = laneApproaches.length;
        if (laneLengthsMm.length != lanes || laneSpeedLimitsCmPerS.length != lanes)
        {
            throw new IllegalArgumentException(name + ": the lane arrays differ in length");
        }
        final int n = movementFromLanes.length;
        if (movementToApproaches.length != n || movementTurns.length() != n)
        {
            throw new IllegalArgumentException(name + ": the movement arrays differ in length");
        }
        if (conflicts.length != (n * n + 7) / 8)
        {
            throw new IllegalArgumentException(name + ": conflicts must have " + (n * n + 7) / 8 + " bytes for " + n +
                " movements, has " + conflicts.length);
        }
        final int phases = programStates.length;
        if (phases == 0)
        {
            throw new IllegalArgumentException(name + ": the own program has no phase");
        }
        if (programDurationsMs.length != phases || programMinDurationsMs.length != phases || programMaxDurationsMs.length != phases)
        {
            throw new IllegalArgumentException(name + ": the phase arrays differ in length");
        }
        for (int p = 0; p < phases; p++)
        {
            if (programStates[p].length() != n)
            {
                throw new IllegalArgumentException(name + ": phase " + p + " has " + programStates[p].length() +
                    " letters for " + n + " movements");
            }
            if (programDurationsMs[p] <= 0)
            {
                throw new IllegalArgumentException(name + ": phase " + p + " has no duration");
            }
        }
    }

    /** The topology of a light as the twin and the field simulator describe it. */
    public static ControllerTopology of(final TrafficLight light)
    {
        final List<TrafficLight.Lane> lanes = light.lanes();
        final int[] approaches = new int[lanes.size()];
        final int[] lengths = new int[lanes.size()];
        final int[] speeds = new int[lanes.size()];
        for (int l = 0; l < lanes.size(); l++)
        {
            approaches[l] = lanes.get(l).approachIndex();
            lengths[l] = (int)Math.min(Integer.MAX_VALUE, Math.round(lanes.get(l).zoneLengthM() * 1000.0));
            speeds[l] = (int)Math.max(0, Math.min(65534, Math.round(lanes.get(l).speedLimitMps() * 100.0)));
        }
        final List<TrafficLight.Movement> movements = light.movements();
        final int[] from = new int[movements.size()];
        final int[] to = new int[movements.size()];
        final StringBuilder turns = new StringBuilder();
        for (int m = 0; m < movements.size(); m++)
        {
            from[m] = movements.get(m).fromLaneIndex();
            to[m] = movements.get(m).toApproachIndex();
            turns.append(TwinFrames.dir(TwinFrames.turn(movements.get(m).dir())));
        }
        final List<TrafficLight.Phase> phases = light.program().phases();
        final String[] states = new String[phases.size()];
        final long[] durations = new long[phases.size()];
        final long[] minimums = new long[phases.size()];
        final long[] maximums = new long[phases.size()];
        for (int p = 0; p < phases.size(); p++)
        {
            states[p] = phases.get(p).state();
            durations[p] = phases.get(p).durationMs();
            minimums[p] = phases.get(p).minDurationMs();
            maximums[p] = phases.get(p).maxDurationMs();
        }
        return new ControllerTopology(light.id(), approaches, lengths, speeds, from, to, turns.toString(), light.conflictBits(),
            states, durations, minimums, maximums);
    }

    /** The topology of one of the field simulator's intersections. */
    public static ControllerTopology of(final IntersectionLayout layout)
    {
        return of(layout.toTrafficLight());
    }

    /** The topology an {@code IntersectionTopology} message carries (the decoder positioned at its start). */
    public static ControllerTopology decode(final IntersectionTopologyDecoder decoder)
    {
        final IntersectionTopologyDecoder.LanesDecoder lanes = decoder.lanes();
        final int laneCount = lanes.count();
        final int[] approaches = new int[laneCount];
        final int[] lengths = new int[laneCount];
        final int[] speeds = new int[laneCount];
        for (int l = 0; l < laneCount; l++)
        {
            lanes.next();
            approaches[l] = lanes.approachIndex();
            lengths[l] = lanes.lengthMm();
            speeds[l] = lanes.speedLimitCmPerS();
        }
        final IntersectionTopologyDecoder.MovementsDecoder movements = decoder.movements();
        final int n = movements.count();
        final int[] from = new int[n];
        final int[] to = new int[n];
        final StringBuilder turns = new StringBuilder(n);
        for (int m = 0; m < n; m++)
        {
            movements.next();
            from[m] = movements.fromLaneIndex();
            final int toApproach = movements.toApproachIndex();
            to[m] = toApproach == IntersectionTopologyDecoder.MovementsDecoder.toApproachIndexNullValue() ? -1 : toApproach;
            turns.append(TwinFrames.dir(movements.turn()));
        }
        final IntersectionTopologyDecoder.PhasesDecoder phases = decoder.phases();
        final int phaseCount = phases.count();
        final long[] durations = new long[phaseCount];
        final long[] minimums = new long[phaseCount];
        final long[] maximums = new long[phaseCount];
        for (int p = 0; p < phaseCount; p++)
        {
            phases.next();
            durations[p] = phases.durationMs();
            minimums[p] = phases.minDurationMs();
            maximums[p] = phases.maxDurationMs();
        }
        final String name = decoder.name();
        final String states = decoder.programStates();
        final byte[] conflicts = new byte[decoder.conflictsLength()];
        decoder.getConflicts(conflicts, 0, conflicts.length);
        final String[] programStates = states.isEmpty() ? new String[0] : states.split(";", -1);
        return new ControllerTopology(name, approaches, lengths, speeds, from, to, turns.toString(), conflicts, programStates,
            durations, minimums, maximums);
    }

    public int laneCount()
    {
        return laneApproaches.length;
    }

    public int movementCount()
    {
        return movementFromLanes.length;
    }

    public int phaseCount()
    {
        return programStates.length;
    }

    /** Movements i and j may not be green together. */
    public boolean conflicts(final int i, final int j)
    {
        final int k = i * movementCount() + j;
        return (conflicts[k >> 3] & (1 << (k & 7))) != 0;
    }

    /** The approach a movement comes from. */
    public int approachOfMovement(final int movement)
    {
        return laneApproaches[movementFromLanes[movement]];
    }

    @Override
    public int[] laneApproaches()
    {
        return laneApproaches.clone();
    }

    @Override
    public int[] laneLengthsMm()
    {
        return laneLengthsMm.clone();
    }

    @Override
    public int[] laneSpeedLimitsCmPerS()
    {
        return laneSpeedLimitsCmPerS.clone();
    }

    @Override
    public int[] movementFromLanes()
    {
        return movementFromLanes.clone();
    }

    @Override
    public int[] movementToApproaches()
    {
        return movementToApproaches.clone();
    }

    @Override
    public byte[] conflicts()
    {
        return conflicts.clone();
    }

    @Override
    public String[] programStates()
    {
        return programStates.clone();
    }

    @Override
    public long[] programDurationsMs()
    {
        return programDurationsMs.clone();
    }

    @Override
    public long[] programMinDurationsMs()
    {
        return programMinDurationsMs.clone();
    }

    @Override
    public long[] programMaxDurationsMs()
    {
        return programMaxDurationsMs.clone();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ControllerTopology that && name.equals(that.name) &&
            Arrays.equals(laneApproaches, that.laneApproaches) && Arrays.equals(laneLengthsMm, that.laneLengthsMm) &&
            Arrays.equals(laneSpeedLimitsCmPerS, that.laneSpeedLimitsCmPerS) &&
            Arrays.equals(movementFromLanes, that.movementFromLanes) &&
            Arrays.equals(movementToApproaches, that.movementToApproaches) && movementTurns.equals(that.movementTurns) &&
            Arrays.equals(conflicts, that.conflicts) && Arrays.equals(programStates, that.programStates) &&
            Arrays.equals(programDurationsMs, that.programDurationsMs) &&
            Arrays.equals(programMinDurationsMs, that.programMinDurationsMs) &&
            Arrays.equals(programMaxDurationsMs, that.programMaxDurationsMs);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(name, movementTurns, Arrays.hashCode(conflicts), Arrays.hashCode(programStates));
    }

    @Override
    public String toString()
    {
        return "ControllerTopology{" + name + ", " + laneCount() + " lanes, " + movementCount() + " movements, " + phaseCount() +
            " phases}";
    }
}
