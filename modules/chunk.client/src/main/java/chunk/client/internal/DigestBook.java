package chunk.client.internal;

import chunk.client.ServerAddress;
import chunk.wire.Digest;
import chunk.wire.Frame;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * The digest of every piece at the download's piece length, fetched before any data from the
 * servers that agreed on the file, in pages of {@value Frame#MAX_DIGESTS_PER_REPLY}, and
 * checked against each other and against the root they sent: a piece is then checked against
 * digests that no single server could have forged alone.
 */
final class DigestBook implements PieceMap.Digests {

    /** Digest requests open at once. */
    private static final int AT_ONCE = 8;

    private final byte[][] digests;
    private final Digest root;

    private DigestBook(byte[][] digests, Digest root) {
        this.digests = digests;
        this.root = root;
    }

    /** The root at the download's piece length. */
    Digest root() {
        return root;
    }

    @Override
    public boolean matches(int piece, byte[] sha256) {
        return Arrays.equals(digests[piece], sha256);
    }

    /** Why the digests could not be had. */
    static final class UnavailableException extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message);
        }
    }

    /**
     * Fetches the digests of {@code size} bytes at {@code pieceLength} from {@code servers}.
     *
     * @param known the digests already in hand from piece 0 on, at this piece length, with their root; or null
     * @throws UnavailableException if no server gave digests that add up to one root of this size
     */
    static DigestBook fetch(String fileName, long size, int pieceLength, List<ServerAddress> servers,
            Frame.@Nullable DigestReply known, ConnectionPool connections)
            throws UnavailableException, InterruptedException {
        int pieces = ChunkPlanner.pieceCount(size, pieceLength);
        int pages = (pieces + Frame.MAX_DIGESTS_PER_REPLY - 1) / Frame.MAX_DIGESTS_PER_REPLY;
        Frame.DigestReply[] replies = new Frame.DigestReply[Math.max(pages, 1)];
        String[] problems = new String[replies.length];
        if (known != null) {
            replies[0] = known;
        }
        Semaphore places = new Semaphore(AT_ONCE);
        List<Thread> threads = new ArrayList<>();
        for (int page = 0; page < replies.length; page++) {
            if (replies[page] != null) {
                continue;
            }
            int index = page;
            places.acquire();
            threads.add(Thread.ofVirtual().name("digests " + page).start(() -> {
                try {
                    // Each page from the next server in turn, and from the others if it fails.
                    for (int k = 0; k < servers.size() && replies[index] == null; k++) {
                        ServerAddress server = servers.get((index + k) % servers.size());
                        Object answer = page(fileName, size, pieceLength, pieces, index, server, connections);
                        if (answer instanceof Frame.DigestReply reply) {
                            replies[index] = reply;
                        } else {
                            problems[index] = server + ": " + answer;
                        }
                    }
                } finally {
                    places.release();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (int page = 0; page < replies.length; page++) {
            if (replies[page] == null) {
                throw new UnavailableException("no server sent the digests of pieces from " + page * Frame.MAX_DIGESTS_PER_REPLY
                        + " (" + problems[page] + ")");
            }
        }
        Digest root = replies[0].root();
        List<Digest> all = new ArrayList<>(pieces);
        for (Frame.DigestReply reply : replies) {
            if (!reply.root().equals(root)) {
                throw new UnavailableException("the servers sent digests of two versions of the file (roots "
                        + root.hex() + " and " + reply.root().hex() + ")");
            }
            all.addAll(reply.digests());
        }
        if (!Digest.rootOf(all).equals(root)) {
            throw new UnavailableException("the digests the servers sent do not add up to their root " + root.hex());
        }
        byte[][] bytes = new byte[pieces][];
        for (int i = 0; i < pieces; i++) {
            bytes[i] = all.get(i).bytes();
        }
        return new DigestBook(bytes, root);
    }

    /** One page from one server: the reply, or why not. */
    private static Object page(String fileName, long size, int pieceLength, int pieces, int page, ServerAddress server,
            ConnectionPool connections) {
        long first = (long) page * Frame.MAX_DIGESTS_PER_REPLY;
        long expected = Math.min(Frame.MAX_DIGESTS_PER_REPLY, pieces - first);
        PooledConnection connection;
        try {
            connection = connections.connection(server);
        } catch (IOException e) {
            return IoFailures.explain(e);
        }
        try (connection) {
            return switch (connection.ask(new Frame.DigestRequest(fileName, first, pieceLength))) {
                case Frame.DigestReply reply when reply.firstPiece() == first && reply.fileSize() == size
                        && reply.digests().size() == expected -> reply;
                case Frame.DigestReply reply -> "sent digests of " + reply.fileSize() + " bytes from piece " + reply.firstPiece()
                        + " (" + reply.digests().size() + " of them) where " + expected + " from piece " + first + " of "
                        + size + " bytes were asked for";
                case Frame.ErrorReply error -> "server says \"" + error.reason() + "\"";
                case Frame.SizeReply _ -> "answered a digest request with a size";
                case Frame.ChunkReply _ -> "answered a digest request with a chunk";
            };
        } catch (IOException e) {
            return connection.explain(e);
        }
    }
}
