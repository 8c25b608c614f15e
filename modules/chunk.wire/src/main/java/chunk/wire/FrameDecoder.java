package chunk.wire;

import chunk.wire.MalformedFrameException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads frames from blocking channels, strictly: anything that is not exactly a frame of
 * the expected direction fails with a {@link MalformedFrameException} naming the problem.
 *
 * <p>The header's {@code textLength} is checked before any memory is allocated for the
 * text, so an untrusted length can never cost more than {@link Frame#MAX_TEXT_BYTES}
 * bytes, and no call reads more than {@link Frame#HEADER_BYTES} {@code +}
 * {@link Frame#MAX_TEXT_BYTES} bytes. Reading stops right after the frame: the data of a
 * chunk reply is left in the channel for the caller, who may move it without copying.
 * Text (file names and error reasons) must be valid UTF-8, and a digest reply's binary
 * payload a root and whole digests, so a decoded frame always encodes back to exactly the
 * bytes it was read from.
 *
 * <p>A stream can be read through {@link java.nio.channels.Channels#newChannel(java.io.InputStream)}.
 */
public final class FrameDecoder {

    private FrameDecoder() {}

    /**
     * Reads the request a client sent: exactly one frame, header and text, and nothing more.
     * A keep-open ({@link Frame#TYPE_KEEP_OPEN}) is not a request: it may only open a connection
     * (see {@link #readOpening}), so here it is rejected as {@link Problem#UNKNOWN_TYPE}.
     *
     * @param in a blocking channel, such as a connected {@link java.nio.channels.SocketChannel}
     * @return the size, chunk or digest request
     * @throws MalformedFrameException if the bytes are not a size, chunk or digest request
     * @throws IllegalArgumentException if the channel returns no bytes (it is non-blocking)
     * @throws IOException if the channel fails
     */
    public static Frame.Request readRequest(ReadableByteChannel in) throws IOException {
        Header header = readHeader(in);
        byte[] text = readText(in, header.textLength());
        if (header.packetType() == Frame.TYPE_KEEP_OPEN) {
            throw new MalformedFrameException(Problem.UNKNOWN_TYPE,
                    "packet type 3 (keep open) is valid only as the first request of a connection");
        }
        return request(header, text);
    }

    /**
     * Reads the first frame a client sent on a connection: a request, or a keep-open that asks
     * for the connection to carry more requests after it. Exactly one frame is read.
     *
     * @param in a blocking channel, such as a connected {@link java.nio.channels.SocketChannel}
     * @return the request or the keep-open
     * @throws MalformedFrameException if the bytes are not a size, chunk, digest or keep-open request
     * @throws IllegalArgumentException if the channel returns no bytes (it is non-blocking)
     * @throws IOException if the channel fails
     */
    public static Frame.Opening readOpening(ReadableByteChannel in) throws IOException {
        Header header = readHeader(in);
        byte[] text = readText(in, header.textLength());
        if (header.packetType() == Frame.TYPE_KEEP_OPEN) {
            header.requireNoText("a keep-open request");
            header.requireZero(header.startOffset(), "startOffset", "a keep-open request");
            if (header.transferSize() < 1) {
                throw new MalformedFrameException(Problem.BAD_KEEP_OPEN,
                        "bad keep-open request: version " + header.transferSize() + " (versions start at 1)");
            }
            return new Frame.KeepOpenRequest(header.transferSize());
        }
        return request(header, text);
    }

    /** The framing (header, then textLength bytes) is the same for every packet type, so callers read the whole frame before it is judged. */
    private static Frame.Request request(Header header, byte[] text) throws MalformedFrameException {
        // A server that rejects a request has then consumed all of it, and closing the socket
        // sends FIN rather than a RST that could destroy its ERROR reply on the way to the client.
        return switch (header.packetType()) {
            case Frame.TYPE_SIZE -> {
                header.requireZero(header.startOffset(), "startOffset", "a size request");
                header.requireZero(header.transferSize(), "transferSize", "a size request");
                yield new Frame.SizeRequest(fileName(text));
            }
            case Frame.TYPE_CHUNK -> {
                ByteRange range;
                try {
                    range = header.range();
                } catch (MalformedFrameException e) {
                    String name;
                    try {
                        name = fileName(text);
                    } catch (MalformedFrameException badName) {
                        name = null;
                    }
                    throw new MalformedFrameException(e.problem(), e.getMessage(),
                            new MalformedFrameException.RefusedRange(name, header.startOffset(), header.transferSize()));
                }
                yield new Frame.ChunkRequest(fileName(text), range);
            }
            case Frame.TYPE_DIGESTS -> {
                header.requireDigestRequestNumbers();
                yield new Frame.DigestRequest(fileName(text), header.startOffset(), (int) header.transferSize());
            }
            default -> throw new MalformedFrameException(
                    Problem.UNKNOWN_TYPE, "unknown packet type " + Integer.toUnsignedString(header.packetType()));
        };
    }

    /**
     * Reads what a server answered to a {@link Frame.KeepOpenRequest}: its agreement, or the
     * ERROR of a server that does not speak persistent connections. Whether the version is one
     * the client asked for is the client's to check.
     *
     * @param in a blocking channel, such as a connected {@link java.nio.channels.SocketChannel}
     * @return the keep-open reply or the error reply
     * @throws MalformedFrameException if the bytes are neither, e.g. a size reply
     * @throws IllegalArgumentException if the channel returns no bytes (it is non-blocking)
     * @throws IOException if the channel fails
     */
    public static Frame.KeepOpenAnswer readKeepOpenAnswer(ReadableByteChannel in) throws IOException {
        Header header = readHeader(in);
        return switch (header.packetType()) {
            case Frame.TYPE_KEEP_OPEN -> {
                header.requireNoText("a keep-open reply");
                if (header.startOffset() < 1 || header.transferSize() < 1) {
                    throw new MalformedFrameException(Problem.BAD_KEEP_OPEN, "a keep-open reply needs a wait of at least"
                            + " 1 ms and a version of at least 1, not " + header.startOffset() + " ms and " + header.transferSize());
                }
                yield new Frame.KeepOpenReply(header.startOffset(), header.transferSize());
            }
            case Frame.TYPE_ERROR -> errorReply(header, in);
            default -> throw new MalformedFrameException(Problem.UNKNOWN_TYPE, "packet type "
                    + Integer.toUnsignedString(header.packetType()) + " in answer to a keep-open request");
        };
    }

    /**
     * Reads the reply a server sent. For a {@link Frame.ChunkReply} only the header is
     * read: the {@code range().length()} bytes of data that follow stay in the channel.
     *
     * @param in a blocking channel, such as a connected {@link java.nio.channels.SocketChannel}
     * @return the size, chunk, digest or error reply
     * @throws MalformedFrameException if the bytes are not a size, chunk, digest or error reply
     * @throws IllegalArgumentException if the channel returns no bytes (it is non-blocking)
     * @throws IOException if the channel fails
     */
    public static Frame.Reply readReply(ReadableByteChannel in) throws IOException {
        Header header = readHeader(in);
        return switch (header.packetType()) {
            case Frame.TYPE_SIZE -> {
                header.requireNoText("a size reply");
                header.requireZero(header.startOffset(), "startOffset", "a size reply");
                if (header.transferSize() < 0) {
                    throw new MalformedFrameException(Problem.BAD_RANGE, "negative file size " + header.transferSize());
                }
                yield new Frame.SizeReply(header.transferSize());
            }
            case Frame.TYPE_CHUNK -> {
                // Checked before anything else is read: the bytes after this header are file data.
                header.requireNoText("a chunk reply");
                yield new Frame.ChunkReply(header.range());
            }
            case Frame.TYPE_DIGESTS -> {
                // Judged from the header alone, so that a bad length costs no wait for its bytes.
                header.requireDigestReplyNumbers();
                yield digestReply(header, readText(in, header.textLength()));
            }
            case Frame.TYPE_ERROR -> errorReply(header, in);
            default -> throw new MalformedFrameException(
                    Problem.UNKNOWN_TYPE, "unknown packet type " + Integer.toUnsignedString(header.packetType()));
        };
    }

    private static Frame.ErrorReply errorReply(Header header, ReadableByteChannel in) throws IOException {
        byte[] text = readText(in, header.textLength());
        header.requireZero(header.startOffset(), "startOffset", "an error reply");
        header.requireZero(header.transferSize(), "transferSize", "an error reply");
        return new Frame.ErrorReply(utf8(text, "the error reason"));
    }

    private record Header(long startOffset, long transferSize, int packetType, int textLength) {

        void requireZero(long value, String field, String what) throws MalformedFrameException {
            if (value != 0) {
                throw new MalformedFrameException(Problem.UNEXPECTED_FIELD, field + " of " + what + " must be 0, not " + value);
            }
        }

        void requireNoText(String what) throws MalformedFrameException {
            if (textLength != 0) {
                throw new MalformedFrameException(Problem.UNEXPECTED_FIELD, what + " carries no text, but textLength is " + textLength);
            }
        }

        /** The message says what is wrong in words a server can send back as its error reason. */
        void requireDigestRequestNumbers() throws MalformedFrameException {
            if (startOffset < 0) {
                throw new MalformedFrameException(Problem.BAD_DIGESTS, "bad digest request: negative first piece " + startOffset);
            }
            if (!Frame.isValidPieceLength(transferSize)) {
                throw new MalformedFrameException(Problem.BAD_DIGESTS, "bad digest request: piece length " + transferSize
                        + " is not a power of two from " + Frame.MIN_PIECE_LENGTH + " to " + Frame.MAX_PIECE_LENGTH);
            }
        }

        void requireDigestReplyNumbers() throws MalformedFrameException {
            if (textLength % Digest.BYTES != 0 || textLength < Digest.BYTES
                    || textLength > Digest.BYTES * (1 + Frame.MAX_DIGESTS_PER_REPLY)) {
                throw new MalformedFrameException(Problem.BAD_DIGESTS, "a digest reply's payload of " + textLength
                        + " bytes is not a root and 0 to " + Frame.MAX_DIGESTS_PER_REPLY + " digests of " + Digest.BYTES + " bytes");
            }
            if (transferSize < 0) {
                throw new MalformedFrameException(Problem.BAD_RANGE, "negative file size " + transferSize);
            }
            long count = textLength / Digest.BYTES - 1;
            if (startOffset < 0 || startOffset + count < 0) {
                throw new MalformedFrameException(Problem.BAD_DIGESTS,
                        "a digest reply's first piece " + startOffset + " with " + count + " digests is not a valid piece index");
            }
        }

        /** The message says what is wrong in words a server can send back as its error reason. */
        ByteRange range() throws MalformedFrameException {
            if (startOffset < 0 || transferSize < 0 || startOffset + transferSize < 0) {
                String wrong = startOffset < 0 && transferSize < 0 ? "negative offset and size"
                        : startOffset < 0 ? "negative offset"
                        : transferSize < 0 ? "negative size"
                        : "ends past the largest file offset";
                throw new MalformedFrameException(Problem.BAD_RANGE,
                        "bad range: " + wrong + " (offset " + startOffset + ", size " + transferSize + ")");
            }
            return new ByteRange(startOffset, transferSize);
        }
    }

    private static Header readHeader(ReadableByteChannel in) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_BYTES).order(Frame.BYTE_ORDER);
        int read = readFully(in, header);
        if (read < Frame.HEADER_BYTES) {
            throw new MalformedFrameException(Problem.TRUNCATED_HEADER,
                    "connection closed after " + read + " of " + Frame.HEADER_BYTES + " header bytes");
        }
        header.flip();
        long startOffset = header.getLong();
        long transferSize = header.getLong();
        int packetType = header.getInt();
        long textLength = Integer.toUnsignedLong(header.getInt());
        if (textLength > Frame.MAX_TEXT_BYTES) {
            throw new MalformedFrameException(Problem.TEXT_TOO_LONG,
                    "text of " + textLength + " bytes is over the limit of " + Frame.MAX_TEXT_BYTES);
        }
        return new Header(startOffset, transferSize, packetType, (int) textLength);
    }

    private static Frame.DigestReply digestReply(Header header, byte[] payload) {
        ByteBuffer bytes = ByteBuffer.wrap(payload);
        Digest root = nextDigest(bytes);
        List<Digest> digests = new ArrayList<>(payload.length / Digest.BYTES - 1);
        while (bytes.hasRemaining()) {
            digests.add(nextDigest(bytes));
        }
        return new Frame.DigestReply(header.startOffset(), header.transferSize(), root, digests);
    }

    private static Digest nextDigest(ByteBuffer bytes) {
        byte[] digest = new byte[Digest.BYTES];
        bytes.get(digest);
        return new Digest(digest);
    }

    private static String fileName(byte[] text) throws MalformedFrameException {
        if (text.length == 0) {
            throw new MalformedFrameException(Problem.BAD_TEXT, "the request names no file");
        }
        String name = utf8(text, "the file name");
        if (name.indexOf('\0') >= 0) {
            throw new MalformedFrameException(Problem.BAD_TEXT, "the file name contains a NUL byte");
        }
        return name;
    }

    /** Strict decoding: text that would not encode back to the same bytes is rejected. */
    private static String utf8(byte[] text, String what) throws MalformedFrameException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(text))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFrameException(Problem.BAD_TEXT, what + " is not valid UTF-8");
        }
    }

    private static byte[] readText(ReadableByteChannel in, int length) throws IOException {
        ByteBuffer text = ByteBuffer.allocate(length);
        int read = readFully(in, text);
        if (read < length) {
            throw new MalformedFrameException(Problem.TRUNCATED_TEXT,
                    "connection closed after " + read + " of " + length + " text bytes");
        }
        return text.array();
    }

    /** Fills {@code buffer} unless the channel ends first; returns the bytes read. */
    private static int readFully(ReadableByteChannel in, ByteBuffer buffer) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            if (n == 0) {
                throw new IllegalArgumentException("frames are read from blocking channels only");
            }
            total += n;
        }
        return total;
    }
}
