package chunk.client.internal;

import chunk.client.ServerAddress;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One TCP connection to one server, for one request and its reply (or, kept open by a
 * {@link ConnectionPool}, for several in turn), watched by the stall watchdog: every read
 * that brings bytes counts as progress.
 */
final class ServerConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final StallWatchdog.Watch watch;
    private final Duration stallTimeout;

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
    static ServerConnection open(ServerAddress server, Duration connectTimeout, StallWatchdog watchdog)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(server.host(), server.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException(server.host());
        }
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(address, Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE));
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
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
        FrameEncoder.write(request, channel);
    }

    Frame.Reply readReply() throws IOException {
        return FrameDecoder.readReply(watchedChannel());
    }

    Frame.KeepOpenAnswer readKeepOpenAnswer() throws IOException {
        return FrameDecoder.readKeepOpenAnswer(watchedChannel());
    }

    /** Reads what is there into {@code buffer}: the count of bytes, or -1 at the end of the stream. */
    int read(ByteBuffer buffer) throws IOException {
        int n = channel.read(buffer);
        if (n > 0) {
            watch.progress();
        }
        return n;
    }

    /** Whether the stall watchdog closed this connection. */
    boolean stalled() {
        return watch.expired();
    }

    /** Starts the stall timer afresh, for a connection taken up again after it sat idle between two requests. */
    void resumed() {
        watch.progress();
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** The reason a person reads for a failure of this connection. */
    String explain(IOException e) {
        if (watch.expired()) {
            return "no data for " + HumanFormat.seconds(stallTimeout) + " (stall timeout)";
        }
        return IoFailures.explain(e);
    }

    private ReadableByteChannel watchedChannel() {
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                return ServerConnection.this.read(dst);
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
    public void close() throws IOException {
        watch.close();
        channel.close();
    }
}
