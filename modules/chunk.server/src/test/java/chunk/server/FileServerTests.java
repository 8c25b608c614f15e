package chunk.server;

import static chunk.server.TestClient.concat;
import static chunk.server.TestClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import chunk.server.TestClient.Answer;
import chunk.wire.ByteRange;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileServerTests {

    /** 22 bytes whose bytes 7 to 13 are "chunked", as the captured vectors require. */
    static final byte[] HELLO = "hello, chunked world!\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;
    Path root;
    Path outside;
    final LoopbackServer myserver = new LoopbackServer();
    final ConcurrentLinkedQueue<String> log = myserver.log;
    FileServer server;

    @BeforeEach
    void createFiles() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.write(root.resolve("hello.txt"), HELLO);
        Files.write(root.resolve("data.bin"), "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(root.resolve("sub"));
        Files.write(root.resolve("sub/inner.txt"), "inner".getBytes(StandardCharsets.US_ASCII));
        Files.write(root.resolve(".secret"), "hidden".getBytes(StandardCharsets.US_ASCII));
        Files.write(outside.resolve("private.txt"), "private".getBytes(StandardCharsets.US_ASCII));
    }

    @AfterEach
    void stopServer() {
        myserver.close();
    }

    ServerConfig.Builder loopback() {
        return LoopbackServer.loopback(root);
    }

    InetSocketAddress start(ServerConfig.Builder config) throws IOException {
        server = myserver.start(config.build());
        return server.address();
    }

    InetSocketAddress start() throws IOException {
        return start(loopback());
    }

    /** Waits for the server to log a line containing {@code text}; the test's timeout is the safety net. */
    void awaitLogLine(String text) throws InterruptedException {
        myserver.awaitLogLines(text, 1);
    }

    static String reasonOf(Answer answer) {
        assertThat(answer.reply()).isInstanceOf(Frame.ErrorReply.class);
        return ((Frame.ErrorReply) answer.reply()).reason();
    }

    @Nested
    class Answers {

        @Test
        void theSizeOfAFileIsItsLength() throws IOException {
            Answer answer = TestClient.size(start(), "hello.txt");
            assertThat(answer.reply()).isEqualTo(new Frame.SizeReply(22));
            assertThat(answer.closedAfter()).isTrue();
        }

        @Test
        void aChunkIsExactlyTheRequestedRange() throws IOException {
            Answer answer = TestClient.chunk(start(), "hello.txt", 7, 7);
            assertThat(answer.reply()).isEqualTo(new Frame.ChunkReply(new ByteRange(7, 7)));
            assertThat(new String(answer.data(), StandardCharsets.US_ASCII)).isEqualTo("chunked");
            assertThat(answer.closedAfter()).isTrue();
        }

        @Test
        void aFileInASubfolderIsServed() throws IOException {
            Answer answer = TestClient.chunk(start(), "sub/inner.txt", 0, 5);
            assertThat(answer.data()).asString().isEqualTo("inner");
        }

        @Test
        void aRangePastTheEndIsCutToTheBytesActuallySent() throws IOException {
            Answer answer = TestClient.chunk(start(), "hello.txt", 15, 100);
            assertThat(answer.reply()).isEqualTo(new Frame.ChunkReply(new ByteRange(15, 7)));
            assertThat(answer.data()).isEqualTo(Arrays.copyOfRange(HELLO, 15, 22));
            assertThat(answer.closedAfter()).isTrue();
        }

        @Test
        void anOffsetAtOrPastTheEndGetsAnEmptyChunk() throws IOException {
            InetSocketAddress address = start();
            assertThat(TestClient.chunk(address, "hello.txt", 22, 5).reply()).isEqualTo(new Frame.ChunkReply(new ByteRange(22, 0)));
            assertThat(TestClient.chunk(address, "hello.txt", 1000, 5).reply()).isEqualTo(new Frame.ChunkReply(new ByteRange(1000, 0)));
        }

        @Test
        void aLargeFileArrivesWholeAndIntact() throws IOException {
            byte[] big = new byte[12 << 20]; // over one 8 MiB slice
            new Random(42).nextBytes(big);
            Files.write(root.resolve("big.bin"), big);
            Answer answer = TestClient.chunk(start(), "big.bin", 1, big.length - 1);
            assertThat(answer.data()).isEqualTo(Arrays.copyOfRange(big, 1, big.length));
        }

        @Test
        void aSymbolicLinkThatStaysInsideTheRootIsServed() throws IOException {
            Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("hello.txt"));
            assertThat(TestClient.size(start(), "alias.txt").reply()).isEqualTo(new Frame.SizeReply(22));
        }

        @Test
        void eachRequestGetsOneAccessLogLine() throws IOException {
            TestClient.chunk(start(), "hello.txt", 7, 7);
            server.close();
            assertThat(log).singleElement().asString()
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z 127\\.0\\.0\\.1:\\d+ CHUNK hello\\.txt \\[7,14\\) ok 7 B \\d+\\.\\d ms");
        }

        @Test
        void aRateLimitedTransferDeliversEveryByteNoFasterThanTheRate() throws IOException {
            byte[] file = new byte[64 * 1024];
            new Random(7).nextBytes(file);
            Files.write(root.resolve("slow.bin"), file);
            InetSocketAddress address = start(loopback().rateLimit(256 * 1024));
            long start = System.nanoTime();
            Answer answer = TestClient.chunk(address, "slow.bin", 0, file.length);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer.data()).isEqualTo(file);
            // 64 KiB at 256 KiB/s in slices of a tenth of a second: the last slice is due at 200 ms. Only a
            // lower bound: a slow machine makes it slower, never faster. Unlimited, it takes about 1 ms.
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        }
    }

    @Nested
    class CapturedVectors {

        Map<String, byte[]> vectors;
        InetSocketAddress address;

        @BeforeEach
        void load() throws IOException {
            vectors = WireVectors.load();
            address = start();
        }

        /** The reply the original server sent, and the data after it. */
        Answer original(String name) throws IOException {
            byte[] bytes = vectors.get(name + " response");
            InputStream in = new java.io.ByteArrayInputStream(bytes);
            Frame.Reply reply = FrameDecoder.readReply(Channels.newChannel(in));
            return new Answer(reply, in.readAllBytes(), true);
        }

        Answer ours(String name) throws IOException {
            return TestClient.exchange(address, vectors.get(name + " request"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"size-ok", "chunk-ok"})
        void successfulRequestsGetTheOriginalsReplyByteForByte(String name) throws IOException {
            Answer original = original(name);
            Answer ours = ours(name);
            assertThat(ours.reply()).isEqualTo(original.reply());
            assertThat(ours.data()).isEqualTo(original.data());
        }

        @ParameterizedTest
        @ValueSource(strings = {"size-missing", "chunk-missing", "chunk-negative-offset", "unknown-type"})
        void refusedRequestsGetAnErrorAsTheOriginalDid(String name) throws IOException {
            assertThat(original(name).reply()).isInstanceOf(Frame.ErrorReply.class);
            Answer ours = ours(name);
            assertThat(ours.reply()).isInstanceOf(Frame.ErrorReply.class);
            assertThat(ours.data()).isEmpty();
            assertThat(ours.closedAfter()).isTrue();
        }

        @Test
        void theOriginalClientsRequestsForATwentyByteFileAreAnswered() throws IOException {
            assertThat(ours("client-request-0").reply()).isEqualTo(new Frame.SizeReply(20));
            assertThat(ours("client-request-1").data()).asString().isEqualTo("0123456789");
            assertThat(ours("client-request-2").data()).asString().isEqualTo("abcdefghij");
        }
    }

    @Nested
    class Refusals {

        @ParameterizedTest
        @ValueSource(strings = {"missing.txt", "../outside/private.txt", "sub/../../outside/private.txt", "/etc/hostname",
                "//etc/hostname", ".secret", "sub/.hidden/x", "sub", ".", "./", "escape.txt", "escape-dir/private.txt",
                "hidden-link.txt", "..", "sub/.."})
        void namesOutsideTheServedFilesAreNoSuchFile(String name) throws IOException {
            Files.createSymbolicLink(root.resolve("escape.txt"), outside.resolve("private.txt"));
            Files.createSymbolicLink(root.resolve("escape-dir"), outside);
            Files.createSymbolicLink(root.resolve("hidden-link.txt"), root.resolve(".secret"));
            InetSocketAddress address = start();
            assertThat(reasonOf(TestClient.size(address, name))).isEqualTo("no such file");
            assertThat(reasonOf(TestClient.chunk(address, name, 0, 5))).isEqualTo("no such file");
            assertThat(TestClient.size(address, "hello.txt").reply()).isEqualTo(new Frame.SizeReply(22));
        }

        @ParameterizedTest
        @ValueSource(strings = {"hello.txt/", "./hello.txt", "sub/./inner.txt", "sub//inner.txt", "./sub/inner.txt",
                "sub/inner.txt/", "hello.txt//", "sub/../hello.txt"})
        void aFileIsServedUnderItsOneNameAndOtherSpellingsOfItAreNoSuchFile(String alias) throws Exception {
            InetSocketAddress address = start();
            assertThat(reasonOf(TestClient.size(address, alias))).isEqualTo(Frame.ErrorReply.NO_SUCH_FILE);
            assertThat(reasonOf(TestClient.chunk(address, alias, 0, 5))).isEqualTo(Frame.ErrorReply.NO_SUCH_FILE);
            assertThat(TestClient.size(address, "hello.txt").reply()).isEqualTo(new Frame.SizeReply(22));
            assertThat(TestClient.chunk(address, "sub/inner.txt", 0, 5).data()).asString().isEqualTo("inner");
        }

        /** A name of {@code bytes} bytes, in segments no file system refuses (254 bytes and a slash each). */
        static String nameOfBytes(int bytes) {
            StringBuilder name = new StringBuilder(bytes);
            while (bytes - name.length() > 255) {
                name.append("x".repeat(254)).append('/');
            }
            return name.append("x".repeat(bytes - name.length())).toString();
        }

        @Test
        void aNameWhosePathUnderTheRootIsLongerThanTheKernelOpensIsNameTooLong() throws Exception {
            InetSocketAddress address = start();
            int rootBytes = server.root().toString().getBytes(StandardCharsets.UTF_8).length;
            String longest = nameOfBytes(4095 - rootBytes - 1); // root, slash, name: 4095 bytes, PATH_MAX less its NUL

            assertThat(reasonOf(TestClient.size(address, longest))).as("fits, and is missing").isEqualTo(Frame.ErrorReply.NO_SUCH_FILE);
            assertThat(reasonOf(TestClient.size(address, longest + "x"))).isEqualTo("name too long");
            assertThat(reasonOf(TestClient.chunk(address, nameOfBytes(Frame.MAX_TEXT_BYTES), 0, 5))).isEqualTo("name too long");
            myserver.awaitLogLines(" name-too-long 0 B ", 2);
        }

        @Test
        void aSegmentLongerThanAFileSystemTakesIsNameTooLong() throws IOException {
            assertThat(reasonOf(TestClient.size(start(), "sub/" + "y".repeat(256)))).isEqualTo("name too long");
        }

        @Test
        void aDeviceFileIsNoSuchFile() throws IOException {
            Files.createSymbolicLink(root.resolve("null"), Path.of("/dev/null"));
            assertThat(reasonOf(TestClient.size(start(), "null"))).isEqualTo("no such file");
            Files.delete(root.resolve("null")); // spares JUnit's warning about a link out of the temp dir
        }

        // An unreadable file ("cannot read file") is tested in MainProcessTests, where the server can run
        // as another user when the tests run as root, who reads every file.

        @Test
        void aNegativeOffsetIsABadRange() throws IOException {
            byte[] request = concat(header(-5, 10, Frame.TYPE_CHUNK, 9), "hello.txt".getBytes(StandardCharsets.US_ASCII));
            InetSocketAddress address = start();
            assertThat(reasonOf(TestClient.exchange(address, request))).isEqualTo("bad range: negative offset (offset -5, size 10)");
            assertThat(TestClient.chunk(address, "hello.txt", 0, 5).data()).asString().isEqualTo("hello");
        }

        @Test
        void aBadRangeIsLoggedWithTheFileAndTheRangeAsked() throws Exception {
            byte[] request = concat(header(-5, 10, Frame.TYPE_CHUNK, 9), "hello.txt".getBytes(StandardCharsets.US_ASCII));

            TestClient.exchange(start(), request);

            awaitLogLine(" bad-range ");
            assertThat(log).singleElement().asString().contains(" CHUNK hello.txt [-5,5) bad-range 0 B ");
        }

        @Test
        void aNegativeSizeIsABadRange() throws IOException {
            byte[] request = concat(header(0, -1, Frame.TYPE_CHUNK, 9), "hello.txt".getBytes(StandardCharsets.US_ASCII));
            assertThat(reasonOf(TestClient.exchange(start(), request))).isEqualTo("bad range: negative size (offset 0, size -1)");
        }

        @Test
        void aHugeTextLengthIsAnsweredWithoutWaitingForTheText() throws IOException {
            // Nothing follows the header: an answer proves the server did not wait for 4 GB of name.
            InetSocketAddress address = start();
            assertThat(reasonOf(TestClient.exchange(address, header(0, 0, Frame.TYPE_SIZE, 0xFFFF_FFF0)))).isEqualTo("name too long");
            assertThat(reasonOf(TestClient.exchange(address, header(0, 0, Frame.TYPE_SIZE, 4096)))).isEqualTo("name too long");
            assertThat(TestClient.size(address, "hello.txt").reply()).isEqualTo(new Frame.SizeReply(22));
        }

        @Test
        void anUnknownPacketTypeIsNamedInTheReason() throws IOException {
            byte[] request = concat(header(0, 0, 7, 9), "hello.txt".getBytes(StandardCharsets.US_ASCII));
            InetSocketAddress address = start();
            assertThat(reasonOf(TestClient.exchange(address, request))).isEqualTo("unknown packet type 7");
            assertThat(reasonOf(TestClient.exchange(address, header(0, 0, Frame.TYPE_ERROR, 0)))).isEqualTo("unknown packet type 4294967295");
        }

        @Test
        void malformedRequestsAreBadRequests() throws IOException {
            InetSocketAddress address = start();
            assertThat(reasonOf(TestClient.exchange(address, header(0, 0, Frame.TYPE_SIZE, 0)))).startsWith("bad request: ");
            assertThat(reasonOf(TestClient.exchange(address, concat(header(3, 0, Frame.TYPE_SIZE, 1), new byte[] {'a'}))))
                    .startsWith("bad request: ");
            byte[] notUtf8 = concat(header(0, 0, Frame.TYPE_SIZE, 2), new byte[] {(byte) 0xC3, (byte) 0x28});
            assertThat(reasonOf(TestClient.exchange(address, notUtf8))).startsWith("bad request: ");
        }

        @Test
        void aRequestCutShortIsABadRequest() throws IOException {
            try (Socket socket = TestClient.connect(start())) {
                socket.getOutputStream().write(concat(header(0, 0, Frame.TYPE_SIZE, 9), "hel".getBytes(StandardCharsets.US_ASCII)));
                socket.shutdownOutput();
                assertThat(reasonOf(TestClient.readAnswer(socket))).startsWith("bad request: ");
            }
        }

        @Test
        void reasonsNeverMentionTheServersOwnPaths() throws IOException {
            InetSocketAddress address = start();
            List<String> reasons = new ArrayList<>();
            for (String name : List.of("missing.txt", "../x", "/etc/passwd", "sub")) {
                reasons.add(reasonOf(TestClient.size(address, name)));
            }
            assertThat(reasons).noneMatch(reason -> reason.contains(tmp.toString()) || reason.contains("/"));
        }
    }

    @Nested
    class SlowAndSilentClients {

        @Test
        void anIdleConnectionAndAHalfSentRequestDoNotDelayADownload() throws IOException {
            InetSocketAddress address = start(loopback().headerTimeout(Duration.ofMinutes(5)));
            try (Socket idle = TestClient.connect(address); Socket half = TestClient.connect(address)) {
                assertThat(idle.isConnected()).isTrue();
                half.getOutputStream().write(header(0, 0, Frame.TYPE_SIZE, 9));
                half.getOutputStream().write('h');
                // Were the server serving one client at a time, this would wait for 5 minutes and fail on the read timeout.
                assertThat(TestClient.chunk(address, "hello.txt", 7, 7).data()).asString().isEqualTo("chunked");
            }
        }

        @Test
        void anIdleConnectionAndAHalfSentRequestAreClosedAfterTheHeaderTimeout() throws IOException {
            InetSocketAddress address = start(loopback().headerTimeout(Duration.ofMillis(300)));
            try (Socket idle = TestClient.connect(address); Socket half = TestClient.connect(address)) {
                half.getOutputStream().write(header(0, 0, Frame.TYPE_SIZE, 9));
                assertThat(idle.getInputStream().read()).isEqualTo(-1);
                assertThat(half.getInputStream().read()).isEqualTo(-1);
            }
            server.close();
            assertThat(log).hasSize(2).allMatch(line -> line.contains(" header-timeout "));
        }

        @Test
        void aClientThatReadsSlowlyButSteadilyIsNotIdle() throws Exception {
            byte[] big = new byte[32 << 20];
            Files.write(root.resolve("big.bin"), big);
            // 400 KB/s: the socket buffers (4 MiB on loopback) fill at once, and a third of the
            // server's takes 3 s to drain, three idle timeouts; each read frees room all the same.
            InetSocketAddress address = start(loopback().idleTimeout(Duration.ofSeconds(1)));
            try (Socket slow = TestClient.connect(address)) {
                slow.getOutputStream().write(TestClient.bytes(new Frame.ChunkRequest("big.bin", new ByteRange(0, big.length))));
                byte[] buffer = new byte[8 << 10];
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < until) {
                    slow.getInputStream().readNBytes(buffer, 0, buffer.length);
                    Thread.sleep(20);
                }
                assertThat(log).as("what the server logged while the client read").isEmpty();
            }
            awaitLogLine("CHUNK big.bin ");
            assertThat(log).singleElement().asString().contains(" client-gone ");
        }

        @Test
        void aClientThatStopsReadingIsDisconnectedAndOthersAreServed() throws Exception {
            byte[] big = new byte[32 << 20]; // more than loopback's socket buffers hold
            Files.write(root.resolve("big.bin"), big);
            InetSocketAddress address = start(loopback().idleTimeout(Duration.ofMillis(300)));
            try (Socket stalled = TestClient.connect(address)) {
                stalled.getOutputStream().write(TestClient.bytes(new Frame.ChunkRequest("big.bin", new ByteRange(0, big.length))));
                assertThat(TestClient.size(address, "hello.txt").reply()).isEqualTo(new Frame.SizeReply(22));
                awaitLogLine(" idle-timeout ");
                long received;
                try {
                    received = stalled.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.net.SocketException reset) {
                    received = 0; // also fine: the server's close reset the connection
                }
                assertThat(received).as("bytes before the server gave up").isLessThan(Frame.HEADER_BYTES + big.length);
            }
            assertThat(log).anyMatch(line -> line.contains("CHUNK big.bin [0,33554432) idle-timeout "));
        }

        @Test
        void withOneClientAtATimeAnIdleConnectionHoldsNoPlace() throws IOException {
            InetSocketAddress address = start(loopback().maxClients(1).headerTimeout(Duration.ofMinutes(5)));
            try (Socket idle = TestClient.connect(address)) {
                Answer answer = TestClient.size(address, "hello.txt");
                assertThat(answer.reply()).isEqualTo(new Frame.SizeReply(22));
                idle.setSoTimeout(200);
                assertThatThrownBy(() -> idle.getInputStream().read()).as("the idle client is still open")
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            }
        }
    }

    @Nested
    class Robustness {

        @Test
        @Timeout(value = 120, unit = TimeUnit.SECONDS)
        void hundredsOfMalformedAndRandomRequestsLeaveTheServerServing() throws Exception {
            InetSocketAddress address = start(loopback().headerTimeout(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(1)));
            Random random = new Random(2026);
            List<byte[]> requests = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                requests.add(switch (i % 4) {
                    case 0 -> randomBytes(random, random.nextInt(80));
                    case 1 -> concat(header(random.nextLong(), random.nextLong(), random.nextInt(4) - 1, random.nextInt(40)),
                            randomBytes(random, random.nextInt(40)));
                    case 2 -> concat(header(random.nextInt(30) - 5, random.nextInt(30) - 5, random.nextInt(2), 9),
                            "hello.txt".getBytes(StandardCharsets.US_ASCII));
                    default -> Arrays.copyOf(TestClient.bytes(new Frame.SizeRequest("hello.txt")), random.nextInt(33));
                });
            }
            try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
                List<Future<?>> done = new ArrayList<>();
                for (byte[] request : requests) {
                    done.add(clients.submit(() -> sendAndDrain(address, request)));
                }
                for (Future<?> future : done) {
                    future.get();
                }
            }
            assertThat(TestClient.chunk(address, "hello.txt", 7, 7).data()).asString().isEqualTo("chunked");
            System.gc();
            long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            assertThat(used).as("heap in use after the storm").isLessThan(128L << 20);
        }

        static byte[] randomBytes(Random random, int length) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return bytes;
        }

        /** Sends, half-closes, and reads whatever comes until the server hangs up. */
        static Void sendAndDrain(InetSocketAddress address, byte[] request) throws IOException {
            try (Socket socket = TestClient.connect(address)) {
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
                socket.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.net.SocketException reset) {
                // A reset is an acceptable end for garbage.
            }
            return null;
        }
    }

    @Nested
    class Shutdown {

        @Test
        void closeLetsATransferInFlightFinish() throws Exception {
            byte[] file = new byte[256 * 1024];
            new Random(3).nextBytes(file);
            Files.write(root.resolve("file.bin"), file);
            // About a second at this rate: long enough to be in flight when close() starts.
            InetSocketAddress address = start(loopback().rateLimit(256 * 1024).gracePeriod(Duration.ofSeconds(30)));
            try (Socket socket = TestClient.connect(address)) {
                socket.getOutputStream().write(TestClient.bytes(new Frame.ChunkRequest("file.bin", new ByteRange(0, file.length))));
                InputStream in = socket.getInputStream();
                byte[] first = in.readNBytes(Frame.HEADER_BYTES + 1);
                assertThat(first).hasSize(Frame.HEADER_BYTES + 1);
                Thread closer = Thread.ofPlatform().start(server::close);
                byte[] rest = in.readAllBytes();
                closer.join();
                assertThat(rest).hasSize(file.length - 1);
                assertThat(rest).isEqualTo(Arrays.copyOfRange(file, 1, file.length));
            }
            assertThatThrownBy(() -> TestClient.size(address, "hello.txt")).isInstanceOf(IOException.class);
        }

        @Test
        void closeDropsConnectionsStillWaitingForTheirRequestAtOnce() throws Exception {
            InetSocketAddress address = start(loopback().headerTimeout(Duration.ofMinutes(5)).gracePeriod(Duration.ofMinutes(5)));
            try (Socket idle = TestClient.connect(address)) {
                TestClient.size(address, "hello.txt"); // the idle connection has surely been accepted by now
                server.close(); // would wait 5 minutes (and time out the test) for an idle client otherwise
                assertThat(idle.getInputStream().read()).isEqualTo(-1);
            }
        }

        @Test
        void joinReturnsOnceClosedAndCloseIsIdempotent() throws Exception {
            start();
            FutureTask<Void> joined = new FutureTask<>(() -> {
                server.join();
                return null;
            });
            Thread.ofPlatform().start(joined);
            server.close();
            server.close();
            // In the test thread: a join that hangs or throws fails the test here.
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> joined.get());
        }

        @Test
        void aVanishedRootStopsTheServerWithAnError() throws Exception {
            start(loopback().idleTimeout(Duration.ofMillis(200)));
            for (Path file : List.of(root.resolve("sub/inner.txt"), root.resolve("sub"), root.resolve("hello.txt"),
                    root.resolve("data.bin"), root.resolve(".secret"), root)) {
                Files.delete(file);
            }
            assertThatThrownBy(server::join).isInstanceOf(IOException.class).hasMessageContaining("gone");
        }
    }

    @Nested
    class Starting {

        @Test
        void portZeroPicksAFreePortOnTheGivenAddress() throws IOException {
            InetSocketAddress address = start();
            assertThat(address.getPort()).isPositive();
            assertThat(address.getAddress().isLoopbackAddress()).isTrue();
        }

        @Test
        void aPortInUseCannotBeBound() throws IOException {
            InetSocketAddress address = start();
            assertThatThrownBy(() -> FileServer.start(loopback().port(address.getPort()).build())).isInstanceOf(java.net.BindException.class);
        }

        @Test
        void aMissingRootIsRefusedBeforeListening() {
            assertThatThrownBy(() -> FileServer.start(loopback().root(tmp.resolve("nope")).build()))
                    .isInstanceOf(java.nio.file.NoSuchFileException.class);
        }
    }

}
