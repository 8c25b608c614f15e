package chunk.client;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.TestServer;
import chunk.client.testing.TestServers;
import chunk.server.FileServer;
import chunk.server.ServerConfig;
import chunk.wire.tree.TreeHasher;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads checked against the file's digest tree (BEP 52): from real myservers of this round,
 * beside a server of round 2 (flat digests), and pinned by a root that only the whole file can
 * be checked against.
 */
@Timeout(60)
class DigestTreeDownloadTests {

    @TempDir
    Path served;
    @TempDir
    Path saved;

    private final TestServers servers = new TestServers();

    @AfterEach
    void stopTheServers() throws Exception {
        servers.close();
    }

    private ServerAddress myserver() throws IOException {
        FileServer server = servers.closedAtTheEnd(FileServer.start(
                ServerConfig.builder(served).bindAddress(InetAddress.getLoopbackAddress()).build(), _ -> {}));
        return ServerAddress.of("127.0.0.1", server.address().getPort());
    }

    private DownloadOptions options(int chunks) {
        return DownloadOptions.defaults(chunks).withDirectory(saved).withFsync(false)
                .withConnectTimeout(Duration.ofSeconds(5)).withStallTimeout(Duration.ofSeconds(5));
    }

    /** The file's BEP 52 root, as myserver --print-root (and libtorrent) make it. */
    private static String rootOf(byte[] bytes) {
        TreeHasher tree = new TreeHasher(bytes.length);
        tree.update(bytes, 0, bytes.length);
        return tree.finish().root().hex();
    }

    private byte[] served(int size) throws IOException {
        return TestServers.randomFile(served.resolve("data.bin"), size, size);
    }

    @Test
    void fromMyserversIsCheckedAgainstTheTreeAndNamedByItsRoot() throws Exception {
        byte[] bytes = served((5 << 20) + 4321);

        DownloadResult result = Downloader.create(List.of(myserver(), myserver()), options(8)).download("data.bin");

        assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class, done -> {
            assertThat(done.verification().status()).isEqualTo(Verification.Status.VERIFIED);
            assertThat(done.verification().root()).isEqualTo(rootOf(bytes));
        });
        assertThat(saved.resolve("data.bin")).hasBinaryContent(bytes);
    }

    @Test
    void aPinnedRootPicksTheMyserverWithItsFile() throws Exception {
        byte[] bytes = served(3 << 20);
        ServerAddress right = myserver();
        Path other = Files.createDirectories(served.getParent().resolve(served.getFileName() + "-other"));
        TestServers.randomFile(other.resolve("data.bin"), bytes.length, 99);
        FileServer wrong = servers.closedAtTheEnd(FileServer.start(
                ServerConfig.builder(other).bindAddress(InetAddress.getLoopbackAddress()).build(), _ -> {}));

        DownloadResult result = Downloader.create(List.of(ServerAddress.of("127.0.0.1", wrong.address().getPort()), right),
                options(4).withRoot(rootOf(bytes))).download("data.bin");

        assertThat(result).isInstanceOf(DownloadResult.Completed.class);
        assertThat(saved.resolve("data.bin")).hasBinaryContent(bytes);
    }

    @Test
    void piecesAreAtLeastABlockOfTheTreeForAFileOfFewBlocks() throws Exception {
        byte[] bytes = served(40_000); // three blocks: at most three pieces, whatever the chunks

        DownloadResult result = Downloader.create(List.of(myserver()), options(8)).download("data.bin");

        assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class, done -> {
            assertThat(done.verification().status()).isEqualTo(Verification.Status.VERIFIED);
            assertThat(done.verification().pieceLength()).isEqualTo(16384);
            assertThat(done.chunks()).hasSize(3);
        });
        assertThat(saved.resolve("data.bin")).hasBinaryContent(bytes);
    }

    @Test
    void aServerOfRoundTwoBesideOneOfThisRoundGivesItsBytesCheckedAgainstTheTree() throws Exception {
        byte[] bytes = served(4 << 20);
        TestServer roundTwo = servers.serving(served, TestServer.withDigests()); // flat digests

        DownloadResult result = Downloader.create(List.of(myserver(), roundTwo.address()), options(4)).download("data.bin");

        assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class, done -> {
            assertThat(done.verification().status()).isEqualTo(Verification.Status.VERIFIED);
            assertThat(done.verification().root()).isEqualTo(rootOf(bytes));
            assertThat(done.servers()).contains(roundTwo.address());
        });
        assertThat(saved.resolve("data.bin")).hasBinaryContent(bytes);
    }

    @Test
    void fromServersWithoutTheTreeAPinnedRootIsCheckedOnTheWholeFileBeforeTheRename() throws Exception {
        byte[] bytes = served((2 << 20) + 17);
        List<ServerAddress> versionOne = List.of(servers.serving(served, TestServer.honest()).address(),
                servers.serving(served, TestServer.honest()).address());

        DownloadResult wrong = Downloader.create(versionOne, options(4).withRoot("ab".repeat(32))).download("data.bin");

        assertThat(wrong).isInstanceOfSatisfying(DownloadResult.ChecksumMismatch.class, mismatch -> {
            assertThat(mismatch.pin()).isEqualTo(DownloadResult.ChecksumMismatch.Pin.ROOT);
            assertThat(mismatch.actual()).isEqualTo(rootOf(bytes));
        });
        assertThat(saved).isEmptyDirectory();

        DownloadResult right = Downloader.create(versionOne, options(4).withRoot(rootOf(bytes))).download("data.bin");

        assertThat(right).isInstanceOfSatisfying(DownloadResult.Completed.class,
                done -> assertThat(done.verification().root()).isEqualTo(rootOf(bytes)));
        assertThat(saved.resolve("data.bin")).hasBinaryContent(bytes);
    }
}
