package chunk.client.disk;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.Waits;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The resume record kept up to date from the pieces their owner says are done. */
@Timeout(30)
class ResumeWriterTests {

    private static final int PIECE = 1 << 12;
    private static final long SIZE = 10L * PIECE - 7;

    @TempDir
    Path folder;

    /** The pieces done, as the piece map would give them: a copy each time. */
    private final BitSet done = new BitSet();

    private synchronized BitSet done() {
        return (BitSet) done.clone();
    }

    private synchronized void markDone(int piece) {
        done.set(piece);
    }

    private ResumeRecord saved(Path part) {
        ResumeFile.Found found = new ResumeFile(part).read();
        assertThat(found).isInstanceOf(ResumeFile.Found.Intact.class);
        return ((ResumeFile.Found.Intact) found).record();
    }

    @Test
    void recordsThePiecesDoneAtEachSaveAndSaysHowManyBytesThatIs() throws Exception {
        Path target = folder.resolve("data.bin");
        try (PartFile part = PartFile.create(target, SIZE)) {
            ResumeRecord start = new ResumeRecord(SIZE, PIECE, null, "data.bin", new BitSet());
            ResumeFile file = new ResumeFile(part.path());
            file.create(start, false);
            try (ResumeWriter writer = new ResumeWriter(file, start, part.path(), false, this::done)) {
                markDone(0);
                markDone(9);
                writer.save();

                assertThat(saved(part.path()).done()).isEqualTo(done());
                assertThat(writer.savedBytes()).as("a whole piece and the short last one").isEqualTo(PIECE + PIECE - 7);
            }
        }
    }

    @Test
    void savesOnItsOwnSoonAfterPiecesAreDone() throws Exception {
        Path target = folder.resolve("data.bin");
        try (PartFile part = PartFile.create(target, SIZE)) {
            ResumeRecord start = new ResumeRecord(SIZE, PIECE, null, "data.bin", new BitSet());
            ResumeFile file = new ResumeFile(part.path());
            file.create(start, false);
            try (ResumeWriter writer = new ResumeWriter(file, start, part.path(), false, this::done)) {
                markDone(3);
                writer.piecesDone();

                Waits.until("a save in the background", () -> writer.savedBytes() > 0);
                assertThat(writer.savedBytes()).isEqualTo(PIECE);
                assertThat(saved(part.path()).done().get(3)).isTrue();
            }
        }
    }

    @Test
    void closingItKeepsTheLastRecordSavedAndAddsNothing() throws Exception {
        Path target = folder.resolve("data.bin");
        try (PartFile part = PartFile.create(target, SIZE)) {
            BitSet resumed = new BitSet();
            resumed.set(1);
            ResumeRecord start = new ResumeRecord(SIZE, PIECE, null, "data.bin", resumed);
            ResumeFile file = new ResumeFile(part.path());
            file.create(start, false);
            markDone(1);
            ResumeWriter writer = new ResumeWriter(file, start, part.path(), false, this::done);
            markDone(2);

            writer.close();

            assertThat(saved(part.path()).done()).isEqualTo(resumed);
        }
    }
}
