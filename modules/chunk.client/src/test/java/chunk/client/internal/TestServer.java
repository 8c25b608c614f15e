package chunk.client.internal;

import chunk.client.ServerAddress;
import chunk.wire.ByteRange;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import chunk.wire.MalformedFrameException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chunk server for tests, on 127.0.0.1 and a free port. By default it serves the files of a
 * folder correctly; a {@link Fault} makes it misbehave in one chosen way. It records every
 * request it reads. It speaks version 1 only, like the original: a keep-open is answered
 * {@code bad packet type error}. Close it to stop it and every connection it holds.
 */
public final class TestServer implements AutoCloseable {

    /** How the server answers a request; the default is {@link #honest()}. */
    @FunctionalInterface
    public interface Fault {
        void answer(Frame.Request request, SocketChannel client, TestServer server) throws IOException;
    }

    private final Path root;
    private final Fault fault;
    private final ServerSocketChannel listener;
    private final Thread acceptor;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final Queue<Frame.Request> requests = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger unknownTypes = new AtomicInteger();

    private TestServer(Path root, Fault fault) throws IOException {
        this.root = root;
        this.fault = fault;
        this.listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        this.acceptor = Thread.ofVirtual().name("test-server").start(this::acceptUntilClosed);
    }

    /** A correct server for the files in {@code root}. */
    public static TestServer serving(Path root) throws IOException {
        return new TestServer(root, honest());
    }

    /** A server for the files in {@code root} that answers as {@code fault} says. */
    public static TestServer serving(Path root, Fault fault) throws IOException {
        return new TestServer(root, fault);
    }

    /** An address where nothing listens: a port that was free a moment ago. */
    public static ServerAddress down() throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new ServerAddress("127.0.0.1", ((InetSocketAddress) probe.getLocalAddress()).getPort());
        }
    }

    public ServerAddress address() {
        try {
            return new ServerAddress("127.0.0.1", ((InetSocketAddress) listener.getLocalAddress()).getPort());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every request read so far, in order. */
    public List<Frame.Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests of a packet type it does not know (a keep-open, say), answered as the original does. */
    public int unknownTypes() {
        return unknownTypes.get();
    }

    /** The chunk requests read so far. */
    public List<Frame.ChunkRequest> chunkRequests() {
        return requests.stream().filter(Frame.ChunkRequest.class::isInstance).map(Frame.ChunkRequest.class::cast).toList();
    }

    private void acceptUntilClosed() {
        while (listener.isOpen()) {
            try {
                SocketChannel client = listener.accept();
                clients.add(client);
                Thread.ofVirtual().name("test-server-connection").start(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            Frame.Request request;
            try {
                request = FrameDecoder.readRequest(client);
            } catch (MalformedFrameException e) {
                // As the original server answers a packet type it does not know, KEEP-OPEN (3) included.
                if (e.problem() == MalformedFrameException.Problem.UNKNOWN_TYPE) {
                    unknownTypes.incrementAndGet();
                    FrameEncoder.write(new Frame.ErrorReply("bad packet type error"), client);
                }
                return;
            }
            requests.add(request);
            fault.answer(request, client, this);
        } catch (IOException e) {
            // the client went away or the test closed the server: nothing to answer
        } finally {
            clients.remove(client);
        }
    }

    /** Blocks a hanging fault until the server closes. */
    void awaitClose() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        listener.close();
        for (SocketChannel client : clients) {
            client.close();
        }
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- faults -------------------------------------------------------------------------

    /** Serves the files of the root correctly: ERROR for a missing file or a range past its end. */
    public static Fault honest() {
        return (request, client, server) -> {
            Path file = server.root.resolve(request.fileName()).normalize();
            if (!file.startsWith(server.root) || !Files.isRegularFile(file)) {
                FrameEncoder.write(new Frame.ErrorReply("stat error"), client);
                return;
            }
            switch (request) {
                case Frame.SizeRequest _ -> FrameEncoder.write(new Frame.SizeReply(Files.size(file)), client);
                case Frame.ChunkRequest chunk -> {
                    if (chunk.range().end() > Files.size(file)) {
                        FrameEncoder.write(new Frame.ErrorReply("range past the end"), client);
                        return;
                    }
                    FrameEncoder.write(new Frame.ChunkReply(chunk.range()), client);
                    sendData(file, chunk.range(), client);
                }
                // As the original server: version 1 only.
                case Frame.DigestRequest _ -> FrameEncoder.write(new Frame.ErrorReply("bad packet type error"), client);
            }
        };
    }

    /** Answers every request with ERROR and {@code reason}. */
    public static Fault error(String reason) {
        return (request, client, server) -> FrameEncoder.write(new Frame.ErrorReply(reason), client);
    }

    /** Answers sizes honestly; sends the header and {@code fraction} of each chunk, then closes. */
    public static Fault closesMidChunk(double fraction) {
        return (request, client, server) -> {
            if (request instanceof Frame.ChunkRequest chunk) {
                FrameEncoder.write(new Frame.ChunkReply(chunk.range()), client);
                long part = (long) (chunk.range().length() * fraction);
                sendData(server.root.resolve(chunk.fileName()), new ByteRange(chunk.range().offset(), part), client);
            } else {
                honest().answer(request, client, server);
            }
        };
    }

    /** Answers sizes honestly; reads chunk requests and never answers them (nor closes). */
    public static Fault hangsOnChunks() {
        return (request, client, server) -> {
            if (request instanceof Frame.ChunkRequest) {
                server.awaitClose();
            } else {
                honest().answer(request, client, server);
            }
        };
    }

    /** Reads every request and never answers it. */
    public static Fault hangsOnEverything() {
        return (request, client, server) -> server.awaitClose();
    }

    /** Answers chunk requests with a header for the range one byte further on, then that range's data. */
    public static Fault wrongRange() {
        return (request, client, server) -> {
            if (request instanceof Frame.ChunkRequest chunk) {
                ByteRange shifted = new ByteRange(chunk.range().offset() + 1, chunk.range().length());
                FrameEncoder.write(new Frame.ChunkReply(shifted), client);
                sendData(server.root.resolve(chunk.fileName()), shifted.clampTo(Files.size(server.root.resolve(chunk.fileName()))), client);
            } else {
                honest().answer(request, client, server);
            }
        };
    }

    /** Answers the size {@code extra} bytes larger; past the real end, promises data it never sends, like the original. */
    public static Fault liesAboutSize(long extra) {
        return (request, client, server) -> {
            Path file = server.root.resolve(request.fileName());
            switch (request) {
                case Frame.SizeRequest _ -> FrameEncoder.write(new Frame.SizeReply(Files.size(file) + extra), client);
                case Frame.ChunkRequest chunk -> {
                    FrameEncoder.write(new Frame.ChunkReply(chunk.range()), client);
                    sendData(file, chunk.range().clampTo(Files.size(file)), client);
                }
                case Frame.DigestRequest _ -> FrameEncoder.write(new Frame.ErrorReply("bad packet type error"), client);
            }
        };
    }

    private static void sendData(Path file, ByteRange range, SocketChannel client) throws IOException {
        try (FileChannel data = FileChannel.open(file, StandardOpenOption.READ)) {
            long sent = 0;
            while (sent < range.length()) {
                long n = data.transferTo(range.offset() + sent, range.length() - sent, client);
                if (n <= 0) {
                    return; // past the end of the file
                }
                sent += n;
            }
        }
    }
}
