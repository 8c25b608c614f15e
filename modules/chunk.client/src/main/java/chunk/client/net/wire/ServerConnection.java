package chunk.client.net.wire;

import chunk.client.ServerAddress.HostPort;
import chunk.client.net.DigestScheme;
import chunk.client.net.MirrorException;
import chunk.client.net.StallWatchdog;
import chunk.client.text.HumanFormat;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One TCP connection to one server, for one request and its reply (or, kept open by a
 * {@link ConnectionPool}, for several in turn), watched by the stall watchdog: every read
 * that brings bytes counts as progress. It is the channel the frame decoder reads replies
 * from, and it counts the bytes of the current reply, so that a caller can tell a connection
 * that broke before any byte came back from one that broke in the middle of a reply.
 */
final class ServerConnection implements ReadableByteChannel {

    private final SocketChannel channel;
    private final StallWatchdog.Watch watch;
    private final Duration stallTimeout;
    /** Bytes read since the last request was sent; guarded by the one thread using the connection. */
    private long sinceRequest;
    /** The KEEP-OPEN version the server agreed to on this connection, 0 if it is not kept open. */
    private volatile long keptOpenAt;

    private ServerConnection(SocketChannel channel, StallWatchdog watchdog) {
        this.channel = channel;
        this.watch = watchdog.watch(channel);
        this.stallTimeout = watchdog.timeout();
    }

    /**
     * Connects within {@code connectTimeout}.
     *
     * @throws IOException if the host is unknown, refuses, or does not answer in time
     */
    static ServerConnection open(HostPort server, Duration connectTimeout, StallWatchdog watchdog)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(server.host(), server.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException(server.host());
        }
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(address, Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new ServerConnection(channel, watchdog);
        } catch (SocketTimeoutException e) {
            channel.close();
            throw new SocketTimeoutException(
                    "no connection within " + HumanFormat.seconds(connectTimeout) + " (connect timeout)");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    void send(Frame.Opening request) throws IOException {
        sinceRequest = 0;
        FrameEncoder.write(request, channel);
    }

    Frame.Reply readReply() throws IOException {
        return FrameDecoder.readReply(this);
    }

    Frame.KeepOpenAnswer readKeepOpenAnswer() throws IOException {
        return FrameDecoder.readKeepOpenAnswer(this);
    }

    /** Reads what is there into {@code buffer}: the count of bytes, or -1 at the end of the stream. */
    @Override
    public int read(ByteBuffer buffer) throws IOException {
        int n = channel.read(buffer);
        if (n > 0) {
            sinceRequest += n;
            watch.progress();
        }
        return n;
    }

    /** Bytes that came back since the last request was sent: its reply's, header included. */
    long sinceRequest() {
        return sinceRequest;
    }

    /** The server agreed to keep this connection open at {@code version}. */
    void keptOpenAt(long version) {
        keptOpenAt = version;
    }

    /** What DIGESTS on this connection answers with: the digest tree from KEEP-OPEN version 2 on, else flat digests. */
    DigestScheme digestScheme() {
        return Frame.digestsFromTree(keptOpenAt) ? DigestScheme.TREE : DigestScheme.FLAT;
    }

    /** Whether the stall watchdog closed this connection. */
    boolean stalled() {
        return watch.expired();
    }

    /** Starts the stall timer afresh, for a connection taken up again after it sat idle between two requests. */
    void resumed() {
        watch.progress();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * A failure of this connection, as the kind of failure it was: a stall, a connection the
     * server closed before any byte of its reply (a passing failure), or what the error says.
     */
    MirrorException failure(IOException e) {
        if (watch.expired()) {
            return WireFailures.stalled(stallTimeout, e);
        }
        return sinceRequest == 0 ? WireFailures.dropped(e) : WireFailures.of(e);
    }

    @Override
    public void close() throws IOException {
        watch.close();
        channel.close();
    }

    /** Closes it, for a caller that has nothing in flight to lose. */
    void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            // Nothing was in flight: there is nothing to lose.
        }
    }
}
