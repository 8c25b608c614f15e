package chunk.client.disk;

import java.nio.ByteBuffer;

/**
 * Where the bytes of a download's pieces are written as they arrive: the part file, or the
 * window of a streamed download. Safe to call from many threads at once.
 */
public interface PieceSink {

    /**
     * Writes all of {@code data} at {@code position} of the file.
     *
     * @throws LocalWriteException if it cannot be written: not a server's fault
     */
    void write(ByteBuffer data, long position) throws LocalWriteException;
}
