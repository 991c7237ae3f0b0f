package kr.sejong.city.core.loops.signal;

import kr.sejong.city.codecs.MovementTurn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random but consistent intersections: lanes, movements, a symmetric conflict matrix and a program of safe greens. */
final class RandomIntersections
{
    private RandomIntersections()
    {
    }

    static SignalFrames.Topology topology(final long id, final SplittableRandom random)
    {
        final int movements = 2 + random.nextInt(15);
        final int lanes = 1 + random.nextInt(movements);
        final int[] laneApproach = new int[lanes];
        for (int l = 0; l < lanes; l++)
        {
            laneApproach[l] = random.nextInt(lanes);
        }
        final int[] movementLane = new int[movements];
        final int[] movementTo = new int[movements];
        final MovementTurn[] turns = new MovementTurn[movements];
        for (int m = 0; m < movements; m++)
        {
            movementLane[m] = m < lanes ? m : random.nextInt(lanes);
            movementTo[m] = lanes + random.nextInt(4);
            turns[m] = MovementTurn.values()[random.nextInt(6)];
        }
        final double density = random.nextDouble();
        final boolean[][] conflicts = new boolean[movements][movements];
        for (int i = 0; i < movements; i++)
        {
            for (int j = i + 1; j < movements; j++)
            {
                if (movementLane[i] != movementLane[j] && random.nextDouble() < density)
                {
                    conflicts[i][j] = true;
                    conflicts[j][i] = true;
                }
            }
        }
        final int greens = 1 + random.nextInt(5);
        final List<String> program = new ArrayList<>();
        final List<Integer> durations = new ArrayList<>();
        for (int p = 0; p < greens; p++)
        {
            final char[] state = new char[movements];
            java.util.Arrays.fill(state, 'r');
            for (int step = 0; step < movements; step++)
            {
                final int m = random.nextInt(movements);
                if (state[m] != 'r' || random.nextDouble() < 0.3)
                {
                    continue;
                }
                boolean free = true;
                for (int c = 0; c < movements; c++)
                {
                    free &= !(conflicts[m][c] && state[c] != 'r');
                }
                if (free)
                {
                    state[m] = 'G';
                }
                else if (random.nextDouble() < 0.2)
                {
                    state[m] = 'g'; // a permissive movement of this program
                }
            }
            if (new String(state).indexOf('G') < 0 && new String(state).indexOf('g') < 0)
            {
                state[random.nextInt(movements)] = 'G';
            }
            program.add(new String(state));
            durations.add(1000 * (1 + random.nextInt(90)));
            final char[] yellow = state.clone();
            for (int m = 0; m < movements; m++)
            {
                yellow[m] = yellow[m] == 'r' ? 'r' : 'y';
            }
            program.add(new String(yellow));
            durations.add(2000 + 1000 * random.nextInt(3));
        }
        return new SignalFrames.Topology(id, "random-" + id, laneApproach, movementLane, movementTo, turns, conflicts,
            program.toArray(new String[0]), durations.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Random letters per movement, or a random phase of the model, or a random mixture of both. */
    static byte[] proposal(final IntersectionModel model, final SplittableRandom random)
    {
        final int n = model.movementCount();
        final byte[] state = new byte[n];
        final int kind = random.nextInt(3);
        final byte[] phase = model.phaseState(random.nextInt(model.phaseCount()));
        final byte[] letters = { 'G', 'g', 'y', 'r' };
        for (int m = 0; m < n; m++)
        {
            final byte randomLetter = letters[random.nextInt(letters.length)];
            state[m] = kind == 0 ? randomLetter : kind == 1 ? phase[m] : (random.nextBoolean() ? phase[m] : randomLetter);
        }
        return state;
    }
}
