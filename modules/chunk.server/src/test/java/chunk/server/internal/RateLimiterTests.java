package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One connection's pace, on a clock the test moves: sleeps are counted, never waited for. */
class RateLimiterTests {

    final FakePaceClock clock = new FakePaceClock();

    @Test
    void slicesAreATenthOfASecondsWorth() {
        assertThat(new RateLimiter(1000, clock).sliceBytes()).isEqualTo(100);
        assertThat(new RateLimiter(5, clock).sliceBytes()).as("never nothing").isEqualTo(1);
    }

    @Test
    void withoutALimitNeverWaitsAndSendsLargeSlices() throws Exception {
        RateLimiter unlimited = new RateLimiter(0, clock);

        unlimited.awaitTurn(Long.MAX_VALUE / 2);

        assertThat(unlimited.sliceBytes()).isEqualTo(RateLimiter.UNLIMITED_SLICE);
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void sleepsUntilTheBytesSentAreDueAndNoLonger() throws Exception {
        RateLimiter limiter = new RateLimiter(10_000, clock);

        limiter.awaitTurn(0);
        limiter.awaitTurn(2_000); // due 200 ms after the limiter was made

        assertThat(clock.sleeps).containsExactly(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void timeSpentSendingCountsTowardsTheNextTurn() throws Exception {
        RateLimiter limiter = new RateLimiter(10_000, clock);
        clock.advance(TimeUnit.MILLISECONDS.toNanos(150)); // the first 1000 bytes took 150 ms to send

        limiter.awaitTurn(1_000); // due at 100 ms: already past
        limiter.awaitTurn(2_000); // due at 200 ms: 50 ms more

        assertThat(clock.sleeps).containsExactly(TimeUnit.MILLISECONDS.toNanos(50));
    }
}
