package kr.sejong.city.config;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The gateway section of the city configuration: the default one, its keys, and each kind of mistake. */
class GatewayConfigTest
{
    private static final String SETTLEMENT = "    settlement: \"http://127.0.0.1:9300/settlements\"";
    private static String defaultText;

    @TempDir
    Path dir;

    @BeforeAll
    static void readDefault() throws Exception
    {
        defaultText = Files.readString(Path.of("sejong-5-1.yaml"));
    }

    @Test
    void theDefaultCityHasAGatewayWithHashedKeys()
    {
        final Gateway gateway = ConfigLoader.loadDefault().config().gateway();
        assertEquals(8080, gateway.port());
        assertTrue(gateway.clients().size() >= 5);
        for (final Gateway.Client client : gateway.clients())
        {
            final ApiKeyHash hash = ApiKeyHash.parse(client.keyHash());
            assertTrue(hash.iterations() >= ApiKeyHash.MIN_ITERATIONS, client.id());
        }
        assertEquals(5, gateway.notifications().endpoints().size());
    }

    @Test
    void aKeyMatchesItsHashOnlyAndTheHashDoesNotHoldIt()
    {
        final String key = ApiKeyHash.newKey("ops");
        final ApiKeyHash hash = ApiKeyHash.of(key, ApiKeyHash.MIN_ITERATIONS);
        final ApiKeyHash read = ApiKeyHash.parse(hash.encoded());
        assertTrue(read.matches(key));
        assertFalse(read.matches(key + "x"));
        assertFalse(hash.encoded().contains(key.substring(4)));
        assertTrue(key.startsWith("ops."));
    }

    @Test
    void theDeliveryStateDirIsOptional() throws Exception
    {
        assertEquals(null, ConfigLoader.loadDefault().config().gateway().notifications().stateDir(), "default: in the data directory");
        final Path file = dir.resolve("city.yaml");
        Files.writeString(file, defaultText.replace(SETTLEMENT, "    stateDir: /var/lib/city/deliveries\n" + SETTLEMENT));
        assertEquals("/var/lib/city/deliveries", ConfigLoader.load(file).config().gateway().notifications().stateDir());
    }

    static Stream<Arguments> mistakes()
    {
        return Stream.of(
            arguments("  port: 8080 ", "  port: 70000 ", "gateway.port", "must be in [0, 65535], was 70000"),
            arguments("  maxBodyBytes: 16384", "  maxBodyBytes: 0", "gateway.maxBodyBytes", "must be in [256, 16777216], was 0"),
            arguments("    - id: utility\n", "    - id: mobility-app\n", "gateway.clients[1].id",
                "duplicate client id \"mobility-app\" (first at gateway.clients[0])"),
            arguments("    - id: utility\n", "    - id: Utility\n", "gateway.clients[1].id",
                "must be lower-case letters, digits and '-' (at most 63), was \"Utility\""),
            arguments("keyHash: \"pbkdf2-sha256$100000$mp48", "keyHash: \"sha1$100000$mp48", "gateway.clients[1].keyHash",
                "must be pbkdf2-sha256$ITERATIONS$SALT$HASH (bin/city gateway-key makes one)"),
            arguments("keyHash: \"pbkdf2-sha256$100000$mp48", "keyHash: \"pbkdf2-sha256$1000$mp48", "gateway.clients[1].keyHash",
                "iterations must be >= 10000, was 1000"),
            arguments("grants: [ { center: energy, role: operate } ]", "grants: [ { center: energy, role: operate }, { center: energy, role: view } ]",
                "gateway.clients[1].grants[1].center", "a second grant for energy; give one role per center"),
            arguments("grants: [ { center: energy, role: operate } ]", "grants: [ ]", "gateway.clients[1].grants", "must not be empty"),
            arguments("rateLimit: { requestsPerSecond: 50,", "rateLimit: { requestsPerSecond: 0,", "gateway.rateLimit.requestsPerSecond",
                "must be > 0, was 0"),
            arguments("maxBackoffMs: 30000", "maxBackoffMs: 100", "gateway.notifications.retry.maxBackoffMs",
                "must be >= initialBackoffMs 250, was 100"),
            arguments("hospitalId: 2,", "hospitalId: 9,", "gateway.notifications.endpoints[4].hospitalId", "unknown hospital 9 (emergency.hospitals: [1, 2])"),
            arguments("agency: ems,     url", "agency: fire,    url", "gateway.notifications.endpoints[2]", "a second endpoint for agency FIRE"),
            arguments("\"http://127.0.0.1:9112/incidents\"", "\"ftp://127.0.0.1/x\"", "gateway.notifications.endpoints[0].url",
                "must be an http:// or https:// URL with a host, was \"ftp://127.0.0.1/x\""),
            arguments("name: police-112,", "name: Police 112,", "gateway.notifications.endpoints[0].name",
                "must be lower-case letters, digits and '-' (at most 63), was \"Police 112\""),
            arguments("name: ems-119,", "name: fire-119,", "gateway.notifications.endpoints[2].name",
                "duplicate endpoint name \"fire-119\" (first at gateway.notifications.endpoints[1])"),
            arguments(SETTLEMENT, "    stateDir: \" \"\n" + SETTLEMENT, "gateway.notifications.stateDir", "must not be blank"),
            arguments(SETTLEMENT, "    stateDir: \"a\\0b\"\n" + SETTLEMENT, "gateway.notifications.stateDir",
                "is not a path: Nul character not allowed: a\0b"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource
    void mistakes(final String from, final String to, final String path, final String problem) throws Exception
    {
        final int at = defaultText.indexOf(from);
        assertTrue(at >= 0, "not in the default file: " + from);
        assertEquals(at, defaultText.lastIndexOf(from), "more than once in the default file: " + from);
        final Path file = dir.resolve("city.yaml");
        Files.writeString(file, defaultText.substring(0, at) + to + defaultText.substring(at + from.length()));
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(path, ex.path(), ex.getMessage());
        assertEquals(problem, ex.problem());
    }
}
