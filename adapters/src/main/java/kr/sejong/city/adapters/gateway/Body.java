package kr.sejong.city.adapters.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * A JSON request body, read strictly, with typed accessors that name the field at fault: missing, of the
 * wrong type, out of range, or not known to the endpoint ({@code field: problem}, answered with 400).
 * Nested fields are named with dots and indexes ({@code route[2].etaMs}).
 */
public final class Body
{
    static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private final JsonNode node;
    private final String prefix;

    private Body(final JsonNode node, final String prefix)
    {
        this.node = node;
        this.prefix = prefix;
    }

    /**
     * Reads a request body that must be one JSON object.
     *
     * @throws ApiException 400 naming {@code body} when it is not.
     */
    public static Body parse(final byte[] bytes)
    {
        if (bytes.length == 0)
        {
            throw ApiException.badField("body", "empty; a JSON object is expected");
        }
        final JsonNode node;
        try
        {
            node = MAPPER.readTree(bytes);
        }
        catch (final JsonProcessingException ex)
        {
            final String where = ex.getLocation() == null ? ""
                : " at line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr();
            throw ApiException.badField("body", "malformed JSON" + where + ": " + ex.getOriginalMessage());
        }
        catch (final java.io.IOException ex)
        {
            throw ApiException.badField("body", "unreadable: " + ex.getMessage());
        }
        if (node == null || !node.isObject())
        {
            throw ApiException.badField("body", "must be a JSON object, was " + (node == null ? "nothing" : kind(node)));
        }
        return new Body(node, "");
    }

    /** Refuses a field this endpoint does not know (a misspelt optional field would otherwise be ignored). */
    public Body only(final String... names)
    {
        final Set<String> known = Set.of(names);
        for (final Iterator<String> it = node.fieldNames(); it.hasNext(); )
        {
            final String name = it.next();
            if (!known.contains(name))
            {
                throw ApiException.badField(path(name), "unknown field (known: " + String.join(", ", names) + ")");
            }
        }
        return this;
    }

    public boolean has(final String name)
    {
        return node.hasNonNull(name);
    }

    /** A required integer within [min, max]. */
    public long integer(final String name, final long min, final long max)
    {
        return integerValue(required(name), name, min, max);
    }

    /** An optional integer within [min, max], or {@code absent}. */
    public long integer(final String name, final long min, final long max, final long absent)
    {
        return has(name) ? integer(name, min, max) : absent;
    }

    /** A required number within [min, max]. */
    public double number(final String name, final double min, final double max)
    {
        final JsonNode value = required(name);
        if (!value.isNumber())
        {
            throw ApiException.badField(path(name), "must be a number, was " + kind(value));
        }
        final double v = value.asDouble();
        if (!(v >= min && v <= max))
        {
            throw ApiException.badField(path(name), "must be in [" + min + ", " + max + "], was " + value);
        }
        return v;
    }

    /** A required string, at most {@code maxLength} characters, not blank. */
    public String text(final String name, final int maxLength)
    {
        final JsonNode value = required(name);
        if (!value.isTextual())
        {
            throw ApiException.badField(path(name), "must be a string, was " + kind(value));
        }
        final String text = value.textValue();
        if (text.isBlank())
        {
            throw ApiException.badField(path(name), "must not be blank");
        }
        if (text.length() > maxLength)
        {
            throw ApiException.badField(path(name), "longer than " + maxLength + " characters");
        }
        return text;
    }

    /** A required string naming a constant of {@code type}, in lower case ({@code brt_bus}). */
    public <E extends Enum<E>> E choice(final String name, final Class<E> type, final Set<E> allowed)
    {
        final JsonNode value = required(name);
        final String names = String.join(", ", allowed.stream().map(e -> e.name().toLowerCase(Locale.ROOT)).sorted().toList());
        if (!value.isTextual())
        {
            throw ApiException.badField(path(name), "must be one of " + names + ", was " + kind(value));
        }
        for (final E e : allowed)
        {
            if (e.name().toLowerCase(Locale.ROOT).equals(value.textValue()))
            {
                return e;
            }
        }
        throw ApiException.badField(path(name), "must be one of " + names + ", was \"" + value.textValue() + "\"");
    }

    /** A required nested object. */
    public Body object(final String name)
    {
        final JsonNode value = required(name);
        if (!value.isObject())
        {
            throw ApiException.badField(path(name), "must be an object, was " + kind(value));
        }
        return new Body(value, path(name) + ".");
    }

    /** A required array of objects, with at most {@code max} entries (each as a Body named {@code name[i]}). */
    public Body[] objects(final String name, final int max)
    {
        final JsonNode value = required(name);
        if (!value.isArray())
        {
            throw ApiException.badField(path(name), "must be an array, was " + kind(value));
        }
        if (value.size() > max)
        {
            throw ApiException.badField(path(name), "at most " + max + " entries, was " + value.size());
        }
        final Body[] out = new Body[value.size()];
        for (int i = 0; i < out.length; i++)
        {
            final JsonNode entry = value.get(i);
            final String entryPath = path(name) + "[" + i + "]";
            if (!entry.isObject())
            {
                throw ApiException.badField(entryPath, "must be an object, was " + kind(entry));
            }
            out[i] = new Body(entry, entryPath + ".");
        }
        return out;
    }

    /** The full name of a field of this object, for messages. */
    public String path(final String name)
    {
        return prefix + name;
    }

    private JsonNode required(final String name)
    {
        final JsonNode value = node.get(name);
        if (value == null || value.isNull())
        {
            throw ApiException.badField(path(name), "missing required field");
        }
        return value;
    }

    private long integerValue(final JsonNode value, final String name, final long min, final long max)
    {
        if (!value.isIntegralNumber() || !value.canConvertToLong())
        {
            throw ApiException.badField(path(name), "must be an integer, was " + kind(value));
        }
        final long v = value.longValue();
        if (v < min || v > max)
        {
            throw ApiException.badField(path(name), "must be in [" + min + ", " + max + "], was " + v);
        }
        return v;
    }

    private static String kind(final JsonNode value)
    {
        return switch (value.getNodeType())
        {
            case STRING -> "a string";
            case NUMBER -> value.isIntegralNumber() ? "an integer out of range" : "a number with a fraction";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
