package kr.sejong.city.config;

import java.util.List;

/**
 * What adaptive signal control and priority/preemption need.
 *
 * @param speedLimitKmh default speed limit on streets without a link of their own (the ring's).
 * @param signalTiming  hard safety limits every signal command keeps.
 * @param priority      limits of bus priority and emergency-vehicle preemption.
 * @param intersections signalised intersections.
 * @param detectors     vehicle detectors at the intersections.
 * @param links         roads between intersections, for coordination and routes.
 */
public record Traffic(
    double speedLimitKmh,
    SignalTiming signalTiming,
    Priority priority,
    List<Intersection> intersections,
    List<Detector> detectors,
    List<Link> links)
{
    public Traffic
    {
        intersections = Lists.copy(intersections);
        detectors = Lists.copy(detectors);
        links = Lists.copy(links);
    }

    /**
     * Safety limits of every phase change.
     *
     * @param minGreenMs shortest green.
     * @param yellowMs   yellow clearance; never below 3000.
     * @param allRedMs   all-red clearance after yellow.
     * @param maxGreenMs longest green while other approaches have demand.
     */
    public record SignalTiming(int minGreenMs, int yellowMs, int allRedMs, int maxGreenMs)
    {
        /** Yellow shorter than this is never shown, whatever a file says. */
        public static final int YELLOW_MS_MIN = 3000;
    }

    /**
     * Emergency-vehicle preemption and transit (BRT) priority. Fields after {@code maxPresenceS} may be left
     * out of a file: the defaults below apply.
     *
     * @param maxGreenExtensionMs longest green extension (or earlier green) granted to a late bus.
     * @param busLateThresholdS   a bus gets priority only when at least this late against its timetable.
     * @param maxPresenceS        longest dwell of one preemption; a request still present after it is dropped.
     * @param preemptDelayMs      non-locking delay: a request must stay this long before preemption starts
     *                            (one that goes away during the delay never starts one); default 0.
     * @param pedestrianClearanceMinMs a pedestrian crossing's green may be cut to this when a preemption
     *                            enters (vehicle greens keep their min green, yellow and all-red are never cut);
     *                            default the min green.
     * @param requestTimeoutMs    a request not updated for this long is dropped (TIMED_OUT); default 3000.
     * @param corridorLeadS       a corridor intersection is pre-cleared this long before the vehicle's ETA;
     *                            default 20.
     * @param exitProgramPhase    the phase shown after a preemption: the green of this index of the network's own
     *                            program, or -1 (default) for the adaptive controller's choice.
     * @param trackClearances     intersections whose preemption first serves a track-clearance approach.
     * @param transitLines        BRT timetables: which vehicle runs which trip, due when at each intersection.
     */
    public record Priority(
        int maxGreenExtensionMs,
        int busLateThresholdS,
        int maxPresenceS,
        Integer preemptDelayMs,
        Integer pedestrianClearanceMinMs,
        Integer requestTimeoutMs,
        Integer corridorLeadS,
        Integer exitProgramPhase,
        List<TrackClearance> trackClearances,
        List<TransitLine> transitLines)
    {
        public static final int REQUEST_TIMEOUT_MS_DEFAULT = 3000;
        public static final int CORRIDOR_LEAD_S_DEFAULT = 20;

        public Priority
        {
            preemptDelayMs = preemptDelayMs == null ? 0 : preemptDelayMs;
            requestTimeoutMs = requestTimeoutMs == null ? REQUEST_TIMEOUT_MS_DEFAULT : requestTimeoutMs;
            corridorLeadS = corridorLeadS == null ? CORRIDOR_LEAD_S_DEFAULT : corridorLeadS;
            exitProgramPhase = exitProgramPhase == null ? -1 : exitProgramPhase;
            trackClearances = Lists.copy(trackClearances);
            transitLines = Lists.copy(transitLines);
        }

        /** The three limits of older files; everything else at its default. */
        public Priority(final int maxGreenExtensionMs, final int busLateThresholdS, final int maxPresenceS)
        {
            this(maxGreenExtensionMs, busLateThresholdS, maxPresenceS, null, null, null, null, null, null, null);
        }
    }

    /**
     * A preemption that first clears a track (a rail crossing, a tram line) by serving one approach.
     *
     * @param intersection the controller's own name (the SUMO traffic-light id in a twin).
     * @param approach     the approach index whose green clears the track.
     * @param durationMs   how long it is served before the dwell.
     */
    public record TrackClearance(String intersection, int approach, int durationMs)
    {
    }

    /**
     * A BRT line's timetable: trip k is run by vehicle {@code firstVehicleId + k}, departs at
     * {@code firstDepartureS + k * headwayS} (seconds of the day) and is due at each timepoint's intersection
     * {@code offsetS} after its departure.
     *
     * @param name            the line's name (in a twin: the SUMO flow whose vehicles run it).
     * @param firstVehicleId  on-board-unit id of the vehicle of trip 0.
     * @param firstDepartureS departure of trip 0, seconds after midnight.
     * @param headwayS        seconds between trips.
     * @param trips           number of trips.
     * @param timepoints      when a trip is due at each intersection it crosses.
     */
    public record TransitLine(String name, int firstVehicleId, double firstDepartureS, double headwayS, int trips,
        List<Timepoint> timepoints)
    {
        public TransitLine
        {
            timepoints = Lists.copy(timepoints);
        }

        /** Whether a vehicle runs a trip of this line. */
        public boolean runs(final long vehicleId)
        {
            return vehicleId >= firstVehicleId && vehicleId < (long)firstVehicleId + trips;
        }
    }

    /**
     * @param intersection the controller's own name (the SUMO traffic-light id in a twin).
     * @param offsetS      seconds after the trip's departure at which it is due at the intersection's stop line.
     */
    public record Timepoint(String intersection, double offsetS)
    {
    }
}
