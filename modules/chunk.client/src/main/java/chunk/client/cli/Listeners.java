package chunk.client.cli;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadListener;
import chunk.client.DownloadProgress;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.wire.ByteRange;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Several listeners heard as one. */
record Listeners(List<DownloadListener> all) implements DownloadListener {

    Listeners {
        all = List.copyOf(all);
    }

    @Override
    public void progressing(DownloadProgress progress) {
        all.forEach(l -> l.progressing(progress));
    }

    @Override
    public void connecting(ServerAddress server, String fileName, @Nullable ByteRange range) {
        all.forEach(l -> l.connecting(server, fileName, range));
    }

    @Override
    public void serverFailed(ServerFailure failure) {
        all.forEach(l -> l.serverFailed(failure));
    }

    @Override
    public void started(String fileName, long size, int chunks) {
        all.forEach(l -> l.started(fileName, size, chunks));
    }

    @Override
    public void resumed(String fileName, long bytes, long size) {
        all.forEach(l -> l.resumed(fileName, bytes, size));
    }

    @Override
    public void startedOver(String fileName, String why) {
        all.forEach(l -> l.startedOver(fileName, why));
    }

    @Override
    public void receiving(int index, ServerAddress server) {
        all.forEach(l -> l.receiving(index, server));
    }

    @Override
    public void received(int index, long bytes) {
        for (DownloadListener listener : all) {
            listener.received(index, bytes);
        }
    }

    @Override
    public void finished(ChunkOutcome outcome) {
        all.forEach(l -> l.finished(outcome));
    }
}
