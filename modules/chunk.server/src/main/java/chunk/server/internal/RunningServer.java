package chunk.server.internal;

import chunk.server.FileServer;
import chunk.server.ServerConfig;
import chunk.server.internal.digests.DigestService;
import chunk.server.internal.digests.TreeCacheFolder;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/** The {@link FileServer} implementation: wires the accept loop, handler, watchdog and log together. */
public final class RunningServer implements FileServer {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    private final ServerConfig config;
    private final FileResolver resolver;
    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final ExecutorService connections = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("chunk-server-connection-", 1).factory());
    private final IdleWatchdog watchdog;
    private final Admission admission;
    private final RequestHandler handler;
    private final AccessLog accessLog;
    private final Thread acceptThread;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile @Nullable IOException failure;
    private final DigestService digests;

    private RunningServer(ServerConfig config, Path realRoot, ServerSocketChannel listener, @Nullable Consumer<String> accessLog,
                          LongSupplier waitingClock, @Nullable TreeCacheFolder cacheFolder) throws IOException {
        this.config = config;
        this.resolver = new FileResolver(realRoot);
        this.listener = listener;
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.accessLog = new AccessLog(accessLog);
        int maxConnections = OpenFileLimit.maxConnections(config);
        // Above their addresses' limits, connections may take up half of the server's room, never all of it.
        WaitingRoom<Connection> waiting = new WaitingRoom<>(config.maxWaitingPerAddress(), maxConnections / 2, waitingClock);
        this.admission = new Admission(config.maxClients(), config.headerTimeout().toNanos(), waiting);
        // Its threads start here: nothing after this line throws, so none is left running by a failed start.
        this.digests = DigestService.create(cacheFolder, () -> admission.freePlaces() < config.maxClients());
        this.handler = new RequestHandler(resolver, admission, config.rateLimit(),
                config.totalRateLimit() == 0 ? SharedBandwidth.UNLIMITED : new SharedBandwidth(config.totalRateLimit(), PaceClock.SYSTEM),
                this::checkRoot, config.headerTimeout(), config.idleTimeout(), digests);
        Duration shortest = config.headerTimeout().compareTo(config.idleTimeout()) < 0 ? config.headerTimeout() : config.idleTimeout();
        this.watchdog = new IdleWatchdog(shortest, this::tick);
        AcceptLoop loop = new AcceptLoop(listener, maxConnections, connections, this::serve, this::fail);
        this.acceptThread = Thread.ofPlatform().name("chunk-server-accept").unstarted(loop);
    }

    /** See {@link FileServer#start(ServerConfig, Consumer)}; a null {@code accessLog} means no log. */
    public static FileServer start(ServerConfig config, @Nullable Consumer<String> accessLog) throws IOException {
        return start(config, accessLog, System::nanoTime);
    }

    /**
     * Starts a server whose waiting room measures how long a connection has been silent by
     * {@code waitingClock}, so that a test can move that time on instead of sleeping.
     */
    static RunningServer start(ServerConfig config, @Nullable Consumer<String> accessLog, LongSupplier waitingClock)
            throws IOException {
        Path root = config.root().toAbsolutePath();
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "no such folder");
        }
        if (!Files.isDirectory(root)) {
            throw new NotDirectoryException(root.toString());
        }
        Path realRoot = root.toRealPath();
        // Before the port is taken: a folder that cannot be used stops the start with nothing to undo.
        TreeCacheFolder cacheFolder = config.digestCache() == null ? null
                : TreeCacheFolder.open(config.digestCache(), realRoot, config.digestCacheBytes());
        ServerSocketChannel listener = ServerSocketChannel.open();
        RunningServer server;
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            InetSocketAddress local = config.bindAddress() == null
                    ? new InetSocketAddress(config.port())
                    : new InetSocketAddress(config.bindAddress(), config.port());
            listener.bind(local, config.backlog());
            server = new RunningServer(config, realRoot, listener, accessLog, waitingClock, cacheFolder);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        server.acceptThread.start();
        if (config.backgroundHashing()) {
            server.digests.hashFolderInBackground(realRoot, name -> server.resolver.resolve(name) instanceof FileResolver.Resolution.Found(Path real)
                    ? Optional.of(real) : Optional.empty());
        }
        return server;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public Path root() {
        return resolver.root();
    }

    /** Transfer places free now, for tests. */
    int freePlaces() {
        return admission.freePlaces();
    }

    /** Connections from {@code address} waiting for a request now, for tests. */
    int waitingFrom(InetAddress address) {
        return admission.waitingFrom(address);
    }

    @Override
    public void join() throws IOException, InterruptedException {
        stopped.await();
        IOException fatal = failure;
        if (fatal != null) {
            throw fatal;
        }
    }

    /**
     * Serves one connection: its one request, or, once it is kept open, request after request
     * until the client hangs up, a limit closes it, or the server stops. Between two requests
     * it holds no transfer place and counts again as waiting against its address.
     */
    private void serve(SocketChannel channel) {
        sendAtOnce(channel);
        Connection connection = new Connection(channel, config.headerTimeout().toNanos(), config.idleTimeout().toNanos());
        connection.onDeadlineMoved(() -> watchdog.rearm(connection));
        watchdog.watch(connection);
        try (connection) {
            if (stopping.get()) {
                return;
            }
            for (boolean another = admitted(connection); another; another = admitted(connection)) {
                RequestHandler.Served served = handler.serve(connection);
                admission.releasePlace(connection);
                if (served.entry() != null) {
                    accessLog.record(served.entry());
                }
                if (!served.another()) {
                    break;
                }
                connection.awaitNextRequest();
                // After the phase is set, so that close() either sees this connection idle or this sees close() started.
                if (stopping.get()) {
                    break;
                }
            }
            connection.phase(Connection.Phase.CLOSING);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the access log failed: " + e);
        } finally {
            admission.release(connection);
            watchdog.unwatch(connection);
        }
    }

    /**
     * Turns Nagle's algorithm off. A reply is a header and then the file's bytes, two sends; with
     * Nagle on, a last segment shorter than a full one waits until the client has acknowledged
     * the header, and a client with nothing to send acknowledges only after its delayed-ack timer
     * (40 ms on Linux). A 1 KiB download took 43 ms in its data phase that way, and 0.3 ms without
     * (docs/BENCHMARKS.md, "Start-up: a 40 ms wait, and what the JVM makes at run time").
     */
    private static void sendAtOnce(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            // The client is already gone; serving the connection finds that out and says so.
        }
    }

    /** Counts the connection as waiting for its request; if the server has no room for it to wait, tells it so and logs it. */
    private boolean admitted(Connection connection) {
        if (admission.startWaiting(connection)) {
            return true;
        }
        accessLog.record(handler.turnAway(connection));
        return false;
    }

    /** Run by the watchdog a few times a second at most: what no single connection's timer sees. */
    private void tick() {
        checkRoot();
        admission.evictOverLimit();
    }

    private void checkRoot() {
        if (!stopping.get() && !resolver.rootExists()) {
            fail(new NoSuchFileException(resolver.root().toString(), null, "the served folder is gone"));
        }
    }

    /** Stops the server because of an error that is not one client's. */
    private void fail(IOException error) {
        if (failure == null) {
            failure = error;
        }
        // Not on the watchdog's or accept thread: close() waits for them.
        Thread.ofPlatform().name("chunk-server-stop").start(this::close);
    }

    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        try {
            closeListener();
            acceptThread.interrupt();
            // Connections still waiting for their request or a place have nothing in flight: close them now.
            // So are kept-open connections between two requests; one still answering ends after its reply.
            for (Connection connection : watchdog.connections()) {
                if (connection.phase() == Connection.Phase.AWAITING_REQUEST
                        || connection.phase() == Connection.Phase.AWAITING_PLACE) {
                    connection.closeForShutdown();
                }
            }
            connections.shutdown();
            if (!awaitConnections(config.gracePeriod().toNanos())) {
                LOG.log(Level.INFO, "grace period over: closing the connections still open");
                watchdog.connections().forEach(Connection::closeForShutdown);
                connections.shutdownNow();
                awaitConnections(TimeUnit.SECONDS.toNanos(2));
            }
            joinAcceptThread();
        } finally {
            watchdog.close();
            digests.close();
            stopped.countDown();
        }
    }

    private boolean awaitConnections(long nanos) {
        try {
            return connections.awaitTermination(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void joinAcceptThread() {
        if (Thread.currentThread() == acceptThread) {
            return;
        }
        try {
            acceptThread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeListener() {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "closing the listener: " + e);
        }
    }
}
