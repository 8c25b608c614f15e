package chunk.client.download;

import chunk.client.DownloadListener;
import chunk.client.DownloadOptions;
import chunk.client.DownloadResult.LocalFailure.Reason;
import chunk.client.DownloadResult.LocalFailure;
import chunk.client.DownloadResult;
import chunk.client.Downloader;
import chunk.client.ServerAddress;
import chunk.client.disk.OutputTarget;
import chunk.client.net.Mirror;
import chunk.client.net.StallWatchdog;
import chunk.client.net.http.HttpConnections;
import chunk.client.net.http.HttpMirror;
import chunk.client.net.wire.ConnectionPool;
import chunk.client.net.wire.WireMirror;
import chunk.client.net.wire.WireVersions;
import chunk.client.plan.PieceMap;
import chunk.client.plan.ServerBoard;
import chunk.client.text.IoFailures;
import chunk.client.verify.Census;
import chunk.client.verify.Claim;
import chunk.client.verify.Verdict;
import chunk.wire.Digest;
import chunk.wire.Frame;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Downloader}: for each file, the census of the mirrors, then the download of what
 * the largest group of them agrees on ({@link FileDownload}), or of each group of a tie in turn
 * until one gives the file {@code --sha256} names.
 *
 * <p>This is where the download's mirrors are made ({@link #mirrors}): a second protocol plugs
 * in there, and nowhere above.
 */
public final class ParallelDownloader implements Downloader {

    /** How the HTTP mirrors' logs name the client. */
    private static final String USER_AGENT = ParallelDownloader.class.getModule().getDescriptor() == null ? "myclient"
            : "myclient/" + ParallelDownloader.class.getModule().getDescriptor().rawVersion().orElse("dev");

    private final List<ServerAddress> servers;
    private final DownloadOptions options;
    private final DownloadListener listener;
    /** What this run learns of each server's version of the wire protocol: the files after the first are not asked in vain. */
    private final WireVersions versions = new WireVersions();

    public ParallelDownloader(List<? extends ServerAddress> servers, DownloadOptions options, DownloadListener listener) {
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
        WritableByteChannel stream = options.stream();
        if (stream != null) {
            return toStream(fileName, null, stream, start);
        }
        Path target;
        try {
            target = OutputTarget.resolve(fileName, options);
        } catch (OutputTarget.RefusedException e) {
            return new LocalFailure(fileName, options.directory(), Reason.NO_FILE_NAME, "");
        }
        if (isCharacterDevice(target)) {
            // As curl does: /dev/null and the like are written to, in order, never replaced.
            try (FileChannel device = FileChannel.open(target, StandardOpenOption.WRITE)) {
                return toStream(fileName, target, device, start);
            } catch (IOException e) {
                return new LocalFailure(fileName, target, Reason.CANNOT_WRITE, IoFailures.explain(e));
            }
        }
        LocalFailure unusable = unusableTarget(fileName, target);
        if (unusable != null) {
            return unusable;
        }
        return afterCensus(fileName, (mirrors, agreed, late) ->
                new FileDownload(fileName, target, options, servers, mirrors, listener, start).run(agreed, late));
    }

    /** What to do with the servers a census agreed on. */
    @FunctionalInterface
    private interface Download {
        DownloadResult run(List<Mirror> mirrors, Verdict.Agreed agreed, LateAnswers late) throws InterruptedException;
    }

    /**
     * Asks the mirrors what they hold, then downloads what the largest group agrees on, or each
     * group of a tie in turn until one gives the file --sha256 names.
     */
    private DownloadResult afterCensus(String fileName, Download download) throws InterruptedException {
        // The census, the digests and the chunks share connections; they are closed with the pool when the file is done.
        try (StallWatchdog watchdog = new StallWatchdog(options.stallTimeout());
                HttpConnections http = anyHttp() ? new HttpConnections(options.connectTimeout(), watchdog,
                        options.trustedCertificates(), ServerBoard.MAX_CONNECTIONS_PER_SERVER, USER_AGENT) : null;
                ConnectionPool connections = new ConnectionPool(options.connectTimeout(), watchdog,
                        ServerBoard.MAX_CONNECTIONS_PER_SERVER, versions)) {
            List<Mirror> mirrors = mirrors(connections, http);
            try (Census census = new Census(fileName, mirrors, options.connectTimeout(), listener, options.verify())) {
                Digest pinnedRoot = options.root() == null ? null : Digest.fromHex(options.root());
                LateAnswers late = new LateAnswers();
                return switch (census.settle(pinnedRoot, options.sha256() != null, late::heard)) {
                    case Verdict.Unavailable(var failures) -> new DownloadResult.Unavailable(fileName, failures);
                    case Verdict.Disputed(var claims, String problem) -> new DownloadResult.Disputed(fileName,
                            claims.stream().map(c -> c.server() + " " + c.said()).toList(), problem);
                    case Verdict.Agreed agreed -> download.run(mirrors, agreed, late);
                    case Verdict.Tied(var groups) -> eachGroupInTurn(mirrors, download, groups);
                };
            }
        }
    }

    /**
     * Writes the file to {@code out} ({@code device} names it, or null for the caller's stream):
     * as it arrives, in order, each piece checked against the servers' digests; or, where only
     * the whole file can be checked ({@code --sha256}, or {@code --root} with no server that
     * gives the digest tree), downloaded whole to a temporary folder first and written out only
     * if it matches.
     */
    private DownloadResult toStream(String fileName, @Nullable Path device, WritableByteChannel out, long start)
            throws InterruptedException {
        return afterCensus(fileName, (mirrors, agreed, late) ->
                options.sha256() != null || FileDownload.wholeFileRoot(options, agreed) != null
                        ? staged(fileName, device, out, start, mirrors, agreed, late)
                        : new StreamedDownload(fileName, device, out, options, servers, mirrors, listener, start).run(agreed, late));
    }

    /** The whole file downloaded to a temporary folder, checked, and only then written to {@code out}. */
    private DownloadResult staged(String fileName, @Nullable Path device, WritableByteChannel out, long start,
            List<Mirror> mirrors, Verdict.Agreed agreed, LateAnswers late) throws InterruptedException {
        Path folder;
        try {
            folder = Files.createTempDirectory("myclient-");
        } catch (IOException e) {
            return new LocalFailure(fileName, Path.of(System.getProperty("java.io.tmpdir")), Reason.CANNOT_CREATE,
                    "a temporary folder: " + IoFailures.explain(e));
        }
        try {
            DownloadOptions whole = options.toBuilder().directory(folder).output(null).resume(false).stream(null).build();
            Path staged = OutputTarget.resolve(fileName, whole);
            DownloadResult result = new FileDownload(fileName, staged, whole, servers, mirrors, listener, start).run(agreed, late);
            if (!(result instanceof DownloadResult.Completed done)) {
                return result;
            }
            try (FileChannel file = FileChannel.open(staged, StandardOpenOption.READ)) {
                long sent = 0;
                while (sent < done.size()) {
                    sent += file.transferTo(sent, done.size() - sent, out);
                }
            } catch (IOException e) {
                return new LocalFailure(fileName, device != null ? device : staged, Reason.CANNOT_WRITE, IoFailures.explain(e));
            }
            return new DownloadResult.Completed(fileName, device, done.size(), done.elapsed(), done.servers(),
                    done.verification(), done.reports(), done.chunks(), 0);
        } catch (OutputTarget.RefusedException e) {
            return new LocalFailure(fileName, folder, Reason.NO_FILE_NAME, "");
        } finally {
            deleteAll(folder);
        }
    }

    private static boolean isCharacterDevice(Path path) {
        try {
            // S_IFCHR: the file type bits of st_mode say a character device.
            return ((int) Files.getAttribute(path, "unix:mode") & 0170000) == 0020000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false; // missing, or no such attribute here: not a device
        }
    }

    /** A temporary folder with whatever a download left in it: bytes that never reached the stream are of no use. */
    private static void deleteAll(Path folder) {
        try (var inside = Files.list(folder)) {
            for (Path file : inside.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            System.getLogger(ParallelDownloader.class.getName()).log(System.Logger.Level.DEBUG,
                    () -> "cannot remove the temporary folder " + folder + ": " + e);
        }
    }

    /**
     * The download's mirrors, in the order of the server list, on the download's connections:
     * a chunk server speaks the wire protocol, a URL HTTP.
     *
     * @param http the HTTP connections, made only where there is a URL among the servers
     */
    private List<Mirror> mirrors(ConnectionPool connections, @Nullable HttpConnections http) {
        List<Mirror> mirrors = new ArrayList<>(servers.size());
        for (ServerAddress server : servers) {
            mirrors.add(switch (server) {
                case ServerAddress.HostPort chunkServer -> new WireMirror(chunkServer, connections, versions);
                case ServerAddress.Url url -> new HttpMirror(url, java.util.Objects.requireNonNull(http));
            });
        }
        return mirrors;
    }

    /**
     * Whether any server is an HTTP mirror. The HTTP client is made only then: a download from
     * chunk servers alone loads none of it, and starts as fast as before.
     */
    private boolean anyHttp() {
        for (ServerAddress server : servers) {
            if (server instanceof ServerAddress.Url) {
                return true;
            }
        }
        return false;
    }

    /** Why nothing may be saved at {@code target} (a folder, a link, a file not to be replaced), or null. */
    private @Nullable LocalFailure unusableTarget(String fileName, Path target) {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return new LocalFailure(fileName, target, Reason.IS_FOLDER, "");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return new LocalFailure(fileName, target, Reason.NOT_A_REGULAR_FILE, "");
        }
        if (!options.force() && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return new LocalFailure(fileName, target, Reason.EXISTS, "");
        }
        return null;
    }

    /** Each group of a tie in turn, until one gives the file --sha256 names; the last mismatch names them all. */
    private static DownloadResult eachGroupInTurn(List<Mirror> mirrors, Download download, List<Verdict.Agreed> groups)
            throws InterruptedException {
        List<DownloadResult.ChecksumMismatch.Attempt> tried = new ArrayList<>();
        DownloadResult result = null;
        for (Verdict.Agreed group : groups) {
            result = download.run(mirrors, group, new LateAnswers());
            if (!(result instanceof DownloadResult.ChecksumMismatch mismatch)) {
                return result;
            }
            tried.add(new DownloadResult.ChecksumMismatch.Attempt(group.agreeing(), mismatch.actual()));
        }
        DownloadResult.ChecksumMismatch last = (DownloadResult.ChecksumMismatch) result;
        return new DownloadResult.ChecksumMismatch(last.fileName(), last.target(), last.expected(), last.actual(),
                last.servers(), tried, last.pin());
    }

    /**
     * Census answers that come once the download has begun: a server that agrees joins, one
     * that does not is left out. Answers before the piece map exists wait for it.
     */
    static final class LateAnswers {
        private @Nullable PieceMap map;
        private Verdict.@Nullable Agreed verdict;
        private @Nullable ServerBoard board;
        private final List<Claim> early = new ArrayList<>();

        synchronized void heard(Claim claim) {
            if (map == null) {
                early.add(claim);
            } else {
                apply(claim);
            }
        }

        synchronized void attach(PieceMap map, ServerBoard board, Verdict.Agreed verdict) {
            this.map = map;
            this.board = board;
            this.verdict = verdict;
            early.forEach(this::apply);
            early.clear();
        }

        private void apply(Claim claim) {
            int index = board.indexOf(claim.server());
            if (claim instanceof Claim.Refused refused) {
                map.unanswered(index, refused.failure());
            } else if (verdict.admits(claim)) {
                map.admit(index);
            } else {
                map.leaveOut(index, verdict.whyLeftOut(claim));
            }
        }
    }
}
