package chunk.server.internal.digests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The order of hashing work on one thread, where any other order would show. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HashingThreadsTests {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void aBackgroundPassThatStepsBackForTransfersStillRunsUrgentWorkAtOnceOnItsOwnThread() throws Exception {
        AtomicInteger askedIfServing = new AtomicInteger();
        CountDownLatch pausing = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2);
        try (HashingThreads threads = new HashingThreads(1, () -> askedIfServing.incrementAndGet() > 0)) {
            threads.background(Path.of("big.bin"), () -> {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // a buffer's worth of work: the pause that follows is longer
                }
                pausing.countDown();
                threads.pace();
                events.add("the pass goes on on " + Thread.currentThread().getName());
                done.countDown();
            });
            assertThat(pausing.await(30, TimeUnit.SECONDS)).isTrue();
            threads.urgent(() -> {
                events.add("urgent on " + Thread.currentThread().getName());
                done.countDown();
            });
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }

        // One thread: the urgent job ran inside the pass's pause, not after the pass.
        assertThat(events).containsExactly("urgent on chunk-server-hashing-1", "the pass goes on on chunk-server-hashing-1");
        assertThat(askedIfServing.get()).as("the pass asked whether transfers are served").isPositive();
    }

    @Test
    void urgentWorkNeverAsksWhetherTheServerIsServing() throws Exception {
        AtomicInteger askedIfServing = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        try (HashingThreads threads = new HashingThreads(1, () -> askedIfServing.incrementAndGet() > 0)) {
            threads.urgent(() -> {
                threads.yieldToUrgent();
                threads.pace();
                done.countDown();
            });
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(askedIfServing.get()).isZero();
    }

    @Test
    void aQueuedBackgroundJobThatIsPromotedRunsBeforeTheOthers() throws Exception {
        CountDownLatch blocker = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(3);
        try (HashingThreads threads = new HashingThreads(1)) {
            threads.urgent(() -> {
                try {
                    blocker.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (String name : List.of("a", "b", "c")) {
                threads.background(Path.of(name), () -> {
                    events.add(name);
                    done.countDown();
                });
            }
            assertThat(threads.promote(Path.of("c"))).isTrue();
            assertThat(threads.promote(Path.of("nothing"))).isFalse();
            assertThat(threads.backlog()).isEqualTo(2);
            blocker.countDown();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(events).containsExactly("c", "a", "b");
    }
}
