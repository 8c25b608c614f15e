package chunk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
        @CsvSource({"1,1", "10,1", "10,3", "10,10", "10,64", "1000,7", "1048576,64", "1048699,4", "5,1000", "9223372036854775807,3"})
        void coversTheFileExactlyOnceInOrder(long size, int chunks) {
            List<ByteRange> plan = ChunkPlanner.plan(size, chunks);

            assertThat(plan).isNotEmpty().hasSize((int) Math.min(size, chunks));
            assertThat(plan.getFirst().offset()).isZero();
            for (int i = 1; i < plan.size(); i++) {
                assertThat(plan.get(i).offset()).as("chunk %d starts where chunk %d ends", i, i - 1).isEqualTo(plan.get(i - 1).end());
            }
            assertThat(plan.getLast().end()).isEqualTo(size);
            assertThat(plan).allSatisfy(range -> assertThat(range.length()).isPositive());
        }
    }

    @Nested
    class TheSplit {

        @Test
        void givesTheRemainderToTheLastChunkAsTheOriginalDid() {
            assertThat(ChunkPlanner.plan(10, 3)).containsExactly(
                    new ByteRange(0, 3), new ByteRange(3, 3), new ByteRange(6, 4));
        }

        @Test
        void givesOneByteChunksWhenThereAreMoreChunksThanBytes() {
            assertThat(ChunkPlanner.plan(3, 64)).containsExactly(
                    new ByteRange(0, 1), new ByteRange(1, 1), new ByteRange(2, 1));
        }

        @Test
        void hasNoChunkForAnEmptyFile() {
            assertThat(ChunkPlanner.plan(0, 4)).isEmpty();
        }

        @Test
        void refusesNonsense() {
            assertThatIllegalArgumentException().isThrownBy(() -> ChunkPlanner.plan(10, 0));
            assertThatIllegalArgumentException().isThrownBy(() -> ChunkPlanner.plan(-1, 1));
        }
    }
}
