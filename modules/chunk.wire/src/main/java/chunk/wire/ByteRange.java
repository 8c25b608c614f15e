package chunk.wire;

import org.jspecify.annotations.Nullable;

/**
 * A range of bytes in a file: {@code length} bytes starting at {@code offset}. A range that
 * exists is valid on the wire: both parts are non-negative and its end fits in a {@code long}.
 *
 * @param offset the first byte, zero or more
 * @param length how many bytes, zero or more; {@code offset + length} is at most 2^63-1
 */
public record ByteRange(long offset, long length) {

    /**
     * Checks the range.
     *
     * @throws IllegalArgumentException if either part is negative or the end overflows
     */
    public ByteRange {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(
                    "a byte range needs a non-negative offset and length, not " + offset + "+" + length);
        }
        if (offset + length < 0) {
            throw new IllegalArgumentException("byte range " + offset + "+" + length + " ends past 2^63-1");
        }
    }

    /**
     * The range from {@code offset} (inclusive) to {@code end} (exclusive).
     *
     * @param offset the first byte
     * @param end the byte just past the last one, at least {@code offset}
     * @return the range
     * @throws IllegalArgumentException if {@code offset} is negative or {@code end} is before it
     */
    public static ByteRange between(long offset, long end) {
        return new ByteRange(offset, end - offset);
    }

    // equals and hashCode are written out, not generated: the generated ones are linked through
    // invokedynamic the first time they run, which costs a short download milliseconds at start-up.
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof ByteRange that && offset == that.offset && length == that.length;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(offset) + Long.hashCode(length);
    }

    /**
     * The offset just past the last byte.
     *
     * @return {@code offset + length}
     */
    public long end() {
        return offset + length;
    }

    /**
     * Whether the range holds no bytes.
     *
     * @return {@code true} if {@code length} is 0
     */
    public boolean isEmpty() {
        return length == 0;
    }

    /**
     * What is left of this range once its first {@code received} bytes have arrived.
     *
     * @param received bytes already received, from 0 to {@code length}
     * @return the rest, empty when everything arrived
     * @throws IllegalArgumentException if {@code received} is negative or more than {@code length}
     */
    public ByteRange remainderAfter(long received) {
        if (received < 0 || received > length) {
            throw new IllegalArgumentException(received + " bytes received of a " + length + "-byte range");
        }
        return new ByteRange(offset + received, length - received);
    }

    /**
     * This range cut to a file of {@code fileSize} bytes: what a server can actually send.
     *
     * @param fileSize the file's length, zero or more
     * @return the part of this range inside the file; empty (at the same offset) if the
     *     range starts at or past the end
     * @throws IllegalArgumentException if {@code fileSize} is negative
     */
    public ByteRange clampTo(long fileSize) {
        if (fileSize < 0) {
            throw new IllegalArgumentException("a file size cannot be negative: " + fileSize);
        }
        if (offset >= fileSize) {
            return new ByteRange(offset, 0);
        }
        return new ByteRange(offset, Math.min(length, fileSize - offset));
    }

    /** The range as a half-open interval, {@code [offset, end)}. */
    @Override
    public String toString() {
        return "[" + offset + ", " + end() + ")";
    }
}
