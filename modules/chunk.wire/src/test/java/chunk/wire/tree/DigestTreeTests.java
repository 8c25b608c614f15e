package chunk.wire.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import chunk.wire.Digest;
import chunk.wire.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTreeTests {

    private static final int KIB = 1024;

    static List<TreeVectors> vectors() {
        List<TreeVectors> vectors = TreeVectors.loadAll();
        assertThat(vectors).as("the committed vectors, or the test tests nothing").hasSizeGreaterThanOrEqualTo(8);
        return vectors;
    }

    /** Every piece length a client may ask the tree for: 16 KiB to the protocol's largest. */
    static LongStream clientPieceLengths() {
        return LongStream.iterate(DigestTree.MIN_PIECE_LENGTH, l -> l <= Frame.MAX_PIECE_LENGTH, l -> l * 2);
    }

    /** The tree of {@code data}, fed in slices of {@code slice} bytes from a direct buffer, as a socket or file read would. */
    static DigestTree hashInSlices(byte[] data, int slice) {
        TreeHasher hasher = new TreeHasher(data.length);
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, slice));
        for (int offset = 0; offset < data.length; offset += slice) {
            int n = Math.min(slice, data.length - offset);
            buffer.clear().put(data, offset, n).flip();
            hasher.update(buffer);
            assertThat(buffer.hasRemaining()).isFalse();
        }
        return hasher.finish();
    }

    /** All pieces at {@code length}, asked for in pages of the protocol's 126, as a server answers them. */
    static List<Digest> allPieces(DigestTree tree, long length) {
        List<Digest> all = new ArrayList<>();
        long count = tree.pieceCount(length);
        for (long first = 0; first < count; first += Frame.MAX_DIGESTS_PER_REPLY) {
            all.addAll(tree.pieces(length, first, (int) Math.min(Frame.MAX_DIGESTS_PER_REPLY, count - first)));
        }
        return all;
    }

    /** Each piece's digest from its bytes, as a client computes it. */
    static List<Digest> piecesFromBytes(byte[] data, long length) {
        PieceHasher hasher = new PieceHasher(data.length, length);
        List<Digest> digests = new ArrayList<>();
        for (long offset = 0; offset < data.length; offset += length) {
            int end = (int) Math.min(data.length, offset + length);
            // In two uneven parts, so that a part ends inside a block.
            int middle = (int) Math.min(end, offset + 5000);
            hasher.update(data, (int) offset, middle - (int) offset);
            hasher.update(ByteBuffer.wrap(data, middle, end - middle));
            digests.add(hasher.finish());
        }
        return digests;
    }

    @Nested
    class AsLibtorrentComputesIt {

        @ParameterizedTest(name = "{0}")
        @MethodSource("chunk.wire.tree.DigestTreeTests#vectors")
        void theRootIsBep52sPiecesRoot(TreeVectors vector) {
            byte[] data = TreeVectors.content((int) vector.size());

            assertThat(hashInSlices(data, 64 * KIB).root()).isEqualTo(vector.root());
            assertThat(hashInSlices(data, 1000).root()).isEqualTo(vector.root());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("chunk.wire.tree.DigestTreeTests#vectors")
        void everyPieceLayerIsLibtorrentsAndAFileOfOnePieceHasItsRootAsThePiece(TreeVectors vector) {
            byte[] data = TreeVectors.content((int) vector.size());
            DigestTree tree = hashInSlices(data, 1 << 20);
            assertThat(vector.layers()).as("libtorrent's layers, or the test tests nothing").isNotEmpty();

            clientPieceLengths().forEach(length -> {
                List<Digest> expected = vector.layers().getOrDefault(length, List.of());
                if (expected.isEmpty()) { // libtorrent writes no layer for a file of one piece
                    assertThat(tree.pieceCount(length)).as("pieces of %d", length).isEqualTo(1);
                    expected = List.of(vector.root());
                }
                assertThat(allPieces(tree, length)).as("layer at %d", length).isEqualTo(expected);
                assertThat(piecesFromBytes(data, length)).as("pieces hashed at %d", length).isEqualTo(expected);
                assertThat(DigestTree.rootOfPieces(vector.size(), length, expected)).isEqualTo(vector.root());
            });
        }

        @Test
        void theVectorsAreTheSizesAroundABlockAndSomeMebibytes() {
            assertThat(vectors()).extracting(TreeVectors::size)
                    .contains(1L, 16L * KIB - 1, 16L * KIB, 16L * KIB + 1, (1L << 20) + 7, 4L << 20);
        }
    }

    @Nested
    class SmallAndEmptyFiles {

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 100, 16 * KIB - 1, 16 * KIB})
        void aFileOfOneBlockHasTheSha256OfItsBytesAsItsRoot(int size) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);

            assertThat(hashInSlices(data, 777).root()).isEqualTo(Digest.of(data));
        }

        @Test
        void anEmptyFileHasTheSha256OfNothingAsItsRootAndNoPieces() {
            DigestTree tree = new TreeHasher(0).finish();

            assertThat(tree.root()).isEqualTo(DigestTree.EMPTY_ROOT)
                    .isEqualTo(Digest.fromHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
            assertThat(tree.pieceCount(16 * KIB)).isZero();
            assertThat(tree.pieces(16 * KIB, 0, 0)).isEmpty();
            assertThat(DigestTree.rootOfPieces(0, 16 * KIB, List.of())).isEqualTo(DigestTree.EMPTY_ROOT);
            assertThatIllegalArgumentException().isThrownBy(() -> new PieceHasher(0, 16 * KIB));
        }
    }

    @Nested
    class KeptLayers {

        private final byte[] data = TreeVectors.content((3 << 20) + 12345);
        private final DigestTree leaves = hashInSlices(data, 1 << 16);

        @Test
        void aHigherLayerKeepsTheRootAndAnswersThePiecesAboveIt() {
            DigestTree higher = leaves.keepingLayer(3); // 128 KiB pieces

            assertThat(higher.root()).isEqualTo(leaves.root());
            assertThat(higher.layerBytes()).as("ceil(193 blocks / 8) nodes").isEqualTo(25 * 32);
            assertThat(higher.hasPiecesOf(128 * KIB)).isTrue();
            assertThat(allPieces(higher, 128 * KIB)).isEqualTo(allPieces(leaves, 128 * KIB));
            assertThat(allPieces(higher, 1 << 20)).isEqualTo(allPieces(leaves, 1 << 20));
            assertThat(higher.hasPiecesOf(64 * KIB)).isFalse();
            assertThatIllegalStateException().isThrownBy(() -> higher.pieces(64 * KIB, 0, 1));
            assertThat(higher.hasPiecesOf(4L << 20)).as("one piece: the root").isTrue();
        }

        @Test
        void aHasherBoundToASmallLayerKeepsAHigherOneWithTheSameRoot() {
            TreeHasher hasher = new TreeHasher(data.length, 4 * KIB); // 128 nodes: 199 leaves do not fit, 100 do
            hasher.update(data, 0, data.length);
            DigestTree tree = hasher.finish();

            assertThat(tree.layerHeight()).isEqualTo(1);
            assertThat(tree.root()).isEqualTo(leaves.root());
            assertThat(allPieces(tree, 32 * KIB)).isEqualTo(allPieces(leaves, 32 * KIB));
        }

        @Test
        void aStoredLayerGivesBackTheSameTreeAndADamagedOneAnotherRoot() {
            byte[] layer = leaves.layer();
            assertThat(DigestTree.fromLayer(data.length, 0, layer).root()).isEqualTo(leaves.root());

            assertThat(DigestTree.fromLayer(data.length, 0, layer, leaves.root()).pieces(1 << 20, 0, 4))
                    .as("a root kept beside its layer, not computed again").isEqualTo(leaves.pieces(1 << 20, 0, 4));

            layer[1000] ^= 1;
            assertThat(DigestTree.fromLayer(data.length, 0, layer).root()).isNotEqualTo(leaves.root());
            assertThatIllegalArgumentException().isThrownBy(() -> DigestTree.fromLayer(data.length + 16 * KIB, 0, layer));
            assertThatIllegalArgumentException().isThrownBy(() -> DigestTree.fromLayer(data.length, 9, new byte[32]));
        }
    }

    @Nested
    class Refusals {

        @ParameterizedTest
        @ValueSource(longs = {0, 4096, 8192, 3 * 16 * 1024, -16384})
        void aPieceLengthThatIsNotANodeIsRefused(long length) {
            DigestTree tree = hashInSlices(new byte[1], 1);

            assertThat(DigestTree.isPieceLength(length)).isFalse();
            assertThatIllegalArgumentException().isThrownBy(() -> tree.pieceCount(length));
            assertThatIllegalArgumentException().isThrownBy(() -> new PieceHasher(1, length));
        }

        @Test
        void piecesOutsideTheFileAreRefused() {
            DigestTree tree = hashInSlices(new byte[100 * KIB], 4096); // 7 pieces of 16 KiB

            assertThatIllegalArgumentException().isThrownBy(() -> tree.pieces(16 * KIB, 5, 3));
            assertThatIllegalArgumentException().isThrownBy(() -> tree.pieces(16 * KIB, -1, 1));
            assertThat(tree.pieces(16 * KIB, 7, 0)).isEmpty();
        }

        @Test
        void aHasherTakesExactlyTheSizeItWasGiven() {
            TreeHasher hasher = new TreeHasher(10);
            hasher.update(new byte[6], 0, 6);

            assertThatIllegalStateException().isThrownBy(() -> hasher.update(new byte[5], 0, 5));
            assertThatIllegalStateException().isThrownBy(hasher::finish);
            hasher.update(new byte[4], 0, 4);
            assertThat(hasher.finish().size()).isEqualTo(10);
            assertThatIllegalStateException().isThrownBy(hasher::finish);
        }

        @Test
        void aPieceHasherRefusesMoreThanAPieceAndAPieceOfNothing() {
            PieceHasher hasher = new PieceHasher(1 << 20, 16 * KIB);

            assertThatIllegalStateException().isThrownBy(hasher::finish);
            hasher.update(new byte[16 * KIB], 0, 16 * KIB);
            assertThatIllegalStateException().isThrownBy(() -> hasher.update(new byte[1], 0, 1));
            assertThat(hasher.finish()).isEqualTo(Digest.of(new byte[16 * KIB]));
        }

        @Test
        void aPieceThatBrokeOffIsForgottenByReset() {
            byte[] data = TreeVectors.content((1 << 20) + 7);
            PieceHasher hasher = new PieceHasher(data.length, 64 * KIB);
            hasher.update(data, 0, 40_000); // the first piece, cut short

            hasher.reset();
            hasher.update(data, 0, 64 * KIB);

            assertThat(hasher.finish()).isEqualTo(piecesFromBytes(data, 64 * KIB).getFirst());
        }

        @Test
        void aLayerThatIsNotAWholeFilesIsRefused() {
            assertThatIllegalArgumentException().isThrownBy(() -> DigestTree.rootOfPieces(40 * KIB, 16 * KIB, List.of(DigestTree.EMPTY_ROOT)));
        }
    }
}
