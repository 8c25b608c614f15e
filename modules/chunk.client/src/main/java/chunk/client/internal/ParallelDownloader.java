package chunk.client.internal;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadListener;
import chunk.client.DownloadOptions;
import chunk.client.DownloadResult;
import chunk.client.DownloadResult.LocalFailure;
import chunk.client.DownloadResult.LocalFailure.Reason;
import chunk.client.Downloader;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.Verification;
import chunk.wire.Digest;
import chunk.wire.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

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
    /** How often silent connections are looked for. */
    private static final long REFEREE_MILLIS = 100;

    private static final System.Logger LOG = System.getLogger(ParallelDownloader.class.getName());

    private final List<ServerAddress> servers;
    private final DownloadOptions options;
    private final DownloadListener listener;
    /** Servers that answered a digest request as the original does: asked only SIZE for the rest of the run. */
    private final Set<ServerAddress> versionOne = ConcurrentHashMap.newKeySet();
    /** Servers that refused to keep a connection open: one request per connection for the rest of the run. */
    private final Set<ServerAddress> keepOpenRefused = ConcurrentHashMap.newKeySet();

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
            return new LocalFailure(fileName, options.directory(), Reason.NO_FILE_NAME, "");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return new LocalFailure(fileName, target, Reason.IS_FOLDER, "");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return new LocalFailure(fileName, target, Reason.NOT_A_REGULAR_FILE, "");
        }
        if (!options.force() && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return new LocalFailure(fileName, target, Reason.EXISTS, "");
        }
        // The census, the digests and the chunks share connections; they are closed with the pool when the file is done.
        try (StallWatchdog watchdog = new StallWatchdog(options.stallTimeout());
                ConnectionPool connections = new ConnectionPool(options.connectTimeout(), watchdog,
                        ServerBoard.MAX_CONNECTIONS_PER_SERVER, keepOpenRefused);
                Census census = new Census(fileName, servers, options.connectTimeout(), connections, listener, versionOne,
                        options.verify())) {
            Digest pinnedRoot = options.root() == null ? null : Digest.fromHex(options.root());
            LateAnswers late = new LateAnswers();
            return switch (census.settle(pinnedRoot, options.sha256() != null, late::heard)) {
                case Census.Verdict.Unavailable(var failures) -> new DownloadResult.Unavailable(fileName, failures);
                case Census.Verdict.Disputed(var claims, String problem) -> new DownloadResult.Disputed(fileName,
                        claims.stream().map(c -> c.server() + " " + c.said()).toList(), problem);
                case Census.Verdict.Agreed agreed -> fetch(fileName, target, agreed, late, connections, start);
                case Census.Verdict.Tied(var groups) -> {
                    // Each group in turn, until one gives the file --sha256 names.
                    List<DownloadResult.ChecksumMismatch.Attempt> tried = new ArrayList<>();
                    DownloadResult result = null;
                    for (Census.Verdict.Agreed group : groups) {
                        result = fetch(fileName, target, group, new LateAnswers(), connections, start);
                        if (!(result instanceof DownloadResult.ChecksumMismatch mismatch)) {
                            break;
                        }
                        tried.add(new DownloadResult.ChecksumMismatch.Attempt(group.agreeing(), mismatch.actual()));
                    }
                    yield result instanceof DownloadResult.ChecksumMismatch last
                            ? new DownloadResult.ChecksumMismatch(fileName, target, last.expected(), last.actual(),
                                    last.servers(), tried)
                            : result;
                }
            };
        }
    }

    /**
     * Census answers that come once the download has begun: a server that agrees joins, one
     * that does not is left out. Answers before the piece map exists wait for it.
     */
    private static final class LateAnswers {
        private @Nullable PieceMap map;
        private Census.Verdict.@Nullable Agreed verdict;
        private final List<Census.Claim> early = new ArrayList<>();

        synchronized void heard(Census.Claim claim) {
            if (map == null) {
                early.add(claim);
            } else {
                apply(claim);
            }
        }

        synchronized void attach(PieceMap map, Census.Verdict.Agreed verdict) {
            this.map = map;
            this.verdict = verdict;
            early.forEach(this::apply);
            early.clear();
        }

        private void apply(Census.Claim claim) {
            int index = map.board().indexOf(claim.server());
            if (claim instanceof Census.Claim.Refused(var _, String reason)) {
                map.failedBeforeData(index, reason);
            } else if (Census.agrees(claim, verdict)) {
                map.admit(index);
            } else {
                map.leaveOut(index, verdict.whyLeftOut(claim));
            }
        }
    }

    private DownloadResult fetch(String fileName, Path target, Census.Verdict.Agreed agreed, LateAnswers late,
            ConnectionPool connections, long start) throws InterruptedException {
        long size = agreed.size();
        Path partPath = PartFile.partPathFor(target);
        // A new download is measured against the free space before its part file is made; a
        // resumed one, below, against what it still needs.
        if (!Files.exists(partPath, LinkOption.NOFOLLOW_LINKS)) {
            String tooLarge = tooLargeFor(partPath, size);
            if (tooLarge != null) {
                return new LocalFailure(fileName, target, Reason.NO_ROOM, tooLarge);
            }
        }
        // The lock comes before any byte is written or any record read, and is held until the rename is done.
        PartFile part;
        try {
            part = PartFile.claim(target);
        } catch (PartFile.InUseException e) {
            return new LocalFailure(fileName, target, Reason.IN_USE, e.holder().map(pid -> "process " + pid).orElse(""));
        } catch (IOException e) {
            return new LocalFailure(fileName, target, Reason.CANNOT_CREATE, IoFailures.explain(e));
        }
        try (part) {
            return fetchClaimed(fileName, target, part, agreed, late, connections, start);
        } catch (IOException e) {
            // Closing a file that was only read or already renamed: nothing is lost.
            LOG.log(System.Logger.Level.DEBUG, () -> "closing the part file failed: " + e);
            return new LocalFailure(fileName, target, Reason.CANNOT_SAVE, IoFailures.explain(e));
        }
    }

    private DownloadResult fetchClaimed(String fileName, Path target, PartFile part, Census.Verdict.Agreed agreed,
            LateAnswers late, ConnectionPool connections, long start) throws InterruptedException {
        long size = agreed.size();
        Path partPath = part.path();
        // The record comes first: a resumed download keeps its piece length, whatever <chunks> is now.
        Resume.Start begun;
        try {
            begun = Resume.begin(fileName, part, size, ChunkPlanner.pieceLength(size, options.chunks()),
                    agreed.root() == null ? null : agreed.root().bytes(), options.resume(), options.fsync(), listener);
        } catch (IOException e) {
            return new LocalFailure(fileName, target, Reason.CANNOT_CREATE, IoFailures.explain(e));
        }
        ChunkPlanner.Plan plan = ChunkPlanner.plan(size, options.chunks(), begun.record().pieceLength());
        ServerBoard board = new ServerBoard(servers);
        for (ServerBoard.Server server : board.all()) {
            server.admitted = agreed.agreeing().contains(server.address);
        }
        for (Census.Claim claim : agreed.leftOut()) {
            board.leaveOut(board.get(board.indexOf(claim.server())), agreed.whyLeftOut(claim));
        }
        for (ServerFailure failure : agreed.failures()) {
            // It could not say what it holds, so it is never admitted: say why, not that it was late.
            ServerBoard.Server server = board.get(board.indexOf(failure.server()));
            board.leaveOut(server, failure.reason());
            board.failed(server, -1, failure.reason());
        }
        Verification.Status status;
        DigestBook digests = null;
        if (!options.verify()) {
            status = Verification.Status.OFF;
        } else if (agreed.root() == null || plan.pieceLength() > Frame.MAX_PIECE_LENGTH) {
            status = Verification.Status.UNVERIFIED;
        } else {
            status = Verification.Status.VERIFIED;
            Frame.DigestReply known = plan.pieceLength() == Census.IDENTITY_PIECE_LENGTH
                    ? new Frame.DigestReply(0, size, agreed.root(), agreed.firstDigests()) : null;
            try {
                digests = DigestBook.fetch(fileName, size, (int) plan.pieceLength(), agreed.withDigests(), known,
                        connections);
            } catch (DigestBook.UnavailableException e) {
                begun.closeKeeping();
                return new DownloadResult.Disputed(fileName, List.of(), "cannot verify " + fileName + ": " + e.getMessage());
            }
        }
        Verification verification = new Verification(status, agreed.root() == null ? null : agreed.root().hex(),
                plan.pieceLength(), null);
        PieceRecorder recorder;
        try {
            // Where there are digests, the pieces the record names count only if they still match.
            begun = begun.checkedAgainst(digests);
            recorder = new PieceRecorder(begun.file(), begun.record(), partPath, options.fsync());
        } catch (IOException e) {
            begun.closeKeeping();
            return new LocalFailure(fileName, target, Reason.CANNOT_READ, IoFailures.explain(e));
        } catch (InterruptedException e) {
            begun.closeKeeping();
            throw e;
        }
        PieceMap map = new PieceMap(plan, board, begun.record().done(), digests, options.stallTimeout());
        recorder.listenTo(map);
        late.attach(map, agreed);
        String tooLarge = tooLargeFor(partPath, size - begun.doneBytes());
        if (tooLarge != null) {
            begun.closeKeeping();
            if (begun.doneBytes() == 0) {
                forget(begun.file(), partPath);
            }
            return new LocalFailure(fileName, target, Reason.NO_ROOM, tooLarge);
        }
        listener.started(fileName, size, plan.chunks().size());
        if (begun.doneBytes() > 0) {
            listener.resumed(fileName, begun.doneBytes(), size);
        }
        if (listener instanceof PieceMapWatcher watcher) {
            watcher.watch(map);
        }
        try (recorder) {
            var fetcher = new ChunkFetcher(fileName, part, map, connections, listener);
            var buffers = new BufferPool(BUFFER_SIZE);
            List<ChunkTask> tasks = new ArrayList<>(plan.chunks().size());
            for (int i = 0; i < plan.chunks().size(); i++) {
                tasks.add(new ChunkTask(i, map, fetcher, buffers, listener));
            }
            Thread referee = Thread.ofVirtual().name("referee of " + fileName).start(() -> refereeUntilInterrupted(map));
            try {
                ChunkScheduler.runAll("chunks of " + fileName, tasks, MAX_CONNECTIONS);
            } catch (InterruptedException e) {
                saveKeeping(recorder);
                throw new InterruptedDownload("interrupted; " + kept(recorder, size, partPath)
                        + "; the same command continues it");
            } finally {
                referee.interrupt();
                map.dataEnded();
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
            List<ServerAddress> inOrder = servers.stream().filter(used::contains).distinct().toList();
            if (!failed.isEmpty()) {
                saveKeeping(recorder);
                return new DownloadResult.Incomplete(fileName, partPath, size, failed, elapsedSince(start), verification,
                        map.reports());
            }
            if (options.sha256() != null) {
                String actual = sha256Of(partPath);
                if (!actual.equals(options.sha256())) {
                    recorder.close();
                    forget(begun.file(), partPath);
                    return new DownloadResult.ChecksumMismatch(fileName, target, options.sha256(), actual, inOrder);
                }
                verification = new Verification(status, verification.root(), plan.pieceLength(), actual);
            }
            try {
                part.commit(target, options.fsync(), options.force());
            } catch (FileAlreadyExistsException e) {
                saveKeeping(recorder);
                return new LocalFailure(fileName, target, Reason.EXISTS, "");
            }
            recorder.close();
            forget(begun.file(), null);
            return new DownloadResult.Completed(fileName, target, size, elapsedSince(start), inOrder, verification,
                    map.reports(), outcomes);
        } catch (LocalWriteException e) {
            saveKeeping(recorder);
            return new LocalFailure(fileName, target, Reason.CANNOT_WRITE, IoFailures.explain(e.ioCause()) + " ("
                    + HumanFormat.bytes(recorder.doneBytes()) + " of " + HumanFormat.bytes(size) + " received; it needs "
                    + HumanFormat.bytes(size - recorder.doneBytes()) + " more room)");
        } catch (IOException e) {
            saveKeeping(recorder);
            return new LocalFailure(fileName, target, Reason.CANNOT_SAVE, IoFailures.explain(e));
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
        return HumanFormat.bytes(recorder.doneBytes()) + " of " + HumanFormat.bytes(size) + " kept in " + Shown.path(options.directory(), partPath);
    }

    /**
     * Removes the record once it has nothing left to say (the file is in place, or its bytes are
     * not wanted), and then the part file too if {@code partFile} is given.
     */
    private static void forget(ResumeFile record, @Nullable Path partFile) {
        try {
            record.delete();
            if (partFile != null) {
                Files.deleteIfExists(partFile);
            }
        } catch (IOException e) {
            // The next run for this name finds no part file beside the record, or an empty one, and starts over.
            LOG.log(System.Logger.Level.DEBUG, () -> "cannot remove the resume record " + record.path() + ": " + e);
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

    private static Duration elapsedSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Why a file of {@code size} bytes cannot be saved at {@code partPath}, or null if it fits. */
    private @Nullable String tooLargeFor(Path partPath, long size) {
        try {
            Path folder = partPath.toAbsolutePath().getParent();
            long free = Files.getFileStore(folder).getUsableSpace();
            if (size > free) {
                return "it needs " + HumanFormat.bytes(size) + " but only " + HumanFormat.bytes(free) + " are free";
            }
        } catch (IOException e) {
            // Cannot tell: creating the part file will say what is wrong, if anything.
        }
        return null;
    }

    /** The whole file's SHA-256, in one pass over the part file. */
    private static String sha256Of(Path file) throws IOException {
        MessageDigest sha256 = Digest.newSha256();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

}
