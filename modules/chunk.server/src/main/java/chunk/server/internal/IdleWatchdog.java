package chunk.server.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections whose deadline (see {@link Connection#deadlineNanos()}) has passed.
 * Each connection has one timer, set for its deadline; progress only moves the deadline
 * (a volatile write), and the timer, when it fires early, sets itself again for the new one.
 * So a connection is closed within the scheduler's precision (about a millisecond) of its
 * deadline, and a busy transfer costs one timer event per idle timeout, not one per slice.
 * Before, one tick every quarter of the timeout closed connections up to 1.25 timeouts late
 * (docs/BENCHMARKS.md, "myserver under load", the timeouts as logged).
 */
final class IdleWatchdog implements AutoCloseable {

    private static final long MIN_TICK_MILLIS = 50;
    private static final long MAX_TICK_MILLIS = 1_000;

    private final Map<Connection, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor scheduler;

    /**
     * @param shortestTimeout the shorter of the header and idle timeouts: {@code onTick} runs a quarter of it apart
     *     (50 ms to 1 s)
     * @param onTick run regularly, e.g. to notice that the root has vanished
     */
    IdleWatchdog(Duration shortestTimeout, Runnable onTick) {
        scheduler = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("chunk-server-watchdog").factory());
        scheduler.setRemoveOnCancelPolicy(true); // a finished connection's timer must not linger in the queue
        long period = Math.clamp(shortestTimeout.toMillis() / 4, MIN_TICK_MILLIS, MAX_TICK_MILLIS);
        scheduler.scheduleWithFixedDelay(onTick, period, period, TimeUnit.MILLISECONDS);
    }

    void watch(Connection connection) {
        // compute, not put: a timer that fires at once must find itself in the map (its remove waits for this).
        timers.compute(connection, (_, _) -> schedule(connection));
    }

    /**
     * Sets the timer again if the deadline moved earlier (a shorter limit, a new phase); a
     * later deadline needs nothing, since a timer that fires early sets itself again.
     */
    void rearm(Connection connection) {
        timers.computeIfPresent(connection, (_, old) ->
                old.getDelay(TimeUnit.NANOSECONDS) <= connection.deadlineNanos() - System.nanoTime() ? old : replace(old, connection));
    }

    void unwatch(Connection connection) {
        ScheduledFuture<?> timer = timers.remove(connection);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Every connection open, for shutdown. */
    Set<Connection> connections() {
        return timers.keySet();
    }

    private ScheduledFuture<?> schedule(Connection connection) {
        long delay = Math.max(0, connection.deadlineNanos() - System.nanoTime());
        return scheduler.schedule(() -> check(connection), delay, TimeUnit.NANOSECONDS);
    }

    /** One timer per connection: cancelling the old one (even when it is the one running) keeps it so. */
    private ScheduledFuture<?> replace(ScheduledFuture<?> old, Connection connection) {
        old.cancel(false);
        return schedule(connection);
    }

    private void check(Connection connection) {
        long late = System.nanoTime() - connection.deadlineNanos();
        if (late >= 0) {
            if (timers.remove(connection) != null) {
                connection.closeBecauseTimedOut();
            }
        } else {
            timers.computeIfPresent(connection, (_, old) -> replace(old, connection));
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
