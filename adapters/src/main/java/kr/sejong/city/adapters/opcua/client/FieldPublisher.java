package kr.sejong.city.adapters.opcua.client;

import io.aeron.Publication;
import kr.sejong.city.adapters.opcua.FieldNodes;
import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.ChargerSessionEncoder;
import kr.sejong.city.codecs.ChargerSessionState;
import kr.sejong.city.codecs.DetectorObservationEncoder;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.DeviceState;
import kr.sejong.city.codecs.DeviceStatusEncoder;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.FrequencyMeasurementEncoder;
import kr.sejong.city.codecs.GridMeasurementEncoder;
import kr.sejong.city.codecs.IntersectionTopologyEncoder;
import kr.sejong.city.codecs.LaneObservationsEncoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OnvifState;
import kr.sejong.city.codecs.SignalMode;
import kr.sejong.city.codecs.SignalStatusEncoder;
import kr.sejong.city.codecs.VideoEventEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Encodes what the field servers report as SBE messages of the city schema and offers them on the node's ingress.
 * Called from Milo's threads (one per subscription at a time) and the adapter's own: the publication is Aeron's
 * concurrent one and each thread encodes into its own buffer. An offer that meets back-pressure is retried a
 * bounded number of times, then the frame is dropped and counted: a field adapter must never stall Milo's threads.
 */
final class FieldPublisher
{
    private static final int FRAME_CAPACITY = 16 * 1024;

    private final Publication publication;
    private final int offerRetries;
    private final OpcUaCounters counters;
    private final LatencyHook hook;
    private final ThreadLocal<Encoders> encoders = ThreadLocal.withInitial(Encoders::new);

    static final class Encoders
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_CAPACITY));
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final DeviceStatusEncoder status = new DeviceStatusEncoder();
        final GridMeasurementEncoder grid = new GridMeasurementEncoder();
        final FrequencyMeasurementEncoder frequency = new FrequencyMeasurementEncoder();
        final ChargerSessionEncoder session = new ChargerSessionEncoder();
        final LaneObservationsEncoder lanes = new LaneObservationsEncoder();
        final SignalStatusEncoder signal = new SignalStatusEncoder();
        final DetectorObservationEncoder detector = new DetectorObservationEncoder();
        final VideoEventEncoder video = new VideoEventEncoder();
        final IntersectionTopologyEncoder topology = new IntersectionTopologyEncoder();
    }

    FieldPublisher(final Publication publication, final int offerRetries, final OpcUaCounters counters, final LatencyHook hook)
    {
        this.publication = publication;
        this.offerRetries = offerRetries;
        this.counters = counters;
        this.hook = hook;
    }

    boolean deviceStatus(final long deviceId, final DeviceKind kind, final DeviceState state, final long badValueCount,
        final long lastGoodAtNs, final String detail)
    {
        final Encoders e = encoders.get();
        final DeviceStatusEncoder m = e.status.wrapAndApplyHeader(e.buffer, 0, e.header)
            .deviceId(deviceId)
            .deviceKind(kind)
            .state(state)
            .badValueCount(Math.min(badValueCount, 0xFFFF_FFFEL))
            .lastGoodAtNs(lastGoodAtNs == Values.NO_TIME ? DeviceStatusEncoder.lastGoodAtNsNullValue() : lastGoodAtNs)
            .detail(detail.length() > 1000 ? detail.substring(0, 1000) : detail);
        return offer(e, m.encodedLength(), DeviceStatusEncoder.TEMPLATE_ID, 0);
    }

    /**
     * @param socPermille the state of charge, or -1 when the device has none.
     */
    boolean gridMeasurement(final long deviceId, final DeviceKind kind, final int activePowerW, final int reactivePowerVar,
        final int socPermille, final long measuredAtNs, final long arrivalNs)
    {
        final Encoders e = encoders.get();
        final GridMeasurementEncoder m = e.grid.wrapAndApplyHeader(e.buffer, 0, e.header)
            .deviceId(deviceId)
            .deviceKind(kind)
            .activePowerW(activePowerW)
            .reactivePowerVar(reactivePowerVar)
            .socPermille(socPermille < 0 ? GridMeasurementEncoder.socPermilleNullValue() : socPermille)
            .measuredAtNs(measuredAtNs);
        return offer(e, m.encodedLength(), GridMeasurementEncoder.TEMPLATE_ID, arrivalNs);
    }

    boolean frequency(final long meterId, final int frequencyMilliHz, final long measuredAtNs, final long arrivalNs)
    {
        final Encoders e = encoders.get();
        final FrequencyMeasurementEncoder m = e.frequency.wrapAndApplyHeader(e.buffer, 0, e.header)
            .meterId(meterId)
            .frequencyMilliHz(frequencyMilliHz)
            .measuredAtNs(measuredAtNs);
        return offer(e, m.encodedLength(), FrequencyMeasurementEncoder.TEMPLATE_ID, arrivalNs);
    }

    /** A charger's Session array (docs/opcua.md), already checked. */
    boolean chargerSession(final long chargerId, final Object session, final long arrivalNs)
    {
        final Encoders e = encoders.get();
        final ChargerSessionEncoder m = e.session.wrapAndApplyHeader(e.buffer, 0, e.header)
            .chargerId(chargerId)
            .sessionId(Values.element(session, 0))
            .state(ChargerSessionState.get((short)Values.element(session, 1)))
            .vehicleSocPermille((int)Values.element(session, 2))
            .energyNeededWh((int)Values.element(session, 3))
            .departureTimeNs(Values.element(session, 4))
            .maxChargePowerW((int)Values.element(session, 5))
            .maxDischargePowerW((int)Values.element(session, 6))
            .v2gAllowed(Values.element(session, 7) != 0 ? BooleanType.TRUE : BooleanType.FALSE);
        return offer(e, m.encodedLength(), ChargerSessionEncoder.TEMPLATE_ID, arrivalNs);
    }

    /**
     * An intersection's LaneObservations array, already checked: three values per lane, or four with the mean speed
     * ({@code width}).
     */
    boolean laneObservations(final long intersectionId, final Object values, final int lanes, final int width, final long arrivalNs)
    {
        final Encoders e = encoders.get();
        final LaneObservationsEncoder m = e.lanes.wrapAndApplyHeader(e.buffer, 0, e.header).intersectionId(intersectionId);
        final LaneObservationsEncoder.LanesEncoder group = m.lanesCount(lanes);
        for (int lane = 0; lane < lanes; lane++)
        {
            final int at = lane * width;
            final int speed = width > 3 ? (int)Values.element(values, at + 3) : FieldNodes.NO_SPEED;
            group.next()
                .laneIndex(lane)
                .vehicles((int)Values.element(values, at))
                .haltingVehicles((int)Values.element(values, at + 1))
                .occupancyPermille((int)Values.element(values, at + 2))
                .meanSpeedCmPerS(speed == FieldNodes.NO_SPEED ? LaneObservationsEncoder.LanesEncoder.meanSpeedCmPerSNullValue() : speed);
        }
        return offer(e, m.encodedLength(), LaneObservationsEncoder.TEMPLATE_ID, arrivalNs);
    }

    boolean signalStatus(final long intersectionId, final SignalMode mode, final int phaseIndex, final long phaseElapsedMs,
        final String signalState, final long arrivalNs)
    {
        final Encoders e = encoders.get();
        final SignalStatusEncoder m = e.signal.wrapAndApplyHeader(e.buffer, 0, e.header)
            .intersectionId(intersectionId)
            .mode(mode)
            .phaseIndex(phaseIndex)
            .phaseElapsedMs(phaseElapsedMs)
            .signalState(signalState);
        return offer(e, m.encodedLength(), SignalStatusEncoder.TEMPLATE_ID, arrivalNs);
    }

    /** A detector's Counts array (interval ms, count, occupancy permille, presence), already checked. */
    boolean detectorObservation(final long detectorId, final long intersectionId, final Object counts, final long arrivalNs)
    {
        final Encoders e = encoders.get();
        final DetectorObservationEncoder m = e.detector.wrapAndApplyHeader(e.buffer, 0, e.header)
            .detectorId(detectorId)
            .intersectionId(intersectionId)
            .intervalMs(Values.element(counts, 0))
            .vehicleCount((int)Values.element(counts, 1))
            .occupancyPermille((int)Values.element(counts, 2))
            .meanSpeedCmPerS(DetectorObservationEncoder.meanSpeedCmPerSNullValue())
            .presence(Values.element(counts, 3) != 0 ? BooleanType.TRUE : BooleanType.FALSE);
        return offer(e, m.encodedLength(), DetectorObservationEncoder.TEMPLATE_ID, arrivalNs);
    }

    /** An analytics gateway's Event array (docs/opcua.md), already checked. */
    boolean videoEvent(final Object event, final long arrivalNs)
    {
        final Encoders e = encoders.get();
        final VideoEventEncoder m = e.video.wrapAndApplyHeader(e.buffer, 0, e.header)
            .eventId(Values.element(event, 0))
            .cameraId(Values.element(event, 1))
            .eventClass(EventClass.get((short)Values.element(event, 2)))
            .state(OnvifState.get((short)Values.element(event, 3)))
            .confidencePermille((int)Values.element(event, 4))
            .objectCount((int)Values.element(event, 7))
            .observedAtNs(Values.element(event, 8));
        m.position().eastMm((int)Values.element(event, 5)).northMm((int)Values.element(event, 6));
        return offer(e, m.encodedLength(), VideoEventEncoder.TEMPLATE_ID, arrivalNs);
    }

    /** Encoders of the calling thread, for a message built elsewhere (the topology); offer with {@link #offer}. */
    Encoders encoders()
    {
        return encoders.get();
    }

    /**
     * Offers the frame the thread's encoders hold.
     *
     * @param bodyLength length after the message header.
     * @param arrivalNs  when the notification arrived, or 0 for frames no notification caused.
     */
    boolean offer(final Encoders e, final int bodyLength, final int templateId, final long arrivalNs)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        for (int attempt = 0; attempt <= offerRetries; attempt++)
        {
            final long result = publication.offer(e.buffer, 0, length);
            if (result > 0)
            {
                counters.published.incrementAndGet();
                if (hook != null && arrivalNs != 0)
                {
                    hook.onOffered(templateId, arrivalNs, System.nanoTime());
                }
                return true;
            }
            if (result != Publication.BACK_PRESSURED && result != Publication.ADMIN_ACTION)
            {
                break; // not connected or closed: retrying cannot help
            }
            Thread.onSpinWait();
        }
        counters.dropped.incrementAndGet();
        return false;
    }
}
