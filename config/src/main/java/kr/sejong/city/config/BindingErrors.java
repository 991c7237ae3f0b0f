package kr.sejong.city.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.CharConversionException;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * Turns what Jackson and SnakeYAML throw while reading into one-line {@link ConfigException}s with
 * a key path ({@code energy.ess[0].capacityKwh}) or, for YAML syntax, a line and column.
 */
final class BindingErrors
{
    private static final int MAX_SHOWN_TEXT_LENGTH = 60;

    private BindingErrors()
    {
    }

    static ConfigException translate(final String file, final JsonProcessingException ex, final JsonParser parser)
    {
        final CharConversionException encoding = causeOf(ex, CharConversionException.class);
        if (encoding != null)
        {
            return notUtf8(file, encoding);
        }
        final MarkedYAMLException syntax = causeOf(ex, MarkedYAMLException.class);
        if (syntax != null)
        {
            final Mark mark = syntax.getProblemMark() != null ? syntax.getProblemMark() : syntax.getContextMark();
            final String where = mark != null ?
                "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) : location(ex.getLocation());
            return new ConfigException(file, where, "YAML syntax: " + syntaxProblem(syntax), ex);
        }
        if (isDuplicateKey(ex))
        {
            // the parser still stands on the repeated key
            final JsonLocation again = ex.getLocation();
            return new ConfigException(file, path(parser.getParsingContext()),
                again == null ? "duplicate key" : "duplicate key (again at line " + again.getLineNr() + ")", ex);
        }
        if (!(ex instanceof JsonMappingException mapping))
        {
            return new ConfigException(file, location(ex.getLocation()), firstLine(ex.getOriginalMessage()), ex);
        }

        final String path = path(mapping.getPath());
        if (mapping instanceof UnrecognizedPropertyException unknown)
        {
            return new ConfigException(file, path, "unknown key (known: " + String.join(", ", knownKeys(unknown)) + ")", ex);
        }
        if (mapping instanceof InvalidNullException)
        {
            return new ConfigException(file, path, "empty list entry", ex);
        }
        final InputCoercionException outOfRange = causeOf(ex, InputCoercionException.class);
        if (outOfRange != null)
        {
            return new ConfigException(
                file, path, "expected " + expected(outOfRange.getTargetType()) + ", got " + got(parser) + " (out of range)", ex);
        }
        if (mapping instanceof MismatchedInputException mismatch)
        {
            final JsonToken token = parser.currentToken();
            // omitted (the parser is at the end of the mapping), null, or an empty scalar ("key:" or "-")
            if (token == JsonToken.VALUE_NULL || token == JsonToken.END_OBJECT ||
                (token == JsonToken.VALUE_STRING && text(parser).isEmpty()))
            {
                return new ConfigException(file, path, path.endsWith("]") ? "empty list entry" : "missing required value", ex);
            }
            final Class<?> targetType = mismatch.getTargetType();
            return new ConfigException(file, path, "expected " + expected(targetType) + ", got " + got(parser) +
                quoteHint(targetType, token, parser), ex);
        }
        return new ConfigException(file, path, firstLine(mapping.getOriginalMessage()), ex);
    }

    static ConfigException notUtf8(final String file, final CharConversionException ex)
    {
        return new ConfigException(file, "", "not UTF-8 text: " + firstLine(ex.getMessage()), ex);
    }

    static String location(final JsonLocation location)
    {
        return location == null ? "" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    static String path(final List<JsonMappingException.Reference> references)
    {
        final StringBuilder path = new StringBuilder();
        for (final JsonMappingException.Reference reference : references)
        {
            if (reference.getFieldName() != null)
            {
                appendKey(path, reference.getFieldName());
            }
            else if (reference.getIndex() >= 0)
            {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    static String path(final JsonStreamContext context)
    {
        final Deque<JsonStreamContext> chain = new ArrayDeque<>();
        for (JsonStreamContext level = context; level != null && !level.inRoot(); level = level.getParent())
        {
            chain.push(level);
        }
        final StringBuilder path = new StringBuilder();
        for (final JsonStreamContext level : chain)
        {
            if (level.inArray())
            {
                path.append('[').append(level.getCurrentIndex()).append(']');
            }
            else if (level.getCurrentName() != null)
            {
                appendKey(path, level.getCurrentName());
            }
        }
        return path.toString();
    }

    private static void appendKey(final StringBuilder path, final String key)
    {
        if (path.length() > 0)
        {
            path.append('.');
        }
        path.append(key);
    }

    private static String syntaxProblem(final MarkedYAMLException syntax)
    {
        final String problem = syntax.getProblem() != null ? syntax.getProblem() : firstLine(syntax.getMessage());
        return syntax.getContext() != null ? problem + " (" + syntax.getContext() + ")" : problem;
    }

    private static boolean isDuplicateKey(final JsonProcessingException ex)
    {
        // STRICT_DUPLICATE_DETECTION reports with a plain JsonParseException; its text is all that tells it apart
        for (Throwable cause = ex; cause != null; cause = cause.getCause())
        {
            if (cause instanceof JsonProcessingException processing &&
                String.valueOf(processing.getOriginalMessage()).startsWith("Duplicate field '"))
            {
                return true;
            }
        }
        return false;
    }

    private static List<String> knownKeys(final UnrecognizedPropertyException unknown)
    {
        final List<String> keys = new ArrayList<>();
        final Class<?> type = unknown.getReferringClass();
        if (type != null && type.isRecord())
        {
            // declaration order reads better than Jackson's
            for (final RecordComponent component : type.getRecordComponents())
            {
                keys.add(component.getName());
            }
        }
        else if (unknown.getKnownPropertyIds() != null)
        {
            for (final Object key : unknown.getKnownPropertyIds())
            {
                keys.add(String.valueOf(key));
            }
            keys.sort(null);
        }
        return keys;
    }

    private static String expected(final Class<?> type)
    {
        if (type == null)
        {
            return "a value";
        }
        if (type.isEnum())
        {
            return "one of " + String.join(", ", YamlNames.all(type));
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class ||
            type == short.class || type == Short.class || type == byte.class || type == Byte.class)
        {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class)
        {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class)
        {
            return "true or false";
        }
        if (type == String.class)
        {
            return "text";
        }
        if (Collection.class.isAssignableFrom(type))
        {
            return "a list";
        }
        return "a mapping";
    }

    private static String got(final JsonParser parser)
    {
        final JsonToken token = parser.currentToken();
        if (token == null)
        {
            return "nothing";
        }
        return switch (token)
        {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> '"' + shorten(text(parser)) + '"';
            default -> shorten(text(parser));
        };
    }

    private static String quoteHint(final Class<?> targetType, final JsonToken token, final JsonParser parser)
    {
        if (targetType == String.class && token != null && token.isScalarValue())
        {
            return " (quote it: \"" + shorten(text(parser)) + "\")";
        }
        return "";
    }

    private static String text(final JsonParser parser)
    {
        try
        {
            return parser.getText();
        }
        catch (final IOException ex)
        {
            return "?";
        }
    }

    private static String shorten(final String text)
    {
        final String line = firstLine(text);
        return line.length() <= MAX_SHOWN_TEXT_LENGTH ? line : line.substring(0, MAX_SHOWN_TEXT_LENGTH) + "...";
    }

    private static String firstLine(final String text)
    {
        if (text == null)
        {
            return "";
        }
        final String stripped = text.strip();
        final int end = stripped.indexOf('\n');
        return end < 0 ? stripped : stripped.substring(0, end).strip();
    }

    private static <T extends Throwable> T causeOf(final Throwable ex, final Class<T> type)
    {
        for (Throwable cause = ex; cause != null; cause = cause.getCause())
        {
            if (type.isInstance(cause))
            {
                return type.cast(cause);
            }
        }
        return null;
    }
}
