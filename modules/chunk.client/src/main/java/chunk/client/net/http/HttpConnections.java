package chunk.client.net.http;

import chunk.client.net.StallWatchdog;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP connections of one download, shared by its HTTP mirrors: Apache HttpClient 5's
 * classic (blocking) client, which suits one virtual thread per chunk and was the fastest
 * Java client measured in chunk's path (docs/BENCHMARKS.md, "HTTP mirrors"). Connections are
 * kept alive and reused, at most {@code perServer} to one host at once. Nothing the client
 * could do by itself that would change what a range means is on: no content compression (a
 * range of a compressed body is another range), no automatic retries or redirects (the mirror
 * and the piece map decide), no cookies, no authentication, no proxy from the system's settings.
 */
public final class HttpConnections implements AutoCloseable {

    private final CloseableHttpClient client;
    private final StallWatchdog watchdog;
    private final Duration connectTimeout;

    /**
     * @param trusted certificates trusted besides the system's ({@code --ca-cert})
     * @param perServer connections open at once to one host
     */
    public HttpConnections(Duration connectTimeout, StallWatchdog watchdog, List<X509Certificate> trusted, int perServer,
            String userAgent) {
        this.watchdog = watchdog;
        this.connectTimeout = connectTimeout;
        SSLContext tls = tls(trusted);
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(perServer)
                        .setMaxConnTotal(perServer * 32)
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls))
                        .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(Math.max(1, connectTimeout.toMillis()), TimeUnit.MILLISECONDS))
                                // Blocking reads wait as long as they must: the stall watchdog ends them.
                                .setSocketTimeout(Timeout.DISABLED)
                                .build())
                        .build())
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(userAgent)
                .build();
    }

    CloseableHttpClient client() {
        return client;
    }

    StallWatchdog watchdog() {
        return watchdog;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    /** The system's trust anchors, and {@code trusted} beside them: a certificate either accepts is trusted. */
    private static SSLContext tls(List<X509Certificate> trusted) {
        try {
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            TrustManager[] managers = system.getTrustManagers();
            if (!trusted.isEmpty()) {
                KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
                extra.load(null, null);
                for (int i = 0; i < trusted.size(); i++) {
                    extra.setCertificateEntry("ca-cert-" + i, trusted.get(i));
                }
                TrustManagerFactory given = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                given.init(extra);
                managers = new TrustManager[] {new EitherTrust(extended(system), extended(given))};
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, managers, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager extended(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JDK's trust manager factory made no X.509 trust manager");
    }

    /**
     * Trusts what the system trusts or {@code --ca-cert} names, as curl's {@code --cacert} adds
     * to what it trusts; a chain that neither accepts fails with the system's reason. Checking
     * the server's name stays with the TLS stack and the client.
     */
    private static final class EitherTrust extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager system;
        private final X509ExtendedTrustManager given;

        EitherTrust(X509ExtendedTrustManager system, X509ExtendedTrustManager given) {
            this.system = system;
            this.given = given;
        }

        /** One check of a trust manager. */
        @FunctionalInterface
        private interface Check {
            void by(X509ExtendedTrustManager manager) throws CertificateException;
        }

        private void either(Check check) throws CertificateException {
            try {
                check.by(system);
            } catch (CertificateException bySystem) {
                try {
                    check.by(given);
                } catch (CertificateException byGiven) {
                    bySystem.addSuppressed(byGiven);
                    throw bySystem;
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            either(m -> m.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            either(m -> m.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            either(m -> m.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("myclient checks servers only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("myclient checks servers only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("myclient checks servers only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = system.getAcceptedIssuers();
            X509Certificate[] b = given.getAcceptedIssuers();
            X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }

    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
    }
}
