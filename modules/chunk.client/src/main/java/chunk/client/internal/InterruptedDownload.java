package chunk.client.internal;

import java.io.Serial;

/**
 * The download was interrupted (Ctrl-C, SIGTERM, or its thread's interrupt), after its resume
 * record was saved; the message says what was kept and how to continue, for a person to read.
 */
final class InterruptedDownload extends InterruptedException {

    @Serial
    private static final long serialVersionUID = 1L;

    InterruptedDownload(String message) {
        super(message);
    }
}
