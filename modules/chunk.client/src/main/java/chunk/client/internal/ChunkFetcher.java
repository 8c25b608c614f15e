package chunk.client.internal;

import chunk.client.DownloadListener;
import chunk.wire.ByteRange;
import chunk.wire.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * One connection for one {@link Lease}: asks its server for the lease's bytes and writes what
 * arrives into the part file, piece by piece, hashing each piece on its way through the buffer.
 * The reply header must echo the request exactly; data is written at the position computed
 * from the request, never from what the server says, and a connection that ends early is a
 * failure. A piece counts only once the piece map accepts it.
 */
final class ChunkFetcher {

    /** How a connection ended. */
    sealed interface Attempt {
        /** Every piece the lease still held was delivered. */
        record Delivered() implements Attempt {}

        /** The server failed: refused, broke off, or sent something other than what was asked. */
        record Failed(String reason) implements Attempt {}

        /** The server sent a piece whose digest does not match: it gets no more work. */
        record BadData(String reason) implements Attempt {}

        /** The map gave the rest of the lease to a faster connection, and this one was closed. */
        record TakenOver() implements Attempt {}

        /** The server answered {@code server busy}: its transfer places are all taken for now. */
        record Busy(String reason) implements Attempt {}
    }

    /** What myserver answers when all its transfer places stay taken (docs/PROTOCOL.md). */
    static final String SERVER_BUSY = "server busy";

    private final String fileName;
    private final PartFile file;
    private final PieceMap map;
    private final ConnectionPool connections;
    private final DownloadListener listener;

    ChunkFetcher(String fileName, PartFile file, PieceMap map, ConnectionPool connections, DownloadListener listener) {
        this.fileName = fileName;
        this.file = file;
        this.map = map;
        this.connections = connections;
        this.listener = listener;
    }

    /**
     * Fetches {@code lease} from its server.
     *
     * @param buffer where data passes from the socket to the file; its capacity is the read size
     * @param sha256 hashes each piece, or null when pieces are not verified
     * @throws LocalWriteException if the part file cannot be written: not the server's fault
     */
    Attempt fetch(Lease lease, ByteBuffer buffer, @Nullable MessageDigest sha256) throws LocalWriteException {
        ChunkPlanner.Plan plan = map.plan();
        ByteRange range = ByteRange.between(plan.piece(lease.first()).offset(), plan.piece(lease.end() - 1).end());
        listener.connecting(lease.server.address, fileName, range);
        PooledConnection connection;
        try {
            connection = connections.connection(lease.server.address);
        } catch (IOException e) {
            return new Attempt.Failed(IoFailures.explain(e));
        }
        long received = 0;
        try (connection) {
            lease.connected(connection);
            if (lease.revoked()) {
                return new Attempt.TakenOver();
            }
            Frame.Reply reply = connection.ask(new Frame.ChunkRequest(fileName, range));
            String refusal = refusal(reply, range);
            if (refusal != null) {
                return reply instanceof Frame.ErrorReply(String reason) && reason.equals(SERVER_BUSY)
                        ? new Attempt.Busy(refusal) : new Attempt.Failed(refusal);
            }
            listener.receiving(lease.worker, lease.server.address);
            for (int piece = lease.first(); piece < lease.end(); piece++) {
                ByteRange bytes = plan.piece(piece);
                long pieceStart = System.nanoTime();
                if (sha256 != null) {
                    sha256.reset();
                }
                long got = 0;
                while (got < bytes.length()) {
                    buffer.clear();
                    buffer.limit((int) Math.min(buffer.capacity(), bytes.length() - got));
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
                    if (sha256 != null) {
                        sha256.update(buffer);
                        buffer.position(0);
                    }
                    long at = bytes.offset() + got;
                    if (!lease.writeIfMine(piece, () -> file.write(buffer, at))) {
                        return new Attempt.TakenOver();
                    }
                    got += filled;
                    received += filled;
                    if (filled > 0) {
                        lease.progress(filled);
                        listener.received(lease.worker, filled);
                    }
                    if (ended && got < bytes.length()) {
                        return new Attempt.Failed("connection closed after " + received + " of " + range.length() + " bytes");
                    }
                }
                byte[] digest = sha256 == null ? null : sha256.digest();
                switch (map.delivered(lease, piece, digest, System.nanoTime() - pieceStart)) {
                    case ACCEPTED -> {}
                    case MISMATCH -> {
                        return new Attempt.BadData("sent bytes " + bytes + " that do not match their digest");
                    }
                    case NOT_YOURS -> {
                        return new Attempt.TakenOver();
                    }
                }
            }
            return new Attempt.Delivered();
        } catch (IOException e) {
            if (lease.revoked()) {
                return new Attempt.TakenOver();
            }
            // Bytes of a piece read before the failure count for nothing: the piece is fetched again whole.
            return new Attempt.Failed(connection.explain(e));
        }
    }

    /** Why {@code reply} is not the start of {@code range}'s data, or null if it is. */
    private static @Nullable String refusal(Frame.Reply reply, ByteRange range) {
        return switch (reply) {
            case Frame.ChunkReply chunk when chunk.range().equals(range) -> null;
            case Frame.ChunkReply chunk -> "sent a header for bytes " + chunk.range() + " instead of " + range;
            case Frame.ErrorReply error -> "server says \"" + error.reason() + "\"";
            case Frame.SizeReply _ -> "answered a chunk request with a size";
            case Frame.DigestReply _ -> "answered a chunk request with digests";
        };
    }
}
