package chunk.client.download;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadListener;
import chunk.client.DownloadOptions;
import chunk.client.DownloadResult.LocalFailure.Reason;
import chunk.client.DownloadResult.LocalFailure;
import chunk.client.DownloadResult;
import chunk.client.ServerAddress;
import chunk.client.disk.LocalWriteException;
import chunk.client.disk.StreamWindow;
import chunk.client.fetch.Chunks;
import chunk.client.net.Mirror;
import chunk.client.plan.ChunkPlanner;
import chunk.client.plan.PieceMap;
import chunk.client.plan.ServerBoard;
import chunk.client.text.IoFailures;
import chunk.client.verify.Verdict;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One file's download written out as it arrives, in order, to a stream (standard output, a
 * character device): the piece map fetches in order, at most a window ahead of what went out;
 * the pieces wait in a temporary {@link StreamWindow} until every piece before them is done
 * (and matched its digest, where there are digests), and a {@link StreamWriter} sends them on.
 * Nothing is kept for a resume: bytes in a pipe cannot be taken back or continued.
 */
final class StreamedDownload {

    private static final System.Logger LOG = System.getLogger(StreamedDownload.class.getName());

    private final String fileName;
    private final @Nullable Path target;
    private final WritableByteChannel out;
    private final DownloadOptions options;
    private final List<ServerAddress> servers;
    private final List<Mirror> mirrors;
    private final DownloadListener listener;
    private final long start;

    /**
     * @param target the device the stream writes to, for messages and the result; null for a stream of the caller's
     * @param start when the download began ({@link System#nanoTime}), for the elapsed time
     */
    StreamedDownload(String fileName, @Nullable Path target, WritableByteChannel out, DownloadOptions options,
            List<ServerAddress> servers, List<Mirror> mirrors, DownloadListener listener, long start) {
        this.fileName = fileName;
        this.target = target;
        this.out = out;
        this.options = options;
        this.servers = servers;
        this.mirrors = mirrors;
        this.listener = listener;
        this.start = start;
    }

    /** Downloads the file {@code agreed} describes, writing it out as it comes; {@code late} hears the census's late answers. */
    DownloadResult run(Verdict.Agreed agreed, ParallelDownloader.LateAnswers late) throws InterruptedException {
        ChunkPlanner.Plan plan = ChunkPlanner.plan(agreed.size(), options.chunks(), FileDownload.pieceLength(options, agreed));
        FileDownload.Checked checked = FileDownload.verification(fileName, options, mirrors, agreed, plan);
        if (checked.unavailable() != null) {
            return new DownloadResult.Disputed(fileName, List.of(), "cannot verify " + fileName + ": " + checked.unavailable());
        }
        ServerBoard board = FileDownload.board(servers, agreed);
        PieceMap map = new PieceMap(plan, board, new BitSet(), checked.digests(), options.stallTimeout());
        int window = (int) Math.max(1, DownloadOptions.STREAM_WINDOW / plan.pieceLength());
        int connections = Math.clamp(options.chunks(), 1, ChunkPlanner.MAX_CONNECTIONS);
        map.inOrder(window, Math.max(1, window / connections));
        late.attach(map, board, agreed);
        StreamWindow held;
        try {
            held = StreamWindow.create(Math.min(window * plan.pieceLength(), Math.max(1, agreed.size())));
        } catch (IOException e) {
            return new LocalFailure(fileName, shownTarget(), Reason.CANNOT_CREATE, "a temporary file for the stream: "
                    + IoFailures.explain(e));
        }
        try (StreamWindow ring = held) {
            return streamed(map, ring, checked);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "cannot remove the stream's temporary file: " + e);
            return new LocalFailure(fileName, shownTarget(), Reason.CANNOT_SAVE, IoFailures.explain(e));
        }
    }

    private DownloadResult streamed(PieceMap map, StreamWindow ring, FileDownload.Checked checked)
            throws InterruptedException {
        listener.started(fileName, map.size(), map.plan().chunks().size());
        listener.progressing(map);
        StreamWriter writer = new StreamWriter(map, ring, out, Thread.currentThread());
        Thread writing = Thread.ofVirtual().name("stream of " + fileName).start(writer);
        try {
            try {
                Chunks.fetchAll(fileName, ring, map, mirrors, listener);
            } finally {
                writer.fetchingEnded();
            }
            writing.join();
        } catch (LocalWriteException e) {
            writing.interrupt();
            return new LocalFailure(fileName, shownTarget(), Reason.CANNOT_WRITE, IoFailures.explain(e.ioCause()));
        } catch (InterruptedException e) {
            writing.interrupt();
            IOException failure = writer.failure();
            if (failure == null) {
                throw e;
            }
            // The reader went away: nothing is left to write to, so the download stops at once.
            return new LocalFailure(fileName, shownTarget(), Reason.CANNOT_WRITE, "the reader went away ("
                    + IoFailures.explain(failure) + ") after " + writer.written() + " bytes");
        }
        if (writer.failure() != null) {
            return new LocalFailure(fileName, shownTarget(), Reason.CANNOT_WRITE, "the reader went away ("
                    + IoFailures.explain(writer.failure()) + ") after " + writer.written() + " bytes");
        }
        return finished(map, checked);
    }

    private DownloadResult finished(PieceMap map, FileDownload.Checked checked) {
        List<ChunkOutcome> outcomes = map.outcomes();
        List<ChunkOutcome.Failed> failed = new ArrayList<>();
        Set<ServerAddress> used = new LinkedHashSet<>();
        for (ChunkOutcome outcome : outcomes) {
            listener.finished(outcome);
            switch (outcome) {
                case ChunkOutcome.Failed f -> failed.add(f);
                case ChunkOutcome.Completed c -> used.addAll(c.servers());
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (!failed.isEmpty()) {
            return new DownloadResult.Incomplete(fileName, null, map.size(), failed, elapsed, checked.verification(),
                    map.reports(), 0);
        }
        return new DownloadResult.Completed(fileName, target, map.size(), elapsed,
                servers.stream().filter(used::contains).toList(), checked.verification(), map.reports(), outcomes, 0);
    }

    /** What a failure names as the target: the device, or the folder of the stream's temporary file. */
    private Path shownTarget() {
        return target != null ? target : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
