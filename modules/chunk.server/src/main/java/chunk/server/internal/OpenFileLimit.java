package chunk.server.internal;

import chunk.server.ServerConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's open file limit, and how many connections fit in it. Java cannot raise
 * the limit (on Linux the JVM already raises its soft limit to the hard one at start), so
 * the server lowers {@code --max-connections} to fit instead of failing on {@code accept}:
 * each connection holds a socket, each transfer a file as well, and the JVM keeps some.
 */
final class OpenFileLimit {

    private static final System.Logger LOG = System.getLogger("chunk.server");
    private static final Path LIMITS = Path.of("/proc/self/limits");
    /** Descriptors kept for the JVM itself (its jars, the runtime image, the listener) and some to spare. */
    static final int RESERVED = 128;

    private OpenFileLimit() {}

    /** {@code config.maxConnections()}, lowered to what the open file limit allows (at least 1). */
    static int maxConnections(ServerConfig config) {
        OptionalLong limit = current();
        int fitted = fit(config.maxConnections(), config.maxClients(), limit);
        if (fitted < config.maxConnections()) {
            LOG.log(Level.INFO, "at most " + fitted + (fitted == 1 ? " connection" : " connections") + " at once, not "
                    + config.maxConnections()
                    + ": the open file limit is " + limit.getAsLong() + " (raise it with ulimit -n)");
        }
        return fitted;
    }

    /**
     * The connections that fit in {@code limit} open files, at most {@code maxConnections} and at
     * least 1. Each connection holds a socket and each of its transfers a file too, and there are
     * never more transfers than connections: when the files left cannot give every transfer place
     * its own, connections and transfers share them half and half.
     */
    static int fit(int maxConnections, int maxClients, OptionalLong limit) {
        if (limit.isEmpty()) {
            return maxConnections;
        }
        long available = limit.getAsLong() - RESERVED;
        long connections = available - maxClients >= maxClients ? available - maxClients : available / 2;
        return Math.clamp(connections, 1, maxConnections);
    }

    /** The soft limit on open files, if this system says ({@code /proc/self/limits} on Linux). */
    static OptionalLong current() {
        try {
            for (String line : Files.readAllLines(LIMITS)) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    return fields[0].equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "cannot read the open file limit: " + e);
        }
        return OptionalLong.empty();
    }
}
