package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.adapters.opcua.FieldNodes;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The field server's security: what endpoints it offers, who it lets in, what it does with a certificate it does
 * not know, and that its own certificate survives a restart. One secure server for the class; the insecure and the
 * restarted ones are the exceptions that need their own.
 */
class FieldServerSecurityTest
{
    @TempDir
    static Path pki;

    private static FieldServer server;

    @BeforeAll
    static void start()
    {
        server = FieldServer.start(context(pki, FieldServerTesting.freePort()));
    }

    @AfterAll
    static void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    private static FieldServer.Context context(final Path directory, final int port)
    {
        return new FieldServer.Context()
            .bindAddress("127.0.0.1")
            .hostname("localhost")
            .port(port)
            .pkiDirectory(directory)
            .user(FieldServerTesting.USER, FieldServerTesting.PASSWORD_HASH.encoded())
            .tickIntervalMs(0)
            .device(FieldDevice.ess(5, 100_000, 100_000, 100, 900));
    }

    private static Set<String> offered(final FieldServer fieldServer) throws Exception
    {
        final List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(fieldServer.endpointUrl()).get(10, TimeUnit.SECONDS);
        final Set<String> offered = new java.util.HashSet<>();
        for (final EndpointDescription endpoint : endpoints)
        {
            offered.add(SecurityPolicy.fromUri(endpoint.getSecurityPolicyUri()).name() + "/" + endpoint.getSecurityMode());
        }
        return offered;
    }

    private static FieldServerTesting.ClientIdentity trustedClient(final String name)
    {
        final FieldServerTesting.ClientIdentity identity = FieldServerTesting.ClientIdentity.create("urn:sejong-city:test:" + name);
        server.trust(identity.certificate());
        return identity;
    }

    private static long statusOf(final Throwable failure)
    {
        Throwable cause = failure;
        while (cause != null)
        {
            if (cause instanceof UaException ua)
            {
                return ua.getStatusCode().getValue();
            }
            cause = cause.getCause();
        }
        return -1;
    }

    @Test
    void byDefaultOnlySignAndEncryptEndpointsAreOffered() throws Exception
    {
        assertEquals(Set.of("Basic256Sha256/SignAndEncrypt", "Aes256_Sha256_RsaPss/SignAndEncrypt"), offered(server));
    }

    @Test
    void aUserWithTheRightPasswordGetsInOverBothPolicies() throws Exception
    {
        final FieldServerTesting.ClientIdentity identity = trustedClient("right-password");
        for (final SecurityPolicy policy : List.of(SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes256_Sha256_RsaPss))
        {
            final OpcUaClient client = identity.connect(server.endpointUrl(), policy, FieldServerTesting.user(), server.certificate());
            try
            {
                assertTrue(client.readNamespaceTable().getIndex(FieldNodes.NAMESPACE_URI) != null, policy.name());
            }
            finally
            {
                client.disconnect();
            }
        }
    }

    @Test
    void anonymousIsRefused()
    {
        final FieldServerTesting.ClientIdentity identity = trustedClient("anonymous");
        final Exception refused = assertThrows(Exception.class, () -> identity.connect(server.endpointUrl(),
            SecurityPolicy.Basic256Sha256, new AnonymousProvider(), server.certificate()).disconnect());
        assertNotEquals(-1, statusOf(refused), refused.toString());
        assertTrue(new org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode(statusOf(refused)).isBad(), refused.toString());
    }

    @Test
    void aWrongPasswordIsRefused()
    {
        final FieldServerTesting.ClientIdentity identity = trustedClient("wrong-password");
        final Exception refused = assertThrows(Exception.class, () -> identity.connect(server.endpointUrl(),
            SecurityPolicy.Basic256Sha256, new UsernameProvider(FieldServerTesting.USER, "not-the-password"), server.certificate())
            .disconnect());
        assertEquals(StatusCodes.Bad_UserAccessDenied, statusOf(refused), refused.toString());
    }

    @Test
    void anUntrustedClientCertificateIsRefusedAndTheLogSaysWhichFileToMove() throws Exception
    {
        final FieldServerTesting.ClientIdentity stranger = FieldServerTesting.ClientIdentity.create("urn:sejong-city:test:stranger");
        final Exception refused = assertThrows(Exception.class, () -> stranger.connect(server.endpointUrl(),
            SecurityPolicy.Basic256Sha256, FieldServerTesting.user(), server.certificate()).disconnect());
        assertEquals(StatusCodes.Bad_SecurityChecksFailed, statusOf(refused), refused.toString());

        final Path rejected = server.pki().rejectedFile(stranger.certificate());
        assertEquals(server.pki().rejectedDirectory().resolve(FieldPki.thumbprint(stranger.certificate()) + ".der"), rejected);
        assertTrue(Files.exists(rejected), "kept in rejected/: " + server.pki().rejectedFiles());
        final String message = server.pki().lastRefusal();
        assertTrue(message.contains(rejected.toString()), message);
        assertTrue(message.contains(server.pki().trustedCertsDirectory().toString()), message);

        // the operator moves the file: the same client gets in
        assertTrue(server.pki().trustRejected(rejected.getFileName().toString()));
        assertFalse(Files.exists(rejected));
        final OpcUaClient client = stranger.connect(server.endpointUrl(), SecurityPolicy.Basic256Sha256, FieldServerTesting.user(),
            server.certificate());
        client.disconnect();
    }

    @Test
    void allowInsecureAddsTheNoneEndpointAndAnonymousSessions(@TempDir final Path insecurePki) throws Exception
    {
        try (FieldServer insecure = FieldServer.start(context(insecurePki, FieldServerTesting.freePort()).allowInsecure(true)))
        {
            assertEquals(Set.of("Basic256Sha256/SignAndEncrypt", "Aes256_Sha256_RsaPss/SignAndEncrypt", "None/None"), offered(insecure));
            final FieldServerTesting.ClientIdentity identity = FieldServerTesting.ClientIdentity.create("urn:sejong-city:test:dev");
            final OpcUaClient client = identity.connect(insecure.endpointUrl(), SecurityPolicy.None, new AnonymousProvider(),
                insecure.certificate());
            try
            {
                assertTrue(client.readNamespaceTable().getIndex(FieldNodes.NAMESPACE_URI) != null);
            }
            finally
            {
                client.disconnect();
            }
        }
    }

    @Test
    void theCertificateIsMadeOnceAndReusedAfterARestart(@TempDir final Path ownPki) throws Exception
    {
        final int port = FieldServerTesting.freePort();
        final String first;
        try (FieldServer once = FieldServer.start(context(ownPki, port).applicationUri("urn:sejong-city:test:field-server")))
        {
            first = FieldPki.thumbprint(once.certificate());
            assertTrue(org.eclipse.milo.opcua.stack.core.util.CertificateUtil.getSanUri(once.certificate())
                .orElseThrow().equals("urn:sejong-city:test:field-server"));
        }
        assertTrue(Files.exists(ownPki.resolve("own").resolve("application.pfx")));
        for (final String folder : List.of("trusted/certs", "trusted/crl", "issuers/certs", "issuers/crl", "rejected"))
        {
            assertTrue(Files.isDirectory(ownPki.resolve(folder)), folder);
        }
        try (FieldServer again = FieldServer.start(context(ownPki, port).applicationUri("urn:sejong-city:test:field-server")))
        {
            assertEquals(first, FieldPki.thumbprint(again.certificate()));
        }
        catch (final IllegalStateException ex)
        {
            fail("the restart failed: " + ex);
        }
    }

    @Test
    void aContextWithoutUsersOrPkiIsRefused()
    {
        final IllegalStateException noUsers = assertThrows(IllegalStateException.class,
            () -> new FieldServer.Context().pkiDirectory(pki).conclude());
        assertTrue(noUsers.getMessage().startsWith("users"), noUsers.getMessage());
        final IllegalStateException noPki = assertThrows(IllegalStateException.class,
            () -> new FieldServer.Context().user("u", FieldServerTesting.PASSWORD_HASH).conclude());
        assertTrue(noPki.getMessage().startsWith("pkiDirectory"), noPki.getMessage());
        final IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
            () -> new FieldServer.Context().user("u", "plain-password"));
        assertTrue(plain.getMessage().contains("pbkdf2-sha256"), plain.getMessage());
    }
}
