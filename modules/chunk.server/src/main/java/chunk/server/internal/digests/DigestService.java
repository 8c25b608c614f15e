package chunk.server.internal.digests;

import chunk.wire.Digest;
import chunk.wire.Frame;
import chunk.wire.tree.DigestTree;
import chunk.wire.tree.PieceHasher;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Answers DIGESTS requests: from the file's digest tree on a connection kept open at
 * {@link Frame#KEEP_OPEN_TREE_VERSION} ({@link TreeStore}), with flat digests on any other
 * ({@link FlatDigests}); and, once the server listens, hashes the served folder in the
 * background ({@link BackgroundHashing}) so that clients find its trees made. Both kinds of pass
 * share one set of {@link HashingThreads}.
 */
public final class DigestService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    /** Looks at a file that keeps changing before the client is told so. */
    static final int ATTEMPTS = 3;

    /** What to tell the client. */
    public sealed interface Answer {
        /** The reply to send. */
        record Digests(Frame.DigestReply reply) implements Answer {}

        /** The request asks for pieces the file does not have: {@code reason} is worded for the client. */
        record BadRequest(String reason) implements Answer {}

        /** The digest tree has no pieces of the length asked for (shorter than a block): {@code reason} is worded for the client. */
        record BadPieceLength(String reason) implements Answer {}

        /** The file could not be opened or read. */
        record CannotRead(IOException cause) implements Answer {}

        /** The file changed during each of the {@value DigestService#ATTEMPTS} passes over it. */
        record KeptChanging() implements Answer {}
    }

    private final HashingThreads threads;
    private final FlatDigests flat;
    private final TreeStore trees;
    private @Nullable BackgroundHashing background;

    /**
     * A service with {@link HashingThreads#defaultCount()} threads that keeps trees in memory
     * ({@link TreeStore#DEFAULT_MEMORY_BYTES}) and in {@code disk}.
     *
     * @param disk the cache folder, or {@code null} to keep trees in memory only
     * @param serving whether the server is sending a reply now: background hashing then steps back
     */
    public static DigestService create(@Nullable TreeCacheFolder disk, BooleanSupplier serving) {
        HashingThreads threads = new HashingThreads(HashingThreads.defaultCount(), serving);
        return new DigestService(threads, new TreeStore(threads, disk), FlatDigests.PassHook.NONE);
    }

    /**
     * @param threads the threads that hash, which this service closes
     * @param trees where trees come from
     * @param flatHook called between two buffers of a flat pass (tests change files there)
     */
    DigestService(HashingThreads threads, TreeStore trees, FlatDigests.PassHook flatHook) {
        this.threads = threads;
        this.trees = trees;
        this.flat = new FlatDigests(FlatDigests.DEFAULT_CACHE_BYTES, threads, flatHook);
    }

    /**
     * The answer to {@code request} for the file at {@code realPath}; waits (parked) while the
     * file is hashed.
     *
     * @param fromTree whether the connection was kept open at {@link Frame#KEEP_OPEN_TREE_VERSION} or later
     * @param stillWorking called about every second while a pass runs, so that the connection does not look idle
     */
    public Answer answer(Path realPath, Frame.DigestRequest request, boolean fromTree, Runnable stillWorking)
            throws InterruptedException {
        return fromTree ? fromTree(realPath, request, stillWorking) : flat.answer(realPath, request, stillWorking);
    }

    /** Passes over files for flat digests made so far in this JVM (tree passes: {@link TreePass#passesSoFar}). */
    public static long flatPassesSoFar() {
        return FlatDigests.passesSoFar();
    }

    /** The trees, for tests and the benchmarks' counts. */
    public TreeStore trees() {
        return trees;
    }

    private Answer fromTree(Path realPath, Frame.DigestRequest request, Runnable stillWorking) throws InterruptedException {
        int pieceLength = request.pieceLength();
        if (!DigestTree.isPieceLength(pieceLength)) {
            return new Answer.BadPieceLength("bad digest request: piece length " + pieceLength
                    + " is shorter than a block of the digest tree (" + DigestTree.BLOCK_BYTES + " bytes)");
        }
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                FileIdentity identity = FileIdentity.of(realPath);
                long pieceCount = Frame.pieceCount(identity.size(), pieceLength);
                long first = request.firstPiece();
                if (first > pieceCount) {
                    return pastTheEnd(first, pieceCount, pieceLength);
                }
                int count = (int) Math.min(Frame.MAX_DIGESTS_PER_REPLY, pieceCount - first);
                if (trees.tree(identity, stillWorking) instanceof TreeStore.Outcome.Found(DigestTree tree)) {
                    List<Digest> page = tree.hasPiecesOf(pieceLength)
                            ? tree.pieces(pieceLength, first, count)
                            : piecesFromFile(identity, pieceLength, first, count, stillWorking);
                    if (page != null) {
                        return new Answer.Digests(new Frame.DigestReply(first, identity.size(), tree.root(), page));
                    }
                }
                LOG.log(Level.DEBUG, () -> realPath + " changed while it was hashed; looking at it again");
            }
            return new Answer.KeptChanging();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "cannot hash " + realPath + ": " + e);
            return new Answer.CannotRead(e);
        }
    }

    /** The refusal of a first piece past the last, worded alike for both kinds of digests. */
    static Answer.BadRequest pastTheEnd(long first, long pieceCount, int pieceLength) {
        return new Answer.BadRequest("bad digest request: first piece " + first + " is past the end of the file ("
                + pieceCount + (pieceCount == 1 ? " piece" : " pieces") + " of " + pieceLength + " bytes)");
    }

    /**
     * Pieces shorter than the layer a very large file's tree keeps ({@link TreePass#MAX_LAYER_BYTES}):
     * hashed from the file, at most 126 pieces' worth, as an urgent job.
     *
     * @return the digests, or {@code null} if the file is no longer that version
     */
    private @Nullable List<Digest> piecesFromFile(FileIdentity identity, int pieceLength, long first, int count,
                                                  Runnable stillWorking) throws IOException, InterruptedException {
        CompletableFuture<@Nullable List<Digest>> result = new CompletableFuture<>();
        threads.urgent(() -> {
            try {
                result.complete(hashPieces(identity, pieceLength, first, count));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        while (true) {
            try {
                return result.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                stillWorking.run();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IllegalStateException("hashing failed", e.getCause());
            }
        }
    }

    private static @Nullable List<Digest> hashPieces(FileIdentity identity, int pieceLength, long first, int count)
            throws IOException {
        long start = first * pieceLength;
        long end = Math.min(identity.size(), (first + count) * pieceLength);
        PieceHasher hasher = new PieceHasher(identity.size(), pieceLength);
        List<Digest> pieces = new ArrayList<>(count);
        try (FileChannel file = FileChannel.open(identity.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (!identity.isCurrent()) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(TreePass.BUFFER_BYTES);
            long position = start;
            while (position < end) {
                long pieceEnd = Math.min(end, (position / pieceLength + 1) * pieceLength);
                buffer.clear().limit((int) Math.min(buffer.capacity(), pieceEnd - position));
                if (file.read(buffer, position) < 0) {
                    return null;
                }
                position += buffer.flip().remaining();
                hasher.update(buffer);
                if (position == pieceEnd) {
                    pieces.add(hasher.finish());
                }
            }
        }
        return identity.isCurrent() ? pieces : null;
    }

    /**
     * Starts hashing the served folder in the background, and each file that appears or
     * changes in it later.
     *
     * @param realRoot the served folder, links resolved
     * @param resolve the server's rule for which names it serves: a name relative to the root to
     *     the real path of the file it serves under it, if any
     */
    public void hashFolderInBackground(Path realRoot, Function<String, Optional<Path>> resolve) {
        background = BackgroundHashing.start(realRoot, resolve, trees, threads);
    }

    /** Stops the background work and every pass at its next buffer; requests still waiting are told the server stops. */
    @Override
    public void close() {
        BackgroundHashing walker = background;
        if (walker != null) {
            walker.close();
        }
        threads.close();
        trees.close();
    }
}
