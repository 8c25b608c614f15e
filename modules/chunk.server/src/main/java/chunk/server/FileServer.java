package chunk.server;

import chunk.server.internal.RunningServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A running chunk file server: it listens from {@link #start} until {@link #close}, each
 * connection on its own virtual thread, serving one request on it, or request after request
 * once the client has asked to keep it open (KEEP-OPEN).
 *
 * <p>Only regular files under the root are served, each under its one name (its path under
 * the root, segments joined by single slashes); absolute names, {@code ..}, hidden files
 * (a name segment starting with {@code .}), other spellings of a name ({@code ./a},
 * {@code a/}, {@code a//b}), directories, device files and symbolic links that lead outside
 * the root are all answered "no such file".
 *
 * <p>Besides SIZE and CHUNK it answers DIGESTS: the SHA-256 of a file's pieces and its root,
 * computed when first asked for, once per version of the file and piece length, and kept
 * (up to 64 MiB of digests) while the file does not change.
 */
public sealed interface FileServer extends AutoCloseable permits RunningServer {

    /**
     * Binds and starts serving, without an access log.
     *
     * @throws java.nio.file.NoSuchFileException if the root does not exist
     * @throws java.nio.file.NotDirectoryException if the root is not a folder
     * @throws java.net.BindException if the address cannot be bound (in use, not local, no permission)
     * @throws IOException if anything else fails before the server listens
     */
    static FileServer start(ServerConfig config) throws IOException {
        return RunningServer.start(config, null);
    }

    /**
     * Binds and starts serving; {@code accessLog} receives one line per connection (see
     * myserver(1), "Output", for its fields). It is called from many threads at once and must be quick.
     *
     * @throws java.nio.file.NoSuchFileException if the root does not exist
     * @throws java.nio.file.NotDirectoryException if the root is not a folder
     * @throws java.net.BindException if the address cannot be bound (in use, not local, no permission)
     * @throws IOException if anything else fails before the server listens
     */
    static FileServer start(ServerConfig config, Consumer<String> accessLog) throws IOException {
        return RunningServer.start(config, accessLog);
    }

    /** The address and port the server listens on (the actual port when started with port 0). */
    InetSocketAddress address();

    /** The folder served, with all symbolic links resolved. */
    Path root();

    /**
     * Waits until the server has stopped, by {@link #close()} or by a fatal error.
     *
     * @throws IOException the fatal error that stopped the server (for example, the root vanished)
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void join() throws IOException, InterruptedException;

    /**
     * Stops gracefully: stops accepting, closes connections still waiting for their request or a place,
     * lets replies in flight finish for up to the grace period, then closes the rest.
     * Idempotent; returns once the server has stopped.
     */
    @Override
    void close();
}
