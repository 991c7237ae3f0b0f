package kr.sejong.city.replay;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.wire.MessageCatalog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Says how two frames differ in words an engineer reads: the message of each and the fields whose
 * values differ, decoded with the generated codecs.
 */
public final class FrameDiff
{
    private FrameDiff()
    {
    }

    /** The message name of a frame ("template N" when unknown, "(n bytes)" when shorter than a header). */
    public static String messageName(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return "(" + length + " bytes)";
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        return MessageCatalog.name(header.templateId());
    }

    /** Every field of a frame as "name=value" in schema order, using the generated decoder. */
    public static String describe(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return "(" + length + " bytes)";
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        final int templateId = header.templateId();
        if (!MessageCatalog.isKnown(templateId))
        {
            return MessageCatalog.name(templateId);
        }
        final MessageDecoderFlyweight decoder = MessageCatalog.newDecoder(templateId);
        try
        {
            decoder.wrap(new UnsafeBuffer(buffer, offset, length), MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                header.version());
            return decoder.appendTo(new StringBuilder()).toString();
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return MessageCatalog.name(templateId) + " (malformed: " + length + " bytes)";
        }
    }

    /** The fields whose values differ, as "field: expected -> actual". */
    public static List<String> differingFields(final String expected, final String actual)
    {
        final Map<String, String> left = fields(expected);
        final Map<String, String> right = fields(actual);
        final List<String> differences = new ArrayList<>();
        if (!messageOf(expected).equals(messageOf(actual)))
        {
            differences.add("message: " + messageOf(expected) + " -> " + messageOf(actual));
            return differences;
        }
        for (final Map.Entry<String, String> entry : left.entrySet())
        {
            final String other = right.get(entry.getKey());
            if (!entry.getValue().equals(other))
            {
                differences.add(entry.getKey() + ": " + entry.getValue() + " -> " + (other == null ? "(absent)" : other));
            }
        }
        for (final Map.Entry<String, String> entry : right.entrySet())
        {
            if (!left.containsKey(entry.getKey()))
            {
                differences.add(entry.getKey() + ": (absent) -> " + entry.getValue());
            }
        }
        if (differences.isEmpty() && !expected.equals(actual))
        {
            differences.add("(bytes differ outside the decoded fields)");
        }
        return differences;
    }

    private static String messageOf(final String description)
    {
        final int bracket = description.indexOf('(');
        final int space = description.indexOf(' ');
        final int end = bracket < 0 ? (space < 0 ? description.length() : space) : bracket;
        return description.substring(0, end).replace("[", "").trim();
    }

    /**
     * Top-level "name=value" pairs of an SBE appendTo text; groups and composites stay whole values
     * (their brackets are balanced before splitting on '|').
     */
    static Map<String, String> fields(final String description)
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        final int open = description.indexOf("):");
        final String body = open < 0 ? description : description.substring(open + 2);
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= body.length(); i++)
        {
            final char c = i < body.length() ? body.charAt(i) : '|';
            if (c == '[' || c == '{' || c == '(')
            {
                depth++;
            }
            else if (c == ']' || c == '}' || c == ')')
            {
                depth--;
            }
            else if (c == '|' && depth <= 0)
            {
                final String pair = body.substring(start, i);
                final int eq = pair.indexOf('=');
                if (eq > 0)
                {
                    fields.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                start = i + 1;
            }
        }
        return fields;
    }
}
