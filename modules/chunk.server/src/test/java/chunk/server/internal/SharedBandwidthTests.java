package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The whole server's cap, on a clock the test moves: reservations queue on one time line. */
class SharedBandwidthTests {

    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    final FakePaceClock clock = new FakePaceClock();

    @Test
    void slicesAreAFiftiethOfASecondsWorthAndAtLeastAKibibyte() {
        assertThat(new SharedBandwidth(1_000_000, clock).sliceBytes()).isEqualTo(20_000);
        assertThat(new SharedBandwidth(10, clock).sliceBytes()).isEqualTo(1024);
        assertThat(SharedBandwidth.UNLIMITED.sliceBytes()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void eachReservationWaitsForTheOnesBeforeItAtTheCapsPace() throws Exception {
        SharedBandwidth cap = new SharedBandwidth(1_000_000, clock); // a byte a microsecond

        cap.reserve(20_000); // first: at once, the line is free until 20 ms from now
        cap.reserve(20_000); // another transfer's slice: after the first, at 20 ms
        cap.reserve(20_000); // and the next at 40 ms, of which 20 have passed in the sleep before

        assertThat(clock.sleeps).containsExactly(20 * MS, 20 * MS);
    }

    @Test
    void bytesGivenBackFreeTheirTimeForTheNext() throws Exception {
        SharedBandwidth cap = new SharedBandwidth(1_000_000, clock);

        cap.reserve(20_000);
        cap.giveBack(15_000); // the client's buffer was full: only 5000 bytes went out
        cap.reserve(20_000);

        assertThat(clock.sleeps).containsExactly(5 * MS);
    }

    @Test
    void anIdleServerBanksNoCredit() throws Exception {
        SharedBandwidth cap = new SharedBandwidth(1_000_000, clock);
        clock.advance(10_000 * MS); // idle for ten seconds

        cap.reserve(20_000);
        cap.reserve(20_000);

        assertThat(clock.sleeps).as("the second waits for the first, idle time or not").containsExactly(20 * MS);
    }
}
