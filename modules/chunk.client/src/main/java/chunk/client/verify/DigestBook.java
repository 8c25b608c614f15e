package chunk.client.verify;

import chunk.client.net.DigestPage;
import chunk.client.net.DigestScheme;
import chunk.client.net.Mirror;
import chunk.client.net.MirrorException;
import chunk.client.plan.ChunkPlanner;
import chunk.client.plan.PieceDigester;
import chunk.client.plan.PieceMap;
import chunk.wire.Digest;
import chunk.wire.Frame;
import chunk.wire.tree.PieceHasher;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * The digest of every piece at the download's piece length, fetched before any data from the
 * mirrors that agreed on the file, in pages of {@value Frame#MAX_DIGESTS_PER_REPLY}, and
 * checked against each other and against the root they sent: a piece is then checked against
 * digests that no single server could have forged alone.
 */
public final class DigestBook implements PieceMap.Digests {

    /** Digest requests open at once. */
    private static final int AT_ONCE = 8;
    private static final int PAGE = Frame.MAX_DIGESTS_PER_REPLY;

    private final byte[][] digests;
    private final Digest root;
    private final DigestScheme scheme;
    private final long size;
    private final long pieceLength;

    private DigestBook(byte[][] digests, Digest root, DigestScheme scheme, long size, long pieceLength) {
        this.digests = digests;
        this.root = root;
        this.scheme = scheme;
        this.size = size;
        this.pieceLength = pieceLength;
    }

    /** The root at the download's piece length. */
    public Digest root() {
        return root;
    }

    @Override
    public boolean matches(int piece, byte[] digest) {
        return Arrays.equals(digests[piece], digest);
    }

    @Override
    public PieceDigester digester() {
        return digester(scheme, size, pieceLength);
    }

    /** A digester of the pieces of a file of {@code size} bytes at {@code pieceLength}, as {@code scheme} makes their digests. */
    static PieceDigester digester(DigestScheme scheme, long size, long pieceLength) {
        return switch (scheme) {
            case FLAT -> new FlatDigester();
            case TREE -> new TreeDigester(new PieceHasher(size, pieceLength));
        };
    }

    /** Each piece's SHA-256. */
    private static final class FlatDigester implements PieceDigester {
        private final MessageDigest sha256 = Digest.newSha256();

        @Override
        public void update(ByteBuffer bytes) {
            sha256.update(bytes);
        }

        @Override
        public byte[] finish() {
            return sha256.digest();
        }
    }

    /** Each piece's node of the digest tree. */
    private record TreeDigester(PieceHasher hasher) implements PieceDigester {
        @Override
        public void update(ByteBuffer bytes) {
            hasher.update(bytes);
        }

        @Override
        public byte[] finish() {
            return hasher.finish().bytes();
        }
    }

    /** Why the digests could not be had. */
    public static final class UnavailableException extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message);
        }
    }

    /**
     * Fetches the digests of {@code size} bytes at {@code pieceLength} from {@code mirrors}.
     *
     * @param scheme the kind of digests the mirrors agreed on: a page of another kind is refused
     * @param known the first page, already in hand at this piece length; or null
     * @throws UnavailableException if no mirror gave digests that add up to one root of this size
     */
    public static DigestBook fetch(String fileName, long size, int pieceLength, DigestScheme scheme, List<Mirror> mirrors,
            @Nullable DigestPage known) throws UnavailableException, InterruptedException {
        int pieces = ChunkPlanner.pieceCount(size, pieceLength);
        DigestPage[] pages = new DigestPage[Math.max(1, Math.ceilDiv(pieces, PAGE))];
        String[] problems = new String[pages.length];
        if (known != null) {
            pages[0] = known;
        }
        fetchMissingPages(fileName, size, pieceLength, scheme, pieces, mirrors, pages, problems);
        for (int page = 0; page < pages.length; page++) {
            if (pages[page] == null) {
                throw new UnavailableException("no server sent the digests of pieces from " + page * PAGE
                        + " (" + problems[page] + ")");
            }
        }
        return checked(pages, pieces, scheme, size, pieceLength);
    }

    /** Every page not yet in hand, {@value #AT_ONCE} at a time, each from the next mirror in turn and from the others if it fails. */
    private static void fetchMissingPages(String fileName, long size, int pieceLength, DigestScheme scheme, int pieces,
            List<Mirror> mirrors, DigestPage[] pages, String[] problems) throws InterruptedException {
        Semaphore places = new Semaphore(AT_ONCE);
        List<Thread> threads = new ArrayList<>();
        for (int page = 0; page < pages.length; page++) {
            if (pages[page] != null) {
                continue;
            }
            int index = page;
            places.acquire();
            threads.add(Thread.ofVirtual().name("digests " + page).start(() -> {
                try {
                    for (int k = 0; k < mirrors.size() && pages[index] == null; k++) {
                        Mirror mirror = mirrors.get((index + k) % mirrors.size());
                        try {
                            pages[index] = page(fileName, size, pieceLength, scheme, pieces, index, mirror);
                        } catch (MirrorException e) {
                            problems[index] = mirror.address() + ": " + e.reason();
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
    }

    /** The digests of all pages, if they share one root and add up to it. */
    private static DigestBook checked(DigestPage[] pages, int pieces, DigestScheme scheme, long size, int pieceLength)
            throws UnavailableException {
        Digest root = pages[0].root();
        List<Digest> all = new ArrayList<>(pieces);
        for (DigestPage page : pages) {
            if (!page.root().equals(root)) {
                throw new UnavailableException("the servers sent digests of two versions of the file (roots "
                        + root.hex() + " and " + page.root().hex() + ")");
            }
            all.addAll(page.digests());
        }
        if (!scheme.addsUp(size, pieceLength, all, root)) {
            throw new UnavailableException("the digests the servers sent do not add up to their root " + root.hex());
        }
        byte[][] bytes = new byte[pieces][];
        for (int i = 0; i < pieces; i++) {
            bytes[i] = all.get(i).bytes();
        }
        return new DigestBook(bytes, root, scheme, size, pieceLength);
    }

    /** One page from one mirror, checked against what was asked. */
    private static DigestPage page(String fileName, long size, int pieceLength, DigestScheme scheme, int pieces, int page,
            Mirror mirror) throws MirrorException {
        long first = (long) page * PAGE;
        long expected = Math.min(PAGE, pieces - first);
        DigestPage reply = mirror.digests(fileName, first, pieceLength);
        if (reply.scheme() != scheme) {
            throw new MirrorException(chunk.client.ServerFailure.Kind.BAD_REPLY, "sent " + reply.scheme() + " digests where "
                    + scheme + " digests were asked for");
        }
        if (reply.firstPiece() != first || reply.fileSize() != size || reply.digests().size() != expected) {
            throw new MirrorException(chunk.client.ServerFailure.Kind.BAD_REPLY, "sent digests of " + reply.fileSize()
                    + " bytes from piece " + reply.firstPiece() + " (" + reply.digests().size() + " of them) where "
                    + expected + " from piece " + first + " of " + size + " bytes were asked for");
        }
        return reply;
    }
}
