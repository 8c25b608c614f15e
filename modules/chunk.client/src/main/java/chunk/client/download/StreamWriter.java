package chunk.client.download;

import chunk.client.disk.StreamWindow;
import chunk.client.plan.ChunkPlanner;
import chunk.client.plan.PieceMap;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.jspecify.annotations.Nullable;

/**
 * Writes a streamed download out in order, on a thread of its own: each time the pieces before
 * the first one not done grow, their bytes go from the window to the stream, and the piece map
 * may fetch that much further ahead. If the stream cannot be written (its reader went away),
 * the download is stopped at once.
 */
final class StreamWriter implements Runnable {

    private final PieceMap map;
    private final StreamWindow window;
    private final WritableByteChannel out;
    private final Thread downloading;
    private volatile boolean fetchingEnded;
    private volatile @Nullable IOException failure;
    private volatile long written;

    /** @param downloading the thread that fetches the pieces: interrupted if the stream fails */
    StreamWriter(PieceMap map, StreamWindow window, WritableByteChannel out, Thread downloading) {
        this.map = map;
        this.window = window;
        this.out = out;
        this.downloading = downloading;
    }

    @Override
    public void run() {
        ChunkPlanner.Plan plan = map.plan();
        int next = 0;
        try {
            while (next < plan.pieceCount()) {
                int upTo = map.firstNotDone();
                if (upTo > next) {
                    long from = plan.piece(next).offset();
                    long to = plan.piece(upTo - 1).end();
                    window.sendTo(out, from, to - from);
                    written = to;
                    next = upTo;
                    map.wentOut(next);
                } else if (fetchingEnded) {
                    return; // incomplete: what came in order went out, the rest never will
                } else {
                    map.await();
                }
            }
        } catch (IOException e) {
            failure = e;
            downloading.interrupt();
        } catch (InterruptedException e) {
            // stopped with the download
        }
    }

    /** The fetching is over, complete or not: write out what is left in order, then stop. */
    void fetchingEnded() {
        fetchingEnded = true;
    }

    /** Why the stream could not be written, or null. */
    @Nullable IOException failure() {
        return failure;
    }

    /** The bytes written out so far. */
    long written() {
        return written;
    }
}
