package chunk.client.net.wire;

import chunk.client.ServerAddress.HostPort;
import chunk.client.net.DigestScheme;
import chunk.client.net.MirrorException;
import chunk.wire.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * One request and its reply on a connection from a {@link ConnectionPool}. Closing it gives
 * the connection back to the pool if the server keeps it open and the reply was read whole
 * and was not an ERROR, and closes it otherwise: after a failure, a stall, or a reply left
 * part way (a range handed to another connection), so that no connection with unread bytes
 * is ever used again. It may be closed from another thread to stop a reader; every close
 * after the first does nothing.
 */
final class PooledConnection implements AutoCloseable {

    private final ConnectionPool pool;
    private final HostPort server;
    /** Guarded by this: replaced once if a reused connection turns out to be closed. */
    private ServerConnection connection;
    private boolean keptOpen;
    private boolean reused;
    /** Data bytes of the current reply still to read; -1 before a reply has been read. */
    private volatile long dataLeft = -1;
    private boolean refused;
    private volatile boolean ended;

    PooledConnection(ConnectionPool pool, HostPort server, ServerConnection connection, boolean keptOpen, boolean reused) {
        this.pool = pool;
        this.server = server;
        this.connection = connection;
        this.keptOpen = keptOpen;
        this.reused = reused;
    }

    HostPort server() {
        return server;
    }

    /** Whether the connection was used for an earlier request: for tests and the verbose log. */
    boolean reused() {
        return reused;
    }

    /** What DIGESTS on this connection answers with. */
    DigestScheme digestScheme() {
        return current().digestScheme();
    }

    /** Whether the server keeps this connection open after the reply. */
    boolean keptOpen() {
        return keptOpen;
    }

    /**
     * Sends the request and reads the reply's frame; after a chunk reply, its data is read with
     * {@link #read}. A reused connection that fails before any byte of the reply arrived was
     * closed by the server while it sat idle (its wait ended, or it stopped): then the request
     * goes once more on a new connection, and the server is not to blame.
     *
     * @throws MirrorException if the request could not be sent or the reply not read
     */
    Frame.Reply ask(Frame.Request request) throws MirrorException {
        try {
            return exchange(request);
        } catch (IOException e) {
            if (!reused || current().sinceRequest() > 0 || current().stalled() || ended) {
                throw current().failure(e);
            }
            current().closeQuietly();
            replace(pool.open(server));
            try {
                return exchange(request);
            } catch (IOException again) {
                throw current().failure(again);
            }
        }
    }

    private Frame.Reply exchange(Frame.Request request) throws IOException {
        ServerConnection now = current();
        dataLeft = -1;
        now.send(request);
        Frame.Reply reply = now.readReply();
        refused = reply instanceof Frame.ErrorReply;
        dataLeft = reply instanceof Frame.ChunkReply chunk ? chunk.range().length() : 0;
        return reply;
    }

    /**
     * Reads data of the chunk reply into {@code buffer}, never past the reply's end.
     *
     * @return the bytes read, or -1 at the end of the data or of the stream
     * @throws MirrorException if the connection fails or was closed
     */
    int read(ByteBuffer buffer) throws MirrorException {
        if (ended) {
            throw current().failure(new ClosedChannelException());
        }
        if (dataLeft <= 0) {
            return -1;
        }
        int limit = buffer.limit();
        if (buffer.remaining() > dataLeft) {
            buffer.limit(buffer.position() + (int) dataLeft);
        }
        try {
            int n = current().read(buffer);
            if (n > 0) {
                dataLeft -= n;
            }
            return n;
        } catch (IOException e) {
            throw current().failure(e);
        } finally {
            buffer.limit(limit);
        }
    }

    private synchronized ServerConnection current() {
        return connection;
    }

    private synchronized void replace(ConnectionPool.Opened fresh) throws MirrorException {
        if (ended) {
            fresh.connection().closeQuietly();
            throw fresh.connection().failure(new ClosedChannelException());
        }
        connection = fresh.connection();
        keptOpen = fresh.keptOpen();
        reused = false;
    }

    @Override
    public synchronized void close() {
        if (ended) {
            return;
        }
        ended = true;
        if (keptOpen && dataLeft == 0 && !refused && connection.isOpen() && !connection.stalled()) {
            pool.giveBack(server, connection);
        } else {
            connection.closeQuietly();
        }
    }
}
