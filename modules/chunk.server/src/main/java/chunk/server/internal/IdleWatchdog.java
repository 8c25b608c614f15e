package chunk.server.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that made no progress for longer than their idle limit. One daemon
 * thread checks every quarter of the idle timeout (at least every 50 ms), so a connection is
 * closed between 1 and 1.25 idle timeouts after its last progress.
 */
final class IdleWatchdog implements AutoCloseable {

    private final Set<Connection> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;

    /** @param onTick also run at every check, e.g. to notice that the root has vanished */
    IdleWatchdog(Duration idleTimeout, Runnable onTick) {
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("chunk-server-watchdog").factory());
        long period = Math.max(50, idleTimeout.toMillis() / 4);
        ticker.scheduleWithFixedDelay(() -> {
            closeIdleConnections();
            onTick.run();
        }, period, period, TimeUnit.MILLISECONDS);
    }

    void watch(Connection connection) {
        watched.add(connection);
    }

    void unwatch(Connection connection) {
        watched.remove(connection);
    }

    /** Every connection being served, for shutdown. */
    Set<Connection> connections() {
        return watched;
    }

    private void closeIdleConnections() {
        long now = System.nanoTime();
        for (Connection connection : watched) {
            if (connection.isIdleAt(now)) {
                connection.closeBecauseIdle();
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
