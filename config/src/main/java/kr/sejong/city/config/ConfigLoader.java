package kr.sejong.city.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a city configuration from YAML, strictly, and validates it. Every problem is reported as
 * one {@link ConfigException} naming the file, the place in it and what is wrong; when a file has
 * several problems, the first one met in the order of {@link CityConfig}'s sections (the order of
 * the default file) is reported, so the same file always gives the same message.
 */
public final class ConfigLoader
{
    /** Classpath resource of the default city, the Sejong 5-1 Living Zone (this module's sejong-5-1.yaml). */
    public static final String DEFAULT_RESOURCE = "config/sejong-5-1.yaml";

    private static final ObjectMapper MAPPER = newMapper();

    private ConfigLoader()
    {
    }

    /**
     * Reads and validates a configuration file.
     *
     * @throws ConfigException if the file cannot be read or the configuration is not valid.
     */
    public static LoadedConfig load(final Path file)
    {
        final String name = file.toString();
        if (Files.isDirectory(file))
        {
            throw new ConfigException(name, "", "is a directory, not a file");
        }
        final byte[] yamlBytes;
        try
        {
            yamlBytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException(name, "", "file not found", ex);
        }
        catch (final AccessDeniedException ex)
        {
            throw new ConfigException(name, "", "cannot read: permission denied", ex);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(name, "", "cannot read: " + ex, ex);
        }
        return parse(file, yamlBytes);
    }

    /**
     * Reads and validates the default city, {@value #DEFAULT_RESOURCE}, from the classpath.
     */
    public static LoadedConfig loadDefault()
    {
        return loadResource(DEFAULT_RESOURCE);
    }

    /**
     * Reads and validates a configuration packaged as a classpath resource. The source of the
     * result, and the file named in errors, is the resource name.
     */
    public static LoadedConfig loadResource(final String resourceName)
    {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resourceName))
        {
            if (in == null)
            {
                throw new ConfigException(resourceName, "", "resource not found on the classpath");
            }
            return parse(Path.of(resourceName), in.readAllBytes());
        }
        catch (final IOException ex)
        {
            throw new ConfigException(resourceName, "", "cannot read: " + ex, ex);
        }
    }

    /**
     * Parses and validates configuration bytes that were read elsewhere, e.g. the copy a journal's
     * ConfigSnapshot holds.
     *
     * @param source    where the bytes came from; named in errors and kept in the result.
     * @param yamlBytes the YAML text, UTF-8.
     */
    public static LoadedConfig parse(final Path source, final byte[] yamlBytes)
    {
        final String name = source.toString();
        final byte[] bytes = yamlBytes.clone();
        final CityConfig config = read(name, bytes);
        ConfigValidator.validate(config, name);
        return new LoadedConfig(config, source, bytes, sha256Hex(bytes));
    }

    /**
     * Checks a configuration built in code the way a loaded one is checked.
     *
     * @param config     the configuration.
     * @param sourceName what to call it in errors.
     * @throws ConfigException at the first problem.
     */
    public static void validate(final CityConfig config, final String sourceName)
    {
        ConfigValidator.validate(config, sourceName);
    }

    /** SHA-256 of the bytes, lower-case hex. */
    public static String sha256Hex(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            // every Java platform must provide SHA-256
            throw new IllegalStateException(ex);
        }
    }

    private static CityConfig read(final String name, final byte[] yamlBytes)
    {
        try (JsonParser parser = MAPPER.createParser(yamlBytes))
        {
            try
            {
                if (parser.nextToken() == null)
                {
                    throw new ConfigException(name, "", "empty file: no configuration");
                }
                final CityConfig config = MAPPER.readValue(parser, CityConfig.class);
                if (config == null)
                {
                    throw new ConfigException(name, "", "empty file: the document is null");
                }
                if (parser.nextToken() != null)
                {
                    throw new ConfigException(
                        name,
                        BindingErrors.location(parser.currentTokenLocation()),
                        "a second YAML document; a file holds one configuration");
                }
                return config;
            }
            catch (final JsonProcessingException ex)
            {
                throw BindingErrors.translate(name, ex, parser);
            }
            catch (final CharConversionException ex)
            {
                throw BindingErrors.notUtf8(name, ex);
            }
        }
        catch (final IOException ex)
        {
            // the bytes are in memory: only closing the parser could get here
            throw new ConfigException(name, "", "cannot read YAML: " + ex.getMessage(), ex);
        }
    }

    private static ObjectMapper newMapper()
    {
        final YAMLFactory factory = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // only true and false are booleans: YAML 1.1 would also read no, on, y and N as booleans
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build();
        return YAMLMapper.builder(factory)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // with records, an omitted primitive reads as null: this makes primitives required
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // "5" is text, not a number, and 5 is a number, not text
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, textual -> textual
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            // an empty list entry ("- " alone) is an error, not a null element
            .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
            .build();
    }
}
