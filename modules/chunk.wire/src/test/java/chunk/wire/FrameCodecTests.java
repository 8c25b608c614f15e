package chunk.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import chunk.wire.MalformedFrameException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FrameEncoder} and {@link FrameDecoder} against captured bytes, generated values and hostile input. */
@Timeout(60) // a safety net: no test here should take more than a few seconds
class FrameCodecTests {

    static final long TWO_TO_31 = 1L << 31;

    /** A header built by hand, independent of {@link FrameEncoder}, followed by {@code text}. */
    static byte[] frame(long startOffset, long transferSize, int packetType, long textLength, byte[] text) {
        return ByteBuffer.allocate(Frame.HEADER_BYTES + text.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(startOffset)
                .putLong(transferSize)
                .putInt(packetType)
                .putInt((int) textLength)
                .put(text)
                .array();
    }

    static byte[] frame(long startOffset, long transferSize, int packetType, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return frame(startOffset, transferSize, packetType, bytes.length, bytes);
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    static MalformedFrameException requestFailure(byte[] input) {
        return catchThrowableOfType(MalformedFrameException.class,
                () -> FrameDecoder.readRequest(new ByteChannels.Source(input)));
    }

    static MalformedFrameException replyFailure(byte[] input) {
        return catchThrowableOfType(MalformedFrameException.class,
                () -> FrameDecoder.readReply(new ByteChannels.Source(input)));
    }

    @Nested
    class Vectors {

        /** What each captured message means; a request the decoder must reject maps to its problem. */
        static final Map<String, Object> EXPECTED = Map.ofEntries(
                Map.entry("size-ok request", new Frame.SizeRequest("hello.txt")),
                Map.entry("size-ok response", new Frame.SizeReply(22)),
                Map.entry("size-missing request", new Frame.SizeRequest("missing.txt")),
                Map.entry("size-missing response", new Frame.ErrorReply("stat error")),
                Map.entry("chunk-ok request", new Frame.ChunkRequest("hello.txt", new ByteRange(7, 7))),
                Map.entry("chunk-ok response", new Frame.ChunkReply(new ByteRange(7, 7))),
                Map.entry("chunk-missing request", new Frame.ChunkRequest("missing.txt", new ByteRange(0, 10))),
                Map.entry("chunk-missing response", new Frame.ErrorReply("stat error")),
                Map.entry("chunk-negative-offset request", Problem.BAD_RANGE),
                Map.entry("chunk-negative-offset response", new Frame.ErrorReply("fseek error")),
                // Type 2 is DIGESTS now; this capture asks for digests at a piece length of 0.
                Map.entry("unknown-type request", Problem.BAD_DIGESTS),
                Map.entry("unknown-type response", new Frame.ErrorReply("bad packet type error")),
                Map.entry("client-request-0 request", new Frame.SizeRequest("data.bin")),
                Map.entry("client-request-1 request", new Frame.ChunkRequest("data.bin", new ByteRange(0, 10))),
                Map.entry("client-request-2 request", new Frame.ChunkRequest("data.bin", new ByteRange(10, 10))));

        static Stream<WireVector> vectors() {
            return WireVector.loadAll().stream();
        }

        static Stream<WireVector> acceptedVectors() {
            return vectors().filter(vector -> EXPECTED.get(vector.key()) instanceof Frame);
        }

        static Stream<WireVector> rejectedVectors() {
            return vectors().filter(vector -> EXPECTED.get(vector.key()) instanceof Problem);
        }

        static Frame decode(WireVector vector, ReadableByteChannel in) throws IOException {
            return switch (vector.direction()) {
                case REQUEST -> FrameDecoder.readRequest(in);
                case RESPONSE -> FrameDecoder.readReply(in);
            };
        }

        @Test
        void theCapturedFileAndThisTestListTheSameMessages() {
            Map<String, WireVector> byKey = vectors()
                    .collect(Collectors.toMap(WireVector::key, Function.identity()));
            assertThat(byKey).hasSize(15);
            assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("acceptedVectors")
        void decodesToTheExpectedFrameAndEncodesBackToTheSameBytes(WireVector vector) throws IOException {
            var in = new ByteChannels.Source(vector.bytes());

            Frame decoded = decode(vector, in);

            assertThat(decoded).isEqualTo(EXPECTED.get(vector.key()));
            byte[] encoded = bytes(FrameEncoder.encode(decoded));
            assertThat(encoded).isEqualTo(in.consumedBytes());
            // Only a chunk reply is followed by anything: its data, left unread in the channel.
            int data = decoded instanceof Frame.ChunkReply(ByteRange range) ? (int) range.length() : 0;
            assertThat(in.remainingBytes()).hasSize(data);
            assertThat(concat(encoded, in.remainingBytes())).isEqualTo(vector.bytes());
        }

        @Test
        void leavesTheDataOfTheCapturedChunkReplyInTheChannel() throws IOException {
            WireVector vector = vectors().filter(v -> v.key().equals("chunk-ok response")).findFirst().orElseThrow();
            var in = new ByteChannels.Source(vector.bytes());

            FrameDecoder.readReply(in);

            assertThat(new String(in.remainingBytes(), StandardCharsets.US_ASCII)).isEqualTo("chunked");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("rejectedVectors")
        void rejectsTheRequestsTheOriginalServerAnsweredWithAnError(WireVector vector) {
            var in = new ByteChannels.Source(vector.bytes());

            var failure = catchThrowableOfType(MalformedFrameException.class, () -> FrameDecoder.readRequest(in));

            assertThat(failure).isNotNull();
            assertThat(failure.problem()).isEqualTo(EXPECTED.get(vector.key()));
            // The whole request is consumed, so a server can answer and close cleanly.
            assertThat(in.remainingBytes()).isEmpty();
        }

        @Test
        void namesTheProblemOfEachRejectedRequestInItsMessage() {
            WireVector negative = vectors().filter(v -> v.key().equals("chunk-negative-offset request")).findFirst().orElseThrow();
            WireVector unknown = vectors().filter(v -> v.key().equals("unknown-type request")).findFirst().orElseThrow();

            assertThat(requestFailure(negative.bytes())).hasMessageContaining("offset -5");
            assertThat(requestFailure(unknown.bytes())).hasMessageContaining("piece length 0");
        }
    }

    /** The hand-made vectors of the DIGESTS extension, {@code digests.txt}, which docs/PROTOCOL.md shows. */
    @Nested
    class DigestVectors {

        static final byte[] HELLO = "hello, chunked world!\n".getBytes(StandardCharsets.US_ASCII);
        static final int PIECE = 4096;

        /** 10000 bytes, byte i being i mod 251: three pieces, the last of 1808 bytes. */
        static byte[] pieces() {
            byte[] bytes = new byte[10_000];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i % 251);
            }
            return bytes;
        }

        /** Computed here with the JDK's SHA-256, independently of the script that wrote the hex. */
        static List<Digest> digestsOf(byte[] file) {
            return IntStream.range(0, (file.length + PIECE - 1) / PIECE)
                    .mapToObj(i -> Digest.of(Arrays.copyOfRange(file, i * PIECE, Math.min(file.length, (i + 1) * PIECE))))
                    .toList();
        }

        static final List<Digest> HELLO_DIGESTS = digestsOf(HELLO);
        static final List<Digest> PIECES_DIGESTS = digestsOf(pieces());

        static final Map<String, Object> EXPECTED = Map.ofEntries(
                Map.entry("digests-ok request", new Frame.DigestRequest("hello.txt", 0, PIECE)),
                Map.entry("digests-ok response", new Frame.DigestReply(0, 22, Digest.rootOf(HELLO_DIGESTS), HELLO_DIGESTS)),
                Map.entry("digests-paged request", new Frame.DigestRequest("pieces.bin", 1, PIECE)),
                Map.entry("digests-paged response",
                        new Frame.DigestReply(1, 10_000, Digest.rootOf(PIECES_DIGESTS), PIECES_DIGESTS.subList(1, 3))),
                Map.entry("digests-root-only request", new Frame.DigestRequest("pieces.bin", 3, PIECE)),
                Map.entry("digests-root-only response", new Frame.DigestReply(3, 10_000, Digest.rootOf(PIECES_DIGESTS), List.of())),
                Map.entry("digests-empty request", new Frame.DigestRequest("empty.txt", 0, PIECE)),
                Map.entry("digests-empty response", new Frame.DigestReply(0, 0, Digest.of(new byte[0]), List.of())),
                Map.entry("digests-past-end request", new Frame.DigestRequest("hello.txt", 2, PIECE)),
                Map.entry("digests-past-end response", new Frame.ErrorReply(
                        "bad digest request: first piece 2 is past the end of the file (1 piece of 4096 bytes)")),
                Map.entry("digests-bad-length request", Problem.BAD_DIGESTS),
                Map.entry("digests-bad-length response", new Frame.ErrorReply(
                        "bad digest request: piece length 1000 is not a power of two from 4096 to 1073741824")),
                Map.entry("digests-negative request", Problem.BAD_DIGESTS),
                Map.entry("digests-negative response", new Frame.ErrorReply("bad digest request: negative first piece -1")),
                Map.entry("digests-missing request", new Frame.DigestRequest("missing.txt", 0, PIECE)),
                Map.entry("digests-missing response", new Frame.ErrorReply("no such file")));

        static Stream<WireVector> vectors() {
            return WireVector.loadAll(WireVector.DIGESTS_RESOURCE).stream();
        }

        static Stream<WireVector> acceptedVectors() {
            return vectors().filter(vector -> EXPECTED.get(vector.key()) instanceof Frame);
        }

        static Stream<WireVector> rejectedVectors() {
            return vectors().filter(vector -> EXPECTED.get(vector.key()) instanceof Problem);
        }

        @Test
        void theVectorFileAndThisTestListTheSameMessages() {
            assertThat(vectors().map(WireVector::key).toList()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("acceptedVectors")
        void decodesToTheExpectedFrameAndEncodesBackToTheSameBytes(WireVector vector) throws IOException {
            var in = new ByteChannels.Source(vector.bytes());

            Frame decoded = Vectors.decode(vector, in);

            assertThat(decoded).isEqualTo(EXPECTED.get(vector.key()));
            assertThat(in.remainingBytes()).isEmpty();
            assertThat(bytes(FrameEncoder.encode(decoded))).isEqualTo(vector.bytes());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("rejectedVectors")
        void rejectsTheBadRequestsWholeWithTheMessageTheServerSendsBack(WireVector vector) {
            var in = new ByteChannels.Source(vector.bytes());

            var failure = catchThrowableOfType(MalformedFrameException.class, () -> FrameDecoder.readRequest(in));

            assertThat(failure.problem()).isEqualTo(EXPECTED.get(vector.key()));
            assertThat(in.remainingBytes()).isEmpty();
            String response = vector.key().replace(" request", " response");
            assertThat(new Frame.ErrorReply(failure.getMessage())).isEqualTo(EXPECTED.get(response));
        }

        @Test
        void theRootOfTheSmallFileIsTheDigestOfItsOnlyPiecesDigest() {
            assertThat(Digest.rootOf(HELLO_DIGESTS)).isEqualTo(Digest.of(Digest.of(HELLO).bytes()));
            assertThat(PIECES_DIGESTS).hasSize(3);
        }
    }

    /** The hand-made vectors of persistent connections, {@code keep-open.txt}, which docs/PROTOCOL.md shows. */
    @Nested
    class KeepOpenVectors {

        static final Frame.KeepOpenReply AGREED = new Frame.KeepOpenReply(5000, 1);

        static final Map<String, Object> EXPECTED = Map.ofEntries(
                Map.entry("keep-open-ok request", new Frame.KeepOpenRequest(1)),
                Map.entry("keep-open-ok response", AGREED),
                Map.entry("keep-open-newer request", new Frame.KeepOpenRequest(3)),
                Map.entry("keep-open-newer response", new Frame.KeepOpenReply(5000, Frame.KEEP_OPEN_TREE_VERSION)),
                Map.entry("keep-open-round-2 response", AGREED),
                Map.entry("keep-open-original response", new Frame.ErrorReply("bad packet type error")),
                Map.entry("keep-open-1.0 response", new Frame.ErrorReply("unknown packet type 3")),
                Map.entry("then-size request", new Frame.SizeRequest("hello.txt")),
                Map.entry("then-size response", new Frame.SizeReply(22)),
                Map.entry("then-missing request", new Frame.SizeRequest("missing.txt")),
                Map.entry("then-missing response", new Frame.ErrorReply("no such file")),
                Map.entry("then-chunk request", new Frame.ChunkRequest("hello.txt", new ByteRange(7, 7))),
                Map.entry("then-chunk response", new Frame.ChunkReply(new ByteRange(7, 7))),
                Map.entry("keep-open-again request", Problem.UNKNOWN_TYPE),
                Map.entry("keep-open-again response",
                        new Frame.ErrorReply("packet type 3 (keep open) is valid only as the first request of a connection")),
                Map.entry("keep-open-version-0 request", Problem.BAD_KEEP_OPEN),
                Map.entry("keep-open-version-0 response", new Frame.ErrorReply("bad keep-open request: version 0 (versions start at 1)")),
                Map.entry("keep-open-with-text request", Problem.UNEXPECTED_FIELD),
                Map.entry("keep-open-with-text response",
                        new Frame.ErrorReply("bad request: a keep-open request carries no text, but textLength is 9")),
                Map.entry("keep-open-offset request", Problem.UNEXPECTED_FIELD),
                Map.entry("keep-open-offset response",
                        new Frame.ErrorReply("bad request: startOffset of a keep-open request must be 0, not 5")));

        static Stream<WireVector> vectors() {
            return WireVector.loadAll(WireVector.KEEP_OPEN_RESOURCE).stream();
        }

        static WireVector vector(String key) {
            return vectors().filter(v -> v.key().equals(key)).findFirst().orElseThrow();
        }

        /** As a server and a client read them: a connection's first frame, a later request, an answer to a keep-open, a reply. */
        static Frame decode(WireVector vector, ReadableByteChannel in) throws IOException {
            boolean later = vector.name().startsWith("then-") || vector.name().equals("keep-open-again");
            return switch (vector.direction()) {
                case REQUEST -> later ? FrameDecoder.readRequest(in) : FrameDecoder.readOpening(in);
                case RESPONSE -> vector.name().startsWith("then-") ? FrameDecoder.readReply(in) : FrameDecoder.readKeepOpenAnswer(in);
            };
        }

        static Stream<WireVector> acceptedVectors() {
            return vectors().filter(vector -> EXPECTED.get(vector.key()) instanceof Frame);
        }

        static Stream<WireVector> rejectedVectors() {
            return vectors().filter(vector -> EXPECTED.get(vector.key()) instanceof Problem);
        }

        @Test
        void theVectorFileAndThisTestListTheSameMessages() {
            assertThat(vectors().map(WireVector::key).toList()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("acceptedVectors")
        void decodesToTheExpectedFrameAndEncodesBackToTheSameBytes(WireVector vector) throws IOException {
            var in = new ByteChannels.Source(vector.bytes());

            Frame decoded = decode(vector, in);

            assertThat(decoded).isEqualTo(EXPECTED.get(vector.key()));
            byte[] encoded = bytes(FrameEncoder.encode(decoded));
            assertThat(encoded).isEqualTo(in.consumedBytes());
            assertThat(concat(encoded, in.remainingBytes())).isEqualTo(vector.bytes());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("rejectedVectors")
        void rejectsTheBadRequestsWholeWithTheMessageTheServerSendsBack(WireVector vector) {
            var in = new ByteChannels.Source(vector.bytes());

            var failure = catchThrowableOfType(MalformedFrameException.class, () -> decode(vector, in));

            assertThat(failure.problem()).isEqualTo(EXPECTED.get(vector.key()));
            assertThat(in.remainingBytes()).isEmpty();
            // The server prefixes the problems that the decoder does not word for the client.
            String reason = failure.problem() == Problem.UNEXPECTED_FIELD ? "bad request: " + failure.getMessage() : failure.getMessage();
            assertThat(new Frame.ErrorReply(reason)).isEqualTo(EXPECTED.get(vector.key().replace(" request", " response")));
        }

        @Test
        void aWholeSessionOnOneConnectionReadsFrameByFrameWithNothingLeftOver() throws IOException {
            byte[] sent = Stream.of("keep-open-ok", "then-size", "then-missing", "then-chunk")
                    .map(name -> vector(name + " request").bytes()).reduce(new byte[0], FrameCodecTests::concat);
            byte[] answered = Stream.of("keep-open-ok", "then-size", "then-missing", "then-chunk")
                    .map(name -> vector(name + " response").bytes()).reduce(new byte[0], FrameCodecTests::concat);
            var requests = new ByteChannels.Source(sent, 5);
            var replies = new ByteChannels.Source(answered, 5);

            assertThat(FrameDecoder.readOpening(requests)).isEqualTo(new Frame.KeepOpenRequest(1));
            assertThat(FrameDecoder.readRequest(requests)).isEqualTo(EXPECTED.get("then-size request"));
            assertThat(FrameDecoder.readRequest(requests)).isEqualTo(EXPECTED.get("then-missing request"));
            assertThat(FrameDecoder.readRequest(requests)).isEqualTo(EXPECTED.get("then-chunk request"));
            assertThat(requests.remainingBytes()).isEmpty();
            assertThat(FrameDecoder.readKeepOpenAnswer(replies)).isEqualTo(AGREED);
            assertThat(FrameDecoder.readReply(replies)).isEqualTo(new Frame.SizeReply(22));
            assertThat(FrameDecoder.readReply(replies)).isEqualTo(new Frame.ErrorReply("no such file"));
            assertThat(FrameDecoder.readReply(replies)).isEqualTo(new Frame.ChunkReply(new ByteRange(7, 7)));
            assertThat(new String(replies.remainingBytes(), StandardCharsets.US_ASCII)).isEqualTo("chunked");
        }
    }

    /**
     * The hand-made vectors of DIGESTS on a connection kept open at version 2, {@code digest-tree.txt}, which
     * docs/PROTOCOL.md shows: one session, in order. The digests are computed here by BEP 52's definition with the
     * JDK's SHA-256, independently of chunk.wire.tree and of the script that wrote the hex.
     */
    @Nested
    class DigestTreeVectors {

        static final byte[] HELLO = DigestVectors.HELLO;
        static final byte[] ZERO = new byte[Digest.BYTES];

        /** 40000 bytes, byte i being i mod 251: three blocks of 16 KiB, the last of 7232 bytes. */
        static byte[] tree() {
            byte[] bytes = new byte[40_000];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i % 251);
            }
            return bytes;
        }

        static Digest parent(Digest left, byte[] right) {
            return Digest.of(concat(left.bytes(), right));
        }

        static final Digest[] LEAVES = IntStream.range(0, 3)
                .mapToObj(i -> Digest.of(Arrays.copyOfRange(tree(), i * 16_384, Math.min(40_000, (i + 1) * 16_384))))
                .toArray(Digest[]::new);
        static final Digest LAST_PAIR = parent(LEAVES[2], ZERO);
        static final Digest ROOT = parent(parent(LEAVES[0], LEAVES[1].bytes()), LAST_PAIR.bytes());

        static final Map<String, Object> EXPECTED = Map.ofEntries(
                Map.entry("tree-keep-open request", new Frame.KeepOpenRequest(2)),
                Map.entry("tree-keep-open response", new Frame.KeepOpenReply(5000, 2)),
                Map.entry("tree-hello request", new Frame.DigestRequest("hello.txt", 0, 16_384)),
                Map.entry("tree-hello response", new Frame.DigestReply(0, 22, Digest.of(HELLO), List.of(Digest.of(HELLO)))),
                Map.entry("tree-leaves request", new Frame.DigestRequest("tree.bin", 0, 16_384)),
                Map.entry("tree-leaves response", new Frame.DigestReply(0, 40_000, ROOT, List.of(LEAVES))),
                Map.entry("tree-pieces request", new Frame.DigestRequest("tree.bin", 1, 32_768)),
                Map.entry("tree-pieces response", new Frame.DigestReply(1, 40_000, ROOT, List.of(LAST_PAIR))),
                Map.entry("tree-one-piece request", new Frame.DigestRequest("tree.bin", 0, 65_536)),
                Map.entry("tree-one-piece response", new Frame.DigestReply(0, 40_000, ROOT, List.of(ROOT))),
                Map.entry("tree-root-only request", new Frame.DigestRequest("tree.bin", 2, 32_768)),
                Map.entry("tree-root-only response", new Frame.DigestReply(2, 40_000, ROOT, List.of())),
                Map.entry("tree-empty request", new Frame.DigestRequest("empty.txt", 0, 16_384)),
                Map.entry("tree-empty response", new Frame.DigestReply(0, 0, Digest.of(new byte[0]), List.of())),
                Map.entry("tree-short-piece request", new Frame.DigestRequest("hello.txt", 0, 4096)),
                Map.entry("tree-short-piece response", new Frame.ErrorReply(
                        "bad digest request: piece length 4096 is shorter than a block of the digest tree (16384 bytes)")));

        static Stream<WireVector> vectors() {
            return WireVector.loadAll(WireVector.DIGEST_TREE_RESOURCE).stream();
        }

        @Test
        void theVectorFileAndThisTestListTheSameMessages() {
            assertThat(vectors().map(WireVector::key).toList()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("vectors")
        void decodesToTheExpectedFrameAndEncodesBackToTheSameBytes(WireVector vector) throws IOException {
            var in = new ByteChannels.Source(vector.bytes());
            boolean opening = vector.name().equals("tree-keep-open");

            Frame decoded = switch (vector.direction()) {
                case REQUEST -> opening ? FrameDecoder.readOpening(in) : FrameDecoder.readRequest(in);
                case RESPONSE -> opening ? FrameDecoder.readKeepOpenAnswer(in) : FrameDecoder.readReply(in);
            };

            assertThat(decoded).isEqualTo(EXPECTED.get(vector.key()));
            assertThat(in.remainingBytes()).isEmpty();
            assertThat(bytes(FrameEncoder.encode(decoded))).isEqualTo(vector.bytes());
        }

        @Test
        void theTreesRootIsBep52sAndDiffersFromTheFlatRootOfTheSamePieces() {
            assertThat(chunk.wire.tree.DigestTree.rootOfPieces(40_000, 16_384, List.of(LEAVES))).isEqualTo(ROOT);
            assertThat(Digest.rootOf(List.of(LEAVES))).isNotEqualTo(ROOT);
            assertThat(Frame.digestsFromTree(Frame.KEEP_OPEN_TREE_VERSION)).isTrue();
            assertThat(Frame.digestsFromTree(Frame.KEEP_OPEN_VERSION)).isFalse();
            assertThat(Frame.digestsFromTree(0)).isFalse();
        }
    }

    /** KEEP-OPEN frames outside the vectors: where each may appear, and every field checked. */
    @Nested
    class KeepOpen {

        static Stream<Arguments> openings() {
            return Stream.of(new Frame.KeepOpenRequest(1), new Frame.KeepOpenRequest(2), new Frame.KeepOpenRequest(Long.MAX_VALUE),
                            new Frame.SizeRequest("a"), new Frame.ChunkRequest("hello.txt", new ByteRange(7, 7)),
                            new Frame.DigestRequest("a", 3, 4096))
                    .map(frame -> Arguments.argumentSet(frame.toString(), frame));
        }

        @ParameterizedTest
        @MethodSource("openings")
        void anOpeningComesBackEqualAndUsesExactlyItsOwnBytes(Frame.Opening opening) throws IOException {
            byte[] encoded = bytes(FrameEncoder.encode(opening));
            var in = new ByteChannels.Source(concat(encoded, new byte[] {42}), 7);

            assertThat(FrameDecoder.readOpening(in)).isEqualTo(opening);
            assertThat(in.consumed()).isEqualTo(encoded.length);
        }

        @ParameterizedTest
        @CsvSource({"1, 1", "5000, 1", "1, 9", "9223372036854775807, 9223372036854775807"})
        void aKeepOpenReplyComesBackEqualAndUsesExactlyItsOwnBytes(long waitMillis, long version) throws IOException {
            var reply = new Frame.KeepOpenReply(waitMillis, version);
            byte[] encoded = bytes(FrameEncoder.encode(reply));
            var in = new ByteChannels.Source(concat(encoded, new byte[] {42}), 7);

            assertThat(FrameDecoder.readKeepOpenAnswer(in)).isEqualTo(reply);
            assertThat(in.consumed()).isEqualTo(encoded.length);
        }

        @Test
        void theRequestCarriesTheVersionInTheSizeFieldAndTheReplyTheWaitInTheOffsetField() {
            assertThat(HexFormat.of().formatHex(bytes(FrameEncoder.encode(new Frame.KeepOpenRequest(0x0102)))))
                    .isEqualTo("0000000000000000" + "0201000000000000" + "03000000" + "00000000");
            assertThat(HexFormat.of().formatHex(bytes(FrameEncoder.encode(new Frame.KeepOpenReply(0x0304, 1)))))
                    .isEqualTo("0403000000000000" + "0100000000000000" + "03000000" + "00000000");
        }

        @Test
        void aKeepOpenIsNotARequestOnItsOwn() {
            var failure = requestFailure(frame(0, 1, Frame.TYPE_KEEP_OPEN, ""));

            assertThat(failure.problem()).isEqualTo(Problem.UNKNOWN_TYPE);
        }

        @Test
        void aKeepOpenReplyIsNotAReplyToARequest() {
            var failure = replyFailure(frame(5000, 1, Frame.TYPE_KEEP_OPEN, ""));

            assertThat(failure.problem()).isEqualTo(Problem.UNKNOWN_TYPE);
        }

        @ParameterizedTest(name = "packet type {0}")
        @ValueSource(ints = {Frame.TYPE_SIZE, Frame.TYPE_CHUNK, Frame.TYPE_DIGESTS, 4})
        void anythingButAKeepOpenReplyOrAnErrorIsNotAnAnswerToAKeepOpen(int type) {
            var failure = catchThrowableOfType(MalformedFrameException.class,
                    () -> FrameDecoder.readKeepOpenAnswer(new ByteChannels.Source(frame(0, 22, type, ""))));

            assertThat(failure.problem()).isEqualTo(Problem.UNKNOWN_TYPE);
            assertThat(failure).hasMessageContaining("in answer to a keep-open request");
        }

        @ParameterizedTest(name = "wait {0}, version {1}")
        @CsvSource({"0, 1", "-1, 1", "5000, 0", "5000, -1", "-9223372036854775808, -9223372036854775808"})
        void aKeepOpenReplyNeedsAPositiveWaitAndVersion(long waitMillis, long version) {
            var failure = catchThrowableOfType(MalformedFrameException.class,
                    () -> FrameDecoder.readKeepOpenAnswer(new ByteChannels.Source(frame(waitMillis, version, Frame.TYPE_KEEP_OPEN, ""))));

            assertThat(failure.problem()).isEqualTo(Problem.BAD_KEEP_OPEN);
        }

        @Test
        void aKeepOpenReplyWithTextIsRejectedFromItsHeaderAlone() {
            // The text length is a lie: no text follows, and none is waited for.
            var in = new ByteChannels.Source(frame(5000, 1, Frame.TYPE_KEEP_OPEN, 4000, new byte[0]));

            var failure = catchThrowableOfType(MalformedFrameException.class, () -> FrameDecoder.readKeepOpenAnswer(in));

            assertThat(failure.problem()).isEqualTo(Problem.UNEXPECTED_FIELD);
        }

        @ParameterizedTest(name = "version {0}")
        @ValueSource(longs = {0, -1, Long.MIN_VALUE})
        void aKeepOpenRequestNeedsAVersionOfAtLeastOne(long version) {
            var in = new ByteChannels.Source(frame(0, version, Frame.TYPE_KEEP_OPEN, ""));

            var failure = catchThrowableOfType(MalformedFrameException.class, () -> FrameDecoder.readOpening(in));

            assertThat(failure.problem()).isEqualTo(Problem.BAD_KEEP_OPEN);
        }

        @Test
        void aKeepOpenRequestWithTooLongATextIsRejectedBeforeAnythingIsAllocated() {
            var failure = catchThrowableOfType(MalformedFrameException.class,
                    () -> FrameDecoder.readOpening(new ByteChannels.Source(frame(0, 1, Frame.TYPE_KEEP_OPEN, 0xFFFF_FFFFL, new byte[0]))));

            assertThat(failure.problem()).isEqualTo(Problem.TEXT_TOO_LONG);
        }
    }

    @Nested
    class RoundTrips {

        static final String ONE_BYTE_NAME = "a";
        static final String LONGEST_ASCII_NAME = "n".repeat(Frame.MAX_TEXT_BYTES);
        /** 1365 characters of three UTF-8 bytes each: exactly the limit. */
        static final String LONGEST_CJK_NAME = "日".repeat(Frame.MAX_TEXT_BYTES / 3);
        static final List<String> NAMES = List.of(
                ONE_BYTE_NAME, "hello.txt", "dir/sub dir/file.bin", "données-été.txt", "日本語/ファイル.bin",
                "📦 archive.tar", "é", LONGEST_ASCII_NAME, LONGEST_CJK_NAME);
        static final List<ByteRange> RANGES = List.of(
                new ByteRange(0, 0), new ByteRange(0, 1), new ByteRange(1, 0), new ByteRange(1, 1),
                new ByteRange(0, TWO_TO_31), new ByteRange(TWO_TO_31, TWO_TO_31), new ByteRange(TWO_TO_31, 1),
                new ByteRange(0, Long.MAX_VALUE), new ByteRange(Long.MAX_VALUE, 0), new ByteRange(Long.MAX_VALUE - 1, 1),
                new ByteRange(1, Long.MAX_VALUE - 1));
        static final List<Long> SIZES = List.of(0L, 1L, 2L, TWO_TO_31 - 1, TWO_TO_31, TWO_TO_31 + 1, Long.MAX_VALUE);
        static final List<String> REASONS = List.of(
                "", "no such file", "cannot read file", "bad range: offset -5", "unknown packet type 2",
                "stat error", "nom trop long: ça dépasse", "r".repeat(Frame.MAX_TEXT_BYTES), LONGEST_CJK_NAME);

        static final List<Long> PIECE_INDEXES = List.of(0L, 1L, 125L, 126L, TWO_TO_31, Long.MAX_VALUE - 126, Long.MAX_VALUE);
        static final List<Integer> PIECE_LENGTHS = List.of(4096, 8192, 1 << 20, 1 << 30);

        static Stream<Frame.Request> requests() {
            return Stream.of(
                            NAMES.stream().map(Frame.SizeRequest::new),
                            NAMES.stream().flatMap(name -> RANGES.stream().map(range -> new Frame.ChunkRequest(name, range))),
                            NAMES.stream().flatMap(name -> PIECE_INDEXES.stream().flatMap(first -> PIECE_LENGTHS.stream()
                                    .map(length -> new Frame.DigestRequest(name, first, length)))))
                    .flatMap(Function.identity());
        }

        /** Distinct digests, so that a reply that swapped or lost one would not come back equal. */
        static List<Digest> distinctDigests(int count) {
            return IntStream.range(0, count).mapToObj(i -> Digest.of(new byte[] {(byte) i, (byte) (i >> 8)})).toList();
        }

        static Stream<Frame.DigestReply> digestReplies() {
            Digest root = Digest.of(new byte[] {'r'});
            return Stream.of(
                    new Frame.DigestReply(0, 0, Digest.of(new byte[0]), List.of()),
                    new Frame.DigestReply(0, 1, root, distinctDigests(1)),
                    new Frame.DigestReply(1, 10_000, root, distinctDigests(2)),
                    new Frame.DigestReply(0, 126L << 30, root, distinctDigests(126)),
                    new Frame.DigestReply(TWO_TO_31, Long.MAX_VALUE, root, distinctDigests(125)),
                    new Frame.DigestReply(Long.MAX_VALUE - 126, Long.MAX_VALUE, root, distinctDigests(126)),
                    new Frame.DigestReply(Long.MAX_VALUE, Long.MAX_VALUE, root, List.of()));
        }

        static Stream<Frame.Reply> replies() {
            return Stream.of(
                            SIZES.stream().map(Frame.SizeReply::new),
                            RANGES.stream().map(Frame.ChunkReply::new),
                            digestReplies(),
                            REASONS.stream().map(Frame.ErrorReply::new))
                    .flatMap(Function.identity());
        }

        static String describe(Frame frame) {
            String text = frame.toString();
            return text.length() > 80 ? text.substring(0, 77) + "..." : text;
        }

        static Stream<Arguments> namedRequests() {
            return requests().map(frame -> Arguments.argumentSet(describe(frame), frame));
        }

        static Stream<Arguments> namedReplies() {
            return replies().map(frame -> Arguments.argumentSet(describe(frame), frame));
        }

        @ParameterizedTest
        @MethodSource("namedRequests")
        void aRequestComesBackEqualAndUsesExactlyItsOwnBytes(Frame.Request request) throws IOException {
            byte[] encoded = bytes(FrameEncoder.encode(request));
            // a byte of something else after the frame must stay unread
            var in = new ByteChannels.Source(concat(encoded, new byte[] {42}), 7);

            assertThat(FrameDecoder.readRequest(in)).isEqualTo(request);
            assertThat(in.consumed()).isEqualTo(encoded.length);
            assertThat(encoded.length).isEqualTo(Frame.HEADER_BYTES + request.fileName().getBytes(StandardCharsets.UTF_8).length);
        }

        @ParameterizedTest
        @MethodSource("namedReplies")
        void aReplyComesBackEqualAndUsesExactlyItsOwnBytes(Frame.Reply reply) throws IOException {
            byte[] encoded = bytes(FrameEncoder.encode(reply));
            var in = new ByteChannels.Source(concat(encoded, new byte[] {42}), 7);

            assertThat(FrameDecoder.readReply(in)).isEqualTo(reply);
            assertThat(in.consumed()).isEqualTo(encoded.length);
        }

        @ParameterizedTest
        @MethodSource("namedRequests")
        void writeSendsTheSameBytesAsEncodeEvenToAChannelThatTakesOneByteAtATime(Frame.Request request) throws IOException {
            var out = new ByteChannels.Sink(1);

            FrameEncoder.write(request, out);

            assertThat(out.written()).isEqualTo(bytes(FrameEncoder.encode(request)));
        }

        @Test
        void theHeaderIsLittleEndianWithTheFieldsInProtocolOrder() {
            var frame = new Frame.ChunkRequest("é", new ByteRange(0x0102030405060708L, 0x1112131415161718L));

            assertThat(HexFormat.of().formatHex(bytes(FrameEncoder.encode(frame))))
                    .isEqualTo("0807060504030201" + "1817161514131211" + "01000000" + "02000000" + "c3a9");
        }

        @Test
        void aDigestRequestCarriesTheFirstPieceAndThePieceLengthInTheRangeFields() {
            var frame = new Frame.DigestRequest("é", 0x0102030405060708L, 1 << 30);

            assertThat(HexFormat.of().formatHex(bytes(FrameEncoder.encode(frame))))
                    .isEqualTo("0807060504030201" + "0000004000000000" + "02000000" + "02000000" + "c3a9");
        }

        @Test
        void aDigestReplyCarriesTheRootThenEachDigestInPlaceOfText() {
            Digest root = Digest.of(new byte[0]);
            List<Digest> digests = distinctDigests(2);
            var frame = new Frame.DigestReply(5, 0x1122, root, digests);

            assertThat(HexFormat.of().formatHex(bytes(FrameEncoder.encode(frame))))
                    .isEqualTo("0500000000000000" + "2211000000000000" + "02000000" + "60000000"
                            + root.hex() + digests.get(0).hex() + digests.get(1).hex());
        }

        @Test
        void anErrorReplyCarriesTypeAllOnesAndZeroOffsetAndSize() {
            assertThat(HexFormat.of().formatHex(bytes(FrameEncoder.encode(new Frame.ErrorReply("no")))))
                    .isEqualTo("0000000000000000" + "0000000000000000" + "ffffffff" + "02000000" + "6e6f");
        }

        @Test
        void encodeReturnsABufferThatStartsAtZeroAndEndsAtTheFrame() {
            ByteBuffer buffer = FrameEncoder.encode(new Frame.SizeReply(5));

            assertThat(buffer.position()).isZero();
            assertThat(buffer.remaining()).isEqualTo(Frame.HEADER_BYTES);
        }
    }

    @Nested
    class Malformed {

        static final byte[] VALID_REQUEST = frame(0, 0, Frame.TYPE_SIZE, "hello.txt");
        static final byte[] VALID_ERROR = frame(0, 0, Frame.TYPE_ERROR, "stat error");

        @ParameterizedTest(name = "{0} of 24 header bytes")
        @ValueSource(ints = {0, 1, 7, 8, 15, 16, 20, 23})
        void aHeaderCutShortIsATruncatedHeaderInEitherDirection(int length) {
            byte[] cut = Arrays.copyOf(VALID_REQUEST, length);

            assertThat(requestFailure(cut).problem()).isEqualTo(Problem.TRUNCATED_HEADER);
            assertThat(replyFailure(cut).problem()).isEqualTo(Problem.TRUNCATED_HEADER);
            assertThat(requestFailure(cut)).hasMessageContaining(length + " of 24 header bytes");
        }

        @Test
        void everyLengthOfHeaderCutShortFailsTheSameWay() {
            for (int length = 0; length < Frame.HEADER_BYTES; length++) {
                assertThat(requestFailure(Arrays.copyOf(VALID_REQUEST, length)).problem())
                        .as("%d header bytes", length)
                        .isEqualTo(Problem.TRUNCATED_HEADER);
            }
        }

        @ParameterizedTest(name = "{0} of 9 text bytes")
        @ValueSource(ints = {0, 1, 8})
        void aFileNameCutShortIsTruncatedText(int textBytes) {
            byte[] cut = Arrays.copyOf(VALID_REQUEST, Frame.HEADER_BYTES + textBytes);

            MalformedFrameException failure = requestFailure(cut);

            assertThat(failure.problem()).isEqualTo(Problem.TRUNCATED_TEXT);
            assertThat(failure).hasMessageContaining(textBytes + " of 9 text bytes");
        }

        @Test
        void anErrorReasonCutShortIsTruncatedText() {
            assertThat(replyFailure(Arrays.copyOf(VALID_ERROR, VALID_ERROR.length - 1)).problem())
                    .isEqualTo(Problem.TRUNCATED_TEXT);
        }

        @ParameterizedTest(name = "textLength {0}")
        @ValueSource(longs = {Frame.MAX_TEXT_BYTES + 1, 65_536, Integer.MAX_VALUE, 0x8000_0000L, 0xFFFF_FFFFL})
        void aTextLengthOverTheLimitFailsFromTheHeaderAloneBeforeAnyTextIsRead(long textLength) {
            // No text follows: if the decoder tried to read (or allocate) it first, it would
            // report TRUNCATED_TEXT, or run out of memory, instead.
            for (int type : new int[] {Frame.TYPE_SIZE, Frame.TYPE_CHUNK, 2}) {
                byte[] header = frame(0, 0, type, textLength, new byte[0]);
                assertThat(requestFailure(header).problem()).isEqualTo(Problem.TEXT_TOO_LONG);
                assertThat(requestFailure(header)).hasMessageContaining(Long.toString(textLength));
            }
            assertThat(replyFailure(frame(0, 0, Frame.TYPE_ERROR, textLength, new byte[0])).problem())
                    .isEqualTo(Problem.TEXT_TOO_LONG);
        }

        @Test
        void aPeerThatNeverStopsSendingIsReadOnlyUpToTheHeaderWhenTheLengthIsTooLong() {
            var endless = new ByteChannels.Endless(frame(0, 0, Frame.TYPE_SIZE, 0xFFFF_FFFFL, new byte[0]), (byte) 'x');

            assertThatThrownBy(() -> FrameDecoder.readRequest(endless))
                    .isInstanceOfSatisfying(MalformedFrameException.class,
                            e -> assertThat(e.problem()).isEqualTo(Problem.TEXT_TOO_LONG));
            assertThat(endless.delivered()).isEqualTo(Frame.HEADER_BYTES);
        }

        @Test
        void aPeerThatNeverStopsSendingIsReadOnlyToTheEndOfTheLongestFrame() throws IOException {
            var endless = new ByteChannels.Endless(frame(0, 0, Frame.TYPE_SIZE, Frame.MAX_TEXT_BYTES, new byte[0]), (byte) 'x');

            Frame.Request request = FrameDecoder.readRequest(endless);

            assertThat(request).isEqualTo(new Frame.SizeRequest("x".repeat(Frame.MAX_TEXT_BYTES)));
            assertThat(endless.delivered()).isEqualTo(Frame.HEADER_BYTES + Frame.MAX_TEXT_BYTES);
        }

        @Test
        void aChunkReplyIsReadOnlyToTheEndOfItsHeaderSoTheDataStaysInTheChannel() throws IOException {
            var endless = new ByteChannels.Endless(frame(0, Long.MAX_VALUE, Frame.TYPE_CHUNK, 0, new byte[0]), (byte) 'd');

            assertThat(FrameDecoder.readReply(endless)).isEqualTo(new Frame.ChunkReply(new ByteRange(0, Long.MAX_VALUE)));
            assertThat(endless.delivered()).isEqualTo(Frame.HEADER_BYTES);
        }

        static Stream<Arguments> badRequestRanges() {
            return Stream.of(
                    Arguments.argumentSet("negative offset", -1L, 10L),
                    Arguments.argumentSet("most negative offset", Long.MIN_VALUE, 0L),
                    Arguments.argumentSet("negative size", 0L, -1L),
                    Arguments.argumentSet("most negative size", 5L, Long.MIN_VALUE),
                    Arguments.argumentSet("end past 2^63-1", Long.MAX_VALUE, 1L),
                    Arguments.argumentSet("end far past 2^63-1", Long.MAX_VALUE / 2 + 1, Long.MAX_VALUE / 2 + 1));
        }

        @ParameterizedTest
        @MethodSource("badRequestRanges")
        void aChunkRequestWithANegativeOrOverflowingRangeIsABadRange(long offset, long size) {
            MalformedFrameException failure = requestFailure(frame(offset, size, Frame.TYPE_CHUNK, "hello.txt"));

            assertThat(failure.problem()).isEqualTo(Problem.BAD_RANGE);
            assertThat(failure).hasMessageContaining("offset " + offset).hasMessageContaining("size " + size);
        }

        @ParameterizedTest
        @MethodSource("badRequestRanges")
        void aChunkReplyWithANegativeOrOverflowingRangeIsABadRange(long offset, long size) {
            assertThat(replyFailure(frame(offset, size, Frame.TYPE_CHUNK, "")).problem()).isEqualTo(Problem.BAD_RANGE);
        }

        @Test
        void aSizeReplyWithANegativeSizeIsABadRange() {
            MalformedFrameException failure = replyFailure(frame(0, -22, Frame.TYPE_SIZE, ""));

            assertThat(failure.problem()).isEqualTo(Problem.BAD_RANGE);
            assertThat(failure).hasMessageContaining("-22");
        }

        @ParameterizedTest(name = "request type {0}")
        @ValueSource(longs = {4, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL})
        void aRequestOfATypeOtherThanSizeChunkDigestsOrKeepOpenIsAnUnknownType(long type) {
            MalformedFrameException failure = requestFailure(frame(0, 0, (int) type, "hello.txt"));
            MalformedFrameException asOpening = catchThrowableOfType(MalformedFrameException.class,
                    () -> FrameDecoder.readOpening(new ByteChannels.Source(frame(0, 0, (int) type, "hello.txt"))));

            assertThat(failure.problem()).isEqualTo(Problem.UNKNOWN_TYPE);
            assertThat(failure).hasMessageEndingWith("packet type " + type);
            assertThat(asOpening.problem()).isEqualTo(Problem.UNKNOWN_TYPE);
            assertThat(asOpening).hasMessageEndingWith("packet type " + type);
        }

        @ParameterizedTest(name = "reply type {0}")
        @ValueSource(longs = {3, 4, 0x8000_0000L, 0xFFFF_FFFEL})
        void aReplyOfAnUnknownTypeIsAnUnknownType(long type) {
            MalformedFrameException failure = replyFailure(frame(0, 0, (int) type, ""));

            assertThat(failure.problem()).isEqualTo(Problem.UNKNOWN_TYPE);
            assertThat(failure).hasMessageEndingWith("packet type " + type);
        }

        @Test
        void anUnknownRequestIsConsumedWholeSoTheServerCanAnswerIt() {
            var in = new ByteChannels.Source(concat(frame(0, 0, 7, "future text"), new byte[0]));

            assertThat(catchThrowableOfType(MalformedFrameException.class, () -> FrameDecoder.readRequest(in)).problem())
                    .isEqualTo(Problem.UNKNOWN_TYPE);
            assertThat(in.remainingBytes()).isEmpty();
        }

        static Stream<Arguments> badNames() {
            return Stream.of(
                    Arguments.argumentSet("a lone continuation byte", new byte[] {'a', (byte) 0x80}),
                    Arguments.argumentSet("0xFF", new byte[] {(byte) 0xFF}),
                    Arguments.argumentSet("an overlong slash", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                    Arguments.argumentSet("an encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                    Arguments.argumentSet("a character cut short", new byte[] {'x', (byte) 0xE6, (byte) 0x97}),
                    Arguments.argumentSet("Latin-1", "données".getBytes(StandardCharsets.ISO_8859_1)),
                    Arguments.argumentSet("beyond U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}));
        }

        @ParameterizedTest
        @MethodSource("badNames")
        void aFileNameThatIsNotUtf8IsBadText(byte[] name) {
            for (int type : new int[] {Frame.TYPE_SIZE, Frame.TYPE_CHUNK}) {
                MalformedFrameException failure = requestFailure(frame(0, 0, type, name.length, name));
                assertThat(failure.problem()).isEqualTo(Problem.BAD_TEXT);
                assertThat(failure).hasMessage("the file name is not valid UTF-8");
            }
        }

        @ParameterizedTest
        @MethodSource("badNames")
        void anErrorReasonThatIsNotUtf8IsBadText(byte[] reason) {
            MalformedFrameException failure = replyFailure(frame(0, 0, Frame.TYPE_ERROR, reason.length, reason));

            assertThat(failure.problem()).isEqualTo(Problem.BAD_TEXT);
            assertThat(failure).hasMessage("the error reason is not valid UTF-8");
        }

        @Test
        void aFileNameWithANulByteIsBadText() {
            MalformedFrameException failure = requestFailure(frame(0, 0, Frame.TYPE_SIZE, "hello.txt\0.jpg"));

            assertThat(failure.problem()).isEqualTo(Problem.BAD_TEXT);
            assertThat(failure).hasMessageContaining("NUL");
        }

        @Test
        void aRequestWithoutAFileNameIsBadText() {
            assertThat(requestFailure(frame(0, 0, Frame.TYPE_SIZE, "")).problem()).isEqualTo(Problem.BAD_TEXT);
            assertThat(requestFailure(frame(0, 5, Frame.TYPE_CHUNK, "")).problem()).isEqualTo(Problem.BAD_TEXT);
        }

        static final byte[] ONE_DIGEST = new byte[2 * Digest.BYTES];

        static Stream<Arguments> badDigestRequests() {
            return Stream.of(
                    Arguments.argumentSet("piece length 0", 0L, 0L, "piece length 0 is not"),
                    Arguments.argumentSet("piece length 4095", 0L, 4095L, "piece length 4095 is not"),
                    Arguments.argumentSet("piece length 2048", 0L, 2048L, "piece length 2048 is not"),
                    Arguments.argumentSet("piece length 3 * 4096", 0L, 12_288L, "piece length 12288 is not"),
                    Arguments.argumentSet("piece length 2 GiB", 0L, 1L << 31, "piece length 2147483648 is not"),
                    Arguments.argumentSet("piece length 2^32 + 4096", 0L, (1L << 32) + 4096, "piece length 4294971392 is not"),
                    Arguments.argumentSet("negative piece length", 0L, -4096L, "piece length -4096 is not"),
                    Arguments.argumentSet("negative first piece", -1L, 4096L, "negative first piece -1"),
                    Arguments.argumentSet("most negative first piece", Long.MIN_VALUE, 4096L, "negative first piece " + Long.MIN_VALUE));
        }

        @ParameterizedTest
        @MethodSource("badDigestRequests")
        void aDigestRequestWithABadFirstPieceOrPieceLengthIsConsumedAndNamedForTheClient(long first, long length, String words) {
            var in = new ByteChannels.Source(frame(first, length, Frame.TYPE_DIGESTS, "hello.txt"));

            var failure = catchThrowableOfType(MalformedFrameException.class, () -> FrameDecoder.readRequest(in));

            assertThat(failure.problem()).isEqualTo(Problem.BAD_DIGESTS);
            assertThat(failure).hasMessageStartingWith("bad digest request: ").hasMessageContaining(words);
            assertThat(in.remainingBytes()).isEmpty();
        }

        @Test
        void aDigestRequestNeedsAFileNameLikeTheOthers() {
            assertThat(requestFailure(frame(0, 4096, Frame.TYPE_DIGESTS, "")).problem()).isEqualTo(Problem.BAD_TEXT);
            assertThat(requestFailure(frame(0, 4096, Frame.TYPE_DIGESTS, "a\0b")).problem()).isEqualTo(Problem.BAD_TEXT);
        }

        @ParameterizedTest(name = "{0} payload bytes")
        @ValueSource(ints = {0, 1, 31, 33, 63, 65, 4063, 4065, 4095})
        void aDigestReplyWhosePayloadIsNotARootAndUpTo126DigestsIsRefusedFromTheHeaderAlone(int length) {
            // Only the header is given: the decoder must judge the length before it waits for the payload.
            byte[] header = frame(0, 10, Frame.TYPE_DIGESTS, length, new byte[0]);

            MalformedFrameException failure = replyFailure(header);

            assertThat(failure.problem()).isEqualTo(length > Frame.MAX_TEXT_BYTES ? Problem.TEXT_TOO_LONG : Problem.BAD_DIGESTS);
        }

        @Test
        void aDigestReplyWith127DigestsDoesNotFitInAFrame() {
            assertThat(replyFailure(frame(0, 1 << 30, Frame.TYPE_DIGESTS, 32 * 128, new byte[32 * 128])).problem())
                    .isEqualTo(Problem.TEXT_TOO_LONG);
        }

        @Test
        void aDigestReplyWithANegativeSizeIsABadRange() {
            MalformedFrameException failure = replyFailure(frame(0, -1, Frame.TYPE_DIGESTS, ONE_DIGEST.length, ONE_DIGEST));

            assertThat(failure.problem()).isEqualTo(Problem.BAD_RANGE);
            assertThat(failure).hasMessageContaining("-1");
        }

        @ParameterizedTest(name = "first piece {0}")
        @ValueSource(longs = {-1, Long.MIN_VALUE, Long.MAX_VALUE})
        void aDigestReplyWithANegativeFirstPieceOrOneWhoseDigestsPass2To63IsRefused(long first) {
            // One digest after the root: piece Long.MAX_VALUE would be past the largest index.
            MalformedFrameException failure = replyFailure(frame(first, 5, Frame.TYPE_DIGESTS, ONE_DIGEST.length, ONE_DIGEST));

            assertThat(failure.problem()).isEqualTo(Problem.BAD_DIGESTS);
            assertThat(failure).hasMessageContaining(Long.toString(first));
        }

        @Test
        void aDigestReplyCutShortIsTruncatedText() {
            byte[] whole = frame(0, 5, Frame.TYPE_DIGESTS, ONE_DIGEST.length, ONE_DIGEST);

            assertThat(replyFailure(Arrays.copyOf(whole, whole.length - 1)).problem()).isEqualTo(Problem.TRUNCATED_TEXT);
        }

        @Test
        void aDigestReplyIsReadToTheEndOfItsPayloadAndNoFurther() throws IOException {
            var in = new ByteChannels.Source(concat(frame(0, 5, Frame.TYPE_DIGESTS, ONE_DIGEST.length, ONE_DIGEST), new byte[] {42}));

            Frame.Reply reply = FrameDecoder.readReply(in);

            assertThat(reply).isEqualTo(new Frame.DigestReply(0, 5, new Digest(new byte[32]), List.of(new Digest(new byte[32]))));
            assertThat(in.remainingBytes()).containsExactly(42);
        }

        static Stream<Arguments> fieldsThatMustBeZero() {
            return Stream.of(
                    Arguments.argumentSet("size request with an offset", frame(1, 0, Frame.TYPE_SIZE, "a"), true),
                    Arguments.argumentSet("size request with a size", frame(0, -1, Frame.TYPE_SIZE, "a"), true),
                    Arguments.argumentSet("size reply with an offset", frame(3, 22, Frame.TYPE_SIZE, ""), false),
                    Arguments.argumentSet("size reply with text", frame(0, 22, Frame.TYPE_SIZE, "22"), false),
                    Arguments.argumentSet("chunk reply with text", frame(0, 2, Frame.TYPE_CHUNK, "hi"), false),
                    Arguments.argumentSet("error reply with an offset", frame(5, 0, Frame.TYPE_ERROR, "x"), false),
                    Arguments.argumentSet("error reply with a size", frame(0, 5, Frame.TYPE_ERROR, "x"), false));
        }

        @ParameterizedTest
        @MethodSource("fieldsThatMustBeZero")
        void aFieldThatTheTypeDoesNotUseMustBeZero(byte[] input, boolean isRequest) {
            MalformedFrameException failure = isRequest ? requestFailure(input) : replyFailure(input);

            assertThat(failure.problem()).isEqualTo(Problem.UNEXPECTED_FIELD);
        }

        @Test
        void aReplyIsNotAcceptedAsARequestNorARequestAsAReply() {
            assertThat(requestFailure(bytes(FrameEncoder.encode(new Frame.ErrorReply("stat error")))).problem())
                    .isEqualTo(Problem.UNKNOWN_TYPE);
            assertThat(requestFailure(bytes(FrameEncoder.encode(new Frame.SizeReply(22)))).problem())
                    .isEqualTo(Problem.UNEXPECTED_FIELD);
            assertThat(requestFailure(bytes(FrameEncoder.encode(new Frame.SizeReply(0)))).problem())
                    .isEqualTo(Problem.BAD_TEXT);
            assertThat(replyFailure(bytes(FrameEncoder.encode(new Frame.SizeRequest("hello.txt")))).problem())
                    .isEqualTo(Problem.UNEXPECTED_FIELD);
        }

        @Test
        void aNonBlockingChannelThatReturnsNothingIsRefusedInsteadOfSpunOn() {
            ReadableByteChannel nothingYet = new ReadableByteChannel() {
                @Override
                public int read(ByteBuffer destination) {
                    return 0;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {}
            };

            assertThatThrownBy(() -> FrameDecoder.readRequest(nothingYet))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("blocking");
            assertThatThrownBy(() -> FrameEncoder.write(new Frame.SizeReply(1), new ByteChannels.Sink(0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("blocking");
        }
    }

    @Nested
    class RandomInput {

        static final int ROUNDS = 20_000;
        static final int[] TYPES = {Frame.TYPE_SIZE, Frame.TYPE_CHUNK, Frame.TYPE_ERROR, 2, Frame.TYPE_KEEP_OPEN, 0x8000_0000};
        static final long[] NUMBERS = {0, 1, -1, 7, 1 << 12, 1 << 30, TWO_TO_31, Long.MAX_VALUE, Long.MIN_VALUE};

        /**
         * Inputs of every shape: pure noise, and headers whose fields are drawn from the
         * interesting values, followed by text that is valid UTF-8, noise, or cut short.
         */
        static byte[] randomInput(Random random) {
            if (random.nextInt(4) == 0) {
                byte[] noise = new byte[random.nextInt(64)];
                random.nextBytes(noise);
                return noise;
            }
            long offset = interestingNumber(random);
            long size = interestingNumber(random);
            int type = random.nextInt(5) == 0 ? random.nextInt() : TYPES[random.nextInt(TYPES.length)];
            byte[] text = switch (random.nextInt(4)) {
                case 0 -> new byte[0];
                case 1 -> { // the shape of a digest reply's payload: a root and a few digests
                    byte[] payload = new byte[Digest.BYTES * random.nextInt(1, 4)];
                    random.nextBytes(payload);
                    yield payload;
                }
                case 2 -> IntStream.range(0, random.nextInt(12))
                        .mapToObj(i -> Character.toString(random.nextInt(0x20, 0x3000)))
                        .collect(Collectors.joining())
                        .getBytes(StandardCharsets.UTF_8);
                default -> {
                    byte[] noise = new byte[random.nextInt(1, 20)];
                    random.nextBytes(noise);
                    yield noise;
                }
            };
            long textLength = switch (random.nextInt(6)) {
                case 0 -> Integer.toUnsignedLong(random.nextInt());
                case 1 -> text.length + random.nextInt(-2, 3);
                default -> text.length;
            };
            byte[] input = frame(offset, size, type, textLength, text);
            return random.nextInt(5) == 0 ? Arrays.copyOf(input, random.nextInt(input.length + 1)) : input;
        }

        /** Which decoder a round uses, the frames it must produce, and the problems it cannot meet (all others it must). */
        enum Direction {
            REQUESTS(Set.of("SizeRequest", "ChunkRequest", "DigestRequest"), EnumSet.of(Problem.BAD_KEEP_OPEN)),
            OPENINGS(Set.of("SizeRequest", "ChunkRequest", "DigestRequest", "KeepOpenRequest"), EnumSet.noneOf(Problem.class)),
            REPLIES(Set.of("SizeReply", "ChunkReply", "DigestReply", "ErrorReply"), EnumSet.of(Problem.BAD_KEEP_OPEN)),
            KEEP_OPEN_ANSWERS(Set.of("KeepOpenReply", "ErrorReply"), EnumSet.of(Problem.BAD_RANGE, Problem.BAD_DIGESTS));

            final Set<String> frames;
            final Set<Problem> unreachable;

            Direction(Set<String> frames, Set<Problem> unreachable) {
                this.frames = frames;
                this.unreachable = unreachable;
            }

            Frame read(ReadableByteChannel in) throws IOException {
                return switch (this) {
                    case REQUESTS -> FrameDecoder.readRequest(in);
                    case OPENINGS -> FrameDecoder.readOpening(in);
                    case REPLIES -> FrameDecoder.readReply(in);
                    case KEEP_OPEN_ANSWERS -> FrameDecoder.readKeepOpenAnswer(in);
                };
            }
        }

        /** Zero a third of the time (most frames need zeros), one of {@link #NUMBERS} or any long otherwise. */
        static long interestingNumber(Random random) {
            return switch (random.nextInt(3)) {
                case 0 -> 0;
                case 1 -> NUMBERS[random.nextInt(NUMBERS.length)];
                default -> random.nextLong();
            };
        }

        /** Either a specific failure, or a frame that is exactly the bytes it was decoded from. */
        static String decodeAndCheck(byte[] input, Direction direction) throws IOException {
            var in = new ByteChannels.Source(input);
            String outcome;
            try {
                Frame frame = direction.read(in);
                assertThat(bytes(FrameEncoder.encode(frame)))
                        .as("re-encoding of %s decoded from %s", frame, HexFormat.of().formatHex(input))
                        .isEqualTo(in.consumedBytes());
                outcome = frame.getClass().getSimpleName();
            } catch (MalformedFrameException e) {
                assertThat(e.problem()).isNotNull();
                assertThat(e.getMessage()).isNotBlank();
                outcome = e.problem().name();
            }
            assertThat(in.consumed()).isLessThanOrEqualTo(Frame.HEADER_BYTES + Frame.MAX_TEXT_BYTES);
            return outcome;
        }

        @ParameterizedTest(name = "as {0}")
        @EnumSource(Direction.class)
        void randomBytesEitherFailWithANamedProblemOrDecodeToExactlyTheBytesRead(Direction direction) throws IOException {
            Random random = new Random(0x5EED_C0DEL + direction.name().hashCode());
            Map<String, Integer> outcomes = new java.util.TreeMap<>();

            for (int round = 0; round < ROUNDS; round++) {
                outcomes.merge(decodeAndCheck(randomInput(random), direction), 1, Integer::sum);
            }

            // The generator must reach every branch, or this test would prove less than it claims.
            Stream<String> problems = Arrays.stream(Problem.values()).filter(p -> !direction.unreachable.contains(p)).map(Problem::name);
            assertThat(outcomes.keySet()).containsExactlyInAnyOrderElementsOf(Stream.concat(direction.frames.stream(), problems).toList());
        }
    }
}
