package chunk.server.internal;

import java.time.Duration;

/**
 * The time by which replies are paced, and the sleep that paces them: the system's in the
 * server, a test's in tests, so that a test of a rate moves time on instead of waiting for it.
 */
interface PaceClock {

    /** The system's {@link System#nanoTime()} and {@link Thread#sleep}. */
    PaceClock SYSTEM = new PaceClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            Thread.sleep(Duration.ofNanos(nanos));
        }
    };

    /** Now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code nanos} nanoseconds (positive). */
    void sleep(long nanos) throws InterruptedException;
}
