package chunk.client.verify;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.net.DigestScheme;
import chunk.client.plan.PieceDigester;
import chunk.client.plan.PieceMap;
import chunk.wire.Digest;
import chunk.wire.tree.TreeHasher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PieceCheckTests {

    /** The shortest piece both kinds of digests have: a block of the digest tree. */
    private static final int PIECE = 16384;
    private static final int SIZE = 50 * PIECE + 123;

    @TempDir
    Path folder;

    private final byte[] original = new byte[SIZE];

    /** The digests of the original's pieces, as servers would offer them: each piece's SHA-256, or its node of the tree. */
    private PieceMap.Digests digests(DigestScheme scheme) {
        byte[][] all = new byte[51][];
        if (scheme == DigestScheme.TREE) {
            TreeHasher tree = new TreeHasher(SIZE);
            tree.update(original, 0, SIZE);
            List<Digest> pieces = tree.finish().pieces(PIECE, 0, all.length);
            for (int piece = 0; piece < all.length; piece++) {
                all[piece] = pieces.get(piece).bytes();
            }
        } else {
            for (int piece = 0; piece < all.length; piece++) {
                int from = piece * PIECE;
                all[piece] = Digest.of(Arrays.copyOfRange(original, from, Math.min(from + PIECE, SIZE))).bytes();
            }
        }
        return new PieceMap.Digests() {
            @Override
            public boolean matches(int piece, byte[] digest) {
                return Arrays.equals(all[piece], digest);
            }

            @Override
            public PieceDigester digester() {
                return DigestBook.digester(scheme, SIZE, PIECE);
            }
        };
    }

    private BitSet allDone() {
        BitSet done = new BitSet();
        done.set(0, 51);
        return done;
    }

    @ParameterizedTest
    @EnumSource(DigestScheme.class)
    void keepsThePiecesThatMatchAndDropsTheOnesDamagedOnDisk(DigestScheme scheme) throws Exception {
        new Random(1).nextBytes(original);
        byte[] onDisk = original.clone();
        onDisk[7 * PIECE + 5] ^= 1;
        onDisk[SIZE - 1] ^= (byte) 0x80; // the short last piece
        Path part = Files.write(folder.resolve("data.bin.part"), onDisk);

        for (int threads : new int[] {1, 2, 3}) {
            BitSet good = PieceCheck.stillGood(part, SIZE, PIECE, allDone(), digests(scheme), threads);

            BitSet expected = allDone();
            expected.clear(7);
            expected.clear(50);
            assertThat(good).as("with %d threads", threads).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(DigestScheme.class)
    void checksOnlyThePiecesTheRecordNames(DigestScheme scheme) throws Exception {
        new Random(2).nextBytes(original);
        Path part = Files.write(folder.resolve("data.bin.part"), original);
        BitSet some = new BitSet();
        some.set(3);
        some.set(40, 45);

        assertThat(PieceCheck.stillGood(part, SIZE, PIECE, some, digests(scheme), 2)).isEqualTo(some);
    }

    @ParameterizedTest
    @EnumSource(DigestScheme.class)
    void dropsPiecesPastTheEndOfAShortPartFile(DigestScheme scheme) throws Exception {
        new Random(3).nextBytes(original);
        Path part = Files.write(folder.resolve("data.bin.part"), Arrays.copyOf(original, 10 * PIECE));

        BitSet expected = new BitSet();
        expected.set(0, 10);
        assertThat(PieceCheck.stillGood(part, SIZE, PIECE, allDone(), digests(scheme), 2)).isEqualTo(expected);
    }
}
