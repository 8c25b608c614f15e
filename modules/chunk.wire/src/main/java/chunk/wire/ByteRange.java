package chunk.wire;

/**
 * A range of bytes in a file: {@code length} bytes starting at {@code offset}.
 *
 * @param offset the first byte, zero or more
 * @param length how many bytes, zero or more; {@code offset + length} fits in a {@code long}
 */
public record ByteRange(long offset, long length) {

    /** @throws IllegalArgumentException if either part is negative or the end overflows */
    public ByteRange {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(
                    "a byte range needs a non-negative offset and length, not " + offset + "+" + length);
        }
        if (offset + length < 0) {
            throw new IllegalArgumentException("byte range " + offset + "+" + length + " ends past 2^63-1");
        }
    }

    /** The range from {@code offset} (inclusive) to {@code end} (exclusive). */
    public static ByteRange between(long offset, long end) {
        return new ByteRange(offset, end - offset);
    }

    /** The offset just past the last byte. */
    public long end() {
        return offset + length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** What is left of this range once its first {@code received} bytes have arrived. */
    public ByteRange remainderAfter(long received) {
        if (received < 0 || received > length) {
            throw new IllegalArgumentException(received + " bytes received of a " + length + "-byte range");
        }
        return new ByteRange(offset + received, length - received);
    }

    /** This range cut to a file of {@code fileSize} bytes: empty if it starts at or past the end. */
    public ByteRange clampTo(long fileSize) {
        if (offset >= fileSize) {
            return new ByteRange(offset, 0);
        }
        return new ByteRange(offset, Math.min(length, fileSize - offset));
    }

    @Override
    public String toString() {
        return "[" + offset + ", " + end() + ")";
    }
}
