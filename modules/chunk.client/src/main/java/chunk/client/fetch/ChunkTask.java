package chunk.client.fetch;

import chunk.client.DownloadListener;
import chunk.client.ServerFailure.Kind;
import chunk.client.ServerFailure;
import chunk.client.disk.LocalWriteException;
import chunk.client.plan.Lease;
import chunk.client.plan.PieceMap;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;

/**
 * The connection of one chunk: it fetches what the piece map gives it, its own chunk first
 * (from server {@code index mod n}, then the next servers in turn, each retry asking only for
 * the pieces not yet done), then whatever is left to do, until the map has nothing for it.
 */
final class ChunkTask implements Callable<Void> {

    private final int index;
    private final PieceMap map;
    private final ChunkFetcher fetcher;
    private final BufferPool buffers;
    private final DownloadListener listener;

    ChunkTask(int index, PieceMap map, ChunkFetcher fetcher, BufferPool buffers, DownloadListener listener) {
        this.index = index;
        this.map = map;
        this.fetcher = fetcher;
        this.buffers = buffers;
        this.listener = listener;
    }

    @Override
    public Void call() throws LocalWriteException, InterruptedException {
        // A task runs only while it has one of ChunkScope's places, so there are never
        // more buffers (or connections) than places.
        ByteBuffer buffer = buffers.take();
        try {
            while (true) {
                switch (map.next(index)) {
                    case PieceMap.Next.Fetch(Lease lease) -> fetch(lease, buffer);
                    case PieceMap.Next.Wait() -> map.await();
                    case PieceMap.Next.Stop() -> {
                        return null;
                    }
                }
            }
        } finally {
            buffers.give(buffer);
        }
    }

    private void fetch(Lease lease, ByteBuffer buffer) throws LocalWriteException {
        ChunkFetcher.Attempt attempt;
        try {
            attempt = fetcher.fetch(lease, buffer);
        } catch (LocalWriteException | RuntimeException | Error e) {
            map.ended(lease);
            throw e;
        }
        ServerFailure failure = switch (attempt) {
            case ChunkFetcher.Attempt.Delivered() -> {
                map.ended(lease);
                yield null;
            }
            case ChunkFetcher.Attempt.Failed(Kind kind, String reason) -> map.failed(lease, kind, reason);
            case ChunkFetcher.Attempt.TakenOver() -> map.failed(lease, Kind.MOVED, ChunkFetcher.MOVED);
        };
        if (failure != null) {
            listener.serverFailed(failure);
        }
    }
}
