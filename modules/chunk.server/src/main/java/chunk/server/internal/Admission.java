package chunk.server.internal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Who may wait and who may be served. A connection waiting for its request (its first, or on a
 * kept-open connection its next) holds no
 * transfer place, only a count against its client address (at most
 * {@code maxWaitingPerAddress} at once, as nginx's {@code limit_conn}); once its request has
 * arrived it takes one of the {@code maxClients} places, waiting for one for up to
 * {@code placeWaitNanos}. So a crowd that connects and sends nothing delays no transfer.
 * Each method is called on the connection's own thread.
 */
final class Admission {

    private static final long STEP_NANOS = 50_000_000;

    private final Semaphore places;
    private final long placeWaitNanos;
    private final int maxWaitingPerAddress;
    private final ConcurrentHashMap<InetAddress, Integer> waiting = new ConcurrentHashMap<>();

    Admission(int maxClients, int maxWaitingPerAddress, long placeWaitNanos) {
        this.places = new Semaphore(maxClients, true);
        this.placeWaitNanos = placeWaitNanos;
        this.maxWaitingPerAddress = maxWaitingPerAddress;
    }

    /** Counts a new connection as waiting for its request; false if its address already has too many waiting. */
    boolean startWaiting(Connection connection) {
        InetAddress address = connection.address();
        if (address == null) {
            return true; // broken before it was accepted: it will fail on its first read
        }
        boolean[] admitted = {false};
        waiting.compute(address, (_, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxWaitingPerAddress) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        connection.countedAsWaiting = admitted[0];
        return admitted[0];
    }

    /** The request has arrived (or never will): the connection no longer counts against its address. */
    void stopWaiting(Connection connection) {
        if (!connection.countedAsWaiting) {
            return;
        }
        connection.countedAsWaiting = false;
        InetAddress address = connection.address();
        if (address != null) {
            waiting.computeIfPresent(address, (_, count) -> count > 1 ? count - 1 : null);
        }
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
        return waiting.getOrDefault(address, 0);
    }
}
