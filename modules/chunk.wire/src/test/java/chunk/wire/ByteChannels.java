package chunk.wire;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/** In-memory channels for codec tests, each knowing exactly how much was read or written. */
final class ByteChannels {

    private ByteChannels() {}

    /** Reads the given bytes, then reports end of stream; remembers how many were consumed. */
    static final class Source implements ReadableByteChannel {
        private final ByteBuffer bytes;
        private final int maxPerRead;
        private boolean open = true;

        Source(byte[] bytes) {
            this(bytes, Integer.MAX_VALUE);
        }

        /** A source that hands out at most {@code maxPerRead} bytes a call, like a slow socket. */
        Source(byte[] bytes, int maxPerRead) {
            this.bytes = ByteBuffer.wrap(bytes);
            this.maxPerRead = maxPerRead;
        }

        @Override
        public int read(ByteBuffer destination) {
            if (!bytes.hasRemaining()) {
                return -1;
            }
            int n = Math.min(Math.min(destination.remaining(), bytes.remaining()), maxPerRead);
            destination.put(bytes.slice(bytes.position(), n));
            bytes.position(bytes.position() + n);
            return n;
        }

        int consumed() {
            return bytes.position();
        }

        byte[] consumedBytes() {
            return Arrays.copyOf(bytes.array(), bytes.position());
        }

        byte[] remainingBytes() {
            return Arrays.copyOfRange(bytes.array(), bytes.position(), bytes.limit());
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** Starts with a prefix, then returns {@code filler} forever: a peer that never stops sending. */
    static final class Endless implements ReadableByteChannel {
        private final ByteBuffer prefix;
        private final byte filler;
        private long delivered;

        Endless(byte[] prefix, byte filler) {
            this.prefix = ByteBuffer.wrap(prefix);
            this.filler = filler;
        }

        @Override
        public int read(ByteBuffer destination) {
            int n = 0;
            while (destination.hasRemaining()) {
                destination.put(prefix.hasRemaining() ? prefix.get() : filler);
                n++;
            }
            delivered += n;
            return n;
        }

        long delivered() {
            return delivered;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    /** Accepts at most {@code maxPerWrite} bytes a call (0: a non-blocking channel that is full). */
    static final class Sink implements WritableByteChannel {
        private final int maxPerWrite;
        private final java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();

        Sink(int maxPerWrite) {
            this.maxPerWrite = maxPerWrite;
        }

        @Override
        public int write(ByteBuffer source) {
            int n = Math.min(source.remaining(), maxPerWrite);
            for (int i = 0; i < n; i++) {
                written.write(source.get());
            }
            return n;
        }

        byte[] written() {
            return written.toByteArray();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }
}
