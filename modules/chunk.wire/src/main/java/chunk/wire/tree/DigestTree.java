package chunk.wire.tree;

import chunk.wire.Digest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The digest tree of one version of a file, as BitTorrent v2 (BEP 52) defines it: the leaves
 * are the SHA-256 of each 16 KiB block (the last one shorter), each node above is the SHA-256 of
 * its two children, and the leaves are padded with zero hashes to a power of two. Its
 * {@linkplain #root() root} is BEP 52's "pieces root" of the file, the 32 bytes libtorrent
 * writes for it in a v2 torrent: the file's identity whatever piece length anyone uses.
 *
 * <p><b>Pieces are nodes.</b> A piece of {@code L} bytes, {@code L} a power of two of 16 KiB
 * or more, is the subtree over its {@code L / 16 KiB} blocks, so its digest is a node of the
 * tree, {@code log2(L / 16 KiB)} above the leaves; the last piece's missing blocks count as
 * zero hashes, as in BEP 52's piece layers. A file of at most {@code L} bytes is one piece,
 * whose digest is the root (BEP 52 writes no piece layer for such a file; its root is the only
 * hash that covers it).
 *
 * <p><b>Small and empty files.</b> A file of 1 to 16384 bytes has one leaf, so its root is the
 * SHA-256 of the file. An empty file has no blocks and no pieces; BEP 52 gives it no root, and
 * chunk defines it as the SHA-256 of nothing ({@link #EMPTY_ROOT}), which is what the rule for
 * small files gives for zero bytes and what {@code sha256sum} prints for an empty file.
 *
 * <p><b>What is kept.</b> A tree keeps one layer: normally the leaves (32 bytes per 16 KiB, 2 MiB
 * per GiB), from which every piece layer and the root are computed on demand; a tree made for a
 * very large file may keep a layer higher up ({@link #layerHeight()}), which then answers only
 * pieces at least that long ({@link #hasPiecesOf}). Trees are immutable and safe to share.
 */
public final class DigestTree {

    /** Bytes in a block, the data under one leaf: 16 KiB, as in BEP 52. */
    public static final int BLOCK_BYTES = 1 << 14;
    /** The shortest piece that is a node of the tree: one block. */
    public static final long MIN_PIECE_LENGTH = BLOCK_BYTES;
    /** The longest piece length this class takes: 2^62 bytes, longer than any file. */
    public static final long MAX_PIECE_LENGTH = 1L << 62;
    /** The root of an empty file: the SHA-256 of nothing, {@code e3b0c442…b855}. */
    public static final Digest EMPTY_ROOT = Digest.of(new byte[0]);

    private final long size;
    private final Digest root;
    private final int layerHeight;
    /** The nodes of the layer at {@code layerHeight}, 32 bytes each, left to right. */
    private final byte[] layer;

    private DigestTree(long size, Digest root, int layerHeight, byte[] layer) {
        this.size = size;
        this.root = root;
        this.layerHeight = layerHeight;
        this.layer = layer;
    }

    /**
     * The tree of a file of {@code size} bytes whose layer at {@code layerHeight} is
     * {@code layer}; the root is computed from it, so a layer that is not the file's gives
     * another root. The way back from {@link #layer()}.
     *
     * @param size the file's length in bytes, zero or more
     * @param layerHeight 0 for the leaves, up to the height of the root
     * @param layer {@code ceil(blocks / 2^layerHeight) * 32} bytes; copied
     * @throws IllegalArgumentException if the layer's length or height does not fit the size
     */
    public static DigestTree fromLayer(long size, int layerHeight, byte[] layer) {
        requireLayer(size, layerHeight, layer);
        return fromOwnLayer(size, layerHeight, layer.clone());
    }

    private static void requireLayer(long size, int layerHeight, byte[] layer) {
        if (size < 0) {
            throw new IllegalArgumentException("a file size cannot be negative: " + size);
        }
        int rootHeight = rootHeight(size);
        if (layerHeight < 0 || layerHeight > rootHeight) {
            throw new IllegalArgumentException("a file of " + size + " bytes has layers 0 to " + rootHeight + ", not " + layerHeight);
        }
        long nodes = Nodes.above(blockCount(size), layerHeight);
        if (layer.length != nodes * Nodes.BYTES) {
            throw new IllegalArgumentException("layer " + layerHeight + " of a file of " + size + " bytes has " + nodes
                    + " nodes of " + Nodes.BYTES + " bytes, not " + layer.length + " bytes");
        }
    }

    /**
     * The tree of a file of {@code size} bytes whose layer at {@code layerHeight} is {@code layer}
     * and whose root is {@code root}, without computing the root again: for a store that kept the
     * two together and checked them as one (a checksum over both), where recomputing the root
     * would cost a SHA-256 of 64 bytes per node of the layer. A root that does not belong to the
     * layer makes a tree whose pieces do not add up to it ({@link #rootOfPieces}), which every
     * client that checks them sees.
     *
     * @throws IllegalArgumentException as {@link #fromLayer(long, int, byte[])}
     */
    public static DigestTree fromLayer(long size, int layerHeight, byte[] layer, Digest root) {
        requireLayer(size, layerHeight, layer);
        return new DigestTree(size, root, layerHeight, layer.clone());
    }

    /** As {@link #fromLayer}, taking the array without a copy: for the hasher, which made it. */
    static DigestTree fromOwnLayer(long size, int layerHeight, byte[] layer) {
        if (size == 0) {
            return new DigestTree(0, EMPTY_ROOT, 0, layer);
        }
        int levels = rootHeight(size) - layerHeight;
        byte[] top = Nodes.climb(Digest.newSha256(), layer, 0, layer.length / Nodes.BYTES, layerHeight, levels);
        return new DigestTree(size, new Digest(top), layerHeight, layer);
    }

    /** The file's length in bytes. */
    public long size() {
        return size;
    }

    /** BEP 52's pieces root of the file ({@link #EMPTY_ROOT} for an empty one). */
    public Digest root() {
        return root;
    }

    /** How high above the leaves the kept layer is: 0 when the leaves are kept. */
    public int layerHeight() {
        return layerHeight;
    }

    /**
     * The kept layer, 32 bytes a node, for storing the tree (see {@link #fromLayer}).
     *
     * @return a copy
     */
    public byte[] layer() {
        return layer.clone();
    }

    /** The kept layer's size in bytes, without a copy. */
    public int layerBytes() {
        return layer.length;
    }

    /**
     * A tree that keeps the layer at {@code height} instead: smaller, with the same root, able
     * to answer only pieces of {@code 2^height} blocks or more.
     *
     * @param height from {@link #layerHeight()} to the root's height
     * @throws IllegalArgumentException if the height is outside that range
     */
    public DigestTree keepingLayer(int height) {
        int rootHeight = rootHeight(size);
        if (height < layerHeight || height > rootHeight) {
            throw new IllegalArgumentException("this tree can keep layers " + layerHeight + " to " + rootHeight + ", not " + height);
        }
        if (height == layerHeight) {
            return this;
        }
        byte[] higher = Nodes.climb(Digest.newSha256(), layer, 0, layer.length / Nodes.BYTES, layerHeight, height - layerHeight);
        return new DigestTree(size, root, height, higher);
    }

    /** How many pieces of {@code pieceLength} bytes the file has: {@code ceil(size / pieceLength)}, 0 if empty. */
    public long pieceCount(long pieceLength) {
        requirePieceLength(pieceLength);
        return size / pieceLength + (size % pieceLength == 0 ? 0 : 1);
    }

    /** Whether {@link #pieces} can answer this piece length from the kept layer. */
    public boolean hasPiecesOf(long pieceLength) {
        return heightOfPiece(pieceLength) >= layerHeight || pieceCount(pieceLength) <= 1;
    }

    /**
     * The digests of pieces {@code [first, first + count)} at {@code pieceLength}: the nodes of
     * the tree at the piece's height, each the root of its piece's blocks (the last piece padded
     * with zero hashes); the root itself for a file of one piece. Costs one SHA-256 of 64 bytes
     * for each node between the kept layer and the pieces.
     *
     * @param pieceLength a power of two of {@value #BLOCK_BYTES} bytes or more
     * @throws IllegalArgumentException if the piece length is not valid or the pieces are not all in the file
     * @throws IllegalStateException if the kept layer is above these pieces (see {@link #hasPiecesOf})
     */
    public List<Digest> pieces(long pieceLength, long first, int count) {
        long pieces = pieceCount(pieceLength);
        if (first < 0 || count < 0 || first > pieces - count) {
            throw new IllegalArgumentException("pieces " + first + " to " + (first + count) + " are not all among the "
                    + pieces + " of " + pieceLength + " bytes of this file");
        }
        if (count == 0) {
            return List.of();
        }
        if (pieces == 1) {
            return List.of(root);
        }
        int height = heightOfPiece(pieceLength);
        if (height < layerHeight) {
            throw new IllegalStateException("this tree keeps layer " + layerHeight + ", above pieces of " + pieceLength + " bytes");
        }
        int levels = height - layerHeight;
        long layerNodes = layer.length / Nodes.BYTES;
        int start = Math.toIntExact(first << levels);
        int end = (int) Math.min((first + count) << levels, layerNodes);
        byte[] nodes = Nodes.climb(Digest.newSha256(), layer, start * Nodes.BYTES, end - start, layerHeight, levels);
        return split(nodes);
    }

    /**
     * The root that a file's complete list of piece digests adds up to: how a client checks that
     * the digests it was given belong to the root it was given. BEP 52 calls this list the
     * file's piece layer.
     *
     * @param size the file's length
     * @param pieceLength the pieces' length, a power of two of {@value #BLOCK_BYTES} bytes or more
     * @param pieces the digest of every piece, first to last
     * @throws IllegalArgumentException if there are not {@code ceil(size / pieceLength)} digests
     */
    public static Digest rootOfPieces(long size, long pieceLength, List<Digest> pieces) {
        requirePieceLength(pieceLength);
        long expected = size / pieceLength + (size % pieceLength == 0 ? 0 : 1);
        if (pieces.size() != expected) {
            throw new IllegalArgumentException("a file of " + size + " bytes has " + expected + " pieces of " + pieceLength
                    + " bytes, not " + pieces.size());
        }
        if (pieces.isEmpty()) {
            return EMPTY_ROOT;
        }
        if (pieces.size() == 1) {
            return pieces.getFirst();
        }
        byte[] layer = new byte[pieces.size() * Nodes.BYTES];
        for (int i = 0; i < pieces.size(); i++) {
            System.arraycopy(pieces.get(i).bytes(), 0, layer, i * Nodes.BYTES, Nodes.BYTES);
        }
        int height = heightOfPiece(pieceLength);
        return new Digest(Nodes.climb(Digest.newSha256(), layer, 0, pieces.size(), height, rootHeight(size) - height));
    }

    /** Blocks in a file of {@code size} bytes: {@code ceil(size / 16 KiB)}. */
    public static long blockCount(long size) {
        return Nodes.above(size, Integer.numberOfTrailingZeros(BLOCK_BYTES));
    }

    /**
     * Whether a piece of this length is a node of the tree.
     *
     * @return {@code true} for a power of two from {@value #BLOCK_BYTES} to {@link #MAX_PIECE_LENGTH}
     */
    public static boolean isPieceLength(long pieceLength) {
        return pieceLength >= MIN_PIECE_LENGTH && pieceLength <= MAX_PIECE_LENGTH && Long.bitCount(pieceLength) == 1;
    }

    /** The height of the root above the leaves of a file of {@code size} bytes: 0 for one block or none. */
    static int rootHeight(long size) {
        return Nodes.heightFor(blockCount(size));
    }

    /** The height of a piece of this length above the leaves: {@code log2(pieceLength / 16 KiB)}. */
    static int heightOfPiece(long pieceLength) {
        requirePieceLength(pieceLength);
        return Long.numberOfTrailingZeros(pieceLength) - Integer.numberOfTrailingZeros(BLOCK_BYTES);
    }

    private static void requirePieceLength(long pieceLength) {
        if (!isPieceLength(pieceLength)) {
            throw new IllegalArgumentException("a piece of the digest tree is a power of two of " + BLOCK_BYTES
                    + " bytes or more, not " + pieceLength);
        }
    }

    private static List<Digest> split(byte[] nodes) {
        List<Digest> digests = new ArrayList<>(nodes.length / Nodes.BYTES);
        for (int offset = 0; offset < nodes.length; offset += Nodes.BYTES) {
            digests.add(new Digest(Arrays.copyOfRange(nodes, offset, offset + Nodes.BYTES)));
        }
        return List.copyOf(digests);
    }

    @Override
    public String toString() {
        return "DigestTree[" + size + " bytes, root " + root.hex() + ", layer " + layerHeight + "]";
    }
}
