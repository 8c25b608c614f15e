package chunk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
}
