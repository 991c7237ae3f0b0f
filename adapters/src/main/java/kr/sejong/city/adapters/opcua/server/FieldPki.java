package kr.sejong.city.adapters.opcua.server;

import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.KeyStoreCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A field server's PKI folder, laid out as Milo's file-based trust list keeps it:
 * <pre>
 *   own/application.pfx   the server's key and self-signed application instance certificate (PKCS#12),
 *                         made on the first start with the application URI, reused on every later one
 *   trusted/certs/        peer certificates (DER) the server trusts; trusted/crl/ their revocation lists
 *   issuers/certs/        CA certificates that may issue peers' certificates (not trusted themselves);
 *                         issuers/crl/
 *   rejected/             certificates of peers that were refused, {@code <SHA-1 thumbprint>.der}
 * </pre>
 * A peer whose certificate is not trusted is refused with Bad_SecurityChecksFailed; the refusal is logged with
 * the file in rejected/ and the folder to move it to. Files moved into trusted/certs are picked up while the
 * server runs (Milo watches the folder); {@link #trust} does the same from code.
 */
public final class FieldPki implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(FieldPki.class);
    /** The keystore guards nothing the file system does not: the folder's permissions protect the key. */
    private static final char[] KEYSTORE_PASSWORD = "sejong-field-server".toCharArray();

    private final Path directory;
    private final Path trustedCerts;
    private final Path rejected;
    private final FileBasedTrustListManager trustList;
    private final KeyStoreCertificateStore store;
    private final DefaultCertificateManager certificateManager;
    private final X509Certificate certificate;
    private final KeyPair keyPair;
    private volatile String lastRefusal;

    /**
     * Opens (or makes) the PKI folder.
     *
     * @param directory      the folder.
     * @param applicationUri the server's application URI (in the certificate's subject alternative names).
     * @param commonName     the certificate's CN.
     * @param hostnames      DNS names and IP addresses the certificate names.
     */
    public FieldPki(final Path directory, final String applicationUri, final String commonName, final Set<String> hostnames)
    {
        this.directory = directory.toAbsolutePath();
        this.trustedCerts = this.directory.resolve("trusted").resolve("certs");
        this.rejected = this.directory.resolve("rejected");
        try
        {
            final Path issuerCerts = this.directory.resolve("issuers").resolve("certs");
            final Path issuerCrl = this.directory.resolve("issuers").resolve("crl");
            final Path trustedCrl = this.directory.resolve("trusted").resolve("crl");
            for (final Path folder : List.of(trustedCerts, trustedCrl, issuerCerts, issuerCrl, rejected, this.directory.resolve("own")))
            {
                Files.createDirectories(folder);
            }
            trustList = new FileBasedTrustListManager(issuerCerts, issuerCrl, trustedCerts, trustedCrl);
            trustList.initialize();
            final CertificateQuarantine quarantine = new RejectedFolder();
            final CertificateValidator validator =
                new LoggingValidator(new DefaultServerCertificateValidator(trustList, quarantine));
            store = new KeyStoreCertificateStore(new KeyStoreCertificateStore.Settings(
                this.directory.resolve("own").resolve("application.pfx"), () -> KEYSTORE_PASSWORD, alias -> KEYSTORE_PASSWORD));
            store.initialize();
            final RsaSha256CertificateFactory factory = new RsaSha256CertificateFactory()
            {
                @Override
                protected X509Certificate[] createRsaSha256CertificateChain(final KeyPair pair) throws Exception
                {
                    LOG.info("making the application instance certificate of {} in {}", applicationUri, directory);
                    final SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(pair)
                        .setCommonName(commonName)
                        .setOrganization("Sejong City Control")
                        .setOrganizationalUnit("field devices")
                        .setCountryCode("KR")
                        .setApplicationUri(applicationUri)
                        .setValidityPeriod(Period.ofYears(5));
                    for (final String host : hostnames)
                    {
                        if (host.matches("[0-9.]+") || host.contains(":"))
                        {
                            builder.addIpAddress(host);
                        }
                        else
                        {
                            builder.addDnsName(host);
                        }
                    }
                    return new X509Certificate[] {builder.build()};
                }
            };
            final DefaultApplicationGroup group = DefaultApplicationGroup.createAndInitialize(trustList, store, factory, validator);
            certificateManager = new DefaultCertificateManager(quarantine, group);
            final NodeId type = NodeIds.RsaSha256ApplicationCertificateType;
            certificate = group.getCertificateChain(type).orElseThrow()[0];
            keyPair = group.getKeyPair(type).orElseThrow();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("PKI folder " + directory + ": " + ex.getMessage(), ex);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("PKI folder " + directory + ": " + ex.getMessage(), ex);
        }
    }

    /** Trusts a peer's certificate from now on: written into trusted/certs, removed from rejected/. */
    public void trust(final X509Certificate peer)
    {
        trustList.addTrustedCertificate(peer);
        try
        {
            Files.deleteIfExists(rejectedFile(peer));
        }
        catch (final IOException ex)
        {
            LOG.warn("could not remove {} from {}", fileName(peer), rejected, ex);
        }
        LOG.info("trusting {} ({})", peer.getSubjectX500Principal().getName(), fileName(peer));
    }

    /** Trusts the certificate in a DER or PEM file (a peer's own certificate file, or one from rejected/). */
    public void trust(final Path certificateFile)
    {
        trust(read(certificateFile));
    }

    /**
     * Moves a refused certificate from rejected/ to trusted/certs, as an operator would.
     *
     * @return whether the file was there.
     */
    public boolean trustRejected(final String fileName)
    {
        final Path file = rejected.resolve(fileName);
        if (!Files.exists(file))
        {
            return false;
        }
        try
        {
            Files.move(file, trustedCerts.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        trustList.addTrustedCertificate(read(trustedCerts.resolve(fileName)));
        return true;
    }

    /** The certificates refused so far (the files in rejected/). */
    public List<Path> rejectedFiles()
    {
        try (var files = Files.list(rejected))
        {
            return new ArrayList<>(files.sorted().toList());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The file a refused certificate is kept in: {@code rejected/<SHA-1 thumbprint in hex>.der}. */
    public Path rejectedFile(final X509Certificate peer)
    {
        return rejected.resolve(fileName(peer));
    }

    /** {@code <SHA-1 thumbprint in hex>.der}: the OPC UA thumbprint of the certificate. */
    public static String fileName(final X509Certificate certificate)
    {
        return thumbprint(certificate) + ".der";
    }

    /** The OPC UA thumbprint (SHA-1 of the DER encoding), lower-case hex. */
    public static String thumbprint(final X509Certificate certificate)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        }
        catch (final NoSuchAlgorithmException | CertificateException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** A certificate from a DER or PEM file. */
    public static X509Certificate read(final Path file)
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("certificate " + file + ": " + ex.getMessage(), ex);
        }
        catch (final CertificateException ex)
        {
            throw new IllegalArgumentException("certificate " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** What the log said about the last peer refused for its certificate (which file to move where), or null. */
    public String lastRefusal()
    {
        return lastRefusal;
    }

    /** The server's application instance certificate. */
    public X509Certificate certificate()
    {
        return certificate;
    }

    public KeyPair keyPair()
    {
        return keyPair;
    }

    public DefaultCertificateManager certificateManager()
    {
        return certificateManager;
    }

    public Path directory()
    {
        return directory;
    }

    public Path trustedCertsDirectory()
    {
        return trustedCerts;
    }

    public Path rejectedDirectory()
    {
        return rejected;
    }

    @Override
    public void close()
    {
        try
        {
            trustList.close();
            store.close();
        }
        catch (final IOException ex)
        {
            LOG.warn("closing the PKI folder {}", directory, ex);
        }
    }

    /** rejected/: one DER file per refused certificate, named by its thumbprint. */
    private final class RejectedFolder implements CertificateQuarantine
    {
        @Override
        public List<X509Certificate> getRejectedCertificates()
        {
            final List<X509Certificate> certificates = new ArrayList<>();
            for (final Path file : rejectedFiles())
            {
                try
                {
                    certificates.add(read(file));
                }
                catch (final RuntimeException ex)
                {
                    LOG.warn("unreadable file in {}: {}", rejected, file.getFileName());
                }
            }
            return certificates;
        }

        @Override
        public void addRejectedCertificate(final X509Certificate peer)
        {
            try
            {
                Files.write(rejectedFile(peer), peer.getEncoded());
            }
            catch (final IOException | CertificateException ex)
            {
                LOG.warn("could not keep the refused certificate in {}", rejected, ex);
            }
        }

        @Override
        public void removeRejectedCertificate(final X509Certificate peer)
        {
            try
            {
                Files.deleteIfExists(rejectedFile(peer));
            }
            catch (final IOException ex)
            {
                LOG.warn("could not remove {}", rejectedFile(peer), ex);
            }
        }
    }

    /** Says in the log which file to move where when a peer is refused for want of trust. */
    private final class LoggingValidator implements CertificateValidator
    {
        private final CertificateValidator delegate;

        LoggingValidator(final CertificateValidator delegate)
        {
            this.delegate = delegate;
        }

        @Override
        public void validateCertificateChain(final List<X509Certificate> chain, final String applicationUri,
            final String... validHostnames) throws UaException
        {
            try
            {
                delegate.validateCertificateChain(chain, applicationUri, validHostnames);
            }
            catch (final UaException ex)
            {
                if (chain.isEmpty())
                {
                    throw ex;
                }
                final X509Certificate peer = chain.get(0);
                final String message = "refused the client certificate of " + peer.getSubjectX500Principal().getName() +
                    (applicationUri == null ? "" : " (" + applicationUri + ")") + ": " +
                    StatusCodes.lookup(ex.getStatusCode().getValue()).map(names -> names[0]).orElse(ex.getStatusCode().toString()) +
                    ". To trust it, move " + rejectedFile(peer) + " to " + trustedCerts + "/";
                lastRefusal = message;
                LOG.warn(message);
                throw new UaException(ex.getStatusCode(), message);
            }
        }
    }
}
