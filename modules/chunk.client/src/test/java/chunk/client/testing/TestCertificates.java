package chunk.client.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with the JDK's own keytool: a key store for a test HTTPS
 * server, and its certificate as PEM for {@code --ca-cert}.
 */
public final class TestCertificates {

    private TestCertificates() {}

    /** A PKCS#12 key store and its password. */
    public record KeyStoreFile(Path path, String password) {}

    /** A self-signed certificate for {@code names} (a SAN extension: {@code dns:localhost,ip:127.0.0.1}), its key store and its PEM. */
    public record Made(KeyStoreFile keyStore, Path pem) {}

    /** Makes a key pair and self-signed certificate valid for the subject alternative names {@code san}, in {@code folder}. */
    public static Made make(Path folder, String san) throws IOException, InterruptedException {
        Path store = folder.resolve("mirror.p12");
        Path pem = folder.resolve("mirror.pem");
        String password = "test-only";
        keytool("-genkeypair", "-alias", "mirror", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=chunk test mirror",
                "-ext", "SAN=" + san, "-validity", "2", "-keystore", store.toString(), "-storepass", password, "-storetype",
                "PKCS12");
        keytool("-exportcert", "-rfc", "-alias", "mirror", "-keystore", store.toString(), "-storepass", password, "-file",
                pem.toString());
        return new Made(new KeyStoreFile(store, password), pem);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }

    /** The certificates of a PEM file. */
    public static java.util.Collection<java.security.cert.X509Certificate> read(Path pem) throws Exception {
        try (var in = java.nio.file.Files.newInputStream(pem)) {
            @SuppressWarnings("unchecked") // an X.509 factory makes X.509 certificates
            var certificates = (java.util.Collection<java.security.cert.X509Certificate>)
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
            return certificates;
        }
    }
}
