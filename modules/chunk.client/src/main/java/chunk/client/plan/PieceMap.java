package chunk.client.plan;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadProgress;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure.Kind;
import chunk.client.ServerFailure;
import chunk.client.ServerReport;
import chunk.wire.ByteRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The pieces of one download and what is known of each: missing, in flight on a
 * {@link Lease}, or done (written, and verified where digests exist). It alone decides what a
 * chunk's connection fetches next: its own chunk first, from server {@code i mod n} and then
 * the next ones in turn; then the remainder another connection left; once every chunk has
 * started, the back half of the range that will finish last; and at the end the unfinished
 * rest of a range on a connection much slower than another server would be.
 *
 * <p>It is the one owner of what is done: progress ({@link DownloadProgress}), the summary,
 * {@code --json} and the resume record all read it, and count nothing of their own.
 *
 * <p>Thread-safe: every method takes the map's lock, briefly; listeners are called after it
 * is released, on the thread that completed the piece. Time is the clock it is given, so that
 * tests can drive it.
 */
public final class PieceMap implements DownloadProgress {

    /** Hears pieces become done, for example to record them for a resume. Called on the connection's thread; must be quick. */
    @FunctionalInterface
    public interface Listener {
        /** {@code piece} is done: every byte is in the part file (not necessarily flushed), and matched where verified. */
        void done(int piece);
    }

    /** The digests pieces must match, known before any data is fetched. */
    public interface Digests {
        /** Whether {@code digest} is the digest of piece {@code piece}. */
        boolean matches(int piece, byte[] digest);

        /** A digester that makes the digests these are compared with, from the pieces' bytes. */
        PieceDigester digester();
    }

    /** What a chunk's connection does next. */
    public sealed interface Next {
        /** Fetch the lease's pieces from its server. */
        record Fetch(Lease lease) implements Next {}

        /** Nothing to do now, but there may be soon: call {@link #await()} and ask again. */
        record Wait() implements Next {}

        /** Nothing left that this chunk's connection can do. */
        record Stop() implements Next {}
    }

    /** How a piece delivered by a lease was taken. */
    public enum Acceptance { ACCEPTED, MISMATCH, NOT_YOURS }

    /** The least a range is expected to take for it to be split: a new connection costs a round trip or two. */
    private static final long WORTH_SPLITTING_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * The least a range still running is expected to take, or the least time its connection's
     * rate is measured over, for its rest to move to a faster server: rates measured over a
     * fraction of a second swing too much to act on less. A connection measured for longer has
     * its tail moved however short, as long as a faster server would finish it well before (at
     * the end of a download from mirrors at 10 to 80 MB/s, the fast ones sat idle while the
     * slow ones finished pieces a tenth of a second long).
     */
    private static final long WORTH_TAKING_OVER_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** How long a connection's rate is taken from its server's average rather than its own bytes. */
    private static final long MEASURING_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long AWAIT_MILLIS = 50;

    private final ChunkPlanner.Plan plan;
    private final ServerBoard board;
    private final @Nullable Digests digests;
    private final LongSupplier nanoTime;
    private final long stallSuspectNanos;
    private final BitSet done = new BitSet();
    private final Lease[] holder;
    /** Server index + 1 of the server that delivered each piece; 0 if none (or done before this run). */
    private final short[] deliveredBy;
    private final BitSet startedChunks = new BitSet();
    private final Set<Lease> active = new LinkedHashSet<>();
    private final List<List<ServerFailure>> chunkFailures;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private long doneBytes;
    private final long resumedBytes;
    private final long createdNanos;
    private long dataEndNanos;
    /** Pieces neither done nor in flight: when there are none, no chunk needs to be searched. */
    private int free;
    /** For a streamed download, how many pieces past the first not yet written out may be fetched; 0 otherwise. */
    private int window;
    /** For a streamed download, the most pieces one lease is given, so that the window is shared among the connections. */
    private int leaseLimit;
    /** For a streamed download, the pieces before this one have been written out. */
    private int wentOut;

    /**
     * A map of {@code plan}'s pieces, on the system's clock.
     *
     * @param alreadyDone pieces that need not be fetched (from a resume record, checked by its owner)
     * @param digests what the pieces must match, or null to accept what arrives (unverified)
     * @param stallTimeout the user's stall timeout: a connection silent for a fraction of it is routed around
     */
    public PieceMap(ChunkPlanner.Plan plan, ServerBoard board, BitSet alreadyDone, @Nullable Digests digests,
            Duration stallTimeout) {
        this(plan, board, alreadyDone, digests, stallTimeout, System::nanoTime);
    }

    /** As the other constructor, with the clock that times the connections (for tests). */
    PieceMap(ChunkPlanner.Plan plan, ServerBoard board, BitSet alreadyDone, @Nullable Digests digests,
            Duration stallTimeout, LongSupplier nanoTime) {
        this.plan = plan;
        this.board = board;
        this.digests = digests;
        this.nanoTime = nanoTime;
        this.createdNanos = nanoTime.getAsLong();
        this.stallSuspectNanos = Math.clamp(stallTimeout.toNanos() / 2, TimeUnit.MILLISECONDS.toNanos(200),
                TimeUnit.SECONDS.toNanos(1));
        int pieces = plan.pieceCount();
        this.holder = new Lease[pieces];
        this.deliveredBy = new short[pieces];
        for (int piece = alreadyDone.nextSetBit(0); piece >= 0 && piece < pieces; piece = alreadyDone.nextSetBit(piece + 1)) {
            done.set(piece);
            doneBytes += plan.piece(piece).length();
        }
        this.resumedBytes = doneBytes;
        this.free = pieces - done.cardinality();
        List<List<ServerFailure>> failures = new ArrayList<>();
        for (int i = 0; i < plan.chunks().size(); i++) {
            failures.add(new ArrayList<>());
        }
        this.chunkFailures = failures;
    }

    public ChunkPlanner.Plan plan() {
        return plan;
    }

    /** Whether pieces are checked against digests before they count as done. */
    public boolean verifying() {
        return digests != null;
    }

    /** A digester for a connection's pieces, or null when pieces are not verified. */
    public @Nullable PieceDigester digester() {
        return digests == null ? null : digests.digester();
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** The pieces that are done, as a copy. */
    public synchronized BitSet done() {
        return (BitSet) done.clone();
    }

    @Override
    public long size() {
        return plan.size();
    }

    @Override
    public synchronized long doneBytes() {
        return doneBytes;
    }

    @Override
    public long resumedBytes() {
        return resumedBytes;
    }

    @Override
    public synchronized long inFlightBytes() {
        long bytes = 0;
        for (Lease lease : active) {
            bytes += lease.pieceBytes();
        }
        return bytes;
    }

    @Override
    public synchronized int[] connections() {
        int[] counts = new int[board.size()];
        for (ServerBoard.ServerState server : board.all()) {
            counts[server.index()] = server.leftOut() && server.connections() == 0 ? -1 : server.connections();
        }
        return counts;
    }

    public synchronized boolean complete() {
        return done.cardinality() == plan.pieceCount();
    }

    /** A server that answered the census late, and agreed: it joins. */
    public synchronized void admit(int server) {
        board.admit(board.get(server));
        notifyAll();
    }

    /** A server said something the others did not: it gets no work. */
    public synchronized void leaveOut(int server, String reason) {
        board.leaveOut(server, reason);
    }

    /** A server's answer to the census came late, and was a failure: it gets no work, and the failure is recorded. */
    public synchronized void unanswered(int server, ServerFailure failure) {
        board.unanswered(server, failure);
    }

    /** The data ended: the servers' shares of the rate are taken over the time until now. */
    public synchronized void dataEnded() {
        dataEndNanos = nanoTime.getAsLong();
    }

    /** What each server did so far. */
    public synchronized List<ServerReport> reports() {
        long end = dataEndNanos != 0 ? dataEndNanos : nanoTime.getAsLong();
        return board.reports(end - createdNanos);
    }

    /**
     * Makes this a streamed download's map: pieces are fetched in order, lowest first, and none
     * further than {@code window} pieces past the first one not yet written out
     * ({@link #wentOut}), each lease at most {@code leaseLimit} pieces long. Call before the first
     * {@link #next}.
     */
    public synchronized void inOrder(int window, int leaseLimit) {
        if (window < 1 || leaseLimit < 1) {
            throw new IllegalArgumentException("a window of " + window + " pieces and leases of " + leaseLimit);
        }
        this.window = window;
        this.leaseLimit = leaseLimit;
    }

    /** For a streamed download: the first piece not done, up to which the file can be written out. */
    public synchronized int firstNotDone() {
        return done.nextClearBit(0);
    }

    /** For a streamed download: the pieces before {@code piece} have been written out, and their room in the window is free. */
    public synchronized void wentOut(int piece) {
        wentOut = Math.max(wentOut, piece);
        notifyAll();
    }

    /** What chunk {@code worker}'s connection does next. */
    public synchronized Next next(int worker) {
        startedChunks.set(worker);
        if (done.cardinality() == plan.pieceCount()) {
            return new Next.Stop();
        }
        if (window > 0) {
            return nextInOrder(worker);
        }
        boolean mayWait = !active.isEmpty();
        // Its own chunk: from server worker mod n, then the next ones in turn, as the seed asks.
        int[] own = free == 0 ? null : missingRun(worker);
        if (own != null) {
            ServerBoard.ServerState server = inTurn(worker, own[0]);
            if (server != null) {
                return lease(worker, server, own[0], own[1]);
            }
            mayWait |= anyMayFetch(own[0]);
        }
        // The rest another connection left behind.
        for (int chunk = free == 0 ? -1 : startedChunks.nextSetBit(0); chunk >= 0; chunk = startedChunks.nextSetBit(chunk + 1)) {
            int[] run = missingRun(chunk);
            if (run == null) {
                continue;
            }
            ServerBoard.ServerState server = fastestWithRoom(run[0], null);
            if (server != null) {
                return lease(worker, server, run[0], run[1]);
            }
            mayWait |= anyMayFetch(run[0]);
        }
        if (startedChunks.cardinality() < plan.chunks().size()) {
            // Chunks still wait for a place: give this one to the next of them.
            return new Next.Stop();
        }
        Next split = steal(worker);
        if (split != null) {
            return split;
        }
        Next over = takeOver(worker);
        if (over != null) {
            return over;
        }
        return mayWait ? new Next.Wait() : new Next.Stop();
    }

    /**
     * For a streamed download: the lowest run of free pieces inside the window, from server
     * {@code worker mod n} first; else the work others hold, as for any download; else wait for
     * the window to move.
     */
    private Next nextInOrder(int worker) {
        int horizon = Math.min(plan.pieceCount(), wentOut + window);
        for (int piece = done.nextClearBit(wentOut); piece < horizon; piece = done.nextClearBit(piece + 1)) {
            if (holder[piece] != null) {
                continue;
            }
            int end = piece + 1;
            while (end < horizon && end - piece < leaseLimit && !done.get(end) && holder[end] == null) {
                end++;
            }
            ServerBoard.ServerState server = inTurn(worker, piece);
            if (server != null) {
                return lease(worker, server, piece, end);
            }
            break; // the lowest free run waits for a server with room: no later one goes first
        }
        Next split = steal(worker);
        if (split != null) {
            return split;
        }
        Next over = takeOver(worker);
        if (over != null) {
            return over;
        }
        int missing = done.nextClearBit(wentOut);
        return !active.isEmpty() || missing < plan.pieceCount() && anyMayFetch(missing) ? new Next.Wait() : new Next.Stop();
    }

    /** Waits a little for the map to change: a piece done, a lease ended. */
    public synchronized void await() throws InterruptedException {
        wait(AWAIT_MILLIS);
    }

    /** The first run of missing pieces of {@code chunk} not in flight, as {first, end}, or null. */
    private int @Nullable [] missingRun(int chunk) {
        int end = plan.endPieceOf(chunk);
        for (int piece = done.nextClearBit(plan.firstPieceOf(chunk)); piece < end; piece = done.nextClearBit(piece + 1)) {
            if (holder[piece] == null) {
                int stop = piece + 1;
                while (stop < end && !done.get(stop) && holder[stop] == null) {
                    stop++;
                }
                return new int[] {piece, stop};
            }
        }
        return null;
    }

    private boolean anyMayFetch(int piece) {
        for (ServerBoard.ServerState server : board.all()) {
            if (server.mayFetch(piece)) {
                return true;
            }
        }
        return false;
    }

    /** Server {@code worker mod n} or the next in turn that may fetch {@code piece} and has room, skipping a much slower one. */
    private ServerBoard.@Nullable ServerState inTurn(int worker, int piece) {
        int n = board.size();
        ServerBoard.ServerState slow = null;
        for (int k = 0; k < n; k++) {
            ServerBoard.ServerState server = board.get((worker + k) % n);
            if (server.mayFetch(piece) && server.hasRoom()) {
                if (!board.muchSlower(server)) {
                    return server;
                }
                slow = slow == null ? server : slow;
            }
        }
        return slow;
    }

    /**
     * The server with room that may fetch {@code piece} and would deliver fastest on one more
     * connection ({@link #offered}); an unmeasured one counts as fast.
     */
    private ServerBoard.@Nullable ServerState fastestWithRoom(int piece, ServerBoard.@Nullable ServerState besides) {
        double best = board.bestRate();
        ServerBoard.ServerState chosen = null;
        double chosenRate = -1;
        for (ServerBoard.ServerState server : board.all()) {
            if (server == besides || !server.mayFetch(piece) || !server.hasRoom()) {
                continue;
            }
            double rate = offered(server, server.rate() > 0 ? server.rate() : unmeasuredRate(server, best));
            if (rate > chosenRate) {
                chosen = server;
                chosenRate = rate;
            }
        }
        if (chosen != null && board.muchSlower(chosen)) {
            return null; // the fast servers are full: wait for one rather than give work to a slow one
        }
        return chosen;
    }

    /**
     * What one more connection to {@code server} can expect, given its rate per connection: a
     * share of it, as if the connections it has open used all it can send. A mirror's uplink is
     * shared by every connection to it, so the work a connection takes over goes to an idle
     * server rather than to a faster one that is busy already (measured with mirrors at 10, 20,
     * 40 and 80 MB/s: the 40 MB/s one sat idle while the 80 MB/s one split its uplink among the
     * stolen ranges); where a server's connections are each limited, one that is busy still gets
     * more connections once the others are slower than its share.
     */
    private static double offered(ServerBoard.ServerState server, double rate) {
        return rate / (1 + server.connections());
    }

    /**
     * What to expect of a server that has delivered no piece yet: as much as the best, unless
     * a connection of its own has been open a while and shows less.
     */
    private double unmeasuredRate(ServerBoard.ServerState server, double best) {
        long now = nanoTime.getAsLong();
        double rate = best;
        for (Lease lease : active) {
            if (lease.server() == server && now - lease.startedNanos() >= MEASURING_NANOS) {
                rate = Math.min(rate, lease.bytes() * 1e9 / (now - lease.startedNanos()));
            }
        }
        return rate;
    }

    /**
     * Routes around silent connections even when no other connection is idle to take their
     * work: a connection that has received nothing for a while is closed and its pieces go back
     * to missing, if another server that has delivered could take them. Called a few times a
     * second while the download runs.
     */
    public synchronized void referee() {
        long now = nanoTime.getAsLong();
        for (Lease lease : List.copyOf(active)) {
            if (lease.revoked() || lease.next() >= lease.end() || now - lease.lastProgressNanos() <= stallSuspectNanos) {
                continue;
            }
            for (ServerBoard.ServerState other : board.all()) {
                if (other != lease.server() && other.rate() > 0 && other.mayFetch(lease.next()) && !board.muchSlower(other)) {
                    lease.revoke();
                    notifyAll();
                    break;
                }
            }
        }
    }

    private Next lease(int worker, ServerBoard.ServerState server, int first, int end) {
        Lease lease = new Lease(worker, server, first, end, nanoTime);
        for (int piece = first; piece < end; piece++) {
            if (holder[piece] == null) {
                free--;
            }
            holder[piece] = lease;
        }
        board.connected(server);
        active.add(lease);
        return new Next.Fetch(lease);
    }

    /** The lease's rate so far in bytes per second, its server's average while it is young, or 0 if unknown. */
    private double rateOf(Lease lease, long now) {
        long elapsed = now - lease.startedNanos();
        if (now - lease.lastProgressNanos() > stallSuspectNanos) {
            return Double.MIN_VALUE; // silent: as good as stalled
        }
        if (elapsed >= MEASURING_NANOS || lease.bytes() >= plan.pieceLength()) {
            return lease.bytes() * 1e9 / Math.max(elapsed, 1);
        }
        return lease.server().rate();
    }

    private long remainingBytes(Lease lease) {
        if (lease.next() >= lease.end()) {
            return 0;
        }
        long from = plan.piece(lease.next()).offset();
        return plan.piece(lease.end() - 1).end() - from;
    }

    /** The active lease that will finish last, and in how many seconds, of those {@code eligible}. */
    private record Slowest(Lease lease, double seconds) {}

    private @Nullable Slowest slowest(Predicate<Lease> eligible, long now) {
        Lease victim = null;
        double longest = 0;
        for (Lease lease : active) {
            if (lease.revoked() || !eligible.test(lease)) {
                continue;
            }
            double rate = rateOf(lease, now);
            if (rate <= 0) {
                continue; // not measured yet: ask again in a moment
            }
            double seconds = remainingBytes(lease) / rate;
            if (seconds > longest) {
                longest = seconds;
                victim = lease;
            }
        }
        return victim == null || longest * 1e9 < WORTH_SPLITTING_NANOS ? null : new Slowest(victim, longest);
    }

    /** The back half of the range expected to finish last, if that is worth a connection. */
    private @Nullable Next steal(int worker) {
        Slowest slowest = slowest(lease -> lease.end() - lease.next() >= 2, nanoTime.getAsLong());
        if (slowest == null) {
            return null;
        }
        Lease victim = slowest.lease();
        int mid = victim.end() - (victim.end() - victim.next()) / 2;
        ServerBoard.ServerState server = fastestWithRoom(mid, null);
        if (server == null) {
            return null;
        }
        int end = victim.end();
        victim.shrinkTo(mid);
        return lease(worker, server, mid, end);
    }

    /**
     * End-game: the unfinished rest of the range expected to finish last, piece in progress
     * included, moves to a faster server if it would finish there well before; the slow
     * connection is closed.
     */
    private @Nullable Next takeOver(int worker) {
        long now = nanoTime.getAsLong();
        Slowest slowest = slowest(lease -> lease.next() < lease.end(), now);
        if (slowest == null) {
            return null;
        }
        Lease victim = slowest.lease();
        boolean stalled = now - victim.lastProgressNanos() > stallSuspectNanos;
        ServerBoard.ServerState server = fastestWithRoom(victim.next(), stalled ? null : victim.server());
        if (server == null || server.rate() == 0 && !stalled) {
            return null;
        }
        double there = server.rate() == 0 ? 0 : remainingBytes(victim) / offered(server, server.rate());
        boolean measured = now - victim.startedNanos() >= WORTH_TAKING_OVER_NANOS;
        if (!stalled && (slowest.seconds() < 3 * there || !measured && slowest.seconds() * 1e9 < WORTH_TAKING_OVER_NANOS)) {
            return null;
        }
        int first = victim.next();
        int end = victim.end();
        victim.revoke();
        return lease(worker, server, first, end);
    }

    /**
     * {@code lease} received all of {@code piece}; {@code sha256} is its digest (null when not
     * verifying) and {@code nanos} the time it took.
     */
    public Acceptance delivered(Lease lease, int piece, byte @Nullable [] sha256, long nanos) {
        synchronized (this) {
            if (holder[piece] != lease) {
                return Acceptance.NOT_YOURS;
            }
            if (digests != null && (sha256 == null || !digests.matches(piece, sha256))) {
                return Acceptance.MISMATCH;
            }
            holder[piece] = null;
            done.set(piece);
            long length = plan.piece(piece).length();
            doneBytes += length;
            deliveredBy[piece] = (short) (lease.server().index() + 1);
            board.delivered(lease.server(), length, nanos);
            lease.advance(piece);
            notifyAll();
        }
        for (Listener listener : listeners) {
            listener.done(piece);
        }
        return Acceptance.ACCEPTED;
    }

    /** {@code lease}'s connection is over, with every piece it still held delivered (or taken away): nothing failed. */
    public synchronized void ended(Lease lease) {
        release(lease);
        notifyAll();
    }

    /**
     * {@code lease}'s connection is over because its server failed, in the way {@code kind}
     * says; its pieces not done go back to missing. What follows for the server depends on the
     * kind alone:
     * <ul>
     * <li>{@link Kind#BAD_DATA}: it sent a piece that did not match its digest, and gets no more work;
     * <li>{@link Kind#CHANGED}, {@link Kind#NO_RANGES}: it no longer has this version of the file,
     *     or cannot send a range of it: it gets no more work either;
     * <li>{@link Kind#isPassing() passing} ({@link Kind#BUSY}, {@link Kind#DROPPED}): all its places
     *     are taken, by this download's other connections or by other clients: it may have fewer
     *     connections at once from now on, its piece stays
     *     askable of it, and the answer counts towards leaving it out only if it has neither
     *     delivered nor a connection at work (a busy server this download already uses is asked
     *     again once a connection of its own ends);
     * <li>{@link Kind#MOVED}: the map gave the rest of the lease to a faster connection: its
     *     server's rate becomes what this connection showed, so that it gets no new work while
     *     faster servers have room; not a fault;
     * <li>any other: the piece it stopped at is not asked of it again, three in a row leave it
     *     out, and one before any byte arrived (refused, timed out, closed at once: what a full
     *     backlog looks like) halves the connections it may have.
     * </ul>
     *
     * @return the failure as recorded
     */
    public synchronized ServerFailure failed(Lease lease, Kind kind, String reason) {
        ServerBoard.ServerState server = lease.server();
        int stoppedAt = release(lease);
        boolean askAgainThere = kind.isPassing() || kind == Kind.MOVED;
        boolean inARow = kind == Kind.MOVED ? false
                : kind.isPassing() ? server.bytes() == 0 && server.connections() == 0
                : true;
        if (kind == Kind.MOVED) {
            board.showedRate(server, Math.max(1, lease.bytes() * 1e9 / Math.max(1, nanoTime.getAsLong() - lease.startedNanos())));
        } else if (kind.isPassing() || lease.bytes() == 0) {
            board.fewerConnections(server);
        }
        int piece = stoppedAt < plan.pieceCount() && !askAgainThere ? stoppedAt : -1;
        ServerFailure recorded = board.failed(server, piece, kind, reason, inARow);
        if (kind == Kind.BAD_DATA || kind == Kind.CHANGED || kind == Kind.NO_RANGES) {
            board.leaveOut(server, reason);
        }
        chunkFailures.get(chunkOf(Math.max(0, Math.min(stoppedAt, plan.pieceCount() - 1)))).add(recorded);
        notifyAll();
        return recorded;
    }

    /** Ends {@code lease}: its pieces not done are free again. The piece it stopped at. */
    private int release(Lease lease) {
        active.remove(lease);
        board.disconnected(lease.server());
        int stoppedAt = lease.next();
        for (int piece = stoppedAt; piece < holder.length && holder[piece] == lease; piece++) {
            holder[piece] = null;
            free++;
        }
        return stoppedAt;
    }

    private int chunkOf(int piece) {
        int low = 0;
        int high = plan.chunks().size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (plan.firstPieceOf(mid) <= piece) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** Each chunk's outcome as the map stands: call once the chunks' connections have all ended. */
    public synchronized List<ChunkOutcome> outcomes() {
        List<ChunkOutcome> outcomes = new ArrayList<>(plan.chunks().size());
        for (int chunk = 0; chunk < plan.chunks().size(); chunk++) {
            ByteRange range = plan.chunks().get(chunk);
            Set<ServerAddress> servers = new LinkedHashSet<>();
            long received = 0;
            boolean complete = true;
            for (int piece = plan.firstPieceOf(chunk); piece < plan.endPieceOf(chunk); piece++) {
                if (done.get(piece)) {
                    received += plan.piece(piece).length();
                    if (deliveredBy[piece] > 0) {
                        servers.add(board.get(deliveredBy[piece] - 1).address());
                    }
                } else {
                    complete = false;
                }
            }
            List<ServerFailure> failures = chunkFailures.get(chunk);
            outcomes.add(complete
                    ? new ChunkOutcome.Completed(chunk, range, List.copyOf(servers), failures)
                    : new ChunkOutcome.Failed(chunk, range, received, failures));
        }
        return outcomes;
    }
}
