package chunk.client.internal;

/** The length of a download's pieces, the unit of the resume record (docs: DESIGN, the piece map). */
final class PieceLength {

    private PieceLength() {}

    /** The fewest bytes a piece has: below it a record's bitmap and its saves grow for nothing. */
    static final int MIN = 256 << 10;
    /**
     * The most bytes a piece has. A kill loses the pieces in flight, up to one per connection
     * (4 connections: 16 MiB), which the next run fetches again.
     */
    static final int MAX = 4 << 20;
    /** The most pieces a download has: the record's bitmap stays at most 128 KiB. */
    static final long MAX_PIECES = 1L << 20;

    /**
     * A power of two that gives each chunk about eight pieces, from {@link #MIN} to {@link #MAX},
     * larger only where the file would have more than {@link #MAX_PIECES}.
     */
    static int choose(long size, int chunks) {
        long target = Math.max(1, size / ((long) chunks * 8));
        long length = Long.highestOneBit(target);
        length = Math.clamp(length, MIN, MAX);
        while (ResumeRecord.pieceCount(size, (int) length) > MAX_PIECES && length < ResumeRecord.MAX_PIECE_LENGTH) {
            length <<= 1;
        }
        return (int) length;
    }
}
