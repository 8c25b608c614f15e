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

    LocalWriteException(Path file, IOException cause) {
        super("cannot write " + file.getFileName() + ": " + ServerConnection.explainFailure(cause), cause);
    }
}
