package chunk.client.fetch;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Direct buffers of one size, handed from chunk to chunk. Without it, the buffers of finished
 * chunks would stay in native memory until a garbage collection ran, which with the client's
 * small heap is rare: a thousand chunks would hold a thousand buffers. With it, memory is
 * bounded by how many chunks run at once.
 */
final class BufferPool {

    private final int bufferSize;
    private final ConcurrentLinkedQueue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();

    BufferPool(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    /** An idle buffer, or a new one; cleared either way. */
    ByteBuffer take() {
        ByteBuffer buffer = idle.poll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(bufferSize);
    }

    /** Gives back a buffer from {@link #take()} for the next chunk. */
    void give(ByteBuffer buffer) {
        idle.add(buffer);
    }
}
