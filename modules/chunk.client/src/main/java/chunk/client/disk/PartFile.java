package chunk.client.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The {@code <name>.part} file a download writes into. The download {@link #claim}s it first:
 * an exclusive lock, held until the file is renamed or closed, makes it the one owner of the
 * output, so that two downloads can never write into one file. It is sized up front; chunks
 * write at their own positions ({@code pwrite}), one write at a time; only a complete file is
 * flushed and renamed to its final name, in one atomic step, still under the lock.
 */
public final class PartFile implements PieceSink, AutoCloseable {

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
    public static Path partPathFor(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * The file whose lock makes a process the one owner of the download into {@code target}:
     * the part file itself. Whatever else a download keeps beside its output ({@code
     * <name>.part.*}, such as a resume record) belongs to whoever holds this lock, and may be
     * created, changed, renamed or deleted only by it.
     */
    static Path lockFor(Path target) {
        return partPathFor(target);
    }

    /** Another process holds the lock on a part file: it is downloading into the same output. */
    public static final class InUseException extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        private final transient Optional<Long> holder;

        InUseException(Path path, Optional<Long> holder) {
            super(path + " is locked by another download" + holder.map(pid -> " (process " + pid + ")").orElse(""));
            this.holder = holder;
        }

        /** The process id of the download that holds the lock, where the system tells it. */
        public Optional<Long> holder() {
            return holder;
        }
    }

    /**
     * Opens the part file for {@code target}, creating it if needed, and takes its lock, which
     * is held until {@link #close}. Nothing in the file is changed: a second download must not
     * destroy the first one's data, and an interrupted download's bytes may still be wanted.
     * The lock is the operating system's ({@code fcntl}), so it ends with the process however
     * the process ends; no stale lock can block a later run.
     *
     * @throws InUseException if another process holds the lock
     * @throws IOException if the file cannot be created or opened
     */
    public static PartFile claim(Path target) throws IOException, InUseException {
        Path path = lockFor(target);
        // The holder renames its part file to the target while it holds the lock. A process that
        // opened the part file's name just before that rename would lock the finished target once
        // the holder lets go; so the lock counts only if the name still means the same file after.
        for (int attempt = 1; ; attempt++) {
            BasicFileAttributes before = attributes(path);
            // NOFOLLOW_LINKS: a symlink planted at the .part name must not redirect our writes.
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    throw new InUseException(path, LockHolder.of(path));
                }
                BasicFileAttributes after = attributes(path);
                // A file made by this open is checked on the next round, as one that was there.
                if (before != null && after != null
                        && (before.fileKey() == null || before.fileKey().equals(after.fileKey()))) {
                    return new PartFile(path, channel);
                }
            } catch (OverlappingFileLockException e) {
                channel.close();
                throw new InUseException(path, Optional.of(ProcessHandle.current().pid()));
            } catch (IOException | InUseException | RuntimeException e) {
                channel.close();
                throw e;
            }
            channel.close();
            if (attempt == 3) {
                throw new IOException("the file keeps being replaced while it is opened");
            }
        }
    }

    private static @Nullable BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Gives the file {@code size} bytes (sparse where the file system allows). Bytes already
     * in it below {@code size} are kept: every chunk overwrites its own range before the
     * rename anyway.
     */
    void size(long size) throws IOException {
        if (channel.size() > size) {
            channel.truncate(size);
        }
        if (size > 0 && channel.size() < size) {
            ByteBuffer last = ByteBuffer.allocate(1);
            while (last.hasRemaining()) {
                channel.write(last, size - 1);
            }
        }
    }

    /**
     * Empties the file, for a download that starts over: its bytes are of no use without the
     * resume record that vouched for them.
     */
    void empty() throws IOException {
        channel.truncate(0);
    }

    /**
     * Creates (or empties) the part file for {@code target} and gives it {@code size} bytes:
     * {@link #claim} and {@link #size} at once, for tests.
     */
    public static PartFile create(Path target, long size) throws IOException, InUseException {
        PartFile part = claim(target);
        try {
            part.empty();
            part.size(size);
            return part;
        } catch (IOException | RuntimeException e) {
            part.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Writes all of {@code data} at {@code position}. Safe to call from many threads at once. */
    @Override
    public void write(ByteBuffer data, long position) throws LocalWriteException {
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
    public void commit(Path target, boolean fsync, boolean replace) throws IOException {
        if (fsync) {
            channel.force(true);
        }
        // Renamed while still locked and open: only the lock's holder may rename (see claim).
        if (replace) {
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        } else {
            moveWithoutReplacing(target);
        }
        channel.close();
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

    /**
     * Makes a rename, creation or deletion of {@code file} durable by flushing its folder; best
     * effort, as not every system can sync a folder.
     */
    public static void syncFolder(Path file) {
        Path folder = file.toAbsolutePath().getParent();
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
