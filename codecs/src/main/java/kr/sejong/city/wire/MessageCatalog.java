package kr.sejong.city.wire;

import kr.sejong.city.codecs.*;
import org.agrona.sbe.MessageDecoderFlyweight;

import java.util.Arrays;

/**
 * Every template of the schema, with what ingress validation needs to know about it.
 * <p>
 * Adding a message to the schema means adding a line here; {@code MessageCatalogTest} compares this
 * table with the schema file and fails when they differ.
 */
public final class MessageCatalog
{
    /** Highest template id the catalog can hold; ids are dense enough for an array lookup. */
    public static final int MAX_TEMPLATE_ID = 255;

    /** First version of the schema this node still accepts on ingress. */
    public static final int MIN_SUPPORTED_VERSION = 1;

    private static final String[] NAMES = new String[MAX_TEMPLATE_ID + 1];
    private static final int[] BASE_BLOCK_LENGTHS = new int[MAX_TEMPLATE_ID + 1];
    private static final boolean[] INGRESS_ALLOWED = new boolean[MAX_TEMPLATE_ID + 1];
    private static final int[] NO_GROUPS = new int[0];
    private static final int[][] GROUP_BLOCK_LENGTHS = new int[MAX_TEMPLATE_ID + 1][];
    /** Per template: {version, block length} pairs, ascending, for versions that appended root fields (SCHEMA.md rule 5). */
    private static final int[][] LATER_BLOCK_LENGTHS = new int[MAX_TEMPLATE_ID + 1][];
    private static final int[] NO_LATER_VERSIONS = new int[0];
    private static final int[] TEMPLATE_IDS;

    static
    {
        Arrays.fill(BASE_BLOCK_LENGTHS, -1);
        Arrays.fill(GROUP_BLOCK_LENGTHS, NO_GROUPS);
        Arrays.fill(LATER_BLOCK_LENGTHS, NO_LATER_VERSIONS);
        // node
        add(TickDecoder.TEMPLATE_ID, "Tick", TickDecoder.BLOCK_LENGTH, true);
        add(RejectDecoder.TEMPLATE_ID, "Reject", RejectDecoder.BLOCK_LENGTH, false); // the node's answer, never an input
        add(DeviceStatusDecoder.TEMPLATE_ID, "DeviceStatus", DeviceStatusDecoder.BLOCK_LENGTH, true);
        add(OperatorActionDecoder.TEMPLATE_ID, "OperatorAction", OperatorActionDecoder.BLOCK_LENGTH, true);
        add(ConfigSnapshotDecoder.TEMPLATE_ID, "ConfigSnapshot", ConfigSnapshotDecoder.BLOCK_LENGTH, true);
        // traffic
        add(DetectorObservationDecoder.TEMPLATE_ID, "DetectorObservation", DetectorObservationDecoder.BLOCK_LENGTH, true);
        add(LaneObservationsDecoder.TEMPLATE_ID, "LaneObservations", LaneObservationsDecoder.BLOCK_LENGTH, true,
            LaneObservationsDecoder.LanesDecoder.sbeBlockLength());
        add(SignalStatusDecoder.TEMPLATE_ID, "SignalStatus", SignalStatusDecoder.BLOCK_LENGTH, true);
        add(SignalCommandDecoder.TEMPLATE_ID, "SignalCommand", SignalCommandDecoder.BLOCK_LENGTH, true);
        add(PriorityRequestDecoder.TEMPLATE_ID, "PriorityRequest", PriorityRequestDecoder.BLOCK_LENGTH, true,
            PriorityRequestDecoder.RouteDecoder.sbeBlockLength());
        add(PriorityStatusDecoder.TEMPLATE_ID, "PriorityStatus", PriorityStatusDecoder.BLOCK_LENGTH, true);
        add(IntersectionTopologyDecoder.TEMPLATE_ID, "IntersectionTopology", IntersectionTopologyDecoder.BLOCK_LENGTH, true,
            IntersectionTopologyDecoder.LanesDecoder.sbeBlockLength(),
            IntersectionTopologyDecoder.MovementsDecoder.sbeBlockLength(),
            IntersectionTopologyDecoder.PhasesDecoder.sbeBlockLength());
        // mobility
        add(RideRequestDecoder.TEMPLATE_ID, "RideRequest", RideRequestDecoder.BLOCK_LENGTH, true);
        add(RideCancelDecoder.TEMPLATE_ID, "RideCancel", RideCancelDecoder.BLOCK_LENGTH, true);
        add(RideAssignmentDecoder.TEMPLATE_ID, "RideAssignment", RideAssignmentDecoder.BLOCK_LENGTH, true);
        add(RideRejectionDecoder.TEMPLATE_ID, "RideRejection", RideRejectionDecoder.BLOCK_LENGTH, true);
        add(ShuttleStateDecoder.TEMPLATE_ID, "ShuttleState", ShuttleStateDecoder.planSeqEncodingOffset(), true);
        since(ShuttleStateDecoder.TEMPLATE_ID, ShuttleStateDecoder.planSeqSinceVersion(), ShuttleStateDecoder.BLOCK_LENGTH);
        add(ShuttlePlanDecoder.TEMPLATE_ID, "ShuttlePlan", ShuttlePlanDecoder.planSeqEncodingOffset(), true,
            ShuttlePlanDecoder.StopsDecoder.sbeBlockLength());
        since(ShuttlePlanDecoder.TEMPLATE_ID, ShuttlePlanDecoder.planSeqSinceVersion(), ShuttlePlanDecoder.BLOCK_LENGTH);
        // energy
        add(GridMeasurementDecoder.TEMPLATE_ID, "GridMeasurement", GridMeasurementDecoder.BLOCK_LENGTH, true);
        add(FrequencyMeasurementDecoder.TEMPLATE_ID, "FrequencyMeasurement", FrequencyMeasurementDecoder.BLOCK_LENGTH, true);
        add(ChargerSessionDecoder.TEMPLATE_ID, "ChargerSession", ChargerSessionDecoder.BLOCK_LENGTH, true);
        add(SetpointDecoder.TEMPLATE_ID, "Setpoint", SetpointDecoder.BLOCK_LENGTH, true);
        add(DemandResponseEventDecoder.TEMPLATE_ID, "DemandResponseEvent", DemandResponseEventDecoder.BLOCK_LENGTH, true);
        add(PriceSignalDecoder.TEMPLATE_ID, "PriceSignal", PriceSignalDecoder.BLOCK_LENGTH, true);
        add(SettlementDecoder.TEMPLATE_ID, "Settlement", SettlementDecoder.BLOCK_LENGTH, true);
        add(BalancingStatusDecoder.TEMPLATE_ID, "BalancingStatus", BalancingStatusDecoder.BLOCK_LENGTH, true); // version 4
        add(OperatorSetpointDecoder.TEMPLATE_ID, "OperatorSetpoint", OperatorSetpointDecoder.BLOCK_LENGTH, true); // version 6
        // emergency
        add(VideoEventDecoder.TEMPLATE_ID, "VideoEvent", VideoEventDecoder.BLOCK_LENGTH, true);
        add(CallEventDecoder.TEMPLATE_ID, "CallEvent", CallEventDecoder.BLOCK_LENGTH, true);
        add(SensorEventDecoder.TEMPLATE_ID, "SensorEvent", SensorEventDecoder.BLOCK_LENGTH, true);
        add(IncidentDecoder.TEMPLATE_ID, "Incident", IncidentDecoder.BLOCK_LENGTH, true,
            IncidentDecoder.SourcesDecoder.sbeBlockLength());
        add(NotificationDecoder.TEMPLATE_ID, "Notification", NotificationDecoder.BLOCK_LENGTH, true);
        add(DispatchDecoder.TEMPLATE_ID, "Dispatch", DispatchDecoder.BLOCK_LENGTH, true,
            DispatchDecoder.RouteDecoder.sbeBlockLength());
        // journal records: written by the node only
        // version 2 appended the chain hash to the journal records: their first version is shorter
        add(IngressRecordDecoder.TEMPLATE_ID, "IngressRecord", IngressRecordDecoder.BLOCK_LENGTH - IngressRecordDecoder.chainLength(), false);
        add(EgressRecordDecoder.TEMPLATE_ID, "EgressRecord", EgressRecordDecoder.BLOCK_LENGTH - EgressRecordDecoder.chainLength(), false);
        // version 3 appended stateVersion
        add(StateSnapshotDecoder.TEMPLATE_ID, "StateSnapshot", StateSnapshotDecoder.BLOCK_LENGTH - StateSnapshotDecoder.stateVersionEncodingLength(), false);

        int count = 0;
        for (final String name : NAMES)
        {
            count += name != null ? 1 : 0;
        }
        TEMPLATE_IDS = new int[count];
        int i = 0;
        for (int id = 0; id <= MAX_TEMPLATE_ID; id++)
        {
            if (NAMES[id] != null)
            {
                TEMPLATE_IDS[i++] = id;
            }
        }
    }

    private MessageCatalog()
    {
    }

    /**
     * @param groupBlockLengths block lengths of the message's top-level repeating groups, in schema
     *                          order (groups carry no nested groups or var data in this schema)
     */
    private static void add(
        final int templateId,
        final String name,
        final int baseBlockLength,
        final boolean ingressAllowed,
        final int... groupBlockLengths)
    {
        if (NAMES[templateId] != null)
        {
            throw new IllegalStateException("template " + templateId + " listed twice");
        }
        NAMES[templateId] = name;
        BASE_BLOCK_LENGTHS[templateId] = baseBlockLength;
        INGRESS_ALLOWED[templateId] = ingressAllowed;
        GROUP_BLOCK_LENGTHS[templateId] = groupBlockLengths.length == 0 ? NO_GROUPS : groupBlockLengths.clone();
    }

    /** From {@code version} on, a frame of the template must carry a block of at least {@code blockLength}. */
    private static void since(final int templateId, final int version, final int blockLength)
    {
        final int[] old = LATER_BLOCK_LENGTHS[templateId];
        final int[] pairs = Arrays.copyOf(old, old.length + 2);
        pairs[old.length] = version;
        pairs[old.length + 1] = blockLength;
        LATER_BLOCK_LENGTHS[templateId] = pairs;
    }

    public static int schemaId()
    {
        return MessageHeaderDecoder.SCHEMA_ID;
    }

    public static int schemaVersion()
    {
        return MessageHeaderDecoder.SCHEMA_VERSION;
    }

    public static boolean isKnown(final int templateId)
    {
        return templateId >= 0 && templateId <= MAX_TEMPLATE_ID && NAMES[templateId] != null;
    }

    /** The message name, or "template N" for an unknown id. */
    public static String name(final int templateId)
    {
        return isKnown(templateId) ? NAMES[templateId] : "template " + templateId;
    }

    /**
     * Block length of the template's fields as first published. A frame of any supported version must
     * carry at least these; fields added later (sinceVersion) only make blocks longer.
     */
    public static int baseBlockLength(final int templateId)
    {
        return isKnown(templateId) ? BASE_BLOCK_LENGTHS[templateId] : -1;
    }

    /**
     * The least block a frame of the template in schema {@code version} must carry: the first version's fields and
     * every root field a version up to {@code version} appended (a shorter block would have a decoder read the newer
     * field out of what follows). -1 for an unknown template.
     */
    public static int blockLength(final int templateId, final int version)
    {
        if (!isKnown(templateId))
        {
            return -1;
        }
        int length = BASE_BLOCK_LENGTHS[templateId];
        final int[] pairs = LATER_BLOCK_LENGTHS[templateId];
        for (int k = 0; k < pairs.length && pairs[k] <= version; k += 2)
        {
            length = Math.max(length, pairs[k + 1]);
        }
        return length;
    }

    /**
     * Block lengths of the template's repeating groups as first published, in the order they follow
     * the root block. A group entry must carry at least these bytes.
     */
    public static int groupCount(final int templateId)
    {
        return isKnown(templateId) ? GROUP_BLOCK_LENGTHS[templateId].length : 0;
    }

    public static int groupBaseBlockLength(final int templateId, final int groupIndex)
    {
        return GROUP_BLOCK_LENGTHS[templateId][groupIndex];
    }

    public static boolean isIngressAllowed(final int templateId)
    {
        return isKnown(templateId) && INGRESS_ALLOWED[templateId];
    }

    /** Known template ids in ascending order (a copy). */
    public static int[] templateIds()
    {
        return TEMPLATE_IDS.clone();
    }

    /** A fresh decoder flyweight for the template; callers keep and reuse it. */
    public static MessageDecoderFlyweight newDecoder(final int templateId)
    {
        switch (templateId)
        {
            case TickDecoder.TEMPLATE_ID: return new TickDecoder();
            case RejectDecoder.TEMPLATE_ID: return new RejectDecoder();
            case DeviceStatusDecoder.TEMPLATE_ID: return new DeviceStatusDecoder();
            case OperatorActionDecoder.TEMPLATE_ID: return new OperatorActionDecoder();
            case ConfigSnapshotDecoder.TEMPLATE_ID: return new ConfigSnapshotDecoder();
            case DetectorObservationDecoder.TEMPLATE_ID: return new DetectorObservationDecoder();
            case LaneObservationsDecoder.TEMPLATE_ID: return new LaneObservationsDecoder();
            case SignalStatusDecoder.TEMPLATE_ID: return new SignalStatusDecoder();
            case SignalCommandDecoder.TEMPLATE_ID: return new SignalCommandDecoder();
            case PriorityRequestDecoder.TEMPLATE_ID: return new PriorityRequestDecoder();
            case PriorityStatusDecoder.TEMPLATE_ID: return new PriorityStatusDecoder();
            case IntersectionTopologyDecoder.TEMPLATE_ID: return new IntersectionTopologyDecoder();
            case RideRequestDecoder.TEMPLATE_ID: return new RideRequestDecoder();
            case RideCancelDecoder.TEMPLATE_ID: return new RideCancelDecoder();
            case RideAssignmentDecoder.TEMPLATE_ID: return new RideAssignmentDecoder();
            case RideRejectionDecoder.TEMPLATE_ID: return new RideRejectionDecoder();
            case ShuttleStateDecoder.TEMPLATE_ID: return new ShuttleStateDecoder();
            case ShuttlePlanDecoder.TEMPLATE_ID: return new ShuttlePlanDecoder();
            case GridMeasurementDecoder.TEMPLATE_ID: return new GridMeasurementDecoder();
            case FrequencyMeasurementDecoder.TEMPLATE_ID: return new FrequencyMeasurementDecoder();
            case ChargerSessionDecoder.TEMPLATE_ID: return new ChargerSessionDecoder();
            case SetpointDecoder.TEMPLATE_ID: return new SetpointDecoder();
            case DemandResponseEventDecoder.TEMPLATE_ID: return new DemandResponseEventDecoder();
            case PriceSignalDecoder.TEMPLATE_ID: return new PriceSignalDecoder();
            case SettlementDecoder.TEMPLATE_ID: return new SettlementDecoder();
            case BalancingStatusDecoder.TEMPLATE_ID: return new BalancingStatusDecoder();
            case OperatorSetpointDecoder.TEMPLATE_ID: return new OperatorSetpointDecoder();
            case VideoEventDecoder.TEMPLATE_ID: return new VideoEventDecoder();
            case CallEventDecoder.TEMPLATE_ID: return new CallEventDecoder();
            case SensorEventDecoder.TEMPLATE_ID: return new SensorEventDecoder();
            case IncidentDecoder.TEMPLATE_ID: return new IncidentDecoder();
            case NotificationDecoder.TEMPLATE_ID: return new NotificationDecoder();
            case DispatchDecoder.TEMPLATE_ID: return new DispatchDecoder();
            case IngressRecordDecoder.TEMPLATE_ID: return new IngressRecordDecoder();
            case EgressRecordDecoder.TEMPLATE_ID: return new EgressRecordDecoder();
            case StateSnapshotDecoder.TEMPLATE_ID: return new StateSnapshotDecoder();
            default: throw new IllegalArgumentException("unknown template " + templateId);
        }
    }
}
