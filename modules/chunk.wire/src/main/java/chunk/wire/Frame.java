package chunk.wire;

import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One message of the chunk protocol. A connection carries one {@link Request} from the
 * client and one {@link Reply} from the server; after a {@link ChunkReply} come exactly
 * {@code range().length()} bytes of file data, which are not part of the frame.
 *
 * <p>On the wire every frame is a {@value #HEADER_BYTES}-byte little-endian header
 * ({@code startOffset} i64, {@code transferSize} i64, {@code packetType} u32,
 * {@code textLength} u32) followed by {@code textLength} bytes of UTF-8 text. The records
 * validate themselves, so a frame that exists can always be encoded.
 */
public sealed interface Frame permits Frame.Request, Frame.Reply {

    /** Bytes in every header. */
    int HEADER_BYTES = 24;
    /** The order of the bytes of every number in a header. */
    ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    /** The longest text (file name or error reason) in bytes, as in the original programs. */
    int MAX_TEXT_BYTES = 4095;

    /** Packet type of a size request and of its reply. */
    int TYPE_SIZE = 0;
    /** Packet type of a chunk request and of its reply. */
    int TYPE_CHUNK = 1;
    /** Packet type of an error reply: 0xFFFFFFFF on the wire. */
    int TYPE_ERROR = 0xFFFF_FFFF;

    /**
     * The {@code packetType} field of this frame's header.
     *
     * @return one of {@link #TYPE_SIZE}, {@link #TYPE_CHUNK}, {@link #TYPE_ERROR}
     */
    int packetType();

    /** What a client sends: it always names a file. */
    sealed interface Request extends Frame permits SizeRequest, ChunkRequest {
        /**
         * The file asked for, relative to the server's directory.
         *
         * @return 1 to {@value Frame#MAX_TEXT_BYTES} bytes of UTF-8 without NUL
         */
        String fileName();
    }

    /** What a server answers. */
    sealed interface Reply extends Frame permits SizeReply, ChunkReply, ErrorReply {}

    /**
     * Asks for the length of {@code fileName}.
     *
     * @param fileName the file, 1 to {@value Frame#MAX_TEXT_BYTES} bytes of UTF-8 without NUL
     */
    record SizeRequest(String fileName) implements Request {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the name is empty, too long, has a NUL or an unpaired surrogate
         */
        public SizeRequest {
            requireValidFileName(fileName);
        }

        @Override
        public int packetType() {
            return TYPE_SIZE;
        }
    }

    /**
     * Asks for the bytes of {@code fileName} in {@code range}.
     *
     * @param fileName the file, 1 to {@value Frame#MAX_TEXT_BYTES} bytes of UTF-8 without NUL
     * @param range the bytes wanted
     */
    record ChunkRequest(String fileName, ByteRange range) implements Request {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the name is empty, too long, has a NUL or an unpaired surrogate
         */
        public ChunkRequest {
            requireValidFileName(fileName);
            java.util.Objects.requireNonNull(range, "range");
        }

        @Override
        public int packetType() {
            return TYPE_CHUNK;
        }
    }

    /**
     * The length of the requested file.
     *
     * @param fileSize the length in bytes, zero or more
     */
    record SizeReply(long fileSize) implements Reply {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the size is negative
         */
        public SizeReply {
            if (fileSize < 0) {
                throw new IllegalArgumentException("a file size cannot be negative: " + fileSize);
            }
        }

        @Override
        public int packetType() {
            return TYPE_SIZE;
        }
    }

    /**
     * The header of a chunk's data: exactly {@code range.length()} bytes of the file follow it.
     *
     * @param range the bytes actually sent, which a client checks against the range it asked for
     */
    record ChunkReply(ByteRange range) implements Reply {
        /** Checks that there is a range. */
        public ChunkReply {
            java.util.Objects.requireNonNull(range, "range");
        }

        @Override
        public int packetType() {
            return TYPE_CHUNK;
        }
    }

    /**
     * The server cannot serve the request; the server closes the connection after it.
     *
     * @param reason why, for a person to read: up to {@value Frame#MAX_TEXT_BYTES} bytes of
     *     UTF-8, possibly empty
     */
    record ErrorReply(String reason) implements Reply {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the reason is too long or has an unpaired surrogate
         */
        public ErrorReply {
            if (utf8Length(reason, "an error reason") > MAX_TEXT_BYTES) {
                throw new IllegalArgumentException("an error reason is limited to " + MAX_TEXT_BYTES + " bytes of UTF-8");
            }
        }

        @Override
        public int packetType() {
            return TYPE_ERROR;
        }
    }

    private static void requireValidFileName(String fileName) {
        if (fileName.isEmpty()) {
            throw new IllegalArgumentException("a file name cannot be empty");
        }
        if (fileName.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a file name cannot contain a NUL character");
        }
        int bytes = utf8Length(fileName, "a file name");
        if (bytes > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException(
                    "a file name is limited to " + MAX_TEXT_BYTES + " bytes of UTF-8, this one has " + bytes);
        }
    }

    /**
     * The length of {@code text} in UTF-8. A string with an unpaired surrogate has no UTF-8
     * form ({@code getBytes} would silently put {@code ?} in its place and so ask for
     * another file), hence it is rejected here rather than mangled on the wire.
     */
    private static int utf8Length(String text, String what) {
        try {
            return StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text))
                    .remaining();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " must be well-formed Unicode (it has an unpaired surrogate)", e);
        }
    }
}
