package chunk.client;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.server.FileServer;
import chunk.server.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A myserver that serves one transfer at a time answers the other connections {@code server
 * busy}: a download from it alone waits for its place instead of failing.
 */
@Timeout(60)
class BusyServerTests {

    @TempDir
    Path served;
    @TempDir
    Path saved;

    @Test
    void aServerServingOneTransferAtATimeDeliversAllChunksInTurn() throws Exception {
        byte[] bytes = new byte[2 << 20];
        new Random(14).nextBytes(bytes);
        Files.write(served.resolve("data.bin"), bytes);
        Queue<String> log = new ConcurrentLinkedQueue<>();
        // Each transfer takes about a second, far longer than a request may wait for the one place.
        ServerConfig config = ServerConfig.builder(served).bindAddress(InetAddress.getLoopbackAddress())
                .maxClients(1).headerTimeout(Duration.ofMillis(200)).rateLimit(1 << 20).build();
        try (FileServer server = FileServer.start(config, log::add)) {
            DownloadOptions options = DownloadOptions.defaults(4).withDirectory(saved).withFsync(false)
                    .withStallTimeout(Duration.ofSeconds(20));
            DownloadResult result = Downloader.create(List.of(ServerAddress.of("127.0.0.1", server.address().getPort())),
                    options).download("data.bin");

            assertThat(result).as(String.join("\n", log)).isInstanceOf(DownloadResult.Completed.class);
        }
        assertThat(Files.readAllBytes(saved.resolve("data.bin"))).isEqualTo(bytes);
        assertThat(log).as("the server was busy at least once, or the test tests nothing").anyMatch(line -> line.contains(" busy "));
    }
}
