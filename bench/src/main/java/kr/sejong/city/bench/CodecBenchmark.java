package kr.sejong.city.bench;

import kr.sejong.city.codecs.AgenciesDecoder;
import kr.sejong.city.codecs.DetectorObservationDecoder;
import kr.sejong.city.codecs.IncidentDecoder;
import kr.sejong.city.codecs.LaneObservationsDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.PositionDecoder;
import kr.sejong.city.codecs.PriorityRequestDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * SBE encode and decode of four messages that span the schema's shapes: a fixed block
 * (DetectorObservation), a repeating group (LaneObservations, 8 lanes), a group plus variable-length
 * data (Incident) and a message with its route as a group (PriorityRequest).
 * <p>
 * Buffers are the node's: an {@link ExpandableArrayBuffer}, as a ring slot's frame (what a loop
 * decodes) and output (what a loop encodes into) are. Decoding wraps the way a loop does, with the
 * block length and version from the header, and hands every field to the Blackhole; variable-length
 * data is copied out into a reused array. Expected allocation: none.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark extends BenchmarkDefaults
{
    private final SampleMessages messages = new SampleMessages();
    private final ExpandableArrayBuffer encodeBuffer = new ExpandableArrayBuffer(1024);

    private final ExpandableArrayBuffer detectorObservationFrame = new ExpandableArrayBuffer(512);
    private final ExpandableArrayBuffer laneObservationsFrame = new ExpandableArrayBuffer(512);
    private final ExpandableArrayBuffer incidentFrame = new ExpandableArrayBuffer(512);
    private final ExpandableArrayBuffer priorityRequestFrame = new ExpandableArrayBuffer(512);

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final DetectorObservationDecoder detectorObservation = new DetectorObservationDecoder();
    private final LaneObservationsDecoder laneObservations = new LaneObservationsDecoder();
    private final IncidentDecoder incident = new IncidentDecoder();
    private final PriorityRequestDecoder priorityRequest = new PriorityRequestDecoder();
    private final byte[] text = new byte[4096];

    @Setup
    public void setUp()
    {
        messages.encodeDetectorObservation(detectorObservationFrame, 0);
        messages.encodeLaneObservations(laneObservationsFrame, 0);
        messages.encodeIncident(incidentFrame, 0);
        messages.encodePriorityRequest(priorityRequestFrame, 0);
    }

    @Benchmark
    public int encodeDetectorObservation()
    {
        return messages.encodeDetectorObservation(encodeBuffer, 0);
    }

    @Benchmark
    public int encodeLaneObservations()
    {
        return messages.encodeLaneObservations(encodeBuffer, 0);
    }

    @Benchmark
    public int encodeIncident()
    {
        return messages.encodeIncident(encodeBuffer, 0);
    }

    @Benchmark
    public int encodePriorityRequest()
    {
        return messages.encodePriorityRequest(encodeBuffer, 0);
    }

    @Benchmark
    public void decodeDetectorObservation(final Blackhole bh)
    {
        header.wrap(detectorObservationFrame, 0);
        final DetectorObservationDecoder d = detectorObservation.wrap(
            detectorObservationFrame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        bh.consume(d.detectorId());
        bh.consume(d.intersectionId());
        bh.consume(d.intervalMs());
        bh.consume(d.vehicleCount());
        bh.consume(d.occupancyPermille());
        bh.consume(d.meanSpeedCmPerS());
        bh.consume(d.presence());
    }

    @Benchmark
    public void decodeLaneObservations(final Blackhole bh)
    {
        header.wrap(laneObservationsFrame, 0);
        final LaneObservationsDecoder d = laneObservations.wrap(
            laneObservationsFrame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        bh.consume(d.intersectionId());
        final LaneObservationsDecoder.LanesDecoder lanes = d.lanes();
        while (lanes.hasNext())
        {
            lanes.next();
            bh.consume(lanes.laneIndex());
            bh.consume(lanes.vehicles());
            bh.consume(lanes.haltingVehicles());
            bh.consume(lanes.occupancyPermille());
            bh.consume(lanes.meanSpeedCmPerS());
        }
    }

    @Benchmark
    public void decodeIncident(final Blackhole bh)
    {
        header.wrap(incidentFrame, 0);
        final IncidentDecoder d = incident.wrap(
            incidentFrame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        bh.consume(d.incidentId());
        bh.consume(d.state());
        bh.consume(d.priority());
        bh.consume(d.eventClass());
        final PositionDecoder position = d.position();
        bh.consume(position.eastMm());
        bh.consume(position.northMm());
        final AgenciesDecoder agencies = d.agencies();
        bh.consume(agencies.police());
        bh.consume(agencies.fire());
        bh.consume(agencies.ems());
        bh.consume(agencies.cityFacilities());
        bh.consume(d.ackDeadlineNs());
        final IncidentDecoder.SourcesDecoder sources = d.sources();
        while (sources.hasNext())
        {
            sources.next();
            bh.consume(sources.sourceKind());
            bh.consume(sources.sourceId());
        }
        bh.consume(d.getOwner(text, 0, text.length));
        bh.consume(text);
    }

    @Benchmark
    public void decodePriorityRequest(final Blackhole bh)
    {
        header.wrap(priorityRequestFrame, 0);
        final PriorityRequestDecoder d = priorityRequest.wrap(
            priorityRequestFrame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        bh.consume(d.requestId());
        bh.consume(d.vehicleId());
        bh.consume(d.role());
        bh.consume(d.requestType());
        bh.consume(d.intersectionId());
        bh.consume(d.approachId());
        bh.consume(d.laneIndex());
        bh.consume(d.etaMs());
        final PriorityRequestDecoder.RouteDecoder route = d.route();
        while (route.hasNext())
        {
            route.next();
            bh.consume(route.intersectionId());
            bh.consume(route.approachId());
            bh.consume(route.etaMs());
        }
    }
}
