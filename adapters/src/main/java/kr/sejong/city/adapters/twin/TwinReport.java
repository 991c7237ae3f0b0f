package kr.sejong.city.adapters.twin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * @param emergency             the emergency vehicles (SUMO vClass emergency) alone.
 * @param transit               the buses (vClass bus) alone.
 * @param background            every other vehicle: what preemption and bus priority cost the rest.
 * @param priority              the PriorityRequests the on-board units sent and the PriorityStatuses that answered
 *                              them (lockstep); all zero without them.
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
    String sumoVersion,
    Emergency emergency,
    Transit transit,
    Background background,
    Priority priority)
{
    /**
     * The emergency vehicles of the run (class read at departure; never inserted ones are not known).
     *
     * @param vehicles        departed.
     * @param arrived         of which arrived.
     * @param meanTravelTimeS arrival - departure (SUMO's tripinfo duration); those still driving at the end
     *                        with their time so far.
     * @param meanDelayS      timeLoss + departDelay, as {@link TwinReport#meanDelayS}.
     * @param stopsAtSignals  times an emergency vehicle went from moving (above 0.1 m/s) to halting while on an
     *                        incoming lane of a light: what preemption is there to prevent.
     */
    public record Emergency(long vehicles, long arrived, double meanTravelTimeS, double meanDelayS, long stopsAtSignals)
    {
        public static final Emergency NONE = new Emergency(0, 0, 0, 0, 0);
    }

    /**
     * The buses of the run.
     *
     * @param buses        departed.
     * @param arrived      of which arrived.
     * @param meanDelayS   timeLoss + departDelay; those still driving with their delay so far.
     * @param lateArrivals arrived buses whose delay exceeded the late threshold (the city's
     *                     {@code traffic.priority.busLateThresholdS}).
     */
    public record Transit(long buses, long arrived, double meanDelayS, long lateArrivals)
    {
        public static final Transit NONE = new Transit(0, 0, 0, 0);
    }

    /**
     * Every departed vehicle that is neither an emergency vehicle nor a bus.
     *
     * @param vehicles   departed.
     * @param meanDelayS timeLoss + departDelay; those still driving with their delay so far.
     */
    public record Background(long vehicles, double meanDelayS)
    {
        public static final Background NONE = new Background(0, 0);
    }

    /**
     * Priority requests of the twin's on-board units and the node's answers.
     *
     * @param enabled         whether the on-board units ran (lockstep with priority requests on).
     * @param requestsSent    PriorityRequests sent.
     * @param requestsByType  of which REQUEST, UPDATE, CANCEL.
     * @param statusesByCode  PriorityStatuses received, per status code (REQUESTED ... CANCELLED), all codes
     *                        listed.
     * @param missingStatuses requests that had no PriorityStatus with their requestId and intersectionId by the
     *                        time the SignalCommands of their tick had all arrived (the contract asks for one
     *                        before them); counted, not fatal.
     */
    public record Priority(boolean enabled, long requestsSent, Map<String, Long> requestsByType, Map<String, Long> statusesByCode,
        long missingStatuses)
    {
        public Priority
        {
            // copies that keep the caller's order (the schema's), for readable JSON
            requestsByType = Collections.unmodifiableMap(new LinkedHashMap<>(requestsByType));
            statusesByCode = Collections.unmodifiableMap(new LinkedHashMap<>(statusesByCode));
        }

        /** Statuses received, all codes together. */
        public long statuses()
        {
            return statusesByCode.values().stream().mapToLong(Long::longValue).sum();
        }
    }

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

    /** One line for logs: the vehicle categories and the priority requests. */
    public String prioritySummary()
    {
        return String.format(java.util.Locale.ROOT,
            "emergency %d (travel %.1f s, delay %.1f s, stops at signals %d), buses %d (delay %.1f s, late %d), background %d "
                + "(delay %.2f s); priority requests %s: %d sent, %d statuses %s, %d missing",
            emergency.vehicles(), emergency.meanTravelTimeS(), emergency.meanDelayS(), emergency.stopsAtSignals(), transit.buses(),
            transit.meanDelayS(), transit.lateArrivals(), background.vehicles(), background.meanDelayS(), priority.enabled() ? "on" : "off",
            priority.requestsSent(), priority.statuses(), priority.statusesByCode(), priority.missingStatuses());
    }
}
