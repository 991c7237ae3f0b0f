package kr.sejong.city.adapters.twin;

/**
 * What a twin run measured.
 *
 * @param scenario              the SUMO config's name (file name without .sumocfg).
 * @param mode                  LOCKSTEP or FIXED_TIME_REFERENCE.
 * @param control               the control mode asked of the loop ("fixed-time-reference" without the node).
 * @param seed                  SUMO's seed.
 * @param intersections         traffic lights controlled.
 * @param vehicles              every vehicle of the run: departed + notInserted.
 * @param departed              vehicles that entered the network.
 * @param arrived               vehicles that reached their destination.
 * @param unfinished            departed but still driving at the end.
 * @param notInserted           due to depart but never inserted by the end (still waiting to enter).
 * @param meanDelayS            mean over all vehicles of SUMO's timeLoss + departDelay, s; unfinished ones
 *                              with their delay so far, not inserted ones with their wait so far.
 * @param meanTimeLossS         mean timeLoss over departed vehicles, s.
 * @param meanDepartDelayS      mean departDelay over all vehicles, s.
 * @param meanWaitingS          mean over departed vehicles of the time spent at speed <= 0.1 m/s, s
 *                              (SUMO's tripinfo waitingTime).
 * @param safetyViolations      conflictingGreenSteps + shortYellows + shortAllReds: what SUMO actually
 *                              showed, checked independently of the loop.
 * @param conflictingGreenSteps steps x lights with two conflicting movements green together.
 * @param shortYellows          greens ended with a yellow shorter than the minimum (3 s).
 * @param shortAllReds          greens started before a conflicting movement had cleared (all-red).
 * @param firstViolation        the first violation, in words ("" when none).
 * @param collisions            vehicles SUMO reported colliding.
 * @param teleports             vehicles SUMO teleported (stuck for --time-to-teleport).
 * @param commands              SignalCommands applied (lockstep).
 * @param safetyOverrides       commands whose reason is SAFETY_OVERRIDE: refusals of the loop's monitor.
 * @param fallbackCommands      commands in mode FALLBACK.
 * @param decisionLatency       Tick offer to SignalCommand received, per command (lockstep).
 * @param simS                  simulated seconds run.
 * @param steps                 simulation steps.
 * @param stepLengthS           SUMO's step length, s.
 * @param wallS                 wall-clock seconds of the run, SUMO's start and stop included.
 * @param sumoVersion           what SUMO said it is.
 */
public record TwinReport(
    String scenario,
    TwinMode mode,
    String control,
    long seed,
    int intersections,
    long vehicles,
    long departed,
    long arrived,
    long unfinished,
    long notInserted,
    double meanDelayS,
    double meanTimeLossS,
    double meanDepartDelayS,
    double meanWaitingS,
    long safetyViolations,
    long conflictingGreenSteps,
    long shortYellows,
    long shortAllReds,
    String firstViolation,
    long collisions,
    long teleports,
    long commands,
    long safetyOverrides,
    long fallbackCommands,
    Latency decisionLatency,
    double simS,
    long steps,
    double stepLengthS,
    double wallS,
    String sumoVersion)
{
    /**
     * A latency distribution in microseconds.
     *
     * @param count how many were recorded.
     */
    public record Latency(long count, double p50Us, double p99Us, double p999Us, double maxUs)
    {
        public static final Latency NONE = new Latency(0, 0, 0, 0, 0);
    }

    /** Wall seconds per simulated hour. */
    public double wallSPerSimHour()
    {
        return simS <= 0 ? 0 : wallS * 3600.0 / simS;
    }

    /** One line for logs. */
    public String summary()
    {
        return String.format(java.util.Locale.ROOT,
            "%s %s seed %d: %d vehicles (%d arrived, %d unfinished, %d not inserted), meanDelay %.2f s, meanWaiting %.2f s, "
                + "safetyViolations %d, collisions %d, teleports %d, latency p50/p99/max %.0f/%.0f/%.0f us, %.0f s simulated in %.1f s",
            scenario, control, seed, vehicles, arrived, unfinished, notInserted, meanDelayS, meanWaitingS, safetyViolations, collisions,
            teleports, decisionLatency.p50Us(), decisionLatency.p99Us(), decisionLatency.maxUs(), simS, wallS);
    }
}
