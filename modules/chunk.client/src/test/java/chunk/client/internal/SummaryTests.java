package chunk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadResult;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
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
        ServerAddress server = new ServerAddress("127.0.0.1", 4000);
        List<ChunkOutcome.Failed> failed = IntStream.range(0, 200)
                .mapToObj(i -> new ChunkOutcome.Failed(i, new ByteRange(i * 10L, 10), 0,
                        List.of(new ServerFailure(server, "server says \"error " + (char) ('a' + i % 26) + "\""))))
                .toList();
        DownloadResult.Incomplete incomplete = new DownloadResult.Incomplete("a.bin", Path.of("a.bin.part"), 2000, failed,
                java.time.Duration.ofSeconds(1), new chunk.client.Verification(chunk.client.Verification.Status.UNVERIFIED,
                        null, 4096, null), List.of());

        String report = Summary.describe(incomplete, false, false, Path::toString);

        assertThat(report.lines()).hasSizeLessThanOrEqualTo(Summary.MAX_GROUP_LINES + 3);
        assertThat(report).contains("  chunks 0, 26, 52, 78, 104, 130, 156, 182:\n    127.0.0.1:4000: server says \"error a\"\n")
                .contains("more groups of chunks; --verbose lists every chunk\n");
        assertThat(Summary.describe(incomplete, false, true, Path::toString).lines()).hasSize(200 * 2 + 2);
    }
}
