package chunk.client.cli;

import chunk.client.text.IoFailures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The certificates of {@code --ca-cert}: a PEM file of one or more X.509 certificates, as curl's {@code --cacert} takes. */
final class CaCertificates {

    private CaCertificates() {}

    /** The file cannot be used: no such file, unreadable, or no certificate in it; the message says which. */
    static final class UnusableException extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        UnusableException(String message) {
            super(message);
        }
    }

    /** Every certificate in {@code file}, at least one. */
    static List<X509Certificate> read(Path file) throws UnusableException {
        Collection<? extends Certificate> read;
        try (InputStream in = Files.newInputStream(file)) {
            read = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new UnusableException("no such file");
        } catch (IOException e) {
            throw new UnusableException(IoFailures.explain(e));
        } catch (CertificateException e) {
            throw new UnusableException("not a PEM file of certificates (-----BEGIN CERTIFICATE-----)");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate certificate : read) {
            if (certificate instanceof X509Certificate x509) {
                certificates.add(x509);
            }
        }
        if (certificates.isEmpty()) {
            throw new UnusableException("no certificate in it (PEM, -----BEGIN CERTIFICATE-----, expected)");
        }
        return certificates;
    }
}
