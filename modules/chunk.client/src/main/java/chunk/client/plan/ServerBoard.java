package chunk.client.plan;

import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.ServerReport;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one download knows of each server: how fast it delivers (a moving average per
 * connection), how much it delivered, how it failed, whether it is still used, and how many
 * connections it may have and has at once. Every change to a server's state is made here, by
 * one of the methods below; the piece map calls them under its lock, which guards the board.
 */
public final class ServerBoard {

    /**
     * Connections open at once to one server. The original server, and myserver by default,
     * queue at most 20 connections they have not accepted yet; a client with more at once makes
     * the kernel drop connection requests, and each drop costs a second before TCP tries
     * again. That happened here whenever one server fell behind: the chunks waiting for it
     * piled up to the client's whole limit of 64 (measured: 1000 chunks of a 5 MiB file took
     * 0.5 s or, with 58 dropped requests, 1.5 s; docs/BENCHMARKS.md, "What was measured, and what
     * changed").
     */
    public static final int MAX_CONNECTIONS_PER_SERVER = 16;
    /** A server that fails this many times in a row, with no piece delivered between, is left out. */
    static final int FAILURES_TO_LEAVE_OUT = 3;
    /** A server this many times slower per connection than the fastest gets no new work while faster ones have room. */
    static final double MUCH_SLOWER = 4;
    /** Weight of the newest sample in the moving average of a server's rate. */
    private static final double NEWEST_WEIGHT = 0.3;

    /** One server's state in this download; read by the piece map, changed only by the board. */
    public static final class ServerState {
        private final int index;
        private final ServerAddress address;
        /** Bytes of pieces accepted from this server. */
        private long bytes;
        /** Moving average of one connection's rate, bytes per second; 0 until measured. */
        private double rate;
        private int connections;
        private int limit = MAX_CONNECTIONS_PER_SERVER;
        private int failuresInARow;
        private final List<ServerFailure> failures = new ArrayList<>();
        /** Why it is no longer used, or null while it is. */
        private @Nullable String leftOut;
        /** Whether its answer to the census agreed with the others' (or was not needed). */
        private boolean admitted = true;
        /** Pieces at which this server failed once: it is not asked for them again. */
        private final BitSet failedAt = new BitSet();

        private ServerState(int index, ServerAddress address) {
            this.index = index;
            this.address = address;
        }

        /** Its place in the server list, from 0. */
        public int index() {
            return index;
        }

        public ServerAddress address() {
            return address;
        }

        double rate() {
            return rate;
        }

        long bytes() {
            return bytes;
        }

        int connections() {
            return connections;
        }

        boolean usable() {
            return admitted && leftOut == null;
        }

        boolean hasRoom() {
            return usable() && connections < limit;
        }

        boolean leftOut() {
            return leftOut != null;
        }

        /** Whether it may be asked for {@code piece}: usable, and it did not fail at that piece before. */
        boolean mayFetch(int piece) {
            return usable() && !failedAt.get(piece);
        }
    }

    private final List<ServerState> servers;

    public ServerBoard(List<ServerAddress> addresses) {
        List<ServerState> all = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            all.add(new ServerState(i, addresses.get(i)));
        }
        this.servers = List.copyOf(all);
    }

    List<ServerState> all() {
        return servers;
    }

    public int size() {
        return servers.size();
    }

    ServerState get(int index) {
        return servers.get(index);
    }

    /** Whether {@code address} is one of this board's servers, and which; -1 if not. */
    public int indexOf(ServerAddress address) {
        for (ServerState server : servers) {
            if (server.address.equals(address)) {
                return server.index;
            }
        }
        return -1;
    }

    /** The fastest measured rate of a usable server, 0 if none is measured yet. */
    double bestRate() {
        double best = 0;
        for (ServerState server : servers) {
            if (server.usable()) {
                best = Math.max(best, server.rate);
            }
        }
        return best;
    }

    /** Whether {@code server} is measured much slower than the fastest usable server. */
    boolean muchSlower(ServerState server) {
        return server.rate > 0 && server.rate * MUCH_SLOWER < bestRate();
    }

    /**
     * Only the servers of {@code agreeing} take part from the start: the census heard the others
     * say something else, or not yet (those may be {@link #admit}ted later).
     */
    public void admitOnly(Collection<ServerAddress> agreeing) {
        for (ServerState server : servers) {
            server.admitted = agreeing.contains(server.address);
        }
    }

    /** A server that answered the census late, and agreed: it joins. */
    void admit(ServerState server) {
        server.admitted = true;
    }

    /** A connection to {@code server} starts work. */
    void connected(ServerState server) {
        server.connections++;
    }

    /** A connection to {@code server} ended. */
    void disconnected(ServerState server) {
        server.connections--;
    }

    /** {@code bytes} of a piece arrived from {@code server} in {@code nanos} on one connection. */
    void delivered(ServerState server, long bytes, long nanos) {
        server.bytes += bytes;
        server.failuresInARow = 0;
        // Each piece delivered earns back one connection, up to the limit.
        server.limit = Math.min(MAX_CONNECTIONS_PER_SERVER, server.limit + 1);
        double sample = bytes * 1e9 / Math.max(nanos, 1);
        server.rate = server.rate == 0 ? sample : server.rate * (1 - NEWEST_WEIGHT) + sample * NEWEST_WEIGHT;
    }

    /** A connection of {@code server} was closed for being slow: its rate becomes at most what it showed. */
    void showedRate(ServerState server, double bytesPerSecond) {
        server.rate = server.rate == 0 ? bytesPerSecond : Math.min(server.rate, bytesPerSecond);
    }

    /** {@code server} may have half as many connections at once from now on (it was busy, or its backlog full). */
    void fewerConnections(ServerState server) {
        server.limit = Math.max(1, server.limit / 2);
    }

    /**
     * {@code server} failed at {@code piece} (or before any piece, -1). {@code inARow} false
     * records the failure without counting it towards leaving the server out (it was slow or
     * busy, not broken).
     *
     * @return the failure as recorded
     */
    ServerFailure failed(ServerState server, int piece, ServerFailure.Kind kind, String reason, boolean inARow) {
        ServerFailure failure = new ServerFailure(server.address, kind, reason);
        server.failures.add(failure);
        if (piece >= 0) {
            server.failedAt.set(piece);
        }
        if (inARow && ++server.failuresInARow >= FAILURES_TO_LEAVE_OUT && server.usable()) {
            server.leftOut = "failed " + server.failuresInARow + " times in a row";
        }
        return failure;
    }

    /**
     * {@code server} could not say what it holds (the census's question failed): it is never
     * admitted, and is said to have failed, not to have been late.
     */
    public void unanswered(int server, ServerFailure failure) {
        ServerState state = servers.get(server);
        leaveOut(state, failure.reason());
        failed(state, -1, failure.kind(), failure.reason(), true);
    }

    /** {@code server} is not used any more in this download, for {@code reason}; the first reason stands. */
    public void leaveOut(int server, String reason) {
        leaveOut(servers.get(server), reason);
    }

    void leaveOut(ServerState server, String reason) {
        // A server not yet admitted may be left out too.
        if (server.leftOut == null) {
            server.leftOut = reason;
        }
    }

    /** A snapshot of every server's record, for the summary; {@code dataNanos} is how long the data took. */
    List<ServerReport> reports(long dataNanos) {
        List<ServerReport> reports = new ArrayList<>(servers.size());
        for (ServerState server : servers) {
            String leftOut = server.leftOut != null ? server.leftOut : server.admitted ? null : "did not answer in time";
            double share = server.bytes * 1e9 / Math.max(dataNanos, 1);
            reports.add(new ServerReport(server.address, server.bytes, share, server.rate, server.failures, leftOut));
        }
        return reports;
    }
}
