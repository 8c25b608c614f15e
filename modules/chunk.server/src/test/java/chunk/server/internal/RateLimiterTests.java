package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTests {

    @Test
    void slicesAreATenthOfASecondsWorth() {
        assertThat(new RateLimiter(1000).sliceBytes()).isEqualTo(100);
        assertThat(new RateLimiter(5).sliceBytes()).as("never nothing").isEqualTo(1);
    }

    @Test
    void withoutALimitNeverWaitsAndSendsLargeSlices() throws Exception {
        RateLimiter unlimited = new RateLimiter(0);
        long start = System.nanoTime();

        unlimited.awaitTurn(Long.MAX_VALUE / 2);

        assertThat(unlimited.sliceBytes()).isEqualTo(RateLimiter.UNLIMITED_SLICE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void waitsUntilTheBytesSentAreDue() throws Exception {
        long start = System.nanoTime();
        RateLimiter limiter = new RateLimiter(10_000);

        limiter.awaitTurn(0);
        limiter.awaitTurn(2_000); // due 200 ms after the limiter was made

        // A lower bound only: a slow machine waits longer, never shorter.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
}
