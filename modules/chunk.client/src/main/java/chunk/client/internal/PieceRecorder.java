package chunk.client.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a download's resume record up to date: as the piece map reports pieces done, it
 * flushes the part file ({@code fdatasync}, unless {@code --no-fsync})
 * and only then records them as done. A piece is never recorded before its bytes are on disk.
 *
 * <p>Saves run on a thread of their own, so that no chunk waits for a flush: as soon as a piece
 * is complete, but at most once every {@link #MIN_INTERVAL_MILLIS}. The flush and the record
 * are done with a file channel of its own, which the cancellation of the chunks' threads
 * (interrupts, which close the channel they are in) cannot close.
 */
final class PieceRecorder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PieceRecorder.class.getName());

    /**
     * The least time between two saves. A save is one {@code fdatasync} of what was written
     * since the last one, then one in-place write and flush of the record (1.1-1.4 ms on the
     * reference machine); without fsync it is one write (0.06 ms). What a kill loses is what
     * was written since the last save, plus the pieces in flight: in bench/soak, 100 ms lost
     * 384 KB per kill on average, 25 ms 300 KB (44 KB of either is the end-game's duplicate
     * fetching, lost without any kill). Scenario 1 (1 GiB, 4 servers) took as long as without
     * a record at 25 ms, with --no-fsync (median 1.20 s and 1.22 s of 10 runs each) and with
     * fsync (1.06 s and 1.17 s: the saves' flushes spread the writeback over the download,
     * so the final one has less to do). docs/BENCHMARKS.md, resume.
     */
    static final long MIN_INTERVAL_MILLIS = 25;

    private final ResumeFile file;
    private final ResumeRecord identity;
    private final long size;
    private final int pieceLength;
    private final boolean fsync;
    private final FileChannel flusher;
    private final ConcurrentLinkedQueue<Integer> complete = new ConcurrentLinkedQueue<>();
    /** Guards {@link #done} and the record file: one save at a time. */
    private final ReentrantLock saving = new ReentrantLock();
    private final BitSet done;
    private final ReentrantLock waiting = new ReentrantLock();
    private final Condition work = waiting.newCondition();
    private final Thread saver;
    private volatile boolean closed;
    private volatile boolean failed;

    /**
     * @param start the identity to record and the pieces already done (a resumed download)
     * @param partFile the part file, opened again here for flushing
     */
    PieceRecorder(ResumeFile file, ResumeRecord start, Path partFile, boolean fsync) throws IOException {
        this.file = file;
        this.identity = start;
        this.size = start.size();
        this.pieceLength = start.pieceLength();
        this.fsync = fsync;
        this.done = start.done();
        this.flusher = FileChannel.open(partFile, StandardOpenOption.READ);
        this.saver = Thread.ofVirtual().name("resume-record").start(this::saveWhileOpen);
    }

    /**
     * Records the map's pieces from now on: once written, or once verified where the map
     * checks digests (a piece that fails its digest is fetched again and never recorded).
     */
    void listenTo(PieceMap map) {
        boolean verifying = map.verifying();
        map.addListener(new PieceMap.Listener() {
            @Override
            public void written(int piece) {
                if (!verifying) {
                    complete(piece);
                }
            }

            @Override
            public void verified(int piece) {
                complete(piece);
            }
        });
    }

    private void complete(int piece) {
        complete.add(piece);
        waiting.lock();
        try {
            work.signal();
        } finally {
            waiting.unlock();
        }
    }

    /** The pieces recorded as done so far. */
    BitSet done() {
        saving.lock();
        try {
            return (BitSet) done.clone();
        } finally {
            saving.unlock();
        }
    }

    /** The bytes of the pieces recorded as done. */
    long doneBytes() {
        return record().doneBytes();
    }

    private ResumeRecord record() {
        saving.lock();
        try {
            return new ResumeRecord(size, pieceLength, identity.root(), identity.name(), done);
        } finally {
            saving.unlock();
        }
    }

    /**
     * Flushes what is written and records the pieces it completes. Safe to call from any
     * thread, also an interrupted one (the interrupt is kept for the caller).
     *
     * @throws IOException if the part file cannot be flushed or the record not written; the
     *     record on disk is then the previous one
     */
    void save() throws IOException {
        boolean interrupted = Thread.interrupted(); // an interrupt would close the channel mid-flush
        saving.lock();
        try {
            List<Integer> pieces = new ArrayList<>();
            for (Integer piece = complete.poll(); piece != null; piece = complete.poll()) {
                pieces.add(piece);
            }
            if (fsync && !pieces.isEmpty()) {
                try {
                    flusher.force(false);
                } catch (IOException e) {
                    complete.addAll(pieces);
                    throw e;
                }
            }
            BitSet next = (BitSet) done.clone();
            pieces.forEach(next::set);
            try {
                file.write(new ResumeRecord(size, pieceLength, identity.root(), identity.name(), next), fsync);
            } catch (IOException e) {
                complete.addAll(pieces);
                throw e;
            }
            done.or(next);
        } finally {
            saving.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void saveWhileOpen() {
        long last = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MILLIS);
        while (true) {
            waiting.lock();
            try {
                while (!closed) {
                    long wait = TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MILLIS) - (System.nanoTime() - last);
                    if (complete.isEmpty()) {
                        work.awaitUninterruptibly();
                    } else if (wait > 0) {
                        awaitQuietly(wait);
                    } else {
                        break;
                    }
                }
                if (closed) {
                    return;
                }
            } finally {
                waiting.unlock();
            }
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
