package chunk.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
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

    /** How long {@link #await} waits at most. */
    public static final Duration AWAIT_LIMIT = Duration.ofSeconds(30);

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

    /** Takes a server started otherwise (with {@link #log} as its access log), to close it as {@link #start} does. */
    public <S extends FileServer> S adopt(S started) {
        server = started;
        return started;
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

    /** Waits until {@code count} log lines contain {@code part}. */
    public void awaitLogLines(String part, long count) throws InterruptedException {
        await(count + " access log lines with '" + part + "' (" + logLines(part) + " at first)", () -> logLines(part) >= count);
    }

    /**
     * Polls {@code condition} until it holds, for something the server does after its reply that a
     * client cannot wait for otherwise; fails naming {@code what} if it does not hold within
     * {@link #AWAIT_LIMIT} (a safety net against a hang, never a timing assertion).
     */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT_LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + AWAIT_LIMIT.toSeconds() + " s for " + what + ", in vain");
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
