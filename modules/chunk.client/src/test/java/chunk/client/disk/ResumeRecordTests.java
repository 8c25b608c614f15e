package chunk.client.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResumeRecordTests {

    private static final int PIECE = 1 << 18;

    private static ResumeRecord record(long size, byte[] root, int... done) {
        BitSet bits = new BitSet();
        for (int piece : done) {
            bits.set(piece);
        }
        return new ResumeRecord(size, PIECE, root, "sub/data.bin", bits);
    }

    private static byte[] root() {
        byte[] root = new byte[32];
        new Random(7).nextBytes(root);
        return root;
    }

    @Nested
    class AnIntactRecord {

        @Test
        void readsBackAsItWasWritten() throws Exception {
            ResumeRecord original = record(10L * PIECE + 5, root(), 0, 3, 10);
            assertThat(ResumeRecord.decode(original.encode())).isEqualTo(original);
        }

        @Test
        void withoutARootReadsBackWithoutOne() throws Exception {
            ResumeRecord original = record(3L * PIECE, null, 1);
            ResumeRecord read = ResumeRecord.decode(original.encode());
            assertThat(read.root()).isNull();
            assertThat(read).isEqualTo(original);
        }

        @Test
        void countsTheShortLastPieceByItsRealLength() {
            assertThat(record(2L * PIECE + 5, null, 0, 2).doneBytes()).isEqualTo(PIECE + 5);
        }

        @Test
        void ofAnEmptyFileHasNoPieces() throws Exception {
            ResumeRecord empty = record(0, null);
            assertThat(ResumeRecord.decode(empty.encode()).pieceCount()).isZero();
        }
    }

    @Nested
    class ARecordOfAnOlderMyclient {

        /** {@code record} encoded as version {@code version} wrote it (the same fields: versions 2 and 3 differ in their root). */
        private byte[] asVersion(ResumeRecord record, int version) {
            byte[] bytes = record.encode();
            ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(version);
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - 4);
            ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
            return bytes;
        }

        @Test
        void withAFlatRootIsNotBelievedAndSaysWhy() {
            byte[] roundTwo = asVersion(record(10L * PIECE, root(), 1, 2), ResumeRecord.VERSION_WITH_FLAT_ROOT);

            assertThatThrownBy(() -> ResumeRecord.decode(roundTwo)).isInstanceOf(ResumeRecord.DamagedException.class)
                    .hasMessage("it was made by an older myclient, which named the file by another kind of root");
        }

        @Test
        void withoutARootIsRead() throws Exception {
            ResumeRecord record = record(10L * PIECE, null, 1, 2);

            assertThat(ResumeRecord.decode(asVersion(record, ResumeRecord.VERSION_WITH_FLAT_ROOT))).isEqualTo(record);
        }
    }

    @Nested
    class ADamagedRecordIsNeverBelieved {

        private final byte[] bytes = record(40L * PIECE + 1, root(), 0, 1, 2, 39, 40).encode();

        @Test
        void cutShortAtAnyLength() {
            for (int length = 0; length < bytes.length; length++) {
                byte[] cut = Arrays.copyOf(bytes, length);
                assertThatThrownBy(() -> ResumeRecord.decode(cut)).as("cut to %d bytes", length)
                        .isInstanceOf(ResumeRecord.DamagedException.class);
            }
        }

        @Test
        void withOneBitFlippedAnywhere() {
            for (int bit = 0; bit < bytes.length * 8; bit++) {
                byte[] flipped = bytes.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                int at = bit;
                assertThatThrownBy(() -> ResumeRecord.decode(flipped)).as("bit %d flipped", at)
                        .isInstanceOf(ResumeRecord.DamagedException.class);
            }
        }

        @Test
        void zeroed() {
            assertThatThrownBy(() -> ResumeRecord.decode(new byte[bytes.length]))
                    .isInstanceOf(ResumeRecord.DamagedException.class).hasMessageContaining("not a resume record");
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3, 4, 5})
        void ofRandomBytes(int seed) {
            byte[] noise = new byte[bytes.length];
            new Random(seed).nextBytes(noise);
            assertThatThrownBy(() -> ResumeRecord.decode(noise)).isInstanceOf(ResumeRecord.DamagedException.class);
        }

        @Test
        void withTheRightMagicButRandomBytesAfterIt() {
            byte[] noise = new byte[bytes.length];
            new Random(9).nextBytes(noise);
            System.arraycopy(bytes, 0, noise, 0, 8);
            assertThatThrownBy(() -> ResumeRecord.decode(noise)).isInstanceOf(ResumeRecord.DamagedException.class)
                    .hasMessageContaining("checksum");
        }

        @Test
        void withBytesAppended() {
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            assertThatThrownBy(() -> ResumeRecord.decode(longer)).isInstanceOf(ResumeRecord.DamagedException.class);
        }
    }

    @Nested
    class TheRecordFile {

        @TempDir
        Path folder;

        @Test
        void isReplacedWholeAndLeavesNoTemporaryFile() throws Exception {
            ResumeFile file = new ResumeFile(folder.resolve("data.bin.part"));
            file.create(record(4L * PIECE, null), true);
            file.write(record(4L * PIECE, null, 0), true);
            file.write(record(4L * PIECE, null, 0, 1), true);
            file.close();

            assertThat(new ResumeFile(folder.resolve("data.bin.part")).read())
                    .isEqualTo(new ResumeFile.Found.Intact(record(4L * PIECE, null, 0, 1)));
            try (var names = Files.list(folder)) {
                assertThat(names.map(p -> p.getFileName().toString())).containsExactly("data.bin.part.resume");
            }
        }

        @Test
        void keepsThePreviousRecordWhenTheSlotBeingWrittenIsTorn() throws Exception {
            Path part = folder.resolve("data.bin.part");
            try (ResumeFile file = new ResumeFile(part)) {
                file.create(record(4L * PIECE, null), true);
                file.write(record(4L * PIECE, null, 0), true); // sequence 2, the second slot
                file.write(record(4L * PIECE, null, 0, 1), true); // sequence 3, the first slot
            }
            Path path = folder.resolve("data.bin.part.resume");
            byte[] bytes = Files.readAllBytes(path);
            for (int i = 20; i < 60; i++) {
                bytes[i] = 0; // a crash in the middle of writing the first slot
            }
            Files.write(path, bytes);

            assertThat(new ResumeFile(part).read()).isEqualTo(new ResumeFile.Found.Intact(record(4L * PIECE, null, 0)));
        }

        @Test
        void continuesInTheOtherSlotAfterItIsReadAgain() throws Exception {
            Path part = folder.resolve("data.bin.part");
            try (ResumeFile file = new ResumeFile(part)) {
                file.create(record(4L * PIECE, null), true);
                file.write(record(4L * PIECE, null, 0), true);
            }
            try (ResumeFile again = new ResumeFile(part)) {
                assertThat(again.read()).isInstanceOf(ResumeFile.Found.Intact.class);
                again.write(record(4L * PIECE, null, 0, 2), true);
            }
            assertThat(new ResumeFile(part).read()).isEqualTo(new ResumeFile.Found.Intact(record(4L * PIECE, null, 0, 2)));
        }

        @Test
        void thatIsMissingIsNothing() {
            assertThat(new ResumeFile(folder.resolve("data.bin.part")).read()).isEqualTo(new ResumeFile.Found.Nothing());
        }

        @Test
        void thatIsEmptyIsDamaged() throws IOException {
            Files.write(folder.resolve("data.bin.part.resume"), new byte[0]);
            assertThat(new ResumeFile(folder.resolve("data.bin.part")).read())
                    .isEqualTo(new ResumeFile.Found.Damaged("it is empty"));
        }
    }
}
