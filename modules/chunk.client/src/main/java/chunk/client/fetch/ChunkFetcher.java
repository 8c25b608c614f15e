package chunk.client.fetch;

import chunk.client.DownloadListener;
import chunk.client.ServerFailure.Kind;
import chunk.client.disk.LocalWriteException;
import chunk.client.disk.PieceSink;
import chunk.client.net.Mirror;
import chunk.client.net.MirrorException;
import chunk.client.net.Transfer;
import chunk.client.plan.ChunkPlanner;
import chunk.client.plan.Lease;
import chunk.client.plan.PieceDigester;
import chunk.client.plan.PieceMap;
import chunk.wire.ByteRange;
import java.nio.ByteBuffer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One connection for one {@link Lease}: asks its mirror for the lease's bytes and writes what
 * arrives into the part file, piece by piece, hashing each piece on its way through the buffer.
 * Data is written at the position computed from the request, never from what the mirror says
 * (the mirror checks that its reply is for exactly that range), and a connection that ends
 * early is a failure. A piece counts only once the piece map accepts it.
 */
final class ChunkFetcher {

    /** How a connection ended. */
    sealed interface Attempt {
        /** Every piece the lease still held was delivered. */
        record Delivered() implements Attempt {}

        /** The mirror failed, in the way the kind says: refused, busy, broke off, sent other bytes, ... */
        record Failed(Kind kind, String reason) implements Attempt {}

        /** The map gave the rest of the lease to a faster connection, and this one was closed. */
        record TakenOver() implements Attempt {}
    }

    /** The reason recorded for a lease whose rest went to a faster connection. */
    static final String MOVED = "too slow: the rest of its range went to a faster connection";

    private final String fileName;
    private final PieceSink file;
    private final PieceMap map;
    private final List<Mirror> mirrors;
    private final DownloadListener listener;

    /** @param mirrors the download's mirrors, in the order of the server list (a lease names its server by index) */
    ChunkFetcher(String fileName, PieceSink file, PieceMap map, List<Mirror> mirrors, DownloadListener listener) {
        this.fileName = fileName;
        this.file = file;
        this.map = map;
        this.mirrors = List.copyOf(mirrors);
        this.listener = listener;
    }

    /**
     * Fetches {@code lease} from its mirror.
     *
     * @param buffer where data passes from the socket to the file; its capacity is the read size
     * @throws LocalWriteException if the part file cannot be written: not the mirror's fault
     */
    Attempt fetch(Lease lease, ByteBuffer buffer) throws LocalWriteException {
        ChunkPlanner.Plan plan = map.plan();
        ByteRange range = ByteRange.between(plan.piece(lease.first()).offset(), plan.piece(lease.end() - 1).end());
        Mirror mirror = mirrors.get(lease.server().index());
        listener.connecting(mirror.address(), fileName, range);
        Transfer transfer;
        try {
            transfer = mirror.open(fileName, range);
        } catch (MirrorException e) {
            return new Attempt.Failed(e.kind(), e.reason());
        }
        try (transfer) {
            lease.connected(transfer);
            if (lease.revoked()) {
                return new Attempt.TakenOver();
            }
            transfer.begin();
            listener.receiving(lease.worker(), mirror.address());
            // A lease's pieces follow one another: one digester takes them in turn.
            PieceDigester digester = map.digester();
            for (int piece = lease.first(); piece < lease.end(); piece++) {
                Attempt stopped = piece(lease, piece, transfer, buffer, digester);
                if (stopped != null) {
                    return stopped;
                }
            }
            return new Attempt.Delivered();
        } catch (MirrorException e) {
            // Bytes of a piece read before the failure count for nothing: the piece is fetched again whole.
            return lease.revoked() ? new Attempt.TakenOver() : new Attempt.Failed(e.kind(), e.reason());
        }
    }

    /** Receives one piece whole and hands it to the map; what ended the lease, or null to go on with the next piece. */
    private @Nullable Attempt piece(Lease lease, int piece, Transfer transfer, ByteBuffer buffer,
            @Nullable PieceDigester digester) throws MirrorException, LocalWriteException {
        ByteRange bytes = map.plan().piece(piece);
        long pieceStart = System.nanoTime();
        long got = 0;
        while (got < bytes.length()) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), bytes.length() - got));
            fill(transfer, buffer);
            int filled = buffer.position();
            buffer.flip();
            if (digester != null) {
                digester.update(buffer);
                buffer.position(0);
            }
            long at = bytes.offset() + got;
            if (!lease.writeIfMine(piece, () -> file.write(buffer, at))) {
                return new Attempt.TakenOver();
            }
            got += filled;
            lease.progress(filled);
            listener.received(lease.worker(), filled);
        }
        byte[] digest = digester == null ? null : digester.finish();
        return switch (map.delivered(lease, piece, digest, System.nanoTime() - pieceStart)) {
            case ACCEPTED -> null;
            case MISMATCH -> new Attempt.Failed(Kind.BAD_DATA, "sent bytes " + bytes + " that do not match their digest");
            case NOT_YOURS -> new Attempt.TakenOver();
        };
    }

    /** Fills the buffer before it is written: fewer, larger writes. A transfer that ends early throws. */
    private static void fill(Transfer transfer, ByteBuffer buffer) throws MirrorException {
        while (buffer.hasRemaining()) {
            if (transfer.read(buffer) < 0) {
                // The range is all read, yet the piece wants more: the lease and the range disagree.
                throw new IllegalStateException("the transfer ended inside a piece of its own range");
            }
        }
    }
}
