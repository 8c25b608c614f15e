package chunk.client.internal;

import chunk.client.DownloadListener;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.wire.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Asks the servers for a file's size, first to last, until one answers. */
final class SizeProbe {

    /** What the servers said about the size. */
    sealed interface Answer {
        /** {@code server} says the file has {@code size} bytes; {@code failures} are the servers before it. */
        record Known(long size, ServerAddress server, List<ServerFailure> failures) implements Answer {}

        /** No server told the size. */
        record Unknown(List<ServerFailure> failures) implements Answer {}
    }

    private final Duration connectTimeout;
    private final StallWatchdog watchdog;
    private final DownloadListener listener;

    SizeProbe(Duration connectTimeout, StallWatchdog watchdog, DownloadListener listener) {
        this.connectTimeout = connectTimeout;
        this.watchdog = watchdog;
        this.listener = listener;
    }

    Answer ask(List<ServerAddress> servers, String fileName) {
        List<ServerFailure> failures = new ArrayList<>();
        for (ServerAddress server : servers) {
            switch (askOne(server, fileName)) {
                case OneAnswer.Size(long size) -> {
                    return new Answer.Known(size, server, failures);
                }
                case OneAnswer.Refused(String reason) -> {
                    ServerFailure failure = new ServerFailure(server, reason);
                    listener.serverFailed(failure);
                    failures.add(failure);
                }
            }
        }
        return new Answer.Unknown(failures);
    }

    /** One server's answer: the size, or why it cannot tell it. */
    private sealed interface OneAnswer {
        record Size(long size) implements OneAnswer {}

        record Refused(String reason) implements OneAnswer {}
    }

    private OneAnswer askOne(ServerAddress server, String fileName) {
        listener.connecting(server, fileName, null);
        ServerConnection connection;
        try {
            connection = ServerConnection.open(server, connectTimeout, watchdog);
        } catch (IOException e) {
            return new OneAnswer.Refused(ServerConnection.explainFailure(e));
        }
        try (connection) {
            connection.send(new Frame.SizeRequest(fileName));
            return switch (connection.readReply()) {
                case Frame.SizeReply reply -> new OneAnswer.Size(reply.fileSize());
                case Frame.ErrorReply error -> new OneAnswer.Refused("server says \"" + error.reason() + "\"");
                case Frame.ChunkReply _ -> new OneAnswer.Refused("answered a size request with a chunk");
                case Frame.DigestReply _ -> new OneAnswer.Refused("answered a size request with digests");
            };
        } catch (IOException e) {
            return new OneAnswer.Refused(connection.explain(e));
        }
    }
}
