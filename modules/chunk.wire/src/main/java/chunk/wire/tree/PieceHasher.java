package chunk.wire.tree;

import chunk.wire.Digest;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Computes the digest of one piece after another from their bytes, as a client receives them:
 * each piece's digest is the root of the subtree over its 16 KiB blocks, the node of the file's
 * {@link DigestTree} that a server sends for that piece. Memory is constant (one node per height
 * of the piece), whatever the piece length. Not thread-safe; one hasher per stream of pieces.
 *
 * <pre>{@code
 * PieceHasher hasher = new PieceHasher(fileSize, pieceLength);
 * hasher.update(buffer);              // as often as the piece's bytes come, in order
 * boolean good = hasher.finish().equals(expected);   // and on to the next piece
 * hasher.reset();                     // or: the piece broke off, start the next one afresh
 * }</pre>
 */
public final class PieceHasher {

    private final int height;
    private final long pieceLength;
    private final Nodes.Stack subtree = new Nodes.Stack(0);
    private final BlockStream blocks = new BlockStream(this::addLeaf);
    private final byte[] leaf = new byte[Nodes.BYTES];
    private long fed;

    /**
     * A hasher for the pieces of a file of {@code fileSize} bytes at {@code pieceLength}.
     *
     * @param fileSize the file's length, at least 1 (an empty file has no pieces)
     * @param pieceLength a power of two of {@value DigestTree#BLOCK_BYTES} bytes or more
     * @throws IllegalArgumentException if either is not valid
     */
    public PieceHasher(long fileSize, long pieceLength) {
        if (fileSize < 1) {
            throw new IllegalArgumentException("a file of " + fileSize + " bytes has no pieces");
        }
        // A file of one piece is padded only to its own tree's width: its piece is its root.
        this.height = Math.min(DigestTree.heightOfPiece(pieceLength), DigestTree.rootHeight(fileSize));
        this.pieceLength = pieceLength;
    }

    /**
     * Hashes the next bytes of the current piece: from the buffer's position to its limit,
     * moving its position to its limit.
     *
     * @throws IllegalStateException if the piece would grow longer than the piece length
     */
    public void update(ByteBuffer data) {
        take(data.remaining());
        blocks.update(data);
    }

    /**
     * Hashes the next {@code length} bytes of the current piece.
     *
     * @throws IllegalStateException if the piece would grow longer than the piece length
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public void update(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        take(length);
        blocks.update(bytes, offset, length);
    }

    /**
     * The digest of the piece whose bytes were given since the last call, and a fresh start
     * for the next piece. A piece shorter than the piece length (a file's last) is padded
     * with zero hashes, as BEP 52 pads it.
     *
     * @throws IllegalStateException if no byte was given
     */
    public Digest finish() {
        if (fed == 0) {
            throw new IllegalStateException("a piece has at least one byte");
        }
        blocks.flush();
        byte[] root = new byte[Nodes.BYTES];
        subtree.finish(height, root, 0);
        fed = 0;
        return new Digest(root);
    }

    /**
     * Forgets the bytes given since the last {@link #finish} (a piece whose transfer broke off),
     * so that the next bytes start a piece afresh.
     */
    public void reset() {
        blocks.reset();
        subtree.clear();
        fed = 0;
    }

    private void take(int length) {
        if (length > pieceLength - fed) {
            throw new IllegalStateException((fed + length) + " bytes are more than a piece of " + pieceLength);
        }
        fed += length;
    }

    private void addLeaf(MessageDigest finished) {
        Nodes.finish(finished, leaf, 0);
        subtree.add(leaf, 0);
    }
}
