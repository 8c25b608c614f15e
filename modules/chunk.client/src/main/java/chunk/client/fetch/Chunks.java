package chunk.client.fetch;

import chunk.client.DownloadListener;
import chunk.client.disk.LocalWriteException;
import chunk.client.disk.PieceSink;
import chunk.client.net.Mirror;
import chunk.client.plan.ChunkPlanner;
import chunk.client.plan.PieceMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches the pieces of one download: one task per chunk of the plan, each on its own virtual
 * thread in the {@link ChunkScope}, at most {@link ChunkPlanner#MAX_CONNECTIONS} at once, and a
 * referee that routes around silent connections. What each task fetches next is the piece
 * map's decision; when this returns, the map knows what is done and what failed.
 */
public final class Chunks {

    /**
     * The read size of each chunk: small enough to stay in the CPU cache between the socket read
     * and the file write. Measured on 1 GiB over loopback, 4 MiB buffers cost twice the CPU of
     * 256 KiB ones, most of it in the kernel's copy into the page cache (docs/BENCHMARKS.md,
     * "What was measured, and what changed").
     */
    static final int BUFFER_SIZE = 256 << 10;
    /** How often silent connections are looked for. */
    private static final long REFEREE_MILLIS = 100;

    private Chunks() {}

    /**
     * Runs every chunk of {@code map}'s plan until the map has nothing left for any of them.
     *
     * @param mirrors the download's mirrors, in the order of the server list
     * @throws LocalWriteException if the part file could not be written; the other chunks are stopped
     * @throws InterruptedException if this thread is interrupted; the chunks are stopped
     */
    public static void fetchAll(String fileName, PieceSink part, PieceMap map, List<Mirror> mirrors,
            DownloadListener listener) throws LocalWriteException, InterruptedException {
        var fetcher = new ChunkFetcher(fileName, part, map, mirrors, listener);
        var buffers = new BufferPool(BUFFER_SIZE);
        int chunks = map.plan().chunks().size();
        List<ChunkTask> tasks = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            tasks.add(new ChunkTask(i, map, fetcher, buffers, listener));
        }
        Thread referee = Thread.ofVirtual().name("referee of " + fileName).start(() -> refereeUntilInterrupted(map));
        try {
            ChunkScope.runAll("chunks of " + fileName, tasks, ChunkPlanner.MAX_CONNECTIONS);
        } finally {
            referee.interrupt();
            map.dataEnded();
        }
    }

    private static void refereeUntilInterrupted(PieceMap map) {
        try {
            while (true) {
                Thread.sleep(REFEREE_MILLIS);
                map.referee();
            }
        } catch (InterruptedException e) {
            // the chunks are all done
        }
    }
}
