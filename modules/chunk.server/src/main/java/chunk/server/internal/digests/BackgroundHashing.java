package chunk.server.internal.digests;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Hashes the served folder's files in the background once the server listens, and then each file
 * that appears or changes, so that a client rarely waits for a pass. One platform thread walks
 * the folder (handing the {@link HashingThreads} at most their backlog at a time) and then
 * watches it: the operating system's notices (inotify on Linux) name what changed, and a file is
 * queued once it has been left alone for {@value #SETTLE_MILLIS} ms, so that one being written is
 * not hashed again for every write. A file the watch misses (the system's limit of watches is
 * reached, or its queue overflowed and the folder is walked again) is still hashed when a client
 * first asks for it. Hidden names and anything the server would not serve are left alone.
 */
final class BackgroundHashing implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    /** How long a file must go unchanged before it is hashed: a file still being written would be hashed in vain. */
    static final long SETTLE_MILLIS = 1000;

    private final Path root;
    private final Function<String, Optional<Path>> resolve;
    private final TreeStore trees;
    private final HashingThreads threads;
    private final Thread thread;
    private final @Nullable WatchService watcher;
    private final Map<WatchKey, Path> watched = new HashMap<>();
    /** Files that changed and when each may be queued, in nanoseconds. Touched by the walker's thread only. */
    private final Map<Path, Long> settling = new HashMap<>();
    private volatile boolean closed;
    private boolean watchLimitSaid;

    private BackgroundHashing(Path root, Function<String, Optional<Path>> resolve, TreeStore trees, HashingThreads threads) {
        this.root = root;
        this.resolve = resolve;
        this.trees = trees;
        this.threads = threads;
        this.watcher = newWatcher();
        this.thread = Thread.ofPlatform().name("chunk-server-hashing-walk").daemon().unstarted(this::run);
    }

    static BackgroundHashing start(Path realRoot, Function<String, Optional<Path>> resolve, TreeStore trees, HashingThreads threads) {
        BackgroundHashing hashing = new BackgroundHashing(realRoot, resolve, trees, threads);
        hashing.thread.start();
        return hashing;
    }

    private static @Nullable WatchService newWatcher() {
        try {
            return FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.INFO, "cannot watch the served folder (" + e + "): files that appear later are hashed when first asked for");
            return null;
        }
    }

    private void run() {
        try {
            walk(root);
            LOG.log(Level.DEBUG, () -> "the served folder is walked: its files are hashed or queued");
            if (watcher != null) {
                watch(watcher);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed: the server stops.
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "background hashing stopped: " + e + "; files are hashed when first asked for");
            LOG.log(Level.DEBUG, "stack trace", e);
        }
    }

    /** Queues every served file under {@code folder}, watching each folder on the way. */
    private void walk(Path folder) throws InterruptedException {
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    if (closed) {
                        return FileVisitResult.TERMINATE;
                    }
                    if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
                        return FileVisitResult.SKIP_SUBTREE; // hidden: never served
                    }
                    register(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    try {
                        queue(file);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return FileVisitResult.TERMINATE;
                    }
                    return closed ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    LOG.log(Level.DEBUG, () -> "background hashing skips " + file + ": " + e);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "background hashing cannot walk " + folder + ": " + e);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** Queues the file if the server serves it (a link is followed only as the server would follow it). */
    private void queue(Path file) throws InterruptedException {
        String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        Optional<Path> served = resolve.apply(name);
        if (served.isPresent() && threads.awaitRoom()) {
            trees.hashInBackground(served.get());
        }
    }

    private void register(Path dir) {
        if (watcher == null) {
            return;
        }
        try {
            watched.put(dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY), dir);
        } catch (IOException e) {
            if (!watchLimitSaid) {
                watchLimitSaid = true;
                LOG.log(Level.INFO, "cannot watch " + dir + " (" + e.getMessage() + "; on Linux, see fs.inotify.max_user_watches):"
                        + " files that appear or change there are hashed when first asked for");
            }
        }
    }

    private void watch(WatchService watcher) throws InterruptedException {
        while (!closed) {
            long now = System.nanoTime();
            long wait = settling.values().stream().mapToLong(due -> due - now).min().orElse(TimeUnit.SECONDS.toNanos(60));
            WatchKey key = watcher.poll(Math.max(1, wait), TimeUnit.NANOSECONDS);
            if (key != null) {
                noticed(key);
            }
            queueSettled();
        }
    }

    private void noticed(WatchKey key) throws InterruptedException {
        Path dir = watched.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                LOG.log(Level.DEBUG, "too many changes at once to follow them: walking the served folder again");
                walk(root);
            } else if (dir != null && event.context() instanceof Path name && !name.toString().startsWith(".")) {
                Path changed = dir.resolve(name);
                if (Files.isDirectory(changed, LinkOption.NOFOLLOW_LINKS)) {
                    walk(changed); // a new folder: watch it and take what it already holds
                } else {
                    settling.put(changed, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS));
                }
            }
        }
        if (!key.reset()) {
            watched.remove(key); // the folder is gone
        }
    }

    /** Queues the files left alone long enough; one still being written waits again. */
    private void queueSettled() throws InterruptedException {
        long now = System.nanoTime();
        List<Path> due = settling.entrySet().stream().filter(entry -> entry.getValue() - now <= 0).map(Map.Entry::getKey).toList();
        for (Path file : due) {
            settling.remove(file);
            long quietMillis;
            try {
                quietMillis = System.currentTimeMillis() - Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
            } catch (IOException e) {
                continue; // gone again
            }
            if (quietMillis < SETTLE_MILLIS) {
                settling.put(file, now + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS - quietMillis));
            } else {
                queue(file);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "closing the folder's watch: " + e);
            }
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
