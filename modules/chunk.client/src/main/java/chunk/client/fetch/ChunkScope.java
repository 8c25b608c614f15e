package chunk.client.fetch;

import chunk.client.disk.LocalWriteException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the chunks of a download, each on its own virtual thread, inside one
 * {@link StructuredTaskScope}, at most so many at a time. What each chunk fetches is the piece
 * map's decision, not this class's. This is the only class that uses that preview API (JDK 25,
 * JEP 505), so that the next JDK's renames touch only this file.
 *
 * <p>A chunk that no server could deliver is an outcome, not an error, and does not disturb
 * the others; a chunk that cannot write to the local file stops them all, since every other
 * chunk would fail the same way.
 *
 * <p>Only {@code atOnce} chunks run at a time, and a chunk's thread is started only when one
 * of them ends, so that a download of many chunks holds a list of waiting tasks rather than
 * thousands of parked threads.
 */
final class ChunkScope {

    private ChunkScope() {}

    /**
     * Runs every task, at most {@code atOnce} at a time, and returns their outcomes in the
     * order of {@code tasks}.
     *
     * @throws LocalWriteException if a task could not write the part file; the others are cancelled
     * @throws InterruptedException if this thread is interrupted; the tasks are cancelled
     */
    static <T> List<T> runAll(String name, List<? extends Callable<T>> tasks, int atOnce)
            throws LocalWriteException, InterruptedException {
        var places = new Semaphore(atOnce);
        // Set by a failing task before it gives its place back, so that the place it frees never
        // starts another task: the scope learns of the failure only after the task has ended.
        var failed = new AtomicBoolean();
        try (var scope = StructuredTaskScope.open(
                Joiner.<T>awaitAllSuccessfulOrThrow(), config -> config.withName(name))) {
            List<Subtask<T>> subtasks = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) {
                places.acquire();
                // Once a task has failed the download, fork no more. (A fork after the scope
                // was cancelled starts no thread and so never gives its place back: without
                // this check the next acquire could wait forever.)
                if (failed.get() || scope.isCancelled()) {
                    places.release();
                    break;
                }
                subtasks.add(scope.fork(() -> {
                    try {
                        return task.call();
                    } catch (Throwable e) {
                        failed.set(true);
                        throw e;
                    } finally {
                        places.release();
                    }
                }));
            }
            try {
                scope.join();
            } catch (StructuredTaskScope.FailedException e) {
                switch (e.getCause()) {
                    case LocalWriteException local -> throw local;
                    case RuntimeException bug -> throw bug;
                    case Error error -> throw error;
                    case Throwable other -> throw new IllegalStateException("a chunk failed unexpectedly", other);
                }
            }
            if (subtasks.size() != tasks.size()) {
                throw new IllegalStateException("forked " + subtasks.size() + " of " + tasks.size() + " chunks, yet none failed");
            }
            List<T> outcomes = new ArrayList<>(subtasks.size());
            for (Subtask<T> subtask : subtasks) {
                if (subtask.state() != Subtask.State.SUCCESS) {
                    throw new IllegalStateException("chunk task in state " + subtask.state() + " after a successful join");
                }
                outcomes.add(subtask.get());
            }
            return outcomes;
        }
    }
}
