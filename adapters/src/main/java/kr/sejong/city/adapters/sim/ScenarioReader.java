package kr.sejong.city.adapters.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Strict field access to a scenario file read as a YAML tree, with messages that name the file and the
 * field ({@code scenario FILE: faults[2].seconds must be between 1 and 3600, was 0}). Shared by the scenario
 * kinds of {@code bin/city simulate}; each throws its own exception type.
 */
public final class ScenarioReader
{
    private final String source;
    private final Function<String, ? extends RuntimeException> exception;

    /**
     * @param source    the file, as the messages name it.
     * @param exception makes the exception for a message.
     */
    public ScenarioReader(final String source, final Function<String, ? extends RuntimeException> exception)
    {
        this.source = source;
        this.exception = exception;
    }

    /** The bytes of a scenario file; a missing or unreadable file is {@code exception}'s message. */
    public static byte[] readFile(final Path file, final Function<String, ? extends RuntimeException> exception)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw exception.apply("scenario " + file + " not found");
        }
        catch (final IOException ex)
        {
            throw exception.apply("scenario " + file + " cannot be read: " + ex.getMessage());
        }
    }

    /** The YAML tree of a scenario, a mapping; invalid YAML (with its line) or another shape is {@code exception}'s message. */
    public static JsonNode parseTree(final String source, final byte[] yaml, final Function<String, ? extends RuntimeException> exception)
    {
        final JsonNode root;
        try
        {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        }
        catch (final JsonProcessingException ex)
        {
            throw exception.apply("scenario " + source + " is not valid YAML: " + ex.getOriginalMessage()
                + (ex.getLocation() != null ? " (line " + ex.getLocation().getLineNr() + ")" : ""));
        }
        catch (final IOException ex)
        {
            throw exception.apply("scenario " + source + " cannot be read: " + ex.getMessage());
        }
        if (root == null || !root.isObject())
        {
            throw exception.apply("scenario " + source + " is empty or not a mapping");
        }
        return root;
    }

    /** The exception for a field and what is wrong with it. */
    public RuntimeException problem(final String field, final String what)
    {
        return exception.apply("scenario " + source + ": " + field + " " + what);
    }

    /** Refuse a key of the mapping that is not one of {@code names} (a typo must not be ignored). */
    public void allowOnly(final JsonNode node, final String prefix, final String... names)
    {
        if (node == null)
        {
            return;
        }
        final List<String> allowed = List.of(names);
        final java.util.Iterator<String> it = node.fieldNames();
        while (it.hasNext())
        {
            final String name = it.next();
            if (!allowed.contains(name))
            {
                throw problem(prefix + name, "is not a scenario setting (known here: " + String.join(", ", allowed) + ")");
            }
        }
    }

    /** A mapping, or null when absent. */
    public JsonNode object(final JsonNode parent, final String name)
    {
        final JsonNode node = parent.get(name);
        if (node == null || node.isNull())
        {
            return null;
        }
        if (!node.isObject())
        {
            throw problem(name, "must be a mapping");
        }
        return node;
    }

    /** A list of mappings, empty when absent. */
    public List<JsonNode> list(final JsonNode parent, final String name)
    {
        final JsonNode node = parent.get(name);
        if (node == null || node.isNull())
        {
            return List.of();
        }
        if (!node.isArray())
        {
            throw problem(name, "must be a list");
        }
        final List<JsonNode> items = new ArrayList<>();
        for (final JsonNode item : node)
        {
            if (!item.isObject())
            {
                throw problem(name + "[" + items.size() + "]", "must be a mapping");
            }
            items.add(item);
        }
        return items;
    }

    public String optionalText(final JsonNode parent, final String name)
    {
        return text(parent, name, name, null);
    }

    /** A required single value as text. */
    public String text(final JsonNode parent, final String field, final String name)
    {
        final String value = text(parent, field, name, null);
        if (value == null)
        {
            throw problem(field, "is missing");
        }
        return value;
    }

    /** A single value as text, {@code fallback} when absent. */
    public String text(final JsonNode parent, final String field, final String name, final String fallback)
    {
        final JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull())
        {
            return fallback;
        }
        if (!node.isValueNode())
        {
            throw problem(field, "must be a single value");
        }
        return node.asText();
    }

    public boolean bool(final JsonNode parent, final String field, final String name, final boolean fallback)
    {
        final JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull())
        {
            return fallback;
        }
        if (!node.isBoolean())
        {
            throw problem(field, "must be true or false, was '" + node.asText() + "'");
        }
        return node.asBoolean();
    }

    public double number(final JsonNode parent, final String name, final double fallback, final double min, final double max)
    {
        return number(parent, name, name, fallback, min, max);
    }

    /** A number in [min, max]; {@code fallback} when absent, unless it is NaN (then it is required). */
    public double number(final JsonNode parent, final String field, final String name, final double fallback, final double min, final double max)
    {
        final JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull())
        {
            if (Double.isNaN(fallback))
            {
                throw problem(field, "is missing");
            }
            return fallback;
        }
        if (!node.isNumber())
        {
            throw problem(field, "must be a number, was '" + node.asText() + "'");
        }
        final double value = node.asDouble();
        if (!(value >= min && value <= max))
        {
            throw problem(field, "must be between " + plain(min) + " and " + plain(max) + ", was " + node.asText());
        }
        return value;
    }

    /** A list of whole numbers in [min, max], empty when absent. */
    public List<Integer> ints(final JsonNode parent, final String field, final String name, final int min, final int max)
    {
        final JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull())
        {
            return List.of();
        }
        if (!node.isArray())
        {
            throw problem(field, "must be a list of numbers");
        }
        final List<Integer> values = new ArrayList<>();
        for (final JsonNode item : node)
        {
            if (!item.isIntegralNumber() || item.asLong() < min || item.asLong() > max)
            {
                throw problem(field + "[" + values.size() + "]", "must be a whole number between " + min + " and " + max + ", was '" + item.asText() + "'");
            }
            values.add(item.asInt());
        }
        return List.copyOf(values);
    }

    /** A list of numbers in [min, max], null when absent; when {@code size} is above 0 it must have exactly that many. */
    public List<Double> numbers(final JsonNode parent, final String field, final String name, final int size, final double min, final double max)
    {
        final JsonNode node = parent == null ? null : parent.get(name);
        if (node == null || node.isNull())
        {
            return null;
        }
        if (!node.isArray())
        {
            throw problem(field, "must be a list of numbers");
        }
        if (size > 0 && node.size() != size)
        {
            throw problem(field, "must have " + size + " numbers, has " + node.size());
        }
        final List<Double> values = new ArrayList<>();
        for (final JsonNode item : node)
        {
            if (!item.isNumber() || !(item.asDouble() >= min && item.asDouble() <= max))
            {
                throw problem(field + "[" + values.size() + "]", "must be a number between " + plain(min) + " and " + plain(max)
                    + ", was '" + item.asText() + "'");
            }
            values.add(item.asDouble());
        }
        return List.copyOf(values);
    }

    public LocalDate date(final JsonNode parent, final String name)
    {
        final String text = text(parent, name, name);
        try
        {
            return LocalDate.parse(text);
        }
        catch (final DateTimeParseException ex)
        {
            throw problem(name, "must be a date YYYY-MM-DD, was '" + text + "'");
        }
    }

    /** A time of day, HH:MM or HH:MM:SS (quoted in YAML, which would read 22:40 as a number). */
    public LocalTime time(final JsonNode parent, final String field, final String name)
    {
        final String text = text(parent, field, name);
        try
        {
            return LocalTime.parse(text.length() == 5 ? text + ":00" : text.length() == 4 ? "0" + text + ":00" : text);
        }
        catch (final DateTimeParseException ex)
        {
            throw problem(field, "must be a time of day HH:MM or HH:MM:SS, was '" + text + "'");
        }
    }

    private static String plain(final double value)
    {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long)value) : Double.toString(value);
    }
}
