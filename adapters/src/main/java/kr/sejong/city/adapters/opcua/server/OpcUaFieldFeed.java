package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.adapters.opcua.FieldNodes.Kind;
import kr.sejong.city.adapters.sim.FieldModel;
import kr.sejong.city.adapters.sim.FrameSink;
import kr.sejong.city.adapters.sim.FrameSource;
import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.ChargerSessionDecoder;
import kr.sejong.city.codecs.DetectorObservationDecoder;
import kr.sejong.city.codecs.FrequencyMeasurementDecoder;
import kr.sejong.city.codecs.GridMeasurementDecoder;
import kr.sejong.city.codecs.IntersectionTopologyDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.VideoEventDecoder;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The field simulator behind OPC UA: a {@link FrameSink} that takes {@link FieldModel}'s SBE frames and writes
 * them into the field servers' variables, each with the frame's own time as its SourceTimestamp, so that a client
 * reads the simulated city as it would read real devices.
 * <ul>
 *   <li>IntersectionTopology, LaneObservations, DetectorObservation → the intersection's topology, its
 *   LaneObservations, the detector's Counts (stamped with {@link #frameTimeNs}: these frames carry no time;
 *   {@link #step} sets it to the step's end, when the model observes).</li>
 *   <li>GridMeasurement → ESS ActivePowerW, ReactivePowerVar, SocPermille; charger, PV ActivePowerW; PCC_METER →
 *   Pcc ActivePowerW and ReactivePowerVar; LOAD → Pcc LoadW (same id). FrequencyMeasurement → Pcc
 *   FrequencyMilliHz. ChargerSession → the charger's Session. VideoEvent → the Event (and EventCount) of the
 *   analytics gateway with the lowest id.</li>
 *   <li>Any other frame, and any frame of a device no server hosts, goes to the fallback sink unchanged (ride
 *   requests, calls, shuttles ... keep their direct path).</li>
 * </ul>
 * <h2>Back to the simulation</h2>
 * What the controllers show (a central SetSignalState, their local plan, the watchdog's return to it) is kept, the
 * latest per intersection, and applied to the model's {@code SignalizedField} at the start of {@link #step}, on the
 * simulator's thread, so the simulated traffic reacts to the field controllers. Set-points the devices took are
 * queued for {@link #pollSetpoints}.
 * <p>
 * {@link #onFrame} and {@link #step} belong to the simulator's thread; the listeners run on OPC UA threads and only
 * touch the two concurrent queues.
 */
public final class OpcUaFieldFeed implements FrameSink
{
    /** A set-point a device took. */
    public record Setpoint(Kind kind, long deviceId, String name, int value, long atNs)
    {
    }

    private final FieldModel model;
    private FrameSink fallback;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final IntersectionTopologyDecoder topology = new IntersectionTopologyDecoder();
    private final LaneObservationsDecoder lanes = new LaneObservationsDecoder();
    private final DetectorObservationDecoder detector = new DetectorObservationDecoder();
    private final GridMeasurementDecoder grid = new GridMeasurementDecoder();
    private final FrequencyMeasurementDecoder frequency = new FrequencyMeasurementDecoder();
    private final ChargerSessionDecoder session = new ChargerSessionDecoder();
    private final VideoEventDecoder video = new VideoEventDecoder();

    private final Long2ObjectHashMap<FieldServer> intersections = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<FieldServer> ess = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<FieldServer> chargers = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<FieldServer> pv = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<FieldServer> pcc = new Long2ObjectHashMap<>();
    private final FieldServer analyticsServer;
    private final long analyticsId;
    private long eventCount;
    private final long[] scratch = new long[256];

    private final ConcurrentHashMap<Long, String> shown = new ConcurrentHashMap<>();
    private final Queue<Setpoint> setpoints = new ConcurrentLinkedQueue<>();
    private long frameTimeNs;
    private long framesToServers;
    private long framesToFallback;
    private long signalStatesApplied;

    /**
     * @param model    the field simulator (its signalised intersections show what the controllers show).
     * @param servers  the field servers the devices live on.
     * @param fallback where the frames of devices no server hosts go.
     */
    public OpcUaFieldFeed(final FieldModel model, final List<FieldServer> servers, final FrameSink fallback)
    {
        this.model = Objects.requireNonNull(model, "model");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        FieldServer firstAnalytics = null;
        long firstAnalyticsId = Long.MAX_VALUE;
        for (final FieldServer server : servers)
        {
            for (final FieldDevice device : server.devices())
            {
                switch (device.kind())
                {
                    case INTERSECTION -> intersections.put(device.id(), server);
                    case ESS -> ess.put(device.id(), server);
                    case CHARGER -> chargers.put(device.id(), server);
                    case PV -> pv.put(device.id(), server);
                    case PCC -> pcc.put(device.id(), server);
                    case ANALYTICS ->
                    {
                        if (device.id() < firstAnalyticsId)
                        {
                            firstAnalyticsId = device.id();
                            firstAnalytics = server;
                        }
                    }
                    default -> throw new IllegalStateException(device.kind().name());
                }
            }
        }
        analyticsServer = firstAnalytics;
        analyticsId = firstAnalyticsId;
        for (final FieldServer server : servers)
        {
            server.addSetpointListener((kind, id, name, value, atNs) -> setpoints.add(new Setpoint(kind, id, name, value, atNs)));
            server.addShownStateListener((id, state, mode, atNs) -> shown.put(id, state));
        }
    }

    /** Writes each intersection's topology (what a run announces before its first step). */
    public void announceTopologies(final long timeNs)
    {
        frameTimeNs = timeNs;
        model.topologies(this);
    }

    /**
     * One step of the model: what the controllers show is applied first, then the step's frames go to the servers
     * (frames without a time of their own stamped with {@code toNs}) or the fallback.
     */
    public void step(final long fromNs, final long toNs)
    {
        applyShownStates();
        frameTimeNs = toNs;
        model.step(fromNs, toNs, this);
    }

    /**
     * This feed as a field simulator's {@link FrameSource}: each step goes through {@link #step}, the frames of devices
     * no server hosts to the simulator's own sink (and so to the node directly), the rest into the servers.
     *
     * @param clock the time the topologies are stamped with (they are written before the first step).
     */
    public FrameSource frameSource(final org.agrona.concurrent.EpochNanoClock clock)
    {
        return new FrameSource()
        {
            @Override
            public void topologies(final FrameSink sink)
            {
                fallback = sink;
                announceTopologies(clock.nanoTime());
            }

            @Override
            public void step(final long fromNs, final long toNs, final FrameSink sink)
            {
                fallback = sink;
                OpcUaFieldFeed.this.step(fromNs, toNs);
            }
        };
    }

    /** Applies to the model what the controllers show now (the latest per intersection). */
    public int applyShownStates()
    {
        int applied = 0;
        for (final Long id : shown.keySet())
        {
            final String state = shown.remove(id);
            if (state != null && model.signals().show(id, state))
            {
                applied++;
            }
        }
        signalStatesApplied += applied;
        return applied;
    }

    /** The SourceTimestamp of frames that carry no time of their own (LaneObservations, detectors, topologies, sessions). */
    public void frameTimeNs(final long frameTimeNs)
    {
        this.frameTimeNs = frameTimeNs;
    }

    /** Hands the set-points taken since the last poll to {@code handler}, oldest first; returns how many. */
    public int pollSetpoints(final java.util.function.Consumer<Setpoint> handler)
    {
        int count = 0;
        Setpoint setpoint;
        while ((setpoint = setpoints.poll()) != null)
        {
            handler.accept(setpoint);
            count++;
        }
        return count;
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        header.wrap(buffer, offset);
        final boolean taken = switch (header.templateId())
        {
            case IntersectionTopologyDecoder.TEMPLATE_ID -> onTopology(buffer, offset);
            case LaneObservationsDecoder.TEMPLATE_ID -> onLanes(buffer, offset);
            case DetectorObservationDecoder.TEMPLATE_ID -> onDetector(buffer, offset);
            case GridMeasurementDecoder.TEMPLATE_ID -> onGrid(buffer, offset);
            case FrequencyMeasurementDecoder.TEMPLATE_ID -> onFrequency(buffer, offset);
            case ChargerSessionDecoder.TEMPLATE_ID -> onSession(buffer, offset);
            case VideoEventDecoder.TEMPLATE_ID -> onVideo(buffer, offset);
            default -> false;
        };
        if (taken)
        {
            framesToServers++;
        }
        else
        {
            framesToFallback++;
            fallback.onFrame(buffer, offset, length);
        }
    }

    private boolean onTopology(final DirectBuffer buffer, final int offset)
    {
        topology.wrapAndApplyHeader(buffer, offset, header);
        final FieldServer server = intersections.get(topology.intersectionId());
        if (server == null)
        {
            return false;
        }
        server.topology(topology.intersectionId(), ControllerTopology.decode(topology), frameTimeNs);
        return true;
    }

    private boolean onLanes(final DirectBuffer buffer, final int offset)
    {
        lanes.wrapAndApplyHeader(buffer, offset, header);
        final long id = lanes.intersectionId();
        final FieldServer server = intersections.get(id);
        if (server == null)
        {
            return false;
        }
        final LaneObservationsDecoder.LanesDecoder group = lanes.lanes();
        final int laneCount = server.intersection(id).topology().laneCount();
        final int width = FieldNodes.LANE_OBSERVATION_WIDTH;
        final long[] values = laneCount * width <= scratch.length ? scratch : new long[laneCount * width];
        java.util.Arrays.fill(values, 0, laneCount * width, 0);
        while (group.hasNext())
        {
            group.next();
            final int lane = group.laneIndex();
            if (lane < laneCount)
            {
                values[lane * width] = group.vehicles();
                values[lane * width + 1] = group.haltingVehicles();
                values[lane * width + 2] = group.occupancyPermille();
            }
        }
        server.variable(Kind.INTERSECTION, id, FieldNodes.LANE_OBSERVATIONS).set(values, laneCount * width, frameTimeNs);
        return true;
    }

    private boolean onDetector(final DirectBuffer buffer, final int offset)
    {
        detector.wrapAndApplyHeader(buffer, offset, header);
        final FieldServer server = intersections.get(detector.intersectionId());
        final FieldVariable counts = server == null ? null : server.detectorCounts(detector.intersectionId(), detector.detectorId());
        if (counts == null)
        {
            return false;
        }
        scratch[0] = detector.intervalMs();
        scratch[1] = detector.vehicleCount();
        scratch[2] = detector.occupancyPermille();
        scratch[3] = detector.presenceRaw() == BooleanType.TRUE.value() ? 1 : 0;
        counts.set(scratch, FieldNodes.COUNTS_WIDTH, frameTimeNs);
        return true;
    }

    private boolean onGrid(final DirectBuffer buffer, final int offset)
    {
        grid.wrapAndApplyHeader(buffer, offset, header);
        final long id = grid.deviceId();
        final long atNs = grid.measuredAtNs();
        switch (grid.deviceKind())
        {
            case ESS ->
            {
                final FieldServer server = ess.get(id);
                if (server == null)
                {
                    return false;
                }
                server.variable(Kind.ESS, id, FieldNodes.ACTIVE_POWER_W).set(grid.activePowerW(), atNs);
                server.variable(Kind.ESS, id, FieldNodes.REACTIVE_POWER_VAR).set(grid.reactivePowerVar(), atNs);
                if (grid.socPermille() != GridMeasurementDecoder.socPermilleNullValue())
                {
                    server.variable(Kind.ESS, id, FieldNodes.SOC_PERMILLE).set(grid.socPermille(), atNs);
                }
                return true;
            }
            case EV_CHARGER ->
            {
                return setPower(chargers.get(id), Kind.CHARGER, id, FieldNodes.ACTIVE_POWER_W, grid.activePowerW(), atNs);
            }
            case PV_INVERTER ->
            {
                return setPower(pv.get(id), Kind.PV, id, FieldNodes.ACTIVE_POWER_W, grid.activePowerW(), atNs);
            }
            case PCC_METER ->
            {
                final FieldServer server = pcc.get(id);
                if (server == null)
                {
                    return false;
                }
                server.variable(Kind.PCC, id, FieldNodes.ACTIVE_POWER_W).set(grid.activePowerW(), atNs);
                server.variable(Kind.PCC, id, FieldNodes.REACTIVE_POWER_VAR).set(grid.reactivePowerVar(), atNs);
                return true;
            }
            case LOAD ->
            {
                return setPower(pcc.get(id), Kind.PCC, id, FieldNodes.LOAD_W, grid.activePowerW(), atNs);
            }
            default ->
            {
                return false;
            }
        }
    }

    private static boolean setPower(final FieldServer server, final Kind kind, final long id, final String name, final int value,
        final long atNs)
    {
        if (server == null)
        {
            return false;
        }
        server.variable(kind, id, name).set(value, atNs);
        return true;
    }

    private boolean onFrequency(final DirectBuffer buffer, final int offset)
    {
        frequency.wrapAndApplyHeader(buffer, offset, header);
        return setPower(pcc.get(frequency.meterId()), Kind.PCC, frequency.meterId(), FieldNodes.FREQUENCY_MILLI_HZ,
            frequency.frequencyMilliHz(), frequency.measuredAtNs());
    }

    private boolean onSession(final DirectBuffer buffer, final int offset)
    {
        session.wrapAndApplyHeader(buffer, offset, header);
        final long id = session.chargerId();
        final FieldServer server = chargers.get(id);
        if (server == null)
        {
            return false;
        }
        scratch[0] = session.sessionId();
        scratch[1] = session.stateRaw();
        scratch[2] = session.vehicleSocPermille();
        scratch[3] = session.energyNeededWh();
        scratch[4] = session.departureTimeNs();
        scratch[5] = session.maxChargePowerW();
        scratch[6] = session.maxDischargePowerW();
        scratch[7] = session.v2gAllowedRaw() == BooleanType.TRUE.value() ? 1 : 0;
        server.variable(Kind.CHARGER, id, FieldNodes.SESSION).set(scratch, FieldNodes.SESSION_WIDTH, frameTimeNs);
        return true;
    }

    private boolean onVideo(final DirectBuffer buffer, final int offset)
    {
        if (analyticsServer == null)
        {
            return false;
        }
        video.wrapAndApplyHeader(buffer, offset, header);
        scratch[0] = video.eventId();
        scratch[1] = video.cameraId();
        scratch[2] = video.eventClassRaw();
        scratch[3] = video.stateRaw();
        scratch[4] = video.confidencePermille();
        scratch[5] = video.position().eastMm();
        scratch[6] = video.position().northMm();
        scratch[7] = video.objectCount();
        scratch[8] = video.observedAtNs();
        final long atNs = video.observedAtNs();
        analyticsServer.variable(Kind.ANALYTICS, analyticsId, FieldNodes.EVENT).set(scratch, FieldNodes.EVENT_WIDTH, atNs);
        analyticsServer.variable(Kind.ANALYTICS, analyticsId, FieldNodes.EVENT_COUNT).set(++eventCount, atNs);
        return true;
    }

    /** Frames written into server variables. */
    public long framesToServers()
    {
        return framesToServers;
    }

    /** Frames passed to the fallback sink. */
    public long framesToFallback()
    {
        return framesToFallback;
    }

    /** Controller states applied to the model's intersections. */
    public long signalStatesApplied()
    {
        return signalStatesApplied;
    }
}
