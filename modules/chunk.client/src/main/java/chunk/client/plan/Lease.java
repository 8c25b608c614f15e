package chunk.client.plan;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A run of pieces checked out to one connection, from {@link #first()} up to (not including)
 * {@link #end()}. Only the piece map moves its end: down when another connection takes the
 * back half, or to the piece in progress when another connection takes over the rest. The
 * connection writes a piece's bytes only while the piece is still inside its lease, checked
 * under the lease's lock, so that after a take-over no stale byte lands in the file.
 */
public final class Lease {

    private final int worker;
    private final ServerBoard.ServerState server;
    private final int first;
    private final LongSupplier nanoTime;
    private volatile int end;
    private volatile int next;
    private volatile long bytes;
    /** Bytes received of the piece in progress: in flight, not yet done. */
    private volatile long pieceBytes;
    private volatile long lastProgressNanos;
    private volatile long connectedNanos;
    private final long createdNanos;
    private final ReentrantLock writing = new ReentrantLock();
    private volatile @Nullable AutoCloseable connection;
    private volatile boolean revoked;

    /** @param nanoTime the piece map's clock */
    Lease(int worker, ServerBoard.ServerState server, int first, int end, LongSupplier nanoTime) {
        this.worker = worker;
        this.server = server;
        this.first = first;
        this.end = end;
        this.next = first;
        this.nanoTime = nanoTime;
        this.createdNanos = nanoTime.getAsLong();
        this.lastProgressNanos = createdNanos;
    }

    /** The chunk whose connection holds the lease. */
    public int worker() {
        return worker;
    }

    /** The server the pieces are fetched from. */
    public ServerBoard.ServerState server() {
        return server;
    }

    /** The first piece. */
    public int first() {
        return first;
    }

    /** The piece after the last: the map moves it down when it gives the rest to another lease. */
    public int end() {
        return end;
    }

    /** The piece being received, or {@link #end()} when the lease is through. */
    int next() {
        return next;
    }

    long bytes() {
        return bytes;
    }

    long pieceBytes() {
        return pieceBytes;
    }

    /** Whether the map took the rest of the lease away: its connection was closed, and it must stop. */
    public boolean revoked() {
        return revoked;
    }

    long lastProgressNanos() {
        return lastProgressNanos;
    }

    /** When data started arriving (0 before), or when the lease was made if never. */
    long startedNanos() {
        long connected = connectedNanos;
        return connected == 0 ? createdNanos : connected;
    }

    /** The lease's connection is open: revoking the lease closes it. */
    public void connected(AutoCloseable connection) {
        this.connection = connection;
        this.connectedNanos = nanoTime.getAsLong();
        this.lastProgressNanos = connectedNanos;
    }

    /** {@code more} bytes of the piece in progress arrived. */
    public void progress(long more) {
        bytes += more;
        pieceBytes += more;
        lastProgressNanos = nanoTime.getAsLong();
    }

    void advance(int piece) {
        next = piece + 1;
        pieceBytes = 0;
    }

    /**
     * Runs {@code write} if {@code piece} is still this lease's, holding the lease so that the
     * map cannot take the piece away meanwhile.
     *
     * @return false if the piece is no longer this lease's: stop, nothing was written
     */
    public <E extends Exception> boolean writeIfMine(int piece, Write<E> write) throws E {
        writing.lock();
        try {
            if (piece >= end || revoked) {
                return false;
            }
            write.run();
            return true;
        } finally {
            writing.unlock();
        }
    }

    /** A write into the part file. */
    @FunctionalInterface
    public interface Write<E extends Exception> {
        void run() throws E;
    }

    /** The map gives the pieces from {@code newEnd} on to another lease. */
    void shrinkTo(int newEnd) {
        writing.lock();
        try {
            end = Math.min(end, newEnd);
        } finally {
            writing.unlock();
        }
    }

    /** The map took everything left of this lease: stop the connection now. */
    void revoke() {
        writing.lock();
        try {
            revoked = true;
            end = Math.min(end, next);
        } finally {
            writing.unlock();
        }
        AutoCloseable open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (Exception e) {
                // Closing is all we wanted: the reader wakes with an exception either way.
            }
        }
    }
}
