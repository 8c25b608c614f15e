package chunk.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Turns frames into bytes. A {@link Frame.ChunkReply} is encoded as its header alone: the
 * sender writes it once, then moves the file data straight from the file to the socket with
 * {@link FileChannel#transferTo} (zero-copy where the platform allows), as
 * {@link #writeChunk} does; the data never passes through a heap array here.
 */
public final class FrameEncoder {

    private FrameEncoder() {}

    /**
     * The frame's bytes: the header and the text, never a chunk's data.
     *
     * @param frame any frame (every frame that exists is valid)
     * @return a new heap buffer positioned at 0 and limited to the frame's end
     */
    public static ByteBuffer encode(Frame frame) {
        byte[] text = switch (frame) {
            case Frame.SizeRequest request -> utf8(request.fileName());
            case Frame.ChunkRequest request -> utf8(request.fileName());
            case Frame.ErrorReply error -> utf8(error.reason());
            case Frame.SizeReply _, Frame.ChunkReply _ -> new byte[0];
        };
        long startOffset = switch (frame) {
            case Frame.ChunkRequest request -> request.range().offset();
            case Frame.ChunkReply reply -> reply.range().offset();
            case Frame.SizeRequest _, Frame.SizeReply _, Frame.ErrorReply _ -> 0;
        };
        long transferSize = switch (frame) {
            case Frame.ChunkRequest request -> request.range().length();
            case Frame.ChunkReply reply -> reply.range().length();
            case Frame.SizeReply reply -> reply.fileSize();
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

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends a chunk: writes the reply header, then transfers exactly {@code reply.range()}
     * of {@code file} to {@code out} with {@link FileChannel#transferTo}, so the data goes
     * from the file to the socket without being copied through the Java heap.
     *
     * <p>The range must lie inside the file (see {@link ByteRange#clampTo}). If the file
     * shrinks while it is sent, the promised bytes cannot all follow: this method fails
     * rather than loop, and the caller must close the connection so the client sees a short
     * chunk instead of waiting for bytes that never come.
     *
     * @param reply the header to send; its range says which bytes of the file follow
     * @param file the file, open for reading
     * @param out a blocking channel, such as a connected {@link java.nio.channels.SocketChannel}
     * @throws IOException if a channel fails, or the file ends before the range does
     * @throws IllegalArgumentException if {@code out} accepts nothing (it is non-blocking)
     */
    public static void writeChunk(Frame.ChunkReply reply, FileChannel file, WritableByteChannel out) throws IOException {
        write(reply, out);
        ByteRange range = reply.range();
        long sent = 0;
        while (sent < range.length()) {
            long position = range.offset() + sent;
            long n = file.transferTo(position, range.length() - sent, out);
            if (n == 0) {
                // transferTo sends nothing at the end of the file (or to a full non-blocking
                // channel): either way, looping again would spin forever.
                if (file.size() <= position) {
                    throw new IOException("the file ended at byte " + file.size() + ", " + (range.length() - sent)
                            + " bytes short of the chunk " + range + " announced to the client");
                }
                throw new IllegalArgumentException("chunks are written to blocking channels only");
            }
            sent += n;
        }
    }
}
