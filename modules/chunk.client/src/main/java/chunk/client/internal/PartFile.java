package chunk.client.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The {@code <name>.part} file a download writes into. It is sized up front; chunks write at
 * their own positions concurrently ({@code pwrite}, no lock); only a complete file is flushed
 * and renamed to its final name, in one atomic step.
 */
final class PartFile implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;

    private PartFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** The part file for {@code target}: {@code target.part}, in the same folder. */
    static Path partPathFor(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * Creates (or empties) the part file and gives it {@code size} bytes.
     *
     * @throws IOException if it cannot be created or sized
     */
    static PartFile create(Path path, long size) throws IOException {
        // NOFOLLOW_LINKS: a symlink planted at the .part name must not redirect our writes.
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        try {
            if (size > 0) {
                // One byte at the end sizes the file (sparse where the file system allows).
                ByteBuffer last = ByteBuffer.allocate(1);
                while (last.hasRemaining()) {
                    channel.write(last, size - 1);
                }
            }
            return new PartFile(path, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    /** Writes all of {@code data} at {@code position}. Safe to call from many threads at once. */
    void write(ByteBuffer data, long position) throws LocalWriteException {
        try {
            long at = position;
            while (data.hasRemaining()) {
                at += channel.write(data, at);
            }
        } catch (IOException e) {
            throw new LocalWriteException(path, e);
        }
    }

    /**
     * Flushes the data (if {@code fsync}), closes the file and renames it to {@code target}.
     * Without {@code replace} an existing target is left alone and this fails.
     *
     * @throws FileAlreadyExistsException if the target exists and {@code replace} is false
     * @throws IOException if flushing or renaming fails; the part file is then kept
     */
    void commit(Path target, boolean fsync, boolean replace) throws IOException {
        if (fsync) {
            channel.force(true);
        }
        channel.close();
        if (replace) {
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        } else {
            moveWithoutReplacing(target);
        }
        if (fsync) {
            syncFolderOf(target);
        }
    }

    private void moveWithoutReplacing(Path target) throws IOException {
        // A hard link is created only if the name is free, atomically: nobody's file is replaced
        // even if one appears while we download. Where links are not supported, check then move.
        try {
            Files.createLink(target, path);
            Files.delete(path);
            return;
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString());
            }
        }
        try {
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(path, target);
        }
    }

    /** Makes the rename itself durable; best effort, as not every system can sync a folder. */
    private static void syncFolderOf(Path target) {
        Path folder = target.toAbsolutePath().getParent();
        if (folder == null) {
            return;
        }
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // Not supported here: the data itself is already on disk.
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
