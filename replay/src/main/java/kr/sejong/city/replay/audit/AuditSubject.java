package kr.sejong.city.replay.audit;

import kr.sejong.city.replay.ReplayException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an audit is about, and what "touched it" means, read from the decoded fields only (by field
 * name, at any depth), so that a message added to the schema later is covered when it uses the same
 * names:
 * <ul>
 *   <li>intersection: a field {@code intersectionId} (top level, or in a group such as a route)</li>
 *   <li>incident: a field {@code incidentId}, and the source events an Incident lists (see {@link IncidentSources})</li>
 *   <li>vehicle: a field {@code vehicleId}, {@code shuttleId} or {@code unitId}</li>
 *   <li>request: a field {@code requestId} (ride and priority requests, shuttle plan stops)</li>
 * </ul>
 * and, for each, a message with {@code subjectKind} and {@code subjectId} (OperatorAction) naming the
 * subject, or all subjects of its kind (subjectId 0).
 */
public record AuditSubject(Kind kind, long id)
{
    /** The kinds of subject, with the id fields and OperatorAction subject kinds that name one. */
    public enum Kind
    {
        INTERSECTION("--intersection", List.of("intersectionId"), Set.of("INTERSECTION")),
        INCIDENT("--incident", List.of("incidentId"), Set.of("INCIDENT")),
        VEHICLE("--vehicle", List.of("vehicleId", "shuttleId", "unitId"), Set.of("VEHICLE", "SHUTTLE")),
        REQUEST("--request", List.of("requestId"), Set.of("REQUEST"));

        private final String option;
        private final List<String> idFields;
        private final Set<String> subjectKinds;

        Kind(final String option, final List<String> idFields, final Set<String> subjectKinds)
        {
            this.option = option;
            this.idFields = idFields;
            this.subjectKinds = subjectKinds;
        }

        public String option()
        {
            return option;
        }

        /** Names of the fields that carry this kind's id. */
        public List<String> idFields()
        {
            return idFields;
        }

        /** Values of SubjectKind that name this kind in an OperatorAction. */
        public Set<String> subjectKinds()
        {
            return subjectKinds;
        }

        public String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The one subject given on the command line (null: option not given).
     *
     * @throws ReplayException when none or more than one is given, or an id is not a number
     */
    public static AuditSubject of(final String intersection, final String incident, final String vehicle, final String request)
    {
        final List<AuditSubject> given = new ArrayList<>();
        final String[] values = { intersection, incident, vehicle, request };
        for (final Kind kind : Kind.values())
        {
            final String value = values[kind.ordinal()];
            if (value != null)
            {
                given.add(new AuditSubject(kind, parseId(kind, value)));
            }
        }
        if (given.isEmpty())
        {
            throw new ReplayException("say what the audit is about: one of --intersection ID, --incident ID, --vehicle ID or --request ID");
        }
        if (given.size() > 1)
        {
            throw new ReplayException("an audit is about one subject, but " + given.size() + " were given ("
                + String.join(", ", given.stream().map(s -> s.kind().option() + " " + s.idText()).toList()) + "): keep one");
        }
        return given.get(0);
    }

    private static long parseId(final Kind kind, final String value)
    {
        try
        {
            return Long.parseUnsignedLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new ReplayException(kind.option() + " '" + value + "' is not an id (a whole number of 0 or more)");
        }
    }

    /** The id as written (ids are unsigned). */
    public String idText()
    {
        return Long.toUnsignedString(id);
    }

    @Override
    public String toString()
    {
        return kind.label() + " " + idText();
    }

    /** Whether the frame names this subject, or (for an incident) is one of the incident's sources. */
    public boolean touches(final DecodedFrame frame, final IncidentSources sources)
    {
        for (final String field : kind.idFields)
        {
            if (frame.anyField(field, value -> Long.valueOf(id).equals(DecodedFrame.idValue(value))))
            {
                return true;
            }
        }
        final Object subjectKind = frame.fields().get("subjectKind");
        final Long subjectId = DecodedFrame.idValue(frame.fields().get("subjectId"));
        if (subjectKind != null && subjectId != null && kind.subjectKinds.contains(subjectKind.toString())
            && (subjectId == id || subjectId == 0))
        {
            return true;
        }
        return kind == Kind.INCIDENT && sources != null && sources.isSource(frame);
    }

    /** A cheap look at the codec text before parsing it: could this frame touch the subject at all? */
    boolean mayTouch(final CharSequence codecText)
    {
        final String text = codecText.toString();
        for (final String field : kind.idFields)
        {
            if (text.contains(field + "="))
            {
                return true;
            }
        }
        return text.contains("subjectKind=") || kind == Kind.INCIDENT;
    }
}
