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
     * Limits of transit priority and emergency preemption.
     *
     * @param maxGreenExtensionMs longest green extension granted to a late bus.
     * @param busLateThresholdS   a bus gets priority only when at least this late.
     * @param maxPresenceS        a granted request that has not cleared after this long is dropped.
     */
    public record Priority(int maxGreenExtensionMs, int busLateThresholdS, int maxPresenceS)
    {
    }
}
