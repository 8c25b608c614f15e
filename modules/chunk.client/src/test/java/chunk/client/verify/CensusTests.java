package chunk.client.verify;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.DownloadListener;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.net.DigestPage;
import chunk.client.net.DigestScheme;
import chunk.client.net.Holding;
import chunk.client.net.Mirror;
import chunk.client.net.MirrorException;
import chunk.client.net.Transfer;
import chunk.wire.ByteRange;
import chunk.wire.Digest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The census's asking and waiting, with mirrors that answer at once, late, or not at all. */
@Timeout(30)
class CensusTests {

    private static final Digest ROOT = Digest.of(new byte[] {1});

    /** A mirror that holds a file of 100 bytes with {@link #ROOT}, once {@code answer} is counted down. */
    private record Holder(ServerAddress address, CountDownLatch answer, CountDownLatch interrupted) implements Mirror {
        Holder(int port, boolean atOnce) {
            this(ServerAddress.of("127.0.0.1", port), new CountDownLatch(atOnce ? 0 : 1), new CountDownLatch(1));
        }

        @Override
        public Holding hold(String fileName, boolean wantDigests) throws MirrorException {
            try {
                answer.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new MirrorException(ServerFailure.Kind.CLOSED, "interrupted");
            }
            return new Holding.Rooted(100, ROOT, List.of(), DigestScheme.TREE);
        }

        @Override
        public DigestPage digests(String fileName, long firstPiece, int pieceLength) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Transfer open(String fileName, ByteRange range) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void startsOnceTwoAgreeAndHandsOnTheAnswerThatComesLater() throws Exception {
        Holder late = new Holder(3, false);
        List<Mirror> mirrors = List.of(new Holder(1, true), new Holder(2, true), late);
        LinkedBlockingQueue<Claim> heardLate = new LinkedBlockingQueue<>();
        try (Census census = new Census("a.bin", mirrors, Duration.ofSeconds(20), DownloadListener.NONE, true)) {
            Verdict verdict = census.settle(null, false, heardLate::add);

            assertThat(verdict).isInstanceOfSatisfying(Verdict.Agreed.class,
                    agreed -> assertThat(agreed.agreeing()).containsExactly(mirrors.get(0).address(), mirrors.get(1).address()));
            late.answer().countDown();
            Claim claim = heardLate.poll(20, TimeUnit.SECONDS);
            assertThat(claim).as("the late answer, handed on").isNotNull();
            assertThat(((Verdict.Agreed) verdict).admits(claim)).isTrue();
        }
    }

    @Test
    void closingItStopsTheQuestionsStillOpen() throws Exception {
        Holder silent = new Holder(3, false);
        List<Mirror> mirrors = List.of(new Holder(1, true), new Holder(2, true), silent);
        Census census = new Census("a.bin", mirrors, Duration.ofSeconds(20), DownloadListener.NONE, true);
        census.settle(null, false, _ -> {});

        census.close();

        assertThat(silent.interrupted().await(20, TimeUnit.SECONDS)).as("the silent mirror's question was stopped").isTrue();
    }

    @Test
    void aMirrorThatFailsIsAClaimOfItsFailure() throws Exception {
        ServerAddress down = ServerAddress.of("127.0.0.1", 9);
        try (Census census = new Census("a.bin", List.of(new FailingMirror(down)), Duration.ofSeconds(20),
                DownloadListener.NONE, true)) {
            assertThat(census.settle(null, false, _ -> {})).isInstanceOfSatisfying(Verdict.Unavailable.class,
                    unavailable -> assertThat(unavailable.failures()).containsExactly(
                            new ServerFailure(down, ServerFailure.Kind.REFUSED, "connection refused")));
        }
    }

    private record FailingMirror(ServerAddress address) implements Mirror {
        @Override
        public Holding hold(String fileName, boolean wantDigests) throws MirrorException {
            throw new MirrorException(ServerFailure.Kind.REFUSED, "connection refused");
        }

        @Override
        public DigestPage digests(String fileName, long firstPiece, int pieceLength) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Transfer open(String fileName, ByteRange range) {
            throw new UnsupportedOperationException();
        }
    }
}
