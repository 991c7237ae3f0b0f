package kr.sejong.city.replay.audit;

import kr.sejong.city.codecs.EgressRecordDecoder;
import kr.sejong.city.codecs.IngressRecordDecoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.core.journal.JournalReader;
import kr.sejong.city.replay.JournalExtent;
import kr.sejong.city.replay.Position;
import kr.sejong.city.replay.ReplayException;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit timeline of one subject (an intersection, incident, vehicle or request): every input the
 * node journaled and every decision it published in [from, to] that touched the subject, in order of
 * time and ingress sequence, each decision right after the input that caused it, with its reason code.
 * <p>
 * A rejected input is in the timeline when its kept bytes still decode to a message that touches the
 * subject, and so is the Reject that answered it; a rejected frame that does not decode is left out.
 */
public final class Audit
{
    private static final Comparator<AuditRow> ORDER = Comparator.comparingLong(AuditRow::timeNs)
        .thenComparingLong(AuditRow::sequence)
        .thenComparing(AuditRow::direction)
        .thenComparingLong(row -> row.egressSequence() == null ? -1 : row.egressSequence());

    private Audit()
    {
    }

    /**
     * @param from  first entry (time or sequence); null: the journal's start
     * @param to    last entry (time or sequence); null: the journal's end
     * @param zone  the city's time zone, for messages
     * @throws ReplayException not a data directory, a range outside the journal, or nothing in the range touching the subject
     */
    public static Timeline timeline(final Path dataDir, final Position from, final Position to, final AuditSubject subject,
        final ZoneId zone)
    {
        final JournalExtent extent = JournalExtent.of(dataDir);
        extent.checkRange(from, to, zone);
        final IncidentSources sources = subject.kind() == AuditSubject.Kind.INCIDENT ? IncidentSources.of(dataDir, subject.id()) : null;

        final List<AuditRow> rows = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Set<Long> touchedInputs = new HashSet<>();
        final DecodedFrame.Decoder decoder = new DecodedFrame.Decoder();
        final UnsafeBuffer frame = new UnsafeBuffer(0, 0);

        long lastSequence = -1;
        try (JournalReader reader = JournalReader.ingress(dataDir))
        {
            while (reader.next())
            {
                if (reader.damage() != null)
                {
                    notes.add("ingress entry after sequence " + lastSequence + " skipped: " + reader.damage());
                    continue;
                }
                final IngressRecordDecoder record = reader.ingressRecord();
                final long sequence = record.sequence();
                final long timeNs = record.timeNs();
                lastSequence = sequence;
                if (to != null && to.isSequence() && sequence > to.sequence())
                {
                    break;
                }
                if (!JournalExtent.inRange(from, to, sequence, timeNs))
                {
                    continue;
                }
                final JournalRecordKind kind = record.kind();
                final String rejectedFor = kind == JournalRecordKind.REJECTED ? String.valueOf(record.rejectReason()) : null;
                record.wrapFrame(frame);
                final DecodedFrame decoded = decoder.decode(frame, 0, frame.capacity(), subject::mayTouch);
                if (decoded == null || !subject.touches(decoded, sources))
                {
                    continue;
                }
                touchedInputs.add(sequence);
                rows.add(new AuditRow(timeNs, sequence, null, AuditRow.Direction.IN, decoded.message(),
                    rejectedFor != null ? "rejected: " + rejectedFor : reasonOf(decoded), decoded.fields()));
            }
        }

        long lastEgress = -1;
        try (JournalReader reader = JournalReader.egress(dataDir))
        {
            while (reader.next())
            {
                if (reader.damage() != null)
                {
                    notes.add("egress entry after egress sequence " + lastEgress + " skipped: " + reader.damage());
                    continue;
                }
                final EgressRecordDecoder record = reader.egressRecord();
                final long egressSequence = record.egressSequence();
                final long inputSequence = record.inputSequence();
                final long timeNs = record.timeNs();
                lastEgress = egressSequence;
                if (to != null && to.isSequence() && inputSequence > to.sequence())
                {
                    break;
                }
                if (!JournalExtent.inRange(from, to, inputSequence, timeNs))
                {
                    continue;
                }
                record.wrapFrame(frame);
                final DecodedFrame decoded = decoder.decode(frame, 0, frame.capacity(),
                    text -> subject.mayTouch(text) || text.toString().contains("rejectedSequence="));
                if (decoded == null)
                {
                    continue;
                }
                final Long answered = DecodedFrame.idValue(decoded.fields().get("rejectedSequence"));
                if (subject.touches(decoded, sources) || (answered != null && touchedInputs.contains(answered)))
                {
                    rows.add(new AuditRow(timeNs, inputSequence, egressSequence, AuditRow.Direction.OUT, decoded.message(),
                        reasonOf(decoded), decoded.fields()));
                }
            }
        }

        if (rows.isEmpty())
        {
            throw new ReplayException("no entry between " + JournalExtent.between(from, to, zone) + " touches " + subject
                + " (the journal runs from sequence " + extent.firstSequence() + " to " + extent.lastSequence() + ")");
        }
        rows.sort(ORDER);
        return new Timeline(dataDir, subject, from, to, List.copyOf(rows), List.copyOf(notes));
    }

    /**
     * The message's own reason code: its top-level enum fields named reason, status, or ending in
     * Reason or Status (SignalCommand.reason, PriorityStatus.status and .reason, Reject.reason, ...),
     * joined with " / "; NONE and unset values are left out. Null when there is none.
     */
    static String reasonOf(final DecodedFrame frame)
    {
        final List<String> parts = new ArrayList<>();
        for (final Map.Entry<String, Object> field : frame.fields().entrySet())
        {
            final String name = field.getKey();
            final boolean isReason = name.equals("reason") || name.equals("status") || name.endsWith("Reason") || name.endsWith("Status");
            if (isReason && field.getValue() != null && !(field.getValue() instanceof Number) && !"NONE".equals(field.getValue().toString()))
            {
                parts.add(field.getValue().toString());
            }
        }
        return parts.isEmpty() ? null : String.join(" / ", parts);
    }
}
