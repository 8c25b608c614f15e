package chunk.client;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.TestServer;
import chunk.client.testing.TestServers;
import chunk.server.FileServer;
import chunk.server.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole downloads over kept-open connections: from real myservers, and mixed with a version-1 server. */
@Timeout(60)
class PersistentConnectionsTests {

    private static final int FILE_SIZE = 16 << 20;

    @TempDir
    Path served;
    @TempDir
    Path saved;

    private byte[] bytes;
    private final TestServers servers = new TestServers();

    @BeforeEach
    void createTheServedFile() throws IOException {
        bytes = TestServers.randomFile(served.resolve("data.bin"), FILE_SIZE, 15);
    }

    @AfterEach
    void stopTheServers() throws Exception {
        servers.close();
    }

    /** A real myserver on loopback whose access log lines go to {@code log}. */
    private ServerAddress myserver(Queue<String> log) throws IOException {
        FileServer server = servers.closedAtTheEnd(
                FileServer.start(ServerConfig.builder(served).bindAddress(InetAddress.getLoopbackAddress()).build(), log::add));
        return ServerAddress.of("127.0.0.1", server.address().getPort());
    }

    private TestServer versionOne() throws IOException {
        return servers.serving(served, TestServer.withDigests());
    }

    /** Connections a myserver saw: each has a client port of its own in the access log. */
    private static long connections(Queue<String> log) {
        return log.stream().map(line -> line.split(" ")[1]).distinct().count();
    }

    private Downloader downloader(int chunks, List<ServerAddress> from) {
        DownloadOptions options = DownloadOptions.defaults(chunks).withDirectory(saved).withFsync(false).withForce(true)
                .withConnectTimeout(Duration.ofSeconds(5)).withStallTimeout(Duration.ofSeconds(20));
        return Downloader.create(from, options);
    }

    private void downloadsRight(Downloader downloader) throws Exception {
        DownloadResult result = downloader.download("data.bin");
        assertThat(result).isInstanceOf(DownloadResult.Completed.class);
        assertThat(Files.readAllBytes(saved.resolve("data.bin"))).isEqualTo(bytes);
    }

    @Test
    void hundredsOfChunksFromMyserversCostOnlyTheConnectionsOpenAtOnce() throws Exception {
        Queue<String> first = new ConcurrentLinkedQueue<>();
        Queue<String> second = new ConcurrentLinkedQueue<>();
        int chunks = 400;

        downloadsRight(downloader(chunks, List.of(myserver(first), myserver(second))));

        // Before persistent connections: a connection per chunk, and more for the census and digests.
        assertThat(connections(first) + connections(second)).isLessThan(chunks / 4);
        assertThat(first).anyMatch(line -> line.contains(" KEEP-OPEN "));
    }

    @Test
    void aFileAMyserverDoesNotHaveCostsOneRequestOnOneConnection() throws Exception {
        Queue<String> log = new ConcurrentLinkedQueue<>();
        FileServer server = FileServer.start(ServerConfig.builder(served).bindAddress(InetAddress.getLoopbackAddress()).build(), log::add);
        DownloadResult result;
        try (server) {
            result = downloader(4, List.of(ServerAddress.of("127.0.0.1", server.address().getPort()))).download("missing.bin");
        } // closing waits for the server's connections, so every request is in the log

        assertThat(result).isInstanceOf(DownloadResult.Unavailable.class);
        // Its DIGESTS refusal says it all: no SIZE request, and no second connection, after it.
        assertThat(log).filteredOn(line -> line.contains(" missing.bin ")).hasSize(1)
                .allMatch(line -> line.contains(" DIGESTS ") && line.contains(" no-such-file "));
        assertThat(connections(log)).isEqualTo(1);
    }

    @Test
    void aVersionOneServerAmongMyserversIsAskedOnceAndServedOneRequestPerConnection() throws Exception {
        Queue<String> log = new ConcurrentLinkedQueue<>();
        TestServer original = versionOne();
        Downloader downloader = downloader(64, List.of(original.address(), myserver(log)));

        downloadsRight(downloader);
        downloadsRight(downloader); // a second file of the same run: still not asked again

        assertThat(original.unknownTypes()).isEqualTo(1);
        assertThat(original.chunkRequests()).isNotEmpty();
        assertThat(connections(log)).isLessThan(64);
    }
}
