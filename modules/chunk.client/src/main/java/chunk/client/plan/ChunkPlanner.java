package chunk.client.plan;

import chunk.wire.ByteRange;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a file into pieces of one power-of-two length and groups them into the chunks that
 * start the download, one contiguous run of pieces each.
 */
public final class ChunkPlanner {

    /**
     * Connections open at once, over all servers; more chunks than this wait their turn, and
     * only this many read buffers ever exist (16 MiB). Measured with 1000 chunks of a 1 GiB file
     * from 4 servers on loopback: 256 at once took 1.6-2.5 s and 128 MB of memory, 64 took
     * 1.2-1.7 s and 80 MB, 32 the same time and 71 MB (docs/BENCHMARKS.md, "What was measured,
     * and what changed").
     * 64 leaves room for 20 servers on real networks, where each server is worth a few
     * connections; to one server, at most {@link ServerBoard#MAX_CONNECTIONS_PER_SERVER}.
     */
    public static final int MAX_CONNECTIONS = 64;
    /** The shortest piece: the shortest length a server gives digests for. */
    static final int MIN_PIECE_LENGTH = 4 << 10;
    /**
     * The longest piece chosen for the chunk count alone. A piece is the unit that moves from a
     * slow connection to a fast one and that is fetched again after a bad digest, so it should
     * be small next to a chunk; 1 MiB costs a 1 GiB file 1024 digests (32 KiB, 9 replies).
     */
    static final int PREFERRED_MAX_PIECE_LENGTH = 1 << 20;
    /** The most pieces a download has; larger files get longer pieces. Bounds the digests kept (512 KiB). */
    public static final int MAX_PIECES = 16_384;
    /** Pieces per chunk aimed at, so that a chunk can hand its back half to another connection. */
    private static final int PIECES_PER_CHUNK = 8;

    private ChunkPlanner() {}

    /**
     * The plan of a download: the piece length and the chunks.
     *
     * @param size the file's length
     * @param pieceLength the length of every piece but the last, a power of two
     * @param chunks the chunks, each a whole number of pieces, in order, covering the file
     */
    public record Plan(long size, long pieceLength, List<ByteRange> chunks) {
        public Plan {
            chunks = List.copyOf(chunks);
        }

        public int pieceCount() {
            return ChunkPlanner.pieceCount(size, pieceLength);
        }

        /** The bytes of piece {@code index}. */
        public ByteRange piece(int index) {
            long offset = index * pieceLength;
            return new ByteRange(offset, Math.min(pieceLength, size - offset));
        }

        /** The piece that holds byte {@code offset}. */
        public int pieceAt(long offset) {
            return (int) (offset / pieceLength);
        }

        /** The pieces of chunk {@code index}: first inclusive, end exclusive. */
        public int firstPieceOf(int chunk) {
            return pieceAt(chunks.get(chunk).offset());
        }

        public int endPieceOf(int chunk) {
            return chunk + 1 < chunks.size() ? firstPieceOf(chunk + 1) : pieceCount();
        }
    }

    /** How many pieces of {@code pieceLength} bytes a file of {@code size} bytes has: the last may be shorter. */
    public static int pieceCount(long size, long pieceLength) {
        return Math.toIntExact(Math.ceilDiv(size, pieceLength));
    }

    /**
     * The piece length for {@code size} bytes in {@code chunks} chunks: about an eighth of what
     * one connection is given first, but no longer than a chunk, a power of two from 4 KiB to
     * 1 MiB, longer only to keep to {@link #MAX_PIECES} (past 16 GiB; past 16 TiB pieces are
     * longer than any server gives digests for). What a connection is given first is a chunk,
     * unless there are more chunks than {@link #MAX_CONNECTIONS}: those wait
     * their turn, so the back half of a running chunk need not move to balance the servers, and
     * pieces as short as an eighth of a chunk would only cost a digest, a hash and a record
     * update each; such chunks get one or two pieces. Measured with 1000 chunks of a 1 GiB file
     * from 4 servers on loopback: 128 KiB pieces took 1.27 times as long as 4 chunks, and 21 %
     * more client CPU; 1 MiB pieces 1.07-1.10 times, and the same CPU (docs/BENCHMARKS.md,
     * "Speed to the limit (issue 15)"). No longer than a chunk,
     * so that a file of enough pieces gets every chunk asked for.
     */
    public static long pieceLength(long size, int chunks) {
        int firstGiven = Math.clamp(chunks, 1, MAX_CONNECTIONS);
        long perPiece = size / firstGiven / PIECES_PER_CHUNK;
        long perChunk = size / Math.max(1, chunks);
        long length = Math.clamp(Long.highestOneBit(Math.max(1, perPiece)), MIN_PIECE_LENGTH, PREFERRED_MAX_PIECE_LENGTH);
        length = Math.max(MIN_PIECE_LENGTH, Math.min(length, Long.highestOneBit(Math.max(1, perChunk))));
        while (size > 0 && (size - 1) / length >= MAX_PIECES) {
            length <<= 1;
        }
        return length;
    }

    /**
     * At most {@code chunks} chunks of whole pieces, their piece counts differing by at most
     * one. A file of fewer pieces than {@code chunks} gets one chunk per piece, an empty file none.
     *
     * @throws IllegalArgumentException if size is negative or chunks is below 1
     */
    public static Plan plan(long size, int chunks) {
        return plan(size, chunks, pieceLength(size, chunks));
    }

    /**
     * {@link #plan(long, int)} with pieces of {@code pieceLength} bytes, as a resume record
     * asks: a download continues with the pieces it started with, whatever {@code chunks} is now.
     *
     * @throws IllegalArgumentException if size is negative, chunks is below 1 or the length is not positive
     */
    public static Plan plan(long size, int chunks, long pieceLength) {
        if (pieceLength < 1) {
            throw new IllegalArgumentException("a piece needs a positive length, not " + pieceLength);
        }
        if (size < 0) {
            throw new IllegalArgumentException("a file size cannot be negative: " + size);
        }
        if (chunks < 1) {
            throw new IllegalArgumentException("at least one chunk is needed, not " + chunks);
        }
        int pieces = pieceCount(size, pieceLength);
        int count = Math.min(chunks, pieces);
        List<ByteRange> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long first = (long) pieces * i / count;
            long end = (long) pieces * (i + 1) / count;
            ranges.add(ByteRange.between(first * pieceLength, end == pieces ? size : end * pieceLength));
        }
        return new Plan(size, pieceLength, ranges);
    }
}
