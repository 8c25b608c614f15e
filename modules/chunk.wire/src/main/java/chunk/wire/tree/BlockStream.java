package chunk.wire.tree;

import chunk.wire.Digest;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Cuts a stream of bytes into 16 KiB blocks as it passes, hashing each straight from the
 * caller's buffer (no copy into a block buffer), and hands each finished block's SHA-256 to a
 * {@link Sink}, which writes the 32 bytes where it keeps them.
 */
final class BlockStream {

    /** Takes each block's digest, finishing it into its own storage (which resets the digest for the next block). */
    @FunctionalInterface
    interface Sink {
        void block(MessageDigest finished);
    }

    private final MessageDigest sha256 = Digest.newSha256();
    private final Sink sink;
    /** Bytes of the current block hashed so far. */
    private int inBlock;

    BlockStream(Sink sink) {
        this.sink = sink;
    }

    void update(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            int take = Math.min(length, DigestTree.BLOCK_BYTES - inBlock);
            sha256.update(bytes, offset, take);
            offset += take;
            length -= take;
            advance(take);
        }
    }

    void update(ByteBuffer data) {
        while (data.hasRemaining()) {
            int take = Math.min(data.remaining(), DigestTree.BLOCK_BYTES - inBlock);
            int limit = data.limit();
            data.limit(data.position() + take);
            sha256.update(data);
            data.limit(limit);
            advance(take);
        }
    }

    private void advance(int hashed) {
        inBlock += hashed;
        if (inBlock == DigestTree.BLOCK_BYTES) {
            inBlock = 0;
            sink.block(sha256);
        }
    }

    /** Drops the block begun, if any. */
    void reset() {
        inBlock = 0;
        sha256.reset();
    }

    /** Ends a short last block, if one was begun: it is a block of its own, hashed as it is. */
    void flush() {
        if (inBlock > 0) {
            inBlock = 0;
            sink.block(sha256);
        }
    }
}
