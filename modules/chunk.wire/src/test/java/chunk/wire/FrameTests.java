package chunk.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The frame records refuse what cannot be encoded, so that every frame that exists can be sent. */
class FrameTests {

    static final Digest ROOT = Digest.of(new byte[0]);

    @Nested
    class Constants {

        @Test
        void matchTheProtocol() {
            assertThat(Frame.HEADER_BYTES).isEqualTo(24);
            assertThat(Frame.BYTE_ORDER).isEqualTo(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertThat(Frame.MAX_TEXT_BYTES).isEqualTo(4095);
            assertThat(Frame.TYPE_SIZE).isZero();
            assertThat(Frame.TYPE_CHUNK).isEqualTo(1);
            assertThat(Integer.toUnsignedLong(Frame.TYPE_ERROR)).isEqualTo(0xFFFF_FFFFL);
            assertThat(Frame.TYPE_DIGESTS).isEqualTo(2);
            assertThat(Frame.MIN_PIECE_LENGTH).isEqualTo(4096);
            assertThat(Frame.MAX_PIECE_LENGTH).isEqualTo(1 << 30);
            assertThat(Frame.MAX_DIGESTS_PER_REPLY).isEqualTo(126);
            assertThat(Frame.TYPE_KEEP_OPEN).isEqualTo(3);
            assertThat(Frame.KEEP_OPEN_VERSION).isEqualTo(1);
        }

        @Test
        void theLargestDigestReplyFitsTheTextLimit() {
            assertThat(Digest.BYTES * (1 + Frame.MAX_DIGESTS_PER_REPLY)).isEqualTo(4064).isLessThanOrEqualTo(Frame.MAX_TEXT_BYTES);
            assertThat(Digest.BYTES * (2 + Frame.MAX_DIGESTS_PER_REPLY)).isGreaterThan(Frame.MAX_TEXT_BYTES);
        }

        @Test
        void eachFrameReportsItsPacketType() {
            assertThat(new Frame.SizeRequest("a").packetType()).isEqualTo(Frame.TYPE_SIZE);
            assertThat(new Frame.SizeReply(1).packetType()).isEqualTo(Frame.TYPE_SIZE);
            assertThat(new Frame.ChunkRequest("a", new ByteRange(0, 1)).packetType()).isEqualTo(Frame.TYPE_CHUNK);
            assertThat(new Frame.ChunkReply(new ByteRange(0, 1)).packetType()).isEqualTo(Frame.TYPE_CHUNK);
            assertThat(new Frame.ErrorReply("x").packetType()).isEqualTo(Frame.TYPE_ERROR);
            assertThat(new Frame.DigestRequest("a", 0, 4096).packetType()).isEqualTo(Frame.TYPE_DIGESTS);
            assertThat(new Frame.DigestReply(0, 0, ROOT, List.of()).packetType()).isEqualTo(Frame.TYPE_DIGESTS);
            assertThat(new Frame.KeepOpenRequest(1).packetType()).isEqualTo(Frame.TYPE_KEEP_OPEN);
            assertThat(new Frame.KeepOpenReply(1, 1).packetType()).isEqualTo(Frame.TYPE_KEEP_OPEN);
        }

        @ParameterizedTest(name = "wait {0} ms, version {1}")
        @CsvSource({"0, 1", "1, 0", "-1, 1", "1, -1"})
        void aKeepOpenNeedsAPositiveWaitAndVersion(long waitMillis, long version) {
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.KeepOpenReply(waitMillis, version));
            if (version < 1) {
                assertThatIllegalArgumentException().isThrownBy(() -> new Frame.KeepOpenRequest(version));
            }
        }
    }

    @Nested
    class FileNames {

        @Test
        void mayBeUpTo4095BytesOfUtf8() {
            assertThat(new Frame.SizeRequest("n".repeat(4095)).fileName()).hasSize(4095);
            assertThat(new Frame.SizeRequest("日".repeat(1365)).fileName()).hasSize(1365);
        }

        @Test
        void areMeasuredInBytesNotCharacters() {
            // 1366 characters, but 4098 bytes: too long on the wire.
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Frame.SizeRequest("日".repeat(1366)))
                    .withMessageContaining("4098");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Frame.ChunkRequest("n".repeat(4096), new ByteRange(0, 1)))
                    .withMessageContaining("4095");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"", "a\0b", "\0"})
        void mustBeNonEmptyWithoutNul(String name) {
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.SizeRequest(name));
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.ChunkRequest(name, new ByteRange(0, 1)));
        }

        @ParameterizedTest(name = "{index}")
        @ValueSource(strings = {"a\uD800", "\uDC00b", "x\uDBFF\uDBFFy"})
        void mustBeWellFormedUnicodeRatherThanBeSentAsAnotherName(String name) {
            // String.getBytes would send "a?" instead: the server would look for another file.
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Frame.SizeRequest(name))
                    .withMessageContaining("surrogate");
        }

        @Test
        void aChunkRequestNeedsARange() {
            assertThatNullPointerException().isThrownBy(() -> new Frame.ChunkRequest("a", null));
        }
    }

    @Nested
    class Replies {

        @Test
        void aSizeCannotBeNegative() {
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.SizeReply(-1));
            assertThat(new Frame.SizeReply(0).fileSize()).isZero();
        }

        @Test
        void anErrorReasonMayBeEmptyOrUpTo4095Bytes() {
            assertThat(new Frame.ErrorReply("").reason()).isEmpty();
            assertThat(new Frame.ErrorReply("r".repeat(4095)).reason()).hasSize(4095);
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.ErrorReply("r".repeat(4096)));
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.ErrorReply("é".repeat(2048)));
        }

        @Test
        void anErrorRefusesThePacketTypeInTheOriginalsWordsAndInTheDecodersButNotForAFile() throws Exception {
            assertThat(new Frame.ErrorReply("bad packet type error").refusesPacketType()).isTrue();
            // What this module's own decoder says of a type it does not know, as a server answers it.
            var unknown = org.assertj.core.api.Assertions.catchThrowableOfType(MalformedFrameException.class,
                    () -> FrameDecoder.readRequest(new ByteChannels.Source(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                            7, 0, 0, 0, 0, 0, 0, 0})));
            assertThat(new Frame.ErrorReply(unknown.getMessage()).refusesPacketType()).isTrue();
            assertThat(new Frame.ErrorReply(Frame.ErrorReply.NO_SUCH_FILE).refusesPacketType()).isFalse();
            assertThat(new Frame.ErrorReply(Frame.ErrorReply.SERVER_BUSY).refusesPacketType()).isFalse();
        }

        @Test
        void anErrorReasonMustBeWellFormedUnicode() {
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.ErrorReply("bad \uD800"));
        }

        @Test
        void aChunkReplyNeedsARange() {
            assertThatNullPointerException().isThrownBy(() -> new Frame.ChunkReply(null));
        }
    }

    @Nested
    class Digests {

        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {4096, 8192, 1 << 20, 1 << 30})
        void aRequestMayUseAPowerOfTwoFrom4KiBTo1GiBAsItsPieceLength(int pieceLength) {
            assertThat(new Frame.DigestRequest("a", 0, pieceLength).pieceLength()).isEqualTo(pieceLength);
            assertThat(Frame.isValidPieceLength(pieceLength)).isTrue();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {0, 1, 2048, 4095, 4097, 12288, (1 << 30) + 4096, Integer.MIN_VALUE, -4096, Integer.MAX_VALUE})
        void aRequestRefusesAnyOtherPieceLength(int pieceLength) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Frame.DigestRequest("a", 0, pieceLength))
                    .withMessageContaining("power of two from 4096 to 1073741824, not " + pieceLength);
            assertThat(Frame.isValidPieceLength(pieceLength)).isFalse();
        }

        @Test
        void aPieceLengthBeyondAnIntIsNotValid() {
            assertThat(Frame.isValidPieceLength(1L << 31)).isFalse();
            assertThat(Frame.isValidPieceLength(1L << 40)).isFalse();
        }

        @Test
        void aRequestRefusesANegativeFirstPieceAndABadName() {
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.DigestRequest("a", -1, 4096));
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.DigestRequest("", 0, 4096));
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.DigestRequest("a\0b", 0, 4096));
            assertThat(new Frame.DigestRequest("a", Long.MAX_VALUE, 4096).firstPiece()).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void aReplyRefusesNegativeNumbersAndTooManyDigests() {
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.DigestReply(-1, 0, ROOT, List.of()));
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.DigestReply(0, -1, ROOT, List.of()));
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Frame.DigestReply(0, 1 << 30, ROOT, Collections.nCopies(127, ROOT)))
                    .withMessageContaining("at most 126");
            assertThat(new Frame.DigestReply(0, 1 << 30, ROOT, Collections.nCopies(126, ROOT)).digests()).hasSize(126);
        }

        @Test
        void aReplyRefusesPiecesPastTheLargestIndex() {
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.DigestReply(Long.MAX_VALUE, 0, ROOT, List.of(ROOT)));
            assertThat(new Frame.DigestReply(Long.MAX_VALUE, 0, ROOT, List.of()).endPiece()).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void aReplyKeepsItsOwnCopyOfTheDigests() {
            List<Digest> digests = new ArrayList<>(List.of(ROOT));
            Frame.DigestReply reply = new Frame.DigestReply(4, 9000, ROOT, digests);

            digests.clear();

            assertThat(reply.digests()).containsExactly(ROOT);
            assertThat(reply.endPiece()).isEqualTo(5);
            assertThat(reply).isEqualTo(new Frame.DigestReply(4, 9000, ROOT, List.of(ROOT)));
        }

        @ParameterizedTest(name = "{0} bytes at {1}: {2} pieces")
        @CsvSource({"0, 4096, 0", "1, 4096, 1", "4096, 4096, 1", "4097, 4096, 2", "10000, 4096, 3",
            "1073741824, 1073741824, 1", "9223372036854775807, 4096, 2251799813685248",
            "9223372036854775807, 1073741824, 8589934592"})
        void thePieceCountIsTheSizeOverThePieceLengthRoundedUp(long size, int pieceLength, long pieces) {
            assertThat(Frame.pieceCount(size, pieceLength)).isEqualTo(pieces);
        }

        @Test
        void thePieceCountNeedsAValidSizeAndPieceLength() {
            assertThatIllegalArgumentException().isThrownBy(() -> Frame.pieceCount(-1, 4096));
            assertThatIllegalArgumentException().isThrownBy(() -> Frame.pieceCount(10, 1000));
        }
    }
}
