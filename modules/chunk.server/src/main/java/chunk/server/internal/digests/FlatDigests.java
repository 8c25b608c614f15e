package chunk.server.internal.digests;

import chunk.server.internal.digests.DigestService.Answer;
import chunk.wire.Digest;
import chunk.wire.Frame;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Answers DIGESTS requests with flat digests, on connections not kept open at version 2 (clients
 * of chunk's round 2): the SHA-256 of each piece of a file at the piece length a client names,
 * and the SHA-256 of their concatenation as the root, computed on demand by streaming the file
 * and kept for the next client. Flat digests cannot be made from the digest tree (a piece's
 * SHA-256 is not a function of its blocks' SHA-256s), so each piece length costs a pass of its
 * own, as in round 2; clients that speak version 2 cost one pass per version of a file
 * ({@link TreeStore}).
 *
 * <ul>
 * <li><b>One version per reply.</b> A file's version is its {@link FileIdentity}. It is read
 *     before the file is hashed and again after;
 *     if it changed, the digests are thrown away and the file is hashed again, up to
 *     {@value DigestService#ATTEMPTS} times, after which the client is told the file keeps changing. A
 *     cached version is used only while a fresh look at the file still finds it.
 * <li><b>Each version hashed once.</b> Requests for a version and piece length that is being
 *     hashed wait for that pass (their virtual threads park on its future) instead of starting
 *     their own.
 * <li><b>Bounded memory.</b> Hashing streams the file through one {@value #BUFFER_BYTES}-byte
 *     buffer. The cache holds at most {@link #DEFAULT_CACHE_BYTES} of digests, least recently
 *     used first out, one entry per file and piece length. A version whose digests alone would
 *     take more than that is not cached: each request for it hashes the file again and keeps
 *     only the root and the up to 126 digests it sends.
 * <li><b>The server keeps serving.</b> Passes run as urgent jobs of the server's
 *     {@link HashingThreads}, which the digest tree's passes share, so that hashing of both
 *     kinds together takes no more cores than its bound.
 * </ul>
 *
 * <p>Nothing is hashed before it is asked for, and nothing is kept across restarts: digests at
 * one length say nothing about another, so work done in advance would be a guess.
 */
final class FlatDigests {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    /** What the cache may hold by default: the digests of 2 TiB of files at 1 MiB pieces, or 8 GiB at 4 KiB. */
    static final long DEFAULT_CACHE_BYTES = 64L << 20;
    /** Read at once while hashing: large enough that a read costs little next to its hashing. */
    static final int BUFFER_BYTES = 1 << 20;
    /** What an entry costs beyond its digests: the key, the version, the map's node. */
    private static final long ENTRY_OVERHEAD = 256;
    /** How often a request waiting for its digests tells the idle watchdog that it is not idle. */
    private static final long STILL_WORKING_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Counts every pass over a file, in every service of the JVM: how tests see that a version was hashed once. */
    private static final LongAdder PASSES = new LongAdder();

    /** The digests of every piece of one version, one after another in {@code digests}. */
    private record Hashed(FileIdentity version, int pieceLength, Digest root, byte[] digests) {

        long bytes() {
            return digests.length + ENTRY_OVERHEAD;
        }

        List<Digest> page(long first, int count) {
            List<Digest> page = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int offset = Math.toIntExact((first + i) * Digest.BYTES);
                page.add(new Digest(Arrays.copyOfRange(digests, offset, offset + Digest.BYTES)));
            }
            return page;
        }
    }

    /** A pass's result: the digests, or the news that the file was not the version asked for. */
    private sealed interface Pass {
        record Done(Hashed hashed) implements Pass {}

        record Changed() implements Pass {}
    }

    private record InFlightKey(FileIdentity version, int pieceLength) {}

    private record CacheKey(Path path, int pieceLength) {}

    private final long cacheBytes;
    private final PassHook hook;
    private final ConcurrentHashMap<InFlightKey, CompletableFuture<Pass>> inFlight = new ConcurrentHashMap<>();
    /** Access-ordered: the eldest entry is the least recently used. Guarded by itself. */
    private final LinkedHashMap<CacheKey, Hashed> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;
    private final HashingThreads hashing;

    /** Called by a pass after each buffer it hashed: how tests change a file in the middle of a pass. */
    @FunctionalInterface
    interface PassHook {
        PassHook NONE = (path, hashedBytes) -> {};

        void hashed(Path path, long hashedBytes) throws IOException;
    }

    FlatDigests(HashingThreads hashing) {
        this(DEFAULT_CACHE_BYTES, hashing, PassHook.NONE);
    }

    FlatDigests(long cacheBytes, HashingThreads hashing, PassHook hook) {
        this.cacheBytes = cacheBytes;
        this.hook = hook;
        this.hashing = hashing;
    }

    /** Passes over files made so far by every service in this JVM (each is a whole file read and hashed). */
    static long passesSoFar() {
        return PASSES.sum();
    }

    /**
     * The answer to {@code request} for the file at {@code realPath}; waits (parked) while the
     * file is hashed.
     *
     * @param stillWorking called about every second while the answer is computed, so that the
     *     connection does not look idle
     */
    Answer answer(Path realPath, Frame.DigestRequest request, Runnable stillWorking) throws InterruptedException {
        int pieceLength = request.pieceLength();
        try {
            for (int attempt = 0; attempt < DigestService.ATTEMPTS; attempt++) {
                FileIdentity version = FileIdentity.of(realPath);
                long pieceCount = Frame.pieceCount(version.size(), pieceLength);
                long first = request.firstPiece();
                if (first > pieceCount) {
                    return DigestService.pastTheEnd(first, pieceCount, pieceLength);
                }
                int count = (int) Math.min(Frame.MAX_DIGESTS_PER_REPLY, pieceCount - first);
                Answer answer = fitsTheCache(pieceCount)
                        ? fromCache(version, pieceLength, first, count, stillWorking)
                        : uncached(version, pieceLength, first, count, stillWorking);
                if (answer != null) {
                    return answer;
                }
                LOG.log(Level.DEBUG, () -> realPath + " changed while it was hashed; hashing it again");
            }
            return new Answer.KeptChanging();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "cannot hash " + realPath + ": " + e);
            return new Answer.CannotRead(e);
        }
    }

    private boolean fitsTheCache(long pieceCount) {
        return pieceCount <= (cacheBytes - ENTRY_OVERHEAD) / Digest.BYTES;
    }

    /** The answer from the cache, hashing the version first if no one has; null if the file changed meanwhile. */
    private Answer.@Nullable Digests fromCache(FileIdentity version, int pieceLength, long first, int count, Runnable stillWorking)
            throws IOException, InterruptedException {
        Hashed hashed = cached(version, pieceLength);
        if (hashed == null) {
            InFlightKey key = new InFlightKey(version, pieceLength);
            CompletableFuture<Pass> mine = new CompletableFuture<>();
            CompletableFuture<Pass> running = inFlight.putIfAbsent(key, mine);
            if (running == null) {
                running = mine;
                hashing.urgent(() -> hashIntoCache(key, mine));
            }
            if (!(await(running, stillWorking) instanceof Pass.Done(Hashed done))) {
                return null;
            }
            hashed = done;
        }
        return new Answer.Digests(new Frame.DigestReply(first, version.size(), hashed.root(), hashed.page(first, count)));
    }

    private @Nullable Hashed cached(FileIdentity version, int pieceLength) {
        synchronized (cache) {
            Hashed hashed = cache.get(new CacheKey(version.path(), pieceLength));
            return hashed != null && hashed.version().equals(version) ? hashed : null;
        }
    }

    private void hashIntoCache(InFlightKey key, CompletableFuture<Pass> result) {
        try {
            // Someone may have finished this version between the caller's look and this task's start.
            Hashed already = cached(key.version(), key.pieceLength());
            Pass pass = already != null ? new Pass.Done(already) : hash(key.version(), key.pieceLength(), 0, -1);
            if (pass instanceof Pass.Done(Hashed hashed)) {
                remember(hashed);
            }
            result.complete(pass);
        } catch (IOException | RuntimeException | Error e) {
            result.completeExceptionally(e);
        } finally {
            inFlight.remove(key, result); // after remember(): a request never finds neither
        }
    }

    private void remember(Hashed hashed) {
        synchronized (cache) {
            Hashed old = cache.put(new CacheKey(hashed.version().path(), hashed.pieceLength()), hashed);
            cachedBytes += hashed.bytes() - (old == null ? 0 : old.bytes());
            var eldest = cache.entrySet().iterator();
            while (cachedBytes > cacheBytes && eldest.hasNext()) {
                Hashed out = eldest.next().getValue();
                eldest.remove();
                cachedBytes -= out.bytes();
            }
        }
    }

    /** A version too large to cache: a pass of its own, keeping only what this reply carries. */
    private Answer.@Nullable Digests uncached(FileIdentity version, int pieceLength, long first, int count, Runnable stillWorking)
            throws IOException, InterruptedException {
        CompletableFuture<Pass> result = new CompletableFuture<>();
        hashing.urgent(() -> {
            try {
                result.complete(hash(version, pieceLength, first, count));
            } catch (IOException | RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        if (!(await(result, stillWorking) instanceof Pass.Done(Hashed hashed))) {
            return null;
        }
        return new Answer.Digests(new Frame.DigestReply(first, version.size(), hashed.root(), hashed.page(0, count)));
    }

    private static Pass await(CompletableFuture<Pass> pass, Runnable stillWorking) throws IOException, InterruptedException {
        while (true) {
            try {
                return pass.get(STILL_WORKING_NANOS, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                stillWorking.run();
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case IOException io -> throw io;
                    case RuntimeException runtime -> throw runtime;
                    case Error error -> throw error;
                    case null, default -> throw new IllegalStateException("hashing failed", e.getCause());
                }
            }
        }
    }

    /**
     * One pass over the file: the root, and the digests of pieces {@code [keepFirst, keepFirst + keepCount)}
     * (of all pieces if {@code keepCount} is negative).
     *
     * @return the digests, or {@link Pass.Changed} if the file is not {@code version} before,
     *     during or after the pass
     */
    private Pass hash(FileIdentity version, int pieceLength, long keepFirst, int keepCount) throws IOException {
        PASSES.increment();
        long startNanos = System.nanoTime();
        long size = version.size();
        long pieceCount = Frame.pieceCount(size, pieceLength);
        byte[] kept = new byte[Math.toIntExact((keepCount < 0 ? pieceCount : keepCount) * Digest.BYTES)];
        MessageDigest piece = Digest.newSha256();
        MessageDigest root = Digest.newSha256();
        byte[] digest = new byte[Digest.BYTES];
        try (FileChannel file = FileChannel.open(version.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            // Opened after the version was read: if the name now leads to another file, this says so.
            if (!FileIdentity.of(version.path()).equals(version) || file.size() != size) {
                return new Pass.Changed();
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER_BYTES, Math.max(size, 1)));
            long position = 0;
            long index = 0;
            long pieceEnd = Math.min(pieceLength, size);
            while (position < size) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), size - position));
                while (buffer.hasRemaining()) {
                    if (file.read(buffer, position + buffer.position()) < 0) {
                        return new Pass.Changed(); // shorter than its size said: it shrank
                    }
                }
                int offset = 0;
                int filled = buffer.position();
                while (offset < filled) {
                    int take = (int) Math.min(filled - offset, pieceEnd - position);
                    piece.update(buffer.array(), offset, take);
                    offset += take;
                    position += take;
                    if (position == pieceEnd) {
                        finish(piece, digest);
                        root.update(digest);
                        long keptIndex = keepCount < 0 ? index : index - keepFirst;
                        if (keptIndex >= 0 && keptIndex * Digest.BYTES < kept.length) {
                            System.arraycopy(digest, 0, kept, (int) (keptIndex * Digest.BYTES), Digest.BYTES);
                        }
                        index++;
                        pieceEnd = Math.min(pieceEnd + pieceLength, size);
                    }
                }
                hook.hashed(version.path(), position);
            }
            if (file.size() != size || !FileIdentity.of(version.path()).equals(version)) {
                return new Pass.Changed();
            }
        }
        Hashed hashed = new Hashed(version, pieceLength, Digest.finish(root), kept);
        long nanos = System.nanoTime() - startNanos;
        LOG.log(Level.DEBUG, () -> String.format(Locale.ROOT, "hashed %s: %d bytes, %d piece(s) of %d bytes, in %.1f ms (%.0f MB/s)",
                version.path(), size, pieceCount, pieceLength, nanos / 1e6, size / 1e6 / Math.max(nanos / 1e9, 1e-9)));
        return new Pass.Done(hashed);
    }

    private static void finish(MessageDigest sha256, byte[] into) {
        try {
            sha256.digest(into, 0, Digest.BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 makes 32 bytes", e);
        }
    }

    /** The bytes the cache holds now, for tests. */
    long cachedBytes() {
        synchronized (cache) {
            return cachedBytes;
        }
    }

    /** How many versions the cache holds now, for tests. */
    int cachedVersions() {
        synchronized (cache) {
            return cache.size();
        }
    }

    @Override
    public String toString() {
        return "FlatDigests[" + cachedVersions() + " versions, " + cachedBytes() + " of " + cacheBytes + " bytes]";
    }
}
