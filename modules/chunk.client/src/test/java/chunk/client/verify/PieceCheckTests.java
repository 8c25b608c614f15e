package chunk.client.verify;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.plan.PieceMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PieceCheckTests {

    private static final int PIECE = 4096;
    private static final int SIZE = 50 * PIECE + 123;

    @TempDir
    Path folder;

    private final byte[] original = new byte[SIZE];

    /** The digests of the original's pieces, as servers would offer them. */
    private PieceMap.Digests digests() throws Exception {
        byte[][] all = new byte[51][];
        for (int piece = 0; piece < all.length; piece++) {
            int from = piece * PIECE;
            all[piece] = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(original, from, Math.min(from + PIECE, SIZE)));
        }
        return (piece, sha256) -> Arrays.equals(all[piece], sha256);
    }

    private BitSet allDone() {
        BitSet done = new BitSet();
        done.set(0, 51);
        return done;
    }

    @Test
    void keepsThePiecesThatMatchAndDropsTheOnesDamagedOnDisk() throws Exception {
        new Random(1).nextBytes(original);
        byte[] onDisk = original.clone();
        onDisk[7 * PIECE + 5] ^= 1;
        onDisk[SIZE - 1] ^= (byte) 0x80; // the short last piece
        Path part = Files.write(folder.resolve("data.bin.part"), onDisk);

        for (int threads : new int[] {1, 2, 3}) {
            BitSet good = PieceCheck.stillGood(part, SIZE, PIECE, allDone(), digests(), threads);

            BitSet expected = allDone();
            expected.clear(7);
            expected.clear(50);
            assertThat(good).as("with %d threads", threads).isEqualTo(expected);
        }
    }

    @Test
    void checksOnlyThePiecesTheRecordNames() throws Exception {
        new Random(2).nextBytes(original);
        Path part = Files.write(folder.resolve("data.bin.part"), original);
        BitSet some = new BitSet();
        some.set(3);
        some.set(40, 45);

        assertThat(PieceCheck.stillGood(part, SIZE, PIECE, some, digests(), 2)).isEqualTo(some);
    }

    @Test
    void dropsPiecesPastTheEndOfAShortPartFile() throws Exception {
        new Random(3).nextBytes(original);
        Path part = Files.write(folder.resolve("data.bin.part"), Arrays.copyOf(original, 10 * PIECE));

        BitSet expected = new BitSet();
        expected.set(0, 10);
        assertThat(PieceCheck.stillGood(part, SIZE, PIECE, allDone(), digests(), 2)).isEqualTo(expected);
    }
}
