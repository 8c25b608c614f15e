package chunk.server.internal;

import chunk.wire.cli.Hosts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection and what the {@link IdleWatchdog} needs to know about it. Blocking
 * channels have no read or write timeout, so every read and every slice of a reply marks
 * progress here, and the watchdog closes the channel (which unblocks its thread) when
 * progress stops for longer than the connection's idle limit.
 */
final class Connection implements AutoCloseable {

    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    /** Where the connection is: a connection still waiting for its request is closed at once on shutdown. */
    enum Phase { AWAITING_REQUEST, RESPONDING, CLOSING }

    private final long id = NEXT_ID.getAndIncrement();
    private final SocketChannel channel;
    private final String client;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile long idleLimitNanos;
    private volatile boolean timedOut;
    private volatile boolean shutDown;
    private volatile Phase phase = Phase.AWAITING_REQUEST;
    private long bytesRead;

    Connection(SocketChannel channel, long idleLimitNanos) {
        this.channel = channel;
        this.idleLimitNanos = idleLimitNanos;
        this.client = describe(remoteAddressOf(channel));
    }

    long id() {
        return id;
    }

    SocketChannel channel() {
        return channel;
    }

    /** The client as {@code host:port} ({@code [v6]:port} for IPv6), for the access log. */
    String client() {
        return client;
    }

    Phase phase() {
        return phase;
    }

    void phase(Phase newPhase) {
        phase = newPhase;
    }

    void progress() {
        lastProgressNanos = System.nanoTime();
    }

    /** Lowers the idle limit, e.g. while waiting for a client to hang up after an error. */
    void limitIdleTo(long nanos) {
        idleLimitNanos = Math.min(idleLimitNanos, nanos);
        progress();
    }

    boolean isIdleAt(long nowNanos) {
        return nowNanos - lastProgressNanos > idleLimitNanos;
    }

    /** Called by the watchdog: closing the channel wakes the thread blocked on it. */
    void closeBecauseIdle() {
        timedOut = true;
        close();
    }

    /** Called on shutdown for connections that may not finish. */
    void closeForShutdown() {
        shutDown = true;
        close();
    }

    boolean shutDown() {
        return shutDown;
    }

    boolean timedOut() {
        return timedOut;
    }

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
