package chunk.client.disk;

import chunk.client.text.IoFailures;
import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;

/**
 * Writing the downloaded data on this machine failed (disk full, permission, …). It is never
 * a server's fault, so it stops the whole download instead of moving on to the next server.
 */
public final class LocalWriteException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final IOException cause;

    public LocalWriteException(Path file, IOException cause) {
        super("cannot write " + file.getFileName() + ": " + IoFailures.explain(cause), cause);
        this.cause = cause;
    }

    /** What the file system said. */
    public IOException ioCause() {
        return cause;
    }
}
