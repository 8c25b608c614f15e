package chunk.client.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartFileTests {

    @TempDir
    Path folder;

    @Test
    void aBufferLargerThanOneWriteLandsWholeAtItsPositionAndIsLeftConsumed() throws Exception {
        byte[] data = new byte[300_000]; // several of the writes PartFile hands to the kernel
        new Random(7).nextBytes(data);
        ByteBuffer buffer = ByteBuffer.allocateDirect(data.length + 100);
        buffer.put(data).flip();
        Path target = folder.resolve("file.bin");

        try (PartFile part = PartFile.create(target, 1000 + data.length)) {
            part.write(buffer, 1000);
            part.commit(target, false, false);
        }

        assertThat(buffer.position()).isEqualTo(data.length);
        assertThat(buffer.limit()).as("the caller's limit is left as it was").isEqualTo(data.length);
        byte[] written = Files.readAllBytes(target);
        assertThat(written).hasSize(1000 + data.length);
        assertThat(Arrays.copyOfRange(written, 0, 1000)).containsOnly(0);
        assertThat(Arrays.copyOfRange(written, 1000, written.length)).isEqualTo(data);
        assertThat(PartFile.partPathFor(target)).doesNotExist();
    }

    @Test
    void commitWithoutReplaceLeavesAnExistingFileAndThePartFileAlone() throws Exception {
        Path target = folder.resolve("taken.bin");
        Files.writeString(target, "someone else's");
        Path partPath = PartFile.partPathFor(target);

        try (PartFile part = PartFile.create(target, 3)) {
            part.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
            assertThatThrownBy(() -> part.commit(target, false, false)).isInstanceOf(FileAlreadyExistsException.class);
        }

        assertThat(target).hasContent("someone else's");
        assertThat(partPath).hasBinaryContent(new byte[] {1, 2, 3});
    }

    @Test
    void aClaimChangesNothingInAPartFileThatIsThere() throws Exception {
        Path target = folder.resolve("kept.bin");
        Files.writeString(PartFile.partPathFor(target), "bytes of an earlier run");

        try (PartFile part = PartFile.claim(target)) {
            assertThat(part.path()).hasContent("bytes of an earlier run");
        }
    }

    @Test
    void aSecondClaimOnTheSameOutputIsRefusedUntilTheFirstIsClosed() throws Exception {
        Path target = folder.resolve("one-owner.bin");

        try (PartFile first = PartFile.claim(target)) {
            assertThat(first.path()).exists();
            assertThatThrownBy(() -> PartFile.claim(target)).isInstanceOf(PartFile.InUseException.class)
                    .hasMessageContaining("one-owner.bin.part is locked by another download");
        }
        try (PartFile again = PartFile.claim(target)) {
            assertThat(again.path()).isEqualTo(PartFile.lockFor(target));
        }
    }

    @Test
    void theLockHolderIsReadFromProcLocksByInode() {
        List<String> procLocks = List.of(
                "1: POSIX  ADVISORY  WRITE 4242 08:03:1234 0 EOF",
                "1: -> POSIX  ADVISORY  WRITE 5151 08:03:99 0 EOF",
                "2: FLOCK  ADVISORY  WRITE 777 00:2d:99 0 EOF");

        assertThat(LockHolder.holderOf(1234, procLocks)).contains(4242L);
        assertThat(LockHolder.holderOf(99, procLocks)).as("a waiter is skipped").contains(777L);
        assertThat(LockHolder.holderOf(5, procLocks)).isEmpty();
    }
}
