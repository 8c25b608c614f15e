package chunk.client.plan;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.ServerAddress;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The piece map as the one source of what a progress display shows. */
class ProgressViewTests {

    private final ServerBoard board = new ServerBoard(List.of(ServerAddress.of("127.0.0.1", 1),
            ServerAddress.of("127.0.0.1", 2), ServerAddress.of("127.0.0.1", 3)));

    @Test
    void showsTheConnectionsToEachServerAndMinusOneForOneLeftOut() {
        PieceMap map = new PieceMap(ChunkPlanner.plan(12 * 4096, 3), board, new BitSet(), null, Duration.ofSeconds(30));
        map.leaveOut(2, "said something else");

        map.next(0);
        map.next(1);
        assertThat(map.next(2)).isInstanceOfSatisfying(PieceMap.Next.Fetch.class,
                f -> assertThat(f.lease().server().index()).isZero());

        assertThat(map.connections()).containsExactly(2, 1, -1);
    }

    @Test
    void countsResumedPiecesAsDoneAndTheBytesOfAPieceInProgressAsInFlight() {
        BitSet resumed = new BitSet();
        resumed.set(0, 2);
        PieceMap map = new PieceMap(ChunkPlanner.plan(12 * 4096, 3), board, resumed, null, Duration.ofSeconds(30));
        Lease lease = ((PieceMap.Next.Fetch) map.next(0)).lease();

        lease.progress(4096);
        map.delivered(lease, lease.first(), null, 1000);
        lease.progress(1000);

        assertThat(map.size()).isEqualTo(12 * 4096);
        assertThat(map.resumedBytes()).isEqualTo(2 * 4096);
        assertThat(map.doneBytes()).isEqualTo(3 * 4096);
        assertThat(map.inFlightBytes()).as("the piece after the one delivered").isEqualTo(1000);

        map.failed(lease, chunk.client.ServerFailure.Kind.CLOSED, "connection closed after 5096 of 8192 bytes");

        assertThat(map.inFlightBytes()).as("nothing in flight once the connection ended").isZero();
        assertThat(map.doneBytes()).isEqualTo(3 * 4096);
    }
}
