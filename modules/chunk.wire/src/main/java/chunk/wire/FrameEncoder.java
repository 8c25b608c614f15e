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

    private FrameEncoder() {}

    /**
     * The frame's bytes: the header and the text (a digest reply's binary payload), never a chunk's data.
     *
     * @param frame any frame (every frame that exists is valid)
     * @return a new heap buffer positioned at 0 and limited to the frame's end
     */
    public static ByteBuffer encode(Frame frame) {
        byte[] text = switch (frame) {
            case Frame.SizeRequest request -> utf8(request.fileName());
            case Frame.ChunkRequest request -> utf8(request.fileName());
            case Frame.DigestRequest request -> utf8(request.fileName());
            case Frame.DigestReply reply -> payload(reply);
            case Frame.ErrorReply error -> utf8(error.reason());
            case Frame.SizeReply _, Frame.ChunkReply _, Frame.KeepOpenRequest _, Frame.KeepOpenReply _ -> new byte[0];
        };
        long startOffset = switch (frame) {
            case Frame.ChunkRequest request -> request.range().offset();
            case Frame.ChunkReply reply -> reply.range().offset();
            case Frame.DigestRequest request -> request.firstPiece();
            case Frame.DigestReply reply -> reply.firstPiece();
            case Frame.KeepOpenReply reply -> reply.waitMillis();
            case Frame.SizeRequest _, Frame.SizeReply _, Frame.ErrorReply _, Frame.KeepOpenRequest _ -> 0;
        };
        long transferSize = switch (frame) {
            case Frame.ChunkRequest request -> request.range().length();
            case Frame.ChunkReply reply -> reply.range().length();
            case Frame.SizeReply reply -> reply.fileSize();
            case Frame.DigestRequest request -> request.pieceLength();
            case Frame.DigestReply reply -> reply.fileSize();
            case Frame.KeepOpenRequest request -> request.version();
            case Frame.KeepOpenReply reply -> reply.version();
            case Frame.SizeRequest _, Frame.ErrorReply _ -> 0;
        };
        ByteBuffer bytes = ByteBuffer.allocate(Frame.HEADER_BYTES + text.length).order(Frame.BYTE_ORDER);
        bytes.putLong(startOffset)
                .putLong(transferSize)
                .putInt(frame.packetType())
                .putInt(text.length)
                .put(text)
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
