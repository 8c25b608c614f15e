package chunk.client.internal;

import chunk.client.ChunkOutcome;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.wire.ByteRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The pieces of one download and what is known of each: missing, in flight on a
 * {@link Lease}, or done (written, and verified where digests exist). It alone decides what a
 * chunk's connection fetches next: its own chunk first, from server {@code i mod n} and then
 * the next ones in turn; then the remainder another connection left; once every chunk has
 * started, the back half of the range that will finish last; and at the end the unfinished
 * rest of a range on a connection much slower than another server would be. Progress, the
 * summary and the resume record read from it.
 *
 * <p>Thread-safe: every method takes the map's lock, briefly; listeners are called after it
 * is released, on the thread that completed the piece.
 */
final class PieceMap {

    /**
     * Hears pieces become done, for example to record them for a resume. Both methods are
     * called on the connection's thread right after the piece is accepted, and must be quick.
     */
    interface Listener {
        /** Every byte of {@code piece} is in the part file (written, not necessarily flushed). */
        default void written(int piece) {}

        /** {@code piece} matched its digest; called after {@link #written(int)}, and only when verifying. */
        default void verified(int piece) {}
    }

    /** The digests pieces must match, known before any data is fetched. */
    interface Digests {
        /** Whether {@code sha256} is the digest of piece {@code piece}. */
        boolean matches(int piece, byte[] sha256);
    }

    /** What a chunk's connection does next. */
    sealed interface Next {
        /** Fetch the lease's pieces from its server. */
        record Fetch(Lease lease) implements Next {}

        /** Nothing to do now, but there may be soon: call {@link #await()} and ask again. */
        record Wait() implements Next {}

        /** Nothing left that this chunk's connection can do. */
        record Stop() implements Next {}
    }

    /** How a piece delivered by a lease was taken. */
    enum Acceptance { ACCEPTED, MISMATCH, NOT_YOURS }

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
    private final long createdNanos = System.nanoTime();
    private long dataEndNanos;
    /** Pieces neither done nor in flight: when there are none, no chunk needs to be searched. */
    private int free;

    /**
     * A map of {@code plan}'s pieces.
     *
     * @param alreadyDone pieces that need not be fetched (from a resume record, checked by its owner)
     * @param digests what the pieces must match, or null to accept what arrives (unverified)
     * @param stallTimeout the user's stall timeout: a connection silent for a fraction of it is routed around
     */
    PieceMap(ChunkPlanner.Plan plan, ServerBoard board, BitSet alreadyDone, @Nullable Digests digests,
            Duration stallTimeout) {
        this.plan = plan;
        this.board = board;
        this.digests = digests;
        this.stallSuspectNanos = Math.clamp(stallTimeout.toNanos() / 2, TimeUnit.MILLISECONDS.toNanos(200),
                TimeUnit.SECONDS.toNanos(1));
        int pieces = plan.pieceCount();
        this.holder = new Lease[pieces];
        this.deliveredBy = new short[pieces];
        for (int piece = alreadyDone.nextSetBit(0); piece >= 0 && piece < pieces; piece = alreadyDone.nextSetBit(piece + 1)) {
            done.set(piece);
            doneBytes += plan.piece(piece).length();
        }
        this.free = pieces - done.cardinality();
        List<List<ServerFailure>> failures = new ArrayList<>();
        for (int i = 0; i < plan.chunks().size(); i++) {
            failures.add(new ArrayList<>());
        }
        this.chunkFailures = failures;
    }

    ChunkPlanner.Plan plan() {
        return plan;
    }

    ServerBoard board() {
        return board;
    }

    /** Whether pieces are checked against digests before they count as done. */
    boolean verifying() {
        return digests != null;
    }

    void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** The pieces that are done, as a copy. */
    synchronized BitSet done() {
        return (BitSet) done.clone();
    }

    synchronized long doneBytes() {
        return doneBytes;
    }

    synchronized boolean complete() {
        return done.cardinality() == plan.pieceCount();
    }

    /** How many connections are receiving from each server now, by server index. */
    synchronized int[] connectionsPerServer() {
        int[] counts = new int[board.size()];
        for (Lease lease : active) {
            counts[lease.server.index]++;
        }
        return counts;
    }

    /** A server that answered the census late, and agreed: it joins. */
    synchronized void admit(int server) {
        board.get(server).admitted = true;
        notifyAll();
    }

    /** A server said something the others did not: it gets no work. */
    synchronized void leaveOut(int server, String reason) {
        board.leaveOut(board.get(server), reason);
    }

    /** Records a failure that belongs to no piece (a census question). */
    synchronized void failedBeforeData(int server, String reason) {
        // It could not say what it holds, so it is never admitted: say why, not that it was late.
        board.leaveOut(board.get(server), reason);
        board.failed(board.get(server), -1, reason);
    }

    /** The data ended: the servers' shares of the rate are taken over the time until now. */
    synchronized void dataEnded() {
        dataEndNanos = System.nanoTime();
    }

    /** What each server did so far. */
    synchronized List<chunk.client.ServerReport> reports() {
        long end = dataEndNanos != 0 ? dataEndNanos : System.nanoTime();
        return board.reports(end - createdNanos);
    }

    /** Whether each server may still be given work (or may join, if its answer is still awaited). */
    synchronized boolean[] usableServers() {
        boolean[] usable = new boolean[board.size()];
        for (int i = 0; i < usable.length; i++) {
            usable[i] = board.get(i).leftOut == null;
        }
        return usable;
    }

    /** What chunk {@code worker}'s connection does next. */
    synchronized Next next(int worker) {
        startedChunks.set(worker);
        if (done.cardinality() == plan.pieceCount()) {
            return new Next.Stop();
        }
        boolean mayWait = !active.isEmpty();
        // Its own chunk: from server worker mod n, then the next ones in turn, as the seed asks.
        int[] own = free == 0 ? null : missingRun(worker);
        if (own != null) {
            ServerBoard.Server server = inTurn(worker, own[0]);
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
            ServerBoard.Server server = fastestWithRoom(run[0], null);
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

    /** Waits a little for the map to change: a piece done, a lease ended. */
    synchronized void await() throws InterruptedException {
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

    private boolean mayFetch(ServerBoard.Server server, int piece) {
        return server.usable() && !server.failedAt.get(piece);
    }

    private boolean anyMayFetch(int piece) {
        for (ServerBoard.Server server : board.all()) {
            if (mayFetch(server, piece)) {
                return true;
            }
        }
        return false;
    }

    /** Server {@code worker mod n} or the next in turn that may fetch {@code piece} and has room, skipping a much slower one. */
    private ServerBoard.@Nullable Server inTurn(int worker, int piece) {
        int n = board.size();
        ServerBoard.Server slow = null;
        for (int k = 0; k < n; k++) {
            ServerBoard.Server server = board.get((worker + k) % n);
            if (mayFetch(server, piece) && server.hasRoom()) {
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
    private ServerBoard.@Nullable Server fastestWithRoom(int piece, ServerBoard.@Nullable Server besides) {
        double best = board.bestRate();
        ServerBoard.Server chosen = null;
        double chosenRate = -1;
        for (ServerBoard.Server server : board.all()) {
            if (server == besides || !mayFetch(server, piece) || !server.hasRoom()) {
                continue;
            }
            double rate = offered(server, server.rate > 0 ? server.rate : unmeasuredRate(server, best));
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
    private static double offered(ServerBoard.Server server, double rate) {
        return rate / (1 + server.connections);
    }

    /**
     * What to expect of a server that has delivered no piece yet: as much as the best, unless
     * a connection of its own has been open a while and shows less.
     */
    private double unmeasuredRate(ServerBoard.Server server, double best) {
        long now = System.nanoTime();
        double rate = best;
        for (Lease lease : active) {
            if (lease.server == server && now - lease.startedNanos() >= MEASURING_NANOS) {
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
    synchronized void referee() {
        long now = System.nanoTime();
        for (Lease lease : List.copyOf(active)) {
            if (lease.revoked() || lease.next() >= lease.end() || now - lease.lastProgressNanos() <= stallSuspectNanos) {
                continue;
            }
            for (ServerBoard.Server other : board.all()) {
                if (other != lease.server && other.rate > 0 && mayFetch(other, lease.next()) && !board.muchSlower(other)) {
                    lease.revoke();
                    notifyAll();
                    break;
                }
            }
        }
    }

    private Next lease(int worker, ServerBoard.Server server, int first, int end) {
        Lease lease = new Lease(worker, server, first, end);
        for (int piece = first; piece < end; piece++) {
            if (holder[piece] == null) {
                free--;
            }
            holder[piece] = lease;
        }
        server.connections++;
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
        return lease.server.rate;
    }

    private long remainingBytes(Lease lease) {
        if (lease.next() >= lease.end()) {
            return 0;
        }
        long from = plan.piece(lease.next()).offset();
        return plan.piece(lease.end() - 1).end() - from;
    }

    /** The back half of the range expected to finish last, if that is worth a connection. */
    private @Nullable Next steal(int worker) {
        long now = System.nanoTime();
        Lease victim = null;
        double longest = 0;
        for (Lease lease : active) {
            if (lease.revoked() || lease.end() - lease.next() < 2) {
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
        if (victim == null || longest * 1e9 < WORTH_SPLITTING_NANOS) {
            return null;
        }
        int mid = victim.end() - (victim.end() - victim.next()) / 2;
        ServerBoard.Server server = fastestWithRoom(mid, null);
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
        long now = System.nanoTime();
        Lease victim = null;
        double longest = 0;
        for (Lease lease : active) {
            if (lease.revoked() || lease.next() >= lease.end()) {
                continue;
            }
            double rate = rateOf(lease, now);
            if (rate <= 0) {
                continue;
            }
            double seconds = remainingBytes(lease) / rate;
            if (seconds > longest) {
                longest = seconds;
                victim = lease;
            }
        }
        if (victim == null || longest * 1e9 < WORTH_SPLITTING_NANOS) {
            return null;
        }
        boolean stalled = now - victim.lastProgressNanos() > stallSuspectNanos;
        ServerBoard.Server server = fastestWithRoom(victim.next(), stalled ? null : victim.server);
        if (server == null || server.rate == 0 && !stalled) {
            return null;
        }
        double there = server.rate == 0 ? 0 : remainingBytes(victim) / offered(server, server.rate);
        boolean measured = now - victim.startedNanos() >= WORTH_TAKING_OVER_NANOS;
        if (!stalled && (longest < 3 * there || !measured && longest * 1e9 < WORTH_TAKING_OVER_NANOS)) {
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
    Acceptance delivered(Lease lease, int piece, byte @Nullable [] sha256, long nanos) {
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
            deliveredBy[piece] = (short) (lease.server.index + 1);
            board.delivered(lease.server, length, nanos);
            lease.advance(piece);
            notifyAll();
        }
        for (Listener listener : listeners) {
            listener.written(piece);
            if (digests != null) {
                listener.verified(piece);
            }
        }
        return Acceptance.ACCEPTED;
    }

    /**
     * {@code lease}'s connection is over: its pieces not done go back to missing.
     *
     * @param failure why the server failed, or null if it did not (all delivered, or taken away)
     * @param badData whether it sent a piece that did not match its digest: it gets no more work
     * @return the failure as recorded, or null
     */
    synchronized @Nullable ServerFailure ended(Lease lease, @Nullable String failure, boolean badData) {
        return ended(lease, failure, badData, true, true);
    }

    /**
     * {@code lease}'s server answered {@code server busy}: all its places are taken, by this
     * download's other connections or by other clients. It may have fewer connections at once
     * from now on, and its piece stays askable of it; the answer counts towards leaving it out
     * only if it has neither delivered nor a connection at work, so that a busy server this
     * download is already using is asked again once a connection of its own ends.
     */
    synchronized ServerFailure busy(Lease lease, String reason) {
        boolean inUse = lease.server.bytes > 0 || lease.server.connections > 1;
        lease.server.limit = Math.max(1, lease.server.limit / 2);
        return ended(lease, reason, false, false, !inUse);
    }

    /**
     * As {@link #ended(Lease, String, boolean)}; {@code failedThere} false keeps its piece askable
     * of the server (it was slow or busy, not wrong), and {@code inARow} false keeps the failure
     * from counting towards leaving the server out.
     */
    private @Nullable ServerFailure ended(Lease lease, @Nullable String failure, boolean badData, boolean failedThere,
            boolean inARow) {
        active.remove(lease);
        lease.server.connections--;
        int stoppedAt = lease.next();
        for (int piece = stoppedAt; piece < holder.length && holder[piece] == lease; piece++) {
            holder[piece] = null;
            free++;
        }
        ServerFailure recorded = null;
        if (failure != null) {
            int piece = stoppedAt < plan.pieceCount() && failedThere ? stoppedAt : -1;
            recorded = board.failed(lease.server, piece, failure, lease.bytes() == 0 && failedThere, inARow);
            if (badData) {
                board.leaveOut(lease.server, failure);
            }
            chunkFailures.get(chunkOf(Math.max(0, Math.min(stoppedAt, plan.pieceCount() - 1)))).add(recorded);
        }
        notifyAll();
        return recorded;
    }

    /**
     * {@code lease} was closed because it was too slow: its server's rate becomes what this
     * connection showed, so that it gets no new work while faster servers have room.
     */
    synchronized @Nullable ServerFailure tooSlow(Lease lease, String reason) {
        long elapsed = Math.max(1, System.nanoTime() - lease.startedNanos());
        double shown = Math.max(1, lease.bytes() * 1e9 / elapsed);
        lease.server.rate = lease.server.rate == 0 ? shown : Math.min(lease.server.rate, shown);
        return ended(lease, reason, false, false, false);
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
    synchronized List<ChunkOutcome> outcomes() {
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
                        servers.add(board.get(deliveredBy[piece] - 1).address);
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
