package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.config.ApiKeyHash;
import org.agrona.concurrent.EpochNanoClock;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

import java.io.IOException;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.cert.X509Certificate;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/** What the field server tests share: a hand-set clock, a small crossing, a client with its own certificate. */
final class FieldServerTesting
{
    static final String USER = "city-node";
    static final String PASSWORD = "field-devices-test-password";
    /** The fewest iterations ApiKeyHash takes: the tests log in often. */
    static final ApiKeyHash PASSWORD_HASH = ApiKeyHash.of(PASSWORD, ApiKeyHash.MIN_ITERATIONS);
    /** 2026-03-02 08:00:00 UTC. */
    static final long T0_NS = 1_772_438_400_000_000_000L;

    private FieldServerTesting()
    {
    }

    /** A clock the test moves. */
    static final class ManualClock implements EpochNanoClock
    {
        private volatile long nowNs;

        ManualClock(final long nowNs)
        {
            this.nowNs = nowNs;
        }

        @Override
        public long nanoTime()
        {
            return nowNs;
        }

        void advanceMs(final long ms)
        {
            nowNs += ms * 1_000_000L;
        }
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A four-movement crossing: 0 and 1 north-south (approach 0 and 1), 2 and 3 east-west (approach 2 and 3); each
     * north-south movement conflicts with each east-west one. Program: NS green 30 s, NS yellow 3 s, EW green 30 s,
     * EW yellow 3 s; minimum green 10 s, maximum 60 s.
     */
    static ControllerTopology crossing()
    {
        final int n = 4;
        final byte[] conflicts = new byte[(n * n + 7) / 8];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if ((i < 2) != (j < 2))
                {
                    final int k = i * n + j;
                    conflicts[k >> 3] |= (byte)(1 << (k & 7));
                }
            }
        }
        return new ControllerTopology("crossing-3",
            new int[] {0, 1, 2, 3}, new int[] {120_000, 120_000, 90_000, 90_000}, new int[] {1389, 1389, 1389, 1389},
            new int[] {0, 1, 2, 3}, new int[] {5, 4, 7, 6}, "ssss", conflicts,
            new String[] {"GGrr", "yyrr", "rrGG", "rryy"},
            new long[] {30_000, 3_000, 30_000, 3_000}, new long[] {10_000, 3_000, 10_000, 3_000},
            new long[] {60_000, 3_000, 60_000, 3_000});
    }

    /** A client application's key and self-signed certificate. */
    record ClientIdentity(KeyPair keyPair, X509Certificate certificate, String applicationUri)
    {
        static ClientIdentity create(final String applicationUri)
        {
            try
            {
                final KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
                final X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName("field server test client")
                    .setOrganization("Sejong City Control")
                    .setApplicationUri(applicationUri)
                    .addDnsName("localhost")
                    .build();
                return new ClientIdentity(keyPair, certificate, applicationUri);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        /** Connects to the endpoint with this policy and SignAndEncrypt (None: mode None), trusting only {@code server}. */
        OpcUaClient connect(final String url, final SecurityPolicy policy, final IdentityProvider identity,
            final X509Certificate server) throws UaException
        {
            final MessageSecurityMode mode = policy == SecurityPolicy.None ? MessageSecurityMode.None : MessageSecurityMode.SignAndEncrypt;
            final OpcUaClient client = OpcUaClient.create(url,
                endpoints -> endpoints.stream()
                    .filter(e -> e.getSecurityPolicyUri().equals(policy.getUri()) && e.getSecurityMode() == mode)
                    .findFirst(),
                transport -> { },
                config -> config
                    .setApplicationName(LocalizedText.english("field server test client"))
                    .setApplicationUri(applicationUri)
                    .setKeyPair(keyPair)
                    .setCertificate(certificate)
                    .setCertificateChain(new X509Certificate[] {certificate})
                    .setCertificateValidator((chain, uri, hosts) ->
                    {
                        if (!chain.get(0).equals(server))
                        {
                            throw new UaException(org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_SecurityChecksFailed,
                                "not the field server's certificate");
                        }
                    })
                    .setIdentityProvider(identity)
                    .setRequestTimeout(uint(10_000)));
            return client.connect();
        }
    }

    static UsernameProvider user()
    {
        return new UsernameProvider(USER, PASSWORD);
    }

    static NodeId node(final int namespaceIndex, final String identifier)
    {
        return new NodeId(namespaceIndex, identifier);
    }
}
