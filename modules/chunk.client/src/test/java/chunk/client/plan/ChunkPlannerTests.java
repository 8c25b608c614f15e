package chunk.client.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import chunk.client.download.ParallelDownloader;
import chunk.wire.ByteRange;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkPlannerTests {

    @Nested
    class EveryPlan {

        @ParameterizedTest(name = "{0} bytes in {1} chunks")
        @CsvSource({"1,1", "10,1", "10,3", "4097,10", "1000,7", "1048576,64", "1048699,4", "5,1000",
                "1073741824,4", "5242880,10000", "9223372036854775807,3"})
        void coversTheFileExactlyOnceInOrderInWholePieces(long size, int chunks) {
            ChunkPlanner.Plan plan = ChunkPlanner.plan(size, chunks);
            List<ByteRange> ranges = plan.chunks();

            assertThat(ranges).isNotEmpty().hasSizeLessThanOrEqualTo(chunks).hasSizeLessThanOrEqualTo(plan.pieceCount());
            assertThat(ranges.getFirst().offset()).isZero();
            for (int i = 1; i < ranges.size(); i++) {
                assertThat(ranges.get(i).offset()).as("chunk %d starts where chunk %d ends", i, i - 1).isEqualTo(ranges.get(i - 1).end());
                assertThat(ranges.get(i).offset() % plan.pieceLength()).as("chunk %d starts on a piece", i).isZero();
            }
            assertThat(ranges.getLast().end()).isEqualTo(size);
            assertThat(ranges).allSatisfy(range -> assertThat(range.length()).isPositive());
            assertThat(plan.pieceCount()).isBetween(1, ChunkPlanner.MAX_PIECES);
            assertThat(plan.piece(plan.pieceCount() - 1).end()).isEqualTo(size);
            assertThat(Long.bitCount(plan.pieceLength())).as("a power of two").isOne();
            assertThat(plan.pieceLength()).isGreaterThanOrEqualTo(ChunkPlanner.MIN_PIECE_LENGTH);
        }

        @ParameterizedTest(name = "{0} bytes in {1} chunks")
        @CsvSource({"1048576,4", "1073741824,4", "1073741824,64", "104857600,16"})
        void givesEachChunkSeveralPiecesWhenTheFileIsLargeEnough(long size, int chunks) {
            ChunkPlanner.Plan plan = ChunkPlanner.plan(size, chunks);

            assertThat(plan.chunks()).hasSize(chunks);
            for (int i = 0; i < chunks; i++) {
                assertThat(plan.endPieceOf(i) - plan.firstPieceOf(i)).as("pieces of chunk %d", i).isGreaterThanOrEqualTo(4);
            }
        }
    }

    @Nested
    class ThePieceLength {

        @Test
        void isAnEighthOfAChunkRoundedDownToAPowerOfTwo() {
            assertThat(ChunkPlanner.pieceLength(1 << 20, 4)).isEqualTo(32 << 10);
        }

        @Test
        void isAtLeast4KiBAndAtMost1MiBWhilePiecesStayFewEnough() {
            assertThat(ChunkPlanner.pieceLength(10, 3)).isEqualTo(4096);
            assertThat(ChunkPlanner.pieceLength(1L << 30, 1)).isEqualTo(1 << 20);
        }

        @Test
        void isAnEighthOfWhatOneConnectionIsGivenFirstWhenChunksOutnumberTheConnections() {
            long size = 256L << 20;
            int atOnce = ChunkPlanner.MAX_CONNECTIONS;

            assertThat(ChunkPlanner.pieceLength(size, atOnce)).isEqualTo(size / atOnce / 8);
            assertThat(ChunkPlanner.pieceLength(size, atOnce / 2)).isEqualTo(2 * size / atOnce / 8);
            // 200 chunks: those beyond the first 64 wait their turn, so an eighth of a 64th of the
            // file, not of a chunk (that would be 128 KiB).
            assertThat(ChunkPlanner.pieceLength(size, 200)).isEqualTo(size / atOnce / 8);
        }

        @Test
        void isNeverLongerThanAChunkSoThatEveryChunkAskedForIsMade() {
            assertThat(ChunkPlanner.pieceLength(256L << 20, 1000)).isEqualTo(256 << 10);
            assertThat(ChunkPlanner.plan(256L << 20, 1000).chunks()).hasSize(1000);
            assertThat(ChunkPlanner.plan(50_000_000, 1000).chunks()).hasSize(1000);
            assertThat(ChunkPlanner.plan(1L << 30, 1000).chunks()).hasSize(1000);
        }

        @Test
        void growsPastOneMiBOnlyToKeepThePiecesBounded() {
            assertThat(ChunkPlanner.pieceLength(64L << 30, 1)).isEqualTo(4 << 20);
        }
    }

    @Nested
    class TheSplit {

        @Test
        void givesTheChunksWholePiecesDifferingByAtMostOne() {
            ChunkPlanner.Plan plan = ChunkPlanner.plan(10 * 4096 + 5, 3);

            assertThat(plan.pieceLength()).isEqualTo(4096);
            assertThat(plan.chunks()).containsExactly(
                    new ByteRange(0, 3 * 4096), new ByteRange(3 * 4096, 4 * 4096), ByteRange.between(7 * 4096, 10 * 4096 + 5));
        }

        @Test
        void givesOneChunkPerPieceWhenThereAreMoreChunksThanPieces() {
            assertThat(ChunkPlanner.plan(3, 64).chunks()).containsExactly(new ByteRange(0, 3));
            assertThat(ChunkPlanner.plan(3 * 4096, 64).chunks()).hasSize(3);
        }

        @Test
        void hasNoChunkForAnEmptyFile() {
            assertThat(ChunkPlanner.plan(0, 4).chunks()).isEmpty();
            assertThat(ChunkPlanner.plan(0, 4).pieceCount()).isZero();
        }

        @Test
        void refusesNonsense() {
            assertThatIllegalArgumentException().isThrownBy(() -> ChunkPlanner.plan(10, 0));
            assertThatIllegalArgumentException().isThrownBy(() -> ChunkPlanner.plan(-1, 1));
        }
    }
}
