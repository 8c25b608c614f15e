package chunk.wire.cli;

import java.math.BigDecimal;
import java.time.Duration;

/** Option values both programs read alike, with the same message for a bad one. */
public final class Values {

    /** The longest duration an option accepts: a year is longer than anyone means to wait. */
    static final Duration MAX_SECONDS = Duration.ofDays(365);

    private Values() {}

    /**
     * A positive number of seconds, decimals allowed ({@code 0.5}), at least a millisecond and at most a year.
     *
     * @throws UsageException {@code --timeout needs a positive number of seconds, not 'soon'}
     */
    public static Duration seconds(String option, String text) throws UsageException {
        UsageException problem = new UsageException(option + " needs a positive number of seconds, not '" + text + "'");
        try {
            BigDecimal seconds = new BigDecimal(text);
            if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(MAX_SECONDS.toSeconds())) > 0) {
                throw problem;
            }
            Duration duration = Duration.ofNanos(seconds.movePointRight(9).longValue());
            if (duration.toMillis() < 1) {
                throw problem;
            }
            return duration;
        } catch (NumberFormatException | ArithmeticException e) {
            throw problem;
        }
    }
}
