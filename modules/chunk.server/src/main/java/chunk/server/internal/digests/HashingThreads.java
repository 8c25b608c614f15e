package chunk.server.internal.digests;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The few platform threads that hash files, and the order of their work: every urgent job (a
 * client waits for it) before any background one, and a background pass lets urgent jobs run
 * between two of its buffers ({@link #yieldToUrgent}), so that a client never waits for more
 * than a buffer of someone else's background work. While the server is serving a transfer, a
 * background pass takes only {@code 1/}{@value #BUSY_SHARE} of its thread ({@link #pace}): at full
 * speed it slowed a download running meanwhile by half on two cores (docs/BENCHMARKS.md).
 *
 * <p>Platform threads, not the connections' virtual threads: a virtual thread is never
 * preempted, so a second of SHA-256 on one would hold a carrier that every connection needs.
 * The kernel time-slices these with the carriers, and their number bounds the CPU that hashing
 * takes ({@link #defaultCount}), however many files wait.
 */
public final class HashingThreads implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    /** Background jobs queued at most: the folder's walk waits for room, so a million files are never a million jobs. */
    static final int BACKGROUND_BACKLOG = 64;
    /** While transfers are served, a background pass hashes one part of the time in this many and waits the rest. */
    static final int BUSY_SHARE = 16;
    /** The longest wait between two buffers: a pass still moves, and a stop is seen. */
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Whether the job running on this thread is a background one, which yields to urgent work. */
    private static final ThreadLocal<Boolean> IN_BACKGROUND = ThreadLocal.withInitial(() -> false);
    /** When this thread's background pass last began to work (after its last pause), for {@link #pace}. */
    private static final ThreadLocal<long[]> WORKING_SINCE = ThreadLocal.withInitial(() -> new long[1]);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition room = lock.newCondition();
    private final Deque<Runnable> urgent = new ArrayDeque<>();
    /** Queued background jobs by their file, oldest first; a promoted one moves to {@link #urgent}. */
    private final Map<Path, Runnable> background = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final BooleanSupplier serving;
    /** Pauses made by background passes so far, for tests. */
    private final LongAdder pauses = new LongAdder();
    private volatile boolean closed;

    /** Threads for a program with no transfers to make room for (tests): background passes never pause. */
    public HashingThreads(int count) {
        this(count, () -> false);
    }

    /**
     * @param count how many threads hash at once, at least 1
     * @param serving whether the server is sending a reply now: background passes then pause
     */
    public HashingThreads(int count, BooleanSupplier serving) {
        this.serving = serving;
        if (count < 1) {
            throw new IllegalArgumentException("hashing needs at least one thread, not " + count);
        }
        for (int i = 1; i <= count; i++) {
            Thread thread = Thread.ofPlatform().name("chunk-server-hashing-" + i).daemon().unstarted(this::work);
            threads.add(thread);
            thread.start();
        }
    }

    /** Half the cores, at least one: hashing never takes every core from the connections. */
    public static int defaultCount() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Runs {@code job} before any background job still queued; ignored once closed. */
    public void urgent(Runnable job) {
        lock.lock();
        try {
            if (!closed) {
                urgent.addLast(job);
                work.signalAll(); // an idle thread takes it, or a pausing background pass runs it
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code job} for {@code file} behind the other background jobs; a job already
     * queued for the file stays where it is. Never waits: a producer that may queue many calls
     * {@link #awaitRoom} first.
     *
     * @return false if closed or a job for the file is queued already
     */
    public boolean background(Path file, Runnable job) {
        lock.lock();
        try {
            if (closed || background.putIfAbsent(file, job) != null) {
                return false;
            }
            work.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits while {@value #BACKGROUND_BACKLOG} background jobs are queued: how the walk of a
     * folder of a million files keeps no more than that many in memory.
     *
     * @return false if closed
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitRoom() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && background.size() >= BACKGROUND_BACKLOG) {
                room.await();
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the background job queued for {@code file}, if any, urgent: the file a client asked
     * for goes to the front.
     *
     * @return whether a job was queued for it
     */
    public boolean promote(Path file) {
        lock.lock();
        try {
            Runnable job = background.remove(file);
            if (job == null) {
                return false;
            }
            urgent.addLast(job);
            room.signal();
            work.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by a pass between two buffers: in a background job, runs the urgent jobs waiting
     * now on this thread, then returns to the pass; in an urgent job, does nothing.
     */
    public void yieldToUrgent() {
        if (!IN_BACKGROUND.get()) {
            return;
        }
        for (Runnable job = takeUrgent(); job != null; job = takeUrgent()) {
            run(job, false);
            WORKING_SINCE.get()[0] = System.nanoTime(); // the urgent job's time is not the pass's
        }
    }

    /**
     * Called by a pass between two buffers, after {@link #yieldToUrgent}: in a background job while
     * the server is serving, waits {@code BUSY_SHARE - 1} times as long as the pass has just worked
     * (at most {@value #LONGEST_PAUSE_NANOS} ns), so that the pass takes a small share of a core
     * from the transfers; urgent work that arrives meanwhile runs at once. Otherwise returns at once.
     */
    public void pace() {
        if (!IN_BACKGROUND.get()) {
            return;
        }
        long[] since = WORKING_SINCE.get();
        long worked = System.nanoTime() - since[0];
        if (worked > 0 && serving.getAsBoolean()) {
            long pause = Math.min(worked * (BUSY_SHARE - 1), LONGEST_PAUSE_NANOS);
            pauses.increment();
            lock.lock();
            try {
                while (pause > 0 && urgent.isEmpty() && !closed) {
                    pause = work.awaitNanos(pause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
            yieldToUrgent();
        }
        since[0] = System.nanoTime();
    }

    /** Pauses that background passes made so far to make room for transfers, for tests. */
    long pausesSoFar() {
        return pauses.sum();
    }

    /** Background jobs queued now, for tests and the log. */
    public int backlog() {
        lock.lock();
        try {
            return background.size();
        } finally {
            lock.unlock();
        }
    }

    private Runnable takeUrgent() {
        lock.lock();
        try {
            return closed ? null : urgent.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            Runnable job;
            boolean isBackground;
            lock.lock();
            try {
                while (!closed && urgent.isEmpty() && background.isEmpty()) {
                    work.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                isBackground = urgent.isEmpty();
                if (isBackground) {
                    var eldest = background.entrySet().iterator();
                    job = eldest.next().getValue();
                    eldest.remove();
                    room.signal();
                } else {
                    job = urgent.pollFirst();
                }
            } finally {
                lock.unlock();
            }
            run(job, isBackground);
        }
    }

    private static void run(Runnable job, boolean isBackground) {
        boolean outer = IN_BACKGROUND.get();
        IN_BACKGROUND.set(isBackground);
        if (isBackground) {
            WORKING_SINCE.get()[0] = System.nanoTime();
        }
        try {
            job.run();
        } catch (RuntimeException | Error e) {
            // A job reports its own failures to whoever waits; this is a bug, and the thread must live on.
            LOG.log(Level.WARNING, "a hashing job failed: " + e);
            LOG.log(Level.DEBUG, "stack trace", e);
        } finally {
            IN_BACKGROUND.set(outer);
        }
    }

    /** Drops the queued jobs and stops the threads once their current job ends (a pass checks {@link #isClosed}). */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            urgent.clear();
            background.clear();
            work.signalAll();
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close} was called: a long pass stops at its next buffer. */
    public boolean isClosed() {
        return closed;
    }
}
