package chunk.client.download;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadListener;
import chunk.client.DownloadOptions;
import chunk.client.DownloadResult.LocalFailure.Reason;
import chunk.client.DownloadResult.LocalFailure;
import chunk.client.DownloadResult;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.Verification;
import chunk.client.disk.LocalWriteException;
import chunk.client.disk.PartFile;
import chunk.client.disk.Resume;
import chunk.client.disk.ResumeFile;
import chunk.client.disk.ResumeWriter;
import chunk.client.fetch.Chunks;
import chunk.client.net.DigestPage;
import chunk.client.net.DigestScheme;
import chunk.client.net.Holding;
import chunk.client.net.Mirror;
import chunk.client.plan.ChunkPlanner;
import chunk.client.plan.PieceMap;
import chunk.client.plan.ServerBoard;
import chunk.client.text.HumanFormat;
import chunk.client.text.IoFailures;
import chunk.client.verify.Claim;
import chunk.client.verify.DigestBook;
import chunk.client.verify.PieceCheck;
import chunk.client.verify.Verdict;
import chunk.wire.Digest;
import chunk.wire.Frame;
import chunk.wire.tree.TreeHasher;
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
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One file's download from the servers a census agreed on, in the order the safety rules ask:
 * the part file's lock first, then the resume record, the digests, the pieces the record
 * names checked against them, the chunks, and only then, for a complete file (verified where
 * anything could verify it), the atomic rename to the final name.
 */
final class FileDownload {

    private static final System.Logger LOG = System.getLogger(FileDownload.class.getName());

    private final String fileName;
    private final Path target;
    private final DownloadOptions options;
    private final List<ServerAddress> servers;
    private final List<Mirror> mirrors;
    private final DownloadListener listener;
    private final long start;

    /**
     * @param servers every server, in the order of the server list
     * @param mirrors the same servers as mirrors, in the same order
     * @param start when the download began ({@link System#nanoTime}), for the elapsed time
     */
    FileDownload(String fileName, Path target, DownloadOptions options, List<ServerAddress> servers, List<Mirror> mirrors,
            DownloadListener listener, long start) {
        this.fileName = fileName;
        this.target = target;
        this.options = options;
        this.servers = servers;
        this.mirrors = mirrors;
        this.listener = listener;
        this.start = start;
    }

    /** Downloads the file {@code agreed} describes from its servers; {@code late} hears the census's late answers. */
    DownloadResult run(Verdict.Agreed agreed, ParallelDownloader.LateAnswers late) throws InterruptedException {
        Path partPath = PartFile.partPathFor(target);
        // A new download is measured against the free space before its part file is made; a
        // resumed one, below, against what it still needs.
        if (!Files.exists(partPath, LinkOption.NOFOLLOW_LINKS)) {
            String tooLarge = tooLargeFor(partPath, agreed.size());
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
            return claimed(part, agreed, late);
        } catch (IOException e) {
            // Closing a file that was only read or already renamed: nothing is lost.
            LOG.log(System.Logger.Level.DEBUG, () -> "closing the part file failed: " + e);
            return new LocalFailure(fileName, target, Reason.CANNOT_SAVE, IoFailures.explain(e));
        }
    }

    /** The download, once its part file is ours. */
    private DownloadResult claimed(PartFile part, Verdict.Agreed agreed, ParallelDownloader.LateAnswers late)
            throws InterruptedException {
        long size = agreed.size();
        // The record comes first: a resumed download keeps its piece length, whatever <chunks> is now.
        Resume.Start begun;
        try {
            Digest root = treeRoot(agreed);
            begun = Resume.begin(fileName, part, size, pieceLength(options, agreed), root == null ? null : root.bytes(),
                    agreed.validators(), options.resume(), options.fsync(), listener);
        } catch (IOException e) {
            return new LocalFailure(fileName, target, Reason.CANNOT_CREATE, IoFailures.explain(e));
        }
        ChunkPlanner.Plan plan = ChunkPlanner.plan(size, options.chunks(), begun.record().pieceLength());
        Checked checked;
        try {
            checked = verification(fileName, options, mirrors, agreed, plan);
            if (checked.unavailable() != null) {
                begun.closeKeeping();
                return new DownloadResult.Disputed(fileName, List.of(), "cannot verify " + fileName + ": "
                        + checked.unavailable());
            }
            // Where there are digests, the pieces the record names count only if they still match.
            begun = stillGood(begun, checked.digests());
        } catch (IOException e) {
            begun.closeKeeping();
            return new LocalFailure(fileName, target, Reason.CANNOT_READ, IoFailures.explain(e));
        } catch (InterruptedException e) {
            begun.closeKeeping();
            throw e;
        }
        String tooLarge = tooLargeFor(begun.partPath(), size - begun.doneBytes());
        if (tooLarge != null) {
            begun.closeKeeping();
            if (begun.doneBytes() == 0) {
                forget(begun.file(), begun.partPath());
            }
            return new LocalFailure(fileName, target, Reason.NO_ROOM, tooLarge);
        }
        ServerBoard board = board(servers, agreed);
        PieceMap map = new PieceMap(plan, board, begun.record().done(), checked.digests(), options.stallTimeout());
        ResumeWriter writer;
        try {
            writer = new ResumeWriter(begun.file(), begun.record(), begun.partPath(), options.fsync(), map::done);
        } catch (IOException e) {
            begun.closeKeeping();
            return new LocalFailure(fileName, target, Reason.CANNOT_READ, IoFailures.explain(e));
        }
        map.addListener(_ -> writer.piecesDone());
        late.attach(map, board, agreed);
        return fetched(part, begun, map, writer, checked.verification(), wholeFileRoot(options, agreed));
    }

    /**
     * The piece length of a download that starts now: the planner's for its size and chunks,
     * and never shorter than the shortest piece the agreed servers' digests name.
     */
    static long pieceLength(DownloadOptions options, Verdict.Agreed agreed) {
        long planned = ChunkPlanner.pieceLength(agreed.size(), options.chunks());
        return agreed.scheme() == null ? planned : Math.max(planned, agreed.scheme().minPieceLength());
    }

    /** The file's digest-tree root, what names it everywhere ({@code --root}), if the agreed servers gave it. */
    static @Nullable Digest treeRoot(Verdict.Agreed agreed) {
        return agreed.scheme() == DigestScheme.TREE ? agreed.root() : null;
    }

    /**
     * The root ({@code --root}) the whole file must have, checked once it is complete, where no
     * agreeing server gave the digest tree to check its pieces against; else null.
     */
    static @Nullable String wholeFileRoot(DownloadOptions options, Verdict.Agreed agreed) {
        return options.root() != null && treeRoot(agreed) == null ? options.root() : null;
    }

    /** How the pieces will be checked: their digests, or why there are none, or why they cannot be had. */
    record Checked(Verification verification, PieceMap.@Nullable Digests digests, @Nullable String unavailable) {}

    /** How the pieces of {@code plan} will be checked: against the digests of the agreeing mirrors that give them. */
    static Checked verification(String fileName, DownloadOptions options, List<Mirror> mirrors, Verdict.Agreed agreed,
            ChunkPlanner.Plan plan) throws InterruptedException {
        // The root a user can pin the file by is the tree's; a round-2 server's flat root is not reported.
        String root = treeRoot(agreed) == null ? null : treeRoot(agreed).hex();
        if (!options.verify()) {
            return new Checked(new Verification(Verification.Status.OFF, root, plan.pieceLength(), null), null, null);
        }
        if (agreed.root() == null || plan.pieceLength() > Frame.MAX_PIECE_LENGTH) {
            return new Checked(new Verification(Verification.Status.UNVERIFIED, root, plan.pieceLength(), null), null, null);
        }
        Verification verified = new Verification(Verification.Status.VERIFIED, root, plan.pieceLength(), null);
        DigestScheme scheme = agreed.scheme();
        DigestPage known = plan.pieceLength() == Holding.IDENTITY_PIECE_LENGTH
                ? new DigestPage(agreed.size(), 0, agreed.root(), agreed.firstDigests(), scheme) : null;
        List<Mirror> withDigests = mirrors.stream().filter(m -> agreed.withDigests().contains(m.address())).toList();
        try {
            return new Checked(verified, DigestBook.fetch(fileName, agreed.size(), (int) plan.pieceLength(), scheme,
                    withDigests, known), null);
        } catch (DigestBook.UnavailableException e) {
            return new Checked(verified, null, e.getMessage());
        }
    }

    /** The start with only those pieces its record names done that match {@code digests} in the part file (hashed on every core). */
    private static Resume.Start stillGood(Resume.Start begun, PieceMap.@Nullable Digests digests)
            throws IOException, InterruptedException {
        if (digests == null || begun.record().done().isEmpty()) {
            return begun;
        }
        BitSet good = PieceCheck.stillGood(begun.partPath(), begun.record().size(), begun.record().pieceLength(),
                begun.record().done(), digests, Runtime.getRuntime().availableProcessors());
        return begun.withDone(good);
    }

    /** The servers' board: those the census heard agree take part, those it heard otherwise are left out, and why. */
    static ServerBoard board(List<ServerAddress> servers, Verdict.Agreed agreed) {
        ServerBoard board = new ServerBoard(servers);
        board.admitOnly(agreed.agreeing());
        for (Claim claim : agreed.leftOut()) {
            board.leaveOut(board.indexOf(claim.server()), agreed.whyLeftOut(claim));
        }
        for (ServerFailure failure : agreed.failures()) {
            board.unanswered(board.indexOf(failure.server()), failure);
        }
        return board;
    }

    /** Fetches the chunks, then saves what came: the whole file under its name, or the part file and its record. */
    private DownloadResult fetched(PartFile part, Resume.Start begun, PieceMap map, ResumeWriter writer,
            Verification verification, @Nullable String wholeFileRoot) throws InterruptedException {
        long size = map.size();
        listener.started(fileName, size, map.plan().chunks().size());
        if (begun.doneBytes() > 0) {
            listener.resumed(fileName, begun.doneBytes(), size);
        }
        listener.progressing(map);
        try (writer) {
            try {
                Chunks.fetchAll(fileName, part, map, mirrors, listener);
            } catch (InterruptedException e) {
                saveKeeping(writer);
                throw new DownloadInterruptedException(writer.savedBytes(), size, begun.partPath());
            }
            return finished(part, begun, map, writer, verification, wholeFileRoot);
        } catch (LocalWriteException e) {
            saveKeeping(writer);
            return new LocalFailure(fileName, target, Reason.CANNOT_WRITE, IoFailures.explain(e.ioCause()) + " ("
                    + HumanFormat.bytes(map.doneBytes()) + " of " + HumanFormat.bytes(size) + " received; it needs "
                    + HumanFormat.bytes(size - map.doneBytes()) + " more room)");
        } catch (IOException e) {
            saveKeeping(writer);
            return new LocalFailure(fileName, target, Reason.CANNOT_SAVE, IoFailures.explain(e));
        }
    }

    /**
     * Once the chunks have all ended: incomplete, or checked against --sha256 (and --root where
     * no server gave the tree to check the pieces against) and renamed to the final name.
     */
    private DownloadResult finished(PartFile part, Resume.Start begun, PieceMap map, ResumeWriter writer,
            Verification verification, @Nullable String wholeFileRoot) throws IOException {
        long size = map.size();
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
        List<ServerAddress> inOrder = servers.stream().filter(used::contains).toList();
        if (!failed.isEmpty()) {
            saveKeeping(writer);
            return new DownloadResult.Incomplete(fileName, begun.partPath(), size, failed, elapsed(), verification,
                    map.reports(), map.resumedBytes());
        }
        if (options.sha256() != null) {
            String actual = sha256Of(begun.partPath());
            if (!actual.equals(options.sha256())) {
                writer.close();
                forget(begun.file(), begun.partPath());
                return new DownloadResult.ChecksumMismatch(fileName, target, options.sha256(), actual, inOrder);
            }
            verification = new Verification(verification.status(), verification.root(), verification.pieceLength(), actual);
        }
        if (wholeFileRoot != null) {
            String actual = treeRootOf(begun.partPath(), size);
            if (!actual.equals(wholeFileRoot)) {
                writer.close();
                forget(begun.file(), begun.partPath());
                return new DownloadResult.ChecksumMismatch(fileName, target, wholeFileRoot, actual, inOrder,
                        List.of(new DownloadResult.ChecksumMismatch.Attempt(inOrder, actual)),
                        DownloadResult.ChecksumMismatch.Pin.ROOT);
            }
            verification = new Verification(verification.status(), actual, verification.pieceLength(), verification.sha256());
        }
        try {
            part.commit(target, options.fsync(), options.force());
        } catch (FileAlreadyExistsException e) {
            saveKeeping(writer);
            return new LocalFailure(fileName, target, Reason.EXISTS, "");
        }
        writer.close();
        forget(begun.file(), null);
        return new DownloadResult.Completed(fileName, target, size, elapsed(), inOrder, verification, map.reports(), outcomes,
                map.resumedBytes());
    }

    /** The record's last save: the pieces written so far, flushed. If it fails, the previous record stays. */
    private static void saveKeeping(ResumeWriter writer) {
        try {
            writer.save();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "the last save of the resume record failed: " + e);
        }
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

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Why a file of {@code size} bytes cannot be saved at {@code partPath}, or null if it fits. */
    private static @Nullable String tooLargeFor(Path partPath, long size) {
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

    /** The whole file's digest-tree root (BEP 52), in one pass over the part file. */
    private static String treeRootOf(Path file, long size) throws IOException {
        TreeHasher tree = new TreeHasher(size);
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                tree.update(buffer);
                buffer.clear();
            }
        }
        return tree.finish().root().hex();
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
