package chunk.client.verify;

import chunk.client.plan.PieceDigester;
import chunk.client.plan.PieceMap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks the pieces a resume record names as done against the digests the servers offer, by
 * hashing them in the part file, instead of trusting the record: a piece damaged on disk since
 * it was recorded (or recorded under {@code --no-fsync} and lost in a crash) is fetched again.
 *
 * <p>The pieces are hashed on one platform thread per core, each taking every n-th run of
 * pieces, so that the reads stay sequential within a run and the cores share the work evenly.
 */
public final class PieceCheck {

    /** Pieces one thread hashes before it takes its next run: 8 MiB runs of 1 MiB pieces keep reads sequential. */
    private static final int RUN = 8;
    private static final int READ_SIZE = 1 << 20;

    private PieceCheck() {}

    /**
     * The pieces of {@code done} whose bytes in {@code partFile} match their digests.
     *
     * @throws IOException if the part file cannot be read
     * @throws InterruptedException if interrupted while the threads hash
     */
    public static BitSet stillGood(Path partFile, long size, long pieceLength, BitSet done, PieceMap.Digests digests, int threads)
            throws IOException, InterruptedException {
        int[] pieces = done.stream().toArray();
        BitSet good = new BitSet();
        if (pieces.length == 0) {
            return good;
        }
        try (FileChannel file = FileChannel.open(partFile, StandardOpenOption.READ);
                ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("piece-check-", 0).factory())) {
            List<Future<BitSet>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> hash(file, size, pieceLength, pieces, first, threads, digests)));
            }
            for (Future<BitSet> part : parts) {
                try {
                    good.or(part.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException("checking the pieces failed", e.getCause());
                }
            }
        }
        return good;
    }

    private static BitSet hash(FileChannel file, long size, long pieceLength, int[] pieces, int first, int stride,
            PieceMap.Digests digests) throws IOException {
        PieceDigester digester = digests.digester();
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(READ_SIZE, pieceLength));
        BitSet good = new BitSet();
        for (int run = first * RUN; run < pieces.length; run += stride * RUN) {
            for (int i = run; i < Math.min(run + RUN, pieces.length); i++) {
                int piece = pieces[i];
                long start = piece * pieceLength;
                long at = start;
                long end = Math.min(at + pieceLength, size);
                while (at < end) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
                    int n = file.read(buffer, at);
                    if (n < 0) {
                        break; // a part file shorter than the record says: this piece is not there
                    }
                    buffer.flip();
                    digester.update(buffer);
                    at += n;
                }
                if (at == start) {
                    continue; // nothing of it is there
                }
                byte[] digest = digester.finish();
                if (at == end && digests.matches(piece, digest)) {
                    good.set(piece);
                }
            }
        }
        return good;
    }
}
