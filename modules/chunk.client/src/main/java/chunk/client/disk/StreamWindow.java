package chunk.client.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of a streamed download that arrived before the bytes ahead of them: a temporary
 * file of {@code window} bytes used as a ring, byte {@code n} of the file at {@code n mod window}.
 * The piece map fetches no further ahead of what was written out than the window, so no byte
 * is overwritten before it went out. The file is made in the system's temporary folder and
 * removed when the window is closed.
 */
public final class StreamWindow implements PieceSink, AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final long window;
    /** One writer at a time, for the reason {@link PartFile}'s writes take turns. */
    private final ReentrantLock oneWriter = new ReentrantLock();

    private StreamWindow(Path path, FileChannel channel, long window) {
        this.path = path;
        this.channel = channel;
        this.window = window;
    }

    /**
     * A window of {@code window} bytes, a whole number of pieces, in a new temporary file.
     *
     * @throws IOException if the file cannot be made
     */
    public static StreamWindow create(long window) throws IOException {
        if (window < 1) {
            throw new IllegalArgumentException("a window holds at least one byte, not " + window);
        }
        Path path = Files.createTempFile("myclient-", ".window");
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new StreamWindow(path, channel, window);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** The file that holds the window, for messages. */
    public Path path() {
        return path;
    }

    @Override
    public void write(ByteBuffer data, long position) throws LocalWriteException {
        oneWriter.lock();
        try {
            long at = position % window;
            int end = data.limit();
            try {
                while (data.position() < end) {
                    // A write that would pass the ring's end goes on at its start.
                    data.limit((int) Math.min(end, data.position() + (window - at)));
                    while (data.hasRemaining()) {
                        at += channel.write(data, at);
                    }
                    at %= window;
                }
            } finally {
                data.limit(end);
            }
        } catch (IOException e) {
            throw new LocalWriteException(path, e);
        } finally {
            oneWriter.unlock();
        }
    }

    /**
     * Sends the bytes from {@code position} to {@code position + length} of the file, which
     * must be in the window, to {@code out}: from the page cache to the pipe, where the system
     * can, without passing through this process.
     *
     * @throws IOException if they cannot be sent (the reader went away, most likely)
     */
    public void sendTo(WritableByteChannel out, long position, long length) throws IOException {
        long sent = 0;
        while (sent < length) {
            long at = (position + sent) % window;
            long part = Math.min(length - sent, window - at);
            long n = channel.transferTo(at, part, out);
            if (n == 0) {
                n = copy(out, at, (int) Math.min(part, 1 << 16));
            }
            sent += n;
        }
    }

    /** Reads {@code length} bytes at {@code at} and writes them all to {@code out}: what transferTo did not. */
    private long copy(WritableByteChannel out, long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position()) < 0) {
                throw new IOException("the window ended early");
            }
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        return length;
    }

    /** Removes the file. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
