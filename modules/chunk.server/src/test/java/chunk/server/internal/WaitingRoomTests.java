package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.server.LoopbackServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The waiting room's rules, with stand-ins for connections and a clock the test moves. */
class WaitingRoomTests {

    static final InetAddress ONE = LoopbackServer.CROWD;
    static final InetAddress OTHER = LoopbackServer.LOOPBACK;
    static final long SILENT_LONG_ENOUGH = WaitingRoom.SILENCE_BEFORE_EVICTION.toNanos();

    final AtomicLong clock = new AtomicLong();

    /** A connection that has sent nothing, unless a test says it has. */
    static final class Waiter implements WaitingRoom.Waiter {
        final @Nullable InetAddress address;
        boolean silent = true;
        boolean evicted;

        Waiter(@Nullable InetAddress address) {
            this.address = address;
        }

        @Override
        public @Nullable InetAddress address() {
            return address;
        }

        @Override
        public boolean silent() {
            return silent;
        }

        @Override
        public void evict() {
            evicted = true;
        }
    }

    WaitingRoom<Waiter> room(int maxPerAddress, int maxOverLimit) {
        return new WaitingRoom<>(maxPerAddress, maxOverLimit, clock::get);
    }

    static List<Waiter> enterAll(WaitingRoom<Waiter> room, InetAddress from, int count) {
        List<Waiter> entered = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Waiter waiter = new Waiter(from);
            assertThat(room.enter(waiter)).as("waiter %d let in", i).isTrue();
            entered.add(waiter);
        }
        return entered;
    }

    @Test
    void anAddressAboveItsLimitEvictsNobodyWhileNobodyHasBeenSilentLongEnough() {
        WaitingRoom<Waiter> room = room(3, 100);
        List<Waiter> burst = enterAll(room, ONE, 10);
        clock.addAndGet(SILENT_LONG_ENOUGH - 1);
        room.evictOverLimit();

        assertThat(burst).noneMatch(waiter -> waiter.evicted);
        assertThat(room.waitingFrom(ONE)).isEqualTo(10);
    }

    @Test
    void theOldestSilentAreEvictedFirstAndOnlyUntilTheAddressIsBackAtItsLimit() {
        WaitingRoom<Waiter> room = room(3, 100);
        List<Waiter> old = enterAll(room, ONE, 5);
        old.get(0).silent = false; // its request has begun to arrive
        clock.addAndGet(SILENT_LONG_ENOUGH);

        Waiter newcomer = new Waiter(ONE);
        assertThat(room.enter(newcomer)).isTrue();

        assertThat(old).extracting(waiter -> waiter.evicted).containsExactly(false, true, true, true, false);
        assertThat(room.waitingFrom(ONE)).isEqualTo(3);
    }

    @Test
    void theTickEvictsTheSameWayAndLeavesAddressesAtTheirLimitAlone() {
        WaitingRoom<Waiter> room = room(2, 100);
        List<Waiter> crowd = enterAll(room, ONE, 4);
        List<Waiter> others = enterAll(room, OTHER, 2);
        clock.addAndGet(SILENT_LONG_ENOUGH);

        room.evictOverLimit();

        assertThat(crowd).extracting(waiter -> waiter.evicted).containsExactly(true, true, false, false);
        assertThat(others).noneMatch(waiter -> waiter.evicted);
    }

    @Test
    void aboveTheirLimitsConnectionsWaitOnlyWhileTheServerHasRoomForThem() {
        WaitingRoom<Waiter> room = room(1, 2);
        enterAll(room, ONE, 3); // one within the limit, two above it
        assertThat(room.enter(new Waiter(OTHER))).as("another address, within its limit").isTrue();

        assertThat(room.enter(new Waiter(ONE))).as("a third above the limits").isFalse();
        assertThat(room.waitingFrom(ONE)).isEqualTo(3);
    }

    @Test
    void roomAboveTheLimitsComesBackAsTheWaitingLeave() {
        WaitingRoom<Waiter> room = room(1, 1);
        List<Waiter> crowd = enterAll(room, ONE, 2);
        assertThat(room.enter(new Waiter(ONE))).isFalse();

        room.leave(crowd.get(1));
        room.leave(crowd.get(1)); // twice: the second does nothing

        assertThat(room.enter(new Waiter(ONE))).isTrue();
        assertThat(room.waitingFrom(ONE)).isEqualTo(2);
    }

    @Test
    void aConnectionWithoutAnAddressIsNotCounted() {
        WaitingRoom<Waiter> room = room(1, 0);
        enterAll(room, ONE, 1);
        assertThat(room.enter(new Waiter(null))).isTrue();
        assertThat(room.waitingFrom(ONE)).isEqualTo(1);
    }
}
