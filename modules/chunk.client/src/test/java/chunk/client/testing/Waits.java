package chunk.client.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in a test for something another thread does: always with a deadline, and saying what never came. */
public final class Waits {

    /** Long enough for anything a test waits for on a loaded machine; short enough that a hang fails with a reason. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private Waits() {}

    /**
     * Returns once {@code condition} holds, checking every few milliseconds.
     *
     * @param what the condition in words, for the failure
     * @throws AssertionError naming {@code what} if it did not hold within {@link #PATIENCE}
     */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what + ", in vain");
            }
            Thread.sleep(5);
        }
    }
}
