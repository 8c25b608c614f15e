package chunk.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Turns frames into bytes. A {@link Frame.ChunkReply} is encoded as its header alone: the
 * sender writes it once, then moves the file data straight from the file to the socket with
 * {@link java.nio.channels.FileChannel#transferTo} (zero-copy where the platform allows);
 * the data never passes through this class. (How to keep sending when the socket is full
 * depends on the caller's threads, so that loop belongs to the server, not here.)
 */
public final class FrameEncoder {

    private static final byte[] NO_TEXT = new byte[0];

    /** A header's fields besides the packet type, and the text that follows it. */
    private record Fields(long startOffset, long transferSize, byte[] text) {}

    private FrameEncoder() {}

    /**
     * The frame's bytes: the header and the text (a digest reply's binary payload), never a chunk's data.
     *
     * @param frame any frame (every frame that exists is valid)
     * @return a new heap buffer positioned at 0 and limited to the frame's end
     */
    public static ByteBuffer encode(Frame frame) {
        // One switch for the three header fields, not one each: every pattern switch is linked
        // the first time it runs, which a short download pays for at start-up.
        Fields fields = switch (frame) {
            case Frame.SizeRequest request -> new Fields(0, 0, utf8(request.fileName()));
            case Frame.ChunkRequest request -> new Fields(request.range().offset(), request.range().length(), utf8(request.fileName()));
            case Frame.DigestRequest request -> new Fields(request.firstPiece(), request.pieceLength(), utf8(request.fileName()));
            case Frame.DigestReply reply -> new Fields(reply.firstPiece(), reply.fileSize(), payload(reply));
            case Frame.ErrorReply error -> new Fields(0, 0, utf8(error.reason()));
            case Frame.SizeReply reply -> new Fields(0, reply.fileSize(), NO_TEXT);
            case Frame.ChunkReply reply -> new Fields(reply.range().offset(), reply.range().length(), NO_TEXT);
            case Frame.KeepOpenRequest request -> new Fields(0, request.version(), NO_TEXT);
            case Frame.KeepOpenReply reply -> new Fields(reply.waitMillis(), reply.version(), NO_TEXT);
        };
        ByteBuffer bytes = ByteBuffer.allocate(Frame.HEADER_BYTES + fields.text().length).order(Frame.BYTE_ORDER);
        bytes.putLong(fields.startOffset())
                .putLong(fields.transferSize())
                .putInt(frame.packetType())
                .putInt(fields.text().length)
                .put(fields.text())
                .flip();
        return bytes;
    }

    /**
     * Writes the whole frame to a blocking channel.
     *
     * @param frame any frame
     * @param out a blocking channel, such as a connected {@link java.nio.channels.SocketChannel}
     * @throws IllegalArgumentException if the channel accepts nothing (it is non-blocking)
     * @throws IOException if the channel fails or closes first
     */
    public static void write(Frame frame, WritableByteChannel out) throws IOException {
        ByteBuffer bytes = encode(frame);
        while (bytes.hasRemaining()) {
            if (out.write(bytes) == 0) {
                // A blocking channel never writes nothing; looping here would spin forever.
                throw new IllegalArgumentException("frames are written to blocking channels only");
            }
        }
    }

    /** The root, then each piece's digest: binary, where other frames carry text. */
    private static byte[] payload(Frame.DigestReply reply) {
        ByteBuffer payload = ByteBuffer.allocate(Digest.BYTES * (1 + reply.digests().size()));
        payload.put(reply.root().bytes());
        for (Digest digest : reply.digests()) {
            payload.put(digest.bytes());
        }
        return payload.array();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
