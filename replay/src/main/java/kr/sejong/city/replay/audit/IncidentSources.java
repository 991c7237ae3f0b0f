package kr.sejong.city.replay.audit;

import kr.sejong.city.codecs.IncidentDecoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.core.journal.JournalReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The source events of one incident, as its Incident messages list them (sourceKind, sourceId): the
 * video events, calls, sensors and operator actions it was made from. Read from the whole journal,
 * because an incident is usually declared after its first source arrived.
 */
public final class IncidentSources
{
    /** Which message and id field each source kind names. */
    private static final Map<String, SourceRef> SOURCES = Map.of(
        "VideoEvent", new SourceRef("VIDEO", "eventId"),
        "CallEvent", new SourceRef("CALL", "callId"),
        "SensorEvent", new SourceRef("SENSOR", "sensorId"),
        "OperatorAction", new SourceRef("OPERATOR", "actionId"));

    private record SourceRef(String sourceKind, String idField)
    {
    }

    private record Source(String kind, long id)
    {
    }

    private final Set<Source> sources = new HashSet<>();

    /** Collect the sources of incident {@code incidentId} from the ingress and egress journals. */
    public static IncidentSources of(final Path dataDir, final long incidentId)
    {
        final IncidentSources result = new IncidentSources();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final IncidentDecoder incident = new IncidentDecoder();
        final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
        for (final boolean ingress : new boolean[]{ true, false })
        {
            try (JournalReader reader = ingress ? JournalReader.ingress(dataDir) : JournalReader.egress(dataDir))
            {
                while (reader.next())
                {
                    if (reader.damage() != null)
                    {
                        continue;
                    }
                    if (ingress)
                    {
                        if (reader.ingressRecord().kind() != JournalRecordKind.INPUT)
                        {
                            continue;
                        }
                        reader.ingressRecord().wrapFrame(frame);
                    }
                    else
                    {
                        reader.egressRecord().wrapFrame(frame);
                    }
                    if (frame.capacity() < MessageHeaderDecoder.ENCODED_LENGTH)
                    {
                        continue;
                    }
                    header.wrap(frame, 0);
                    if (header.templateId() != IncidentDecoder.TEMPLATE_ID || header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
                    {
                        continue;
                    }
                    incident.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                    if (incident.incidentId() != incidentId)
                    {
                        continue;
                    }
                    for (final IncidentDecoder.SourcesDecoder source : incident.sources())
                    {
                        result.sources.add(new Source(source.sourceKind().name(), source.sourceId()));
                    }
                }
            }
        }
        return result;
    }

    /** Whether the frame is one of the incident's sources (a VideoEvent with a listed eventId, ...). */
    public boolean isSource(final DecodedFrame frame)
    {
        final SourceRef ref = SOURCES.get(frame.message());
        if (ref == null)
        {
            return false;
        }
        final Long id = DecodedFrame.idValue(frame.fields().get(ref.idField()));
        return id != null && sources.contains(new Source(ref.sourceKind(), id));
    }

    public boolean isEmpty()
    {
        return sources.isEmpty();
    }
}
