package chunk.server;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link FileServer} runs. Start from {@link #defaults(Path)} and change what you need
 * with the {@code with…} methods.
 *
 * @param root the folder whose regular files are served
 * @param bindAddress the local address to listen on, or {@code null} for all interfaces
 * @param port the TCP port, 0 to 65535; 0 picks a free port (see {@link FileServer#address()})
 * @param backlog connections the operating system queues before they are accepted, at least 1
 * @param maxClients connections served at once, at least 1; more wait in the backlog
 * @param idleTimeout how long a connection may make no progress (receive nothing while a
 *     request is due, or accept no data while a reply is sent) before it is closed; positive
 * @param rateLimit bytes per second sent on each connection, or 0 for no limit
 * @param gracePeriod how long {@link FileServer#close()} lets transfers in flight finish
 */
public record ServerConfig(
        Path root,
        @Nullable InetAddress bindAddress,
        int port,
        int backlog,
        int maxClients,
        Duration idleTimeout,
        long rateLimit,
        Duration gracePeriod) {

    /** Backlog of the original server: {@value}. */
    public static final int DEFAULT_BACKLOG = 20;
    /** Connections served at once by default: {@value}. */
    public static final int DEFAULT_MAX_CLIENTS = 256;
    /** Default idle timeout: 30 seconds. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Default grace period on close: 5 seconds. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(5);

    /** @throws IllegalArgumentException if a value is out of its range */
    public ServerConfig {
        Objects.requireNonNull(root, "root");
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
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive, not " + idleTimeout);
        }
        if (rateLimit < 0) {
            throw new IllegalArgumentException("the rate limit cannot be negative: " + rateLimit);
        }
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("the grace period cannot be negative: " + gracePeriod);
        }
    }

    /**
     * Serves {@code root} on all interfaces, on a free port, with the defaults of
     * {@code myserver}: backlog 20, 256 clients, 30 s idle timeout, no rate limit, 5 s grace.
     */
    public static ServerConfig defaults(Path root) {
        return new ServerConfig(root, null, 0, DEFAULT_BACKLOG, DEFAULT_MAX_CLIENTS,
                DEFAULT_IDLE_TIMEOUT, 0, DEFAULT_GRACE_PERIOD);
    }

    public ServerConfig withRoot(Path newRoot) {
        return new ServerConfig(newRoot, bindAddress, port, backlog, maxClients, idleTimeout, rateLimit, gracePeriod);
    }

    /** @param address the local address, or {@code null} for all interfaces */
    public ServerConfig withBindAddress(@Nullable InetAddress address) {
        return new ServerConfig(root, address, port, backlog, maxClients, idleTimeout, rateLimit, gracePeriod);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(root, bindAddress, newPort, backlog, maxClients, idleTimeout, rateLimit, gracePeriod);
    }

    public ServerConfig withBacklog(int newBacklog) {
        return new ServerConfig(root, bindAddress, port, newBacklog, maxClients, idleTimeout, rateLimit, gracePeriod);
    }

    public ServerConfig withMaxClients(int newMaxClients) {
        return new ServerConfig(root, bindAddress, port, backlog, newMaxClients, idleTimeout, rateLimit, gracePeriod);
    }

    public ServerConfig withIdleTimeout(Duration newIdleTimeout) {
        return new ServerConfig(root, bindAddress, port, backlog, maxClients, newIdleTimeout, rateLimit, gracePeriod);
    }

    /** @param bytesPerSecond per connection, 0 for no limit */
    public ServerConfig withRateLimit(long bytesPerSecond) {
        return new ServerConfig(root, bindAddress, port, backlog, maxClients, idleTimeout, bytesPerSecond, gracePeriod);
    }

    public ServerConfig withGracePeriod(Duration newGracePeriod) {
        return new ServerConfig(root, bindAddress, port, backlog, maxClients, idleTimeout, rateLimit, newGracePeriod);
    }
}
