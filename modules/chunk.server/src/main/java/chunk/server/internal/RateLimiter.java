package chunk.server.internal;

/**
 * Paces one connection's data to a number of bytes per second: before each slice, it sleeps
 * until the bytes already sent are due. Slices are a tenth of a second's worth, so the
 * rate holds over short spans without a system call per byte.
 */
final class RateLimiter {

    /**
     * A slice without a limit: large enough that sendfile does the work in few calls, small
     * enough that the file's version is checked often (see {@link RequestHandler#VERSION_CHECK_BYTES}).
     */
    static final long UNLIMITED_SLICE = RequestHandler.VERSION_CHECK_BYTES;

    private final long bytesPerSecond;
    private final PaceClock clock;
    private final long startNanos;

    /** @param bytesPerSecond 0 for no limit */
    RateLimiter(long bytesPerSecond, PaceClock clock) {
        this.bytesPerSecond = bytesPerSecond;
        this.clock = clock;
        this.startNanos = clock.nanoTime();
    }

    /** The most bytes to send in one go. */
    long sliceBytes() {
        return bytesPerSecond == 0 ? UNLIMITED_SLICE : Math.clamp(bytesPerSecond / 10, 1, UNLIMITED_SLICE);
    }

    /** Sleeps until {@code sentSoFar} bytes are allowed to have been sent. */
    void awaitTurn(long sentSoFar) throws InterruptedException {
        if (bytesPerSecond == 0) {
            return;
        }
        long due = startNanos + (long) (sentSoFar * 1e9 / bytesPerSecond);
        long wait = due - clock.nanoTime();
        if (wait > 0) {
            clock.sleep(wait);
        }
    }
}
