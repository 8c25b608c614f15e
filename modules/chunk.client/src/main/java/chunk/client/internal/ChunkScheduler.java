package chunk.client.internal;

import chunk.client.ChunkOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

/**
 * Runs the chunks of a download, each on its own virtual thread, inside one
 * {@link StructuredTaskScope}. This is the only class that uses that preview API (JDK 25,
 * JEP 505), so that the next JDK's renames touch only this file.
 *
 * <p>A chunk that no server could deliver is an outcome, not an error, and does not disturb
 * the others; a chunk that cannot write to the local file stops them all, since every other
 * chunk would fail the same way.
 */
final class ChunkScheduler {

    private ChunkScheduler() {}

    /**
     * Runs every task and returns their outcomes in the order of {@code tasks}.
     *
     * @throws LocalWriteException if a task could not write the part file; the others are cancelled
     * @throws InterruptedException if this thread is interrupted; the tasks are cancelled
     */
    static List<ChunkOutcome> runAll(String name, List<ChunkTask> tasks) throws LocalWriteException, InterruptedException {
        try (var scope = StructuredTaskScope.open(
                Joiner.<ChunkOutcome>awaitAllSuccessfulOrThrow(), config -> config.withName(name))) {
            List<Subtask<ChunkOutcome>> subtasks = new ArrayList<>(tasks.size());
            for (ChunkTask task : tasks) {
                subtasks.add(scope.fork(task));
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
            List<ChunkOutcome> outcomes = new ArrayList<>(subtasks.size());
            for (Subtask<ChunkOutcome> subtask : subtasks) {
                if (subtask.state() != Subtask.State.SUCCESS) {
                    throw new IllegalStateException("chunk task in state " + subtask.state() + " after a successful join");
                }
                outcomes.add(subtask.get());
            }
            return outcomes;
        }
    }
}
