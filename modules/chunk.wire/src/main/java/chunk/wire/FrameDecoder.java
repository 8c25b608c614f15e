package chunk.wire;

import chunk.wire.MalformedFrameException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads frames from blocking channels, strictly: anything that is not exactly a frame of
 * the expected direction fails with a {@link MalformedFrameException} naming the problem.
 * The header is checked before any memory is allocated for the text, so an untrusted
 * length can never cost more than {@link Frame#MAX_TEXT_BYTES}. Reading stops right
 * after the frame: the data of a chunk reply is left in the channel for the caller.
 */
public final class FrameDecoder {

    private FrameDecoder() {}

    /**
     * Reads the request a client sent.
     *
     * @throws MalformedFrameException if the bytes are not a size or chunk request
     * @throws IOException if the channel fails
     */
    public static Frame.Request readRequest(ReadableByteChannel in) throws IOException {
        Header header = readHeader(in);
        return switch (header.packetType()) {
            case Frame.TYPE_SIZE -> {
                header.requireZero(header.startOffset(), "startOffset", "a size request");
                header.requireZero(header.transferSize(), "transferSize", "a size request");
                yield new Frame.SizeRequest(readFileName(in, header));
            }
            case Frame.TYPE_CHUNK -> {
                ByteRange range = header.range("a chunk request");
                yield new Frame.ChunkRequest(readFileName(in, header), range);
            }
            default -> throw new MalformedFrameException(
                    Problem.UNKNOWN_TYPE, "unknown request packet type " + Integer.toUnsignedString(header.packetType()));
        };
    }

    /**
     * Reads the reply a server sent. For a {@link Frame.ChunkReply} the data is not read.
     *
     * @throws MalformedFrameException if the bytes are not a size, chunk or error reply
     * @throws IOException if the channel fails
     */
    public static Frame.Reply readReply(ReadableByteChannel in) throws IOException {
        Header header = readHeader(in);
        return switch (header.packetType()) {
            case Frame.TYPE_SIZE -> {
                header.requireZero(header.startOffset(), "startOffset", "a size reply");
                header.requireNoText("a size reply");
                if (header.transferSize() < 0) {
                    throw new MalformedFrameException(Problem.BAD_RANGE, "negative file size " + header.transferSize());
                }
                yield new Frame.SizeReply(header.transferSize());
            }
            case Frame.TYPE_CHUNK -> {
                header.requireNoText("a chunk reply");
                yield new Frame.ChunkReply(header.range("a chunk reply"));
            }
            case Frame.TYPE_ERROR -> {
                header.requireZero(header.startOffset(), "startOffset", "an error reply");
                header.requireZero(header.transferSize(), "transferSize", "an error reply");
                // A reason is for people: be lenient with its encoding, strict with its size.
                byte[] text = readText(in, header.textLength());
                yield new Frame.ErrorReply(new String(text, StandardCharsets.UTF_8));
            }
            default -> throw new MalformedFrameException(
                    Problem.UNKNOWN_TYPE, "unknown reply packet type " + Integer.toUnsignedString(header.packetType()));
        };
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

        ByteRange range(String what) throws MalformedFrameException {
            if (startOffset < 0 || transferSize < 0 || startOffset + transferSize < 0) {
                throw new MalformedFrameException(
                        Problem.BAD_RANGE, "bad range in " + what + ": offset " + startOffset + ", size " + transferSize);
            }
            return new ByteRange(startOffset, transferSize);
        }
    }

    private static Header readHeader(ReadableByteChannel in) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
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

    private static String readFileName(ReadableByteChannel in, Header header) throws IOException {
        if (header.textLength() == 0) {
            throw new MalformedFrameException(Problem.BAD_TEXT, "the request names no file");
        }
        byte[] text = readText(in, header.textLength());
        String name;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(text));
            name = chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFrameException(Problem.BAD_TEXT, "the file name is not valid UTF-8");
        }
        if (name.indexOf('\0') >= 0) {
            throw new MalformedFrameException(Problem.BAD_TEXT, "the file name contains a NUL byte");
        }
        return name;
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
