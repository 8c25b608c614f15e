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
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@code <name>.part} file a download writes into. It is sized up front; chunks write at
 * their own positions ({@code pwrite}), one write at a time; only a complete file is flushed
 * and renamed to its final name, in one atomic step.
 */
final class PartFile implements AutoCloseable {

    /**
     * The most one {@code pwrite} hands to the kernel. Larger writes make Linux put the page
     * cache in large folios, and on a virtual machine that gives free memory back to its host
     * (virtio-balloon free page reporting, as on the machines we measure on) those come from
     * memory the host must fault in again: 1 GiB in 256 KiB writes took 2.0-3.0 s there,
     * in 32 KiB writes 1.1-1.3 s, and the two are the same where memory is not given back.
     */
    private static final int WRITE_SLICE = 32 * 1024;

    private final Path path;
    private final FileChannel channel;
    /**
     * Lets one chunk write at a time. The kernel serialises buffered writes to one file anyway
     * (ext4 holds the inode's lock for each), but its waiters spin on the CPU for it; here they
     * park, and the sockets keep filling the other chunks' buffers meanwhile. Measured on the
     * 2-core reference machine, 1 GiB in 4 chunks: client CPU 3.5 s to 1.6 s, wall time 2.1 s to
     * 1.2 s (median of 5 and 4 runs, docs/BENCHMARKS.md); perf showed the difference in
     * {@code rwsem_spin_on_owner}.
     */
    private final ReentrantLock oneWriter = new ReentrantLock();

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
        return create(path, size, false);
    }

    /**
     * Creates the part file, or opens the one there, and gives it {@code size} bytes; with
     * {@code keep} the bytes already in it stay (a resumed download), else it is emptied first.
     *
     * @throws IOException if it cannot be created or sized
     */
    static PartFile create(Path path, long size, boolean keep) throws IOException {
        // NOFOLLOW_LINKS: a symlink planted at the .part name must not redirect our writes.
        FileChannel channel = keep
                ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
                : FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        try {
            if (channel.size() > size) {
                channel.truncate(size);
            }
            if (size > 0 && channel.size() < size) {
                // One byte at the end sizes the file (sparse where the file system allows); a
                // kept file of the right size is not touched, its last byte may be data.
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
        oneWriter.lock();
        try {
            long at = position;
            int end = data.limit();
            try {
                while (data.position() < end) {
                    data.limit(Math.min(end, data.position() + WRITE_SLICE));
                    at += channel.write(data, at);
                }
            } finally {
                data.limit(end);
            }
        } catch (IOException e) {
            throw new LocalWriteException(path, e);
        } finally {
            oneWriter.unlock();
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
            syncFolder(target);
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

    /** Makes a rename to {@code target} durable; best effort, as not every system can sync a folder. */
    static void syncFolder(Path target) {
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
