package chunk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

        try (PartFile part = PartFile.create(PartFile.partPathFor(target), 1000 + data.length)) {
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

        try (PartFile part = PartFile.create(partPath, 3)) {
            part.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
            assertThatThrownBy(() -> part.commit(target, false, false)).isInstanceOf(FileAlreadyExistsException.class);
        }

        assertThat(target).hasContent("someone else's");
        assertThat(partPath).hasBinaryContent(new byte[] {1, 2, 3});
    }
}
