package chunk.client.internal;

import java.io.Serial;

/** The command line is wrong; the message says what and what to do. */
final class UsageException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
