package chunk.wire.tree;

import chunk.wire.Digest;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The arithmetic of the tree's nodes, kept as 32-byte runs in plain arrays (a million leaves
 * are one 32 MiB array, not a million objects). A node is the SHA-256 of its two children's
 * 64 bytes; a leaf the SHA-256 of a 16 KiB block. Heights count from the leaves (0) up.
 */
final class Nodes {

    /** Bytes in a node. */
    static final int BYTES = Digest.BYTES;
    /**
     * Heights a tree can have: a file of at most 2^63 - 1 bytes has fewer than 2^49 blocks, so
     * its root is at most 49 above its leaves; 64 leaves room without a check on every step.
     */
    static final int MAX_HEIGHT = 63;

    /**
     * {@code PADS[h]} is the root of a subtree of height {@code h} whose leaves are all the
     * zero hash: what stands for the missing part of a tree padded to a power of two (BEP 52:
     * "the remaining leaf hashes beyond the end of the file ... are set to zero", so the
     * padding one layer up is the hash of two zero hashes, and so on).
     */
    private static final byte[][] PADS = new byte[MAX_HEIGHT + 1][];

    static {
        PADS[0] = new byte[BYTES];
        MessageDigest sha256 = Digest.newSha256();
        for (int height = 1; height <= MAX_HEIGHT; height++) {
            byte[] pad = new byte[BYTES];
            parent(sha256, PADS[height - 1], 0, PADS[height - 1], 0, pad, 0);
            PADS[height] = pad;
        }
    }

    private Nodes() {}

    /** The padding node at {@code height}; shared, never to be written to. */
    static byte[] pad(int height) {
        return PADS[height];
    }

    /** Writes the parent of two nodes, SHA-256 of left then right, to {@code out} at {@code outOffset}. */
    static void parent(MessageDigest sha256, byte[] left, int leftOffset, byte[] right, int rightOffset,
                       byte[] out, int outOffset) {
        sha256.update(left, leftOffset, BYTES);
        sha256.update(right, rightOffset, BYTES);
        finish(sha256, out, outOffset);
    }

    /** Finishes a SHA-256 into {@code out} at {@code offset}, without allocating. */
    static void finish(MessageDigest sha256, byte[] out, int offset) {
        try {
            sha256.digest(out, offset, BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 makes " + BYTES + " bytes", e);
        }
    }

    /**
     * The layer {@code levels} above {@code count} nodes of height {@code height}: each pair
     * hashed into its parent, a last odd node paired with the padding of its height, so that a
     * run that starts at a multiple of {@code 2^levels} gives the roots of its subtrees, the last
     * one padded as BEP 52 pads a file's last piece. The caller keeps {@code levels} at or below
     * the tree's root: above it there is nothing to pad.
     *
     * @return {@code ceil(count / 2^levels)} nodes (the input itself, copied, for 0 levels)
     */
    static byte[] climb(MessageDigest sha256, byte[] nodes, int offset, int count, int height, int levels) {
        byte[] layer = new byte[count * BYTES];
        System.arraycopy(nodes, offset, layer, 0, layer.length);
        for (int level = 0; level < levels; level++) {
            int parents = (count + 1) / 2;
            for (int i = 0; i < parents; i++) {
                int left = 2 * i * BYTES;
                boolean hasRight = 2 * i + 1 < count;
                parent(sha256, layer, left, hasRight ? layer : pad(height + level), hasRight ? left + BYTES : 0, layer, i * BYTES);
            }
            count = parents;
        }
        return count * BYTES == layer.length ? layer : Arrays.copyOf(layer, count * BYTES);
    }

    /** The smallest {@code h} with {@code 2^h >= count}: the height of the root over {@code count} leaves. */
    static int heightFor(long count) {
        return count <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(count - 1);
    }

    /** {@code ceil(count / 2^levels)}, without overflow. */
    static long above(long count, int levels) {
        return levels == 0 ? count : (count >> levels) + ((count & ((1L << levels) - 1)) == 0 ? 0 : 1);
    }

    /**
     * The root of nodes added one at a time, left to right, with one node per height held at
     * most: a stack whose heights fall from bottom to top, as in a binary counter. Each node
     * added is hashed with its left neighbour as soon as both halves exist, so the work is the
     * one parent per node that the tree needs anyway, and the memory {@code 64 * 32} bytes.
     */
    static final class Stack {
        private final MessageDigest sha256 = Digest.newSha256();
        private final byte[] nodes = new byte[(MAX_HEIGHT + 1) * BYTES];
        private final int[] heights = new int[MAX_HEIGHT + 1];
        private final int baseHeight;
        private int size;
        private long added;

        /** @param baseHeight the height of the nodes that will be added */
        Stack(int baseHeight) {
            this.baseHeight = baseHeight;
        }

        /** Drops the nodes added since the last {@link #finish}. */
        void clear() {
            size = 0;
            added = 0;
        }

        /** Nodes added since the last {@link #finish}. */
        long added() {
            return added;
        }

        /** Adds the next node, {@code BYTES} bytes of {@code node} at {@code offset}. */
        void add(byte[] node, int offset) {
            System.arraycopy(node, offset, nodes, size * BYTES, BYTES);
            heights[size++] = baseHeight;
            added++;
            mergeTop();
        }

        private void mergeTop() {
            while (size >= 2 && heights[size - 1] == heights[size - 2]) {
                int left = (size - 2) * BYTES;
                parent(sha256, nodes, left, nodes, left + BYTES, nodes, left);
                heights[size - 2]++;
                size--;
            }
        }

        /**
         * The root of the nodes added, padded to a subtree of {@code height}, written to
         * {@code out}; then empty for the next run.
         *
         * @throws IllegalStateException if no node was added or they do not fit under {@code height}
         */
        void finish(int height, byte[] out, int outOffset) {
            if (size == 0) {
                throw new IllegalStateException("no node to make a root of");
            }
            if (heights[0] > height || (heights[0] == height && size > 1)) {
                throw new IllegalStateException(added + " nodes of height " + baseHeight + " do not fit under height " + height);
            }
            while (size > 1 || heights[0] < height) {
                System.arraycopy(pad(heights[size - 1]), 0, nodes, size * BYTES, BYTES);
                heights[size] = heights[size - 1];
                size++;
                mergeTop();
            }
            System.arraycopy(nodes, 0, out, outOffset, BYTES);
            size = 0;
            added = 0;
        }
    }
}
