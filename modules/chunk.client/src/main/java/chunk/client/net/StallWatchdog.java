package chunk.client.net;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that have received nothing for the stall timeout. Blocking channel reads
 * have no timeout of their own, but closing the channel wakes the reader with an exception;
 * one checker thread watches every connection of a download.
 */
public final class StallWatchdog implements AutoCloseable {

    private final long timeoutNanos;
    private final long checkEveryNanos;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final Thread checker;

    public StallWatchdog(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        // Often enough that a stall costs little more than the timeout, rarely enough to cost nothing.
        this.checkEveryNanos = Math.clamp(timeoutNanos / 10, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
        this.checker = Thread.ofVirtual().name("stall-watchdog").start(this::checkUntilClosed);
    }

    /** Starts watching {@code channel}; close the watch when the connection is done. */
    public Watch watch(Closeable channel) {
        Watch watch = new Watch(channel);
        watches.add(watch);
        return watch;
    }

    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    private void checkUntilClosed() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                TimeUnit.NANOSECONDS.sleep(checkEveryNanos);
                long now = System.nanoTime();
                for (Watch watch : watches) {
                    if (now - watch.lastProgress > timeoutNanos) {
                        watch.expire();
                    }
                }
            }
        } catch (InterruptedException e) {
            // close() stops the checker this way
        }
    }

    @Override
    public void close() {
        checker.interrupt();
        try {
            checker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One watched connection. */
    public final class Watch implements AutoCloseable {
        private final Closeable channel;
        private volatile long lastProgress = System.nanoTime();
        private volatile boolean expired;

        private Watch(Closeable channel) {
            this.channel = channel;
        }

        /** Bytes arrived: the connection is alive. */
        public void progress() {
            lastProgress = System.nanoTime();
        }

        /** Whether the watchdog closed the connection because it stalled. */
        public boolean expired() {
            return expired;
        }

        private void expire() {
            expired = true;
            watches.remove(this);
            try {
                channel.close();
            } catch (IOException e) {
                // Closing is all we wanted; the reader sees the channel closed either way.
            }
        }

        @Override
        public void close() {
            watches.remove(this);
        }
    }
}
