package chunk.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadResult;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.ServerReport;
import chunk.wire.ByteRange;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SummaryTests {

    @Test
    void chunkIndexesAreCondensedIntoRuns() {
        assertThat(Summary.ranges(List.of(5, 0, 1, 2, 7, 8))).isEqualTo("0-2, 5, 7-8");
        assertThat(Summary.ranges(List.of(3))).isEqualTo("3");
    }

    @Test
    void manyRunsEndInACount() {
        List<Integer> everyOther = IntStream.range(0, 100).map(i -> i * 2).boxed().toList();

        assertThat(Summary.ranges(everyOther)).isEqualTo("0, 2, 4, 6, 8, 10, 12, 14, ... (100 chunks)");
    }

    @Test
    void aFailureReportOfManyKindsOfFailureFitsOnAScreen() {
        // 26 servers, each failing its own chunks: 26 groups.
        List<ChunkOutcome.Failed> failed = IntStream.range(0, 200)
                .mapToObj(i -> new ChunkOutcome.Failed(i, new ByteRange(i * 10L, 10), 0,
                        List.of(new ServerFailure(ServerAddress.of("127.0.0.1", 4000 + i % 26), ServerFailure.Kind.SERVER_ERROR,
                                "server says \"error " + (char) ('a' + i % 26) + "\""))))
                .toList();
        DownloadResult.Incomplete incomplete = new DownloadResult.Incomplete("a.bin", Path.of("a.bin.part"), 2000, failed,
                java.time.Duration.ofSeconds(1), new chunk.client.Verification(chunk.client.Verification.Status.UNVERIFIED,
                        null, 4096, null), List.of(), 0);

        String report = Summary.describe(incomplete, false, false, Path::toString);

        assertThat(report.lines()).hasSizeLessThanOrEqualTo(Summary.MAX_GROUP_LINES + 3);
        assertThat(report).contains("  chunks 0, 26, 52, 78, 104, 130, 156, 182:\n    127.0.0.1:4000: server says \"error a\"\n")
                .contains("more groups of chunks; --verbose lists every chunk\n");
        assertThat(Summary.describe(incomplete, false, true, Path::toString).lines()).hasSize(200 * 2 + 2);
    }

    @Test
    void aMismatchAfterATieSaysThatNoGroupHadTheFileOnOneLine() {
        List<ServerAddress> servers = IntStream.range(0, 8).mapToObj(i -> (ServerAddress) ServerAddress.of("127.0.0.1", 4000 + i)).toList();
        List<DownloadResult.ChecksumMismatch.Attempt> tried = List.of(
                new DownloadResult.ChecksumMismatch.Attempt(servers.subList(0, 1), "11".repeat(32)),
                new DownloadResult.ChecksumMismatch.Attempt(servers.subList(1, 2), "22".repeat(32)),
                new DownloadResult.ChecksumMismatch.Attempt(servers.subList(2, 5), "33".repeat(32)),
                new DownloadResult.ChecksumMismatch.Attempt(servers.subList(5, 8), "44".repeat(32)));
        DownloadResult.ChecksumMismatch mismatch = new DownloadResult.ChecksumMismatch("a.bin", Path.of("a.bin"),
                "ab".repeat(32), "44".repeat(32), servers.subList(5, 8), tried, DownloadResult.ChecksumMismatch.Pin.SHA256);

        String report = Summary.describe(mismatch, false, false, Path::toString);

        assertThat(report).isEqualTo("myclient: a.bin does not match --sha256: no group of servers has it"
                + " (127.0.0.1:4000 gave 11111111…; 127.0.0.1:4001 gave 22222222…;"
                + " 127.0.0.1:4002, 127.0.0.1:4003 and 1 more gave 33333333…; 1 more group), not " + "ab".repeat(32)
                + "; nothing was saved as a.bin\n");
    }

    @Test
    void aMismatchFromOneGroupSaysWhatTheFileWas() {
        ServerAddress server = ServerAddress.of("127.0.0.1", 4000);
        DownloadResult.ChecksumMismatch mismatch = new DownloadResult.ChecksumMismatch("a.bin", Path.of("a.bin"),
                "ab".repeat(32), "11".repeat(32), List.of(server));

        assertThat(Summary.describe(mismatch, false, false, Path::toString)).isEqualTo("myclient: a.bin does not match"
                + " --sha256: its SHA-256 is " + "11".repeat(32) + ", not " + "ab".repeat(32) + "; nothing was saved as a.bin\n");
    }

    @Test
    void aRangeMovedToAFasterConnectionIsNotCountedAsAFailure() {
        ServerAddress slow = ServerAddress.of("127.0.0.1", 4000);
        ServerAddress fast = ServerAddress.of("127.0.0.1", 4001);
        List<ServerReport> reports = List.of(
                new ServerReport(slow, 1 << 20, 1e6, 1e6, List.of(new ServerFailure(slow, ServerFailure.Kind.MOVED,
                        "too slow: the rest of its range went to a faster connection")), null),
                new ServerReport(fast, 3 << 20, 3e6, 3e6, List.of(new ServerFailure(fast, ServerFailure.Kind.REFUSED,
                        "connection refused")), null));
        StringBuilder text = new StringBuilder();

        Summary.servers(text, reports, false);

        assertThat(text.toString()).contains("127.0.0.1:4000 1.00 MiB at 1.00 MB/s, 1 range moved;")
                .contains("127.0.0.1:4001 3.00 MiB at 3.00 MB/s, 1 failure\n");
    }

    @Test
    void aGroupOfChunksThatFailedInWordsThatDifferIsSaidInTheKindsWordsOnceAServer() {
        ServerAddress server = ServerAddress.of("127.0.0.1", 4000);
        List<ChunkOutcome.Failed> failed = IntStream.range(0, 3)
                .mapToObj(i -> new ChunkOutcome.Failed(i, new ByteRange(i * 10L, 10), 0, List.of(
                        new ServerFailure(server, ServerFailure.Kind.CLOSED, "connection closed after " + i + " of 10 bytes"),
                        new ServerFailure(server, ServerFailure.Kind.CLOSED, "connection closed after " + (i + 1) + " of 10 bytes"),
                        new ServerFailure(server, ServerFailure.Kind.REFUSED, "connection refused"))))
                .toList();
        DownloadResult.Incomplete incomplete = new DownloadResult.Incomplete("a.bin", Path.of("a.bin.part"), 30, failed,
                java.time.Duration.ofSeconds(1), new chunk.client.Verification(chunk.client.Verification.Status.UNVERIFIED,
                        null, 4096, null), List.of(), 0);

        String report = Summary.describe(incomplete, false, false, Path::toString);

        assertThat(report).contains("  chunks 0-2:\n"
                + "    127.0.0.1:4000: closed the connection before its reply was complete\n"
                + "    127.0.0.1:4000: connection refused\n  ");
    }
}
