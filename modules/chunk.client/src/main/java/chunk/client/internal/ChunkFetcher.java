package chunk.client.internal;

import chunk.client.DownloadListener;
import chunk.client.ServerAddress;
import chunk.wire.ByteRange;
import chunk.wire.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One attempt at one range: one connection to one server. The reply header must echo the
 * request exactly; data is written at the position computed from the request, never from
 * what the server says, and a connection that ends early is a failure.
 */
final class ChunkFetcher {

    /** How an attempt ended. */
    sealed interface Attempt {
        /** How many bytes at the start of the range were written. */
        long received();

        /** The whole range was written. */
        record Delivered(long received) implements Attempt {}

        /** The server failed after delivering the first {@code received} bytes of the range. */
        record Failed(long received, String reason) implements Attempt {}
    }

    /**
     * Connections open at once to one server. The original server, and myserver by default,
     * queue at most 20 connections they have not accepted yet; a client with more at once makes
     * the kernel drop connection requests, and each drop costs a second before TCP tries
     * again. That happened here whenever one server fell behind: the chunks waiting for it
     * piled up to the client's whole limit of 64 (measured: 1000 chunks of a 5 MiB file took
     * 0.5 s or, with 58 dropped requests, 1.5 s).
     */
    static final int MAX_CONNECTIONS_PER_SERVER = 16;

    private final Map<ServerAddress, Semaphore> connectionsTo = new ConcurrentHashMap<>();
    private final String fileName;
    private final PartFile file;
    private final Duration connectTimeout;
    private final StallWatchdog watchdog;
    private final DownloadListener listener;

    ChunkFetcher(String fileName, PartFile file, Duration connectTimeout, StallWatchdog watchdog, DownloadListener listener) {
        this.fileName = fileName;
        this.file = file;
        this.connectTimeout = connectTimeout;
        this.watchdog = watchdog;
        this.listener = listener;
    }

    /**
     * Asks {@code server} for {@code range} and writes what arrives into the part file.
     *
     * @param index the chunk's index, for the listener
     * @param buffer where data passes from the socket to the file; its capacity is the read size
     * @throws LocalWriteException if the part file cannot be written: not the server's fault
     * @throws InterruptedException if interrupted while waiting for a connection to the server
     */
    Attempt fetch(int index, ServerAddress server, ByteRange range, ByteBuffer buffer)
            throws LocalWriteException, InterruptedException {
        Semaphore connections = connectionsTo.computeIfAbsent(server, _ -> new Semaphore(MAX_CONNECTIONS_PER_SERVER));
        connections.acquire();
        try {
            return fetchConnected(index, server, range, buffer);
        } finally {
            connections.release();
        }
    }

    private Attempt fetchConnected(int index, ServerAddress server, ByteRange range, ByteBuffer buffer)
            throws LocalWriteException {
        listener.connecting(server, fileName, range);
        ServerConnection connection;
        try {
            connection = ServerConnection.open(server, connectTimeout, watchdog);
        } catch (IOException e) {
            return new Attempt.Failed(0, IoFailures.explain(e));
        }
        long received = 0;
        try (connection) {
            connection.send(new Frame.ChunkRequest(fileName, range));
            Frame.Reply reply = connection.readReply();
            String refusal = refusal(reply, range);
            if (refusal != null) {
                return new Attempt.Failed(0, refusal);
            }
            listener.receiving(index, server);
            while (received < range.length()) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), range.length() - received));
                // Fill the buffer before writing: fewer, larger writes.
                boolean ended = false;
                while (buffer.hasRemaining()) {
                    if (connection.read(buffer) < 0) {
                        ended = true;
                        break;
                    }
                }
                int filled = buffer.position();
                buffer.flip();
                file.write(buffer, range.offset() + received);
                received += filled;
                if (filled > 0) {
                    listener.received(index, filled);
                }
                if (ended && received < range.length()) {
                    return new Attempt.Failed(received,
                            "connection closed after " + received + " of " + range.length() + " bytes");
                }
            }
            return new Attempt.Delivered(received);
        } catch (IOException e) {
            // Bytes read before the failure but not yet written are read again from the next server.
            return new Attempt.Failed(received, connection.explain(e));
        }
    }

    /** Why {@code reply} is not the start of {@code range}'s data, or null if it is. */
    private static @org.jspecify.annotations.Nullable String refusal(Frame.Reply reply, ByteRange range) {
        return switch (reply) {
            case Frame.ChunkReply chunk when chunk.range().equals(range) -> null;
            case Frame.ChunkReply chunk -> "sent a header for bytes " + chunk.range() + " instead of " + range;
            case Frame.ErrorReply error -> "server says \"" + error.reason() + "\"";
            case Frame.SizeReply _ -> "answered a chunk request with a size";
            case Frame.DigestReply _ -> "answered a chunk request with digests";
        };
    }
}
