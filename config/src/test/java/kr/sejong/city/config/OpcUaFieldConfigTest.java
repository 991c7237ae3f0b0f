package kr.sejong.city.config;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The {@code field.opcua} section: its defaults, its keys, and each kind of mistake named by its path. */
class OpcUaFieldConfigTest
{
    /** A field section appended to the default city: two servers, the second with every optional key. */
    static final String FIELD = """
        field:
          opcua:
            reconnect: { initialBackoffMs: 200, maxBackoffMs: 5000 }
            servers:
              - name: ring-controllers
                endpoint: opc.tcp://10.20.0.11:4840/field
                user: city-adapter
                passwordEnv: RING_PASSWORD
                devices:
                  - { kind: intersection, ids: [101, 102] }
              - name: microgrid
                endpoint: opc.tcp://ems.local:4841
                securityPolicy: Aes256_Sha256_RsaPss
                securityMode: Sign
                user: city-adapter
                passwordFile: secrets/microgrid.password
                samplingMs: 250
                devices:
                  - { kind: ess, ids: [301, 302] }
                  - { kind: charger, ids: [425] }
                  - { kind: pv, ids: [201] }
                  - { kind: pcc, ids: [1] }
                  - { kind: analytics, ids: [7] }
        """;

    private static String defaultText;

    @TempDir
    Path dir;

    @BeforeAll
    static void readDefault() throws Exception
    {
        defaultText = Files.readString(Path.of("sejong-5-1.yaml"));
    }

    @Test
    void theDefaultCityHasNoFieldSection()
    {
        assertNull(ConfigLoader.loadDefault().config().field());
    }

    @Test
    void aFieldSectionReadsWithItsDefaults() throws Exception
    {
        final Path file = dir.resolve("city.yaml");
        Files.writeString(file, defaultText + "\n" + FIELD);
        final Field.OpcUa opcua = ConfigLoader.load(file).config().field().opcua();
        assertEquals("pki", opcua.pkiDir());
        assertFalse(opcua.allowInsecure());
        assertEquals(100, opcua.samplingMs());
        assertEquals(new Field.Reconnect(200, 5000), opcua.reconnect());
        assertEquals(10, opcua.ranges().powerMarginPercent());
        assertEquals(new Field.Range(45_000, 65_000), opcua.ranges().frequencyMilliHz());
        final Field.Server ring = opcua.servers().get(0);
        assertEquals(Field.SecurityPolicy.BASIC256SHA256, ring.securityPolicy());
        assertEquals(Field.SecurityMode.SIGN_AND_ENCRYPT, ring.securityMode());
        assertEquals("RING_PASSWORD", ring.passwordEnv());
        assertNull(ring.samplingMs());
        assertEquals(List.of(101, 102), ring.devices().get(0).ids());
        final Field.Server grid = opcua.servers().get(1);
        assertEquals(Field.SecurityPolicy.AES256_SHA256_RSAPSS, grid.securityPolicy());
        assertEquals(Field.SecurityMode.SIGN, grid.securityMode());
        assertEquals(250, grid.samplingMs());
        assertEquals(Field.DeviceKind.PCC, grid.devices().get(3).kind());
    }

    @Test
    void endpointsAreOpcTcpWithHostAndPort()
    {
        assertNull(Field.endpointProblem("opc.tcp://localhost:4840"));
        assertNull(Field.endpointProblem("opc.tcp://10.0.0.1:48010/UA/Field"));
        assertTrue(Field.endpointProblem("http://localhost:4840").contains("the scheme is \"http\""));
        assertTrue(Field.endpointProblem("opc.tcp://localhost").contains("no port"));
        assertTrue(Field.endpointProblem("opc.tcp://localhost:99999").contains("port 99999 out of range"));
        assertTrue(Field.endpointProblem("opc.tcp://under_score:4840").contains("no valid host name"));
        assertTrue(Field.endpointProblem("opc.tcp://local host:4840").startsWith("malformed endpoint \"opc.tcp://local host:4840\" (Illegal character"));
        assertTrue(Field.endpointProblem("localhost:4840").contains("must be opc.tcp://host:port[/path]"));
    }

    static Stream<Arguments> mistakes()
    {
        return Stream.of(
            arguments("endpoint: opc.tcp://ems.local:4841", "endpoint: opc.tcp://ems.local", "field.opcua.servers[1].endpoint",
                "server \"microgrid\": malformed endpoint \"opc.tcp://ems.local\": no port; must be opc.tcp://host:port[/path]"),
            arguments("endpoint: opc.tcp://ems.local:4841", "endpoint: tcp://ems.local:4841", "field.opcua.servers[1].endpoint",
                "server \"microgrid\": malformed endpoint \"tcp://ems.local:4841\": the scheme is \"tcp\"; must be opc.tcp://host:port[/path]"),
            arguments("- name: microgrid", "- name: ring-controllers", "field.opcua.servers[1].name",
                "duplicate server name \"ring-controllers\" (first at field.opcua.servers[0])"),
            arguments("securityPolicy: Aes256_Sha256_RsaPss", "securityPolicy: None", "field.opcua.servers[1].securityPolicy",
                "server \"microgrid\": None is only allowed with field.opcua.allowInsecure (development); use Basic256Sha256 or Aes256_Sha256_RsaPss"),
            arguments("securityMode: Sign\n", "securityMode: None\n", "field.opcua.servers[1].securityMode",
                "server \"microgrid\": None is only allowed with field.opcua.allowInsecure (development); use SignAndEncrypt or Sign"),
            arguments("passwordEnv: RING_PASSWORD", "password: secret", "field.opcua.servers[0].password",
                "server \"ring-controllers\": never put a password in the configuration; name its source with passwordEnv (an environment variable) or passwordFile"),
            arguments("passwordEnv: RING_PASSWORD", "passwordEnv: RING_PASSWORD\n        passwordFile: x", "field.opcua.servers[0]",
                "server \"ring-controllers\": give exactly one of passwordEnv (an environment variable name) and passwordFile"),
            arguments("passwordEnv: RING_PASSWORD", "passwordEnv: ring-password", "field.opcua.servers[0].passwordEnv",
                "server \"ring-controllers\": must be an environment variable name, was \"ring-password\""),
            arguments("        user: city-adapter\n        passwordEnv", "        passwordEnv", "field.opcua.servers[0].user",
                "server \"ring-controllers\": missing; anonymous sessions are only allowed with field.opcua.allowInsecure (development)"),
            arguments("ids: [101, 102]", "ids: [101, 999]", "field.opcua.servers[0].devices[0].ids[1]",
                "server \"ring-controllers\": unknown intersection 999 (traffic.intersections: [101, 102, 103, 104, 105, 106, 107, 108, 201, 202, 203, 204])"),
            arguments("kind: ess, ids: [301, 302]", "kind: ess, ids: [301, 303]", "field.opcua.servers[1].devices[0].ids[1]",
                "server \"microgrid\": unknown ess 303 (energy.ess: [301, 302])"),
            arguments("kind: pcc, ids: [1]", "kind: pcc, ids: [2]", "field.opcua.servers[1].devices[3].ids[0]",
                "server \"microgrid\": unknown pcc 2 (energy.pcc: [1])"),
            arguments("kind: charger, ids: [425]", "kind: intersection, ids: [102]", "field.opcua.servers[1].devices[1].ids[0]",
                "server \"microgrid\": intersection 102 is already served at field.opcua.servers[0].devices[0].ids[1]"),
            arguments("reconnect: { initialBackoffMs: 200, maxBackoffMs: 5000 }", "reconnect: { initialBackoffMs: 200, maxBackoffMs: 100 }",
                "field.opcua.reconnect.maxBackoffMs", "must be in [initialBackoffMs 200, 3600000], was 100"),
            arguments("samplingMs: 250", "samplingMs: 0", "field.opcua.servers[1].samplingMs", "must be in [10, 60000], was 0"),
            arguments("reconnect:", "ranges: { frequencyMilliHz: { min: 65000, max: 45000 } }\n    reconnect:",
                "field.opcua.ranges.frequencyMilliHz.max", "must be > min 65000, was 45000"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource
    void mistakes(final String from, final String to, final String path, final String problem) throws Exception
    {
        final int at = FIELD.indexOf(from);
        assertTrue(at >= 0, "not in the field section: " + from);
        assertEquals(at, FIELD.lastIndexOf(from), "more than once in the field section: " + from);
        final Path file = dir.resolve("city.yaml");
        Files.writeString(file, defaultText + "\n" + FIELD.substring(0, at) + to + FIELD.substring(at + from.length()));
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(path, ex.path(), ex.getMessage());
        assertEquals(problem, ex.problem());
    }

    @Test
    void insecureSettingsAreAcceptedOnlyWithAllowInsecure() throws Exception
    {
        final String insecure = FIELD
            .replace("    reconnect:", "    allowInsecure: true\n    reconnect:")
            .replace("securityPolicy: Aes256_Sha256_RsaPss", "securityPolicy: None")
            .replace("securityMode: Sign\n", "securityMode: None\n")
            .replace("        user: city-adapter\n        passwordFile: secrets/microgrid.password\n", "");
        final Path file = dir.resolve("city.yaml");
        Files.writeString(file, defaultText + "\n" + insecure);
        final Field.OpcUa opcua = ConfigLoader.load(file).config().field().opcua();
        assertTrue(opcua.allowInsecure());
        assertNull(opcua.servers().get(1).user());
    }
}
