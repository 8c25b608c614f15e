package chunk.wire.tree;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Makes the {@link DigestTree} of a file from its bytes, in one pass, as they go through the
 * caller's buffer: each 16 KiB block is hashed where it lies and its leaf written straight into
 * the layer the tree keeps. The work is one SHA-256 of the data, plus one of 64 bytes per block
 * for the nodes above (under 1 % more; docs/BENCHMARKS.md has the measured rates). Not
 * thread-safe; one hasher per file.
 *
 * <pre>{@code
 * TreeHasher hasher = new TreeHasher(file.size());
 * while (...) { hasher.update(buffer.flip()); buffer.clear(); }
 * DigestTree tree = hasher.finish();
 * }</pre>
 */
public final class TreeHasher {

    /** The largest layer a hasher keeps unless told otherwise: 1 GiB of leaves, those of a 512 GiB file. */
    public static final int DEFAULT_MAX_LAYER_BYTES = 1 << 30;

    private final long size;
    private final int layerHeight;
    private final byte[] layer;
    private final BlockStream blocks;
    /** Gathers the leaves of one node of the kept layer, when that layer is above the leaves. */
    private final Nodes.Stack group;
    private final byte[] leaf = new byte[Nodes.BYTES];
    private int nodesDone;
    private long fed;
    private boolean finished;

    /**
     * A hasher that keeps the leaves (up to {@link #DEFAULT_MAX_LAYER_BYTES}).
     *
     * @param size the file's exact length: {@link #finish} checks that this many bytes came
     */
    public TreeHasher(long size) {
        this(size, DEFAULT_MAX_LAYER_BYTES);
    }

    /**
     * A hasher that keeps the lowest layer of at most {@code maxLayerBytes}: the leaves for a
     * file of up to {@code maxLayerBytes * 512} bytes, a higher layer for a larger one.
     *
     * @param size the file's exact length
     * @param maxLayerBytes 32 or more
     * @throws IllegalArgumentException if the size is negative or the bound below one node
     */
    public TreeHasher(long size, int maxLayerBytes) {
        if (size < 0) {
            throw new IllegalArgumentException("a file size cannot be negative: " + size);
        }
        if (maxLayerBytes < Nodes.BYTES) {
            throw new IllegalArgumentException("a layer needs room for one node of " + Nodes.BYTES + " bytes, not " + maxLayerBytes);
        }
        this.size = size;
        long blocks = DigestTree.blockCount(size);
        int height = 0;
        while (Nodes.above(blocks, height) > maxLayerBytes / Nodes.BYTES) {
            height++;
        }
        this.layerHeight = height;
        this.layer = new byte[Math.toIntExact(Nodes.above(blocks, height) * Nodes.BYTES)];
        this.group = new Nodes.Stack(0);
        this.blocks = new BlockStream(height == 0 ? this::keepLeaf : this::addToGroup);
    }

    /** The height of the layer the tree will keep: 0 unless the file is too large for its leaves. */
    public int layerHeight() {
        return layerHeight;
    }

    /**
     * Hashes the bytes from the buffer's position to its limit, and moves its position to its limit.
     *
     * @throws IllegalStateException if that is more than the file's size, or after {@link #finish}
     */
    public void update(ByteBuffer data) {
        take(data.remaining());
        blocks.update(data);
    }

    /**
     * Hashes {@code length} bytes of {@code bytes} from {@code offset}.
     *
     * @throws IllegalStateException if that is more than the file's size, or after {@link #finish}
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public void update(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        take(length);
        blocks.update(bytes, offset, length);
    }

    /** Bytes hashed so far. */
    public long hashed() {
        return fed;
    }

    /**
     * The tree of the bytes hashed.
     *
     * @throws IllegalStateException if fewer bytes came than the size given, or if called twice
     */
    public DigestTree finish() {
        if (finished) {
            throw new IllegalStateException("this tree is already finished");
        }
        if (fed != size) {
            throw new IllegalStateException(fed + " bytes were hashed of a file of " + size);
        }
        finished = true;
        blocks.flush();
        if (group.added() > 0) {
            group.finish(layerHeight, layer, nodesDone++ * Nodes.BYTES);
        }
        return DigestTree.fromOwnLayer(size, layerHeight, layer);
    }

    private void take(int length) {
        if (finished) {
            throw new IllegalStateException("this tree is already finished");
        }
        if (length > size - fed) {
            throw new IllegalStateException((fed + length) + " bytes are more than the file's " + size);
        }
        fed += length;
    }

    private void keepLeaf(MessageDigest finished) {
        Nodes.finish(finished, layer, nodesDone++ * Nodes.BYTES);
    }

    private void addToGroup(MessageDigest finished) {
        Nodes.finish(finished, leaf, 0);
        group.add(leaf, 0);
        if (group.added() == 1L << layerHeight) {
            group.finish(layerHeight, layer, nodesDone++ * Nodes.BYTES);
        }
    }
}
