package kr.sejong.city.config;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A validated configuration with the exact bytes it was read from, so that a run can journal them
 * (ConfigSnapshot) and a replay can rebuild the same configuration.
 *
 * @param config    the configuration.
 * @param source    the file read; for the built-in default, the resource name
 *                  {@value ConfigLoader#DEFAULT_RESOURCE}.
 * @param yamlBytes the bytes exactly as read.
 * @param sha256Hex SHA-256 of {@code yamlBytes}, lower-case hex.
 */
public record LoadedConfig(CityConfig config, Path source, byte[] yamlBytes, String sha256Hex)
{
    public LoadedConfig
    {
        yamlBytes = yamlBytes.clone();
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] yamlBytes()
    {
        return yamlBytes.clone();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof LoadedConfig that &&
            config.equals(that.config) &&
            source.equals(that.source) &&
            Arrays.equals(yamlBytes, that.yamlBytes) &&
            sha256Hex.equals(that.sha256Hex);
    }

    @Override
    public int hashCode()
    {
        return sha256Hex.hashCode();
    }

    @Override
    public String toString()
    {
        return "LoadedConfig[source=" + source + ", bytes=" + yamlBytes.length + ", sha256=" + sha256Hex + "]";
    }
}
