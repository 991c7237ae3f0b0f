package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * The YAML spellings of enum constants ({@code stop-line} for {@code STOP_LINE}), for messages.
 */
final class YamlNames
{
    private YamlNames()
    {
    }

    static String of(final Enum<?> constant)
    {
        try
        {
            final JsonProperty property = constant.getDeclaringClass()
                .getField(constant.name())
                .getAnnotation(JsonProperty.class);
            return property == null ? constant.name() : property.value();
        }
        catch (final NoSuchFieldException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static List<String> all(final Class<?> enumType)
    {
        final List<String> names = new ArrayList<>();
        for (final Object constant : enumType.getEnumConstants())
        {
            names.add(of((Enum<?>)constant));
        }
        return names;
    }
}
