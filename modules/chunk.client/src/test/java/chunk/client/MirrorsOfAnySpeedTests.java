package chunk.client;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.TestServer;
import chunk.client.testing.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MirrorsOfAnySpeedTests {

    private static final int FILE_SIZE = 8 << 20;

    @TempDir
    Path served;
    @TempDir
    Path saved;

    private final TestServers servers = new TestServers();
    private byte[] bytes;

    @BeforeEach
    void createTheServedFile() throws IOException {
        bytes = TestServers.randomFile(served.resolve("data.bin"), FILE_SIZE, 13);
    }

    @AfterEach
    void stopTheServers() throws Exception {
        servers.close();
    }

    private TestServer start(TestServer.Fault fault) throws IOException {
        return servers.serving(served, fault);
    }

    private DownloadResult.Completed download(Duration stallTimeout, int chunks, TestServer... from) throws Exception {
        return download(Duration.ofSeconds(2), stallTimeout, chunks, from);
    }

    private DownloadResult.Completed download(Duration connectTimeout, Duration stallTimeout, int chunks, TestServer... from)
            throws Exception {
        DownloadOptions options = DownloadOptions.defaults(chunks).withDirectory(saved).withFsync(false)
                .withConnectTimeout(connectTimeout).withStallTimeout(stallTimeout);
        DownloadResult result = Downloader.create(java.util.Arrays.stream(from).map(TestServer::address).toList(), options)
                .download("data.bin");
        assertThat(result).isInstanceOf(DownloadResult.Completed.class);
        assertThat(Files.readAllBytes(saved.resolve("data.bin"))).isEqualTo(bytes);
        return (DownloadResult.Completed) result;
    }

    private static ServerReport reportOf(DownloadResult.Completed done, TestServer server) {
        return done.reports().stream().filter(r -> r.server().equals(server.address())).findFirst().orElseThrow();
    }

    @Test
    void aSlowMirrorAmongFastOnesDeliversASmallShare() throws Exception {
        TestServer slow = start(TestServer.paced(256 << 10));
        TestServer fast1 = start(TestServer.withDigests());
        TestServer fast2 = start(TestServer.withDigests());
        TestServer fast3 = start(TestServer.withDigests());

        DownloadResult.Completed done = download(Duration.ofSeconds(30), 4, slow, fast1, fast2, fast3);

        // Its own chunk is a quarter of the file; the others take all but what it sends first.
        assertThat(reportOf(done, slow).bytes()).isLessThan(FILE_SIZE / 8);
        assertThat(done.reports().stream().mapToLong(ServerReport::bytes).sum()).isEqualTo(FILE_SIZE);
    }

    @Test
    void aMirrorThatStallsIsRoutedAroundLongBeforeTheStallTimeout() throws Exception {
        TestServer stalling = start(TestServer.stallsAfter(100 << 10));
        TestServer fast = start(TestServer.withDigests());

        DownloadResult.Completed done = download(Duration.ofSeconds(30), 2, stalling, fast);

        ServerReport report = reportOf(done, stalling);
        assertThat(report.bytes()).isLessThanOrEqualTo(100 << 10);
        assertThat(report.failures()).isNotEmpty()
                .allSatisfy(failure -> assertThat(failure.kind()).isEqualTo(ServerFailure.Kind.MOVED));
    }

    @Test
    void aMirrorThatAcceptsAndNeverAnswersIsNotWaitedFor() throws Exception {
        TestServer fast1 = start(TestServer.withDigests());
        TestServer fast2 = start(TestServer.withDigests());
        TestServer fast3 = start(TestServer.withDigests());
        TestServer silent = start(TestServer.hangsOnEverything());

        // Both timeouts far beyond the test's own: a download that waited for the silent
        // server's answer, or for its connection to time out, could not finish.
        Duration never = Duration.ofMinutes(10);
        DownloadResult.Completed done = download(never, never, 4, fast1, fast2, fast3, silent);

        ServerReport report = reportOf(done, silent);
        assertThat(report.bytes()).isZero();
        assertThat(report.leftOut()).isEqualTo("did not answer in time");
        assertThat(silent.chunkRequests()).isEmpty();
        assertThat(done.reports().stream().mapToLong(ServerReport::bytes).sum()).isEqualTo(FILE_SIZE);
    }

    @Test
    void aMirrorThatDiesMidwayLeavesItsRestToTheOthers() throws Exception {
        TestServer dying = start(TestServer.closesMidChunk(0.3));
        TestServer fast = start(TestServer.withDigests());

        DownloadResult.Completed done = download(Duration.ofSeconds(30), 4, dying, fast);

        assertThat(reportOf(done, dying).failures()).isNotEmpty();
        assertThat(reportOf(done, fast).bytes()).isGreaterThan(FILE_SIZE / 2);
    }

    @Test
    void mirrorsOfDifferentSpeedsDeliverInTheOrderOfTheirSpeed() throws Exception {
        TestServer slower = start(TestServer.paced(512 << 10));
        TestServer faster = start(TestServer.paced(16 << 20));

        DownloadResult.Completed done = download(Duration.ofSeconds(30), 2, slower, faster);

        assertThat(reportOf(done, faster).bytes()).isGreaterThan(2 * reportOf(done, slower).bytes());
    }
}
