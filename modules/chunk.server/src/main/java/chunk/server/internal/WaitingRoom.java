package chunk.server.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The connections waiting for their request (a connection's first, or on a kept-open
 * connection its next), counted by client address: at most {@code maxPerAddress} from one
 * address, as nginx's {@code limit_conn} counts them.
 *
 * <p>A connection from an address at its limit is let in all the same, and the address's
 * connection that has waited longest without sending a byte leaves in its place (it is
 * <em>evicted</em>; the access log says {@code too-many-waiting}), as soon as that one has
 * been silent for {@link #SILENCE_BEFORE_EVICTION}: at once when a new connection comes from the
 * address, else at the server's next tick ({@link #evictOverLimit}). So a crowd of idle
 * connections cannot lock out a real client behind the same address (a NAT, the same host),
 * and a connection whose request has begun to arrive never loses its turn to one that has sent
 * nothing. The silence asked of a victim is what lets a burst through: a client such as
 * {@code curl --parallel} opens all its connections before it sends its first request, and
 * those would otherwise evict one another.
 *
 * <p>Above their addresses' limits, connections wait only while the server has room: at most
 * {@code maxOverLimit} of them at once, server-wide. A connection that finds that full too is
 * turned away, so that one address cannot fill the server even for the second it takes to be
 * evicted. Each method may be called from any thread.
 *
 * @param <W> what waits: a {@link Connection}, or a stand-in in tests
 */
final class WaitingRoom<W extends WaitingRoom.Waiter> {

    /**
     * How long a connection must have waited without a byte before a newer one from its
     * address may evict it: far longer than a request takes to follow its connection (a round
     * trip), far shorter than the 5 s header timeout that otherwise ends it.
     */
    static final Duration SILENCE_BEFORE_EVICTION = Duration.ofSeconds(1);

    /** A connection as the waiting room sees it. */
    interface Waiter {

        /** The client's address, or {@code null} if it is unknown (such a connection is not counted). */
        @Nullable InetAddress address();

        /** Whether no byte of the request it waits for has arrived yet, read or still in the socket's buffer. */
        boolean silent();

        /** Ends its wait: told once it has been taken out of the room, from another connection's thread. */
        void evict();
    }

    private final int maxPerAddress;
    private final int maxOverLimit;
    private final long silenceNanos = SILENCE_BEFORE_EVICTION.toNanos();
    private final LongSupplier nanoClock;
    /** Per address, the connections waiting and when each began to, oldest first. Guarded by the map's per-key locks. */
    private final ConcurrentHashMap<InetAddress, LinkedHashMap<W, Long>> waiting = new ConcurrentHashMap<>();
    /** The addresses above their limit, for the tick to look at. */
    private final Set<InetAddress> overLimit = ConcurrentHashMap.newKeySet();
    /** Connections above their addresses' limits, server-wide. */
    private final AtomicInteger aboveLimits = new AtomicInteger();

    /**
     * @param maxPerAddress connections that may wait from one address before the silent ones are evicted
     * @param maxOverLimit connections that may wait above their addresses' limits, server-wide
     * @param nanoClock the time, in nanoseconds, by which a wait's length is measured ({@link System#nanoTime} but in tests)
     */
    WaitingRoom(int maxPerAddress, int maxOverLimit, LongSupplier nanoClock) {
        this.maxPerAddress = maxPerAddress;
        this.maxOverLimit = maxOverLimit;
        this.nanoClock = nanoClock;
    }

    /**
     * Lets {@code waiter} in, evicting what must make room for it.
     *
     * @return false if it was turned away: its address is above its limit with no one silent
     *     for long enough to evict, and so many others are above theirs that the server has no
     *     room for one more
     */
    boolean enter(W waiter) {
        InetAddress address = waiter.address();
        if (address == null) {
            return true; // broken before it was accepted: it fails on its first read
        }
        List<W> evicted = new ArrayList<>();
        boolean[] entered = {false};
        waiting.compute(address, (_, present) -> {
            LinkedHashMap<W, Long> room = present != null ? present : new LinkedHashMap<>();
            int before = room.size();
            long now = nanoClock.getAsLong();
            room.put(waiter, now);
            evictLongestSilent(room, now, evicted);
            if (room.size() > maxPerAddress && room.size() > before && aboveLimits.get() >= maxOverLimit) {
                room.remove(waiter);
            } else {
                entered[0] = true;
            }
            aboveLimits.addAndGet(above(room.size()) - above(before));
            if (room.size() > maxPerAddress) {
                overLimit.add(address);
            }
            return room.isEmpty() ? null : room;
        });
        evicted.forEach(Waiter::evict);
        return entered[0];
    }

    /** Takes {@code waiter} out: its request has arrived, or its connection ended. Does nothing if it is not in. */
    void leave(W waiter) {
        InetAddress address = waiter.address();
        if (address == null) {
            return;
        }
        waiting.computeIfPresent(address, (_, room) -> {
            int before = room.size();
            room.remove(waiter);
            aboveLimits.addAndGet(above(room.size()) - above(before));
            return room.isEmpty() ? null : room;
        });
    }

    /** Evicts, from every address above its limit, the connections silent for long enough to be; called on the server's tick. */
    void evictOverLimit() {
        for (InetAddress address : overLimit) {
            List<W> evicted = new ArrayList<>();
            LinkedHashMap<W, Long> left = waiting.computeIfPresent(address, (_, room) -> {
                int before = room.size();
                evictLongestSilent(room, nanoClock.getAsLong(), evicted);
                aboveLimits.addAndGet(above(room.size()) - above(before));
                if (room.size() <= maxPerAddress) {
                    overLimit.remove(address); // under the address's lock, as enter adds it: never one without the other
                }
                return room.isEmpty() ? null : room;
            });
            if (left == null) {
                overLimit.remove(address); // a room made again from now starts below its limit
            }
            evicted.forEach(Waiter::evict);
        }
    }

    /**
     * Takes out of {@code room}, oldest first, the connections that have been silent for
     * long enough, until the room is back at its limit; stops at the first connection that
     * has waited less, since all after it have too.
     */
    private void evictLongestSilent(LinkedHashMap<W, Long> room, long now, List<W> evicted) {
        if (room.size() <= maxPerAddress) {
            return; // the common case, without an iterator: this runs for every connection
        }
        Iterator<Map.Entry<W, Long>> oldestFirst = room.entrySet().iterator();
        while (room.size() > maxPerAddress && oldestFirst.hasNext()) {
            Map.Entry<W, Long> entry = oldestFirst.next();
            if (now - entry.getValue() < silenceNanos) {
                return;
            }
            if (entry.getKey().silent()) {
                oldestFirst.remove();
                evicted.add(entry.getKey());
            }
        }
    }

    private int above(int size) {
        return Math.max(0, size - maxPerAddress);
    }

    /** Connections waiting from {@code address} now, for tests and measurements. */
    int waitingFrom(InetAddress address) {
        int[] count = {0};
        waiting.computeIfPresent(address, (_, room) -> {
            count[0] = room.size();
            return room;
        });
        return count[0];
    }
}
