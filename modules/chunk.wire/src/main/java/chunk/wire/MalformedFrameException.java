package chunk.wire;

import java.io.IOException;
import java.io.Serial;

/**
 * Bytes that are not a valid frame of the kind expected. {@link #problem()} says which
 * rule they broke, so that a server can answer with the right reason and a client can
 * report the server that sent them.
 */
public final class MalformedFrameException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The rule that malformed input broke. */
    public enum Problem {
        /** The connection ended inside the 24-byte header (or before it began). */
        TRUNCATED_HEADER,
        /** The connection ended before {@code textLength} bytes of text arrived. */
        TRUNCATED_TEXT,
        /** {@code textLength} is above {@link Frame#MAX_TEXT_BYTES}. */
        TEXT_TOO_LONG,
        /** The text is not valid UTF-8, or a file name is empty or has a NUL byte. */
        BAD_TEXT,
        /** A negative offset or size, or a range whose end overflows. */
        BAD_RANGE,
        /** A packet type that this side does not know (or that the sender must not send). */
        UNKNOWN_TYPE,
        /** A header field that must be zero for this packet type is not, or text where none belongs. */
        UNEXPECTED_FIELD,
        /**
         * A DIGESTS frame that breaks its rules: a negative first piece, a piece length that is
         * not a power of two from 4 KiB to 1 GiB, or a payload that is not a root and at most
         * {@value Frame#MAX_DIGESTS_PER_REPLY} digests.
         */
        BAD_DIGESTS,
        /** A KEEP-OPEN frame with a version below 1, or a reply's wait below 1 ms. */
        BAD_KEEP_OPEN
    }

    /** The rule the input broke. */
    private final Problem problem;

    /**
     * Creates the exception.
     *
     * @param problem the rule the input broke
     * @param message what exactly was wrong, for a log or a reply's reason
     */
    public MalformedFrameException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    /**
     * The rule the input broke.
     *
     * @return the problem, never {@code null}
     */
    public Problem problem() {
        return problem;
    }
}
