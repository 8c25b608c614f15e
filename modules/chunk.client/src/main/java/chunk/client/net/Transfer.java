package chunk.client.net;

import java.nio.ByteBuffer;

/**
 * One range being fetched from a {@link Mirror}, on one connection. {@link #begin()} asks for
 * it and checks that the mirror answers with exactly that range; {@link #read} then brings its
 * bytes, never past the range's end. Closing it from another thread stops a reader at once
 * (its read fails); a transfer read to its end may give its connection back for the next one.
 */
public interface Transfer extends AutoCloseable {

    /**
     * Asks for the range and waits until the mirror starts sending exactly it.
     *
     * @throws MirrorException if the mirror refuses, answers something else, or says nothing
     */
    void begin() throws MirrorException;

    /**
     * Reads the next bytes of the range into {@code buffer}.
     *
     * @return how many were read, or -1 when the range is all read
     * @throws MirrorException if the connection fails or ends before the range does
     */
    int read(ByteBuffer buffer) throws MirrorException;

    /** Ends the transfer; from any thread, and more than once. */
    @Override
    void close();
}
