package kr.sejong.city.core.loops.emergency;

import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.SensorKind;
import kr.sejong.city.config.Agency;

/**
 * The triage rules as small pure functions (tested directly): which classes belong to one situation, the
 * base priority of a class and how context moves it, which agencies a class goes to, which sensors raise
 * which class. Priorities are 1 (life at risk) to 3.
 */
public final class Triage
{
    /** Agencies set bits, as the schema's {@code Agencies} set. */
    public static final int POLICE = 1;
    public static final int FIRE = 1 << 1;
    public static final int EMS = 1 << 2;
    public static final int CITY = 1 << 3;
    /** Agencies that send vehicles. */
    public static final int VEHICLE_AGENCIES = POLICE | FIRE | EMS;

    /** Below this confidence (permille) a video event counts one priority level lower. */
    public static final int LOW_CONFIDENCE_PERMILLE = 500;
    /** A camera with at least this share of past false alarms counts one level lower unless corroborated. */
    public static final int FALSE_ALARM_PRONE_PERCENT = 25;
    /** Marked false alarms in this run after which a camera counts as false-alarm prone whatever its history. */
    public static final int FALSE_ALARMS_MARKED_PRONE = 3;
    /** A moving target (a wrong-way driver) is seen by cameras this far apart within the window, m (chosen: two ring junctions). */
    public static final double MOVING_TARGET_RADIUS_M = 1000;
    /** Night, local time: from 22:00 to 06:00. */
    public static final int NIGHT_FROM_HOUR = 22;
    public static final int NIGHT_TO_HOUR = 6;

    private Triage()
    {
    }

    /** Which situation family a class belongs to: classes of one family correlate. */
    public static int family(final EventClass eventClass)
    {
        return switch (eventClass)
        {
            case FIRE, SMOKE -> 1;
            case FALL, MEDICAL -> 2;
            case COLLISION, VEHICLE_STOPPED_IN_TUNNEL, WRONG_WAY -> 3;
            case CRIME, INTRUSION, CLIMB_OVER -> 4;
            case CROWDING -> 5;
            case JAYWALKING -> 6;
            default -> 7;
        };
    }

    public static boolean compatible(final EventClass a, final EventClass b)
    {
        return family(a) == family(b);
    }

    /** The correlation radius for a class: the configured one, or more for a target that moves. */
    public static double correlationRadiusM(final EventClass eventClass, final double configuredM)
    {
        return eventClass == EventClass.WRONG_WAY ? Math.max(configuredM, MOVING_TARGET_RADIUS_M) : configuredM;
    }

    /** Priority of a class before context: 1 when a life is at risk now. */
    public static int basePriority(final EventClass eventClass)
    {
        return switch (eventClass)
        {
            case FIRE, MEDICAL, VEHICLE_STOPPED_IN_TUNNEL, WRONG_WAY -> 1;
            case SMOKE, FALL, INTRUSION, COLLISION, CRIME -> 2;
            default -> 3;
        };
    }

    /** Classes whose priority rises at night (someone lying in the street, a break-in). */
    public static boolean nightSensitive(final EventClass eventClass)
    {
        return eventClass == EventClass.FALL || eventClass == EventClass.INTRUSION || eventClass == EventClass.CLIMB_OVER ||
            eventClass == EventClass.CRIME;
    }

    /** Of two classes of one incident, the one that speaks for it: the more urgent, the first on a tie. */
    public static EventClass leading(final EventClass current, final EventClass joining)
    {
        return basePriority(joining) < basePriority(current) ? joining : current;
    }

    /**
     * The priority from the class and its context, 1 to 3.
     *
     * @param maxConfidencePermille the most confident source (a call counts 1000).
     * @param sensitivePlace        within a school, hospital or tunnel.
     * @param night                 local night, for a night-sensitive class.
     * @param corroborated          a 112/119 call is among the sources.
     * @param falseAlarmProne       every video source comes from a camera prone to false alarms.
     * @param escalations           times an operator or a missed deadline escalated it.
     */
    public static int priority(final EventClass eventClass, final int maxConfidencePermille, final boolean sensitivePlace,
        final boolean night, final boolean corroborated, final boolean falseAlarmProne, final int escalations)
    {
        int p = basePriority(eventClass);
        if (maxConfidencePermille < LOW_CONFIDENCE_PERMILLE)
        {
            p++;
        }
        if (falseAlarmProne && !corroborated)
        {
            p++;
        }
        if (sensitivePlace)
        {
            p--;
        }
        if (night && nightSensitive(eventClass))
        {
            p--;
        }
        if (corroborated)
        {
            p--;
        }
        p -= escalations;
        return Math.max(1, Math.min(3, p));
    }

    /** Agencies an incident of the class is routed to. */
    public static int agencies(final EventClass eventClass)
    {
        return switch (eventClass)
        {
            case FIRE -> FIRE | EMS;
            case SMOKE -> FIRE;
            case FALL, MEDICAL -> EMS;
            case COLLISION -> POLICE | EMS;
            case VEHICLE_STOPPED_IN_TUNNEL -> POLICE | FIRE;
            case WRONG_WAY, CRIME, INTRUSION, CLIMB_OVER, JAYWALKING -> POLICE;
            default -> CITY;
        };
    }

    /** The class a sensor alarm raises. */
    public static EventClass sensorClass(final SensorKind kind)
    {
        return switch (kind)
        {
            case SMOKE_DETECTOR -> EventClass.SMOKE;
            case HEAT -> EventClass.FIRE;
            default -> EventClass.OTHER;
        };
    }

    /** Whether an hour of the local day is night. */
    public static boolean night(final int hourOfDay)
    {
        return hourOfDay >= NIGHT_FROM_HOUR || hourOfDay < NIGHT_TO_HOUR;
    }

    static int agencyBit(final Agency.Kind kind)
    {
        return switch (kind)
        {
            case POLICE -> POLICE;
            case FIRE -> FIRE;
            case EMS -> EMS;
        };
    }
}
