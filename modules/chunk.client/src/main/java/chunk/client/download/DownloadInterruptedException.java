package chunk.client.download;

import java.io.Serial;
import java.nio.file.Path;

/**
 * The download was interrupted (Ctrl-C, SIGTERM, or its thread's interrupt), after its resume
 * record was saved: {@code keptBytes} of {@code size} are in {@code partFile}, and the same
 * command continues from them. The caller says so in its own words.
 */
public final class DownloadInterruptedException extends InterruptedException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final long keptBytes;
    private final long size;
    private final transient Path partFile;

    DownloadInterruptedException(long keptBytes, long size, Path partFile) {
        super("interrupted; " + keptBytes + " of " + size + " bytes kept in " + partFile);
        this.keptBytes = keptBytes;
        this.size = size;
        this.partFile = partFile;
    }

    /** The bytes the saved resume record names as done. */
    public long keptBytes() {
        return keptBytes;
    }

    /** The file's length. */
    public long size() {
        return size;
    }

    /** The part file that keeps them. */
    public Path partFile() {
        return partFile;
    }
}
