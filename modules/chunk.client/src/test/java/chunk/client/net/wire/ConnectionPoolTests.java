package chunk.client.net.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.net.MirrorException;
import chunk.client.net.StallWatchdog;
import chunk.client.testing.TestServer;
import chunk.server.FileServer;
import chunk.server.ServerConfig;
import chunk.wire.ByteRange;
import chunk.wire.Digest;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConnectionPool} against a real myserver, a version-1 server, and servers that misbehave, on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionPoolTests {

    static final byte[] HELLO = "hello, chunked world!\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;
    byte[] data;
    StallWatchdog watchdog;
    ConnectionPool pool;
    final WireVersions versions = new WireVersions();
    /** The pool's clock, which the tests move instead of sleeping. */
    final AtomicLong now = new AtomicLong();
    final List<AutoCloseable> toClose = new ArrayList<>();
    final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void setUp() throws IOException {
        data = new byte[1 << 20];
        new Random(15).nextBytes(data);
        Files.write(root.resolve("data.bin"), data);
        Files.write(root.resolve("hello.txt"), HELLO);
        watchdog = new StallWatchdog(Duration.ofSeconds(20));
        pool = new ConnectionPool(Duration.ofSeconds(5), watchdog, 8, versions, now::get);
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.close();
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
        watchdog.close();
    }

    ServerAddress.HostPort myserver(ServerConfig config) throws IOException {
        FileServer server = FileServer.start(config, line -> {
            synchronized (log) {
                log.add(line);
                log.notifyAll();
            }
        });
        toClose.add(server);
        return ServerAddress.of("127.0.0.1", server.address().getPort());
    }

    ServerAddress.HostPort myserver() throws IOException {
        return myserver(ServerConfig.builder(root).bindAddress(InetAddress.getLoopbackAddress()).build());
    }

    /**
     * The access log once it has {@code lines} lines, or after 10 s: myserver writes a request's
     * line after sending its reply, so the last lines may still be on their way when the client
     * has read everything.
     */
    List<String> logOnceItHas(int lines) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (log) {
            while (log.size() < lines && System.nanoTime() < deadline) {
                log.wait(100);
            }
            return List.copyOf(log);
        }
    }

    /** Client ports seen in the access log: one per connection. */
    long connectionsLogged() {
        return log.stream().map(line -> line.split(" ")[1]).distinct().count();
    }

    /** Asks for a chunk and reads all of its data. */
    static byte[] chunk(PooledConnection connection, long offset, int length) throws Exception {
        Frame.Reply reply = connection.ask(new Frame.ChunkRequest("data.bin", new ByteRange(offset, length)));
        assertThat(reply).isEqualTo(new Frame.ChunkReply(new ByteRange(offset, length)));
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (connection.read(buffer) < 0) {
                throw new IOException("ended early");
            }
        }
        return buffer.array();
    }

    byte[] expected(long offset, int length) {
        return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
    }

    @Nested
    class WithMyserver {

        @Test
        void hundredsOfRequestsInTurnShareOneConnectionAndEveryByteIsRight() throws Exception {
            ServerAddress.HostPort server = myserver();

            for (int i = 0; i < 300; i++) {
                try (PooledConnection connection = pool.connection(server)) {
                    switch (i % 3) {
                        case 0 -> assertThat(chunk(connection, i * 3000L, 3000)).isEqualTo(expected(i * 3000L, 3000));
                        case 1 -> assertThat(connection.ask(new Frame.SizeRequest("data.bin"))).isEqualTo(new Frame.SizeReply(data.length));
                        // Kept open at version 2: the digest tree, whose root for a file of one block is its SHA-256.
                        default -> assertThat(connection.ask(new Frame.DigestRequest("hello.txt", 0, 16384)))
                                .isEqualTo(new Frame.DigestReply(0, HELLO.length, Digest.of(HELLO), List.of(Digest.of(HELLO))));
                    }
                    assertThat(connection.reused()).isEqualTo(i > 0);
                }
            }

            assertThat(pool.opened()).isEqualTo(1);
            assertThat(pool.speaks(server)).isEqualTo(ConnectionPool.Speaks.KEEP_OPEN);
            assertThat(connectionsLogged()).isEqualTo(1);
        }

        @Test
        void concurrentUsersOpenNoMoreConnectionsThanAreInUseAtOnce() throws Exception {
            ServerAddress.HostPort server = myserver();
            int users = 8;
            int requestsEach = 50;
            int length = 2048; // all of them inside the 1 MiB file
            List<Future<?>> done = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int user = 0; user < users; user++) {
                    int first = user * requestsEach;
                    done.add(threads.submit(() -> {
                        for (int i = first; i < first + requestsEach; i++) {
                            long offset = (long) i * length;
                            try (PooledConnection connection = pool.connection(server)) {
                                assertThat(chunk(connection, offset, length)).isEqualTo(expected(offset, length));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get();
                }
            }

            assertThat(pool.opened()).isBetween(1, users);
            int expected = users * requestsEach + pool.opened(); // each connection's KEEP-OPEN, then its requests
            assertThat(logOnceItHas(expected)).hasSize(expected);
        }

        @Test
        void anErrorReplyClosesTheConnectionInsteadOfReusingIt() throws Exception {
            ServerAddress.HostPort server = myserver();
            try (PooledConnection connection = pool.connection(server)) {
                assertThat(connection.ask(new Frame.SizeRequest("missing.txt"))).isEqualTo(new Frame.ErrorReply("no such file"));
            }

            try (PooledConnection connection = pool.connection(server)) {
                assertThat(connection.reused()).isFalse();
                assertThat(connection.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));
            }

            assertThat(pool.opened()).isEqualTo(2);
        }

        @Test
        void aChunkReplyLeftPartWayIsNeverReused() throws Exception {
            ServerAddress.HostPort server = myserver();
            try (PooledConnection connection = pool.connection(server)) {
                connection.ask(new Frame.ChunkRequest("data.bin", new ByteRange(0, 100_000)));
                connection.read(ByteBuffer.allocate(10));
            }

            try (PooledConnection connection = pool.connection(server)) {
                assertThat(connection.reused()).isFalse();
                assertThat(chunk(connection, 5, 100)).isEqualTo(expected(5, 100));
            }

            assertThat(pool.opened()).isEqualTo(2);
            assertThat(pool.idle(server)).isEqualTo(1);
        }

        @Test
        void closingAUseFromAnotherThreadStopsItsReaderAndTheConnectionIsNotReused() throws Exception {
            ServerAddress.HostPort server = myserver(ServerConfig.builder(root).bindAddress(InetAddress.getLoopbackAddress())
                    .rateLimit(64 * 1024).build());
            PooledConnection connection = pool.connection(server);
            connection.ask(new Frame.ChunkRequest("data.bin", new ByteRange(0, data.length)));
            connection.read(ByteBuffer.allocate(1));

            Thread.ofVirtual().start(connection::close).join();

            assertThatThrownBy(() -> connection.read(ByteBuffer.allocate(1000))).isInstanceOf(MirrorException.class);
            connection.close(); // a second close, as try-with-resources does: nothing more happens
            assertThat(pool.idle(server)).isZero();
        }

        @Test
        void aReadNeverGoesPastTheEndOfTheReplysData() throws Exception {
            ServerAddress.HostPort server = myserver();
            try (PooledConnection connection = pool.connection(server)) {
                connection.ask(new Frame.ChunkRequest("hello.txt", new ByteRange(7, 7)));
                ByteBuffer big = ByteBuffer.allocate(1000);
                while (connection.read(big) >= 0) {
                    // until the reply's data ends
                }
                assertThat(big.position()).isEqualTo(7);
            }

            try (PooledConnection connection = pool.connection(server)) {
                assertThat(connection.reused()).isTrue();
                assertThat(connection.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));
            }
        }

        @Test
        void aConnectionIdleForHalfTheServersWaitIsNotReused() throws Exception {
            ServerAddress.HostPort server = myserver(ServerConfig.builder(root).bindAddress(InetAddress.getLoopbackAddress())
                    .headerTimeout(Duration.ofMillis(400)).build());
            try (PooledConnection connection = pool.connection(server)) {
                connection.ask(new Frame.SizeRequest("hello.txt"));
            }
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(150));
            try (PooledConnection connection = pool.connection(server)) {
                assertThat(connection.reused()).as("idle for less than half the server's wait").isTrue();
                connection.ask(new Frame.SizeRequest("hello.txt"));
            }

            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));

            try (PooledConnection connection = pool.connection(server)) {
                assertThat(connection.reused()).isFalse();
                assertThat(connection.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));
            }
            assertThat(pool.opened()).isEqualTo(2);
        }

        @Test
        void aConnectionIdleForHalfTheStallTimeoutIsNotReusedEvenIfTheServerWouldWait() throws Exception {
            ServerAddress.HostPort server = myserver();
            try (StallWatchdog quick = new StallWatchdog(Duration.ofMillis(400));
                    ConnectionPool impatient = new ConnectionPool(Duration.ofSeconds(5), quick, 8, versions, now::get)) {
                try (PooledConnection connection = impatient.connection(server)) {
                    connection.ask(new Frame.SizeRequest("hello.txt"));
                }

                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));

                try (PooledConnection connection = impatient.connection(server)) {
                    assertThat(connection.reused()).isFalse();
                    assertThat(connection.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));
                }
            }
        }

        @Test
        void closingThePoolClosesItsIdleConnectionsAndThoseGivenBackLater() throws Exception {
            ServerAddress.HostPort server = myserver();
            PooledConnection inUse = pool.connection(server);
            try (PooledConnection other = pool.connection(server)) {
                other.ask(new Frame.SizeRequest("hello.txt"));
            }
            inUse.ask(new Frame.SizeRequest("hello.txt"));
            assertThat(pool.idle(server)).isEqualTo(1);

            pool.close();
            inUse.close();

            assertThat(pool.idle(server)).isZero();
        }

        @Test
        void keepsNoMoreIdleConnectionsPerServerThanItsLimit() throws Exception {
            ServerAddress.HostPort server = myserver();
            List<PooledConnection> many = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                PooledConnection connection = pool.connection(server);
                connection.ask(new Frame.SizeRequest("hello.txt"));
                many.add(connection);
            }

            many.forEach(PooledConnection::close);

            assertThat(pool.idle(server)).isEqualTo(8);
        }
    }

    @Nested
    class WithVersionOneServers {

        @Test
        void aServerThatAnswersKeepOpenWithAnErrorGetsOneRequestPerConnectionForTheRestOfTheRun() throws Exception {
            TestServer original = TestServer.serving(root);
            toClose.add(original);

            for (int i = 0; i < 5; i++) {
                try (PooledConnection connection = pool.connection(original.address())) {
                    assertThat(connection.keptOpen()).isFalse();
                    assertThat(chunk(connection, i * 100L, 100)).isEqualTo(expected(i * 100L, 100));
                }
            }

            assertThat(original.unknownTypes()).as("asked once, then remembered").isEqualTo(1);
            assertThat(versions.refusesKeepOpen(original.address())).isTrue();
            assertThat(original.chunkRequests()).hasSize(5);
            assertThat(pool.speaks(original.address())).isEqualTo(ConnectionPool.Speaks.VERSION_1);
            assertThat(pool.opened()).isEqualTo(1 + 5);
        }

        @Test
        void whatARunLearntOutlivesThePoolOfOneFile() throws Exception {
            TestServer original = TestServer.serving(root);
            toClose.add(original);
            try (PooledConnection connection = pool.connection(original.address())) {
                connection.ask(new Frame.SizeRequest("hello.txt"));
            }
            pool.close();

            try (ConnectionPool next = new ConnectionPool(Duration.ofSeconds(5), watchdog, 8, versions);
                    PooledConnection connection = next.connection(original.address())) {
                assertThat(connection.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));
                assertThat(next.opened()).isEqualTo(1);
            }
            assertThat(original.unknownTypes()).isEqualTo(1);
        }

        @Test
        void aServerThatHangsUpOnAKeepOpenIsVersionOneToo() throws Exception {
            ServerAddress.HostPort server = rawServer(client -> {
                Frame.Opening first = FrameDecoder.readOpening(client);
                if (first instanceof Frame.SizeRequest) {
                    FrameEncoder.write(new Frame.SizeReply(HELLO.length), client);
                }
            });

            try (PooledConnection connection = pool.connection(server)) {
                assertThat(connection.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));
            }

            assertThat(pool.speaks(server)).isEqualTo(ConnectionPool.Speaks.VERSION_1);
        }

        @Test
        void serverBusyAnsweredToAKeepOpenIsAPassingFailureNotVersionOne() throws Exception {
            ServerAddress.HostPort server = rawServer(client -> {
                FrameDecoder.readOpening(client);
                FrameEncoder.write(new Frame.ErrorReply(Frame.ErrorReply.SERVER_BUSY), client);
            });

            assertThatThrownBy(() -> pool.connection(server)).isInstanceOfSatisfying(MirrorException.class,
                    e -> assertThat(e.kind()).isEqualTo(ServerFailure.Kind.BUSY));
            assertThat(pool.speaks(server)).isEqualTo(ConnectionPool.Speaks.UNKNOWN);
            assertThat(versions.refusesKeepOpen(server)).isFalse();
        }

        @Test
        void anAgreementAtAVersionNotAskedForIsNoAgreement() throws Exception {
            ServerAddress.HostPort server = rawServer(client -> {
                if (FrameDecoder.readOpening(client) instanceof Frame.KeepOpenRequest) {
                    FrameEncoder.write(new Frame.KeepOpenReply(5000, Frame.KEEP_OPEN_TREE_VERSION + 1), client);
                } else {
                    FrameEncoder.write(new Frame.SizeReply(HELLO.length), client);
                }
            });

            try (PooledConnection connection = pool.connection(server)) {
                assertThat(connection.keptOpen()).isFalse();
                assertThat(connection.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));
            }

            assertThat(pool.speaks(server)).isEqualTo(ConnectionPool.Speaks.VERSION_1);
        }

        @Test
        void aServerThatSaysNothingToAKeepOpenFailsAtTheStallTimeoutAndTeachesNothing() throws Exception {
            AtomicInteger connections = new AtomicInteger();
            ServerAddress.HostPort silent = rawServer(client -> {
                connections.incrementAndGet();
                client.read(ByteBuffer.allocate(100));
                client.read(ByteBuffer.allocate(100)); // until the client gives up
            });
            try (StallWatchdog quick = new StallWatchdog(Duration.ofMillis(200));
                    ConnectionPool impatient = new ConnectionPool(Duration.ofSeconds(5), quick, 8, versions)) {

                assertThatThrownBy(() -> impatient.connection(silent)).isInstanceOfSatisfying(MirrorException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServerFailure.Kind.STALLED))
                        .hasMessageContaining("stall timeout");

                assertThat(impatient.speaks(silent)).isEqualTo(ConnectionPool.Speaks.UNKNOWN);
                assertThat(connections.get()).isEqualTo(1);
            }
        }

        @Test
        void aServerThatCannotBeReachedTeachesNothing() throws Exception {
            ServerAddress.HostPort down = TestServer.down();

            assertThatThrownBy(() -> pool.connection(down)).isInstanceOfSatisfying(MirrorException.class,
                    e -> assertThat(e.kind()).isEqualTo(ServerFailure.Kind.REFUSED));

            assertThat(pool.speaks(down)).isEqualTo(ConnectionPool.Speaks.UNKNOWN);
        }
    }

    @Nested
    class ConnectionsTheServerClosed {

        @Test
        void aRequestOnAReusedConnectionThatTheServerClosedIsSentAgainOnANewOne() throws Exception {
            AtomicInteger connections = new AtomicInteger();
            // Agrees to keep connections open, with a long wait, but closes each after one request.
            ServerAddress.HostPort server = rawServer(client -> {
                connections.incrementAndGet();
                if (FrameDecoder.readOpening(client) instanceof Frame.KeepOpenRequest) {
                    FrameEncoder.write(new Frame.KeepOpenReply(60_000, 1), client);
                    FrameDecoder.readRequest(client);
                    FrameEncoder.write(new Frame.SizeReply(HELLO.length), client);
                }
            });
            try (PooledConnection connection = pool.connection(server)) {
                connection.ask(new Frame.SizeRequest("hello.txt"));
            }

            try (PooledConnection connection = pool.connection(server)) {
                assertThat(connection.reused()).isTrue();
                assertThat(connection.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));
                assertThat(connection.reused()).isFalse();
            }

            assertThat(connections.get()).isEqualTo(2);
            assertThat(pool.speaks(server)).isEqualTo(ConnectionPool.Speaks.KEEP_OPEN);
        }

        @Test
        void aReplyCutOffOnAReusedConnectionIsTheServersFailureNotARetry() throws Exception {
            AtomicInteger connections = new AtomicInteger();
            // The second request gets half a header, then the connection ends.
            ServerAddress.HostPort server = rawServer(client -> {
                connections.incrementAndGet();
                FrameDecoder.readOpening(client);
                FrameEncoder.write(new Frame.KeepOpenReply(60_000, 1), client);
                FrameDecoder.readRequest(client);
                FrameEncoder.write(new Frame.SizeReply(HELLO.length), client);
                FrameDecoder.readRequest(client);
                client.write(ByteBuffer.wrap(new byte[10]));
            });
            try (PooledConnection connection = pool.connection(server)) {
                connection.ask(new Frame.SizeRequest("hello.txt"));
            }

            try (PooledConnection connection = pool.connection(server)) {
                assertThatThrownBy(() -> connection.ask(new Frame.SizeRequest("hello.txt"))).isInstanceOfSatisfying(
                        MirrorException.class, e -> assertThat(e.kind()).isEqualTo(ServerFailure.Kind.CLOSED));
            }

            assertThat(connections.get()).isEqualTo(1);
        }
    }

    /** What a raw test server does with each connection, which it closes afterwards. */
    @FunctionalInterface
    interface Script {
        void run(SocketChannel client) throws IOException;
    }

    /** A server on loopback that runs {@code script} on every connection, each on its own virtual thread. */
    ServerAddress.HostPort rawServer(Script script) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        toClose.add(listener);
        Thread.ofVirtual().start(() -> {
            while (listener.isOpen()) {
                try {
                    SocketChannel client = listener.accept();
                    Thread.ofVirtual().start(() -> {
                        try (client) {
                            script.run(client);
                        } catch (IOException e) {
                            // the client went away: nothing more to do
                        }
                    });
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
        return ServerAddress.of("127.0.0.1", ((InetSocketAddress) listener.getLocalAddress()).getPort());
    }
}
