package chunk.client.internal;

import chunk.wire.ByteRange;
import java.util.ArrayList;
import java.util.List;

/** Splits a file into the byte ranges that are downloaded in parallel. */
final class ChunkPlanner {

    private ChunkPlanner() {}

    /**
     * {@code chunks} ranges of {@code size / chunks} bytes, the last one taking the remainder,
     * as the original client did. A file shorter than {@code chunks} bytes gets one range per
     * byte, and an empty file gets no range at all.
     *
     * @throws IllegalArgumentException if size is negative or chunks is below 1
     */
    static List<ByteRange> plan(long size, int chunks) {
        if (size < 0) {
            throw new IllegalArgumentException("a file size cannot be negative: " + size);
        }
        if (chunks < 1) {
            throw new IllegalArgumentException("at least one chunk is needed, not " + chunks);
        }
        int count = (int) Math.min(chunks, size);
        List<ByteRange> ranges = new ArrayList<>(count);
        if (count == 0) {
            return ranges;
        }
        long length = size / count;
        for (int i = 0; i < count - 1; i++) {
            ranges.add(new ByteRange(i * length, length));
        }
        ranges.add(ByteRange.between((count - 1) * length, size));
        return List.copyOf(ranges);
    }
}
