package chunk.server.internal;

/**
 * The whole server's outgoing cap ({@code --total-rate-limit}), shared by all transfers. A
 * transfer reserves each slice before it sends it: reservations follow one another on one
 * time line at the cap's pace, and each waits for its turn, so concurrent transfers take
 * turns slice by slice and share the cap evenly. Bytes reserved but not sent (the client's
 * buffer was full) are given back.
 */
final class SharedBandwidth {

    /** No cap: {@link #reserve} returns at once. */
    static final SharedBandwidth UNLIMITED = new SharedBandwidth(0, PaceClock.SYSTEM);

    /** A slice is a fiftieth of a second's worth, so that turns are short and the cap holds over short spans. */
    private static final int SLICES_PER_SECOND = 50;
    private static final long MIN_SLICE = 1024;

    private final long bytesPerSecond;
    private final PaceClock clock;
    private long nextFreeNanos;

    /** @param bytesPerSecond 0 for no limit */
    SharedBandwidth(long bytesPerSecond, PaceClock clock) {
        this.bytesPerSecond = bytesPerSecond;
        this.clock = clock;
        this.nextFreeNanos = clock.nanoTime();
    }

    boolean unlimited() {
        return bytesPerSecond == 0;
    }

    /** The most bytes one transfer sends per turn. */
    long sliceBytes() {
        return unlimited() ? Long.MAX_VALUE : Math.max(MIN_SLICE, bytesPerSecond / SLICES_PER_SECOND);
    }

    /** Waits for the turn of {@code bytes} more bytes. */
    void reserve(long bytes) throws InterruptedException {
        if (unlimited()) {
            return;
        }
        long start;
        synchronized (this) {
            // An idle server does not bank credit: the time line starts again from now.
            start = Math.max(nextFreeNanos, clock.nanoTime());
            nextFreeNanos = start + nanosFor(bytes);
        }
        long wait = start - clock.nanoTime();
        if (wait > 0) {
            clock.sleep(wait);
        }
    }

    /** Gives back bytes reserved but not sent. */
    void giveBack(long bytes) {
        if (unlimited() || bytes <= 0) {
            return;
        }
        synchronized (this) {
            nextFreeNanos -= nanosFor(bytes);
        }
    }

    private long nanosFor(long bytes) {
        return (long) (bytes * 1e9 / bytesPerSecond);
    }
}
