package chunk.server.internal;

import chunk.wire.cli.Hosts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One client connection and what the {@link IdleWatchdog} and the {@link Admission} need to
 * know about it. Blocking channels have no read or write timeout, so every read and every
 * slice of a reply marks progress here, and the watchdog closes the channel (which unblocks
 * its thread) when the connection's deadline passes: while a request is due, a fixed time
 * after the connection was accepted or, on a kept-open connection, after the previous reply
 * ended (the header timeout); after that, a time after the last progress (the idle timeout).
 */
final class Connection implements AutoCloseable, WaitingRoom.Waiter {

    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    /**
     * Where the connection is. A connection waiting for its request or for a place has
     * nothing in flight and is closed at once on shutdown.
     */
    enum Phase { AWAITING_REQUEST, AWAITING_PLACE, RESPONDING, CLOSING }

    /**
     * Why the server itself ended the connection, if it did: the first reason given wins. The
     * connection's thread learns it only as a failed or ended read, and says it in the access log.
     */
    enum ClosedBy {
        /** The server did not: the client hung up, or its connection broke. */
        NONE,
        /** The whole request did not arrive within the header timeout. */
        HEADER_TIMEOUT,
        /** A reply made no progress for the idle timeout. */
        IDLE_TIMEOUT,
        /** Silent while its address had too many connections waiting: see {@link WaitingRoom}. */
        EVICTION,
        SHUTDOWN
    }

    private final long id = NEXT_ID.getAndIncrement();
    private final SocketChannel channel;
    private final @Nullable InetAddress address;
    private final String client;
    private final long headerLimitNanos;
    /** When the current request became due: the accept, or the end of the previous reply. */
    private volatile long awaitingSinceNanos = System.nanoTime();
    /** When the current request began: the accept for the first, the first byte for later ones. */
    private long requestStartNanos = awaitingSinceNanos;
    private volatile long lastProgressNanos = awaitingSinceNanos;
    private volatile long idleLimitNanos;
    private final AtomicReference<ClosedBy> closedBy = new AtomicReference<>(ClosedBy.NONE);
    private volatile Phase phase = Phase.AWAITING_REQUEST;
    /** Volatile: the waiting room asks from another thread whether the request has begun to arrive. */
    private volatile long bytesRead;
    private int requestsAnswered;
    /** The version of KEEP-OPEN agreed on this connection, 0 if it was not kept open. */
    private long keptOpenVersion;
    private Runnable deadlineMoved = () -> {};
    /** Owned by the {@link Admission}, touched only on this connection's own thread. */
    boolean holdsPlace;

    Connection(SocketChannel channel, long headerLimitNanos, long idleLimitNanos) {
        this.channel = channel;
        this.headerLimitNanos = headerLimitNanos;
        this.idleLimitNanos = idleLimitNanos;
        SocketAddress remote = remoteAddressOf(channel);
        this.address = remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
        this.client = describe(remote);
    }

    long id() {
        return id;
    }

    SocketChannel channel() {
        return channel;
    }

    /** The client's address, or {@code null} if the socket was already broken when accepted. */
    @Override
    public @Nullable InetAddress address() {
        return address;
    }

    /** The client as {@code host:port} ({@code [v6]:port} for IPv6), for the access log. */
    String client() {
        return client;
    }

    Phase phase() {
        return phase;
    }

    /** Whether the request now due is the connection's first: the only one that may ask to keep it open. */
    boolean firstRequest() {
        return requestsAnswered == 0;
    }

    /** Whether the client asked for more requests after each reply, and the server agreed. */
    boolean keptOpen() {
        return keptOpenVersion > 0;
    }

    /** The version of KEEP-OPEN agreed, which says what DIGESTS means here; 0 if the connection was not kept open. */
    long keptOpenVersion() {
        return keptOpenVersion;
    }

    void keepOpen(long version) {
        keptOpenVersion = version;
    }

    /**
     * The previous reply has ended and the connection waits for its next request: the header
     * timeout runs again from now, and the request's bytes are counted afresh.
     */
    void awaitNextRequest() {
        requestsAnswered++;
        bytesRead = 0;
        long now = System.nanoTime();
        awaitingSinceNanos = now;
        requestStartNanos = now;
        lastProgressNanos = now;
        phase(Phase.AWAITING_REQUEST);
    }

    /** When the current request began, for the time the access log gives it. */
    long requestStartNanos() {
        return requestStartNanos;
    }

    void phase(Phase newPhase) {
        phase = newPhase;
        deadlineMoved.run(); // from the header deadline to the idle one, which may be sooner
    }

    /** Told when the deadline may have moved earlier, so that the watchdog sets its timer again. */
    void onDeadlineMoved(Runnable action) {
        deadlineMoved = action;
    }

    void progress() {
        lastProgressNanos = System.nanoTime();
    }

    /** Lowers the idle limit, e.g. while waiting for a client to hang up after an error. */
    void limitIdleTo(long nanos) {
        idleLimitNanos = Math.min(idleLimitNanos, nanos);
        progress();
        deadlineMoved.run();
    }

    /** When the watchdog closes this connection unless it makes progress first. */
    long deadlineNanos() {
        return phase == Phase.AWAITING_REQUEST
                ? awaitingSinceNanos + headerLimitNanos
                : lastProgressNanos + idleLimitNanos;
    }

    /** Called by the watchdog: closing the channel wakes the thread blocked on it. */
    void closeBecauseTimedOut() {
        closedBy.compareAndSet(ClosedBy.NONE, phase == Phase.AWAITING_REQUEST ? ClosedBy.HEADER_TIMEOUT : ClosedBy.IDLE_TIMEOUT);
        close();
    }

    /** Called on shutdown for connections that may not finish. */
    void closeForShutdown() {
        closedBy.compareAndSet(ClosedBy.NONE, ClosedBy.SHUTDOWN);
        close();
    }

    /**
     * Called by the waiting room, on another connection's thread. Only the input is shut: the
     * thread blocked reading wakes to an end of stream, and can still answer "server busy" if
     * a request began to arrive after all in the moment the room chose this connection.
     */
    @Override
    public void evict() {
        if (!closedBy.compareAndSet(ClosedBy.NONE, ClosedBy.EVICTION)) {
            return; // already ending for another reason
        }
        try {
            channel.shutdownInput();
        } catch (IOException e) {
            close(); // broken already: closing wakes the reader as well
        }
    }

    ClosedBy closedBy() {
        return closedBy.get();
    }

    /**
     * No byte of the request now due has been read, and none waits in the socket's buffer: a
     * thread that has not yet been scheduled to read its request does not make it silent.
     */
    @Override
    public boolean silent() {
        if (bytesRead > 0) {
            return false;
        }
        try {
            return channel.socket().getInputStream().available() == 0;
        } catch (IOException e) {
            return false; // closed or shut already: it is leaving on its own
        }
    }

    /** Bytes of the current request read so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** The request side of the channel, marking progress on every read. */
    ReadableByteChannel reader() {
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                int n = channel.read(dst);
                if (n > 0) {
                    if (bytesRead == 0 && requestsAnswered > 0) {
                        requestStartNanos = System.nanoTime(); // not the time the connection sat idle before it
                    }
                    bytesRead += n;
                    progress();
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a socket fails only if it is already broken: nothing left to release.
        }
    }

    private static SocketAddress remoteAddressOf(SocketChannel channel) {
        try {
            SocketAddress address = channel.getRemoteAddress();
            return address != null ? address : new InetSocketAddress(0);
        } catch (IOException e) {
            return new InetSocketAddress(0);
        }
    }

    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return Hosts.hostAndPort(inet);
        }
        return address.toString();
    }
}
