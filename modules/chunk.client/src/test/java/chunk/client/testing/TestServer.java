package chunk.client.testing;

import chunk.client.ServerAddress;
import chunk.wire.ByteRange;
import chunk.wire.Digest;
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
    private final java.util.concurrent.atomic.AtomicLong dataSent = new java.util.concurrent.atomic.AtomicLong();

    /** Whether it agrees to keep connections open, at KEEP-OPEN version 2, as a myserver of this round does. */
    private final boolean keepsOpen;

    private TestServer(Path root, Fault fault) throws IOException {
        this(root, fault, false);
    }

    private TestServer(Path root, Fault fault, boolean keepsOpen) throws IOException {
        this.root = root;
        this.fault = fault;
        this.keepsOpen = keepsOpen;
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

    /**
     * A server of this round for the files in {@code root}: it agrees to keep connections open
     * at KEEP-OPEN version 2 (where DIGESTS answers from the digest tree, see
     * {@link #withTreeDigests()}) and answers request after request on one, as {@code fault} says.
     */
    public static TestServer keepingOpen(Path root, Fault fault) throws IOException {
        return new TestServer(root, fault, true);
    }

    /** An address where nothing listens: a port that was free a moment ago. */
    public static ServerAddress.HostPort down() throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return ServerAddress.of("127.0.0.1", ((InetSocketAddress) probe.getLocalAddress()).getPort());
        }
    }

    public ServerAddress.HostPort address() {
        try {
            return ServerAddress.of("127.0.0.1", ((InetSocketAddress) listener.getLocalAddress()).getPort());
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
            if (keepsOpen) {
                serveKeptOpen(client);
                return;
            }
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

    /** A connection that opens with KEEP-OPEN: agreed at version 2, then one request after another until the client closes it. */
    private void serveKeptOpen(SocketChannel client) throws IOException {
        Frame.Opening first = FrameDecoder.readOpening(client);
        if (!(first instanceof Frame.KeepOpenRequest)) {
            requests.add((Frame.Request) first);
            fault.answer((Frame.Request) first, client, this);
            return;
        }
        FrameEncoder.write(new Frame.KeepOpenReply(5_000, Frame.KEEP_OPEN_TREE_VERSION), client);
        while (client.isOpen()) {
            Frame.Request request;
            try {
                request = FrameDecoder.readRequest(client);
            } catch (MalformedFrameException e) {
                return; // the client closed the connection between two requests
            }
            requests.add(request);
            fault.answer(request, client, this);
        }
    }

    /** Blocks a hanging fault until the server closes. */
    public void awaitClose() {
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

    /** The bytes of file data this server has sent so far, on every connection. */
    public long dataSent() {
        return dataSent.get();
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
                    server.sendData(file, chunk.range(), client);
                }
                // As the original server: version 1 only.
                case Frame.DigestRequest _ -> FrameEncoder.write(new Frame.ErrorReply("bad packet type error"), client);
            }
        };
    }

    /** As {@link #honest()}, and answers DIGESTS too, as chunk's own server does. */
    public static Fault withDigests() {
        return (request, client, server) -> {
            if (request instanceof Frame.DigestRequest digests) {
                answerDigests(digests, server.root.resolve(request.fileName()), client);
            } else {
                honest().answer(request, client, server);
            }
        };
    }

    /**
     * As {@link #withDigests()}, but DIGESTS answers from the file's digest tree (BEP 52), as
     * a myserver of this round does on a connection kept open at version 2: for a
     * {@link #keepingOpen} server.
     */
    public static Fault withTreeDigests() {
        return (request, client, server) -> {
            if (request instanceof Frame.DigestRequest digests) {
                answerTreeDigests(digests, server.root.resolve(request.fileName()), client);
            } else {
                honest().answer(request, client, server);
            }
        };
    }

    /** Answers a digest request from the file's digest tree as it is now. */
    static void answerTreeDigests(Frame.DigestRequest request, Path file, SocketChannel client) throws IOException {
        if (!Files.isRegularFile(file)) {
            FrameEncoder.write(new Frame.ErrorReply(Frame.ErrorReply.NO_SUCH_FILE), client);
            return;
        }
        byte[] bytes = Files.readAllBytes(file);
        chunk.wire.tree.TreeHasher hasher = new chunk.wire.tree.TreeHasher(bytes.length);
        hasher.update(bytes, 0, bytes.length);
        chunk.wire.tree.DigestTree tree = hasher.finish();
        long pieces = tree.pieceCount(request.pieceLength());
        if (request.firstPiece() > pieces) {
            FrameEncoder.write(new Frame.ErrorReply("bad digest request: first piece past the end"), client);
            return;
        }
        int count = (int) Math.min(Frame.MAX_DIGESTS_PER_REPLY, pieces - request.firstPiece());
        FrameEncoder.write(new Frame.DigestReply(request.firstPiece(), bytes.length, tree.root(),
                tree.pieces(request.pieceLength(), request.firstPiece(), count)), client);
    }

    /** Digests by file version (path, size, modification time) and piece length, as a server caches them. */
    private static final java.util.Map<String, List<Digest>> DIGESTS = new ConcurrentHashMap<>();

    /** Answers a digest request from the file as it is now. */
    static void answerDigests(Frame.DigestRequest request, Path file, SocketChannel client) throws IOException {
        if (!Files.isRegularFile(file)) {
            FrameEncoder.write(new Frame.ErrorReply("stat error"), client);
            return;
        }
        int length = request.pieceLength();
        String version = file.toAbsolutePath() + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis()
                + " " + length;
        List<Digest> all = DIGESTS.get(version);
        long size = Files.size(file);
        if (all == null) {
            byte[] bytes = Files.readAllBytes(file);
            size = bytes.length;
            all = new java.util.ArrayList<>();
            for (int i = 0; i < (bytes.length + length - 1) / length; i++) {
                var sha256 = Digest.newSha256();
                sha256.update(bytes, i * length, Math.min(length, bytes.length - i * length));
                all.add(Digest.finish(sha256));
            }
            DIGESTS.put(version, all);
        }
        int pieces = all.size();
        if (request.firstPiece() > pieces) {
            FrameEncoder.write(new Frame.ErrorReply("bad digest request: first piece past the end"), client);
            return;
        }
        int first = (int) request.firstPiece();
        List<Digest> page = all.subList(first, Math.min(pieces, first + Frame.MAX_DIGESTS_PER_REPLY));
        FrameEncoder.write(new Frame.DigestReply(first, size, Digest.rootOf(all), page), client);
    }

    /**
     * Answers sizes and digests honestly, from the good copy, but flips one bit in the middle
     * of every chunk it sends: a damaged copy behind an honest index, or a bad connection.
     * With {@code versionOne}, answers DIGESTS with ERROR as the original server does.
     */
    public static Fault flipsABit(boolean versionOne) {
        return (request, client, server) -> {
            Path file = server.root.resolve(request.fileName());
            switch (request) {
                case Frame.ChunkRequest chunk -> {
                    FrameEncoder.write(new Frame.ChunkReply(chunk.range()), client);
                    byte[] data = new byte[(int) chunk.range().length()];
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                        channel.read(java.nio.ByteBuffer.wrap(data), chunk.range().offset());
                    }
                    data[data.length / 2] ^= 0x10;
                    java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(data);
                    while (out.hasRemaining()) {
                        client.write(out);
                    }
                }
                case Frame.DigestRequest digests when !versionOne -> answerDigests(digests, file, client);
                default -> honest().answer(request, client, server);
            }
        };
    }

    /** As {@link #withDigests()}, but sends data at about {@code bytesPerSecond}, in 16 KiB slices. */
    public static Fault paced(long bytesPerSecond) {
        return (request, client, server) -> {
            if (request instanceof Frame.ChunkRequest chunk) {
                Path file = server.root.resolve(chunk.fileName());
                FrameEncoder.write(new Frame.ChunkReply(chunk.range()), client);
                long slice = 16 << 10;
                long start = System.nanoTime();
                for (long sent = 0; sent < chunk.range().length(); sent += slice) {
                    long length = Math.min(slice, chunk.range().length() - sent);
                    server.sendData(file, new ByteRange(chunk.range().offset() + sent, length), client);
                    long due = start + (sent + length) * 1_000_000_000L / bytesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            } else {
                withDigests().answer(request, client, server);
            }
        };
    }

    /** As {@link #withDigests()}, but sends only the first {@code bytes} of each chunk, then nothing, and holds the connection. */
    public static Fault stallsAfter(long bytes) {
        return (request, client, server) -> {
            if (request instanceof Frame.ChunkRequest chunk) {
                FrameEncoder.write(new Frame.ChunkReply(chunk.range()), client);
                server.sendData(server.root.resolve(chunk.fileName()),
                        new ByteRange(chunk.range().offset(), Math.min(bytes, chunk.range().length())), client);
                server.awaitClose();
            } else {
                withDigests().answer(request, client, server);
            }
        };
    }

    /**
     * Closes the connection without a byte of reply to the first {@code requests} requests, as a
     * server does that cannot take them now; answers the rest honestly.
     */
    public static Fault dropsFirst(int requests) {
        AtomicInteger dropped = new AtomicInteger();
        return (request, client, server) -> {
            if (dropped.getAndIncrement() < requests) {
                client.close();
            } else {
                honest().answer(request, client, server);
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
                server.sendData(server.root.resolve(chunk.fileName()), new ByteRange(chunk.range().offset(), part), client);
                client.close(); // also on a connection kept open
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
                server.sendData(server.root.resolve(chunk.fileName()), shifted.clampTo(Files.size(server.root.resolve(chunk.fileName()))), client);
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
                    server.sendData(file, chunk.range().clampTo(Files.size(file)), client);
                }
                case Frame.DigestRequest _ -> FrameEncoder.write(new Frame.ErrorReply("bad packet type error"), client);
            }
        };
    }

    private void sendData(Path file, ByteRange range, SocketChannel client) throws IOException {
        // Read and write rather than transferTo: from a virtual thread that returns 0 whenever
        // the client is slow to read, and a retry loop would spin.
        try (FileChannel data = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(64 << 10);
            long sent = 0;
            while (sent < range.length()) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), range.length() - sent));
                if (data.read(buffer, range.offset() + sent) < 0) {
                    return; // past the end of the file
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    int n = client.write(buffer);
                    sent += n;
                    dataSent.addAndGet(n);
                }
            }
        }
    }
}
