package chunk.client.net.wire;

import chunk.client.ServerAddress.HostPort;
import chunk.client.ServerFailure.Kind;
import chunk.client.net.DigestPage;
import chunk.client.net.DigestScheme;
import chunk.client.net.Holding;
import chunk.client.net.Mirror;
import chunk.client.net.MirrorException;
import chunk.client.net.Transfer;
import chunk.wire.ByteRange;
import chunk.wire.Frame;
import java.nio.ByteBuffer;

/**
 * A chunk server (myserver, or the original C server) as a {@link Mirror}: the wire protocol
 * of {@code chunk.wire}, version 1 and the DIGESTS and KEEP-OPEN extensions, on connections
 * from the download's {@link ConnectionPool}. What a server answers to an extension it does
 * not speak is learnt once per run ({@link WireVersions}), and it is asked in version 1 from
 * then on: SIZE instead of DIGESTS, a connection per request instead of one kept open.
 */
public final class WireMirror implements Mirror {

    private final HostPort address;
    private final ConnectionPool connections;
    private final WireVersions versions;

    /**
     * @param connections the download's connections, shared by all its mirrors
     * @param versions what this run has learnt of the servers' versions
     */
    public WireMirror(HostPort address, ConnectionPool connections, WireVersions versions) {
        this.address = address;
        this.connections = connections;
        this.versions = versions;
    }

    @Override
    public HostPort address() {
        return address;
    }

    @Override
    public Holding hold(String fileName, boolean wantDigests) throws MirrorException {
        if (wantDigests && !versions.refusesDigests(address)) {
            // A connection that cannot be had (refused, or silent even to a keep-open) is the
            // answer: asking SIZE on another one would only wait as long again.
            PooledConnection connection = connections.connection(address);
            try (connection) {
                return rooted(connection, fileName);
            } catch (MirrorException e) {
                if (e.kind() != Kind.STALLED) {
                    throw e;
                }
                // Hashing a very large file for the first time can outlast the stall timeout:
                // the size alone lets the server take part, its pieces checked against the others'.
            } catch (DigestsRefused refused) {
                if (refused.error().refusesPacketType()) {
                    versions.refusedDigests(address);
                } else if (connections.speaks(address) == ConnectionPool.Speaks.KEEP_OPEN) {
                    // A server that keeps connections open is newer than DIGESTS and knows it: an
                    // ERROR is about the file (no such file, cannot read it), and SIZE would say the same.
                    throw WireFailures.refusal(refused.error());
                }
            }
        }
        return sized(fileName);
    }

    /** An ERROR to a DIGESTS request: the caller decides whether SIZE is worth asking. */
    private static final class DigestsRefused extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        private final transient Frame.ErrorReply error;

        DigestsRefused(Frame.ErrorReply error) {
            super(error.reason(), null, false, false);
            this.error = error;
        }

        Frame.ErrorReply error() {
            return error;
        }
    }

    private Holding rooted(PooledConnection connection, String fileName) throws MirrorException, DigestsRefused {
        Frame.Reply reply = connection.ask(new Frame.DigestRequest(fileName, 0, Holding.IDENTITY_PIECE_LENGTH));
        return switch (reply) {
            case Frame.DigestReply digests -> checked(digests, connection.digestScheme());
            case Frame.ErrorReply error -> throw new DigestsRefused(error);
            case Frame.SizeReply _ -> throw WireFailures.unexpected("answered a digest request with a size");
            case Frame.ChunkReply _ -> throw WireFailures.unexpected("answered a digest request with a chunk");
        };
    }

    /** The first page of digests, checked against what was asked and, where it holds them all, against its root. */
    private static Holding checked(Frame.DigestReply reply, DigestScheme scheme) throws MirrorException {
        long pieces = Frame.pieceCount(reply.fileSize(), Holding.IDENTITY_PIECE_LENGTH);
        long expected = Math.min(Frame.MAX_DIGESTS_PER_REPLY, pieces);
        if (reply.firstPiece() != 0 || reply.digests().size() != expected) {
            throw WireFailures.unexpected("sent " + reply.digests().size() + " digests from piece " + reply.firstPiece()
                    + " where " + expected + " from piece 0 were asked for");
        }
        if (pieces <= Frame.MAX_DIGESTS_PER_REPLY
                && !scheme.addsUp(reply.fileSize(), Holding.IDENTITY_PIECE_LENGTH, reply.digests(), reply.root())) {
            throw new MirrorException(Kind.BAD_DATA, "sent digests that do not add up to the root it sent");
        }
        return new Holding.Rooted(reply.fileSize(), reply.root(), reply.digests(), scheme);
    }

    private Holding sized(String fileName) throws MirrorException {
        return switch (ask(new Frame.SizeRequest(fileName))) {
            case Frame.SizeReply reply -> new Holding.SizeOnly(reply.fileSize());
            case Frame.ErrorReply error -> throw WireFailures.refusal(error);
            case Frame.ChunkReply _ -> throw WireFailures.unexpected("answered a size request with a chunk");
            case Frame.DigestReply _ -> throw WireFailures.unexpected("answered a size request with digests");
        };
    }

    @Override
    public DigestPage digests(String fileName, long firstPiece, int pieceLength) throws MirrorException {
        try (PooledConnection connection = connections.connection(address)) {
            return switch (connection.ask(new Frame.DigestRequest(fileName, firstPiece, pieceLength))) {
                case Frame.DigestReply reply -> new DigestPage(reply.fileSize(), reply.firstPiece(), reply.root(),
                        reply.digests(), connection.digestScheme());
                case Frame.ErrorReply error -> throw WireFailures.refusal(error);
                case Frame.SizeReply _ -> throw WireFailures.unexpected("answered a digest request with a size");
                case Frame.ChunkReply _ -> throw WireFailures.unexpected("answered a digest request with a chunk");
            };
        }
    }

    /** One request and its reply, on a connection of the pool that goes back to it if it may. */
    private Frame.Reply ask(Frame.Request request) throws MirrorException {
        try (PooledConnection connection = connections.connection(address)) {
            return connection.ask(request);
        }
    }

    @Override
    public Transfer open(String fileName, ByteRange range) throws MirrorException {
        return new ChunkTransfer(connections.connection(address), fileName, range);
    }

    /** A CHUNK request and its data, on one connection of the pool. */
    private static final class ChunkTransfer implements Transfer {
        private final PooledConnection connection;
        private final String fileName;
        private final ByteRange range;
        private long received;

        ChunkTransfer(PooledConnection connection, String fileName, ByteRange range) {
            this.connection = connection;
            this.fileName = fileName;
            this.range = range;
        }

        @Override
        public void begin() throws MirrorException {
            switch (connection.ask(new Frame.ChunkRequest(fileName, range))) {
                case Frame.ChunkReply chunk when chunk.range().equals(range) -> {}
                case Frame.ChunkReply chunk ->
                        throw WireFailures.unexpected("sent a header for bytes " + chunk.range() + " instead of " + range);
                case Frame.ErrorReply error -> throw WireFailures.refusal(error);
                case Frame.SizeReply _ -> throw WireFailures.unexpected("answered a chunk request with a size");
                case Frame.DigestReply _ -> throw WireFailures.unexpected("answered a chunk request with digests");
            }
        }

        @Override
        public int read(ByteBuffer buffer) throws MirrorException {
            int n = connection.read(buffer);
            if (n < 0 && received < range.length()) {
                throw WireFailures.cutShort(received, range.length());
            }
            if (n > 0) {
                received += n;
            }
            return n;
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
