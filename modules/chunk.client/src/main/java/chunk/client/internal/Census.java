package chunk.client.internal;

import chunk.client.DownloadListener;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.wire.Digest;
import chunk.wire.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Asks every server, in parallel, what it holds under a name: size and root (DIGESTS), or
 * the size alone from a server that speaks version 1 only. The servers are grouped by what
 * they say; the largest group wins and the others are left out. The download may start as
 * soon as the answers in hand settle it (two that agree, one that matches a pinned root, one
 * at all when the user gave a whole-file SHA-256, or the only server); answers that come
 * later are handed on to join or be left out once checked.
 */
final class Census implements AutoCloseable {

    /**
     * The piece length the root that names a file is taken at, for every server alike and for
     * {@code --root}: the root at 1 MiB pieces.
     */
    static final int IDENTITY_PIECE_LENGTH = 1 << 20;

    /** The least time given to the other servers once the answers in hand settle the question. */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** What one server said. */
    sealed interface Claim {
        ServerAddress server();

        /** A server that speaks DIGESTS: its size, its root at {@link #IDENTITY_PIECE_LENGTH}, and the first digests. */
        record Rooted(ServerAddress server, long size, Digest root, List<Digest> firstDigests) implements Claim {}

        /** A version-1 server: the size only. */
        record SizeOnly(ServerAddress server, long size) implements Claim {}

        /** No answer: refused, unreachable, or an answer that makes no sense. */
        record Refused(ServerAddress server, String reason) implements Claim {}

        /** How a person reads the claim. */
        default String said() {
            return switch (this) {
                case Rooted r -> "says " + r.size() + " bytes, root " + r.root().hex();
                case SizeOnly s -> "says " + s.size() + " bytes (it gives no digests)";
                case Refused f -> f.reason();
            };
        }
    }

    /** What the census decided. */
    sealed interface Verdict {
        /**
         * The servers in {@code agreeing} hold the same file.
         *
         * @param root its root at {@link #IDENTITY_PIECE_LENGTH}, null when none of them gives digests
         * @param firstDigests the first digests at that length from one of them, empty when root is null
         * @param leftOut the servers that said something else, and what
         * @param failures the servers that did not answer, and why
         * @param withDigests those of {@code agreeing} that give digests
         * @param pinnedRoot the root the user gave ({@code --root}) that these servers have, or null
         */
        record Agreed(long size, @Nullable Digest root, List<Digest> firstDigests, List<ServerAddress> agreeing,
                List<Claim> leftOut, List<ServerFailure> failures, List<ServerAddress> withDigests,
                @Nullable Digest pinnedRoot, boolean oneOfATie) implements Verdict {

            /** Why a server that said {@code claim} takes no part, for a person. */
            String whyLeftOut(Claim claim) {
                if (oneOfATie) {
                    // No majority chose: the file --sha256 names did (it is said once that group's file matched).
                    return claim.said() + ", not the file --sha256 names";
                }
                if (pinnedRoot == null) {
                    return claim.said() + ", unlike the others";
                }
                // Chosen by the user's root, not by a majority: say what the server has against that.
                return switch (claim) {
                    case Claim.Rooted r when !r.root().equals(pinnedRoot) ->
                            "has root " + shortened(r.root()) + ", not the one given with --root";
                    case Claim.Rooted r -> "says " + r.size() + " bytes, not the size of the file with the root given with --root";
                    case Claim.SizeOnly s -> "says " + s.size() + " bytes (it gives no digests), not the size of the file"
                            + " with the root given with --root";
                    case Claim.Refused f -> f.reason();
                };
            }
        }

        /**
         * The servers disagree, no group is the largest, and the user gave the whole file's
         * SHA-256: each group in turn may be tried until one gives the file that matches it.
         */
        record Tied(List<Agreed> groups) implements Verdict {}

        /** The servers disagree and nothing settles which is right: nothing may be downloaded. */
        record Disputed(List<Claim> claims, String problem) implements Verdict {}

        /** No server told the size. */
        record Unavailable(List<ServerFailure> failures) implements Verdict {}
    }

    private final String fileName;
    private final List<ServerAddress> servers;
    private final Duration connectTimeout;
    private final ConnectionPool connections;
    private final DownloadListener listener;
    private final Set<ServerAddress> versionOne;
    private final boolean askDigests;
    private final LinkedBlockingQueue<Claim> answers = new LinkedBlockingQueue<>();
    private final Set<PooledConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param versionOne servers known to speak version 1 only, from earlier files of this run;
     *     servers found so are added
     * @param askDigests false to ask for sizes only ({@code --no-verify})
     */
    Census(String fileName, List<ServerAddress> servers, Duration connectTimeout, ConnectionPool connections,
            DownloadListener listener, Set<ServerAddress> versionOne, boolean askDigests) {
        this.fileName = fileName;
        this.servers = List.copyOf(servers);
        this.connectTimeout = connectTimeout;
        this.connections = connections;
        this.listener = listener;
        this.versionOne = versionOne;
        this.askDigests = askDigests;
    }

    /**
     * Asks every server and waits until the answers settle the question.
     *
     * @param pinnedRoot the root the file must have ({@code --root}), or null
     * @param wholeFilePinned whether the user gave the whole file's SHA-256 ({@code --sha256}),
     *     which will be checked at the end: one answer is then enough to start
     * @param late hears each answer that comes after the verdict, on a thread of its own
     */
    Verdict settle(@Nullable Digest pinnedRoot, boolean wholeFilePinned, Consumer<Claim> late) throws InterruptedException {
        for (ServerAddress server : servers) {
            Thread.ofVirtual().name("census " + server).start(() -> answers.add(ask(server)));
        }
        if (askDigests) {
            // The first SHA-256 a JVM makes sets up its security providers (about 5 ms). The
            // answers are checked with one, so it is made here while they are on their way.
            Digest.newSha256();
        }
        long started = System.nanoTime();
        long deadline = started + connectTimeout.toNanos();
        long graceUntil = 0;
        List<Claim> inHand = new ArrayList<>();
        while (true) {
            boolean everyone = inHand.size() == servers.size();
            long now = System.nanoTime();
            Verdict verdict = decide(inHand, everyone, everyone || now >= deadline, pinnedRoot, wholeFilePinned);
            if (verdict != null && everyone) {
                return verdict;
            }
            if (verdict != null && graceUntil == 0) {
                // Settled, but the others are likely a moment behind: wait for them as long again
                // (and a little), so that on a good network every server takes part from the start.
                graceUntil = Math.min(deadline, now + 2 * (now - started) + GRACE_NANOS);
            }
            if (verdict != null && now >= graceUntil) {
                // A server that has not answered by now joins later if it agrees; the download
                // does not wait for it (one that accepts and never answers would hold it up
                // until the connect timeout).
                int missing = servers.size() - inHand.size();
                Thread.ofVirtual().name("census late answers").start(() -> handOn(missing, late));
                return verdict;
            }
            long until = verdict != null ? graceUntil : deadline;
            Claim claim = until > now ? answers.poll(until - now, TimeUnit.NANOSECONDS) : answers.poll(50, TimeUnit.MILLISECONDS);
            if (claim != null) {
                inHand.add(claim);
            }
        }
    }

    private void handOn(int missing, Consumer<Claim> late) {
        try {
            for (int i = 0; i < missing && !closed; i++) {
                late.accept(answers.take());
            }
        } catch (InterruptedException e) {
            // the download is over
        }
    }

    /** Whether a late claim matches the verdict: same size, and same root where both have one. */
    static boolean agrees(Claim claim, Verdict.Agreed verdict) {
        if (verdict.leftOut().stream().anyMatch(c -> c.server().equals(claim.server()))) {
            return false;
        }
        return switch (claim) {
            case Claim.Rooted r -> r.size() == verdict.size() && (verdict.root() == null || r.root().equals(verdict.root()));
            case Claim.SizeOnly s -> s.size() == verdict.size();
            case Claim.Refused _ -> false;
        };
    }

    /** The verdict the claims in hand allow, or null to wait for more. */
    private @Nullable Verdict decide(List<Claim> inHand, boolean everyone, boolean pastDeadline,
            @Nullable Digest pinnedRoot, boolean wholeFilePinned) {
        // Groups by size and root; a version-1 server supports every group of its size.
        Map<Group, List<Claim>> groups = new LinkedHashMap<>();
        for (Claim claim : inHand) {
            if (claim instanceof Claim.Rooted r) {
                groups.computeIfAbsent(new Group(r.size(), r.root()), _ -> new ArrayList<>()).add(r);
            }
        }
        for (Claim claim : inHand) {
            if (claim instanceof Claim.SizeOnly s) {
                boolean joined = false;
                for (var entry : groups.entrySet()) {
                    if (entry.getKey().size() == s.size() && entry.getKey().root() != null) {
                        entry.getValue().add(s);
                        joined = true;
                    }
                }
                if (!joined) {
                    groups.computeIfAbsent(new Group(s.size(), null), _ -> new ArrayList<>()).add(s);
                }
            }
        }
        List<ServerFailure> failures = new ArrayList<>();
        for (Claim claim : inHand) {
            if (claim instanceof Claim.Refused(ServerAddress server, String reason)) {
                failures.add(new ServerFailure(server, reason));
            }
        }
        failures.sort((a, b) -> Integer.compare(servers.indexOf(a.server()), servers.indexOf(b.server())));
        if (pinnedRoot != null) {
            for (var entry : groups.entrySet()) {
                if (pinnedRoot.equals(entry.getKey().root())) {
                    return agreed(entry.getKey(), entry.getValue(), inHand, failures, pinnedRoot, false);
                }
            }
            if (!everyone) {
                return null;
            }
            if (groups.isEmpty()) {
                return new Verdict.Unavailable(failures);
            }
            return new Verdict.Disputed(ordered(inHand), groups.keySet().stream().anyMatch(g -> g.root() != null)
                    ? "no server has the file with root " + pinnedRoot.hex() + " (--root)"
                    : "no server gives digests to check the root given with --root against");
        }
        if (groups.isEmpty()) {
            return everyone ? new Verdict.Unavailable(failures) : null;
        }
        List<Map.Entry<Group, List<Claim>>> ranked = new ArrayList<>(groups.entrySet());
        // Larger groups first, then the group with the server listed first. (Comparators are
        // written out: Comparator.comparingInt's are serializable lambdas, which the AOT cache
        // cannot hold, so each cost the census a millisecond of class spinning at start-up.)
        ranked.sort((a, b) -> a.getValue().size() != b.getValue().size()
                ? Integer.compare(b.getValue().size(), a.getValue().size())
                : Integer.compare(firstIndex(a.getValue()), firstIndex(b.getValue())));
        var top = ranked.getFirst();
        boolean unique = ranked.size() == 1 || ranked.get(1).getValue().size() < top.getValue().size();
        boolean settled = unique && (top.getValue().size() >= 2 || servers.size() == 1 || wholeFilePinned || pastDeadline);
        if (settled) {
            return agreed(top.getKey(), top.getValue(), inHand, failures, null, false);
        }
        if (!everyone) {
            return null;
        }
        if (wholeFilePinned) {
            // The whole file's digest will tell at the end which group was right.
            List<Verdict.Agreed> tied = new ArrayList<>();
            for (var entry : ranked) {
                if (entry.getValue().size() == top.getValue().size()) {
                    tied.add(agreed(entry.getKey(), entry.getValue(), inHand, failures, null, true));
                }
            }
            return new Verdict.Tied(tied);
        }
        return new Verdict.Disputed(ordered(inHand),
                "the servers disagree on " + fileName + " and no group of them is larger than the others");
    }

    private List<Claim> ordered(List<Claim> claims) {
        List<Claim> sorted = new ArrayList<>(claims);
        sorted.sort((a, b) -> Integer.compare(servers.indexOf(a.server()), servers.indexOf(b.server())));
        return sorted;
    }

    private int firstIndex(List<Claim> claims) {
        return claims.stream().mapToInt(c -> servers.indexOf(c.server())).min().orElse(Integer.MAX_VALUE);
    }

    private Verdict.Agreed agreed(Group group, List<Claim> members, List<Claim> inHand, List<ServerFailure> failures,
            @Nullable Digest pinnedRoot, boolean oneOfATie) {
        List<ServerAddress> agreeing = ordered(members).stream().map(Claim::server).toList();
        List<Claim> leftOut = ordered(inHand).stream()
                .filter(c -> !(c instanceof Claim.Refused) && !agreeing.contains(c.server())).toList();
        List<Digest> first = members.stream().filter(Claim.Rooted.class::isInstance).map(Claim.Rooted.class::cast)
                .findFirst().map(Claim.Rooted::firstDigests).orElse(List.of());
        List<ServerAddress> withDigests = ordered(members).stream().filter(Claim.Rooted.class::isInstance).map(Claim::server).toList();
        return new Verdict.Agreed(group.size(), group.root(), first, agreeing, leftOut, failures, withDigests, pinnedRoot,
                oneOfATie);
    }

    private record Group(long size, @Nullable Digest root) {
        // Written out rather than generated, as in ServerAddress: no invokedynamic to link at start-up.
        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Group that && size == that.size && Objects.equals(root, that.root);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(size) + Objects.hashCode(root);
        }
    }

    private Claim ask(ServerAddress server) {
        if (askDigests && !versionOne.contains(server)) {
            Claim claim = askDigests(server);
            if (claim instanceof Claim.Refused(var _, String reason) && reason.endsWith("(stall timeout)")) {
                // Hashing a very large file for the first time can outlast the stall timeout:
                // the size alone lets the server take part, its pieces checked against the others'.
                return askSize(server);
            }
            if (!(claim instanceof Claim.Refused(var _, String reason) && reason.startsWith(VERSION_ONE))) {
                return claim;
            }
            String said = reason.substring(VERSION_ONE.length());
            if (isVersionOneRefusal(said)) {
                versionOne.add(server);
            } else if (connections.speaks(server) == ConnectionPool.Speaks.KEEP_OPEN) {
                // A server that keeps connections open is newer than DIGESTS and knows it: an
                // ERROR is about the file (no such file, cannot read it), and SIZE would say the same.
                return new Claim.Refused(server, "server says \"" + said + "\"");
            }
        }
        return askSize(server);
    }

    /** Marks the refusal of a digest request by ERROR: the server is asked SIZE instead. */
    private static final String VERSION_ONE = "\0";

    /** The first hex digits of a root, enough to tell roots apart in a line a person reads. */
    static String shortened(Digest root) {
        return root.hex().substring(0, 8) + "…";
    }

    /**
     * Whether an ERROR to a digest request says the server does not know the packet type at all
     * (the original: {@code bad packet type error}; chunk 1.0: {@code unknown packet type 2}),
     * rather than something about this one file: then it is not asked again in this run.
     */
    private static boolean isVersionOneRefusal(String reason) {
        return reason.contains("packet type");
    }

    /** The server's size and root, or a refusal; an ERROR reply is marked {@link #VERSION_ONE}. */
    private @Nullable Claim askDigests(ServerAddress server) {
        listener.connecting(server, fileName, null);
        PooledConnection connection;
        try {
            connection = connections.connection(server);
        } catch (IOException e) {
            return new Claim.Refused(server, IoFailures.explain(e));
        }
        open.add(connection);
        try (connection) {
            return switch (connection.ask(new Frame.DigestRequest(fileName, 0, IDENTITY_PIECE_LENGTH))) {
                case Frame.DigestReply reply -> checked(server, reply);
                case Frame.ErrorReply error -> new Claim.Refused(server, VERSION_ONE + error.reason());
                case Frame.SizeReply _ -> new Claim.Refused(server, "answered a digest request with a size");
                case Frame.ChunkReply _ -> new Claim.Refused(server, "answered a digest request with a chunk");
            };
        } catch (IOException e) {
            return new Claim.Refused(server, connection.explain(e));
        } finally {
            open.remove(connection);
        }
    }

    private static Claim checked(ServerAddress server, Frame.DigestReply reply) {
        long pieces = ChunkPlanner.pieceCount(reply.fileSize(), IDENTITY_PIECE_LENGTH);
        long expected = Math.min(Frame.MAX_DIGESTS_PER_REPLY, pieces);
        if (reply.firstPiece() != 0 || reply.digests().size() != expected) {
            return new Claim.Refused(server, "sent " + reply.digests().size() + " digests from piece " + reply.firstPiece()
                    + " where " + expected + " from piece 0 were asked for");
        }
        if (pieces <= Frame.MAX_DIGESTS_PER_REPLY && !Digest.rootOf(reply.digests()).equals(reply.root())) {
            return new Claim.Refused(server, "sent digests that do not add up to the root it sent");
        }
        return new Claim.Rooted(server, reply.fileSize(), reply.root(), reply.digests());
    }

    private Claim askSize(ServerAddress server) {
        listener.connecting(server, fileName, null);
        PooledConnection connection;
        try {
            connection = connections.connection(server);
        } catch (IOException e) {
            return new Claim.Refused(server, IoFailures.explain(e));
        }
        open.add(connection);
        try (connection) {
            return switch (connection.ask(new Frame.SizeRequest(fileName))) {
                case Frame.SizeReply reply -> new Claim.SizeOnly(server, reply.fileSize());
                case Frame.ErrorReply error -> new Claim.Refused(server, "server says \"" + error.reason() + "\"");
                case Frame.ChunkReply _ -> new Claim.Refused(server, "answered a size request with a chunk");
                case Frame.DigestReply _ -> new Claim.Refused(server, "answered a size request with digests");
            };
        } catch (IOException e) {
            return new Claim.Refused(server, connection.explain(e));
        } finally {
            open.remove(connection);
        }
    }

    /** Stops the questions still open: their answers are no longer wanted. */
    @Override
    public void close() {
        closed = true;
        open.forEach(PooledConnection::close);
    }
}
