package chunk.client;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.TestServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download from nginx, the server most mirrors run, started by the test on loopback. It needs
 * nginx installed ({@code apt-get install nginx-light}) and is skipped, saying so, where it is not.
 */
@Timeout(60)
class NginxMirrorTests {

    @TempDir
    Path served;
    @TempDir
    Path saved;
    @TempDir
    Path nginxDir;

    private Process nginx;

    @AfterEach
    void stopNginx() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path nginxBinary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    private int startNginx() throws Exception {
        Path binary = nginxBinary();
        Assumptions.assumeTrue(binary != null, "nginx is not installed (apt-get install nginx-light): this test needs it");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(nginxDir.resolve("temp"));
        Files.writeString(nginxDir.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 256; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/temp;
                    proxy_temp_path %1$s/temp;
                    fastcgi_temp_path %1$s/temp;
                    uwsgi_temp_path %1$s/temp;
                    scgi_temp_path %1$s/temp;
                    server { listen 127.0.0.1:%2$d; root %3$s; }
                }
                """.formatted(nginxDir, port, served));
        nginx = new ProcessBuilder(binary.toString(), "-p", nginxDir.toString(), "-c", nginxDir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(nginxDir.resolve("out.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return port;
            } catch (IOException notYet) {
                if (!nginx.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("nginx did not start listening on 127.0.0.1:" + port + ": "
                            + Files.readString(nginxDir.resolve("out.log")) + Files.readString(nginxDir.resolve("error.log")));
                }
                Thread.sleep(20);
            }
        }
    }

    @Test
    void aFileFromAnNginxFolderInRangesIsSavedWhole() throws Exception {
        byte[] bytes = TestServers.randomFile(served.resolve("with space.bin"), (5 << 20) + 3, 5);
        int port = startNginx();
        var folder = ServerAddress.Url.parse("http://127.0.0.1:" + port + "/");
        var options = DownloadOptions.defaults(6).withDirectory(saved).withFsync(false)
                .withConnectTimeout(Duration.ofSeconds(2)).withStallTimeout(Duration.ofSeconds(5));

        DownloadResult result = Downloader.create(List.of(folder), options).download("with space.bin");

        assertThat(result).as("%s", result).isInstanceOf(DownloadResult.Completed.class);
        assertThat(Files.readAllBytes(saved.resolve("with space.bin"))).isEqualTo(bytes);
    }
}
