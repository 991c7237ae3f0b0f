package kr.sejong.city.app;

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

    /** Default data directory: data/ under the project. */
    static Path defaultDataDir()
    {
        return home().resolve("data");
    }
}
