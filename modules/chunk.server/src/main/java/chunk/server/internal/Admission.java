package chunk.server.internal;

import java.net.InetAddress;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Who may wait and who may be served. A connection waiting for its request (its first, or on a
 * kept-open connection its next) holds no transfer place, only a place in the
 * {@link WaitingRoom}, which counts it against its client address; once its request has
 * arrived it takes one of the {@code maxClients} places, waiting for one for up to
 * {@code placeWaitNanos}. So a crowd that connects and sends nothing delays no transfer.
 * Each method is called on the connection's own thread, but for {@link #evictOverLimit}.
 */
final class Admission {

    private static final long STEP_NANOS = 50_000_000;

    private final Semaphore places;
    private final long placeWaitNanos;
    private final WaitingRoom<Connection> waiting;

    Admission(int maxClients, long placeWaitNanos, WaitingRoom<Connection> waiting) {
        this.places = new Semaphore(maxClients, true);
        this.placeWaitNanos = placeWaitNanos;
        this.waiting = waiting;
    }

    /**
     * Counts the connection as waiting for its request.
     *
     * @return false if the server has no room for it to wait (see {@link WaitingRoom#enter}): it is to be told the server is busy
     */
    boolean startWaiting(Connection connection) {
        return waiting.enter(connection);
    }

    /** The request has arrived (or never will): the connection no longer counts against its address. */
    void stopWaiting(Connection connection) {
        waiting.leave(connection);
    }

    /** Evicts the connections silent for long enough from the addresses above their limit; on the server's tick. */
    void evictOverLimit() {
        waiting.evictOverLimit();
    }

    /**
     * Takes a transfer place for a connection whose request has arrived, waiting for one if
     * all are taken.
     *
     * @return false if none came free in time: the client is to be told the server is busy
     */
    boolean takePlace(Connection connection) throws InterruptedException {
        stopWaiting(connection);
        if (!places.tryAcquire()) {
            connection.phase(Connection.Phase.AWAITING_PLACE);
            connection.progress();
            if (!awaitPlace(connection)) {
                return false;
            }
        }
        connection.holdsPlace = true;
        return true;
    }

    /** Waits in short steps, so that a connection closed meanwhile (shutdown) stops waiting at once. */
    private boolean awaitPlace(Connection connection) throws InterruptedException {
        long deadline = System.nanoTime() + placeWaitNanos;
        for (long left = placeWaitNanos; left > 0 && connection.channel().isOpen(); left = deadline - System.nanoTime()) {
            if (places.tryAcquire(Math.min(left, STEP_NANOS), TimeUnit.NANOSECONDS)) {
                return true;
            }
        }
        return false;
    }

    /** Gives back the connection's transfer place, if it holds one: after each reply, so that a kept-open connection waiting for its next request holds none. */
    void releasePlace(Connection connection) {
        if (connection.holdsPlace) {
            connection.holdsPlace = false;
            places.release();
        }
    }

    /** Gives back whatever the connection holds; called once it is done, in {@code finally}. */
    void release(Connection connection) {
        stopWaiting(connection);
        releasePlace(connection);
    }

    /** Transfer places free now, for tests and measurements. */
    int freePlaces() {
        return places.availablePermits();
    }

    /** Connections waiting for their request from {@code address}, for tests and measurements. */
    int waitingFrom(InetAddress address) {
        return waiting.waitingFrom(address);
    }
}
