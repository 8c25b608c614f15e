package chunk.client.verify;

import chunk.client.net.DigestPage;
import chunk.client.net.Mirror;
import chunk.client.net.MirrorException;
import chunk.client.plan.ChunkPlanner;
import chunk.client.plan.PieceMap;
import chunk.wire.Digest;
import chunk.wire.Frame;
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

    private DigestBook(byte[][] digests, Digest root) {
        this.digests = digests;
        this.root = root;
    }

    /** The root at the download's piece length. */
    public Digest root() {
        return root;
    }

    @Override
    public boolean matches(int piece, byte[] sha256) {
        return Arrays.equals(digests[piece], sha256);
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
     * @param known the first page, already in hand at this piece length; or null
     * @throws UnavailableException if no mirror gave digests that add up to one root of this size
     */
    public static DigestBook fetch(String fileName, long size, int pieceLength, List<Mirror> mirrors, @Nullable DigestPage known)
            throws UnavailableException, InterruptedException {
        int pieces = ChunkPlanner.pieceCount(size, pieceLength);
        DigestPage[] pages = new DigestPage[Math.max(1, Math.ceilDiv(pieces, PAGE))];
        String[] problems = new String[pages.length];
        if (known != null) {
            pages[0] = known;
        }
        fetchMissingPages(fileName, size, pieceLength, pieces, mirrors, pages, problems);
        for (int page = 0; page < pages.length; page++) {
            if (pages[page] == null) {
                throw new UnavailableException("no server sent the digests of pieces from " + page * PAGE
                        + " (" + problems[page] + ")");
            }
        }
        return checked(pages, pieces);
    }

    /** Every page not yet in hand, {@value #AT_ONCE} at a time, each from the next mirror in turn and from the others if it fails. */
    private static void fetchMissingPages(String fileName, long size, int pieceLength, int pieces, List<Mirror> mirrors,
            DigestPage[] pages, String[] problems) throws InterruptedException {
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
                            pages[index] = page(fileName, size, pieceLength, pieces, index, mirror);
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
    private static DigestBook checked(DigestPage[] pages, int pieces) throws UnavailableException {
        Digest root = pages[0].root();
        List<Digest> all = new ArrayList<>(pieces);
        for (DigestPage page : pages) {
            if (!page.root().equals(root)) {
                throw new UnavailableException("the servers sent digests of two versions of the file (roots "
                        + root.hex() + " and " + page.root().hex() + ")");
            }
            all.addAll(page.digests());
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

    /** One page from one mirror, checked against what was asked. */
    private static DigestPage page(String fileName, long size, int pieceLength, int pieces, int page, Mirror mirror)
            throws MirrorException {
        long first = (long) page * PAGE;
        long expected = Math.min(PAGE, pieces - first);
        DigestPage reply = mirror.digests(fileName, first, pieceLength);
        if (reply.firstPiece() != first || reply.fileSize() != size || reply.digests().size() != expected) {
            throw new MirrorException(chunk.client.ServerFailure.Kind.BAD_REPLY, "sent digests of " + reply.fileSize()
                    + " bytes from piece " + reply.firstPiece() + " (" + reply.digests().size() + " of them) where "
                    + expected + " from piece " + first + " of " + size + " bytes were asked for");
        }
        return reply;
    }
}
