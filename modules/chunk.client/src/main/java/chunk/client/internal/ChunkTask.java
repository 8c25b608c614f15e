package chunk.client.internal;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadListener;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.wire.ByteRange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Downloads one chunk: from server {@code index mod n} first, then from the next servers in
 * turn, each retry asking only for the bytes not yet received, until the chunk is complete or
 * every server has failed it once.
 */
final class ChunkTask implements Callable<ChunkOutcome> {

    private final int index;
    private final ByteRange range;
    private final List<ServerAddress> servers;
    private final ChunkFetcher fetcher;
    private final BufferPool buffers;
    private final DownloadListener listener;

    ChunkTask(int index, ByteRange range, List<ServerAddress> servers, ChunkFetcher fetcher, BufferPool buffers,
            DownloadListener listener) {
        this.index = index;
        this.range = range;
        this.servers = servers;
        this.fetcher = fetcher;
        this.buffers = buffers;
        this.listener = listener;
    }

    @Override
    public ChunkOutcome call() throws LocalWriteException, InterruptedException {
        List<ServerAddress> delivered = new ArrayList<>();
        List<ServerFailure> failures = new ArrayList<>();
        long received = 0;
        // A task runs only while it has one of ChunkScheduler's places, so there are never
        // more buffers (or connections) than places.
        ByteBuffer buffer = buffers.take();
        try {
            for (int tried = 0; tried < servers.size() && received < range.length(); tried++) {
                ServerAddress server = servers.get((index + tried) % servers.size());
                ChunkFetcher.Attempt attempt = fetcher.fetch(index, server, range.remainderAfter(received), buffer);
                received += attempt.received();
                if (attempt.received() > 0) {
                    delivered.add(server);
                }
                if (attempt instanceof ChunkFetcher.Attempt.Failed(long _, String reason)) {
                    ServerFailure failure = new ServerFailure(server, reason);
                    failures.add(failure);
                    listener.serverFailed(failure);
                }
            }
        } finally {
            buffers.give(buffer);
        }
        ChunkOutcome outcome = received == range.length()
                ? new ChunkOutcome.Completed(index, range, delivered, failures)
                : new ChunkOutcome.Failed(index, range, received, failures);
        listener.finished(outcome);
        return outcome;
    }
}
