package chunk.server.internal;

import java.util.ArrayList;
import java.util.List;

/** A pace clock that stands still until something sleeps on it: each sleep is noted and moves it on at once. */
final class FakePaceClock implements PaceClock {

    private long now = 1_000_000_000L; // not 0: nothing may take an origin for "never"
    /** Every sleep asked for, in nanoseconds, in order. */
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleep(long nanos) {
        sleeps.add(nanos);
        now += nanos;
    }

    /** Moves the clock on without a sleep, as time that passes while something else runs. */
    synchronized void advance(long nanos) {
        now += nanos;
    }
}
