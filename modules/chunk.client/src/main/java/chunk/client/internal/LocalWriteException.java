package chunk.client.internal;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;

/**
 * Writing the downloaded data on this machine failed (disk full, permission, …). It is never
 * a server's fault, so it stops the whole download instead of moving on to the next server.
 */
final class LocalWriteException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final IOException cause;

    LocalWriteException(Path file, IOException cause) {
        super("cannot write " + file.getFileName() + ": " + IoFailures.explain(cause), cause);
        this.cause = cause;
    }

    /** What the file system said. */
    IOException ioCause() {
        return cause;
    }
}
