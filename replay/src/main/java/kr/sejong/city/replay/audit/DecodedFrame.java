package kr.sejong.city.replay.audit;

import kr.sejong.city.codecs.MessageHeaderDecoder;
import kr.sejong.city.codecs.MetaAttribute;
import kr.sejong.city.wire.MessageCatalog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One frame decoded into named fields with the generated codecs, for any message of the schema, those
 * added later included: nothing here names a message. The codec's own text form ({@code appendTo}) is
 * read back into a tree, and the generated classes say which values are "not sent" (an optional
 * field's null value) and which are unsigned 64-bit.
 * <p>
 * Values: {@link Long} (or {@link BigInteger} for a uint64 above 2^63), {@link String} for enum names
 * and set choices, {@link Text} for variable-length text, {@link RawData} for opaque bytes, a
 * {@code Map<String, Object>} for a composite or a group entry, a {@code List} for a group, a set or
 * an array, and null for a field that was not sent.
 */
public final class DecodedFrame
{
    /** Variable-length text, kept apart from enum names so that it prints quoted. */
    public record Text(String value)
    {
        @Override
        public String toString()
        {
            return value;
        }
    }

    /** Opaque variable-length data: only its length is shown. */
    public record RawData(long length)
    {
        @Override
        public String toString()
        {
            return length + " bytes";
        }
    }

    private final int templateId;
    private final String message;
    private final Map<String, Object> fields;

    private DecodedFrame(final int templateId, final String message, final Map<String, Object> fields)
    {
        this.templateId = templateId;
        this.message = message;
        this.fields = Collections.unmodifiableMap(fields);
    }

    public int templateId()
    {
        return templateId;
    }

    /** The message's name in the schema, e.g. "SignalCommand". */
    public String message()
    {
        return message;
    }

    /** Top-level fields in schema order. */
    public Map<String, Object> fields()
    {
        return fields;
    }

    /** Whether a field of this name, at the top level or inside any group or composite, has a value that passes the test. */
    public boolean anyField(final String name, final Predicate<Object> test)
    {
        return anyField(fields, name, test);
    }

    private static boolean anyField(final Object node, final String name, final Predicate<Object> test)
    {
        if (node instanceof Map<?, ?> map)
        {
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                if (name.equals(entry.getKey()) && test.test(entry.getValue()))
                {
                    return true;
                }
                if (entry.getValue() instanceof Map || entry.getValue() instanceof List)
                {
                    if (anyField(entry.getValue(), name, test))
                    {
                        return true;
                    }
                }
            }
        }
        else if (node instanceof List<?> list)
        {
            for (final Object element : list)
            {
                if ((element instanceof Map || element instanceof List) && anyField(element, name, test))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** An id field's value as the unsigned number it is, or null when it is not a number. */
    public static Long idValue(final Object value)
    {
        if (value instanceof Long number)
        {
            return number;
        }
        if (value instanceof BigInteger big)
        {
            return big.longValue(); // the same 64 bits as an unsigned id parsed with Long.parseUnsignedLong
        }
        return null;
    }

    @Override
    public String toString()
    {
        return message + fields;
    }

    /**
     * Decodes frames; holds one flyweight per template and what it learnt about the generated classes.
     * Not thread-safe.
     */
    public static final class Decoder
    {
        private final MessageDecoderFlyweight[] decoders = new MessageDecoderFlyweight[MessageCatalog.MAX_TEMPLATE_ID + 1];
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        private final StringBuilder text = new StringBuilder(512);
        private final Map<Class<?>, Map<String, FieldInfo>> fieldInfo = new HashMap<>();

        /**
         * @return the decoded frame, or null when the bytes are not a whole message of this schema (too
         * short, another schema or version, unknown template, a block shorter than the message's fields,
         * or groups and variable-length fields running past the end)
         */
        public DecodedFrame decode(final DirectBuffer buffer, final int offset, final int length)
        {
            return decode(buffer, offset, length, text -> true);
        }

        /**
         * As {@link #decode(DirectBuffer, int, int)}, but returns null without parsing when the codec's
         * text form does not pass {@code worthParsing} (a cheap look before the work).
         */
        public DecodedFrame decode(final DirectBuffer buffer, final int offset, final int length, final Predicate<CharSequence> worthParsing)
        {
            if (length < MessageHeaderDecoder.ENCODED_LENGTH)
            {
                return null;
            }
            view.wrap(buffer, offset, length);
            header.wrap(view, 0);
            final int templateId = header.templateId();
            final int version = header.version();
            if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || version < 1 || version > MessageHeaderDecoder.SCHEMA_VERSION
                || !MessageCatalog.isKnown(templateId) || header.blockLength() < MessageCatalog.blockLength(templateId, version))
            {
                return null;
            }
            MessageDecoderFlyweight decoder = decoders[templateId];
            if (decoder == null)
            {
                decoder = MessageCatalog.newDecoder(templateId);
                decoders[templateId] = decoder;
            }
            text.setLength(0);
            try
            {
                decoder.wrap(view, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), version);
                if (MessageHeaderDecoder.ENCODED_LENGTH + decoder.sbeDecodedLength() > length)
                {
                    return null;
                }
                decoder.wrap(view, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), version);
                decoder.appendTo(text);
            }
            catch (final IndexOutOfBoundsException ex)
            {
                return null;
            }
            if (!worthParsing.test(text))
            {
                return null;
            }
            final Map<String, Object> fields = new Parser(text.toString(), version).message(decoder.getClass());
            return new DecodedFrame(templateId, MessageCatalog.name(templateId), fields);
        }

        private record FieldInfo(Class<?> type, Long nullValue, boolean mayBeNull, int sinceVersion, boolean unsigned64)
        {
        }

        private FieldInfo info(final Class<?> owner, final String name)
        {
            if (owner == null)
            {
                return null;
            }
            return fieldInfo.computeIfAbsent(owner, k -> new HashMap<>()).computeIfAbsent(name, k -> lookUp(owner, name));
        }

        private static FieldInfo lookUp(final Class<?> owner, final String name)
        {
            final Method accessor = method(owner, name);
            final Class<?> type = accessor == null ? null : accessor.getReturnType();
            final Object nullValue = invokeStatic(owner, name + "NullValue");
            final Object presence = invokeStatic(owner, name + "MetaAttribute", MetaAttribute.PRESENCE);
            final Object since = invokeStatic(owner, name + "SinceVersion");
            final Object min = invokeStatic(owner, name + "MinValue");
            final Object max = invokeStatic(owner, name + "MaxValue");
            // composite members have no presence attribute: their type's null value means "not sent"
            final boolean mayBeNull = presence == null ? nullValue != null : "optional".equals(presence);
            final boolean unsigned64 = type == long.class && min instanceof Long lo && lo == 0L && max instanceof Long hi && hi < 0;
            return new FieldInfo(type, nullValue instanceof Number n ? n.longValue() : null, mayBeNull,
                since instanceof Number s ? s.intValue() : 0, unsigned64);
        }

        private static Method method(final Class<?> owner, final String name, final Class<?>... parameters)
        {
            try
            {
                return owner.getMethod(name, parameters);
            }
            catch (final NoSuchMethodException ex)
            {
                return null;
            }
        }

        private static Object invokeStatic(final Class<?> owner, final String name, final Object... arguments)
        {
            final Class<?>[] parameters = new Class<?>[arguments.length];
            for (int i = 0; i < arguments.length; i++)
            {
                parameters[i] = arguments[i].getClass();
            }
            final Method method = method(owner, name, parameters);
            if (method == null || !Modifier.isStatic(method.getModifiers()))
            {
                return null;
            }
            try
            {
                return method.invoke(null, arguments);
            }
            catch (final ReflectiveOperationException ex)
            {
                return null;
            }
        }

        /**
         * Reads the codec's text form: {@code [Name](header):a=1|b=ENUM|g=[(x=1|y=2),(x=3|y=4)]|c=(e=1|n=2)|s={x,y}|t='text'|d=5 bytes of raw data}.
         */
        private final class Parser
        {
            private static final String RAW_DATA = " bytes of raw data";

            private final String s;
            private final int version;
            private int i;

            Parser(final String s, final int version)
            {
                this.s = s;
                this.version = version;
            }

            Map<String, Object> message(final Class<?> type)
            {
                final int body = s.indexOf("):");
                i = body < 0 ? s.length() : body + 2;
                return fieldList(type, (char)0);
            }

            /** Fields up to {@code end} (consumed), or to the end of the text when end is 0. */
            private Map<String, Object> fieldList(final Class<?> owner, final char end)
            {
                final Map<String, Object> fields = new LinkedHashMap<>();
                while (i < s.length() && s.charAt(i) != end)
                {
                    final int eq = s.indexOf('=', i);
                    if (eq < 0)
                    {
                        i = s.length();
                        break;
                    }
                    final String name = s.substring(i, eq);
                    i = eq + 1;
                    fields.put(name, value(owner, name, end));
                    if (i < s.length() && s.charAt(i) == '|')
                    {
                        i++;
                    }
                }
                if (i < s.length() && end != 0 && s.charAt(i) == end)
                {
                    i++;
                }
                return fields;
            }

            private Object value(final Class<?> owner, final String name, final char end)
            {
                final FieldInfo info = info(owner, name);
                if (i >= s.length())
                {
                    return null;
                }
                final char c = s.charAt(i);
                if (c == '[')
                {
                    i++;
                    if (i < s.length() && (s.charAt(i) == '(' || s.charAt(i) == ']'))
                    {
                        final List<Object> entries = new ArrayList<>();
                        final Class<?> entryType = info == null ? null : info.type();
                        while (i < s.length() && s.charAt(i) == '(')
                        {
                            i++;
                            entries.add(fieldList(entryType, ')'));
                            if (i < s.length() && s.charAt(i) == ',')
                            {
                                i++;
                            }
                        }
                        i++; // ']'
                        return entries;
                    }
                    final int close = s.indexOf(']', i);
                    final List<Object> elements = new ArrayList<>();
                    for (final String element : s.substring(i, close < 0 ? s.length() : close).split(","))
                    {
                        if (!element.isEmpty())
                        {
                            elements.add(scalar(element, null));
                        }
                    }
                    i = close < 0 ? s.length() : close + 1;
                    return elements;
                }
                if (c == '(')
                {
                    i++;
                    return fieldList(info == null ? null : info.type(), ')');
                }
                if (c == '{')
                {
                    final int close = s.indexOf('}', i);
                    final List<Object> choices = new ArrayList<>();
                    for (final String choice : s.substring(i + 1, close < 0 ? s.length() : close).split(","))
                    {
                        if (!choice.isEmpty())
                        {
                            choices.add(choice);
                        }
                    }
                    i = close < 0 ? s.length() : close + 1;
                    return choices;
                }
                if (c == '\'')
                {
                    // the codec does not escape quotes: the text ends at a quote followed by a field separator
                    int close = i + 1;
                    while (true)
                    {
                        close = s.indexOf('\'', close);
                        if (close < 0)
                        {
                            close = s.length();
                            break;
                        }
                        final int next = close + 1;
                        if (next >= s.length() || s.charAt(next) == '|' || (end != 0 && s.charAt(next) == end))
                        {
                            break;
                        }
                        close++;
                    }
                    final String value = s.substring(i + 1, Math.min(close, s.length()));
                    i = Math.min(close + 1, s.length());
                    return new Text(value);
                }
                int stop = i;
                while (stop < s.length() && s.charAt(stop) != '|' && (end == 0 || s.charAt(stop) != end))
                {
                    stop++;
                }
                final String raw = s.substring(i, stop);
                i = stop;
                return scalar(raw, info);
            }

            private Object scalar(final String raw, final FieldInfo info)
            {
                if (raw.endsWith(RAW_DATA))
                {
                    return new RawData(Long.parseLong(raw.substring(0, raw.length() - RAW_DATA.length()).trim()));
                }
                if ("NULL_VAL".equals(raw))
                {
                    return null;
                }
                if (!raw.isEmpty() && raw.matches("-?\\d{1,19}"))
                {
                    final long value;
                    try
                    {
                        value = Long.parseLong(raw);
                    }
                    catch (final NumberFormatException ex)
                    {
                        return raw;
                    }
                    if (info != null && info.nullValue() != null && info.nullValue() == value
                        && (info.mayBeNull() || info.sinceVersion() > version))
                    {
                        return null;
                    }
                    if (info != null && info.unsigned64() && value < 0)
                    {
                        return new BigInteger(Long.toUnsignedString(value));
                    }
                    return value;
                }
                return raw;
            }
        }
    }
}
