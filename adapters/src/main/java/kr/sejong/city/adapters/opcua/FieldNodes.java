package kr.sejong.city.adapters.opcua;

import kr.sejong.city.codecs.DeviceKind;

import java.util.Locale;

/**
 * The names of the field information model (docs/opcua.md): the namespace, the device kinds with
 * their folder and NodeId prefix, and every variable and method name. Field servers and the client
 * adapter both build their NodeIds here, so the two cannot drift apart.
 * <p>
 * A NodeId's identifier is {@code <Kind>/<id>} for a device object and {@code <Kind>/<id>/<Name>} for
 * its variables and methods, a string in the namespace {@link #NAMESPACE_URI}.
 */
public final class FieldNodes
{
    /** Namespace of the field model; clients look its index up, never assume it. */
    public static final String NAMESPACE_URI = "urn:sejong-city:field:1";
    /** Folder under Objects holding the device folders. */
    public static final String ROOT_FOLDER = "Field";

    /** The kinds of device the model has, with their folder and NodeId prefix. */
    public enum Kind
    {
        INTERSECTION("Intersections", "Intersection", DeviceKind.INTERSECTION_CONTROLLER),
        ESS("Ess", "Ess", DeviceKind.ESS),
        CHARGER("Chargers", "Charger", DeviceKind.EV_CHARGER),
        PV("Pv", "Pv", DeviceKind.PV_INVERTER),
        PCC("Pcc", "Pcc", DeviceKind.PCC_METER),
        ANALYTICS("Analytics", "Analytics", DeviceKind.ANALYTICS_GATEWAY);

        private final String folder;
        private final String prefix;
        private final DeviceKind deviceKind;

        Kind(final String folder, final String prefix, final DeviceKind deviceKind)
        {
            this.folder = folder;
            this.prefix = prefix;
            this.deviceKind = deviceKind;
        }

        /** Folder under {@code Objects/Field}. */
        public String folder()
        {
            return folder;
        }

        /** First segment of the NodeId identifiers of this kind. */
        public String prefix()
        {
            return prefix;
        }

        /** The SBE device kind of DeviceStatus and grid messages. */
        public DeviceKind deviceKind()
        {
            return deviceKind;
        }

        /** The kind named in a configuration ({@code intersection}, {@code ess}, ...), case-insensitive. */
        public static Kind parse(final String name)
        {
            for (final Kind kind : values())
            {
                if (kind.name().equalsIgnoreCase(name))
                {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown field device kind '" + name + "' (one of intersection, ess, charger, pv, pcc, analytics)");
        }

        public String yamlName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    // intersection controller
    public static final String NAME = "Name";
    public static final String MODE = "Mode";
    public static final String PHASE_INDEX = "PhaseIndex";
    public static final String PHASE_ELAPSED_MS = "PhaseElapsedMs";
    public static final String SIGNAL_STATE = "SignalState";
    public static final String HEARTBEAT = "Heartbeat";
    public static final String CENTRAL_HEARTBEAT = "CentralHeartbeat";
    public static final String WATCHDOG_MS = "WatchdogMs";
    public static final String LANE_OBSERVATIONS = "LaneObservations";
    public static final String LANE_APPROACHES = "LaneApproaches";
    public static final String LANE_LENGTHS_MM = "LaneLengthsMm";
    public static final String LANE_SPEED_LIMITS_CM_PER_S = "LaneSpeedLimitsCmPerS";
    public static final String MOVEMENT_FROM_LANES = "MovementFromLanes";
    public static final String MOVEMENT_TO_APPROACHES = "MovementToApproaches";
    public static final String MOVEMENT_TURNS = "MovementTurns";
    public static final String CONFLICTS = "Conflicts";
    public static final String PROGRAM_STATES = "ProgramStates";
    public static final String PROGRAM_DURATIONS_MS = "ProgramDurationsMs";
    public static final String PROGRAM_MIN_DURATIONS_MS = "ProgramMinDurationsMs";
    public static final String PROGRAM_MAX_DURATIONS_MS = "ProgramMaxDurationsMs";
    public static final String DETECTOR = "Detector";
    public static final String COUNTS = "Counts";
    /** Values per lane in {@link #LANE_OBSERVATIONS}: vehicles, halting vehicles, occupancy permille. */
    public static final int LANE_OBSERVATION_WIDTH = 3;
    /**
     * Values per lane in {@link #LANE_OBSERVATIONS} of a controller that also measures speed: vehicles, halting vehicles,
     * occupancy permille, mean speed cm/s ({@link #NO_SPEED}: no vehicle, or not measured).
     */
    public static final int LANE_OBSERVATION_WIDTH_WITH_SPEED = 4;
    /** A lane's mean speed when there is none to give. */
    public static final int NO_SPEED = 65535;
    /** Values in a detector's {@link #COUNTS}: interval ms, vehicle count, occupancy permille, presence. */
    public static final int COUNTS_WIDTH = 4;
    /** Default of {@link #WATCHDOG_MS}. */
    public static final int DEFAULT_WATCHDOG_MS = 3000;

    // intersection controller methods
    public static final String SET_SIGNAL_STATE = "SetSignalState";
    public static final String REQUEST_PHASE = "RequestPhase";
    public static final String HOLD = "Hold";
    public static final String FORCE_OFF = "ForceOff";
    public static final String PREEMPT = "Preempt";

    // grid devices
    public static final String ACTIVE_POWER_W = "ActivePowerW";
    public static final String REACTIVE_POWER_VAR = "ReactivePowerVar";
    public static final String SOC_PERMILLE = "SocPermille";
    public static final String MAX_CHARGE_POWER_W = "MaxChargePowerW";
    public static final String MAX_DISCHARGE_POWER_W = "MaxDischargePowerW";
    public static final String SOC_MIN_PERMILLE = "SocMinPermille";
    public static final String SOC_MAX_PERMILLE = "SocMaxPermille";
    public static final String ALARMS = "Alarms";
    public static final String ACTIVE_POWER_SETPOINT_W = "ActivePowerSetpointW";
    public static final String REACTIVE_POWER_SETPOINT_VAR = "ReactivePowerSetpointVar";
    public static final String POWER_LIMIT_W = "PowerLimitW";
    public static final String MAX_POWER_W = "MaxPowerW";
    public static final String V2G_CAPABLE = "V2gCapable";
    public static final String SESSION = "Session";
    /** Values in a charger's {@link #SESSION}. */
    public static final int SESSION_WIDTH = 8;
    public static final String CURTAILMENT_LIMIT_W = "CurtailmentLimitW";
    public static final String FREQUENCY_MILLI_HZ = "FrequencyMilliHz";
    public static final String LOAD_W = "LoadW";

    // ESS alarm bits
    public static final int ALARM_OVER_TEMPERATURE = 1;
    public static final int ALARM_INSULATION_FAULT = 2;
    public static final int ALARM_INVERTER_FAULT = 4;
    public static final int ALARM_COMMUNICATION_FAULT = 8;

    // video-analytics gateway
    public static final String EVENT = "Event";
    public static final String EVENT_COUNT = "EventCount";
    /** Values in an analytics gateway's {@link #EVENT}. */
    public static final int EVENT_WIDTH = 9;
    /** Queue size the adapter monitors {@link #EVENT} with, so that events between samples are kept. */
    public static final int EVENT_QUEUE_SIZE = 64;

    private FieldNodes()
    {
    }

    /** Identifier of a device object: {@code Intersection/3}. */
    public static String device(final Kind kind, final long id)
    {
        return kind.prefix() + '/' + id;
    }

    /** Identifier of a device's variable or method: {@code Intersection/3/SignalState}. */
    public static String node(final Kind kind, final long id, final String name)
    {
        return device(kind, id) + '/' + name;
    }

    /** Identifier of a detector object inside an intersection: {@code Intersection/3/Detector/12}. */
    public static String detector(final long intersectionId, final long detectorId)
    {
        return node(Kind.INTERSECTION, intersectionId, DETECTOR) + '/' + detectorId;
    }

    /** Identifier of a detector's {@link #COUNTS}: {@code Intersection/3/Detector/12/Counts}. */
    public static String detectorCounts(final long intersectionId, final long detectorId)
    {
        return detector(intersectionId, detectorId) + '/' + COUNTS;
    }
}
