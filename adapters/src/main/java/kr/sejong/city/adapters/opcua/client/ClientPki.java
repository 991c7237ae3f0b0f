package kr.sejong.city.adapters.opcua.client;

import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Period;
import java.util.HexFormat;
import java.util.List;

/**
 * The adapter's PKI folder, laid out like Milo's and other OPC UA stacks': {@code own/} holds the adapter's
 * application certificate and key (created on first start, reused after), {@code trusted/certs/} the server
 * certificates an operator trusts (watched: a file moved in counts at the next attempt), {@code rejected/} the
 * server certificates that were refused, each as {@code <SHA-1 of the certificate>.der}, so the message of a
 * refused connection can name the exact file to move.
 */
public final class ClientPki implements Closeable
{
    static final String APPLICATION_URI = "urn:sejong-city:control:opcua-client";
    static final String APPLICATION_NAME = "Sejong City Control OPC UA client adapter";

    private final Path dir;
    private final Path rejectedDir;
    private final Path trustedCertsDir;
    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final FileBasedTrustListManager trustList;

    ClientPki(final Path dir)
    {
        this.dir = dir.toAbsolutePath();
        this.rejectedDir = this.dir.resolve("rejected");
        this.trustedCertsDir = this.dir.resolve("trusted").resolve("certs");
        try
        {
            Files.createDirectories(rejectedDir);
            final Path own = Files.createDirectories(this.dir.resolve("own"));
            final Path keyFile = own.resolve("client-key.der");
            final Path certificateFile = own.resolve("client-certificate.der");
            if (Files.exists(keyFile) && Files.exists(certificateFile))
            {
                certificate = (X509Certificate)CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificateFile)));
                final KeyFactory rsa = KeyFactory.getInstance("RSA");
                keyPair = new KeyPair(certificate.getPublicKey(), rsa.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile))));
            }
            else
            {
                final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                keyPair = generator.generateKeyPair();
                final SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName(APPLICATION_NAME)
                    .setOrganization("Sejong City Control")
                    .setApplicationUri(APPLICATION_URI)
                    .setValidityPeriod(Period.ofYears(5))
                    .addDnsName("localhost");
                final String host = hostName();
                if (host != null && !host.equals("localhost"))
                {
                    builder.addDnsName(host);
                }
                certificate = builder.build();
                Files.write(keyFile, keyPair.getPrivate().getEncoded());
                restrict(keyFile);
                Files.write(certificateFile, certificate.getEncoded());
            }
            trustList = FileBasedTrustListManager.createAndInitialize(this.dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot set up the OPC UA PKI folder " + this.dir + ": " + ex.getMessage(), ex);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot set up the OPC UA client certificate in " + this.dir + ": " + ex, ex);
        }
    }

    private static String hostName()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private static void restrict(final Path keyFile)
    {
        try
        {
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        }
        catch (final UnsupportedOperationException | IOException ex)
        {
            // not a POSIX file system: the folder's own permissions protect it
        }
    }

    Path dir()
    {
        return dir;
    }

    KeyPair keyPair()
    {
        return keyPair;
    }

    X509Certificate certificate()
    {
        return certificate;
    }

    /** A validator for one server's connections, remembering the file a refused certificate went to. */
    Validator validator()
    {
        return new Validator();
    }

    /**
     * The adapter's certificate in the PKI folder {@code pkiDir}, made now when it is not there yet (what the adapter
     * will present to the field servers).
     */
    public static X509Certificate certificate(final Path pkiDir)
    {
        try (ClientPki pki = new ClientPki(pkiDir))
        {
            return pki.certificate;
        }
    }

    /**
     * Trusts a field server's certificate, as an operator moving it into {@code trusted/certs} would; for our own
     * simulated field servers, made together with the adapter.
     */
    public static void trust(final Path pkiDir, final X509Certificate server)
    {
        final Path certs = pkiDir.toAbsolutePath().resolve("trusted").resolve("certs");
        try
        {
            Files.createDirectories(certs);
            Files.write(certs.resolve(fileName(server)), server.getEncoded());
        }
        catch (final IOException | java.security.cert.CertificateEncodingException ex)
        {
            throw new IllegalStateException("cannot trust " + server.getSubjectX500Principal() + " in " + certs + ": " + ex, ex);
        }
    }

    /** The file name a certificate gets in rejected/ and trusted/certs/. */
    static String fileName(final X509Certificate certificate)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded())) + ".der";
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close()
    {
        try
        {
            trustList.close();
        }
        catch (final IOException ex)
        {
            // closing the folder watcher: nothing to do about it
        }
    }

    /** Validates against trusted/ (Milo's checks); a refused certificate goes to rejected/ under a known name. */
    final class Validator implements CertificateValidator, CertificateQuarantine
    {
        private final DefaultClientCertificateValidator delegate = new DefaultClientCertificateValidator(trustList, this);
        private volatile Path lastRejected;
        private volatile X509Certificate lastRejectedCertificate;

        @Override
        public void validateCertificateChain(final List<X509Certificate> chain, final String applicationUri, final String[] validHostNames)
            throws UaException
        {
            delegate.validateCertificateChain(chain, applicationUri, validHostNames);
        }

        @Override
        public List<X509Certificate> getRejectedCertificates()
        {
            return List.of();
        }

        @Override
        public void addRejectedCertificate(final X509Certificate rejected)
        {
            final Path file = rejectedDir.resolve(fileName(rejected));
            try
            {
                Files.write(file, rejected.getEncoded());
                lastRejected = file;
                lastRejectedCertificate = rejected;
            }
            catch (final IOException | GeneralSecurityException ex)
            {
                lastRejected = null;
            }
        }

        @Override
        public void removeRejectedCertificate(final X509Certificate certificate)
        {
            try
            {
                Files.deleteIfExists(rejectedDir.resolve(fileName(certificate)));
            }
            catch (final IOException ex)
            {
                // it stays; an operator may remove it
            }
        }

        /** The file the last refused certificate was written to, or null; cleared by reading it. */
        Path takeRejected()
        {
            final Path file = lastRejected;
            lastRejected = null;
            return file;
        }

        /** What the operator must do to trust the certificate in {@code file}. */
        String untrustedMessage(final Path file)
        {
            final X509Certificate rejected = lastRejectedCertificate;
            return "its certificate " + (rejected == null ? "" : "(" + rejected.getSubjectX500Principal().getName() + ") ") +
                "is not trusted; if it is the server's, move " + file + " into " + trustedCertsDir + "/ (the adapter retries and " +
                "then connects)";
        }
    }
}
