package kr.sejong.city.bench.emergency;

import kr.sejong.city.bench.BenchmarkDefaults;
import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.OnvifState;
import kr.sejong.city.codecs.PositionEncoder;
import kr.sejong.city.codecs.TickEncoder;
import kr.sejong.city.codecs.TickSource;
import kr.sejong.city.codecs.VideoEventEncoder;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loop.Input;
import kr.sejong.city.core.loops.emergency.TriageLoop;
import kr.sejong.city.core.loops.emergency.TriageSettings;
import kr.sejong.city.core.runtime.OutputBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The triage loop's decision path on the default city (34 cameras), driven as the node drives it:
 * <ul>
 *   <li>{@code repeatEvent}: a video event that folds into one of 34 open incidents (the common case of a
 *   storm: cameras repeating themselves): the de-duplication scan, the source added, the Incident encoded;
 *   plus the ONVIF DELETED of that camera's previous event (events live for one round of the cameras), so
 *   two inputs per operation. Each camera's incident fills its 64 listed sources after a while; later
 *   repeats still count.</li>
 *   <li>{@code changedEvent}: an ONVIF CHANGED of a live event: the lookup, nothing to send.</li>
 *   <li>{@code tick}: the deadline and corridor scan over the open incidents.</li>
 *   <li>{@code p1Incident}: a fire seen by a camera: a new P1 incident, its notifications (fire, EMS), two
 *   dispatches (the quickest fire unit and ambulance over the road graph, the hospital) with their corridor
 *   requests; then an operator closes it (two inputs), so the units are free for the next one.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TriageLoopBenchmark extends BenchmarkDefaults
{
    @State(Scope.Thread)
    public static class Storm
    {
        static final long EPOCH_NS = 1_781_000_000_000_000_000L;
        static final int CAMERAS = 34;

        final TriageLoop loop = new TriageLoop(TriageSettings.from(ConfigLoader.loadDefault().config()));
        final OutputBuffer output = new OutputBuffer();
        final Input input = new Input();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final VideoEventEncoder video = new VideoEventEncoder();
        final TickEncoder tickEncoder = new TickEncoder();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        long sequence;
        long nowNs = EPOCH_NS;
        long eventId = 1;
        int camera;

        @Setup(Level.Trial)
        public void open()
        {
            for (int c = 1; c <= CAMERAS; c++)
            {
                deliver(videoFrame(eventId++, c, OnvifState.INITIALIZED));
            }
            if (loop.openIncidents() == 0)
            {
                throw new IllegalStateException("no incident opened");
            }
        }

        int videoFrame(final long id, final int cameraId, final OnvifState state)
        {
            video.wrapAndApplyHeader(frame, 0, headerEncoder)
                .eventId(id).cameraId(cameraId).eventClass(EventClass.CROWDING).state(state).confidencePermille(800).objectCount(3)
                .observedAtNs(nowNs);
            video.position().eastMm(PositionEncoder.eastMmNullValue()).northMm(PositionEncoder.northMmNullValue());
            return MessageHeaderEncoder.ENCODED_LENGTH + video.encodedLength();
        }

        int deliver(final int length)
        {
            return deliver(frame, length);
        }

        int deliver(final DirectBuffer buffer, final int length)
        {
            header.wrap(buffer, 0);
            input.wrap(sequence++, nowNs, header.templateId(), header.version(), header.blockLength(), buffer, 0, length);
            output.reset();
            loop.onInput(input, output);
            return output.count();
        }

        final kr.sejong.city.codecs.OperatorActionEncoder action = new kr.sejong.city.codecs.OperatorActionEncoder();
        long incidentId;

        /** A fire at the shopping street's west camera (far from the crowding ones' incidents in class). */
        int fire(final long id)
        {
            video.wrapAndApplyHeader(frame, 0, headerEncoder)
                .eventId(id).cameraId(19).eventClass(EventClass.FIRE).state(OnvifState.INITIALIZED).confidencePermille(900).objectCount(1)
                .observedAtNs(nowNs);
            video.position().eastMm(PositionEncoder.eastMmNullValue()).northMm(PositionEncoder.northMmNullValue());
            return MessageHeaderEncoder.ENCODED_LENGTH + video.encodedLength();
        }

        /** An operator closes incident {@link #incidentId}. */
        int close()
        {
            action.wrapAndApplyHeader(frame, 0, headerEncoder)
                .actionId(incidentId).center(kr.sejong.city.codecs.Center.EMERGENCY).role(kr.sejong.city.codecs.OperatorRole.OPERATE)
                .actionKind(kr.sejong.city.codecs.OperatorActionKind.CLOSE).subjectKind(kr.sejong.city.codecs.SubjectKind.INCIDENT)
                .subjectId(incidentId);
            action.operatorName("").what("").before("").after("");
            return MessageHeaderEncoder.ENCODED_LENGTH + action.encodedLength();
        }

        int tick()
        {
            nowNs += 1_000_000L; // a millisecond: deadlines of minutes never fire within a run
            tickEncoder.wrapAndApplyHeader(frame, 0, headerEncoder).timeNs(nowNs).periodNs(1_000_000L).source(TickSource.SIMULATION)
                .tickNumber(sequence);
            return deliver(MessageHeaderEncoder.ENCODED_LENGTH + TickEncoder.BLOCK_LENGTH);
        }
    }

    @Benchmark
    public int repeatEvent(final Storm storm)
    {
        storm.camera = storm.camera % Storm.CAMERAS + 1;
        final int sent = storm.deliver(storm.videoFrame(storm.eventId, storm.camera, OnvifState.INITIALIZED));
        storm.deliver(storm.videoFrame(storm.eventId - Storm.CAMERAS, storm.camera, OnvifState.DELETED));
        storm.eventId++;
        return sent;
    }

    @Benchmark
    public int changedEvent(final Storm storm)
    {
        return storm.deliver(storm.videoFrame(1, 1, OnvifState.CHANGED));
    }

    @Benchmark
    public int tick(final Storm storm)
    {
        return storm.tick();
    }

    @Benchmark
    public int p1Incident(final Storm storm)
    {
        final int sent = storm.deliver(storm.fire(storm.eventId++));
        storm.incidentId = storm.loop.incidentsCreated(); // the fire's incident (the setup's cameras share some)
        if (storm.deliver(storm.close()) == 0 || storm.loop.rejected() != 0)
        {
            throw new IllegalStateException("the fire's incident " + storm.incidentId + " was not closed");
        }
        return sent;
    }
}
