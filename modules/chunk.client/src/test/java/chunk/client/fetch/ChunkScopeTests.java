package chunk.client.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chunk.client.ChunkOutcome;
import chunk.client.disk.LocalWriteException;
import chunk.client.testing.Waits;
import chunk.wire.ByteRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ChunkScopeTests {

    private static ChunkOutcome done(int index) {
        return new ChunkOutcome.Completed(index, new ByteRange(index, 1), List.of(), List.of());
    }

    @Test
    void runsEveryTaskAndKeepsTheirOrderWithNoMoreThanTheLimitRunningAtOnce() throws Exception {
        var running = new AtomicInteger();
        var mostAtOnce = new AtomicInteger();
        List<Callable<ChunkOutcome>> tasks = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int index = i;
            tasks.add(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.sleep(1); // long enough for the others to start, were they not held back
                running.decrementAndGet();
                return done(index);
            });
        }

        List<ChunkOutcome> outcomes = ChunkScope.runAll("test", tasks, 7);

        assertThat(outcomes).extracting(ChunkOutcome::index)
                .containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
        assertThat(mostAtOnce.get()).isBetween(1, 7);
    }

    @Test
    void startsAWaitingTaskOnlyWhenARunningOneEnds() throws Exception {
        var firstMayEnd = new CountDownLatch(1);
        var firstStarted = new CountDownLatch(1);
        var started = new AtomicInteger();
        var startedWhileFirstRan = new AtomicInteger(-1);
        List<Callable<ChunkOutcome>> tasks = List.of(
                () -> {
                    started.incrementAndGet();
                    firstStarted.countDown();
                    firstMayEnd.await();
                    return done(0);
                },
                () -> {
                    started.incrementAndGet();
                    return done(1);
                });
        Thread releaser = Thread.ofVirtual().start(() -> {
            try {
                if (firstStarted.await(Waits.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    startedWhileFirstRan.set(started.get());
                }
            } catch (InterruptedException e) {
                // the assertion below says what did not happen
            }
            firstMayEnd.countDown();
        });

        List<ChunkOutcome> outcomes = ChunkScope.runAll("test", tasks, 1);
        releaser.join();

        assertThat(outcomes).hasSize(2);
        assertThat(startedWhileFirstRan.get()).as("tasks started while the first one ran").isEqualTo(1);
    }

    @Test
    @Timeout(30) // the failure this guards against is a hang
    void aLocalWriteFailureStopsTheRestAndIsThrownEvenWithOnePlace() {
        var ran = new AtomicInteger();
        List<Callable<ChunkOutcome>> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int index = i;
            tasks.add(() -> {
                ran.incrementAndGet();
                if (index == 3) {
                    throw new LocalWriteException(Path.of("x.part"), new IOException("No space left on device"));
                }
                return done(index);
            });
        }

        assertThatThrownBy(() -> ChunkScope.runAll("test", tasks, 1)).isInstanceOf(LocalWriteException.class);
        assertThat(ran.get()).as("tasks that ran").isLessThan(100);
    }
}
