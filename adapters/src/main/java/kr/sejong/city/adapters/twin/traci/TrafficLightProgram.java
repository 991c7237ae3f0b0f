package kr.sejong.city.adapters.twin.traci;

import java.util.List;

/**
 * A traffic-light program as {@code getCompleteRedYellowGreenDefinition} reports it.
 *
 * @param programId         the program's id ("0" for most networks).
 * @param type              SUMO's program type code (0 static, 3 actuated, ...).
 * @param currentPhaseIndex the phase the light is in, for the program that runs.
 * @param phases            the phases in order.
 */
public record TrafficLightProgram(String programId, int type, int currentPhaseIndex, List<Phase> phases)
{
    public TrafficLightProgram
    {
        phases = List.copyOf(phases);
    }

    /**
     * One phase.
     *
     * @param durationS duration in seconds.
     * @param state     one letter per controlled link (SUMO's rRyYgGuoOs).
     * @param minDurS   minimum duration (actuated programs; equals the duration or -1 otherwise).
     * @param maxDurS   maximum duration (actuated programs; equals the duration or -1 otherwise).
     */
    public record Phase(double durationS, String state, double minDurS, double maxDurS)
    {
    }
}
