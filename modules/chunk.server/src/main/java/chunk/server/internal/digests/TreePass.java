package chunk.server.internal.digests;

import chunk.wire.tree.DigestTree;
import chunk.wire.tree.TreeHasher;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * One pass over one version of a file that makes its digest tree: the file streams through one
 * {@value #BUFFER_BYTES}-byte buffer (never whole in memory) into a {@link TreeHasher}. The file
 * must be the version asked for before, during and after the pass; otherwise the pass reports
 * {@link Result.Changed} and its work is thrown away.
 */
public final class TreePass {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    /** Read at once: large enough that a read costs little next to its hashing, small enough to yield often (about 1 ms). */
    static final int BUFFER_BYTES = 1 << 20;
    /**
     * The largest layer kept for one file: 32 MiB, the leaves of a 16 GiB file. A larger file
     * keeps a layer higher up, and the pieces below it are hashed from the file when asked for.
     */
    public static final int MAX_LAYER_BYTES = 32 << 20;

    /** Counts the passes made in this JVM: how tests and benchmarks see that a version was hashed once. */
    private static final LongAdder PASSES = new LongAdder();

    /** What a pass came to. */
    public sealed interface Result {
        /** The tree of the version asked for. */
        record Done(FileIdentity identity, DigestTree tree) implements Result {}

        /** The file was not that version at some point of the pass. */
        record Changed() implements Result {}
    }

    /** Called between two buffers of a pass: to yield to urgent work, to stop, or (in tests) to change the file. */
    @FunctionalInterface
    public interface Between {
        Between NONE = (file, hashed) -> true;

        /**
         * @param file the file being hashed
         * @param hashed bytes of it hashed so far
         * @return whether to go on; false abandons the pass as {@link Result.Changed}
         */
        boolean next(Path file, long hashed) throws IOException;
    }

    private TreePass() {}

    /** Passes over files made so far in this JVM. */
    public static long passesSoFar() {
        return PASSES.sum();
    }

    /**
     * Hashes the file that {@code identity} names, if it is still that version, keeping the lowest
     * layer of at most {@link #MAX_LAYER_BYTES}.
     *
     * @throws IOException if the file cannot be opened or read
     */
    public static Result hash(FileIdentity identity, Between between) throws IOException {
        return hash(identity, MAX_LAYER_BYTES, between);
    }

    /** As {@link #hash(FileIdentity, Between)}, with a bound of the caller's on the kept layer (tests make it small). */
    static Result hash(FileIdentity identity, int maxLayerBytes, Between between) throws IOException {
        PASSES.increment();
        long startNanos = System.nanoTime();
        long size = identity.size();
        TreeHasher hasher = new TreeHasher(size, maxLayerBytes);
        try (FileChannel file = FileChannel.open(identity.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            // Opened after the identity was taken: if the name now leads to another file, this says so.
            if (!identity.isCurrent()) {
                return new Result.Changed();
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER_BYTES, Math.max(size, 1)));
            long position = 0;
            while (position < size) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), size - position));
                while (buffer.hasRemaining()) {
                    if (file.read(buffer, position + buffer.position()) < 0) {
                        return new Result.Changed(); // shorter than its size said: it shrank
                    }
                }
                hasher.update(buffer.array(), 0, buffer.position());
                position += buffer.position();
                if (!between.next(identity.path(), position)) {
                    return new Result.Changed();
                }
            }
            if (file.size() != size || !identity.isCurrent()) {
                return new Result.Changed();
            }
        }
        DigestTree tree = hasher.finish();
        long nanos = System.nanoTime() - startNanos;
        LOG.log(Level.DEBUG, () -> String.format(Locale.ROOT, "hashed %s: %d bytes in %.1f ms (%.0f MB/s), root %s",
                identity.path(), size, nanos / 1e6, size / 1e6 / Math.max(nanos / 1e9, 1e-9), tree.root().hex()));
        return new Result.Done(identity, tree);
    }
}
