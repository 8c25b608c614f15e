package chunk.client.plan;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.ChunkOutcome;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PieceMapTests {

    /** 10 pieces of 4 KiB in 2 chunks of 5. */
    private final ChunkPlanner.Plan plan = ChunkPlanner.plan(10 * 4096, 2);
    private final ServerBoard board = new ServerBoard(List.of(ServerAddress.of("127.0.0.1", 1), ServerAddress.of("127.0.0.1", 2)));

    /** The maps' clock, which the tests move instead of sleeping. */
    private final AtomicLong now = new AtomicLong();

    private PieceMap map(BitSet done, PieceMap.Digests digests) {
        return new PieceMap(plan, board, done, digests, Duration.ofSeconds(30), now::get);
    }

    private static Lease leaseOf(PieceMap.Next next) {
        assertThat(next).isInstanceOf(PieceMap.Next.Fetch.class);
        return ((PieceMap.Next.Fetch) next).lease();
    }

    @Nested
    class StartedWithPiecesDone {

        @Test
        void leasesOnlyTheMissingOnes() {
            BitSet done = new BitSet();
            done.set(0, 2);
            done.set(3);
            PieceMap map = map(done, null);

            Lease first = leaseOf(map.next(0));
            assertThat(first.first()).isEqualTo(2);
            assertThat(first.end()).isEqualTo(3);
            Lease second = leaseOf(map.next(0));
            assertThat(second.first()).isEqualTo(4);
            assertThat(second.end()).isEqualTo(5);
            assertThat(map.done()).isEqualTo(done);
            assertThat(map.doneBytes()).isEqualTo(3 * 4096);
        }

        @Test
        void thatAreAllDoneHasNothingToFetch() {
            BitSet done = new BitSet();
            done.set(0, 10);
            PieceMap map = map(done, null);

            assertThat(map.next(0)).isInstanceOf(PieceMap.Next.Stop.class);
            assertThat(map.complete()).isTrue();
            assertThat(map.outcomes()).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(ChunkOutcome.Completed.class));
        }
    }

    @Nested
    class AChunksConnection {

        @Test
        void startsOnServerIModNThenTheNext() {
            PieceMap map = map(new BitSet(), null);

            Lease zero = leaseOf(map.next(0));
            Lease one = leaseOf(map.next(1));

            assertThat(zero.server().index()).isZero();
            assertThat(one.server().index()).isOne();
            assertThat(one.first()).isEqualTo(5);
            map.failed(zero, ServerFailure.Kind.REFUSED, "connection refused");
            Lease retry = leaseOf(map.next(0));
            assertThat(retry.server().index()).as("the next server after the one that failed").isOne();
            assertThat(retry.first()).isZero();
        }

        @Test
        void stopsWhenEveryServerFailedItsChunkAndNothingIsInFlight() {
            PieceMap map = map(new BitSet(), null);
            map.failed(leaseOf(map.next(0)), ServerFailure.Kind.REFUSED, "connection refused");
            map.failed(leaseOf(map.next(0)), ServerFailure.Kind.REFUSED, "connection refused");

            assertThat(map.next(0)).isInstanceOf(PieceMap.Next.Stop.class);
            assertThat(map.outcomes().getFirst()).isInstanceOfSatisfying(ChunkOutcome.Failed.class,
                    failed -> assertThat(failed.failures()).hasSize(2));
        }
    }

    @Nested
    class ItsListener {

        @Test
        void hearsEachPieceThatMatchesItsDigestAndNotOneThatDoesNot() {
            byte[] good = new byte[32];
            PieceMap map = map(new BitSet(), new PieceMap.Digests() {
                @Override
                public boolean matches(int piece, byte[] digest) {
                    return java.util.Arrays.equals(digest, good);
                }

                @Override
                public PieceDigester digester() {
                    throw new UnsupportedOperationException("the test gives the digests itself");
                }
            });
            List<Integer> heard = new ArrayList<>();
            map.addListener(heard::add);
            Lease lease = leaseOf(map.next(0));

            assertThat(map.delivered(lease, 0, good, 1000)).isEqualTo(PieceMap.Acceptance.ACCEPTED);
            assertThat(map.delivered(lease, 1, new byte[] {1}, 1000)).isEqualTo(PieceMap.Acceptance.MISMATCH);

            assertThat(heard).containsExactly(0);
            BitSet expected = new BitSet();
            expected.set(0);
            assertThat(map.done()).isEqualTo(expected);
        }

        @Test
        void hearsEachPieceWrittenWhenThereAreNoDigests() {
            PieceMap map = map(new BitSet(), null);
            List<Integer> heard = new ArrayList<>();
            map.addListener(heard::add);
            Lease lease = leaseOf(map.next(1));

            map.delivered(lease, 5, null, 1000);

            assertThat(heard).containsExactly(5);
        }
    }

    @Nested
    class WorkThatMoves {

        @Test
        void goesToAnIdleServerRatherThanToAFasterOneThatIsBusyAlready() {
            // 15 pieces of 4 KiB in 3 chunks of 5, one chunk on each server.
            ChunkPlanner.Plan three = ChunkPlanner.plan(15 * 4096, 3);
            ServerBoard servers = new ServerBoard(List.of(ServerAddress.of("127.0.0.1", 1),
                    ServerAddress.of("127.0.0.1", 2), ServerAddress.of("127.0.0.1", 3)));
            PieceMap map = new PieceMap(three, servers, new BitSet(), null, Duration.ofSeconds(30), now::get);
            leaseOf(map.next(0));
            leaseOf(map.next(1));
            Lease last = leaseOf(map.next(2));
            for (int piece = 10; piece < 15; piece++) {
                map.delivered(last, piece, null, 1000);
            }
            map.ended(last);
            // Bytes per second of one connection: the second server is the fastest, but its
            // uplink is shared with the connection it has; the third has none open.
            servers.delivered(servers.get(0), 50, 1_000_000_000);
            servers.delivered(servers.get(1), 100, 1_000_000_000);
            servers.delivered(servers.get(2), 60, 1_000_000_000);

            Lease stolen = leaseOf(map.next(2));

            assertThat(stolen.first()).as("the back half of the slowest range").isEqualTo(3);
            assertThat(stolen.server().index()).isEqualTo(2);
        }

        @Test
        void takesOverTheShortTailOfAConnectionMeasuredLongEnoughThatAFasterServerWouldFinishWellBefore() {
            PieceMap map = map(new BitSet(), null);
            Lease slow = leaseOf(map.next(0));
            Lease fast = leaseOf(map.next(1));
            slow.connected(() -> {});
            for (int piece = 5; piece < 10; piece++) {
                map.delivered(fast, piece, null, 1000);
            }
            map.ended(fast);
            // The slow connection's rate must be measured over a while.
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(300));
            for (int piece = 0; piece < 4; piece++) {
                slow.progress(4096);
                map.delivered(slow, piece, null, 75_000_000);
            }

            // Its last piece takes it some 75 ms, the other server some microseconds.
            Lease over = leaseOf(map.next(1));

            assertThat(over.server().index()).isOne();
            assertThat(over.first()).isEqualTo(4);
            assertThat(over.end()).isEqualTo(5);
            assertThat(slow.revoked()).isTrue();
        }
    }
}
