package chunk.server;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link FileServer} runs, built by name: {@code ServerConfig.builder(root).port(4000)
 * .maxClients(16).build()}; {@link #defaults(Path)} is the builder's result untouched, and
 * {@link #toBuilder()} starts a changed copy.
 *
 * <p>A connection first waits for its request: it holds no transfer place, only one of the
 * {@link #maxConnections()}, for at most {@link #headerTimeout()}, and one client address may
 * have {@link #maxWaitingPerAddress()} connections waiting at once. Once its request has
 * arrived it takes one of the {@link #maxClients()} transfer places.
 */
public final class ServerConfig {

    /**
     * The least default backlog: {@value}. The original's 20 suited its single thread; a
     * burst of 1000 connections overflowed it (see docs/BENCHMARKS.md, "myserver under load").
     */
    public static final int MIN_DEFAULT_BACKLOG = 1024;
    /** Where Linux keeps the largest backlog it grants; {@code listen} silently caps at it. */
    static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");
    /** Transfers served at once by default: {@value}. */
    public static final int DEFAULT_MAX_CLIENTS = 256;
    /**
     * Connections open at once by default: {@value} (a parked virtual thread is cheap: about
     * 6 KB each, see docs/BENCHMARKS.md, "myserver under load").
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Connections from one address waiting for their request, by default: {@value}. */
    public static final int DEFAULT_MAX_WAITING_PER_ADDRESS = 256;
    /** Default header timeout: 5 seconds. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);
    /** Default idle timeout: 30 seconds. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Default grace period on close: 5 seconds. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(5);
    /** What the digest cache folder may hold by default: 1 GiB, the trees of 512 GiB of files. */
    public static final long DEFAULT_DIGEST_CACHE_BYTES = 1L << 30;

    private final Path root;
    private final @Nullable InetAddress bindAddress;
    private final int port;
    private final int backlog;
    private final int maxClients;
    private final int maxConnections;
    private final int maxWaitingPerAddress;
    private final Duration headerTimeout;
    private final Duration idleTimeout;
    private final long rateLimit;
    private final long totalRateLimit;
    private final Duration gracePeriod;
    private final @Nullable Path digestCache;
    private final long digestCacheBytes;
    private final boolean backgroundHashing;

    private ServerConfig(Builder builder) {
        root = builder.root;
        bindAddress = builder.bindAddress;
        port = builder.port;
        backlog = builder.backlog;
        maxClients = builder.maxClients;
        maxConnections = builder.maxConnections;
        maxWaitingPerAddress = builder.maxWaitingPerAddress;
        headerTimeout = builder.headerTimeout;
        idleTimeout = builder.idleTimeout;
        rateLimit = builder.rateLimit;
        totalRateLimit = builder.totalRateLimit;
        gracePeriod = builder.gracePeriod;
        digestCache = builder.digestCache;
        digestCacheBytes = builder.digestCacheBytes;
        backgroundHashing = builder.backgroundHashing;
        requireInRange(port >= 0 && port <= 65_535, "a port is a number from 0 to 65535, not " + port);
        requireInRange(backlog >= 1, "the backlog must be at least 1, not " + backlog);
        requireInRange(maxClients >= 1, "max clients must be at least 1, not " + maxClients);
        requireInRange(maxConnections >= 1, "max connections must be at least 1, not " + maxConnections);
        requireInRange(maxWaitingPerAddress >= 1, "max waiting per address must be at least 1, not " + maxWaitingPerAddress);
        requireInRange(headerTimeout.isPositive(), "the header timeout must be positive, not " + headerTimeout);
        requireInRange(idleTimeout.isPositive(), "the idle timeout must be positive, not " + idleTimeout);
        requireInRange(rateLimit >= 0, "the rate limit cannot be negative: " + rateLimit);
        requireInRange(totalRateLimit >= 0, "the total rate limit cannot be negative: " + totalRateLimit);
        requireInRange(!gracePeriod.isNegative(), "the grace period cannot be negative: " + gracePeriod);
        requireInRange(digestCacheBytes >= 1, "the digest cache needs room: at least 1 byte, not " + digestCacheBytes);
    }

    private static void requireInRange(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Starts a configuration that serves {@code root} with the defaults of {@code myserver}:
     * all interfaces, a free port, the {@linkplain #defaultBacklog() system's largest backlog},
     * 256 transfers, 10,000 connections, 256 waiting per address, 5 s header timeout, 30 s idle
     * timeout, no rate limits, 5 s grace, background hashing; digest trees in memory only (where
     * {@code myserver} keeps them in the user's cache folder: a program that embeds the server
     * chooses its own folder with {@link Builder#digestCache}).
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** {@code builder(root).build()}: the defaults, serving {@code root}. */
    public static ServerConfig defaults(Path root) {
        return builder(root).build();
    }

    /** A builder that starts from this configuration, to make a changed copy. */
    public Builder toBuilder() {
        return new Builder(root).bindAddress(bindAddress).port(port).backlog(backlog).maxClients(maxClients)
                .maxConnections(maxConnections).maxWaitingPerAddress(maxWaitingPerAddress).headerTimeout(headerTimeout)
                .idleTimeout(idleTimeout).rateLimit(rateLimit).totalRateLimit(totalRateLimit).gracePeriod(gracePeriod)
                .digestCache(digestCache).digestCacheBytes(digestCacheBytes).backgroundHashing(backgroundHashing);
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

    /** The folder whose regular files are served. */
    public Path root() {
        return root;
    }

    /** The local address to listen on, or {@code null} for all interfaces. */
    public @Nullable InetAddress bindAddress() {
        return bindAddress;
    }

    /** The TCP port, 0 to 65535; 0 picks a free port (see {@link FileServer#address()}). */
    public int port() {
        return port;
    }

    /** Connections the operating system queues before they are accepted, at least 1. */
    public int backlog() {
        return backlog;
    }

    /**
     * Transfers served at once, at least 1; a request that finds them all taken waits for a
     * place for up to the header timeout, then is answered "server busy".
     */
    public int maxClients() {
        return maxClients;
    }

    /**
     * Connections open at once, waiting for their request or served, at least 1; more wait in
     * the backlog. Lowered at start to what the process's open file limit allows.
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Connections from one client address that may wait for their request at once, at least 1.
     * Above it a new connection from that address is let in, and the address's connection that
     * has waited longest without sending a byte is closed once it has been silent for a second.
     */
    public int maxWaitingPerAddress() {
        return maxWaitingPerAddress;
    }

    /** How long a connection may take to send its whole request; positive. */
    public Duration headerTimeout() {
        return headerTimeout;
    }

    /**
     * How long a transfer may make no progress before it is closed: the time from the last byte
     * the client's system took (acknowledged) while a reply is sent, seen at most an eighth of
     * the timeout (and at most 100 ms) late; positive.
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Bytes per second sent on each connection, or 0 for no limit. */
    public long rateLimit() {
        return rateLimit;
    }

    /** Bytes per second sent by the whole server, shared by all transfers, or 0 for no limit. */
    public long totalRateLimit() {
        return totalRateLimit;
    }

    /** How long {@link FileServer#close()} lets transfers in flight finish. */
    public Duration gracePeriod() {
        return gracePeriod;
    }

    /**
     * The folder where the digest trees of the served files are kept across restarts, outside
     * the served folder (made at start if missing), or {@code null} to keep them in memory only.
     * Entries are checked when read; a damaged, foreign or stale one is hashed again.
     */
    public @Nullable Path digestCache() {
        return digestCache;
    }

    /** The most the digest cache folder's entries may take, in bytes; the least recently used go first. */
    public long digestCacheBytes() {
        return digestCacheBytes;
    }

    /**
     * Whether the server hashes its folder's files once it listens, and each file that appears
     * or changes later, on half the cores at most, so that clients find their digests made; a
     * file not yet hashed is hashed, before anything else, when a client first asks for it.
     */
    public boolean backgroundHashing() {
        return backgroundHashing;
    }

    /**
     * Sets a {@link ServerConfig}'s settings by name; {@link #build()} checks them. Each setter
     * takes the value its accessor on {@link ServerConfig} describes.
     */
    public static final class Builder {

        private Path root;
        private @Nullable InetAddress bindAddress;
        private int port;
        private int backlog = defaultBacklog();
        private int maxClients = DEFAULT_MAX_CLIENTS;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxWaitingPerAddress = DEFAULT_MAX_WAITING_PER_ADDRESS;
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private long rateLimit;
        private long totalRateLimit;
        private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
        private @Nullable Path digestCache;
        private long digestCacheBytes = DEFAULT_DIGEST_CACHE_BYTES;
        private boolean backgroundHashing = true;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        public Builder root(Path folder) {
            root = Objects.requireNonNull(folder, "root");
            return this;
        }

        /** @param address the local address, or {@code null} for all interfaces */
        public Builder bindAddress(@Nullable InetAddress address) {
            bindAddress = address;
            return this;
        }

        public Builder port(int number) {
            port = number;
            return this;
        }

        public Builder backlog(int connections) {
            backlog = connections;
            return this;
        }

        public Builder maxClients(int transfers) {
            maxClients = transfers;
            return this;
        }

        public Builder maxConnections(int connections) {
            maxConnections = connections;
            return this;
        }

        public Builder maxWaitingPerAddress(int connections) {
            maxWaitingPerAddress = connections;
            return this;
        }

        public Builder headerTimeout(Duration timeout) {
            headerTimeout = Objects.requireNonNull(timeout, "headerTimeout");
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            idleTimeout = Objects.requireNonNull(timeout, "idleTimeout");
            return this;
        }

        /** @param bytesPerSecond per connection, 0 for no limit */
        public Builder rateLimit(long bytesPerSecond) {
            rateLimit = bytesPerSecond;
            return this;
        }

        /** @param bytesPerSecond for the whole server, 0 for no limit */
        public Builder totalRateLimit(long bytesPerSecond) {
            totalRateLimit = bytesPerSecond;
            return this;
        }

        public Builder gracePeriod(Duration period) {
            gracePeriod = Objects.requireNonNull(period, "gracePeriod");
            return this;
        }

        /** @param folder where digest trees are kept across restarts, or {@code null} for memory only */
        public Builder digestCache(@Nullable Path folder) {
            digestCache = folder;
            return this;
        }

        public Builder digestCacheBytes(long bytes) {
            digestCacheBytes = bytes;
            return this;
        }

        public Builder backgroundHashing(boolean on) {
            backgroundHashing = on;
            return this;
        }

        /** @throws IllegalArgumentException if a value is out of its range */
        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
