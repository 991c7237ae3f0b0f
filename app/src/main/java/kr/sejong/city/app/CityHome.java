package kr.sejong.city.app;

import kr.sejong.city.config.ConfigException;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.config.LoadedConfig;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project lives ({@code bin/city} passes it as the system property city.home). */
final class CityHome
{
    private CityHome()
    {
    }

    static Path home()
    {
        final String home = System.getProperty("city.home");
        return home != null ? Path.of(home).toAbsolutePath().normalize() : Path.of("").toAbsolutePath();
    }

    /** The default city configuration file, when the checkout has one. */
    static Path defaultConfig()
    {
        final Path file = home().resolve("config").resolve("sejong-5-1.yaml");
        return Files.isRegularFile(file) ? file : null;
    }

    /**
     * The city configuration: {@code file} when given, else the checkout's default city, else the one built
     * into the jar. A bad one is bad input (exit code 2) with the loader's message naming file, path and problem.
     */
    static LoadedConfig loadCity(final Path file)
    {
        try
        {
            if (file != null)
            {
                return ConfigLoader.load(file);
            }
            final Path defaultFile = defaultConfig();
            return defaultFile != null ? ConfigLoader.load(defaultFile) : ConfigLoader.loadDefault();
        }
        catch (final ConfigException ex)
        {
            throw new BadInputException("configuration error: " + ex.getMessage(), ex);
        }
    }

    /** Default data directory: data/ under the project. */
    static Path defaultDataDir()
    {
        return home().resolve("data");
    }
}
