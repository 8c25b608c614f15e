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
 * <p>Besides SIZE and CHUNK it answers DIGESTS: on a connection kept open at version 2, from
 * each file's digest tree (BitTorrent v2's), made once per version of the file, in the
 * background once the server listens unless {@link ServerConfig#backgroundHashing()} is off,
 * and kept in {@link ServerConfig#digestCache()} across restarts; elsewhere, flat SHA-256s of a
 * file's pieces, made when first asked for, once per version and piece length.
 */
public sealed interface FileServer extends AutoCloseable permits RunningServer {

    /**
     * Binds and starts serving, without an access log.
     *
     * @throws java.nio.file.NoSuchFileException if the root does not exist
     * @throws java.nio.file.NotDirectoryException if the root is not a folder
     * @throws java.net.BindException if the address cannot be bound (in use, not local, no permission)
     * @throws IOException if the digest cache folder is inside the served folder or cannot be made or
     *     written (its message says which), or anything else fails before the server listens
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
     * @throws IOException if the digest cache folder is inside the served folder or cannot be made or
     *     written (its message says which), or anything else fails before the server listens
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
