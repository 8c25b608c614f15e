package chunk.client.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import chunk.wire.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The digests of every piece, fetched in pages from the agreeing mirrors and checked against each other and their root. */
class DigestBookTests {

    /** Two pages and a bit: every page is asked. */
    private static final int PIECES = 2 * Frame.MAX_DIGESTS_PER_REPLY + 3;
    private static final int PIECE_LENGTH = 4096;
    private static final long SIZE = (long) PIECES * PIECE_LENGTH - 100;
    private static final List<Digest> DIGESTS = digests(0);
    private static final Digest ROOT = Digest.rootOf(DIGESTS);

    private static List<Digest> digests(int seed) {
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < PIECES; i++) {
            digests.add(Digest.of(new byte[] {(byte) seed, (byte) i, (byte) (i >> 8)}));
        }
        return digests;
    }

    /** A mirror that answers each page from {@code digests} under {@code root}, as {@code changed} alters it. */
    private record Pages(ServerAddress address, List<Digest> digests, Digest root, UnaryOperator<DigestPage> changed)
            implements Mirror {
        Pages(int port) {
            this(ServerAddress.of("127.0.0.1", port), DIGESTS, ROOT, UnaryOperator.identity());
        }

        @Override
        public DigestPage digests(String fileName, long firstPiece, int pieceLength) throws MirrorException {
            if (firstPiece >= digests.size()) {
                throw new MirrorException(ServerFailure.Kind.BAD_REPLY, "no such piece");
            }
            int end = (int) Math.min(digests.size(), firstPiece + Frame.MAX_DIGESTS_PER_REPLY);
            DigestPage page = changed.apply(new DigestPage(SIZE, firstPiece, root, digests.subList((int) firstPiece, end), DigestScheme.FLAT));
            if (page == null) {
                throw new MirrorException(ServerFailure.Kind.NOT_FOUND, "server says \"no such file\"");
            }
            return page;
        }

        @Override
        public Holding hold(String fileName, boolean wantDigests) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Transfer open(String fileName, ByteRange range) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void holdsEveryPiecesDigestFromThePagesOfSeveralMirrors() throws Exception {
        DigestBook book = DigestBook.fetch("a.bin", SIZE, PIECE_LENGTH, DigestScheme.FLAT, List.of(new Pages(1), new Pages(2)), null);

        assertThat(book.root()).isEqualTo(ROOT);
        for (int piece = 0; piece < PIECES; piece++) {
            assertThat(book.matches(piece, DIGESTS.get(piece).bytes())).isTrue();
            assertThat(book.matches(piece, DIGESTS.get((piece + 1) % PIECES).bytes())).isFalse();
        }
    }

    @Test
    void asksAnotherMirrorForAPageOneCannotGive() throws Exception {
        Pages refusing = new Pages(ServerAddress.of("127.0.0.1", 1), DIGESTS, ROOT, page -> null);

        DigestBook book = DigestBook.fetch("a.bin", SIZE, PIECE_LENGTH, DigestScheme.FLAT, List.of(refusing, new Pages(2)), null);

        assertThat(book.root()).isEqualTo(ROOT);
    }

    @Test
    void refusesAPageOfAnotherFirstPieceOrSizeAndAsksTheNextMirror() throws Exception {
        Pages shifted = new Pages(ServerAddress.of("127.0.0.1", 1), DIGESTS, ROOT,
                page -> new DigestPage(page.fileSize() + 1, page.firstPiece(), page.root(), page.digests(), page.scheme()));

        assertThat(DigestBook.fetch("a.bin", SIZE, PIECE_LENGTH, DigestScheme.FLAT, List.of(shifted, new Pages(2)), null).root()).isEqualTo(ROOT);
        assertThatThrownBy(() -> DigestBook.fetch("a.bin", SIZE, PIECE_LENGTH, DigestScheme.FLAT, List.of(shifted), null))
                .isInstanceOf(DigestBook.UnavailableException.class)
                .hasMessageContaining("no server sent the digests of pieces from 0");
    }

    @Test
    void refusesPagesOfTwoVersionsOfTheFile() {
        List<Digest> other = digests(1);
        Pages newer = new Pages(ServerAddress.of("127.0.0.1", 2), other, Digest.rootOf(other), UnaryOperator.identity());

        // Page 0 from the first mirror, page 1 from the second: two roots.
        assertThatThrownBy(() -> DigestBook.fetch("a.bin", SIZE, PIECE_LENGTH, DigestScheme.FLAT, List.of(new Pages(1), newer), null))
                .isInstanceOf(DigestBook.UnavailableException.class).hasMessageContaining("two versions of the file");
    }

    @Test
    void refusesDigestsThatDoNotAddUpToTheirRoot() {
        Pages lying = new Pages(ServerAddress.of("127.0.0.1", 1), digests(1), ROOT, UnaryOperator.identity());

        assertThatThrownBy(() -> DigestBook.fetch("a.bin", SIZE, PIECE_LENGTH, DigestScheme.FLAT, List.of(lying), null))
                .isInstanceOf(DigestBook.UnavailableException.class).hasMessageContaining("do not add up to their root");
    }

    @Test
    void takesTheFirstPageItHasInHandWithoutAskingForIt() throws Exception {
        DigestPage known = new DigestPage(SIZE, 0, ROOT, DIGESTS.subList(0, Frame.MAX_DIGESTS_PER_REPLY), DigestScheme.FLAT);
        List<Long> asked = new ArrayList<>();
        Pages counting = new Pages(ServerAddress.of("127.0.0.1", 1), DIGESTS, ROOT, page -> {
            synchronized (asked) {
                asked.add(page.firstPiece());
            }
            return page;
        });

        DigestBook.fetch("a.bin", SIZE, PIECE_LENGTH, DigestScheme.FLAT, List.of(counting), known);

        assertThat(asked).doesNotContain(0L).hasSize(2);
    }

    @Test
    void refusesPagesOfTheOtherKindOfDigests() {
        Pages flat = new Pages(1);

        assertThatThrownBy(() -> DigestBook.fetch("a.bin", SIZE, PIECE_LENGTH, DigestScheme.TREE, List.of(flat), null))
                .isInstanceOf(DigestBook.UnavailableException.class).hasMessageContaining("FLAT digests where TREE digests");
    }

    @Test
    void checksATreesPiecesWithADigesterThatHashesTheirBytesAsTheyCome() throws Exception {
        byte[] file = new byte[5 * 16384 + 100];
        new java.util.Random(9).nextBytes(file);
        chunk.wire.tree.TreeHasher hasher = new chunk.wire.tree.TreeHasher(file.length);
        hasher.update(file, 0, file.length);
        chunk.wire.tree.DigestTree tree = hasher.finish();
        int pieceLength = 32768;
        List<Digest> pieces = tree.pieces(pieceLength, 0, (int) tree.pieceCount(pieceLength));

        DigestBook book = DigestBook.fetch("a.bin", file.length, pieceLength, DigestScheme.TREE, List.of(new TreeMirror(pieces,
                tree.root(), file.length)), null);

        assertThat(book.root()).isEqualTo(tree.root());
        var digester = book.digester();
        for (int piece = 0; piece < pieces.size(); piece++) {
            int from = piece * pieceLength;
            digester.update(java.nio.ByteBuffer.wrap(file, from, Math.min(pieceLength, file.length - from)));
            assertThat(book.matches(piece, digester.finish())).as("piece %d", piece).isTrue();
        }
    }

    /** A mirror of this round: its pages are of the digest tree. */
    private record TreeMirror(List<Digest> pieces, Digest root, long size) implements Mirror {
        @Override
        public ServerAddress address() {
            return ServerAddress.of("127.0.0.1", 1);
        }

        @Override
        public DigestPage digests(String fileName, long firstPiece, int pieceLength) {
            int end = (int) Math.min(pieces.size(), firstPiece + Frame.MAX_DIGESTS_PER_REPLY);
            return new DigestPage(size, firstPiece, root, pieces.subList((int) firstPiece, end), DigestScheme.TREE);
        }

        @Override
        public Holding hold(String fileName, boolean wantDigests) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Transfer open(String fileName, ByteRange range) {
            throw new UnsupportedOperationException();
        }
    }
}
