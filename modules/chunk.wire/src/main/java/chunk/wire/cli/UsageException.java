package chunk.wire.cli;

import java.io.Serial;

/** The command line is wrong; the message says what, in words that follow {@code <program>: }. */
public final class UsageException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message, null, false, false);
    }
}
