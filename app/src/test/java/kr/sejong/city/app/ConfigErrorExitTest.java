package kr.sejong.city.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of bad configuration stops {@code city run} before anything starts: exit code 2 and one
 * message naming the file, the path inside it and what is wrong.
 */
class ConfigErrorExitTest
{
    private static final Path DEFAULT_CONFIG = CityHome.home().resolve("config/sejong-5-1.yaml");

    @TempDir
    Path tmp;

    static Stream<Arguments> badConfigurations()
    {
        return Stream.of(
            Arguments.of("yaml syntax", "  residents: 20000", "  residents: 20000\n\tbad: tab", "line "),
            Arguments.of("unknown key", "  speedLimitKmh: 30", "  speedLimitKmh: 30\n  speedLimitMph: 19", "traffic.speedLimitMph"),
            Arguments.of("wrong type", "  residents: 20000", "  residents: many", "city.residents"),
            Arguments.of("out of range", "  minGreenMs: 5000", "  minGreenMs: -5000", "traffic.signalTiming.minGreenMs"),
            Arguments.of("dangling reference", "    - { id: 10110, intersection: 101,", "    - { id: 10110, intersection: 999,", "intersection"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigurations")
    void exitsWithCode2AndNamesThePath(final String kind, final String find, final String replace, final String expectedPath)
        throws IOException
    {
        final String text = Files.readString(DEFAULT_CONFIG, StandardCharsets.UTF_8);
        assertTrue(text.contains(find), kind + ": the default config is expected to contain '" + find + "'");
        final Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(find), java.util.regex.Matcher.quoteReplacement(replace)));
        final Path data = tmp.resolve("data");

        final Cli cli = Cli.run("run", "--config", file.toString(), "--data", data.toString(), "--duration", "1");

        assertEquals(2, cli.exitCode(), kind + ": " + cli.err());
        assertTrue(cli.err().contains(file.toString()), kind + ": names the file: " + cli.err());
        assertTrue(cli.err().contains(expectedPath), kind + ": names the path " + expectedPath + ": " + cli.err());
        assertEquals(1, cli.err().strip().lines().count(), kind + ": one message: " + cli.err());
        assertFalse(Files.exists(data.resolve("journal")), kind + ": nothing started half-way");
    }

    @org.junit.jupiter.api.Test
    void aMissingFileExitsWithCode2()
    {
        final Path missing = tmp.resolve("no-such.yaml");
        final Cli cli = Cli.run("run", "--config", missing.toString(), "--data", tmp.resolve("d").toString());
        assertEquals(2, cli.exitCode());
        assertTrue(cli.err().contains(missing.toString()) && cli.err().contains("not found"), cli.err());
    }
}
