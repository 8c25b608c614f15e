package chunk.wire;

import java.io.IOException;
import java.io.Serial;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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

    /**
     * A chunk request whose numbers are no byte range ({@link Problem#BAD_RANGE}): what it asked
     * for, as sent, so that a server can log it.
     *
     * @param fileName the name it asked for, or {@code null} if the name itself is not valid
     * @param offset the offset as sent
     * @param size the size as sent
     */
    public record RefusedRange(@Nullable String fileName, long offset, long size) {}

    /** The rule the input broke. */
    private final Problem problem;
    private final transient @Nullable RefusedRange refusedRange;

    /**
     * Creates the exception.
     *
     * @param problem the rule the input broke
     * @param message what exactly was wrong, for a log or a reply's reason
     */
    public MalformedFrameException(Problem problem, String message) {
        this(problem, message, null);
    }

    /**
     * Creates the exception for a chunk request with a bad range.
     *
     * @param problem the rule the input broke
     * @param message what exactly was wrong, for a log or a reply's reason
     * @param refusedRange what the request asked for, or {@code null}
     */
    public MalformedFrameException(Problem problem, String message, @Nullable RefusedRange refusedRange) {
        super(message);
        this.problem = problem;
        this.refusedRange = refusedRange;
    }

    /**
     * What a chunk request with a bad range asked for.
     *
     * @return the name and numbers as sent, or empty for any other malformed input
     */
    public Optional<RefusedRange> refusedRange() {
        return Optional.ofNullable(refusedRange);
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
