/**
 * A file's digest tree, BitTorrent v2's (BEP 52): SHA-256 over 16 KiB blocks, padded with zero
 * hashes to a power of two, whose root names the file whatever the piece length. Both programs
 * use it: {@link chunk.wire.tree.TreeHasher} makes a file's {@link chunk.wire.tree.DigestTree}
 * in one pass (the server, and {@code myserver --print-root}); the tree answers any piece layer
 * and checks a layer against its root ({@link chunk.wire.tree.DigestTree#rootOfPieces});
 * {@link chunk.wire.tree.PieceHasher} gives a piece's digest from its bytes as they arrive (the
 * client). Nodes are kept in plain byte arrays, 32 bytes each, never one object per node.
 * Nothing here is null; nothing does I/O.
 */
@NullMarked
package chunk.wire.tree;

import org.jspecify.annotations.NullMarked;
