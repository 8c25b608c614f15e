package chunk.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The frame records refuse what cannot be encoded, so that every frame that exists can be sent. */
class FrameTests {

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
        }

        @Test
        void eachFrameReportsItsPacketType() {
            assertThat(new Frame.SizeRequest("a").packetType()).isEqualTo(Frame.TYPE_SIZE);
            assertThat(new Frame.SizeReply(1).packetType()).isEqualTo(Frame.TYPE_SIZE);
            assertThat(new Frame.ChunkRequest("a", new ByteRange(0, 1)).packetType()).isEqualTo(Frame.TYPE_CHUNK);
            assertThat(new Frame.ChunkReply(new ByteRange(0, 1)).packetType()).isEqualTo(Frame.TYPE_CHUNK);
            assertThat(new Frame.ErrorReply("x").packetType()).isEqualTo(Frame.TYPE_ERROR);
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
        void anErrorReasonMustBeWellFormedUnicode() {
            assertThatIllegalArgumentException().isThrownBy(() -> new Frame.ErrorReply("bad \uD800"));
        }

        @Test
        void aChunkReplyNeedsARange() {
            assertThatNullPointerException().isThrownBy(() -> new Frame.ChunkReply(null));
        }
    }
}
