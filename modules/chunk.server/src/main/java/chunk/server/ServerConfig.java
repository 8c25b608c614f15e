package chunk.server;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link FileServer} runs. Start from {@link #defaults(Path)} and change what you need
 * with the {@code with…} methods.
 *
 * <p>A connection first waits for its request: it holds no transfer place, only one of the
 * {@code maxConnections}, for at most {@code headerTimeout}, and one client address may have
 * at most {@code maxWaitingPerAddress} connections waiting at once. Once its request has
 * arrived it takes one of the {@code maxClients} transfer places.
 *
 * @param root the folder whose regular files are served
 * @param bindAddress the local address to listen on, or {@code null} for all interfaces
 * @param port the TCP port, 0 to 65535; 0 picks a free port (see {@link FileServer#address()})
 * @param backlog connections the operating system queues before they are accepted, at least 1
 * @param maxClients transfers served at once, at least 1; a request that finds them all taken
 *     waits for a place for up to {@code headerTimeout}, then is answered "server busy"
 * @param maxConnections connections open at once, waiting for their request or served, at
 *     least 1; more wait in the backlog. Lowered at start to what the process's open file
 *     limit allows
 * @param maxWaitingPerAddress connections from one client address that may wait for their
 *     request at once, at least 1; more from that address are closed at once
 * @param headerTimeout how long a connection may take to send its whole request; positive
 * @param idleTimeout how long a transfer may make no progress before it is closed: the time
 *     from the last byte the client's system took (acknowledged) while a reply is sent, seen
 *     at most an eighth of the timeout (and at most 100 ms) late; positive
 * @param rateLimit bytes per second sent on each connection, or 0 for no limit
 * @param totalRateLimit bytes per second sent by the whole server, shared by all transfers,
 *     or 0 for no limit
 * @param gracePeriod how long {@link FileServer#close()} lets transfers in flight finish
 */
public record ServerConfig(
        Path root,
        @Nullable InetAddress bindAddress,
        int port,
        int backlog,
        int maxClients,
        int maxConnections,
        int maxWaitingPerAddress,
        Duration headerTimeout,
        Duration idleTimeout,
        long rateLimit,
        long totalRateLimit,
        Duration gracePeriod) {

    /**
     * The least default backlog: {@value}. The original's 20 suited its single thread; a
     * burst of 1000 connections overflowed it (see docs/BENCHMARKS.md).
     */
    public static final int MIN_DEFAULT_BACKLOG = 1024;
    /** Where Linux keeps the largest backlog it grants; {@code listen} silently caps at it. */
    static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");
    /** Transfers served at once by default: {@value}. */
    public static final int DEFAULT_MAX_CLIENTS = 256;
    /** Connections open at once by default: {@value} (a parked virtual thread is cheap, see docs/BENCHMARKS.md). */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Connections from one address waiting for their request, by default: {@value}. */
    public static final int DEFAULT_MAX_WAITING_PER_ADDRESS = 256;
    /** Default header timeout: 5 seconds. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);
    /** Default idle timeout: 30 seconds. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Default grace period on close: 5 seconds. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(5);

    /** @throws IllegalArgumentException if a value is out of its range */
    public ServerConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("a port is a number from 0 to 65535, not " + port);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("the backlog must be at least 1, not " + backlog);
        }
        if (maxClients < 1) {
            throw new IllegalArgumentException("max clients must be at least 1, not " + maxClients);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be at least 1, not " + maxConnections);
        }
        if (maxWaitingPerAddress < 1) {
            throw new IllegalArgumentException("max waiting per address must be at least 1, not " + maxWaitingPerAddress);
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("the header timeout must be positive, not " + headerTimeout);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive, not " + idleTimeout);
        }
        if (rateLimit < 0) {
            throw new IllegalArgumentException("the rate limit cannot be negative: " + rateLimit);
        }
        if (totalRateLimit < 0) {
            throw new IllegalArgumentException("the total rate limit cannot be negative: " + totalRateLimit);
        }
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("the grace period cannot be negative: " + gracePeriod);
        }
    }

    /**
     * Serves {@code root} on all interfaces, on a free port, with the defaults of
     * {@code myserver}: the {@linkplain #defaultBacklog() system's largest backlog}, 256
     * transfers, 10,000 connections, 256 waiting per address, 5 s header timeout, 30 s idle
     * timeout, no rate limits, 5 s grace.
     */
    public static ServerConfig defaults(Path root) {
        return new ServerConfig(root, null, 0, defaultBacklog(), DEFAULT_MAX_CLIENTS, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_WAITING_PER_ADDRESS, DEFAULT_HEADER_TIMEOUT, DEFAULT_IDLE_TIMEOUT, 0, 0, DEFAULT_GRACE_PERIOD);
    }

    /**
     * The system's largest backlog ({@code /proc/sys/net/core/somaxconn} on Linux), or
     * {@value #MIN_DEFAULT_BACKLOG} if that is smaller or cannot be read.
     */
    public static int defaultBacklog() {
        try {
            return Math.max(MIN_DEFAULT_BACKLOG, Integer.parseInt(Files.readString(SOMAXCONN).strip()));
        } catch (IOException | NumberFormatException | SecurityException e) {
            return MIN_DEFAULT_BACKLOG; // not Linux, or a container without /proc: the kernel caps it anyway
        }
    }

    public ServerConfig withRoot(Path newRoot) {
        return new ServerConfig(newRoot, bindAddress, port, backlog, maxClients, maxConnections, maxWaitingPerAddress,
                headerTimeout, idleTimeout, rateLimit, totalRateLimit, gracePeriod);
    }

    /** @param address the local address, or {@code null} for all interfaces */
    public ServerConfig withBindAddress(@Nullable InetAddress address) {
        return new ServerConfig(root, address, port, backlog, maxClients, maxConnections, maxWaitingPerAddress,
                headerTimeout, idleTimeout, rateLimit, totalRateLimit, gracePeriod);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(root, bindAddress, newPort, backlog, maxClients, maxConnections, maxWaitingPerAddress,
                headerTimeout, idleTimeout, rateLimit, totalRateLimit, gracePeriod);
    }

    public ServerConfig withBacklog(int newBacklog) {
        return new ServerConfig(root, bindAddress, port, newBacklog, maxClients, maxConnections, maxWaitingPerAddress,
                headerTimeout, idleTimeout, rateLimit, totalRateLimit, gracePeriod);
    }

    public ServerConfig withMaxClients(int newMaxClients) {
        return new ServerConfig(root, bindAddress, port, backlog, newMaxClients, maxConnections, maxWaitingPerAddress,
                headerTimeout, idleTimeout, rateLimit, totalRateLimit, gracePeriod);
    }

    public ServerConfig withMaxConnections(int newMaxConnections) {
        return new ServerConfig(root, bindAddress, port, backlog, maxClients, newMaxConnections, maxWaitingPerAddress,
                headerTimeout, idleTimeout, rateLimit, totalRateLimit, gracePeriod);
    }

    public ServerConfig withMaxWaitingPerAddress(int newMaxWaiting) {
        return new ServerConfig(root, bindAddress, port, backlog, maxClients, maxConnections, newMaxWaiting,
                headerTimeout, idleTimeout, rateLimit, totalRateLimit, gracePeriod);
    }

    public ServerConfig withHeaderTimeout(Duration newHeaderTimeout) {
        return new ServerConfig(root, bindAddress, port, backlog, maxClients, maxConnections, maxWaitingPerAddress,
                newHeaderTimeout, idleTimeout, rateLimit, totalRateLimit, gracePeriod);
    }

    public ServerConfig withIdleTimeout(Duration newIdleTimeout) {
        return new ServerConfig(root, bindAddress, port, backlog, maxClients, maxConnections, maxWaitingPerAddress,
                headerTimeout, newIdleTimeout, rateLimit, totalRateLimit, gracePeriod);
    }

    /** @param bytesPerSecond per connection, 0 for no limit */
    public ServerConfig withRateLimit(long bytesPerSecond) {
        return new ServerConfig(root, bindAddress, port, backlog, maxClients, maxConnections, maxWaitingPerAddress,
                headerTimeout, idleTimeout, bytesPerSecond, totalRateLimit, gracePeriod);
    }

    /** @param bytesPerSecond for the whole server, 0 for no limit */
    public ServerConfig withTotalRateLimit(long bytesPerSecond) {
        return new ServerConfig(root, bindAddress, port, backlog, maxClients, maxConnections, maxWaitingPerAddress,
                headerTimeout, idleTimeout, rateLimit, bytesPerSecond, gracePeriod);
    }

    public ServerConfig withGracePeriod(Duration newGracePeriod) {
        return new ServerConfig(root, bindAddress, port, backlog, maxClients, maxConnections, maxWaitingPerAddress,
                headerTimeout, idleTimeout, rateLimit, totalRateLimit, newGracePeriod);
    }
}
