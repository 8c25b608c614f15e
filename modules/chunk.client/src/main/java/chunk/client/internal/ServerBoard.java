package chunk.client.internal;

import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.ServerReport;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one download knows of each server: how fast it delivers (a moving average per
 * connection), how much it delivered, how it failed, whether it is still used, and how many
 * connections it may have at once. Guarded by the piece map's lock, except where noted.
 */
final class ServerBoard {

    /**
     * Connections open at once to one server. The original server, and myserver by default,
     * queue at most 20 connections they have not accepted yet; a client with more at once makes
     * the kernel drop connection requests, and each drop costs a second before TCP tries
     * again. That happened here whenever one server fell behind: the chunks waiting for it
     * piled up to the client's whole limit of 64 (measured: 1000 chunks of a 5 MiB file took
     * 0.5 s or, with 58 dropped requests, 1.5 s).
     */
    static final int MAX_CONNECTIONS_PER_SERVER = 16;
    /** A server that fails this many times in a row, with no piece delivered between, is left out. */
    static final int FAILURES_TO_LEAVE_OUT = 3;
    /** A server this many times slower per connection than the fastest gets no new work while faster ones have room. */
    static final double MUCH_SLOWER = 4;
    /** Weight of the newest sample in the moving average of a server's rate. */
    private static final double NEWEST_WEIGHT = 0.3;

    /** One server's record. */
    static final class Server {
        final int index;
        final ServerAddress address;
        /** Bytes of pieces accepted from this server. */
        long bytes;
        /** Moving average of one connection's rate, bytes per second; 0 until measured. */
        double rate;
        long busyNanos;
        int connections;
        int limit = MAX_CONNECTIONS_PER_SERVER;
        int failuresInARow;
        final List<String> failures = new ArrayList<>();
        /** Why it is no longer used, or null while it is. */
        @Nullable String leftOut;
        /** Whether its answer to the census agreed with the others' (or was not needed). */
        boolean admitted = true;
        /** Pieces at which this server failed once: it is not asked for them again. */
        final BitSet failedAt = new BitSet();

        Server(int index, ServerAddress address) {
            this.index = index;
            this.address = address;
        }

        boolean usable() {
            return admitted && leftOut == null;
        }

        boolean hasRoom() {
            return usable() && connections < limit;
        }
    }

    private final List<Server> servers;

    ServerBoard(List<ServerAddress> addresses) {
        List<Server> all = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            all.add(new Server(i, addresses.get(i)));
        }
        this.servers = List.copyOf(all);
    }

    List<Server> all() {
        return servers;
    }

    int size() {
        return servers.size();
    }

    Server get(int index) {
        return servers.get(index);
    }

    /** The fastest measured rate of a usable server, 0 if none is measured yet. */
    double bestRate() {
        double best = 0;
        for (Server server : servers) {
            if (server.usable()) {
                best = Math.max(best, server.rate);
            }
        }
        return best;
    }

    /** Whether {@code server} is measured much slower than the fastest usable server. */
    boolean muchSlower(Server server) {
        return server.rate > 0 && server.rate * MUCH_SLOWER < bestRate();
    }

    /** {@code bytes} of a piece arrived from {@code server} in {@code nanos} on one connection. */
    void delivered(Server server, long bytes, long nanos) {
        server.bytes += bytes;
        server.busyNanos += nanos;
        server.failuresInARow = 0;
        // Each piece delivered earns back one connection, up to the limit.
        server.limit = Math.min(MAX_CONNECTIONS_PER_SERVER, server.limit + 1);
        double sample = bytes * 1e9 / Math.max(nanos, 1);
        server.rate = server.rate == 0 ? sample : server.rate * (1 - NEWEST_WEIGHT) + sample * NEWEST_WEIGHT;
    }

    /** {@code server} failed at {@code piece} (or before any piece, -1); it may be left out. */
    ServerFailure failed(Server server, int piece, String reason) {
        return failed(server, piece, reason, false, true);
    }

    /**
     * As {@link #failed(Server, int, String)}; {@code beforeData} says the connection brought
     * nothing at all (refused, timed out, closed at once), which is what a server's full
     * backlog looks like: it may have half as many connections at once from now on; and
     * {@code inARow} false records the failure without counting it towards leaving the server
     * out (it was slow or busy, not broken).
     */
    ServerFailure failed(Server server, int piece, String reason, boolean beforeData, boolean inARow) {
        if (beforeData) {
            server.limit = Math.max(1, server.limit / 2);
        }
        server.failures.add(reason);
        if (piece >= 0) {
            server.failedAt.set(piece);
        }
        if (inARow && ++server.failuresInARow >= FAILURES_TO_LEAVE_OUT && server.usable()) {
            server.leftOut = "failed " + server.failuresInARow + " times in a row";
        }
        return new ServerFailure(server.address, reason);
    }

    /** Whether {@code address} is one of this board's servers, and which. */
    int indexOf(ServerAddress address) {
        for (Server server : servers) {
            if (server.address.equals(address)) {
                return server.index;
            }
        }
        return -1;
    }

    /** {@code server} is not used any more in this download, for {@code reason}. */
    void leaveOut(Server server, String reason) {
        // The first reason stands; a server not yet admitted may be left out too.
        if (server.leftOut == null) {
            server.leftOut = reason;
        }
    }

    /** A snapshot of every server's record, for the summary; {@code dataNanos} is how long the data took. */
    List<ServerReport> reports(long dataNanos) {
        List<ServerReport> reports = new ArrayList<>(servers.size());
        for (Server server : servers) {
            String leftOut = server.leftOut != null ? server.leftOut : server.admitted ? null : "did not answer in time";
            double share = server.bytes * 1e9 / Math.max(dataNanos, 1);
            reports.add(new ServerReport(server.address, server.bytes, share, server.rate, server.failures, leftOut));
        }
        return reports;
    }
}
