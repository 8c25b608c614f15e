package chunk.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * A server for one test on a loopback address and port 0, its access log kept in memory: the
 * set-up the server's test classes share. The test that owns it closes it after each test.
 */
public final class LoopbackServer implements AutoCloseable {

    /** Where the servers listen and the real clients come from. */
    public static final InetAddress LOOPBACK = address("127.0.0.1");
    /** Where the crowds come from: another loopback address than the real clients'. */
    public static final InetAddress CROWD = address("127.0.0.2");

    /** The access log's lines, as the server writes them. */
    public final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    private @Nullable FileServer server;

    /** A server not yet started: {@code start} starts it. */
    public LoopbackServer() {}

    public static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The defaults, serving {@code root} on {@link #LOOPBACK}, to change further by name. */
    public static ServerConfig.Builder loopback(Path root) {
        return ServerConfig.builder(root).bindAddress(LOOPBACK);
    }

    /** Starts a server; {@link #close()} closes the one started last. */
    public FileServer start(ServerConfig config) throws IOException {
        server = FileServer.start(config, log::add);
        return server;
    }

    /** The server last started. */
    public FileServer server() {
        if (server == null) {
            throw new IllegalStateException("no server started");
        }
        return server;
    }

    /** How many log lines contain {@code part}. */
    public long logLines(String part) {
        return log.stream().filter(line -> line.contains(part)).count();
    }

    /** Waits until {@code count} log lines contain {@code part}; the test's timeout is the safety net. */
    public void awaitLogLines(String part, long count) throws InterruptedException {
        while (logLines(part) < count) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
