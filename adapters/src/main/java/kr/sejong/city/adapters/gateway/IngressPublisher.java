package kr.sejong.city.adapters.gateway;

import io.aeron.Publication;
import kr.sejong.city.codecs.BooleanType;
import kr.sejong.city.codecs.Center;
import kr.sejong.city.codecs.DemandResponseEventEncoder;
import kr.sejong.city.codecs.DemandResponseState;
import kr.sejong.city.codecs.DeviceKind;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OperatorActionEncoder;
import kr.sejong.city.codecs.OperatorActionKind;
import kr.sejong.city.codecs.OperatorRole;
import kr.sejong.city.codecs.OperatorSetpointEncoder;
import kr.sejong.city.codecs.PriceSignalEncoder;
import kr.sejong.city.codecs.PriorityRequestEncoder;
import kr.sejong.city.codecs.PriorityRequestType;
import kr.sejong.city.codecs.RideCancelEncoder;
import kr.sejong.city.codecs.RideRequestEncoder;
import kr.sejong.city.codecs.SubjectKind;
import kr.sejong.city.codecs.VehicleRole;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Encodes validated requests as SBE messages of the city schema and offers them on the node's ingress,
 * where they are journaled and handed to the loops. Shared by the server's request threads: the
 * publication is Aeron's concurrent one and each thread encodes into its own buffer.
 */
public final class IngressPublisher
{
    private static final int FRAME_CAPACITY = 8192;

    private final Publication publication;
    private final long offerTimeoutNs;
    private final ThreadLocal<Encoders> encoders = ThreadLocal.withInitial(Encoders::new);

    private static final class Encoders
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_CAPACITY));
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final RideRequestEncoder rideRequest = new RideRequestEncoder();
        final RideCancelEncoder rideCancel = new RideCancelEncoder();
        final DemandResponseEventEncoder demandResponse = new DemandResponseEventEncoder();
        final PriceSignalEncoder price = new PriceSignalEncoder();
        final PriorityRequestEncoder priority = new PriorityRequestEncoder();
        final OperatorActionEncoder action = new OperatorActionEncoder();
        final OperatorSetpointEncoder setpoint = new OperatorSetpointEncoder();
    }

    /** What an OperatorAction carries besides its kind: who, in which role, on what, and the state around it. */
    public record Action(long actionId, Center center, OperatorRole role, OperatorActionKind kind, SubjectKind subjectKind,
        long subjectId, String operator, String what, String before, String after)
    {
    }

    /** A stop of a priority request's route. */
    public record RoutePoint(long intersectionId, int approachId, int etaMs)
    {
    }

    /**
     * @param publication    the node's ingress (a concurrent publication).
     * @param offerTimeoutMs how long an offer may stay back-pressured before the request fails with 503.
     */
    public IngressPublisher(final Publication publication, final long offerTimeoutMs)
    {
        this.publication = publication;
        this.offerTimeoutNs = TimeUnit.MILLISECONDS.toNanos(offerTimeoutMs);
    }

    public void rideRequest(final long requestId, final long riderId, final long originStopId, final int originEastMm,
        final int originNorthMm, final long destinationStopId, final int destinationEastMm, final int destinationNorthMm,
        final long earliestPickupTimeNs, final int partySize, final int wheelchairs)
    {
        final Encoders e = encoders.get();
        final RideRequestEncoder m = e.rideRequest.wrapAndApplyHeader(e.buffer, 0, e.header)
            .requestId(requestId)
            .riderId(riderId)
            .originStopId(originStopId)
            .destinationStopId(destinationStopId)
            .earliestPickupTimeNs(earliestPickupTimeNs)
            .partySize((short)partySize)
            .wheelchairs((short)wheelchairs);
        m.origin().eastMm(originEastMm).northMm(originNorthMm);
        m.destination().eastMm(destinationEastMm).northMm(destinationNorthMm);
        offer(e.buffer, MessageHeaderEncoder.ENCODED_LENGTH + m.encodedLength());
    }

    public void rideCancel(final long requestId, final long riderId)
    {
        final Encoders e = encoders.get();
        final int length = e.rideCancel.wrapAndApplyHeader(e.buffer, 0, e.header).requestId(requestId).riderId(riderId).encodedLength();
        offer(e.buffer, MessageHeaderEncoder.ENCODED_LENGTH + length);
    }

    public void demandResponse(final long eventId, final DemandResponseState state, final int reduceImportW, final long startTimeNs,
        final long endTimeNs)
    {
        final Encoders e = encoders.get();
        final int length = e.demandResponse.wrapAndApplyHeader(e.buffer, 0, e.header)
            .eventId(eventId).state(state).reduceImportW(reduceImportW).startTimeNs(startTimeNs).endTimeNs(endTimeNs).encodedLength();
        offer(e.buffer, MessageHeaderEncoder.ENCODED_LENGTH + length);
    }

    public void price(final long tariffId, final long validFromNs, final long validToNs, final int importKrwPerMwh, final int exportKrwPerMwh)
    {
        final Encoders e = encoders.get();
        final int length = e.price.wrapAndApplyHeader(e.buffer, 0, e.header)
            .tariffId(tariffId).validFromNs(validFromNs).validToNs(validToNs)
            .importPriceKrwPerMwh(importKrwPerMwh).exportPriceKrwPerMwh(exportKrwPerMwh).encodedLength();
        offer(e.buffer, MessageHeaderEncoder.ENCODED_LENGTH + length);
    }

    public void priorityRequest(final long requestId, final long vehicleId, final VehicleRole role, final PriorityRequestType type,
        final long intersectionId, final int approachId, final int laneIndex, final int etaMs, final RoutePoint[] route)
    {
        final Encoders e = encoders.get();
        final PriorityRequestEncoder m = e.priority.wrapAndApplyHeader(e.buffer, 0, e.header)
            .requestId(requestId)
            .vehicleId(vehicleId)
            .role(role)
            .requestType(type)
            .intersectionId(intersectionId)
            .approachId(approachId)
            .laneIndex(laneIndex < 0 ? PriorityRequestEncoder.laneIndexNullValue() : laneIndex)
            .etaMs(etaMs);
        final PriorityRequestEncoder.RouteEncoder points = m.routeCount(route.length);
        for (final RoutePoint point : route)
        {
            points.next().intersectionId(point.intersectionId()).approachId(point.approachId()).etaMs(point.etaMs());
        }
        offer(e.buffer, MessageHeaderEncoder.ENCODED_LENGTH + m.encodedLength());
    }

    /**
     * An operator's manual set-point for an ESS or a charger, or with {@code release} its end; {@code actionId} is
     * that of the OperatorAction that audits it.
     */
    public void operatorSetpoint(final long actionId, final long deviceId, final DeviceKind kind, final OperatorRole role,
        final int activePowerW, final long holdMs, final boolean release)
    {
        final Encoders e = encoders.get();
        final int length = e.setpoint.wrapAndApplyHeader(e.buffer, 0, e.header)
            .actionId(actionId)
            .deviceId(deviceId)
            .deviceKind(kind)
            .role(role)
            .activePowerW(activePowerW)
            .holdMs(holdMs)
            .release(release ? BooleanType.TRUE : BooleanType.FALSE)
            .encodedLength();
        offer(e.buffer, MessageHeaderEncoder.ENCODED_LENGTH + length);
    }

    public void operatorAction(final Action action)
    {
        final Encoders e = encoders.get();
        final OperatorActionEncoder m = e.action.wrapAndApplyHeader(e.buffer, 0, e.header)
            .actionId(action.actionId())
            .center(action.center())
            .role(action.role())
            .actionKind(action.kind())
            .subjectKind(action.subjectKind())
            .subjectId(action.subjectId())
            .operatorName(clip(action.operator()))
            .what(clip(action.what()))
            .before(clip(action.before()))
            .after(clip(action.after()));
        offer(e.buffer, MessageHeaderEncoder.ENCODED_LENGTH + m.encodedLength());
    }

    // each text must fit the frame: four of them at most 1,000 characters (up to 4 bytes each in UTF-8)
    private static String clip(final String text)
    {
        if (text == null)
        {
            return "";
        }
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }

    private void offer(final UnsafeBuffer buffer, final int length)
    {
        final long deadlineNs = System.nanoTime() + offerTimeoutNs;
        while (true)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new ApiException(503, null, "the node's ingress is closed (offer returned " + result + ")");
            }
            if (System.nanoTime() > deadlineNs)
            {
                throw new ApiException(503, null, result == Publication.NOT_CONNECTED
                    ? "the node is not connected; try again"
                    : "the node's ingress stayed back-pressured for " + TimeUnit.NANOSECONDS.toMillis(offerTimeoutNs) + " ms; try again");
            }
            Thread.onSpinWait();
        }
    }
}
