package kr.sejong.city.replay.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import kr.sejong.city.replay.CityTime;
import kr.sejong.city.replay.Csv;
import kr.sejong.city.replay.JournalExtent;
import kr.sejong.city.replay.ReplayException;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How an audit timeline is written: aligned text for people, JSON and CSV for tools. */
public enum TimelineFormat
{
    TEXT
    {
        @Override
        public void write(final Timeline timeline, final ZoneId zone, final PrintWriter out)
        {
            out.println("Audit of " + timeline.subject() + ": every input and decision that touched it, from "
                + JournalExtent.describe(timeline.from(), timeline.to(), zone) + " (times in " + zone + ")");
            out.println("Journal: " + timeline.dataDir());
            out.println("  IN      an input the node journaled (what it saw); SEQUENCE is its ingress sequence");
            out.println("  OUT     a decision the node published (what it said); \"out N for input M\" is egress sequence N,"
                + " caused by input M and listed right after it");
            out.println("  REASON  the message's own reason or status code; \"rejected: ...\" for an input the node refused");
            for (final String note : timeline.notes())
            {
                out.println("note: " + note);
            }
            out.println();
            final List<String[]> lines = new ArrayList<>();
            lines.add(new String[]{ "TIME", "SEQUENCE", "DIR", "MESSAGE", "REASON", "FIELDS" });
            for (final AuditRow row : timeline.rows())
            {
                lines.add(new String[]{ CityTime.format(row.timeNs(), zone), row.sequenceText(), row.direction().name(), row.message(),
                    row.reason() == null ? "-" : row.reason(), fieldsText(row.fields(), zone) });
            }
            final int[] widths = new int[5];
            for (final String[] line : lines)
            {
                for (int i = 0; i < widths.length; i++)
                {
                    widths[i] = Math.max(widths[i], line[i].length());
                }
            }
            for (final String[] line : lines)
            {
                final StringBuilder text = new StringBuilder();
                for (int i = 0; i < widths.length; i++)
                {
                    text.append(line[i]).append(" ".repeat(widths[i] - line[i].length() + 2));
                }
                out.println(text.append(line[5]).toString().stripTrailing());
            }
            out.println();
            out.printf(Locale.ROOT, "%d entries: %d inputs, %d decisions%n", timeline.rows().size(), timeline.inputs(), timeline.outputs());
            out.flush();
        }
    },
    JSON
    {
        @Override
        public void write(final Timeline timeline, final ZoneId zone, final PrintWriter out)
        {
            final Map<String, Object> json = new LinkedHashMap<>();
            final Map<String, Object> subject = new LinkedHashMap<>();
            subject.put("kind", timeline.subject().kind().label());
            subject.put("id", new BigInteger(timeline.subject().idText()));
            json.put("subject", subject);
            json.put("from", timeline.from() == null ? null : CityTime.format(timeline.from(), zone));
            json.put("to", timeline.to() == null ? null : CityTime.format(timeline.to(), zone));
            json.put("zone", zone.getId());
            json.put("dataDir", timeline.dataDir().toString());
            json.put("inputs", timeline.inputs());
            json.put("outputs", timeline.outputs());
            json.put("notes", timeline.notes());
            final List<Object> rows = new ArrayList<>();
            for (final AuditRow row : timeline.rows())
            {
                final Map<String, Object> object = new LinkedHashMap<>();
                object.put("time", CityTime.format(row.timeNs(), zone));
                object.put("timeNs", row.timeNs());
                object.put("sequence", row.sequence());
                object.put("egressSequence", row.egressSequence());
                object.put("direction", row.direction().name());
                object.put("message", row.message());
                object.put("reason", row.reason());
                object.put("fields", jsonValue(row.fields()));
                rows.add(object);
            }
            json.put("rows", rows);
            try
            {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
            }
            catch (final JsonProcessingException ex)
            {
                throw new UncheckedIOException(ex);
            }
            out.flush();
        }
    },
    CSV
    {
        @Override
        public void write(final Timeline timeline, final ZoneId zone, final PrintWriter out)
        {
            out.print(Csv.record(List.of("time", "timeNs", "sequence", "egressSequence", "direction", "message", "reason", "fields")));
            out.print(Csv.LINE_END);
            for (final AuditRow row : timeline.rows())
            {
                out.print(Csv.record(List.of(CityTime.format(row.timeNs(), zone), Long.toString(row.timeNs()), Long.toString(row.sequence()),
                    row.egressSequence() == null ? "" : Long.toString(row.egressSequence()), row.direction().name(), row.message(),
                    row.reason() == null ? "" : row.reason(), fieldsText(row.fields(), zone))));
                out.print(Csv.LINE_END);
            }
            out.flush();
        }
    };

    /** Write the whole timeline. */
    public abstract void write(Timeline timeline, ZoneId zone, PrintWriter out);

    /** text, json or csv (any case). */
    public static TimelineFormat parse(final String name)
    {
        for (final TimelineFormat format : values())
        {
            if (format.name().equalsIgnoreCase(name.trim()))
            {
                return format;
            }
        }
        throw new ReplayException("unknown format '" + name + "': use text, json or csv");
    }

    /**
     * Fields as "name=value" separated by spaces: text in quotes, composites and group entries in
     * parentheses, groups in brackets, a field not sent as "(not sent)", and a time field (name ending
     * in Ns) holding epoch time as a time in the zone.
     */
    public static String fieldsText(final Map<String, Object> fields, final ZoneId zone)
    {
        final StringBuilder text = new StringBuilder();
        for (final Map.Entry<String, Object> field : fields.entrySet())
        {
            if (text.length() > 0)
            {
                text.append(' ');
            }
            text.append(field.getKey()).append('=').append(valueText(field.getKey(), field.getValue(), zone));
        }
        return text.toString();
    }

    private static String valueText(final String name, final Object value, final ZoneId zone)
    {
        if (value == null)
        {
            return "(not sent)";
        }
        if (value instanceof DecodedFrame.Text text)
        {
            return "'" + text.value() + "'";
        }
        if (value instanceof DecodedFrame.RawData data)
        {
            return "(" + data.length() + " bytes)";
        }
        if (value instanceof Long number && name.endsWith("Ns") && CityTime.looksLikeEpoch(number))
        {
            return CityTime.format(number, zone);
        }
        if (value instanceof Map<?, ?> map)
        {
            @SuppressWarnings("unchecked")
            final Map<String, Object> entry = (Map<String, Object>)map;
            return "(" + fieldsText(entry, zone) + ")";
        }
        if (value instanceof List<?> list)
        {
            final List<String> elements = new ArrayList<>();
            for (final Object element : list)
            {
                elements.add(valueText(name, element, zone));
            }
            return "[" + String.join(", ", elements) + "]";
        }
        return value.toString();
    }

    /** The decoded tree as plain JSON values. */
    static Object jsonValue(final Object value)
    {
        if (value instanceof DecodedFrame.Text text)
        {
            return text.value();
        }
        if (value instanceof DecodedFrame.RawData data)
        {
            return Map.of("bytes", data.length());
        }
        if (value instanceof Map<?, ?> map)
        {
            final Map<String, Object> object = new LinkedHashMap<>();
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                object.put(entry.getKey().toString(), jsonValue(entry.getValue()));
            }
            return object;
        }
        if (value instanceof List<?> list)
        {
            final List<Object> array = new ArrayList<>();
            for (final Object element : list)
            {
                array.add(jsonValue(element));
            }
            return array;
        }
        return value;
    }
}
