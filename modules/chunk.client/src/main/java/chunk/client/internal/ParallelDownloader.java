package chunk.client.internal;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadListener;
import chunk.client.DownloadOptions;
import chunk.client.DownloadResult;
import chunk.client.Downloader;
import chunk.client.ServerAddress;
import chunk.wire.ByteRange;
import chunk.wire.Frame;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@link Downloader}: size probe, chunk plan, parallel chunks, atomic commit. */
public final class ParallelDownloader implements Downloader {

    /**
     * The read size of each chunk: small enough to stay in the CPU cache between the socket read
     * and the file write. Measured on 1 GiB over loopback, 4 MiB buffers cost twice the CPU of
     * 256 KiB ones, most of it in the kernel's copy into the page cache.
     */
    static final int BUFFER_SIZE = 256 << 10;
    /**
     * Connections open at once, over all servers; more chunks than this wait their turn, and
     * only this many buffers ever exist (16 MiB). Measured with 1000 chunks of a 1 GiB file
     * from 4 servers on loopback: 256 at once took 1.6-2.5 s and 128 MB of memory, 64 took
     * 1.2-1.7 s and 80 MB, 32 the same time and 71 MB. 64 leaves room for 20 servers on real
     * networks, where each server is worth a few connections; to one server, at most
     * {@link ServerBoard#MAX_CONNECTIONS_PER_SERVER}.
     */
    static final int MAX_CONNECTIONS = 64;

    private static final System.Logger LOG = System.getLogger(ParallelDownloader.class.getName());

    private final List<ServerAddress> servers;
    private final DownloadOptions options;
    private final DownloadListener listener;

    public ParallelDownloader(List<ServerAddress> servers, DownloadOptions options, DownloadListener listener) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a download needs at least one server");
        }
        this.servers = List.copyOf(servers);
        this.options = options;
        this.listener = listener;
    }

    @Override
    public DownloadResult download(String fileName) throws InterruptedException {
        new Frame.SizeRequest(fileName); // fails early, with the wire format's message, on a name no server can get
        long start = System.nanoTime();
        Path target;
        try {
            target = OutputTarget.resolve(fileName, options);
        } catch (OutputTarget.RefusedException e) {
            return new DownloadResult.LocalFailure(fileName, options.directory(), e.getMessage());
        }
        if (Files.isDirectory(target)) {
            return new DownloadResult.LocalFailure(fileName, target, shown(target) + " is a folder; name a file with --output <file>");
        }
        if (!options.force() && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return refusedToReplace(fileName, target);
        }
        try (StallWatchdog watchdog = new StallWatchdog(options.stallTimeout())) {
            var probe = new SizeProbe(options.connectTimeout(), watchdog, listener);
            return switch (probe.ask(servers, fileName)) {
                case SizeProbe.Answer.Unknown(var failures) -> new DownloadResult.Unavailable(fileName, failures);
                case SizeProbe.Answer.Known(long size, var _, var _) -> fetch(fileName, target, size, watchdog, start);
            };
        }
    }

    private DownloadResult fetch(String fileName, Path target, long size, StallWatchdog watchdog, long start)
            throws InterruptedException {
        Path partPath = PartFile.partPathFor(target);
        Resume.Start begun;
        try {
            begun = Resume.begin(fileName, partPath, size, ChunkPlanner.pieceLength(size, options.chunks()), null,
                    null, options.resume(), options.fsync(), listener);
        } catch (IOException e) {
            return new DownloadResult.LocalFailure(fileName, partPath,
                    "cannot create " + shown(partPath) + ": " + ServerConnection.explainFailure(e));
        }
        ChunkPlanner.Plan plan = ChunkPlanner.plan(size, options.chunks(), begun.record().pieceLength());
        PieceMap map = new PieceMap(plan, new ServerBoard(servers), begun.record().done(), null, options.stallTimeout());
        PieceRecorder recorder = begun.recorder();
        recorder.listenTo(map);
        listener.started(fileName, size, plan.chunks().size());
        if (begun.doneBytes() > 0) {
            listener.resumed(fileName, begun.doneBytes(), size);
        }
        try (PartFile part = begun.part(); recorder) {
            var fetcher = new ChunkFetcher(fileName, part, map, options.connectTimeout(), watchdog, listener);
            var buffers = new BufferPool(BUFFER_SIZE);
            List<ChunkTask> tasks = new ArrayList<>(plan.chunks().size());
            for (int i = 0; i < plan.chunks().size(); i++) {
                tasks.add(new ChunkTask(i, map, fetcher, buffers, listener));
            }
            try {
                ChunkScheduler.runAll("chunks of " + fileName, tasks, MAX_CONNECTIONS);
            } catch (InterruptedException e) {
                saveKeeping(recorder);
                throw new InterruptedDownload("interrupted; " + kept(recorder, size, partPath)
                        + "; the same command continues it");
            }
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
            if (!failed.isEmpty()) {
                saveKeeping(recorder);
                return new DownloadResult.Incomplete(fileName, partPath, size, failed);
            }
            try {
                part.commit(target, options.fsync(), options.force());
            } catch (FileAlreadyExistsException e) {
                saveKeeping(recorder);
                return refusedToReplace(fileName, target);
            }
            recorder.close();
            forget(begun.file());
            List<ServerAddress> inOrder = servers.stream().filter(used::contains).distinct().toList();
            return new DownloadResult.Completed(fileName, target, size, Duration.ofNanos(System.nanoTime() - start), inOrder);
        } catch (LocalWriteException e) {
            saveKeeping(recorder);
            return new DownloadResult.LocalFailure(fileName, partPath, e.getMessage() + "; " + kept(recorder, size, partPath)
                    + "; it needs " + Durations.bytes(size - recorder.doneBytes())
                    + " more room: free some and the same command continues it");
        } catch (IOException e) {
            saveKeeping(recorder);
            return new DownloadResult.LocalFailure(fileName, target,
                    "cannot save " + shown(target) + ": " + ServerConnection.explainFailure(e) + "; the data is kept in " + shown(partPath));
        }
    }

    /** The record's last save: the pieces written so far, flushed. If it fails, the previous record stays. */
    private static void saveKeeping(PieceRecorder recorder) {
        try {
            recorder.save();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "the last save of the resume record failed: " + e);
        }
    }

    private String kept(PieceRecorder recorder, long size, Path partPath) {
        return Durations.bytes(recorder.doneBytes()) + " of " + Durations.bytes(size) + " kept in " + shown(partPath);
    }

    /** Once the file is in place, its record has nothing left to say. */
    private static void forget(ResumeFile record) {
        try {
            record.delete();
        } catch (IOException e) {
            // The next run for this name finds no part file beside the record and discards it.
            LOG.log(System.Logger.Level.DEBUG, () -> "cannot remove the resume record " + record.path() + ": " + e);
        }
    }

    private DownloadResult refusedToReplace(String fileName, Path target) {
        return new DownloadResult.LocalFailure(fileName, target, shown(target) + " already exists; use --force to replace it");
    }

    /** A path in a message: relative to the working folder when it is inside it, as the user thinks of it. */
    private String shown(Path path) {
        Path base = options.directory().toAbsolutePath().normalize();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(base) && !absolute.equals(base) ? base.relativize(absolute).toString() : path.toString();
    }
}
