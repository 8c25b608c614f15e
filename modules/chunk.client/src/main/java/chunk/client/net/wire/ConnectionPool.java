package chunk.client.net.wire;

import chunk.client.ServerAddress.HostPort;
import chunk.client.net.MirrorException;
import chunk.client.net.StallWatchdog;
import chunk.wire.Frame;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The connections of one download, kept open between requests where a server speaks
 * KEEP-OPEN (packet type 3, see docs/PROTOCOL.md), so that many requests to a server cost as
 * many connections as are in use at once, not one each. Every new connection to a server
 * opens with a keep-open; a server that answers anything but agreement (an original server,
 * chunk 1.0's, a reply that is not an answer, a hang-up) is remembered in the run's
 * {@link WireVersions} as refusing it and gets one request per connection from then on (the
 * files after this one included). A connection that could not be opened at all teaches
 * nothing. Safe for use by many threads.
 */
public final class ConnectionPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("chunk.client");

    /** What the pool has learnt about a server. */
    enum Speaks {
        /** Not asked yet, or every connection to it so far failed before it answered. */
        UNKNOWN,
        /** Agreed to keep a connection open. */
        KEEP_OPEN,
        /** Refused: one request per connection. */
        VERSION_1
    }

    private final Duration connectTimeout;
    private final StallWatchdog watchdog;
    private final int maxIdlePerServer;
    private final WireVersions versions;
    private final LongSupplier nanoTime;
    private final Map<HostPort, ServerConnections> servers = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param connectTimeout how long each new connection may take to open
     * @param watchdog closes connections that receive nothing for its timeout
     * @param maxIdlePerServer how many connections to one server are kept while idle; more are closed when given back
     * @param versions what this run learnt of the servers: those known to refuse KEEP-OPEN get none; those found so are added
     */
    public ConnectionPool(Duration connectTimeout, StallWatchdog watchdog, int maxIdlePerServer, WireVersions versions) {
        this(connectTimeout, watchdog, maxIdlePerServer, versions, System::nanoTime);
    }

    /** As the public constructor, with the clock idle connections are timed by (for tests). */
    ConnectionPool(Duration connectTimeout, StallWatchdog watchdog, int maxIdlePerServer, WireVersions versions,
            LongSupplier nanoTime) {
        if (maxIdlePerServer < 1) {
            throw new IllegalArgumentException("a pool keeps at least one idle connection per server, not " + maxIdlePerServer);
        }
        this.connectTimeout = connectTimeout;
        this.watchdog = watchdog;
        this.maxIdlePerServer = maxIdlePerServer;
        this.versions = versions;
        this.nanoTime = nanoTime;
    }

    /** One server's idle connections and whether it agreed to keep one open. */
    private static final class ServerConnections {
        volatile boolean agreed;
        /** Half the wait the server announced: a connection idle for longer may be closing at its end already. */
        volatile long reuseWithinNanos;
        /** The most recently idle first; guarded by itself. */
        final Deque<Idle> idle = new ArrayDeque<>();
    }

    private record Idle(ServerConnection connection, long sinceNanos) {}

    /** A new connection, and whether it is kept open. */
    record Opened(ServerConnection connection, boolean keptOpen) {}

    /**
     * A connection to {@code server} for one request: an idle kept-open one if there is one,
     * else a new one, opened with a keep-open unless the server is known to refuse it.
     *
     * @throws MirrorException if no connection could be opened (unknown host, refused, connect timeout),
     *     or the server answered nothing to the keep-open within the stall timeout
     */
    PooledConnection connection(HostPort server) throws MirrorException {
        ServerConnection idle = takeIdle(server);
        if (idle != null) {
            idle.resumed();
            return new PooledConnection(this, server, idle, true, true);
        }
        Opened fresh = open(server);
        return new PooledConnection(this, server, fresh.connection(), fresh.keptOpen(), false);
    }

    /** What the pool knows about {@code server} so far. */
    Speaks speaks(HostPort server) {
        if (versions.refusesKeepOpen(server)) {
            return Speaks.VERSION_1;
        }
        ServerConnections known = servers.get(server);
        return known != null && known.agreed ? Speaks.KEEP_OPEN : Speaks.UNKNOWN;
    }

    /** TCP connections opened so far, to every server, keep-opens that were refused included. */
    int opened() {
        return opened.get();
    }

    /** Idle connections to {@code server} now, for tests. */
    int idle(HostPort server) {
        ServerConnections known = servers.get(server);
        if (known == null) {
            return 0;
        }
        synchronized (known.idle) {
            return known.idle.size();
        }
    }

    /** Opens a new connection and asks to keep it open, unless the server is known to refuse. */
    Opened open(HostPort server) throws MirrorException {
        ServerConnections state = servers.computeIfAbsent(server, _ -> new ServerConnections());
        ServerConnection connection = connect(server);
        if (versions.refusesKeepOpen(server)) {
            return new Opened(connection, false);
        }
        String refusal;
        try {
            // The highest version this client speaks: a server of round 2 agrees to 1 (flat digests), one of this round to 2.
            connection.send(new Frame.KeepOpenRequest(Frame.KEEP_OPEN_TREE_VERSION));
            refusal = switch (connection.readKeepOpenAnswer()) {
                case Frame.KeepOpenReply reply when reply.version() <= Frame.KEEP_OPEN_TREE_VERSION -> {
                    state.reuseWithinNanos = TimeUnit.MILLISECONDS.toNanos(reply.waitMillis()) / 2;
                    state.agreed = true;
                    connection.keptOpenAt(reply.version());
                    yield null;
                }
                case Frame.KeepOpenReply reply -> "agreed at version " + reply.version() + ", which was not asked for";
                case Frame.ErrorReply error when !error.refusesPacketType()
                        && WireFailures.refusal(error).kind().isPassing() -> {
                    // "server busy" before any request (myserver's waiting room is full): a moment's
                    // trouble, not a server of another version.
                    connection.closeQuietly();
                    throw WireFailures.refusal(error);
                }
                case Frame.ErrorReply error -> "server says \"" + error.reason() + "\"";
            };
        } catch (IOException e) {
            MirrorException failure = connection.failure(e);
            if (connection.stalled()) {
                // A server that says nothing at all is not one that refuses: asking again on another connection would only wait as long again.
                connection.closeQuietly();
                throw failure;
            }
            refusal = failure.reason();
        }
        if (refusal == null) {
            return new Opened(connection, true);
        }
        connection.closeQuietly();
        // One refusal after agreements is more likely a moment's trouble than a different server: keep asking.
        if (!state.agreed) {
            versions.refusedKeepOpen(server);
        }
        String why = refusal;
        LOG.log(Level.DEBUG, () -> server + " does not keep connections open (" + why + "): one request per connection");
        return new Opened(connect(server), false);
    }

    private ServerConnection connect(HostPort server) throws MirrorException {
        try {
            ServerConnection connection = ServerConnection.open(server, connectTimeout, watchdog);
            opened.incrementAndGet();
            return connection;
        } catch (IOException e) {
            throw WireFailures.of(e);
        }
    }

    /** An idle connection to {@code server} recent enough to reuse, or null; older ones are closed on the way. */
    private @Nullable ServerConnection takeIdle(HostPort server) {
        ServerConnections state = servers.get(server);
        if (state == null || !state.agreed) {
            return null;
        }
        long now = nanoTime.getAsLong();
        // Also well inside the stall timeout, so that the watchdog cannot close a connection just taken up.
        long within = Math.min(state.reuseWithinNanos, watchdog.timeout().toNanos() / 2);
        List<ServerConnection> stale = new ArrayList<>();
        @Nullable ServerConnection found = null;
        synchronized (state.idle) {
            while (found == null && !state.idle.isEmpty()) {
                Idle idle = state.idle.pollFirst();
                if (now - idle.sinceNanos() < within && idle.connection().isOpen() && !idle.connection().stalled()) {
                    found = idle.connection();
                } else {
                    stale.add(idle.connection());
                }
            }
        }
        stale.forEach(ServerConnection::closeQuietly);
        return found;
    }

    /** Takes back a kept-open connection whose last reply was read whole, unless the pool is closed or has enough idle. */
    void giveBack(HostPort server, ServerConnection connection) {
        ServerConnections state = servers.get(server);
        long now = nanoTime.getAsLong();
        List<ServerConnection> toClose = new ArrayList<>();
        synchronized (state.idle) {
            // The least recently used are at the end: those past their time go now rather than at the next take.
            while (!state.idle.isEmpty() && now - state.idle.peekLast().sinceNanos() >= state.reuseWithinNanos) {
                toClose.add(state.idle.pollLast().connection());
            }
            if (closed || state.idle.size() >= maxIdlePerServer) {
                toClose.add(connection);
            } else {
                state.idle.addFirst(new Idle(connection, now));
            }
        }
        toClose.forEach(ServerConnection::closeQuietly);
    }

    /** Closes every idle connection; those in use are closed when their users give them back. */
    @Override
    public void close() {
        closed = true;
        for (ServerConnections state : servers.values()) {
            List<Idle> idle;
            synchronized (state.idle) {
                idle = new ArrayList<>(state.idle);
                state.idle.clear();
            }
            idle.forEach(entry -> entry.connection().closeQuietly());
        }
    }
}
