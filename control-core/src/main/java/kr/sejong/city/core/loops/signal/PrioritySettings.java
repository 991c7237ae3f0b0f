package kr.sejong.city.core.loops.signal;

import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.Traffic;

import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Emergency-vehicle preemption and transit priority settings, from the city configuration's
 * {@code traffic.priority} (see {@link Traffic.Priority} for what each means), in nanoseconds.
 */
public final class PrioritySettings
{
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    final long preemptDelayNs;
    final long pedestrianMinGreenNs;
    final long requestTimeoutNs;
    final long maxPresenceNs;
    final long corridorLeadNs;
    final long maxExtensionNs;
    final long busLateThresholdNs;
    final int exitProgramPhase;
    final ZoneRules zone;
    private final Map<String, long[]> trackClearances = new HashMap<>();
    private final Line[] lines;

    /** One BRT line's timetable, in ns of the local day. */
    private record Line(long firstVehicleId, int trips, long firstDepartureNs, long headwayNs, Map<String, Long> offsetNs)
    {
    }

    private PrioritySettings(final Traffic.Priority priority, final int minGreenMs, final ZoneRules zone)
    {
        this.preemptDelayNs = priority.preemptDelayMs() * MS;
        this.pedestrianMinGreenNs = (priority.pedestrianClearanceMinMs() == null ? minGreenMs : priority.pedestrianClearanceMinMs()) * MS;
        this.requestTimeoutNs = priority.requestTimeoutMs() * MS;
        this.maxPresenceNs = priority.maxPresenceS() * S;
        this.corridorLeadNs = priority.corridorLeadS() * S;
        this.maxExtensionNs = priority.maxGreenExtensionMs() * MS;
        this.busLateThresholdNs = priority.busLateThresholdS() * S;
        this.exitProgramPhase = priority.exitProgramPhase();
        this.zone = zone;
        for (final Traffic.TrackClearance track : priority.trackClearances())
        {
            trackClearances.put(track.intersection(), new long[]{ track.approach(), track.durationMs() * MS });
        }
        final List<Traffic.TransitLine> transit = priority.transitLines();
        lines = new Line[transit.size()];
        for (int i = 0; i < lines.length; i++)
        {
            final Traffic.TransitLine line = transit.get(i);
            final Map<String, Long> offsets = new HashMap<>();
            for (final Traffic.Timepoint timepoint : line.timepoints())
            {
                offsets.put(timepoint.intersection(), Math.round(timepoint.offsetS() * S));
            }
            lines[i] = new Line(line.firstVehicleId(), line.trips(), Math.round(line.firstDepartureS() * S),
                Math.round(line.headwayS() * S), offsets);
        }
    }

    /** From the city configuration; the defaults of {@link Traffic.Priority} where it has no priority section. */
    public static PrioritySettings from(final CityConfig config, final SignalTiming timing)
    {
        final Traffic traffic = config.traffic();
        final Traffic.Priority priority = traffic == null || traffic.priority() == null ? defaultPriority() : traffic.priority();
        final String zoneId = config.city() == null || config.city().timeZone() == null ? "Asia/Seoul" : config.city().timeZone();
        return new PrioritySettings(priority, timing.minGreenMs(), ZoneId.of(zoneId).getRules());
    }

    /** The settings of a file that says only the three original limits, in Sejong's time zone. */
    public static PrioritySettings of(final Traffic.Priority priority, final SignalTiming timing)
    {
        return new PrioritySettings(priority, timing.minGreenMs(), ZoneId.of("Asia/Seoul").getRules());
    }

    public static PrioritySettings defaults(final SignalTiming timing)
    {
        return of(defaultPriority(), timing);
    }

    private static Traffic.Priority defaultPriority()
    {
        return new Traffic.Priority(10_000, 60, 120);
    }

    /** The track-clearance approach of an intersection (by its own name), or -1. */
    int trackApproach(final String intersection)
    {
        final long[] track = trackClearances.get(intersection);
        return track == null ? -1 : (int)track[0];
    }

    /** How long an intersection's track clearance is served, ns (0 when it has none). */
    long trackDurationNs(final String intersection)
    {
        final long[] track = trackClearances.get(intersection);
        return track == null ? 0 : track[1];
    }

    /**
     * When a vehicle's trip is due at an intersection, ns after local midnight, or {@link Long#MIN_VALUE} when
     * the timetable does not have the vehicle or the trip does not cross the intersection.
     */
    long dueNsOfDay(final long vehicleId, final String intersection)
    {
        for (final Line line : lines)
        {
            if (vehicleId >= line.firstVehicleId && vehicleId < line.firstVehicleId + line.trips)
            {
                final Long offset = line.offsetNs.get(intersection);
                if (offset == null)
                {
                    return Long.MIN_VALUE;
                }
                return line.firstDepartureNs + (vehicleId - line.firstVehicleId) * line.headwayNs + offset;
            }
        }
        return Long.MIN_VALUE;
    }
}
