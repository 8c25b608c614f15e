package chunk.client.disk;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Keeps a download's resume record up to date. It does not count pieces itself: at each save
 * it takes the pieces done from their one owner (the piece map, through {@code done}), flushes
 * the part file ({@code fdatasync}, unless {@code --no-fsync}) and only then records them. A
 * piece is never recorded before its bytes are on disk, because a piece counts as done only
 * once its bytes are written.
 *
 * <p>Saves run on a thread of their own, so that no chunk waits for a flush: as soon as a piece
 * is done ({@link #piecesDone()}), but at most once every {@link #MIN_INTERVAL_MILLIS}. The
 * flush and the record are done with a file channel of its own, which the cancellation of the
 * chunks' threads (interrupts, which close the channel they are in) cannot close.
 */
public final class ResumeWriter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ResumeWriter.class.getName());

    /**
     * The least time between two saves. A save is one {@code fdatasync} of what was written
     * since the last one, then one in-place write and flush of the record (1.1-1.4 ms on the
     * reference machine); without fsync it is one write (0.06 ms). What a kill loses is what
     * was written since the last save, plus the pieces in flight: in bench/soak, 100 ms lost
     * 384 KB per kill on average, 25 ms 300 KB (44 KB of either is the end-game's duplicate
     * fetching, lost without any kill). Scenario 1 (1 GiB, 4 servers) took as long as without
     * a record at 25 ms, with --no-fsync (median 1.20 s and 1.22 s of 10 runs each) and with
     * fsync (1.06 s and 1.17 s: the saves' flushes spread the writeback over the download,
     * so the final one has less to do). docs/BENCHMARKS.md, "Resume: what the record costs".
     */
    static final long MIN_INTERVAL_MILLIS = 25;

    private final ResumeFile file;
    private final ResumeRecord identity;
    private final Supplier<BitSet> done;
    private final boolean fsync;
    private final FileChannel flusher;
    /** Guards {@link #saved} and the record file: one save at a time. */
    private final ReentrantLock saving = new ReentrantLock();
    /** The record last written; its pieces are the ones on disk for sure. */
    private ResumeRecord saved;
    private final ReentrantLock waiting = new ReentrantLock();
    private final Condition work = waiting.newCondition();
    private boolean pending;
    private final Thread saver;
    private volatile boolean closed;
    private volatile boolean failed;

    /**
     * @param start the identity to record and the pieces already recorded (a resumed download)
     * @param partFile the part file, opened again here for flushing
     * @param done the pieces done now: written, and verified where digests exist
     */
    public ResumeWriter(ResumeFile file, ResumeRecord start, Path partFile, boolean fsync, Supplier<BitSet> done)
            throws IOException {
        this.file = file;
        this.identity = start;
        this.saved = start;
        this.done = done;
        this.fsync = fsync;
        this.flusher = FileChannel.open(partFile, StandardOpenOption.READ);
        this.saver = Thread.ofVirtual().name("resume-record").start(this::saveWhileOpen);
    }

    /** More pieces are done: a save follows soon. */
    public void piecesDone() {
        waiting.lock();
        try {
            pending = true;
            work.signal();
        } finally {
            waiting.unlock();
        }
    }

    /** The bytes of the pieces the record on disk names as done. */
    public long savedBytes() {
        saving.lock();
        try {
            return saved.doneBytes();
        } finally {
            saving.unlock();
        }
    }

    /**
     * Flushes what is written and records the pieces done. Safe to call from any thread, also
     * an interrupted one (the interrupt is kept for the caller).
     *
     * @throws IOException if the part file cannot be flushed or the record not written; the
     *     record on disk is then the previous one
     */
    public void save() throws IOException {
        boolean interrupted = Thread.interrupted(); // an interrupt would close the channel mid-flush
        saving.lock();
        try {
            // Taken before the flush: every piece in it was written before it counted as done.
            BitSet now = done.get();
            if (now.equals(saved.done())) {
                return;
            }
            if (fsync) {
                flusher.force(false);
            }
            ResumeRecord next = identity.withDone(now);
            file.write(next, fsync);
            saved = next;
        } finally {
            saving.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void saveWhileOpen() {
        long last = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MILLIS);
        while (awaitWork(last)) {
            last = System.nanoTime();
            try {
                save();
            } catch (IOException e) {
                // A full disk, most likely: the chunks' own writes will fail and say so, and the
                // final save tries once more. The record on disk is still the previous one.
                if (!failed) {
                    LOG.log(Level.DEBUG, () -> "cannot save the resume record " + file.path() + ": " + e);
                }
                failed = true;
            }
        }
    }

    /** Waits until a save is due (true), at most one every interval since {@code last}, or until closed (false). */
    private boolean awaitWork(long last) {
        waiting.lock();
        try {
            while (!closed) {
                long wait = TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MILLIS) - (System.nanoTime() - last);
                if (!pending) {
                    work.awaitUninterruptibly();
                } else if (wait > 0) {
                    awaitQuietly(wait);
                } else {
                    pending = false;
                    return true;
                }
            }
            return false;
        } finally {
            waiting.unlock();
        }
    }

    private void awaitQuietly(long nanos) {
        try {
            work.awaitNanos(nanos);
        } catch (InterruptedException e) {
            // Nobody interrupts this thread (an interrupt would close the flusher); close() signals.
        }
    }

    /** Stops saving in the background, without a last save. */
    @Override
    public void close() throws IOException {
        closed = true;
        waiting.lock();
        try {
            work.signal();
        } finally {
            waiting.unlock();
        }
        boolean interrupted = false;
        while (true) {
            try {
                saver.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            flusher.close();
        } finally {
            file.close();
        }
    }
}
