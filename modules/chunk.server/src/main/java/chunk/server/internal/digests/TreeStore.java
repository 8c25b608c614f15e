package chunk.server.internal.digests;

import chunk.wire.tree.DigestTree;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Where the digest tree of each version of a served file comes from, so that each version is
 * hashed once whatever piece lengths clients ask for: memory first (the most recently used
 * trees, up to a bound), then the {@link TreeCacheFolder} if there is one, then a job that finds
 * it there or makes it with a {@link TreePass}. At most one job per file at a time: a request
 * for a file being hashed waits for that pass, and a request for a file whose background pass is
 * still queued moves it to the front.
 *
 * <p>A tree made in the background goes to the cache folder and, without one, to memory; one a
 * client asked for goes to both, since more requests for it are likely to follow.
 */
public final class TreeStore implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    /** What memory holds by default: 64 MiB of layers, the leaves of 32 GiB of files. */
    public static final long DEFAULT_MEMORY_BYTES = 64L << 20;
    /** What a kept tree costs beyond its layer: the identity, the map's node. */
    private static final long ENTRY_OVERHEAD = 256;
    /** How often a request waiting for a pass tells its connection that it is not idle. */
    private static final long STILL_WORKING_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What a request for a version's tree comes to. */
    public sealed interface Outcome {
        /** The tree of the version asked for. */
        record Found(DigestTree tree) implements Outcome {}

        /** The file was another version by the time it was hashed: look at it again. */
        record Changed() implements Outcome {}
    }

    private record Kept(FileIdentity identity, DigestTree tree) {
        long bytes() {
            return tree.layerBytes() + ENTRY_OVERHEAD;
        }
    }

    /**
     * A file's one job, queued or running; its result is the tree and the version it is of.
     * {@code asked} turns true when a client waits for it: a background pass then stops stepping
     * back for transfers, since a transfer place is what that client holds while it waits.
     */
    private static final class Job {
        final Path path;
        final CompletableFuture<TreePass.Result> result = new CompletableFuture<>();
        volatile boolean asked;

        Job(Path path, boolean asked) {
            this.path = path;
            this.asked = asked;
        }
    }

    private final HashingThreads threads;
    private final @Nullable TreeCacheFolder disk;
    private final long memoryBytes;
    private final TreePass.Between testHook;
    private final int maxLayerBytes;
    private final ConcurrentHashMap<Path, Job> jobs = new ConcurrentHashMap<>();
    /** Access-ordered: the eldest entry is the least recently used. Guarded by itself. */
    private final LinkedHashMap<Path, Kept> memory = new LinkedHashMap<>(16, 0.75f, true);
    private long keptBytes;

    /**
     * A store that keeps {@link #DEFAULT_MEMORY_BYTES} of trees in memory, each with the lowest
     * layer of at most {@link TreePass#MAX_LAYER_BYTES}.
     *
     * @param disk the cache folder, or {@code null} to keep trees in memory only
     */
    public TreeStore(HashingThreads threads, @Nullable TreeCacheFolder disk) {
        this(threads, disk, DEFAULT_MEMORY_BYTES, TreePass.MAX_LAYER_BYTES, TreePass.Between.NONE);
    }

    /**
     * @param disk the cache folder, or {@code null} to keep trees in memory only
     * @param memoryBytes the most the trees in memory may take
     * @param maxLayerBytes the most one tree's kept layer may take (see {@link TreePass#MAX_LAYER_BYTES})
     * @param testHook called between two buffers of every pass (tests change files there)
     */
    TreeStore(HashingThreads threads, @Nullable TreeCacheFolder disk, long memoryBytes, int maxLayerBytes,
              TreePass.Between testHook) {
        this.threads = threads;
        this.disk = disk;
        this.memoryBytes = memoryBytes;
        this.maxLayerBytes = maxLayerBytes;
        this.testHook = testHook;
    }

    /** The cache folder, if trees are kept on disk. */
    public @Nullable TreeCacheFolder disk() {
        return disk;
    }

    /**
     * The tree of the version {@code identity} names, from memory, the cache folder, a pass that
     * is running, or a new pass that goes before any background work. Parks while it waits.
     *
     * @param stillWorking called about every second while a pass runs, so that the connection does not look idle
     * @throws IOException if the file cannot be read
     */
    public Outcome tree(FileIdentity identity, Runnable stillWorking) throws IOException, InterruptedException {
        DigestTree known = inMemory(identity);
        if (known != null) {
            return new Outcome.Found(known);
        }
        Path path = identity.path();
        Job job = jobs.get(path);
        if (job == null) {
            Job mine = new Job(path, true);
            job = jobs.putIfAbsent(path, mine);
            if (job == null) {
                job = mine;
                threads.urgent(() -> run(mine));
            }
        }
        if (!job.asked) {
            job.asked = true;
            threads.promote(path); // queued in the background: now it goes first (if running: at full speed)
        }
        if (await(job.result, stillWorking) instanceof TreePass.Result.Done(FileIdentity hashed, DigestTree tree)
                && hashed.equals(identity)) {
            return new Outcome.Found(tree);
        }
        return new Outcome.Changed();
    }

    /**
     * Queues a background job for the file at {@code path} unless its current version's tree is
     * in memory or a job for it exists. Does not wait for room: the caller does
     * ({@link HashingThreads#awaitRoom}).
     */
    public void hashInBackground(Path path) {
        try {
            if (inMemory(FileIdentity.of(path)) != null) {
                return;
            }
        } catch (IOException e) {
            return; // gone already
        }
        Job job = new Job(path, false);
        if (jobs.putIfAbsent(path, job) == null && !threads.background(path, () -> run(job))) {
            jobs.remove(path, job);
            job.result.completeExceptionally(new IOException("the server is stopping"));
        }
    }

    private @Nullable DigestTree inMemory(FileIdentity identity) {
        synchronized (memory) {
            Kept kept = memory.get(identity.path());
            return kept != null && kept.identity().equals(identity) ? kept.tree() : null;
        }
    }

    /**
     * The job itself, on a hashing thread: the version now, from memory, disk or a pass. The job
     * leaves the map before its result is given, so that a request that wakes on a result it
     * cannot use (the file changed) starts a job of its own instead of finding this one again.
     */
    private void run(Job job) {
        TreePass.Result result;
        try {
            result = find(job);
        } catch (IOException | RuntimeException | Error e) {
            LOG.log(Level.DEBUG, () -> "cannot hash " + job.path + ": " + e);
            jobs.remove(job.path, job);
            job.result.completeExceptionally(e);
            return;
        }
        jobs.remove(job.path, job); // after remember(): a request never finds neither
        job.result.complete(result);
    }

    private TreePass.Result find(Job job) throws IOException {
        FileIdentity identity = FileIdentity.of(job.path);
        DigestTree tree = inMemory(identity);
        if (tree == null && disk != null && disk.read(identity) instanceof TreeCacheFolder.Lookup.Found(DigestTree found)) {
            tree = found;
        }
        if (tree == null) {
            switch (TreePass.hash(identity, maxLayerBytes, (file, hashed) -> between(job, file, hashed))) {
                case TreePass.Result.Done done -> tree = done.tree();
                case TreePass.Result.Changed changed -> {
                    return changed;
                }
            }
            if (disk != null) {
                disk.write(identity, tree);
            }
        }
        if (job.asked || disk == null) {
            remember(new Kept(identity, tree));
        }
        return new TreePass.Result.Done(identity, tree);
    }

    private boolean between(Job job, Path file, long hashed) throws IOException {
        threads.yieldToUrgent();
        if (!job.asked) {
            threads.pace();
        }
        return testHook.next(file, hashed) && !threads.isClosed();
    }

    private void remember(Kept kept) {
        synchronized (memory) {
            Kept old = memory.put(kept.identity().path(), kept);
            keptBytes += kept.bytes() - (old == null ? 0 : old.bytes());
            var eldest = memory.entrySet().iterator();
            while (keptBytes > memoryBytes && eldest.hasNext()) {
                Map.Entry<Path, Kept> out = eldest.next();
                if (out.getValue() != kept) {
                    keptBytes -= out.getValue().bytes();
                    eldest.remove();
                }
            }
        }
    }

    private static TreePass.Result await(CompletableFuture<TreePass.Result> result, Runnable stillWorking)
            throws IOException, InterruptedException {
        while (true) {
            try {
                return result.get(STILL_WORKING_NANOS, TimeUnit.NANOSECONDS);
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

    /** Whether a client waits for the job of the file at {@code path} now, for tests. */
    boolean asked(Path path) {
        Job job = jobs.get(path);
        return job != null && job.asked;
    }

    /** How many trees memory holds now, for tests. */
    public int treesInMemory() {
        synchronized (memory) {
            return memory.size();
        }
    }

    /** Ends every job still queued with an error, so that no request waits for a pass that will not run. */
    @Override
    public void close() {
        IOException stopping = new IOException("the server is stopping");
        for (Job job : jobs.values()) {
            job.result.completeExceptionally(stopping);
        }
    }

    @Override
    public String toString() {
        synchronized (memory) {
            return "TreeStore[" + memory.size() + " trees, " + keptBytes + " of " + memoryBytes + " bytes in memory, disk " + disk + "]";
        }
    }
}
