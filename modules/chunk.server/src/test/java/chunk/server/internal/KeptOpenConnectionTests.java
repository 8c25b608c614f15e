package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.server.LoopbackServer;
import chunk.server.ServerConfig;
import chunk.wire.ByteRange;
import chunk.wire.Digest;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Persistent connections (KEEP-OPEN, packet type 3) against a real server on loopback port 0. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeptOpenConnectionTests {

    static final byte[] HELLO = "hello, chunked world!\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;
    byte[] mebibyte;
    final LoopbackServer myserver = new LoopbackServer();
    final ConcurrentLinkedQueue<String> log = myserver.log;
    RunningServer server;
    final List<Session> sessions = new ArrayList<>();

    @BeforeEach
    void createFiles() throws IOException {
        mebibyte = new byte[1 << 20];
        new Random(15).nextBytes(mebibyte);
        Files.write(root.resolve("one.bin"), mebibyte);
        Files.write(root.resolve("hello.txt"), HELLO);
    }

    @AfterEach
    void stop() throws IOException {
        for (Session session : sessions) {
            session.close();
        }
        myserver.close();
    }

    ServerConfig.Builder loopback() {
        return LoopbackServer.loopback(root);
    }

    InetSocketAddress start(ServerConfig.Builder config) throws IOException {
        server = (RunningServer) myserver.start(config.build());
        return server.address();
    }

    Session connect(InetSocketAddress address) throws IOException {
        Session session = new Session(address);
        sessions.add(session);
        return session;
    }

    /** Polls a condition that the server makes true just after its reply, which the client cannot wait for otherwise. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        LoopbackServer.await(what, condition);
    }

    long logLines(String part) {
        return myserver.logLines(part);
    }

    /** One connection to the server, request after request, read as a client reads them. */
    static final class Session implements AutoCloseable {

        /** Generous: a safety net against hangs, never a timing assertion. */
        static final int READ_TIMEOUT_MILLIS = 20_000;

        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final ReadableByteChannel channel;

        Session(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.connect(address, READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            channel = Channels.newChannel(in);
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        Frame.KeepOpenAnswer keepOpen() throws IOException {
            send(bytes(new Frame.KeepOpenRequest(Frame.KEEP_OPEN_VERSION)));
            return FrameDecoder.readKeepOpenAnswer(channel);
        }

        Frame.Reply ask(Frame.Request request) throws IOException {
            send(bytes(request));
            return FrameDecoder.readReply(channel);
        }

        byte[] chunk(String name, long offset, long length) throws IOException {
            Frame.Reply reply = ask(new Frame.ChunkRequest(name, new ByteRange(offset, length)));
            assertThat(reply).isInstanceOf(Frame.ChunkReply.class);
            return in.readNBytes(Math.toIntExact(((Frame.ChunkReply) reply).range().length()));
        }

        /** Blocks until the server closes (true) or sends a byte (false); a reset counts as closed. */
        boolean closedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (SocketException reset) {
                return true;
            }
        }

        String localPort() {
            return ":" + socket.getLocalPort() + " ";
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static byte[] bytes(Frame frame) {
        ByteBuffer buffer = FrameEncoder.encode(frame);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    static byte[] header(long startOffset, long transferSize, int packetType, int textLength) {
        return ByteBuffer.allocate(Frame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(startOffset).putLong(transferSize).putInt(packetType).putInt(textLength).array();
    }

    /** chunk.wire's {@code wire-vectors/keep-open.txt} (copied by the build), by their comment's first words ({@code "then-size request"}). */
    static Map<String, byte[]> vectors() throws IOException {
        Map<String, byte[]> vectors = new LinkedHashMap<>();
        try (InputStream in = KeptOpenConnectionTests.class.getResourceAsStream("/wire-vectors/keep-open.txt")) {
            if (in == null) {
                throw new IOException("wire-vectors/keep-open.txt is missing from the test resources");
            }
            String name = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("##")) {
                    continue;
                }
                if (line.startsWith("# ")) {
                    name = line.substring(2, line.indexOf(':'));
                } else if (!line.isBlank() && name != null) {
                    vectors.put(name, HexFormat.of().parseHex(line.strip()));
                }
            }
        }
        return vectors;
    }

    @Nested
    class Negotiation {

        @Test
        void theServerAnswersTheVectorsOfASessionByteForByteOnOneConnection() throws IOException {
            Map<String, byte[]> vectors = vectors();
            InetSocketAddress address = start(loopback());
            Session session = connect(address);

            for (String step : List.of("keep-open-ok", "then-size", "then-missing", "then-chunk")) {
                byte[] expected = vectors.get(step + " response");
                session.send(vectors.get(step + " request"));
                assertThat(session.in.readNBytes(expected.length)).as(step).isEqualTo(expected);
            }
            session.send(vectors.get("then-size request"));
            assertThat(session.in.readNBytes(Frame.HEADER_BYTES)).isEqualTo(vectors.get("then-size response"));
        }

        @Test
        void aClientThatSpeaksANewerVersionIsAnsweredWithTheHighestTheServerSpeaks() throws IOException {
            Map<String, byte[]> vectors = vectors();
            InetSocketAddress address = start(loopback());
            Session session = connect(address);

            session.send(vectors.get("keep-open-newer request"));

            assertThat(session.in.readNBytes(Frame.HEADER_BYTES)).isEqualTo(vectors.get("keep-open-newer response"));
        }

        @Test
        void theReplyTellsTheClientTheHeaderTimeoutAsTheWaitForEachNextRequest() throws IOException {
            InetSocketAddress address = start(loopback().headerTimeout(Duration.ofMillis(1234)));

            assertThat(connect(address).keepOpen()).isEqualTo(new Frame.KeepOpenReply(1234, 1));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"keep-open-version-0", "keep-open-with-text", "keep-open-offset"})
        void aMalformedKeepOpenIsAnsweredWithTheVectorsErrorAndClosed(String name) throws IOException {
            Map<String, byte[]> vectors = vectors();
            InetSocketAddress address = start(loopback());
            Session session = connect(address);
            byte[] expected = vectors.get(name + " response");

            session.send(vectors.get(name + " request"));

            assertThat(session.in.readNBytes(expected.length)).isEqualTo(expected);
            assertThat(session.closedByServer()).isTrue();
        }

        @Test
        void aConnectionThatDidNotAskIsClosedAfterItsOneReplyAndSeesNoKeepOpenFrame() throws IOException {
            InetSocketAddress address = start(loopback());
            Session session = connect(address);

            assertThat(session.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));

            assertThat(session.closedByServer()).isTrue();
        }

        @Test
        void aConnectionThatDidNotAskIsClosedAfterAnErrorToo() throws IOException {
            InetSocketAddress address = start(loopback());
            Session session = connect(address);

            assertThat(session.ask(new Frame.SizeRequest("missing.txt"))).isEqualTo(new Frame.ErrorReply("no such file"));

            assertThat(session.closedByServer()).isTrue();
        }
    }

    @Nested
    class ManyRequests {

        @Test
        void hundredsOfMixedRequestsOnOneConnectionAreAnsweredByteForByteAndLoggedOneLineEach() throws Exception {
            InetSocketAddress address = start(loopback());
            Session session = connect(address);
            assertThat(session.keepOpen()).isInstanceOf(Frame.KeepOpenReply.class);
            Random random = new Random(3);
            int requests = 300;

            for (int i = 0; i < requests; i++) {
                switch (i % 3) {
                    case 0 -> {
                        int offset = random.nextInt(mebibyte.length);
                        int length = random.nextInt(64 * 1024);
                        int end = Math.min(mebibyte.length, offset + length);
                        assertThat(session.chunk("one.bin", offset, length)).as("chunk %d", i)
                                .isEqualTo(Arrays.copyOfRange(mebibyte, offset, end));
                    }
                    case 1 -> assertThat(session.ask(new Frame.SizeRequest("one.bin"))).isEqualTo(new Frame.SizeReply(mebibyte.length));
                    default -> {
                        Frame.Reply reply = session.ask(new Frame.DigestRequest("hello.txt", 0, 4096));
                        assertThat(reply).isEqualTo(new Frame.DigestReply(0, HELLO.length,
                                Digest.rootOf(List.of(Digest.of(HELLO))), List.of(Digest.of(HELLO))));
                    }
                }
            }
            session.close();
            server.close();

            assertThat(log).hasSize(1 + requests).allMatch(line -> line.contains(session.localPort()));
            assertThat(logLines(" KEEP-OPEN - - ok 0 B ")).isEqualTo(1);
            assertThat(logLines(" ok ")).isEqualTo(1 + requests);
        }

        @Test
        void refusalsOfWellFormedRequestsLeaveTheConnectionOpen() throws IOException {
            InetSocketAddress address = start(loopback());
            Session session = connect(address);
            session.keepOpen();

            assertThat(session.ask(new Frame.SizeRequest("missing.txt"))).isEqualTo(new Frame.ErrorReply("no such file"));
            assertThat(session.ask(new Frame.ChunkRequest("../outside.txt", new ByteRange(0, 1))))
                    .isEqualTo(new Frame.ErrorReply("no such file"));
            assertThat(session.ask(new Frame.DigestRequest("hello.txt", 2, 4096))).isInstanceOf(Frame.ErrorReply.class);
            assertThat(session.chunk("hello.txt", 7, 7)).asString(StandardCharsets.US_ASCII).isEqualTo("chunked");
        }

        @Test
        void aRangePastTheEndIsCutAsOnAConnectionOfItsOwnAndTheNextRequestFollows() throws IOException {
            InetSocketAddress address = start(loopback());
            Session session = connect(address);
            session.keepOpen();

            assertThat(session.chunk("hello.txt", 15, 100)).asString(StandardCharsets.US_ASCII).isEqualTo("world!\n");
            assertThat(session.chunk("hello.txt", 100, 5)).isEmpty();
            assertThat(session.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));
        }

        @Test
        void aMalformedRequestMidConnectionIsAnsweredAndTheConnectionClosed() throws IOException {
            InetSocketAddress address = start(loopback());
            Session session = connect(address);
            session.keepOpen();
            assertThat(session.chunk("hello.txt", 0, 5)).asString(StandardCharsets.US_ASCII).isEqualTo("hello");

            session.send(TestBytes.concat(header(-5, 10, Frame.TYPE_CHUNK, 9), "hello.txt".getBytes(StandardCharsets.US_ASCII)));

            assertThat(FrameDecoder.readReply(session.channel)).isInstanceOf(Frame.ErrorReply.class);
            assertThat(session.closedByServer()).isTrue();
            server.close();
            assertThat(logLines(" bad-range ")).isEqualTo(1);
        }

        @Test
        void aSecondKeepOpenIsMalformedAndClosesTheConnection() throws IOException {
            InetSocketAddress address = start(loopback());
            Session session = connect(address);
            session.keepOpen();

            assertThat(session.keepOpen()).isEqualTo(
                    new Frame.ErrorReply("packet type 3 (keep open) is valid only as the first request of a connection"));
            assertThat(session.closedByServer()).isTrue();
        }

        @Test
        void aClientThatHangsUpBetweenRequestsLeavesNoLineForARequestItNeverSent() throws IOException {
            InetSocketAddress address = start(loopback());
            Session session = connect(address);
            session.keepOpen();
            session.ask(new Frame.SizeRequest("hello.txt"));

            session.close();
            server.close();

            assertThat(log).hasSize(2);
            assertThat(logLines(" SIZE hello.txt - ok ")).isEqualTo(1);
        }

        @Test
        void aRequestCutOffMidHeaderOnAKeptOpenConnectionIsLogged() throws IOException {
            InetSocketAddress address = start(loopback());
            Session session = connect(address);
            session.keepOpen();

            session.send(Arrays.copyOf(bytes(new Frame.SizeRequest("hello.txt")), 10));
            session.socket.shutdownOutput();

            assertThat(FrameDecoder.readReply(session.channel)).isInstanceOf(Frame.ErrorReply.class);
            assertThat(session.closedByServer()).isTrue();
            server.close();
            assertThat(log).hasSize(2);
            assertThat(logLines(" - - - bad-request ")).isEqualTo(1);
        }
    }

    @Nested
    class Timeouts {

        @Test
        void anIdleKeptOpenConnectionIsClosedAtTheHeaderTimeoutAfterItsLastReplyAndNotBefore() throws Exception {
            InetSocketAddress address = start(loopback().headerTimeout(Duration.ofMillis(400)));
            Session session = connect(address);
            session.keepOpen();
            session.ask(new Frame.SizeRequest("hello.txt"));
            long replied = System.nanoTime();

            assertThat(session.closedByServer()).isTrue();

            assertThat(Duration.ofNanos(System.nanoTime() - replied)).isGreaterThanOrEqualTo(Duration.ofMillis(300))
                    .as("generous: only a safety net against a timeout that never fires").isLessThan(Duration.ofSeconds(10));
            server.close();
            assertThat(log).hasSize(2).noneMatch(line -> line.contains("timeout"));
        }

        @Test
        void theHeaderTimeoutRunsAgainForEachRequestSoAConnectionMayOutliveItManyTimes() throws Exception {
            // Each gap is 0.6 of the timeout, so the session lasts longer than the timeout from the first request.
            InetSocketAddress address = start(loopback().headerTimeout(Duration.ofMillis(1000)));
            Session session = connect(address);
            session.keepOpen();
            long start = System.nanoTime();

            for (int i = 0; i < 3; i++) {
                Thread.sleep(600);
                assertThat(session.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));
            }

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1000));
        }

        @Test
        void aNextRequestDribbledPastTheHeaderTimeoutIsClosedAndLogged() throws Exception {
            InetSocketAddress address = start(loopback().headerTimeout(Duration.ofMillis(400)));
            Session session = connect(address);
            session.keepOpen();
            byte[] request = bytes(new Frame.SizeRequest("hello.txt"));

            session.send(Arrays.copyOf(request, 5));

            assertThat(session.closedByServer()).isTrue();
            server.close();
            assertThat(logLines(" header-timeout ")).isEqualTo(1);
        }

        @Test
        void aClientThatStopsReadingMidReplyIsClosedAtTheIdleTimeout() throws Exception {
            Files.write(root.resolve("big.bin"), new byte[32 << 20]); // more than loopback's socket buffers hold
            InetSocketAddress address = start(loopback().idleTimeout(Duration.ofMillis(500)));
            Session session = connect(address);
            session.keepOpen();
            session.ask(new Frame.SizeRequest("hello.txt"));

            session.send(bytes(new Frame.ChunkRequest("big.bin", new ByteRange(0, 32 << 20))));

            await("an idle-timeout line", () -> logLines(" idle-timeout ") == 1);
        }
    }

    @Nested
    class Places {

        @Test
        void aKeptOpenConnectionBetweenRequestsHoldsNoTransferPlace() throws Exception {
            // One place; if the idle connection kept it, the other would wait and then be told the server is busy.
            InetSocketAddress address = start(loopback().maxClients(1).headerTimeout(Duration.ofSeconds(20)));
            Session idle = connect(address);
            idle.keepOpen();
            assertThat(idle.chunk("hello.txt", 0, 5)).hasSize(5);
            await("the one place free again", () -> server.freePlaces() == 1);

            Session other = connect(address);
            assertThat(other.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));

            assertThat(idle.ask(new Frame.SizeRequest("one.bin"))).isEqualTo(new Frame.SizeReply(mebibyte.length));
        }

        @Test
        void eachRequestTakesAPlaceAndGivesItBackAfterItsReply() throws Exception {
            InetSocketAddress address = start(loopback().maxClients(3));
            Session session = connect(address);
            session.keepOpen();

            for (int i = 0; i < 20; i++) {
                session.chunk("one.bin", i * 1000L, 1000);
                await("all 3 places free again", () -> server.freePlaces() == 3);
            }
        }

        @Test
        void aBusyAnswerClosesEvenAKeptOpenConnection() throws Exception {
            Files.write(root.resolve("slow.bin"), new byte[64 * 1024]);
            // One place, held for about 4 s by a slow transfer; a request waits for a place as long as the header timeout.
            InetSocketAddress address = start(loopback().maxClients(1).rateLimit(16 * 1024)
                    .headerTimeout(Duration.ofMillis(300)));
            Session slow = connect(address);
            slow.send(bytes(new Frame.ChunkRequest("slow.bin", new ByteRange(0, 64 * 1024))));
            assertThat(slow.in.readNBytes(Frame.HEADER_BYTES + 1)).hasSize(Frame.HEADER_BYTES + 1);
            Session kept = connect(address);
            kept.keepOpen();

            assertThat(kept.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.ErrorReply("server busy"));

            assertThat(kept.closedByServer()).isTrue();
        }
    }

    @Nested
    class Shutdown {

        @Test
        @Timeout(value = 15, unit = TimeUnit.SECONDS) // the grace period is 60 s: waiting for it fails the test
        void closesIdleKeptOpenConnectionsAtOnce() throws Exception {
            InetSocketAddress address = start(loopback().gracePeriod(Duration.ofSeconds(60)));
            Session first = connect(address);
            Session second = connect(address);
            first.keepOpen();
            second.keepOpen();
            first.ask(new Frame.SizeRequest("hello.txt"));

            server.close();

            assertThat(first.closedByServer()).isTrue();
            assertThat(second.closedByServer()).isTrue();
        }

        @Test
        void aReplyInFlightAtShutdownEndsWholeAndThenTheConnectionCloses() throws Exception {
            Files.write(root.resolve("slow.bin"), mebibyte);
            InetSocketAddress address = start(loopback().rateLimit(512 * 1024).gracePeriod(Duration.ofSeconds(30)));
            Session session = connect(address);
            session.keepOpen();
            session.send(bytes(new Frame.ChunkRequest("slow.bin", new ByteRange(0, 256 * 1024))));
            assertThat(FrameDecoder.readReply(session.channel)).isEqualTo(new Frame.ChunkReply(new ByteRange(0, 256 * 1024)));
            assertThat(session.in.readNBytes(1)).hasSize(1);

            Thread closer = Thread.ofVirtual().start(server::close);
            byte[] rest = session.in.readNBytes(256 * 1024 - 1);

            assertThat(rest).isEqualTo(Arrays.copyOfRange(mebibyte, 1, 256 * 1024));
            assertThat(session.closedByServer()).isTrue();
            closer.join();
        }
    }

    /** Byte helpers, apart so that the tests read as sentences. */
    static final class TestBytes {
        private TestBytes() {}

        static byte[] concat(byte[] first, byte[] second) {
            byte[] all = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, all, first.length, second.length);
            return all;
        }
    }
}
