package chunk.client.net;

import chunk.wire.Digest;
import chunk.wire.tree.DigestTree;
import java.util.List;

/**
 * What a mirror's digests are. A myserver of this round, asked on a connection kept open at
 * KEEP-OPEN version 2, gives the file's digest tree ({@link #TREE}, BitTorrent v2's): its root
 * names the file whatever the piece length, and is what {@code --root} takes. A myserver of
 * round 2 gives flat digests ({@link #FLAT}): each piece's SHA-256, the root their SHA-256,
 * which changes with the piece length and means nothing outside chunk. Roots of the two cannot
 * be compared; a download checks its pieces against one of them.
 */
public enum DigestScheme {
    /** Each piece's SHA-256; the root is the SHA-256 of their concatenation (round 2). */
    FLAT,
    /** BEP 52's digest tree over 16 KiB blocks: a piece's digest is its subtree's root. */
    TREE;

    /** Whether {@code digests}, every piece of a file of {@code size} bytes at {@code pieceLength}, add up to {@code root}. */
    public boolean addsUp(long size, long pieceLength, List<Digest> digests, Digest root) {
        return switch (this) {
            case FLAT -> Digest.rootOf(digests).equals(root);
            case TREE -> DigestTree.rootOfPieces(size, pieceLength, digests).equals(root);
        };
    }

    /** The shortest piece whose digest this scheme gives: 4 KiB flat, a 16 KiB block in the tree. */
    public long minPieceLength() {
        return switch (this) {
            case FLAT -> 4 << 10;
            case TREE -> DigestTree.MIN_PIECE_LENGTH;
        };
    }
}
