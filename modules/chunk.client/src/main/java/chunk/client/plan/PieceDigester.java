package chunk.client.plan;

import java.nio.ByteBuffer;

/**
 * Makes the digest of one piece after another from their bytes as they pass, in the way the
 * download's digests were made (each piece's SHA-256, or its node of the digest tree). Not
 * thread-safe: one per connection.
 */
public interface PieceDigester {

    /** Takes the next bytes of the current piece: from the buffer's position to its limit, moving its position there. */
    void update(ByteBuffer bytes);

    /** The current piece's digest, and a fresh start for the next piece. */
    byte[] finish();
}
