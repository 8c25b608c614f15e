package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.server.LoopbackServer;
import chunk.server.internal.digests.DigestService;
import chunk.wire.Digest;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DIGESTS requests to a real server on loopback port 0, checked against the JDK's SHA-256 over the files. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DigestServingTests {

    static final int PIECE = 4096;

    @TempDir
    Path root;
    final LoopbackServer myserver = new LoopbackServer();
    final ConcurrentLinkedQueue<String> log = myserver.log;
    InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        address = myserver.start(LoopbackServer.loopback(root).build()).address();
    }

    @AfterEach
    void stop() {
        myserver.close();
    }

    static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The expected digests, from the file's bytes with nothing of the server's code. */
    static List<Digest> digestsOf(byte[] file, int pieceLength) {
        return IntStream.range(0, (file.length + pieceLength - 1) / pieceLength)
                .mapToObj(i -> Digest.of(Arrays.copyOfRange(file, i * pieceLength, Math.min(file.length, (i + 1) * pieceLength))))
                .toList();
    }

    Frame.Reply ask(String name, long firstPiece, int pieceLength) throws IOException {
        return exchange(bytes(new Frame.DigestRequest(name, firstPiece, pieceLength)));
    }

    Frame.DigestReply digests(String name, long firstPiece, int pieceLength) throws IOException {
        Frame.Reply reply = ask(name, firstPiece, pieceLength);
        assertThat(reply).isInstanceOf(Frame.DigestReply.class);
        return (Frame.DigestReply) reply;
    }

    String refusal(Frame.Reply reply) {
        assertThat(reply).isInstanceOf(Frame.ErrorReply.class);
        return ((Frame.ErrorReply) reply).reason();
    }

    Frame.Reply exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 20_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request);
            Frame.Reply reply = FrameDecoder.readReply(Channels.newChannel(socket.getInputStream()));
            assertThat(socket.getInputStream().read()).as("the server closes after its reply").isEqualTo(-1);
            return reply;
        }
    }

    static byte[] bytes(Frame frame) {
        ByteBuffer buffer = FrameEncoder.encode(frame);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** Waits for the access log line of a connection; the test's timeout is the safety net. */
    String awaitLogLine(String text) throws InterruptedException {
        myserver.awaitLogLines(text, 1);
        return log.stream().filter(line -> line.contains(text)).findFirst().orElseThrow();
    }

    @Nested
    class Answers {

        @Test
        void theDigestsAndRootAreTheSha256OfThePiecesAndOfTheirDigests() throws IOException {
            byte[] file = random(100 * PIECE, 1);
            Files.write(root.resolve("a.bin"), file);
            List<Digest> expected = digestsOf(file, PIECE);

            Frame.DigestReply reply = digests("a.bin", 0, PIECE);

            assertThat(reply.fileSize()).isEqualTo(file.length);
            assertThat(reply.firstPiece()).isZero();
            assertThat(reply.digests()).isEqualTo(expected);
            assertThat(reply.root()).isEqualTo(Digest.rootOf(expected));
        }

        @Test
        void aFileOfMoreThan126PiecesComesInPagesThatTogetherAreEveryPiece() throws IOException {
            byte[] file = random(300 * PIECE + 17, 2);
            Files.write(root.resolve("big.bin"), file);
            List<Digest> expected = digestsOf(file, PIECE);
            assertThat(expected).hasSize(301);

            List<Digest> all = new ArrayList<>();
            for (long first = 0; first < 301; first += Frame.MAX_DIGESTS_PER_REPLY) {
                Frame.DigestReply page = digests("big.bin", first, PIECE);
                assertThat(page.firstPiece()).isEqualTo(first);
                assertThat(page.root()).isEqualTo(Digest.rootOf(expected));
                all.addAll(page.digests());
            }

            assertThat(all).isEqualTo(expected);
            assertThat(digests("big.bin", 200, PIECE).digests()).isEqualTo(expected.subList(200, 301));
        }

        @Test
        void theLastPieceIsShorter() throws IOException {
            byte[] file = random(2 * PIECE + 1, 3);
            Files.write(root.resolve("short.bin"), file);

            Frame.DigestReply reply = digests("short.bin", 2, PIECE);

            assertThat(reply.digests()).containsExactly(Digest.of(new byte[] {file[2 * PIECE]}));
        }

        @ParameterizedTest(name = "{0}-byte pieces")
        @ValueSource(ints = {4096, 65536, 1 << 20, 1 << 30})
        void everyPieceLengthGivesItsOwnDigestsOfTheSameFile(int pieceLength) throws IOException {
            byte[] file = random(300_000, 4);
            Files.write(root.resolve("p.bin"), file);
            List<Digest> expected = digestsOf(file, pieceLength);

            Frame.DigestReply reply = digests("p.bin", 0, pieceLength);

            assertThat(reply.digests()).isEqualTo(expected.subList(0, Math.min(126, expected.size())));
            assertThat(reply.root()).isEqualTo(Digest.rootOf(expected));
        }

        @Test
        void anEmptyFileHasNoPiecesAndTheDigestOfNothingAsItsRoot() throws IOException {
            Files.write(root.resolve("empty"), new byte[0]);

            Frame.DigestReply reply = digests("empty", 0, PIECE);

            assertThat(reply).isEqualTo(new Frame.DigestReply(0, 0, Digest.of(new byte[0]), List.of()));
            assertThat(refusal(ask("empty", 1, PIECE))).startsWith("bad digest request: first piece 1 is past the end");
        }

        @Test
        void askingFromThePieceCountGivesTheSizeAndRootAlone() throws IOException {
            byte[] file = random(3 * PIECE, 5);
            Files.write(root.resolve("three.bin"), file);

            Frame.DigestReply reply = digests("three.bin", 3, PIECE);

            assertThat(reply).isEqualTo(new Frame.DigestReply(3, file.length, Digest.rootOf(digestsOf(file, PIECE)), List.of()));
        }

        @Test
        void theAccessLogNamesTheTypeAndThePiecesSent() throws Exception {
            Files.write(root.resolve("big.bin"), random(300 * PIECE, 6));

            digests("big.bin", 126, PIECE);

            assertThat(awaitLogLine(" DIGESTS big.bin ")).contains(" DIGESTS big.bin [126,252) ok 0 B ");
        }
    }

    /** The examples of docs/PROTOCOL.md (chunk.wire's {@code wire-vectors/digests.txt}, copied by the build): this server's replies, byte for byte. */
    @Nested
    class DocumentedExamples {

        static Map<String, byte[]> vectors() throws IOException {
            Map<String, byte[]> vectors = new LinkedHashMap<>();
            try (var in = DigestServingTests.class.getResourceAsStream("/wire-vectors/digests.txt")) {
                assertThat(in).as("digests.txt in the test resources").isNotNull();
                String name = null;
                for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                    if (line.startsWith("# ")) {
                        name = line.substring(2, line.indexOf(':'));
                    } else if (!line.isBlank() && !line.startsWith("##")) {
                        vectors.put(name, HexFormat.of().parseHex(line.strip()));
                    }
                }
            }
            return vectors;
        }

        @Test
        void everyRequestGetsExactlyTheDocumentedReply() throws IOException {
            Files.write(root.resolve("hello.txt"), "hello, chunked world!\n".getBytes(StandardCharsets.US_ASCII));
            byte[] pieces = new byte[10_000];
            for (int i = 0; i < pieces.length; i++) {
                pieces[i] = (byte) (i % 251);
            }
            Files.write(root.resolve("pieces.bin"), pieces);
            Files.write(root.resolve("empty.txt"), new byte[0]);
            var vectors = vectors();
            List<String> names = vectors.keySet().stream().filter(key -> key.endsWith(" request")).toList();
            assertThat(names).hasSize(8);

            for (String request : names) {
                byte[] expected = vectors.get(request.replace(" request", " response"));
                try (Socket socket = new Socket()) {
                    socket.connect(address, 20_000);
                    socket.setSoTimeout(20_000);
                    socket.getOutputStream().write(vectors.get(request));
                    assertThat(socket.getInputStream().readAllBytes()).as(request).isEqualTo(expected);
                }
            }
        }
    }

    @Nested
    class Refusals {

        @Test
        void aFirstPiecePastThePieceCountIsABadDigestRequest() throws Exception {
            Files.write(root.resolve("three.bin"), random(3 * PIECE, 7));

            assertThat(refusal(ask("three.bin", 4, PIECE)))
                    .isEqualTo("bad digest request: first piece 4 is past the end of the file (3 pieces of 4096 bytes)");
            assertThat(awaitLogLine(" DIGESTS three.bin ")).contains(" DIGESTS three.bin [4,4) bad-range 0 B ");
            assertThat(digests("three.bin", 0, PIECE).digests()).hasSize(3);
        }

        @Test
        void aBadPieceLengthOrANegativeFirstPieceIsABadDigestRequest() throws Exception {
            Files.write(root.resolve("a.bin"), random(10, 8));
            byte[] name = "a.bin".getBytes(StandardCharsets.US_ASCII);

            assertThat(refusal(exchange(concat(header(0, 1000, Frame.TYPE_DIGESTS, name.length), name))))
                    .isEqualTo("bad digest request: piece length 1000 is not a power of two from 4096 to 1073741824");
            assertThat(refusal(exchange(concat(header(-1, 4096, Frame.TYPE_DIGESTS, name.length), name))))
                    .isEqualTo("bad digest request: negative first piece -1");
            assertThat(awaitLogLine(" DIGESTS - ")).contains(" bad-request ");
        }

        @Test
        void aFileOutsideTheRootOrMissingIsNoSuchFile() throws IOException {
            assertThat(refusal(ask("missing.bin", 0, PIECE))).isEqualTo("no such file");
            assertThat(refusal(ask("../etc/passwd", 0, PIECE))).isEqualTo("no such file");
        }

        static byte[] header(long startOffset, long transferSize, int packetType, int textLength) {
            return ByteBuffer.allocate(Frame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(startOffset).putLong(transferSize).putInt(packetType).putInt(textLength).array();
        }

        static byte[] concat(byte[] first, byte[] second) {
            byte[] all = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, all, first.length, second.length);
            return all;
        }
    }

    @Nested
    class Versions {

        @Test
        void aVersionIsHashedOnceAndThenAnsweredFromTheCache() throws IOException {
            byte[] file = random(200 * PIECE, 9);
            Files.write(root.resolve("once.bin"), file);
            long before = DigestService.flatPassesSoFar();

            Frame.DigestReply first = digests("once.bin", 0, PIECE);
            Frame.DigestReply second = digests("once.bin", 126, PIECE);
            Frame.DigestReply again = digests("once.bin", 0, PIECE);

            assertThat(DigestService.flatPassesSoFar() - before).isEqualTo(1);
            assertThat(again).isEqualTo(first);
            assertThat(second.root()).isEqualTo(first.root());
        }

        @Test
        void manyClientsAskingForANewVersionAtOnceCauseOnePass() throws Exception {
            byte[] file = random(8 << 20, 10);
            Files.write(root.resolve("popular.bin"), file);
            Frame.DigestReply expected = new Frame.DigestReply(0, file.length, Digest.rootOf(digestsOf(file, PIECE)),
                    digestsOf(file, PIECE).subList(0, 126));
            long before = DigestService.flatPassesSoFar();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Frame.Reply>> replies = new ArrayList<>();

            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 16; i++) {
                    replies.add(clients.submit(() -> {
                        go.await();
                        return ask("popular.bin", 0, PIECE);
                    }));
                }
                go.countDown();
                for (Future<Frame.Reply> reply : replies) {
                    assertThat(reply.get()).isEqualTo(expected);
                }
            }

            assertThat(DigestService.flatPassesSoFar() - before).isEqualTo(1);
        }

        @Test
        void aFileRewrittenBetweenTwoRequestsGetsNewDigestsNeverTheCachedOnes() throws IOException {
            Path path = root.resolve("changing.bin");
            byte[] old = random(10 * PIECE, 11);
            Files.write(path, old);
            FileTime written = Files.getLastModifiedTime(path);
            assertThat(digests("changing.bin", 0, PIECE).digests()).isEqualTo(digestsOf(old, PIECE));

            byte[] rewritten = random(10 * PIECE, 12); // same size
            Files.write(path, rewritten);
            // Same size, and a modification time that certainly differs, whatever the file system's clock tick.
            Files.setLastModifiedTime(path, FileTime.fromMillis(written.toMillis() + 2_000));

            Frame.DigestReply reply = digests("changing.bin", 0, PIECE);
            assertThat(reply.digests()).isEqualTo(digestsOf(rewritten, PIECE));
            assertThat(reply.root()).isEqualTo(Digest.rootOf(digestsOf(rewritten, PIECE)));
        }

        @Test
        void aFileReplacedByRenameGetsTheNewFilesDigests() throws IOException {
            Path path = root.resolve("replaced.bin");
            Files.write(path, random(5 * PIECE, 13));
            digests("replaced.bin", 0, PIECE);

            byte[] next = random(7 * PIECE + 3, 14);
            Path temporary = Files.write(root.resolve("replaced.bin.tmp"), next);
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            Frame.DigestReply reply = digests("replaced.bin", 0, PIECE);
            assertThat(reply.fileSize()).isEqualTo(next.length);
            assertThat(reply.digests()).isEqualTo(digestsOf(next, PIECE));
        }
    }
}
