package kr.sejong.city.config;

import java.util.List;

/**
 * What CCTV event triage and dispatch need.
 *
 * @param places       places that change an event's priority (schools, tunnel, ...).
 * @param cameras      CCTV, smart street-light cameras and drones.
 * @param agencies     agencies incidents are routed to, with their call numbers.
 * @param stations     police and fire/EMS stations and their units.
 * @param hospitals    hospitals patients may be taken to.
 * @param ackDeadlines how long an operator may take to acknowledge an incident, by priority.
 * @param correlation  when two events are taken for the same incident.
 * @param procedures   the standard operating procedure's steps for each event class (may be left out).
 */
public record Emergency(
    List<Place> places,
    List<Camera> cameras,
    List<Agency> agencies,
    List<Station> stations,
    List<Hospital> hospitals,
    AckDeadlines ackDeadlines,
    Correlation correlation,
    List<Procedure> procedures)
{
    /** Event classes a procedure may name (the schema's EventClass, lower case). */
    public static final List<String> EVENT_CLASSES = List.of("fire", "smoke", "fall", "climb_over", "intrusion",
        "vehicle_stopped_in_tunnel", "wrong_way", "jaywalking", "crowding", "collision", "medical", "crime", "other");

    public Emergency
    {
        places = Lists.copy(places);
        cameras = Lists.copy(cameras);
        agencies = Lists.copy(agencies);
        stations = Lists.copy(stations);
        hospitals = Lists.copy(hospitals);
        procedures = Lists.copy(procedures);
    }

    /** Without procedures (older files and tests). */
    public Emergency(final List<Place> places, final List<Camera> cameras, final List<Agency> agencies, final List<Station> stations,
        final List<Hospital> hospitals, final AckDeadlines ackDeadlines, final Correlation correlation)
    {
        this(places, cameras, agencies, stations, hospitals, ackDeadlines, correlation, null);
    }

    /**
     * The standard operating procedure for incidents of one event class: what the operator and the agencies do,
     * in order. Step 1 goes out with the incident's first notification.
     *
     * @param eventClass one of {@link #EVENT_CLASSES}.
     * @param steps      the steps, in order.
     */
    public record Procedure(String eventClass, List<String> steps)
    {
        public Procedure
        {
            steps = Lists.copy(steps);
        }
    }

    /**
     * Acknowledgement deadlines; an unacknowledged incident is escalated when its deadline passes.
     *
     * @param p1S for priority 1 (life at risk).
     * @param p2S for priority 2.
     * @param p3S for priority 3.
     */
    public record AckDeadlines(int p1S, int p2S, int p3S)
    {
    }

    /**
     * Events closer than {@code radiusM} in space and {@code windowS} in time join one incident.
     *
     * @param radiusM distance.
     * @param windowS time.
     */
    public record Correlation(double radiusM, int windowS)
    {
    }
}
