package chunk.client.internal;

import chunk.client.ServerAddress;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import chunk.wire.MalformedFrameException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
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
            channel.socket().connect(address, (int) Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE));
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            return new ServerConnection(channel, watchdog);
        } catch (SocketTimeoutException e) {
            channel.close();
            throw new SocketTimeoutException(
                    "no connection within " + Durations.seconds(connectTimeout) + " (connect timeout)");
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
            return "no data for " + Durations.seconds(stallTimeout) + " (stall timeout)";
        }
        return ServerConnection.explainFailure(e);
    }

    /** The reason a person reads for a failure, with no connection (yet). */
    static String explainFailure(IOException e) {
        return switch (e) {
            case UnknownHostException _ -> "unknown host";
            case SocketTimeoutException t -> lower(t.getMessage(), "no connection within the connect timeout");
            case ConnectException c -> lower(c.getMessage(), "connection refused");
            case NoRouteToHostException _ -> "no route to host";
            case MalformedFrameException m -> "malformed reply: " + m.getMessage();
            case ClosedChannelException _ -> "connection closed";
            // Local files: the message of these is only the path, which the caller already says.
            case NoSuchFileException _ -> "no such file or folder";
            case AccessDeniedException _ -> "permission denied";
            case FileSystemException f -> lower(f.getReason(), f.getClass().getSimpleName());
            default -> lower(e.getMessage(), e.getClass().getSimpleName());
        };
    }

    private static String lower(String message, String fallback) {
        if (message == null || message.isBlank()) {
            return fallback;
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
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
