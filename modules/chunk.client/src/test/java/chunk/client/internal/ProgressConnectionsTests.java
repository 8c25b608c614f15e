package chunk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.ServerAddress;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressConnectionsTests {

    @Test
    void showsTheConnectionsToEachServerAndAnXForOneLeftOut() {
        ServerBoard board = new ServerBoard(List.of(new ServerAddress("127.0.0.1", 1), new ServerAddress("127.0.0.1", 2),
                new ServerAddress("127.0.0.1", 3)));
        PieceMap map = new PieceMap(ChunkPlanner.plan(12 * 4096, 3), board, new BitSet(), null, Duration.ofSeconds(30));
        map.leaveOut(2, "said something else");

        map.next(0);
        map.next(1);
        assertThat(map.next(2)).isInstanceOfSatisfying(PieceMap.Next.Fetch.class, f -> assertThat(f.lease().server.index).isZero());

        assertThat(Progress.connections(map)).isEqualTo("2+1+x");
    }
}
